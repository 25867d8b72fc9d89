//go:build integration

package integration

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/proofs/receipt"
)

// submitted is one transaction of the chaincode, made on the real network.
type submitted struct {
	function string
	txID     string
}

// submitOneOfEach makes one committed transaction of every submit
// transaction of the chaincode, in an order where each finds what it needs.
func submitOneOfEach(t *testing.T) []submitted {
	t.Helper()
	var out []submitted
	add := func(function string, c *apiv1.Committed, err error) {
		t.Helper()
		require.NoError(t, err, function)
		require.NotEmpty(t, c.GetTransactionId(), function)
		out = append(out, submitted{function, c.GetTransactionId()})
	}

	profile, err := apiv1.NewDirectoryServiceClient(gw(t, council, "admin")).SetProfile(ctx(t),
		&apiv1.SetProfileRequest{DisplayName: "Conseil " + uniqueID("R"), Kind: "city", Contact: "council@example.org"})
	add("Directory:SetProfile", profile.GetCommitted(), err)

	docs := func(user string) apiv1.DocumentsServiceClient { return documents(t, registry, user) }
	id, newID := uniqueID("RCPT-ALL"), uniqueID("RCPT-NEW")
	reg, err := docs("clerk").RegisterDocument(ctx(t), docRequest(id, apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT))
	add("Documents:Register", reg.GetCommitted(), err)
	set, err := docs("clerk").SetDocumentSubject(ctx(t), &apiv1.SetDocumentSubjectRequest{Id: id, SubjectJson: `{"salt":"5e1d","name":"Receipt Test"}`})
	add("Documents:SetSubject", set.GetCommitted(), err)
	purge, err := docs("admin").PurgeDocumentSubject(ctx(t), &apiv1.PurgeDocumentSubjectRequest{Id: id})
	add("Documents:PurgeSubject", purge.GetCommitted(), err)
	_, err = docs("clerk").RegisterDocument(ctx(t), docRequest(newID, apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT))
	require.NoError(t, err)
	sup, err := docs("approver").SupersedeDocument(ctx(t), &apiv1.SupersedeDocumentRequest{Id: id, NewId: newID})
	add("Documents:Supersede", sup.GetCommitted(), err)
	rev, err := docs("approver").RevokeDocument(ctx(t), &apiv1.RevokeDocumentRequest{Id: newID, Reason: "issued in error"})
	add("Documents:Revoke", rev.GetCommitted(), err)

	conv := func(user string) apiv1.ConvocationsServiceClient { return convClient(t, registry, user) }
	body, meeting := uniqueID("rcpt-body"), uniqueID("rcpt-meeting")
	five := int32(5)
	b, err := conv("admin").SetBody(ctx(t), &apiv1.SetBodyRequest{BodyId: body, Name: "Conseil", ClearDays: &five, TimeZone: "Europe/Paris"})
	add("Convocations:SetBody", b.GetCommitted(), err)
	m, err := conv("clerk").CreateMeeting(ctx(t), &apiv1.CreateMeetingRequest{MeetingId: meeting, BodyId: body,
		StartsAt: time.Now().AddDate(0, 0, 30).Format(time.RFC3339), Place: "Lorient", AgendaHashes: []string{convHash("agenda " + meeting)}})
	add("Convocations:CreateMeeting", m.GetCommitted(), err)
	recipients, tokens := convRecipients(meeting, 1)
	cv, err := conv("clerk").Convene(ctx(t), &apiv1.ConveneRequest{MeetingId: meeting, Recipients: recipients})
	add("Convocations:Convene", cv.GetCommitted(), err)
	ack, err := convClient(t, treasury, "clerk").Acknowledge(ctx(t), &apiv1.AcknowledgeRequest{
		OwnerMspId: registry, MeetingId: meeting, ConvocationId: cv.GetConvocationIds()[0], Token: tokens[0]})
	add("Convocations:Acknowledge", ack.GetCommitted(), err)

	now := time.Now().UTC()
	prog, err := subsidies(t, registry, "admin").CreateProgramme(ctx(t), &apiv1.CreateProgrammeRequest{
		ProgrammeId: uniqueID("P"), Name: "Heritage renovation", BudgetMinor: 10_000_000, Currency: "EUR", LegalBasis: "Council decision 2026-14",
		PeriodStart: now.AddDate(0, 0, -1).Format(time.DateOnly), PeriodEnd: now.AddDate(1, 0, 0).Format(time.DateOnly), DeMinimis: proto.Bool(true)})
	add("Subsidies:CreateProgramme", prog.GetCommitted(), err)
	propose := func() *apiv1.ProposeGrantResponse {
		resp, err := subsidies(t, registry, "clerk").ProposeGrant(ctx(t), &apiv1.ProposeGrantRequest{
			ProgrammeId: prog.GetProgramme().GetProgrammeId(), GrantId: uniqueID("G"), Beneficiary: uniqueBeneficiary(), AmountMinor: 100_000, Purpose: "Roof"})
		add("Subsidies:ProposeGrant", resp.GetCommitted(), err)
		return resp
	}
	g, rejected := propose().GetGrant(), propose().GetGrant()
	out = out[:len(out)-1] // one ProposeGrant is enough
	appr, err := subsidies(t, council, "approver").ApproveGrant(ctx(t), &apiv1.ApproveGrantRequest{GrantingMspId: registry, GrantId: g.GetGrantId()})
	add("Subsidies:ApproveGrant", appr.GetCommitted(), err)
	rej, err := subsidies(t, council, "approver").RejectGrant(ctx(t), &apiv1.RejectGrantRequest{GrantingMspId: registry, GrantId: rejected.GetGrantId(), Reason: "not an SME"})
	add("Subsidies:RejectGrant", rej.GetCommitted(), err)
	pay, err := subsidies(t, registry, "clerk").RecordPayment(ctx(t), &apiv1.RecordPaymentRequest{GrantingMspId: registry, GrantId: g.GetGrantId(), PaymentId: "PAY-1", AmountMinor: 1_000})
	add("Subsidies:RecordPayment", pay.GetCommitted(), err)

	perm := uniqueID("PERM-RCPT")
	offer, err := permissionsClient(t, registry, "approver").OfferPermission(ctx(t), permissionsOffer(perm))
	add("Permissions:Offer", offer.GetCommitted(), err)
	accept, err := permissionsClient(t, treasury, "approver").AcceptPermission(ctx(t), &apiv1.AcceptPermissionRequest{OwnerMspId: registry, PermissionId: perm})
	add("Permissions:Accept", accept.GetCommitted(), err)
	use, err := permissionsClient(t, treasury, "clerk").RecordUse(ctx(t), &apiv1.RecordUseRequest{
		OwnerMspId: registry, PermissionId: perm, SubjectRef: permissionsSubject(perm), Purpose: "housing aid file 1"})
	add("Permissions:RecordUse", use.GetCommitted(), err)
	revoke, err := permissionsClient(t, registry, "approver").RevokePermission(ctx(t), &apiv1.RevokePermissionRequest{OwnerMspId: registry, PermissionId: perm, Reason: "file closed"})
	add("Permissions:Revoke", revoke.GetCommitted(), err)

	anchor, _, err := anchorBatch(t, anchorsClient(t, registry, "clerk"), "receipts", randomHashes(t, 3))
	require.NoError(t, err)
	out = append(out, submitted{"Anchors:Anchor", anchor.GetTransactionId()})
	return out
}

