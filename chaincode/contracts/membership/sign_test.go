package membership_test

import (
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestSign(t *testing.T) {
	t.Run("admins of two administrations sign and each signature is recorded once with who and when", func(t *testing.T) {
		w := newWorld(t)
		input, update := addHarbour(t)
		p := w.propose(t, w.registry, input)
		regSig := signAs(t, w.registry, update)
		_, err := w.c.Sign(contracttest.TxAs(w.stub, w.registry), p.ID, regSig)
		require.NoError(t, err)
		w.stub.SetTxTime(timestamppb.New(fakestub.DefaultTxTime.Add(time.Hour)))
		got := w.sign(t, w.treasury, p.ID, update)
		require.Len(t, got.Signatures, 2)
		require.Equal(t, &records.MembershipSignature{
			MSPID: "RegistryMSP", SignerCertID: got.Signatures[0].SignerCertID,
			SignedAt: "2024-01-02T03:04:05Z", ConfigSignature: regSig,
		}, got.Signatures[0])
		require.Equal(t, "TreasuryMSP", got.Signatures[1].MSPID)
		require.Equal(t, "2024-01-02T04:04:05Z", got.Signatures[1].SignedAt)
		require.NotEqual(t, got.Signatures[0].SignerCertID, got.Signatures[1].SignerCertID)
		require.Equal(t, p.ProposerCertID, got.Signatures[0].SignerCertID, "the proposer signed with the same certificate")

		stored, err := w.c.Get(contracttest.TxAs(w.stub, w.council), p.ID)
		require.NoError(t, err)
		require.Equal(t, got, stored)
		ev := contracttest.LastEvent(t, w.stub)
		require.Equal(t, spec.EventMembershipSigned, ev.Name)
		var announced records.MembershipProposal
		require.NoError(t, json.Unmarshal(ev.Payload, &announced))
		require.Len(t, announced.Signatures, 2)
	})

	t.Run("refusals leave the ledger unchanged", func(t *testing.T) {
		w := newWorld(t)
		input, update := addHarbour(t)
		p := w.propose(t, w.registry, input)
		w.sign(t, w.treasury, p.ID, update)
		other := configUpdate(t, "civic", "PortMSP", "")
		header, err := proto.Marshal(&common.SignatureHeader{Creator: w.council.Creator, Nonce: []byte("n")})
		require.NoError(t, err)
		n := w.council.Key.Curve.Params().N
		for name, tc := range map[string]struct {
			id        fakestub.Identity
			id2       string
			signature string
			code      base.Code
			want      string
		}{
			"a clerk may not sign":                           {w.clerk, p.ID, signAs(t, w.clerk, update), base.CodePermissionDenied, `has role "clerk"`},
			"an admin of a non-member may not sign":          {w.outsider, p.ID, signAs(t, w.outsider, update), base.CodePermissionDenied, "HarbourMSP is not a member"},
			"a second signature of the same administration":  {w.treasury2, p.ID, signAs(t, w.treasury2, update), base.CodeAlreadyExists, "TreasuryMSP already signed"},
			"another identity's signature":                   {w.council, p.ID, signAs(t, w.registry, update), base.CodePermissionDenied, "another identity (of RegistryMSP) than the transaction's creator (of CouncilMSP)"},
			"another admin of the same administration's one": {w.registry, p.ID, signAs(t, fakestub.NewIdentity(t, "RegistryMSP", "rb", spec.RoleAdmin), update), base.CodePermissionDenied, "another identity"},
			"the creator's header signed with another key":   {w.council, p.ID, configSignature(t, w.registry.Key, w.council.Creator, update), base.CodeInvalidArgument, "does not verify"},
			"a signature over another update":                {w.council, p.ID, signAs(t, w.council, other), base.CodeInvalidArgument, "does not verify"},
			"a high-s signature":                             {w.council, p.ID, encodeSignature(t, header, big.NewInt(1), new(big.Int).Sub(n, big.NewInt(1))), base.CodeInvalidArgument, "low-s"},
			"signature bytes that are no ecdsa signature":    {w.council, p.ID, encodeSignature(t, header, big.NewInt(0), big.NewInt(0)), base.CodeInvalidArgument, "not an asn.1 ecdsa signature"},
			"signature bytes that are no config signature":   {w.council, p.ID, base64.StdEncoding.EncodeToString([]byte{0xff, 0xff}), base.CodeInvalidArgument, "not a marshalled config signature"},
			"a config signature without a header":            {w.council, p.ID, base64.StdEncoding.EncodeToString([]byte{0x12, 0x01, 0x01}), base.CodeInvalidArgument, "no signature header"},
			"a signature that is not base64":                 {w.council, p.ID, "%%", base.CodeInvalidArgument, "signature is not standard base64"},
			"an empty signature":                             {w.council, p.ID, "", base.CodeInvalidArgument, "signature is required"},
			"a signature of an unknown proposal":             {w.council, strings.Repeat("0", 64), signAs(t, w.council, update), base.CodeNotFound, "no membership proposal"},
			"a malformed proposal id":                        {w.council, "p-1", signAs(t, w.council, update), base.CodeInvalidArgument, "proposal id"},
		} {
			t.Run(name, func(t *testing.T) {
				before := contracttest.Snapshot(w.stub)
				_, err := w.c.Sign(contracttest.TxAs(w.stub, tc.id), tc.id2, tc.signature)
				w.refused(t, before, tc.code, tc.want, err)
			})
		}
	})

	t.Run("an expired proposal takes no signature", func(t *testing.T) {
		w := newWorld(t)
		input, update := addHarbour(t)
		p := w.propose(t, w.registry, input)
		w.stub.SetTxTime(timestamppb.New(fakestub.DefaultTxTime.Add(7 * 24 * time.Hour)))
		before := contracttest.Snapshot(w.stub)
		_, err := w.c.Sign(contracttest.TxAs(w.stub, w.treasury), p.ID, signAs(t, w.treasury, update))
		w.refused(t, before, base.CodeFailedPrecondition, "is expired", err)
		got, err := w.c.Get(contracttest.TxAs(w.stub, w.treasury), p.ID)
		require.NoError(t, err)
		require.Equal(t, spec.MembershipExpired, got.Status)
	})

	t.Run("a withdrawn proposal takes no signature", func(t *testing.T) {
		w := newWorld(t)
		input, update := addHarbour(t)
		p := w.propose(t, w.registry, input)
		_, err := w.c.Withdraw(contracttest.TxAs(w.stub, w.registry), p.ID)
		require.NoError(t, err)
		before := contracttest.Snapshot(w.stub)
		_, err = w.c.Sign(contracttest.TxAs(w.stub, w.treasury), p.ID, signAs(t, w.treasury, update))
		w.refused(t, before, base.CodeFailedPrecondition, "is withdrawn", err)
	})
}
