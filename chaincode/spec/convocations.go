package spec

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// ConvocationID is the id of the convocation of recipientRef to a meeting:
// a hash of owner, meeting and recipient, so that convening the same
// official twice finds the first convocation, and a client can name a
// convocation without reading the ledger.
func ConvocationID(ownerMSP, meetingID, recipientRef string) string {
	h := sha256.New()
	for _, part := range []string{"civicledger/convocation/v1", ownerMSP, meetingID, recipientRef} {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(part)))
		h.Write(n[:])
		h.Write([]byte(part))
	}
	return hex.EncodeToString(h.Sum(nil))
}
