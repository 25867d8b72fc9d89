package membership_test

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// FuzzProposeUpdate checks that any update bytes either make a proposal of
// the expected id or are refused as INVALID_ARGUMENT with nothing written,
// without panicking.
func FuzzProposeUpdate(f *testing.F) {
	f.Add(true, configUpdate(f, "civic", "PortMSP", ""))
	f.Add(false, configUpdate(f, "civic", "", "CouncilMSP"))
	f.Add(true, configUpdate(f, "other", "PortMSP", ""))
	f.Add(true, []byte{})
	f.Add(false, []byte{0x0a, 0x05, 'c', 'i', 'v', 'i', 'c', 0x12, 0x00})
	p := newPeople(f)
	f.Fuzz(func(t *testing.T, add bool, update []byte) {
		stub := contracttest.MemberLedger(t, p.registry, p.treasury, p.council)
		kind, subject := spec.MembershipRemove, "CouncilMSP"
		if add {
			kind, subject = spec.MembershipAdd, "PortMSP"
		}
		before := contracttest.Snapshot(stub)
		got, err := newWorldOn(stub).c.Propose(contracttest.TxAs(stub, p.registry), proposal(t, kind, subject, update, nil))
		if err != nil {
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			contracttest.RequireUnchanged(t, stub, before)
			return
		}
		require.Equal(t, idOf(update), got.ID)
		require.Equal(t, base64.StdEncoding.EncodeToString(update), got.Update)
	})
}

// FuzzSignature checks that any signature bytes other than the caller's
// own valid signature are refused, with nothing written, without panicking.
func FuzzSignature(f *testing.F) {
	p := newPeople(f)
	_, update := addHarbour(f)
	valid, err := base64.StdEncoding.DecodeString(signAs(f, p.treasury, update))
	require.NoError(f, err)
	f.Add(valid)
	f.Add(valid[:len(valid)-1])
	f.Add([]byte{0x0a, 0x00, 0x12, 0x00})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, signature []byte) {
		w := newWorldOn(contracttest.MemberLedger(t, p.registry, p.treasury, p.council))
		input, _ := addHarbour(t)
		id := w.propose(t, p.registry, input).ID
		before := contracttest.Snapshot(w.stub)
		got, err := w.c.Sign(contracttest.TxAs(w.stub, p.treasury), id, base64.StdEncoding.EncodeToString(signature))
		if err != nil {
			require.Contains(t, []base.Code{base.CodeInvalidArgument, base.CodePermissionDenied}, base.CodeOf(err), "%v", err)
			contracttest.RequireUnchanged(t, w.stub, before)
			return
		}
		require.Len(t, got.Signatures, 1)
		require.Equal(t, "TreasuryMSP", got.Signatures[0].MSPID)
	})
}
