package directory

import (
	"time"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/state"
)

// RecordDeparture marks the profile of mspID as left at the config block
// that removed it from the channel: the profile stays readable (its past
// documents and grants keep a named issuer) but mspID no longer counts as
// a member (base.MemberMSPs). An administration without a profile has
// nothing to mark. The Membership contract calls it when it records an
// applied removal; it emits no event (the caller emits its own).
func RecordDeparture(ctx *base.TxContext, mspID string, at time.Time, configBlock uint64) error {
	if err := updateProfile(ctx, mspID, func(p *records.Profile) {
		p.LeftAt, p.LeftConfigBlock = base.FormatTime(at), configBlock
	}); err != nil {
		return err
	}
	return base.SyncMembers(ctx, "", mspID)
}

// RecordReturn clears the departure of mspID when an update adding it
// again is applied, so that it counts as a member once more.
func RecordReturn(ctx *base.TxContext, mspID string) error {
	found := false
	if err := updateProfile(ctx, mspID, func(p *records.Profile) {
		p.LeftAt, p.LeftConfigBlock, found = "", 0, true
	}); err != nil {
		return err
	}
	if !found {
		return nil // it counts once it publishes a profile
	}
	return base.SyncMembers(ctx, mspID, "")
}

// updateProfile applies change to mspID's profile, if there is one.
func updateProfile(ctx *base.TxContext, mspID string, change func(*records.Profile)) error {
	key, err := state.ProfileKey(ctx.GetStub(), mspID)
	if err != nil {
		return base.Internal(err, "profile key")
	}
	var p records.Profile
	found, err := base.GetEntry(ctx, key, "profile of "+mspID, &p)
	if err != nil || !found {
		return err
	}
	change(&p)
	return base.PutEntry(ctx, key, "profile of "+mspID, &p)
}

// refuseDeparted refuses a change of mspID's own profile once it has left:
// its peers are no longer in the channel, so this only guards the record.
// It tells whether mspID has a profile.
func refuseDeparted(ctx *base.TxContext, mspID string) (bool, error) {
	key, err := state.ProfileKey(ctx.GetStub(), mspID)
	if err != nil {
		return false, base.Internal(err, "profile key")
	}
	var p records.Profile
	found, err := base.GetEntry(ctx, key, "profile of "+mspID, &p)
	if err != nil {
		return false, err
	}
	if found && p.LeftAt != "" {
		return true, base.PermissionDenied("administration %s left the network at config block %d (%s): its profile is kept as it was", mspID, p.LeftConfigBlock, p.LeftAt)
	}
	return found, nil
}
