package contracts

import (
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/state"
)

// AnchorsContractName prefixes the anchors register's transaction names, as
// in "Anchors:Anchor".
const AnchorsContractName = "Anchors"

// EventAnchorRecorded is emitted by Anchor; its payload is the Anchor.
const EventAnchorRecorded = "anchors.Recorded"

// MaxAnchorSize is the largest batch a root may stand for. It repeats
// gateway/proofs/merkle.MaxLeaves (2^20), which the chaincode does not
// import: the chaincode must not depend on the gateway's packages.
const MaxAnchorSize = 1 << 20

// AnchorsContract is the register of anchored Merkle roots. Anchors are
// immutable: there is no transaction to change or delete one, so the
// channel's default endorsement policy (MAJORITY) covers the only write.
type AnchorsContract struct {
	contractapi.Contract
}

// NewAnchorsContract returns the anchors contract, using TxContext.
func NewAnchorsContract() *AnchorsContract {
	return &AnchorsContract{Contract: newContract(AnchorsContractName, "CivicLedger register of anchored Merkle roots")}
}

// GetEvaluateTransactions marks the read-only transactions for the metadata.
func (c *AnchorsContract) GetEvaluateTransactions() []string {
	return []string{"Get"}
}

// Anchor records the root of a batch from the JSON input {"root","size",
// "label"}: root 64 lowercase hex digits, size 1 to MaxAnchorSize, label
// optional (at most 200 characters). Clerks, approvers and admins may call
// it. A root anchored before is ALREADY_EXISTS. It emits EventAnchorRecorded.
func (c *AnchorsContract) Anchor(ctx *TxContext, input string) (*records.Anchor, error) {
	caller, err := ctx.RequireRole(RoleClerk, RoleApprover, RoleAdmin)
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
		return nil, Internal(err, "anchor key")
	}
	var old records.Anchor
	if found, err := getEntry(ctx, key, "anchor "+in.Root, &old); err != nil {
		return nil, err
	} else if found {
		return nil, AlreadyExists("root %s is already anchored (size %d, by %s at %s)", in.Root, old.Size, old.AnchoredBy, old.AnchoredAt)
	}
	a := &records.Anchor{
		Root: in.Root, Size: in.Size, Label: in.Label, AnchoredBy: caller.MSPID,
		AnchoredAt: at.Format(time.RFC3339Nano), TxID: ctx.GetStub().GetTxID(),
	}
	if err := putEntry(ctx, key, "anchor "+in.Root, a); err != nil {
		return nil, err
	}
	if err := emit(ctx, EventAnchorRecorded, a); err != nil {
		return nil, err
	}
	return a, nil
}

// Get returns the anchor of root, NOT_FOUND when root was never anchored.
// Any member may read it.
func (c *AnchorsContract) Get(ctx *TxContext, root string) (*records.Anchor, error) {
	if err := validateHex64("root", root); err != nil {
		return nil, err
	}
	key, err := state.AnchorKey(ctx.GetStub(), root)
	if err != nil {
		return nil, Internal(err, "anchor key")
	}
	a := new(records.Anchor)
	found, err := getEntry(ctx, key, "anchor "+root, a)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, NotFound("root %s is not anchored", root)
	}
	return a, nil
}
