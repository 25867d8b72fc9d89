package convocations

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// Contract anchors the convocations of elected officials: an
// administration defines its bodies and their legal notice rule, creates a
// meeting, convenes officials (sending time = transaction time, on-time flag
// from the rule), and each official's click on the link records the receipt
// once. The register (meetings and counts) holds no personal data.
//
// Every entry is keyed under the caller's own MSP ID, never an argument, so
// an administration can only write into its own range. Entries carry the
// owner-plus-one endorsement policy once written.
type Contract struct {
	contractapi.Contract
}

// New returns the convocations contract, using TxContext.
func New() *Contract {
	return &Contract{Contract: base.NewContract(spec.ConvocationsContract, "CivicLedger convocations of elected officials")}
}

// GetEvaluateTransactions marks the read-only transactions for the metadata.
func (c *Contract) GetEvaluateTransactions() []string {
	return []string{"GetBody", "GetMeeting", "GetConvocation", "Summary", "ListMeetings"}
}

// SetBody creates or replaces a body of the caller's administration from
// the JSON {id, name, clearDays, timeZone}. Only an admin may call it. A new
// rule applies to meetings created afterwards. It emits EventConvocationBodySet.
func (c *Contract) SetBody(ctx *base.TxContext, body string) (*records.ConvocationBody, error) {
	caller, err := ctx.RequireRole(spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	b, err := newConvocationBody(caller.MSPID, at, body)
	if err != nil {
		return nil, err
	}
	key, err := bodyKey(ctx, b.OwnerMSP, b.ID)
	if err != nil {
		return nil, err
	}
	policy, err := convOwnerPolicy(ctx, b.OwnerMSP)
	if err != nil {
		return nil, err
	}
	if err := putConvEntry(ctx, key, "body "+b.ID, b, policy); err != nil {
		return nil, err
	}
	if err := base.Emit(ctx, spec.EventConvocationBodySet, b); err != nil {
		return nil, err
	}
	return b, nil
}

// CreateMeeting records a meeting of one of the caller's bodies from the
// JSON {id, bodyId, startsAt, place, agendaHashes}; the meeting copies the
// body's rule and gets its deadline. A clerk or an admin may call it. It
// emits EventMeetingCreated.
func (c *Contract) CreateMeeting(ctx *base.TxContext, meeting string) (*records.Meeting, error) {
	caller, err := ctx.RequireRole(spec.RoleClerk, spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	in, startsAt, err := parseMeetingInput(meeting)
	if err != nil {
		return nil, err
	}
	if !startsAt.After(at) {
		return nil, base.InvalidArgument("startsAt %s is not after the transaction time %s", in.StartsAt, at.Format(time.RFC3339))
	}
	body, err := getConvBody(ctx, caller.MSPID, in.BodyID)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(body.TimeZone)
	if err != nil {
		return nil, base.Internal(err, "time zone of body %s", body.ID)
	}
	key, err := meetingKey(ctx, caller.MSPID, in.ID)
	if err != nil {
		return nil, err
	}
	if err := requireConvAbsent(ctx, key, "meeting "+in.ID); err != nil {
		return nil, err
	}
	m := &records.Meeting{
		OwnerMSP: caller.MSPID, ID: in.ID, BodyID: body.ID,
		StartsAt: startsAt.In(loc).Format(time.RFC3339Nano), Place: in.Place, AgendaHashes: in.AgendaHashes,
		TimeZone: body.TimeZone, ClearDays: body.ClearDays, Deadline: convDeadline(startsAt, loc, body.ClearDays),
		CreatedAt: at.Format(time.RFC3339Nano), CreatedTxID: ctx.GetStub().GetTxID(),
	}
	policy, err := convOwnerPolicy(ctx, m.OwnerMSP)
	if err != nil {
		return nil, err
	}
	if err := putConvEntry(ctx, key, "meeting "+m.ID, m, policy); err != nil {
		return nil, err
	}
	if err := base.Emit(ctx, spec.EventMeetingCreated, m); err != nil {
		return nil, err
	}
	return m, nil
}

// Convene anchors, at the transaction time, one convocation per element of
// the JSON list [{recipientRef, messageHash, ackTokenHash}] (1..500) to a
// meeting of the caller's administration, all or none. A clerk or an admin
// may call it. It emits one EventConvened with counts only.
func (c *Contract) Convene(ctx *base.TxContext, meetingID, recipients string) (*records.ConveneResult, error) {
	caller, err := ctx.RequireRole(spec.RoleClerk, spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if err := base.ValidateID("meetingId", meetingID); err != nil {
		return nil, err
	}
	list, err := parseRecipients(recipients)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	owner := caller.MSPID
	m, err := getMeeting(ctx, owner, meetingID)
	if err != nil {
		return nil, err
	}
	onTime, err := convSendingOnTime(m, at)
	if err != nil {
		return nil, err
	}
	keys, ids, err := newConvocationKeys(ctx, owner, meetingID, list)
	if err != nil {
		return nil, err
	}
	res := &records.ConveneResult{OwnerMSP: owner, MeetingID: meetingID, SentAt: at.Format(time.RFC3339Nano), ConvocationIDs: ids}
	policy, err := convOwnerPolicy(ctx, owner)
	if err != nil {
		return nil, err
	}
	for i, r := range list {
		conv := &records.Convocation{
			OwnerMSP: owner, MeetingID: meetingID, ID: res.ConvocationIDs[i],
			RecipientRef: r.RecipientRef, MessageHash: r.MessageHash, AckTokenHash: r.AckTokenHash,
			SentAt: res.SentAt, SentTxID: ctx.GetStub().GetTxID(), OnTime: onTime,
		}
		if err := putConvEntry(ctx, keys[i], "convocation "+conv.ID, conv, policy); err != nil {
			return nil, err
		}
	}
	res.Convened = len(list)
	if onTime {
		res.OnTime = len(list)
	} else {
		res.Late = len(list)
	}
	if err := base.Emit(ctx, spec.EventConvened, ConvenedEvent{
		OwnerMSP: owner, MeetingID: meetingID, SentAt: res.SentAt,
		Convened: res.Convened, OnTime: res.OnTime, Late: res.Late,
	}); err != nil {
		return nil, err
	}
	return res, nil
}

// Acknowledge records, once, the receipt of a convocation of ownerMSP when
// token hashes to its ackTokenHash. Any role of any administration may relay
// it (the official's click reaches the ledger through some gateway), and so
// may the transparency portal's identity (spec.RolePortal), for which it is
// the one write allowed. It reads and writes only that convocation's key. It
// emits EventAcknowledged.
func (c *Contract) Acknowledge(ctx *base.TxContext, ownerMSP, meetingID, convocationID, token string) (*records.Convocation, error) {
	caller, err := ctx.RequireRole(spec.RoleClerk, spec.RoleApprover, spec.RoleAdmin, spec.RolePortal)
	if err != nil {
		return nil, err
	}
	if err := validateConvocationRef(ownerMSP, meetingID, convocationID); err != nil {
		return nil, err
	}
	if token == "" {
		return nil, base.InvalidArgument("token is required")
	}
	if len(token) > spec.MaxAckTokenLength {
		return nil, base.InvalidArgument("token is too long: %d bytes, at most %d", len(token), spec.MaxAckTokenLength)
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	key, conv, err := getConvocation(ctx, ownerMSP, meetingID, convocationID)
	if err != nil {
		return nil, err
	}
	want, err := hex.DecodeString(conv.AckTokenHash)
	if err != nil {
		return nil, base.Internal(err, "stored token hash of convocation %s", convocationID)
	}
	got := sha256.Sum256([]byte(token))
	if subtle.ConstantTimeCompare(got[:], want) != 1 {
		return nil, base.PermissionDenied("token does not match convocation %s", convocationID)
	}
	if conv.AcknowledgedAt != "" {
		return nil, base.FailedPrecondition("convocation %s was already acknowledged at %s", convocationID, conv.AcknowledgedAt)
	}
	conv.AcknowledgedAt = at.Format(time.RFC3339Nano)
	conv.AcknowledgedVia = caller.MSPID
	conv.AcknowledgedTxID = ctx.GetStub().GetTxID()
	// The key keeps the endorsement policy set by Convene.
	if err := putConvEntry(ctx, key, "convocation "+convocationID, conv, nil); err != nil {
		return nil, err
	}
	if err := base.Emit(ctx, spec.EventAcknowledged, AcknowledgedEvent{
		OwnerMSP: ownerMSP, MeetingID: meetingID, ConvocationID: convocationID,
		AcknowledgedAt: conv.AcknowledgedAt, AcknowledgedVia: conv.AcknowledgedVia,
	}); err != nil {
		return nil, err
	}
	return conv, nil
}
