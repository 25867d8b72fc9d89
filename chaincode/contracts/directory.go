package contracts

import (
	"sort"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/state"
)

// DirectoryContractName prefixes the directory's transaction names, as in
// "Directory:SetProfile".
const DirectoryContractName = "Directory"

// EventProfileSet is emitted with the JSON Profile as payload whenever an
// administration publishes its profile.
const EventProfileSet = "directory.ProfileSet"

// Length limits, in characters, of profile fields.
const (
	maxDisplayName = 200
	maxContact     = 200
)

// ProfileKinds are the kinds of administration a profile may declare.
var ProfileKinds = []string{"agency", "city", "ministry", "department", "region", "other"}

// DirectoryContract records the public profile of each administration on
// the network. Each administration can only write its own entry; anyone on
// the channel can read all of them.
type DirectoryContract struct {
	contractapi.Contract
}

// NewDirectoryContract returns the directory contract, using TxContext.
func NewDirectoryContract() *DirectoryContract {
	return &DirectoryContract{Contract: newContract(DirectoryContractName, "CivicLedger directory of administrations")}
}

// GetEvaluateTransactions marks the read-only transactions for the metadata.
func (c *DirectoryContract) GetEvaluateTransactions() []string {
	return []string{"GetProfile", "ListProfiles"}
}

// SetProfile creates or replaces the profile of the caller's own
// administration; the MSP ID is never taken from the arguments. Only an
// admin may call it. It emits EventProfileSet.
func (c *DirectoryContract) SetProfile(ctx *TxContext, displayName, kind, contact string) (*records.Profile, error) {
	caller, err := ctx.RequireRole(RoleAdmin)
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
	if err := putProfile(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// GetProfile returns the profile of the administration mspID, or NOT_FOUND.
func (c *DirectoryContract) GetProfile(ctx *TxContext, mspID string) (*records.Profile, error) {
	if err := validateMSPID(mspID); err != nil {
		return nil, err
	}
	key, err := state.ProfileKey(ctx.GetStub(), mspID)
	if err != nil {
		return nil, Internal(err, "profile key")
	}
	var p records.Profile
	found, err := getEntry(ctx, key, "profile of "+mspID, &p)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, NotFound("no profile for %s", mspID)
	}
	return &p, nil
}

// ListProfiles returns every profile, sorted by MSP ID.
func (c *DirectoryContract) ListProfiles(ctx *TxContext) ([]*records.Profile, error) {
	list, err := state.ListJSON[records.Profile](ctx.GetStub(), state.TypeProfile)
	if err != nil {
		return nil, Internal(err, "list profiles")
	}
	// Keys are already in MSP ID order; sorting keeps the result independent
	// of the state database's range order.
	sort.Slice(list, func(i, j int) bool { return list[i].MSPID < list[j].MSPID })
	return list, nil
}

// newProfile validates the arguments of SetProfile and builds the entry the
// caller is about to write.
func newProfile(caller Caller, at time.Time, displayName, kind, contact string) (*records.Profile, error) {
	displayName, err := normalizeText("display name", displayName, maxDisplayName)
	if err != nil {
		return nil, err
	}
	if err := validateOneOf("kind", kind, ProfileKinds); err != nil {
		return nil, err
	}
	contact, err = normalizeText("contact", contact, maxContact)
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
func putProfile(ctx *TxContext, p *records.Profile) error {
	stub := ctx.GetStub()
	key, err := state.ProfileKey(stub, p.MSPID)
	if err != nil {
		return Internal(err, "profile key")
	}
	if err := putEntry(ctx, key, "profile of "+p.MSPID, p); err != nil {
		return err
	}
	return emit(ctx, EventProfileSet, p)
}
