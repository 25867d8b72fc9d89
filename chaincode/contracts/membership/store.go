package membership

import (
	"time"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// loadProposal reads the proposal id (a valid id), nil when there is none.
func loadProposal(ctx *base.TxContext, id string) (string, *records.MembershipProposal, error) {
	key, err := state.MembershipProposalKey(ctx.GetStub(), id)
	if err != nil {
		return "", nil, base.Internal(err, "membership proposal key")
	}
	p := new(records.MembershipProposal)
	found, err := base.GetEntry(ctx, key, "membership proposal "+id, p)
	if err != nil || !found {
		return key, nil, err
	}
	return key, p, nil
}

// requireProposal validates id and reads its proposal, NOT_FOUND if none.
func requireProposal(ctx *base.TxContext, id string) (string, *records.MembershipProposal, error) {
	id, err := base.NormalizeHex64("proposal id", id)
	if err != nil {
		return "", nil, err
	}
	key, p, err := loadProposal(ctx, id)
	if err != nil {
		return "", nil, err
	}
	if p == nil {
		return "", nil, base.NotFound("no membership proposal %s", id)
	}
	return key, p, nil
}

// save writes p at key and emits event with it.
func save(ctx *base.TxContext, key string, p *records.MembershipProposal, event string) error {
	if err := base.PutEntry(ctx, key, "membership proposal "+p.ID, p); err != nil {
		return err
	}
	return base.Emit(ctx, event, p)
}

// listProposals reads one page of proposals, in id order.
func listProposals(ctx *base.TxContext, size int32, bookmark string) ([]*records.MembershipProposal, string, error) {
	return base.ListPage(ctx, "membership proposals", state.TypeMembershipProposal, nil, size, bookmark, state.DecodeJSON[records.MembershipProposal])
}

// expired tells whether an open proposal is past its expiry at time at. A
// stored expiry that does not parse counts as expired: nothing is signed
// against a proposal whose deadline is unknown.
func expired(p *records.MembershipProposal, at time.Time) bool {
	until, err := time.Parse(time.RFC3339Nano, p.ExpiresAt)
	return err != nil || !at.Before(until)
}

// derive returns p as an answer says it at time at: an open proposal past
// its expiry is expired.
func derive(p *records.MembershipProposal, at time.Time) *records.MembershipProposal {
	if p.Status == spec.MembershipOpen && expired(p, at) {
		p.Status = spec.MembershipExpired
	}
	return p
}
