package fabric

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer/lifecycle"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// Fabric's chaincode lifecycle (the _lifecycle system chaincode) through
// the Fabric Gateway: the committed definition, who approved a new one,
// each administration's approval for its own organization and the commit.
// A new definition copies the committed one's endorsement policy,
// collections and plugins: an upgrade changes the code only.

const lifecycleChaincode = "_lifecycle"

// Definition is a chaincode definition as the lifecycle knows it.
type Definition struct {
	Name      string
	Version   string
	Sequence  int64
	PackageID string // empty when reading the committed definition
	// Approvals is, for the committed definition, which organizations
	// approved it; for a new one, which have approved it so far.
	Approvals map[string]bool
	committed *lifecycle.QueryChaincodeDefinitionResult
}

// ErrLifecycle wraps a refusal of the chaincode lifecycle (approve or
// commit), with the peer's message.
var ErrLifecycle = errors.New("the chaincode lifecycle refused")

// ErrNotInstalled means a chaincode package is not installed on the
// administration's peer: approving it would leave the peer unable to run
// the chaincode once the definition is committed.
var ErrNotInstalled = errors.New("the chaincode package is not installed on this administration's peer")

// RequireInstalled checks that packageID is installed on u's
// administration's peer (the peer requires u to be an admin of it).
func (c *Client) RequireInstalled(ctx context.Context, u *User, packageID string) error {
	args, err := proto.Marshal(&lifecycle.QueryInstalledChaincodeArgs{PackageId: packageID})
	if err != nil {
		return err
	}
	_, err = c.lifecycleEvaluate(ctx, u, "QueryInstalledChaincode", args)
	if errors.Is(err, ErrLifecycle) && strings.Contains(err.Error(), "could not find") {
		return fmt.Errorf("%w: %s", ErrNotInstalled, packageID)
	}
	if err != nil {
		return fmt.Errorf("query the installed package %s: %w", packageID, err)
	}
	return nil
}

// CommittedDefinition is the chaincode's definition committed on the
// channel, as u's administration's peer reports it.
func (c *Client) CommittedDefinition(ctx context.Context, u *User) (*Definition, error) {
	args, err := proto.Marshal(&lifecycle.QueryChaincodeDefinitionArgs{Name: c.cfg.Chaincode})
	if err != nil {
		return nil, err
	}
	raw, err := c.lifecycleEvaluate(ctx, u, "QueryChaincodeDefinition", args)
	if err != nil {
		return nil, fmt.Errorf("query the committed definition of %s: %w", c.cfg.Chaincode, err)
	}
	var r lifecycle.QueryChaincodeDefinitionResult
	if err := proto.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("decode the committed definition of %s: %w", c.cfg.Chaincode, err)
	}
	return &Definition{Name: c.cfg.Chaincode, Version: r.Version, Sequence: r.Sequence, Approvals: r.Approvals, committed: &r}, nil
}

// CommitReadiness reports which organizations have approved the
// definition of version and sequence with packageID's policy unchanged
// (approvals as Fabric checks them before a commit).
func (c *Client) CommitReadiness(ctx context.Context, u *User, version string, sequence int64) (map[string]bool, error) {
	cur, err := c.CommittedDefinition(ctx, u)
	if err != nil {
		return nil, err
	}
	d := cur.committed
	args, err := proto.Marshal(&lifecycle.CheckCommitReadinessArgs{
		Name: c.cfg.Chaincode, Version: version, Sequence: sequence,
		EndorsementPlugin: d.EndorsementPlugin, ValidationPlugin: d.ValidationPlugin,
		ValidationParameter: d.ValidationParameter, Collections: d.Collections, InitRequired: d.InitRequired,
	})
	if err != nil {
		return nil, err
	}
	raw, err := c.lifecycleEvaluate(ctx, u, "CheckCommitReadiness", args)
	if err != nil {
		return nil, fmt.Errorf("check the commit readiness of %s %s at sequence %d: %w", c.cfg.Chaincode, version, sequence, err)
	}
	var r lifecycle.CheckCommitReadinessResult
	if err := proto.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("decode the commit readiness: %w", err)
	}
	return r.Approvals, nil
}