// exportReceipt asks council's gateway for the receipt of txID, waiting
// for its peer to have committed the transaction.
func exportReceipt(t *testing.T, txID string) *apiv1.GetReceiptResponse {
	t.Helper()
	var resp *apiv1.GetReceiptResponse
	require.Eventually(t, func() bool {
		var err error
		resp, err = ledgerClient(t, council).GetReceipt(ctx(t), &apiv1.GetReceiptRequest{TransactionId: txID})
		if status.Code(err) == codes.NotFound {
			return false
		}
		require.NoError(t, err)
		return true
	}, 30*time.Second, 100*time.Millisecond, "receipt of %s", txID)
	return resp
}

func TestReceiptsOfEveryTransactionType(t *testing.T) {
	txs := submitOneOfEach(t)
	trustResp, err := ledgerClient(t, treasury).GetTrust(ctx(t), &apiv1.GetTrustRequest{})
	require.NoError(t, err)
	trust, err := receipt.ParseTrust(trustResp.Trust)
	require.NoError(t, err)

	for _, tx := range txs {
		t.Run("the receipt of "+tx.function+" verifies offline", func(t *testing.T) {
			exported := exportReceipt(t, tx.txID)
			require.True(t, exported.Valid, "the exporting gateway's checks: %v", exported.Checks)
			rc, err := receipt.Parse(exported.Receipt)
			require.NoError(t, err)
			rep := receipt.Verify(rc, trust)
			require.True(t, rep.Valid(), "checks: %+v", rep.Checks)
			require.Equal(t, tx.function, rep.Function)
			require.Equal(t, "VALID", rep.ValidationCode)
		})
	}

	t.Run("the receipt of a private-data write shows only hashes and names the issuer's policy", func(t *testing.T) {
		for _, tx := range txs {
			if tx.function != "Documents:SetSubject" {
				continue
			}
			rc, err := receipt.Parse(exportReceipt(t, tx.txID).Receipt)
			require.NoError(t, err)
			rep := receipt.Verify(rc, trust)
			require.NotEmpty(t, rep.PrivateWrites)
			require.Empty(t, rep.Writes, "SetSubject writes no public key")
			for _, c := range rep.Checks {
				if c.Name == receipt.CheckEndorsementPolicy {
					require.Contains(t, c.Detail, "_implicit_org_"+registry)
				}
			}
		}
	})
}
