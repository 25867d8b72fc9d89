package base

import (
	"encoding/json"
	"slices"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/state"
)

// GetEntry reads the JSON entry at key into v; what names it in errors. It
// reports found=false only when the key has no value: a failed read or an
// undecodable value is INTERNAL, never "not found".
func GetEntry(ctx *TxContext, key, what string, v any) (found bool, err error) {
	found, err = state.GetJSON(ctx.GetStub(), key, v)
	if err != nil {
		return false, Internal(err, "read %s", what)
	}
	return found, nil
}

// PutEntry writes v as JSON at key; what names it in errors.
func PutEntry(ctx *TxContext, key, what string, v any) error {
	if err := state.PutJSON(ctx.GetStub(), key, v); err != nil {
		return Internal(err, "write %s", what)
	}
	return nil
}

// Emit sets the transaction's chaincode event: name with the JSON of payload.
// A peer keeps only the last event a transaction sets, so each transaction
// emits exactly one, after all its writes succeeded.
func Emit(ctx *TxContext, name string, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return Internal(err, "encode %s event", name)
	}
	if err := ctx.GetStub().SetEvent(name, b); err != nil {
		return Internal(err, "emit %s event", name)
	}
	return nil
}

// MemberMSPs lists the administrations of the network, sorted: those that
// have published a profile in the directory (every administration does so
// when it joins) and have not left (a removed one's profile stays, with
// leftAt). Rules that need "another administration" use it.
//
// It reads the member list the directory keeps in one entry (SyncMembers),
// written only when an administration joins or leaves: a transaction that
// needs the members then reads one key, and is not invalidated
// (PHANTOM_READ_CONFLICT) when an administration changes its profile's
// contact beside it, as it was when this read every profile. A ledger
// written before the list existed has none until the next join, leave or
// first profile; until then the profiles are read.
func MemberMSPs(ctx *TxContext) ([]string, error) {
	key, err := state.MembersKey(ctx.GetStub())
	if err != nil {
		return nil, Internal(err, "member list key")
	}
	var members []string
	found, err := GetEntry(ctx, key, "member list", &members)
	if err != nil {
		return nil, err
	}
	if found {
		return members, nil
	}
	return membersFromProfiles(ctx)
}

// SyncMembers writes the member list from the profiles, counting add as a
// member and remove as not: a transaction does not see its own writes, so
// the profile it creates, or the departure it records, is named here.
func SyncMembers(ctx *TxContext, add, remove string) error {
	members, err := membersFromProfiles(ctx)
	if err != nil {
		return err
	}
	if add != "" && !slices.Contains(members, add) {
		members = append(members, add)
	}
	members = slices.DeleteFunc(members, func(m string) bool { return m == remove })
	slices.Sort(members)
	key, err := state.MembersKey(ctx.GetStub())
	if err != nil {
		return Internal(err, "member list key")
	}
	return PutEntry(ctx, key, "member list", members)
}

// membersFromProfiles is MemberMSPs read from every profile.
func membersFromProfiles(ctx *TxContext) ([]string, error) {
	list, err := state.ListJSON[records.Profile](ctx.GetStub(), state.TypeProfile)
	if err != nil {
		return nil, Internal(err, "list member administrations")
	}
	out := make([]string, 0, len(list))
	for _, p := range list {
		if p.LeftAt == "" {
			out = append(out, p.MSPID)
		}
	}
	slices.Sort(out)
	return out, nil
}

// RequireMember fails with NOT_FOUND unless mspID is a member administration.
func RequireMember(ctx *TxContext, mspID string) error {
	if err := ValidateMSPID(mspID); err != nil {
		return err
	}
	members, err := MemberMSPs(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(members, mspID) {
		return NotFound("administration %s is not a member of the network", mspID)
	}
	return nil
}
