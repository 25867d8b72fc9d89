package configupdate

import (
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// apply returns the configuration the orderer makes of current and an
// update: every element of the write set whose version changed replaces
// the current one, and a group whose version changed has exactly the
// write set's children (so removed organizations are gone). Versions are
// the write set's, as in Fabric's config validator; the sequence is +1.
func apply(current *common.Config, update *common.ConfigUpdate) *common.Config {
	return &common.Config{
		Sequence:     current.GetSequence() + 1,
		ChannelGroup: applyGroup(current.GetChannelGroup(), update.GetWriteSet()),
	}
}

func applyGroup(cur, write *common.ConfigGroup) *common.ConfigGroup {
	if write == nil {
		return proto.Clone(cur).(*common.ConfigGroup)
	}
	out := &common.ConfigGroup{
		Version: write.GetVersion(), ModPolicy: write.GetModPolicy(),
		Groups: map[string]*common.ConfigGroup{}, Values: map[string]*common.ConfigValue{}, Policies: map[string]*common.ConfigPolicy{},
	}
	if cur != nil && cur.GetVersion() == write.GetVersion() {
		// Unchanged group: its children stay, only those written change.
		out = proto.Clone(cur).(*common.ConfigGroup)
	}
	for k, w := range write.GetGroups() {
		out.Groups[k] = applyGroup(cur.GetGroups()[k], w)
	}
	for k, w := range write.GetValues() {
		if c, ok := cur.GetValues()[k]; ok && c.GetVersion() == w.GetVersion() {
			out.Values[k] = proto.Clone(c).(*common.ConfigValue)
		} else {
			out.Values[k] = proto.Clone(w).(*common.ConfigValue)
		}
	}
	for k, w := range write.GetPolicies() {
		if c, ok := cur.GetPolicies()[k]; ok && c.GetVersion() == w.GetVersion() {
			out.Policies[k] = proto.Clone(c).(*common.ConfigPolicy)
		} else {
			out.Policies[k] = proto.Clone(w).(*common.ConfigPolicy)
		}
	}
	return out
}