// ApproveForMyOrg approves, for u's organization, the definition of
// version and sequence running packageID, the rest copied from the
// committed definition. Only u's organization's peers endorse it, and the
// peer requires u to be an admin of its organization.
func (c *Client) ApproveForMyOrg(ctx context.Context, u *User, version string, sequence int64, packageID string) (Result, error) {
	cur, err := c.CommittedDefinition(ctx, u)
	if err != nil {
		return Result{}, err
	}
	d := cur.committed
	args, err := proto.Marshal(&lifecycle.ApproveChaincodeDefinitionForMyOrgArgs{
		Name: c.cfg.Chaincode, Version: version, Sequence: sequence,
		EndorsementPlugin: d.EndorsementPlugin, ValidationPlugin: d.ValidationPlugin,
		ValidationParameter: d.ValidationParameter, Collections: d.Collections, InitRequired: d.InitRequired,
		Source: &lifecycle.ChaincodeSource{Type: &lifecycle.ChaincodeSource_LocalPackage{
			LocalPackage: &lifecycle.ChaincodeSource_Local{PackageId: packageID},
		}},
	})
	if err != nil {
		return Result{}, err
	}
	return c.lifecycleSubmit(ctx, u, "ApproveChaincodeDefinitionForMyOrg", args, []string{u.MSPID})
}

// CommitDefinition commits the definition of version and sequence, the
// rest copied from the committed definition, endorsed by the peers of the
// organizations endorsers (those that approved it: Fabric's
// LifecycleEndorsement policy wants a majority of them).
func (c *Client) CommitDefinition(ctx context.Context, u *User, version string, sequence int64, endorsers []string) (Result, error) {
	cur, err := c.CommittedDefinition(ctx, u)
	if err != nil {
		return Result{}, err
	}
	d := cur.committed
	args, err := proto.Marshal(&lifecycle.CommitChaincodeDefinitionArgs{
		Name: c.cfg.Chaincode, Version: version, Sequence: sequence,
		EndorsementPlugin: d.EndorsementPlugin, ValidationPlugin: d.ValidationPlugin,
		ValidationParameter: d.ValidationParameter, Collections: d.Collections, InitRequired: d.InitRequired,
	})
	if err != nil {
		return Result{}, err
	}
	return c.lifecycleSubmit(ctx, u, "CommitChaincodeDefinition", args, endorsers)
}

// lifecycleEvaluate runs a _lifecycle query at u's organization's peers.
func (c *Client) lifecycleEvaluate(ctx context.Context, u *User, tx string, arg []byte) ([]byte, error) {
	var out []byte
	_, err := c.tryPeers(u, c.lastPeer(), unreachable, func(_ int, gw *client.Gateway) error {
		ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeouts.Evaluate)
		defer cancel()
		p, err := newProposal(gw, u, gw.GetNetwork(c.cfg.Channel).GetContract(lifecycleChaincode), tx,
			client.WithBytesArguments(arg), client.WithEndorsingOrganizations(u.MSPID))
		if err != nil {
			return err
		}
		out, err = p.EvaluateWithContext(ctx)
		return err
	})
	return out, classifyLifecycle(err)
}

// lifecycleSubmit endorses a _lifecycle transaction at the peers of
// endorsers, orders it and waits for its commit. A transaction the
// lifecycle invalidates is a *TxInvalidError.
func (c *Client) lifecycleSubmit(ctx context.Context, u *User, tx string, arg []byte, endorsers []string) (Result, error) {
	var txn *client.Transaction
	at, err := c.tryPeers(u, c.lastPeer(), unreachable, func(_ int, gw *client.Gateway) error {
		p, err := newProposal(gw, u, gw.GetNetwork(c.cfg.Channel).GetContract(lifecycleChaincode), tx,
			client.WithBytesArguments(arg), client.WithEndorsingOrganizations(endorsers...))
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeouts.Endorse)
		defer cancel()
		txn, err = p.EndorseWithContext(ctx)
		return err
	})
	if err != nil {
		return Result{}, classifyLifecycle(err)
	}
	p, err := prepare(u, txn)
	if err != nil {
		return Result{}, err
	}
	res, st, err := c.settle(ctx, u, p, at)
	if err != nil {
		return Result{}, classifyLifecycle(err)
	}
	if !st.Successful {
		return Result{}, &TxInvalidError{TransactionID: st.TransactionID, Code: st.Code, Attempts: 1}
	}
	return res, nil
}

// classifyLifecycle turns a peer's refusal of a lifecycle call (it
// answered, unlike a transport failure or a timeout) into ErrLifecycle
// with the peers' messages; other errors as classify does.
func classifyLifecycle(err error) error {
	st, ok := status.FromError(err)
	if err == nil || !ok || errors.Is(err, ErrUnavailable) || unreachable(err) {
		return classify(err)
	}
	switch st.Code() {
	case codes.Unavailable, codes.DeadlineExceeded, codes.Canceled:
		return classify(err)
	}
	texts := []string{st.Message()}
	for _, d := range st.Details() {
		if ed, ok := d.(*gateway.ErrorDetail); ok {
			texts = append(texts, ed.GetMspId()+": "+ed.GetMessage())
		}
	}
	return fmt.Errorf("%w: %s", ErrLifecycle, strings.Join(texts, "; "))
}
