package membership

import (
	"slices"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// applicationGroup is the channel config group of the administrations'
// organizations, where an update adds or deletes one.
const applicationGroup = "Application"

// checkUpdate refuses, as INVALID_ARGUMENT, an update that is not for
// channel or does not do what kind says to subject. As Fabric (and
// fabric-config's ComputeUpdate) computes an update: an add writes the
// subject's organization (with its values, the MSP among them) into the
// Application group, whose read set lacks it; a remove writes a newer
// version of that group without the subject, which deletes it (the read
// set names the organizations that stay, not the one that goes), and must
// keep every other member in it, or it would remove them too.
// Organizations are named by their MSP ID, as network/channel.go and
// network/configupdate write them; members are the network's member
// administrations (base.MemberMSPs).
func checkUpdate(u *common.ConfigUpdate, kind, subject, channel string, members []string) error {
	if u.GetChannelId() != channel {
		return base.InvalidArgument("the update is for channel %q, this chaincode runs on channel %q", base.Clip(u.GetChannelId()), channel)
	}
	read := u.GetReadSet().GetGroups()[applicationGroup]
	write := u.GetWriteSet().GetGroups()[applicationGroup]
	if write == nil {
		return base.InvalidArgument("the update does not change the %s group, where administrations are members", applicationGroup)
	}
	_, inRead := read.GetGroups()[subject]
	org, inWrite := write.GetGroups()[subject]
	switch kind {
	case spec.MembershipAdd:
		if inRead || !inWrite || len(org.GetValues()) == 0 {
			return base.InvalidArgument("an add of %s must write its organization, with its MSP, into the %s group", subject, applicationGroup)
		}
	case spec.MembershipRevocationList:
		if !inRead || !inWrite || org.GetValues()["MSP"] == nil || len(write.GetGroups()) != 1 {
			return base.InvalidArgument("a revocation list of %s must change its organization's MSP, and no other organization, in the %s group", subject, applicationGroup)
		}
	case spec.MembershipRemove:
		if inWrite || read == nil || write.GetVersion() <= read.GetVersion() {
			return base.InvalidArgument("a remove of %s must delete its organization from the %s group", subject, applicationGroup)
		}
		for _, m := range members {
			if _, kept := write.GetGroups()[m]; !kept && m != subject {
				return base.InvalidArgument("a remove of %s must keep the other members in the %s group, and it drops %s", subject, applicationGroup, m)
			}
		}
	}
	return nil
}

// checkSubject refuses adding a member (ALREADY_EXISTS) or removing a
// non-member (NOT_FOUND); members are the administrations with a directory
// profile.
func checkSubject(kind, subject string, members []string) error {
	member := slices.Contains(members, subject)
	switch {
	case kind == spec.MembershipAdd && member:
		return base.AlreadyExists("administration %s is already a member of the network", subject)
	case (kind == spec.MembershipRemove || kind == spec.MembershipRevocationList) && !member:
		return base.NotFound("administration %s is not a member of the network (members: %v)", subject, members)
	}
	return nil
}
