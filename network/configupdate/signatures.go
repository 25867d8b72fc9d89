package configupdate

import (
	"fmt"
	"time"

	"github.com/civicledger/civicledger/gateway/proofs/receipt"
	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// Sign returns signer's ConfigSignature over an update's bytes: a signature
// header with the signer's serialized identity and a fresh nonce, and an
// ECDSA signature (low S) over header || update.
func Sign(update []byte, signer *configtx.SigningIdentity) (*common.ConfigSignature, error) {
	sig, err := signer.CreateConfigSignature(update)
	if err != nil {
		return nil, fmt.Errorf("sign the config update as %s: %w", signer.MSPID, err)
	}
	return sig, nil
}

// Envelope wraps an update and its signatures as the CONFIG_UPDATE envelope
// the ordering service takes, signed by submitter (any member's admin or
// client; the orderer checks the channel's Writers policy on it).
func Envelope(update []byte, submitter *configtx.SigningIdentity, sigs ...*common.ConfigSignature) (*common.Envelope, error) {
	env, err := configtx.NewEnvelope(update, sigs...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidUpdate, err)
	}
	if err := submitter.SignEnvelope(env); err != nil {
		return nil, fmt.Errorf("sign the config update envelope as %s: %w", submitter.MSPID, err)
	}
	return env, nil
}

// PolicyResult is one policy an update needs and whether the signatures
// satisfy it.
type PolicyResult struct {
	Path        string // e.g. /Channel/Orderer/Admins
	Description string // e.g. "Admins" (MAJORITY Admins of 3 organizations: 2 needed)
	Satisfied   bool
}

// Verdict says whether a set of signatures authorises an update.
type Verdict struct {
	Policies []PolicyResult
	// Signers are the distinct identities whose signatures verified.
	Signers []*receipt.Identity
	// Ignored says, per signature that does not count, why (not a
	// member's certificate, bad signature); Fabric ignores these too.
	Ignored []string
}

// Satisfied tells whether every policy the update needs is met.
func (v *Verdict) Satisfied() bool {
	for _, p := range v.Policies {
		if !p.Satisfied {
			return false
		}
	}
	return len(v.Policies) > 0
}

// Check evaluates signatures over update (marshalled ConfigUpdate) against
// the policies of the current configuration that the update needs, as the
// orderer will: each signature is verified against its signer's MSP in the
// current configuration (valid at time at), an identity counts once however
// often it signed, and ImplicitMeta MAJORITY counts organisations whose
// Admins signature policy (admin OU) is met.
func Check(current *common.Config, update []byte, sigs []*common.ConfigSignature, at time.Time) (*Verdict, error) {
	var u common.ConfigUpdate
	if err := proto.Unmarshal(update, &u); err != nil {
		return nil, fmt.Errorf("%w: decode: %w", ErrInvalidUpdate, err)
	}
	paths, err := RequiredPolicies(current, &u)
	if err != nil {
		return nil, err
	}
	cfg, err := receipt.NewConfig(u.GetChannelId(), current.GetChannelGroup())
	if err != nil {
		return nil, fmt.Errorf("read the current configuration: %w", err)
	}
	v := &Verdict{}
	seen := map[string]bool{}
	for i, s := range sigs {
		var sh common.SignatureHeader
		if err := proto.Unmarshal(s.GetSignatureHeader(), &sh); err != nil {
			v.Ignored = append(v.Ignored, fmt.Sprintf("signature %d: decode signature header: %v", i+1, err))
			continue
		}
		msg := append(append([]byte{}, s.GetSignatureHeader()...), update...)
		id, err := cfg.VerifySigned(sh.GetCreator(), msg, s.GetSignature(), at)
		if err != nil {
			v.Ignored = append(v.Ignored, fmt.Sprintf("signature %d: %v", i+1, err))
			continue
		}
		if seen[string(sh.GetCreator())] {
			continue
		}
		seen[string(sh.GetCreator())] = true
		v.Signers = append(v.Signers, id)
	}
	for _, p := range paths {
		ok, err := cfg.Satisfied(p, v.Signers)
		if err != nil {
			return nil, fmt.Errorf("evaluate %s: %w", p, err)
		}
		v.Policies = append(v.Policies, PolicyResult{Path: p, Description: cfg.DescribePolicy(p), Satisfied: ok})
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: it changes nothing", ErrInvalidUpdate)
	}
	return v, nil
}
