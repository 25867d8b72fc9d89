package membership

import (
	"encoding/base64"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// proposeInput is the validated input of Propose.
type proposeInput struct {
	records.MembershipProposeInput
	raw       []byte               // the update's bytes, as signed
	update    *common.ConfigUpdate // raw decoded
	expiresAt time.Time
}

// parseProposeInput decodes and validates the JSON argument of Propose at
// transaction time at.
func parseProposeInput(input string, at time.Time) (*proposeInput, error) {
	var in proposeInput
	if err := base.DecodeInput("proposal", input, spec.MaxMembershipInput, &in.MembershipProposeInput); err != nil {
		return nil, err
	}
	if err := base.ValidateOneOf("kind", in.Kind, spec.MembershipKinds); err != nil {
		return nil, err
	}
	if err := base.ValidateMSPID(in.SubjectMSPID); err != nil {
		return nil, err
	}
	raw, err := decodeBase64("update", in.Update, spec.MaxMembershipUpdate)
	if err != nil {
		return nil, err
	}
	in.raw, in.update = raw, new(common.ConfigUpdate)
	if err := proto.Unmarshal(raw, in.update); err != nil {
		return nil, base.InvalidArgument("update is not a marshalled config update: %v", err)
	}
	if in.expiresAt, err = base.ParseTime("expiresAt", in.ExpiresAt); err != nil {
		return nil, err
	}
	if !in.expiresAt.After(at) {
		return nil, base.InvalidArgument("expiresAt %s is not after the transaction time %s", in.ExpiresAt, base.FormatTime(at))
	}
	if limit := at.AddDate(0, 0, spec.MaxMembershipDays); in.expiresAt.After(limit) {
		return nil, base.InvalidArgument("expiresAt %s is more than %d days after the transaction time %s", in.ExpiresAt, spec.MaxMembershipDays, base.FormatTime(at))
	}
	return &in, nil
}

// decodeBase64 decodes the standard base64 argument field, at most limit
// bytes once decoded.
func decodeBase64(field, value string, limit int) ([]byte, error) {
	if value == "" {
		return nil, base.InvalidArgument("%s is required", field)
	}
	if base64.StdEncoding.DecodedLen(len(value)) > limit+2 {
		return nil, base.InvalidArgument("%s is too large: at most %d bytes", field, limit)
	}
	b, err := base64.StdEncoding.Strict().DecodeString(value)
	if err != nil {
		return nil, base.InvalidArgument("%s is not standard base64: %v", field, err)
	}
	if len(b) > limit {
		return nil, base.InvalidArgument("%s is too large: %d bytes, at most %d", field, len(b), limit)
	}
	return b, nil
}
