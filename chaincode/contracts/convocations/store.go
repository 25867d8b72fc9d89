package convocations

import (
	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// putConvEntry writes v at key and, if policy is not nil, attaches it as the
// key's endorsement policy.
func putConvEntry(ctx *base.TxContext, key, what string, v any, policy []byte) error {
	if err := base.PutEntry(ctx, key, what, v); err != nil {
		return err
	}
	if policy == nil {
		return nil
	}
	return base.SetKeyPolicy(ctx, key, policy)
}

// convOwnerPolicy is the endorsement policy of the owner's convocation
// entries: its peer plus one other administration's, so that no coalition
// of other administrations can rewrite a convocation or its receipt.
func convOwnerPolicy(ctx *base.TxContext, owner string) ([]byte, error) {
	members, err := base.MemberMSPs(ctx)
	if err != nil {
		return nil, err
	}
	return base.PolicyOwnerPlusOne(owner, members)
}

// bodyKey returns the key of body bodyID of owner.
func bodyKey(ctx *base.TxContext, owner, bodyID string) (string, error) {
	key, err := state.ConvocationBodyKey(ctx.GetStub(), owner, bodyID)
	if err != nil {
		return "", base.Internal(err, "body key")
	}
	return key, nil
}

// requireConvAbsent fails with ALREADY_EXISTS if key holds a value.
func requireConvAbsent(ctx *base.TxContext, key, what string) error {
	raw, err := ctx.GetStub().GetState(key)
	if err != nil {
		return base.Internal(err, "read %s", what)
	}
	if raw != nil {
		return base.AlreadyExists("%s already exists", what)
	}
	return nil
}

// getConvBody reads body bodyID of owner, or NOT_FOUND.
func getConvBody(ctx *base.TxContext, owner, bodyID string) (*records.ConvocationBody, error) {
	key, err := bodyKey(ctx, owner, bodyID)
	if err != nil {
		return nil, err
	}
	var b records.ConvocationBody
	found, err := base.GetEntry(ctx, key, "body "+bodyID+" of "+owner, &b)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, base.NotFound("no body %s in administration %s", bodyID, owner)
	}
	return &b, nil
}

// meetingKey returns the key of meeting meetingID of owner.
func meetingKey(ctx *base.TxContext, owner, meetingID string) (string, error) {
	key, err := state.MeetingKey(ctx.GetStub(), owner, meetingID)
	if err != nil {
		return "", base.Internal(err, "meeting key")
	}
	return key, nil
}

// getMeeting reads meeting meetingID of owner, or NOT_FOUND.
func getMeeting(ctx *base.TxContext, owner, meetingID string) (*records.Meeting, error) {
	key, err := meetingKey(ctx, owner, meetingID)
	if err != nil {
		return nil, err
	}
	var m records.Meeting
	found, err := base.GetEntry(ctx, key, "meeting "+meetingID+" of "+owner, &m)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, base.NotFound("no meeting %s in administration %s", meetingID, owner)
	}
	return &m, nil
}

// convocationKey returns the key of a convocation.
func convocationKey(ctx *base.TxContext, owner, meetingID, id string) (string, error) {
	key, err := state.ConvocationKey(ctx.GetStub(), owner, meetingID, id)
	if err != nil {
		return "", base.Internal(err, "convocation key")
	}
	return key, nil
}

// getConvocation reads a convocation and returns it with its key, or
// NOT_FOUND.
func getConvocation(ctx *base.TxContext, owner, meetingID, id string) (string, *records.Convocation, error) {
	key, err := convocationKey(ctx, owner, meetingID, id)
	if err != nil {
		return "", nil, err
	}
	var conv records.Convocation
	found, err := base.GetEntry(ctx, key, "convocation "+id, &conv)
	if err != nil {
		return "", nil, err
	}
	if !found {
		return "", nil, base.NotFound("no convocation %s to meeting %s of administration %s", id, meetingID, owner)
	}
	return key, &conv, nil
}

// newConvocationKeys derives the IDs and keys of the convocations of list
// to a meeting and fails with ALREADY_EXISTS if one is on the ledger. It
// only reads, as a peer's reads do not see the transaction's own writes; its
// point reads (no range) keep concurrent batches to the same meeting, and
// acknowledgements, from invalidating each other.
func newConvocationKeys(ctx *base.TxContext, owner, meetingID string, list []records.ConveneRecipient) (keys, ids []string, err error) {
	keys, ids = make([]string, len(list)), make([]string, len(list))
	for i, r := range list {
		ids[i] = spec.ConvocationID(owner, meetingID, r.RecipientRef)
		if keys[i], err = convocationKey(ctx, owner, meetingID, ids[i]); err != nil {
			return nil, nil, err
		}
		raw, err := ctx.GetStub().GetState(keys[i])
		if err != nil {
			return nil, nil, base.Internal(err, "read convocation %s", ids[i])
		}
		if raw != nil {
			return nil, nil, base.AlreadyExists("recipients[%d] is already convened to meeting %s (convocation %s)", i, meetingID, ids[i])
		}
	}
	return keys, ids, nil
}

// convCounts are the register counts of one meeting.
type convCounts struct {
	convened, acknowledged, onTime int
}

// countConvocations reads the range of a meeting's convocations. Counting at
// read time, instead of keeping counters in the meeting, keeps the meeting
// key out of every Convene and Acknowledge write set: acknowledgements of
// different officials touch disjoint keys and never conflict.
func countConvocations(ctx *base.TxContext, owner, meetingID string) (convCounts, error) {
	type receipt struct {
		OnTime         bool   `json:"onTime"`
		AcknowledgedAt string `json:"acknowledgedAt"`
	}
	list, err := state.ListJSON[receipt](ctx.GetStub(), state.TypeConvocation, owner, meetingID)
	if err != nil {
		return convCounts{}, base.Internal(err, "list convocations of meeting %s", meetingID)
	}
	c := convCounts{convened: len(list)}
	for _, r := range list {
		if r.OnTime {
			c.onTime++
		}
		if r.AcknowledgedAt != "" {
			c.acknowledged++
		}
	}
	return c, nil
}
