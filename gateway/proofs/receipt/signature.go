package receipt

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
)

// verifySignature checks an ECDSA signature (DER, low S as Fabric requires)
// over SHA-256 of msg by the identity's certificate key.
func verifySignature(id *Identity, msg, sig []byte) error {
	pub, ok := id.cert.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return fmt.Errorf("key of %s is %T, only ECDSA is supported", id.Subject, id.cert.PublicKey)
	}
	var rs struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(sig, &rs)
	if err != nil || len(rest) > 0 || rs.R == nil || rs.S == nil || rs.R.Sign() <= 0 || rs.S.Sign() <= 0 {
		return errors.New("signature is not a DER ECDSA signature")
	}
	if rs.S.Cmp(halfOrder(pub.Curve)) > 0 {
		return errors.New("signature has a high S value, which Fabric never produces")
	}
	digest := sha256.Sum256(msg)
	if !ecdsa.Verify(pub, digest[:], rs.R, rs.S) {
		return errors.New("signature does not match")
	}
	return nil
}

func halfOrder(c elliptic.Curve) *big.Int {
	return new(big.Int).Rsh(c.Params().N, 1)
}
