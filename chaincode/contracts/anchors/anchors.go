package anchors

import (
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// Contract is the register of anchored Merkle roots. Anchors are
// immutable: there is no transaction to change or delete one, so the
// channel's default endorsement policy (MAJORITY) covers the only write.
type Contract struct {
	contractapi.Contract
}

// New returns the anchors contract, using TxContext.
func New() *Contract {
	return &Contract{Contract: base.NewContract(spec.AnchorsContract, "CivicLedger register of anchored Merkle roots")}
}

// GetEvaluateTransactions marks the read-only transactions for the metadata.
func (c *Contract) GetEvaluateTransactions() []string {
	return []string{"Get"}
}

// Anchor records the root of a batch from the JSON input {"root","size",
// "label"}: root 64 lowercase hex digits, size 1 to MaxAnchorSize, label
// optional (at most 200 characters). Clerks, approvers and admins may call
// it. A root anchored before is ALREADY_EXISTS. It emits EventAnchorRecorded.
func (c *Contract) Anchor(ctx *base.TxContext, input string) (*records.Anchor, error) {
	caller, err := ctx.RequireRole(spec.RoleClerk, spec.RoleApprover, spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	in, err := parseAnchorInput(input)
	if err != nil {
		return nil, err
	}
	key, err := state.AnchorKey(ctx.GetStub(), in.Root)
	if err != nil {
		return nil, base.Internal(err, "anchor key")
	}
	var old records.Anchor
	if found, err := base.GetEntry(ctx, key, "anchor "+in.Root, &old); err != nil {
		return nil, err
	} else if found {
		return nil, base.AlreadyExists("root %s is already anchored (size %d, by %s at %s)", in.Root, old.Size, old.AnchoredBy, old.AnchoredAt)
	}
	a := &records.Anchor{
		Root: in.Root, Size: in.Size, Label: in.Label, AnchoredBy: caller.MSPID,
		AnchoredAt: at.Format(time.RFC3339Nano), TxID: ctx.GetStub().GetTxID(),
	}
	if err := base.PutEntry(ctx, key, "anchor "+in.Root, a); err != nil {
		return nil, err
	}
	if err := base.Emit(ctx, spec.EventAnchorRecorded, a); err != nil {
		return nil, err
	}
	return a, nil
}

// Get returns the anchor of root, NOT_FOUND when root was never anchored.
// Any member may read it.
func (c *Contract) Get(ctx *base.TxContext, root string) (*records.Anchor, error) {
	root, err := base.NormalizeHex64("root", root)
	if err != nil {
		return nil, err
	}
	key, err := state.AnchorKey(ctx.GetStub(), root)
	if err != nil {
		return nil, base.Internal(err, "anchor key")
	}
	a := new(records.Anchor)
	found, err := base.GetEntry(ctx, key, "anchor "+root, a)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, base.NotFound("root %s is not anchored", root)
	}
	return a, nil
}
