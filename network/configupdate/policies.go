package configupdate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
)

// RequiredPolicies lists the absolute paths of the policies an update must
// satisfy, found as Fabric's config validator finds them: every element of
// the write set whose version differs from the read set's and that exists
// in the current configuration needs that element's mod_policy (relative to
// the group itself for a group, to its group for a value or policy); new
// elements need only their parent's. Adding or removing an administration
// needs /Channel/Application/Admins and /Channel/Orderer/Admins. A read set
// whose versions are not the current ones is ErrStaleUpdate.
func RequiredPolicies(current *common.Config, update *common.ConfigUpdate) ([]string, error) {
	need := map[string]bool{}
	if err := walk(current.GetChannelGroup(), update.GetReadSet(), update.GetWriteSet(), "/Channel", need); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(need))
	for p := range need {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

// versioned is what config groups, values and policies have in common.
type versioned interface {
	GetVersion() uint64
	GetModPolicy() string
}

// walk compares one group of the write set with the read set and the
// current configuration; path is the group's absolute path.
func walk(cur, read, write *common.ConfigGroup, path string, need map[string]bool) error {
	if write == nil {
		return nil
	}
	if err := element(cur, read, write, path, path, need); err != nil {
		return err
	}
	for k, w := range write.GetValues() {
		if err := element(cur.GetValues()[k], read.GetValues()[k], w, path+"/"+k, path, need); err != nil {
			return err
		}
	}
	for k, w := range write.GetPolicies() {
		if err := element(cur.GetPolicies()[k], read.GetPolicies()[k], w, path+"/"+k, path, need); err != nil {
			return err
		}
	}
	for k, w := range write.GetGroups() {
		if err := walk(cur.GetGroups()[k], read.GetGroups()[k], w, path+"/"+k, need); err != nil {
			return err
		}
	}
	return nil
}

// element records the mod policy one element needs; base is the path its
// relative mod_policy resolves against. Nil interfaces hide typed nils, so
// presence is checked through the version holders' concrete values.
func element[T versioned](cur, read, write T, path, base string, need map[string]bool) error {
	curOK, readOK := !isNil(cur), !isNil(read)
	if readOK && (!curOK || read.GetVersion() != cur.GetVersion()) {
		return fmt.Errorf("%w: %s was read at version %d, the current configuration has it at %d; compute the update again", ErrStaleUpdate, path, read.GetVersion(), cur.GetVersion())
	}
	if readOK && read.GetVersion() == write.GetVersion() {
		return nil // unchanged
	}
	if !curOK {
		if write.GetVersion() != 0 {
			return fmt.Errorf("%w: %s is new but has version %d", ErrInvalidUpdate, path, write.GetVersion())
		}
		return nil // new: authorised by its parent's change
	}
	if write.GetVersion() != cur.GetVersion()+1 {
		return fmt.Errorf("%w: %s goes from version %d to %d, want %d", ErrStaleUpdate, path, cur.GetVersion(), write.GetVersion(), cur.GetVersion()+1)
	}
	mod := cur.GetModPolicy()
	switch {
	case mod == "":
		return fmt.Errorf("%w: %s has no mod policy and cannot be changed", ErrInvalidUpdate, path)
	case strings.HasPrefix(mod, "/"):
		need[mod] = true
	default:
		need[base+"/"+mod] = true
	}
	return nil
}

func isNil[T versioned](v T) bool {
	switch x := any(v).(type) {
	case *common.ConfigGroup:
		return x == nil
	case *common.ConfigValue:
		return x == nil
	case *common.ConfigPolicy:
		return x == nil
	}
	return false
}
