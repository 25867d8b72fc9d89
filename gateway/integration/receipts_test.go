//go:build integration

package integration

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/ledgerctl"
	"github.com/civicledger/civicledger/gateway/proofs/receipt"
)

func ledgerClient(t testing.TB, mspID string) apiv1.LedgerServiceClient {
	t.Helper()
	return apiv1.NewLedgerServiceClient(gw(t, mspID, "clerk"))
}

// requireFails checks that a receipt does not verify and that each of
// the named checks is among the failed ones.
func requireFails(t *testing.T, rc *receipt.Receipt, trust *receipt.Trust, checks ...string) *receipt.Report {
	t.Helper()
	rep := receipt.Verify(rc, trust)
	require.False(t, rep.Valid(), "a tampered receipt verified")
	for _, c := range checks {
		require.Contains(t, rep.Failed(), c, "checks: %+v", rep.Checks)
	}
	return rep
}

func TestReceipts(t *testing.T) {
	id := uniqueID("RCPT")
	req := docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_PERMIT)
	resp, err := documents(t, registry, "clerk").RegisterDocument(ctx(t), req)
	require.NoError(t, err)
	docSynced(t, resp.Committed)
	txID := resp.Committed.TransactionId

	// Exported by another administration, verified with the trust file of a third.
	exported, err := ledgerClient(t, council).GetReceipt(ctx(t), &apiv1.GetReceiptRequest{TransactionId: txID})
	require.NoError(t, err)
	require.True(t, exported.Valid, "checks: %v", exported.Checks)
	require.Equal(t, resp.Committed.BlockNumber, exported.BlockNumber)
	trustResp, err := ledgerClient(t, treasury).GetTrust(ctx(t), &apiv1.GetTrustRequest{})
	require.NoError(t, err)
	require.Equal(t, tn.Conn.Channel, trustResp.Channel)
	require.NotEmpty(t, trustResp.Configurations)
	require.ElementsMatch(t, []string{registry, treasury, council}, trustResp.Configurations[len(trustResp.Configurations)-1].Members)

	rc, err := receipt.Parse(exported.Receipt)
	require.NoError(t, err)
	trust, err := receipt.ParseTrust(trustResp.Trust)
	require.NoError(t, err)
	docKey := "\x00document\x00" + registry + "\x00" + id + "\x00"

	t.Run("a genuine receipt verifies offline and shows the registered document", func(t *testing.T) {
		rep := receipt.Verify(rc, trust)
		require.True(t, rep.Valid(), "checks: %+v", rep.Checks)
		require.Len(t, rep.Checks, 10)
		require.Equal(t, txID, rep.TransactionID)
		require.Equal(t, registry, rep.Creator.MSPID)
		require.GreaterOrEqual(t, len(rep.Endorsers), 2)
		require.NotEmpty(t, rep.Orderers)
		require.Equal(t, "Documents:Register", rep.Function)
		require.Equal(t, "VALID", rep.ValidationCode)
		w, ok := rep.Write(tn.Conn.Chaincode, docKey)
		require.True(t, ok, "writes: %+v", rep.Writes)
		require.Contains(t, string(w.Value), req.Sha256)
	})

	t.Run("a receipt proves nothing without a trusted configuration", func(t *testing.T) {
		requireFails(t, rc, nil, receipt.CheckTrustedConfiguration)
		other := &receipt.Trust{Channel: trust.Channel, Configurations: []receipt.TrustedConfig{{BlockNumber: 0, HeaderSHA256: "00" + trust.Configurations[0].HeaderSHA256[2:]}}}
		rep := requireFails(t, rc, other, receipt.CheckTrustedConfiguration)
		require.Len(t, rep.Failed(), 1)
	})

	tampered := map[string]struct {
		change func(t *testing.T, p *parts) *receipt.Receipt
		checks []string
	}{
		"a flipped byte in the written value": {func(t *testing.T, p *parts) *receipt.Receipt {
			prp := p.action.Action.ProposalResponsePayload
			i := bytes.Index(prp, []byte(req.Sha256))
			require.Positive(t, i)
			flip(prp, i+3)
			return p.encode(t)
		}, []string{receipt.CheckEndorsements, receipt.CheckInBlock}},
		"a flipped byte in the call's arguments": {func(t *testing.T, p *parts) *receipt.Receipt {
			flip(p.action.ChaincodeProposalPayload, len(p.action.ChaincodeProposalPayload)/2)
			return p.encode(t)
		}, []string{receipt.CheckEndorsements, receipt.CheckInBlock}},
		"a flipped byte in an endorsement's signature": {func(t *testing.T, p *parts) *receipt.Receipt {
			flip(p.action.Action.Endorsements[0].Signature, 20)
			return p.encode(t)
		}, []string{receipt.CheckEndorsements, receipt.CheckInBlock}},
		"a missing endorsement": {func(t *testing.T, p *parts) *receipt.Receipt {
			p.action.Action.Endorsements = p.action.Action.Endorsements[:1]
			return p.encode(t)
		}, []string{receipt.CheckEndorsementPolicy, receipt.CheckInBlock}},
		"an endorsement by a certificate from outside the network": {func(t *testing.T, p *parts) *receipt.Receipt {
			p.action.Action.Endorsements[0] = foreignEndorsement(t, registry, p.action.Action.ProposalResponsePayload)
			return p.encode(t)
		}, []string{receipt.CheckEndorsements, receipt.CheckInBlock}},
		"a flipped byte in the submitter's signature": {func(t *testing.T, p *parts) *receipt.Receipt {
			flip(p.env.Signature, 20)
			return p.encode(t)
		}, []string{receipt.CheckCreator, receipt.CheckInBlock}},
		"a flipped byte in the block's data hash": {func(t *testing.T, p *parts) *receipt.Receipt {
			flip(p.block.Header.DataHash, 5)
			return p.encode(t)
		}, []string{receipt.CheckInBlock, receipt.CheckBlockSignature}},
		"a flipped byte in the block's previous hash": {func(t *testing.T, p *parts) *receipt.Receipt {
			flip(p.block.Header.PreviousHash, 5)
			return p.encode(t)
		}, []string{receipt.CheckBlockSignature}},
		"another block number": {func(t *testing.T, p *parts) *receipt.Receipt {
			p.block.Header.Number++
			p.rc.BlockNumber++
			return p.encode(t)
		}, []string{receipt.CheckBlockSignature}},
		"a flipped byte in the orderer's signature": {func(t *testing.T, p *parts) *receipt.Receipt {
			md := p.signatures(t)
			flip(md.Signatures[0].Signature, 20)
			p.setSignatures(t, md)
			return p.encode(t)
		}, []string{receipt.CheckBlockSignature}},
		"orderer metadata naming another configuration": {func(t *testing.T, p *parts) *receipt.Receipt {
			md := p.signatures(t)
			var obm common.OrdererBlockMetadata
			require.NoError(t, proto.Unmarshal(md.Value, &obm))
			obm.LastConfig = &common.LastConfig{Index: obm.GetLastConfig().GetIndex() + 1}
			var err error
			md.Value, err = proto.Marshal(&obm)
			require.NoError(t, err)
			p.setSignatures(t, md)
			return p.encode(t)
		}, []string{receipt.CheckBlockSignature, receipt.CheckConfigurationLink}},
		"a transaction the peer marked invalid": {func(t *testing.T, p *parts) *receipt.Receipt {
			p.block.Metadata.Metadata[common.BlockMetadataIndex_TRANSACTIONS_FILTER][p.rc.TransactionIndex] = byte(peer.TxValidationCode_MVCC_READ_CONFLICT)
			return p.encode(t)
		}, []string{receipt.CheckValidationCode}},
		"a flipped byte in the configuration block": {func(t *testing.T, p *parts) *receipt.Receipt {
			out := p.encode(t)
			out.ConfigBlock = append([]byte{}, out.ConfigBlock...)
			flip(out.ConfigBlock, len(out.ConfigBlock)/2)
			return out
		}, []string{receipt.CheckConfiguration}},
	}
	for name, tc := range tampered {
		t.Run("a receipt with "+name+" fails with the reason", func(t *testing.T) {
			rep := requireFails(t, tc.change(t, decodeParts(t, rc)), trust, tc.checks...)
			require.Error(t, rep.Err())
		})
	}

	t.Run("every flipped byte of the block header and orderer signatures is caught", func(t *testing.T) {
		base := decodeParts(t, rc)
		sigs := base.block.Metadata.Metadata[common.BlockMetadataIndex_SIGNATURES]
		for i := range sigs {
			p := decodeParts(t, rc)
			md := append([]byte{}, sigs...)
			flip(md, i)
			p.block.Metadata.Metadata[common.BlockMetadataIndex_SIGNATURES] = md
			require.False(t, receipt.Verify(p.encode(t), trust).Valid(), "flipping signature metadata byte %d went unnoticed", i)
		}
		for _, field := range []func(*common.BlockHeader) []byte{(*common.BlockHeader).GetDataHash, (*common.BlockHeader).GetPreviousHash} {
			for i := range field(base.block.Header) {
				p := decodeParts(t, rc)
				flip(field(p.block.Header), i)
				require.False(t, receipt.Verify(p.encode(t), trust).Valid(), "flipping header byte %d went unnoticed", i)
			}
		}
	})

	t.Run("a receipt pointing at another transaction of its block fails", func(t *testing.T) {
		moved := *rc
		moved.TransactionIndex += 1000
		requireFails(t, &moved, trust, receipt.CheckTransaction)
	})

	t.Run("ledgerctl verifies the receipt files offline and checks the written record", func(t *testing.T) {
		dir := t.TempDir()
		rcFile, trustFile := filepath.Join(dir, "receipt.json"), filepath.Join(dir, "trust.json")
		require.NoError(t, os.WriteFile(rcFile, exported.Receipt, 0o600))
		require.NoError(t, os.WriteFile(trustFile, trustResp.Trust, 0o600))
		run := func(args ...string) (string, error) {
			var out bytes.Buffer
			root := ledgerctl.NewRoot()
			root.SetOut(&out)
			root.SetArgs(append([]string{"receipt", "verify", rcFile, "--connection", "/nonexistent"}, args...))
			err := root.Execute()
			return out.String(), err
		}
		out, err := run("--trust", trustFile, "--expect", "document/"+registry+"/"+id, "--expect-value", req.Sha256)
		require.NoError(t, err, out)
		require.Contains(t, out, "VALID")
		t.Log(out)
		_, err = run("--trust", trustFile, "--expect", "document/"+registry+"/"+id, "--expect-value", docHash("another document"))
		require.ErrorContains(t, err, "did not write document/"+registry+"/"+id+" with a value containing")
		_, err = run("--config-hash", trust.Configurations[len(trust.Configurations)-1].HeaderSHA256, "--channel", trust.Channel)
		require.NoError(t, err)
		_, err = run()
		require.ErrorContains(t, err, "give --trust FILE")
	})

	t.Run("an unknown transaction is NotFound and a missing id InvalidArgument", func(t *testing.T) {
		_, err := ledgerClient(t, registry).GetReceipt(ctx(t), &apiv1.GetReceiptRequest{TransactionId: "0000000000000000000000000000000000000000000000000000000000000000"})
		requireCode(t, err, codes.NotFound)
		_, err = ledgerClient(t, registry).GetReceipt(ctx(t), &apiv1.GetReceiptRequest{})
		requireCode(t, err, codes.InvalidArgument)
	})
}
