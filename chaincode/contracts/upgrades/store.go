package upgrades

import (
	"strconv"
	"strings"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// proposeInput is the validated input of Propose.
type proposeInput struct{ records.UpgradeProposeInput }

// maxProposeInput is the largest Propose JSON (bytes).
const maxProposeInput = 1 << 10

// parseProposeInput decodes and validates the JSON argument of Propose.
func parseProposeInput(input string) (*proposeInput, error) {
	var in proposeInput
	if err := base.DecodeInput("upgrade proposal", input, maxProposeInput, &in.UpgradeProposeInput); err != nil {
		return nil, err
	}
	if err := base.ValidateShape("chaincode", in.Chaincode, spec.ChaincodeNamePattern, spec.ChaincodeNameShape); err != nil {
		return nil, err
	}
	if err := base.ValidateShape("version", in.Version, spec.ChaincodeVersionPattern, spec.ChaincodeVersionShape); err != nil {
		return nil, err
	}
	if err := base.ValidateShape("packageId", in.PackageID, spec.PackageIDPattern, spec.PackageIDShape); err != nil {
		return nil, err
	}
	if in.Sequence < 1 {
		return nil, base.InvalidArgument("sequence must be a positive number, got %d", in.Sequence)
	}
	return &in, nil
}

// parseID splits the proposal id "<chaincode>-<sequence>".
func parseID(id string) (chaincode string, sequence int64, err error) {
	i := strings.LastIndexByte(id, '-')
	if i > 0 {
		chaincode = id[:i]
		sequence, err = strconv.ParseInt(id[i+1:], 10, 64)
	}
	if i <= 0 || err != nil || sequence < 1 || !spec.ChaincodeNamePattern.MatchString(chaincode) || spec.UpgradeID(chaincode, sequence) != id {
		return "", 0, base.InvalidArgument("upgrade id %q is malformed: <chaincode>-<sequence>, e.g. civic-2", base.Clip(id))
	}
	return chaincode, sequence, nil
}

// loadProposal reads the proposal of chaincode at sequence, nil when there
// is none.
func loadProposal(ctx *base.TxContext, chaincode string, sequence int64) (string, *records.UpgradeProposal, error) {
	key, err := state.UpgradeProposalKey(ctx.GetStub(), chaincode, sequence)
	if err != nil {
		return "", nil, base.Internal(err, "upgrade proposal key")
	}
	p := new(records.UpgradeProposal)
	found, err := base.GetEntry(ctx, key, "upgrade proposal "+spec.UpgradeID(chaincode, sequence), p)
	if err != nil || !found {
		return key, nil, err
	}
	return key, p, nil
}

// requireProposal validates id and reads its proposal, NOT_FOUND if none.
func requireProposal(ctx *base.TxContext, id string) (string, *records.UpgradeProposal, error) {
	chaincode, sequence, err := parseID(id)
	if err != nil {
		return "", nil, err
	}
	key, p, err := loadProposal(ctx, chaincode, sequence)
	if err != nil {
		return "", nil, err
	}
	if p == nil {
		return "", nil, base.NotFound("no upgrade proposal %s", id)
	}
	return key, p, nil
}

// save writes p at key and emits event with it.
func save(ctx *base.TxContext, key string, p *records.UpgradeProposal, event string) error {
	if err := base.PutEntry(ctx, key, "upgrade proposal "+p.ID, p); err != nil {
		return err
	}
	return base.Emit(ctx, event, p)
}

// lastCommitted is the sequence of chaincode's last definition that an
// upgrade proposal committed, 0 if none.
func lastCommitted(ctx *base.TxContext, chaincode string) (int64, error) {
	key, err := state.UpgradeCommittedKey(ctx.GetStub(), chaincode)
	if err != nil {
		return 0, base.Internal(err, "committed sequence key")
	}
	var seq int64
	if _, err := base.GetEntry(ctx, key, "committed sequence of "+chaincode, &seq); err != nil {
		return 0, err
	}
	return seq, nil
}

// recordCommitted makes p's sequence the last committed one.
func recordCommitted(ctx *base.TxContext, p *records.UpgradeProposal) error {
	key, err := state.UpgradeCommittedKey(ctx.GetStub(), p.Chaincode)
	if err != nil {
		return base.Internal(err, "committed sequence key")
	}
	return base.PutEntry(ctx, key, "committed sequence of "+p.Chaincode, p.Sequence)
}

// listProposals reads one page of proposals, in key order.
func listProposals(ctx *base.TxContext, size int32, bookmark string) ([]*records.UpgradeProposal, string, error) {
	return base.ListPage(ctx, "upgrade proposals", state.TypeUpgradeProposal, nil, size, bookmark, state.DecodeJSON[records.UpgradeProposal])
}
