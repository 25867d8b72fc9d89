package directory

import (
	"sort"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// Contract records the public profile of each administration on
// the network. Each administration can only write its own entry; anyone on
// the channel can read all of them.
type Contract struct {
	contractapi.Contract
}

// New returns the directory contract, using TxContext.
func New() *Contract {
	return &Contract{Contract: base.NewContract(spec.DirectoryContract, "CivicLedger directory of administrations")}
}

// GetEvaluateTransactions marks the read-only transactions for the metadata.
func (c *Contract) GetEvaluateTransactions() []string {
	return []string{"GetProfile", "ListProfiles"}
}

// SetProfile creates or replaces the profile of the caller's own
// administration; the MSP ID is never taken from the arguments. Only an
// admin may call it, and not once its administration has left (the
// departure stays on the profile). It emits EventProfileSet.
func (c *Contract) SetProfile(ctx *base.TxContext, displayName, kind, contact string) (*records.Profile, error) {
	caller, err := ctx.RequireRole(spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	p, err := newProfile(caller, at, displayName, kind, contact)
	if err != nil {
		return nil, err
	}
	existed, err := refuseDeparted(ctx, caller.MSPID)
	if err != nil {
		return nil, err
	}
	if err := putProfile(ctx, p); err != nil {
		return nil, err
	}
	if !existed {
		// A first profile: the administration now counts as a member.
		if err := base.SyncMembers(ctx, caller.MSPID, ""); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// GetProfile returns the profile of the administration mspID, or NOT_FOUND.
func (c *Contract) GetProfile(ctx *base.TxContext, mspID string) (*records.Profile, error) {
	if err := base.ValidateMSPID(mspID); err != nil {
		return nil, err
	}
	key, err := state.ProfileKey(ctx.GetStub(), mspID)
	if err != nil {
		return nil, base.Internal(err, "profile key")
	}
	var p records.Profile
	found, err := base.GetEntry(ctx, key, "profile of "+mspID, &p)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, base.NotFound("no profile for %s", mspID)
	}
	return &p, nil
}

// ListProfiles returns every profile, sorted by MSP ID.
func (c *Contract) ListProfiles(ctx *base.TxContext) ([]*records.Profile, error) {
	list, err := state.ListJSON[records.Profile](ctx.GetStub(), state.TypeProfile)
	if err != nil {
		return nil, base.Internal(err, "list profiles")
	}
	// Keys are already in MSP ID order; sorting keeps the result independent
	// of the state database's range order.
	sort.Slice(list, func(i, j int) bool { return list[i].MSPID < list[j].MSPID })
	return list, nil
}

// newProfile validates the arguments of SetProfile and builds the entry the
// caller is about to write.
func newProfile(caller base.Caller, at time.Time, displayName, kind, contact string) (*records.Profile, error) {
	displayName, err := base.NormalizeText("display name", displayName, spec.MaxDisplayName)
	if err != nil {
		return nil, err
	}
	if err := base.ValidateOneOf("kind", kind, spec.ProfileKinds); err != nil {
		return nil, err
	}
	contact, err = base.NormalizeText("contact", contact, spec.MaxProfileContact)
	if err != nil {
		return nil, err
	}
	return &records.Profile{
		MSPID:       caller.MSPID,
		DisplayName: displayName,
		Kind:        kind,
		Contact:     contact,
		UpdatedAt:   at.Format(time.RFC3339),
		UpdatedBy:   caller.ID,
	}, nil
}

// putProfile writes p under its MSP ID and emits EventProfileSet.
func putProfile(ctx *base.TxContext, p *records.Profile) error {
	stub := ctx.GetStub()
	key, err := state.ProfileKey(stub, p.MSPID)
	if err != nil {
		return base.Internal(err, "profile key")
	}
	if err := base.PutEntry(ctx, key, "profile of "+p.MSPID, p); err != nil {
		return err
	}
	return base.Emit(ctx, spec.EventProfileSet, p)
}
