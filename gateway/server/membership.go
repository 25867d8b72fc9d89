package server

import (
	"context"
	"encoding/base64"
	"time"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/network/configupdate"
)

// membershipService serves MembershipService over the Membership contract:
// it computes channel config updates from the channel's current
// configuration (read from the peer's cscc), signs them with the calling
// admin's key, keeps proposal and signatures on the ledger, and applies a
// proposal through the ordering service once its signatures satisfy the
// channel's policies (membership_apply.go). Conversions are in
// membership_convert.go.
type membershipService struct {
	apiv1.UnimplementedMembershipServiceServer
	ledger   ledger
	system   systemLedger
	signer   configSigner
	orderers configBroadcaster
	channel  string
	now      func() time.Time
	// applyWait bounds waiting for the peer to have the new config block;
	// poll is how often it is read meanwhile.
	applyWait, poll time.Duration
	// crl reads the administration's CRL from its CA; nil without a CA
	// (membership_revocation.go).
	crl func(context.Context) ([]byte, error)
}

// configSigner gives a user's identity as fabric-config signs with it
// (*fabric.Wallet).
type configSigner interface {
	SigningIdentity(u *fabric.User) (*configtx.SigningIdentity, error)
}

// configBroadcaster sends a signed config update to the ordering service
// (*fabric.Orderers).
type configBroadcaster interface {
	Broadcast(ctx context.Context, env *common.Envelope) error
}

var (
	_ configSigner      = (*fabric.Wallet)(nil)
	_ configBroadcaster = (*fabric.Orderers)(nil)
)

// newMembershipService builds the service of s, with a connection to each
// configured orderer. An orderer that cannot be dialled (its TLS root
// unreadable, which Validate already checks) leaves Apply unavailable
// rather than the whole gateway.
func newMembershipService(s *Server) *membershipService {
	peers := make([]fabric.Peer, len(s.cfg.Orderers))
	for i, o := range s.cfg.Orderers {
		peers[i] = fabric.Peer{Address: o.Address, TLSRootCert: o.TLSRootCert}
	}
	var orderers configBroadcaster
	o, err := fabric.DialOrderers(peers, s.cfg.Timeouts.Broadcast)
	if err != nil {
		s.log.Error("orderers unusable: membership updates cannot be applied", "err", err)
		orderers = brokenOrderers{err}
	} else {
		orderers = o
		s.onStop = append(s.onStop, o.Close)
	}
	m := &membershipService{
		ledger: s.fabric, system: s.fabric, signer: s.wallet, orderers: orderers, channel: s.cfg.Channel,
		now: time.Now, applyWait: s.cfg.Timeouts.ConfigApplied, poll: 500 * time.Millisecond,
	}
	if s.people != nil {
		m.crl = s.people.currentCRL
	}
	return m
}

// brokenOrderers reports why no orderer can be used.
type brokenOrderers struct{ err error }

func (b brokenOrderers) Broadcast(context.Context, *common.Envelope) error {
	return status.Errorf(codes.FailedPrecondition, "this gateway cannot reach the ordering service: %v", b.err)
}

// defaultMembershipExpiry is how long a proposal stays open when the
// request does not say.
const defaultMembershipExpiry = 7 * 24 * time.Hour

// requireAdmin refuses every caller but an admin: membership changes the
// network's members, which only administrations' admins decide.
func requireAdmin(ctx context.Context) error {
	if u := caller(ctx); u == nil || u.Role != spec.RoleAdmin {
		return status.Error(codes.PermissionDenied, "membership changes are for admins: the caller's role is not admin")
	}
	return nil
}

// expiresAt is the RFC 3339 expiry of a proposal made now.
func (m *membershipService) expiresAt(seconds int64) (string, error) {
	max := int64(spec.MaxMembershipDays) * 24 * 3600
	if seconds < 0 || seconds > max {
		return "", invalid("expires_in_seconds", "must be between 0 (7 days) and %d (%d days), got %d", max, spec.MaxMembershipDays, seconds)
	}
	d := defaultMembershipExpiry
	if seconds > 0 {
		d = time.Duration(seconds) * time.Second
	}
	return m.now().Add(d).UTC().Format(time.RFC3339), nil
}

func (m *membershipService) ProposeAddition(ctx context.Context, req *apiv1.ProposeAdditionRequest) (*apiv1.MembershipProposalResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if req.Administration == nil {
		return nil, invalid("administration", "the newcomer's join request is required")
	}
	if err := required("administration.msp_id", req.Administration.MspId); err != nil {
		return nil, err
	}
	expires, err := m.expiresAt(req.ExpiresInSeconds)
	if err != nil {
		return nil, err
	}
	current, err := m.currentConfig(ctx)
	if err != nil {
		return nil, err
	}
	u, err := configupdate.AddAdministration(current.config, m.channel, administrationOf(req.Administration))
	if err != nil {
		return nil, toStatus(err)
	}
	return m.propose(ctx, spec.MembershipAdd, req.Administration.MspId, u, expires)
}

func (m *membershipService) ProposeRemoval(ctx context.Context, req *apiv1.ProposeRemovalRequest) (*apiv1.MembershipProposalResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := required("msp_id", req.MspId); err != nil {
		return nil, err
	}
	expires, err := m.expiresAt(req.ExpiresInSeconds)
	if err != nil {
		return nil, err
	}
	current, err := m.currentConfig(ctx)
	if err != nil {
		return nil, err
	}
	u, err := configupdate.RemoveAdministration(current.config, m.channel, req.MspId)
	if err != nil {
		return nil, toStatus(err)
	}
	return m.propose(ctx, spec.MembershipRemove, req.MspId, u, expires)
}

// propose records a computed update as a proposal.
func (m *membershipService) propose(ctx context.Context, kind, subject string, u *configupdate.Update, expires string) (*apiv1.MembershipProposalResponse, error) {
	input, err := jsonArg(records.MembershipProposeInput{
		Kind: kind, SubjectMSPID: subject, Update: base64.StdEncoding.EncodeToString(u.Bytes), Sequence: u.Sequence, ExpiresAt: expires,
	})
	if err != nil {
		return nil, err
	}
	return m.submitProposal(ctx, fabric.Submission{Transaction: spec.MembershipPropose, Args: []string{input}})
}

func (m *membershipService) Sign(ctx context.Context, req *apiv1.SignProposalRequest) (*apiv1.MembershipProposalResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	p, update, err := m.proposal(ctx, req.ProposalId)
	if err != nil {
		return nil, err
	}
	id, err := m.signer.SigningIdentity(caller(ctx))
	if err != nil {
		return nil, signingKeyError(ctx, err)
	}
	sig, err := configupdate.Sign(update, id)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "%v", err)
	}
	raw, err := marshalSignature(sig)
	if err != nil {
		return nil, err
	}
	return m.submitProposal(ctx, fabric.Submission{Transaction: spec.MembershipSign, Args: []string{p.ID, raw}})
}

func (m *membershipService) GetProposal(ctx context.Context, req *apiv1.GetProposalRequest) (*apiv1.MembershipProposalResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	p, _, err := m.proposal(ctx, req.ProposalId)
	if err != nil {
		return nil, err
	}
	out, err := membershipProposalProto(*p)
	if err != nil {
		return nil, err
	}
	return &apiv1.MembershipProposalResponse{Proposal: out}, nil
}

func (m *membershipService) ListProposals(ctx context.Context, req *apiv1.ListProposalsRequest) (*apiv1.ListProposalsResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if req.Status != "" && !contains(spec.MembershipStatuses, req.Status) {
		return nil, invalid("status", "must be one of %v or empty, got %q", spec.MembershipStatuses, req.Status)
	}
	size, err := pageSize(req.PageSize)
	if err != nil {
		return nil, err
	}
	var page records.MembershipPage
	if err := evaluateJSON(ctx, m.ledger, &page, spec.MembershipList, req.Status, size, req.PageToken); err != nil {
		return nil, err
	}
	list, err := convertAll(page.Proposals, membershipProposalProto)
	if err != nil {
		return nil, err
	}
	return &apiv1.ListProposalsResponse{Proposals: list, NextPageToken: page.Bookmark}, nil
}

// proposal reads a proposal and decodes its update bytes.
func (m *membershipService) proposal(ctx context.Context, id string) (*records.MembershipProposal, []byte, error) {
	if err := required("proposal_id", id); err != nil {
		return nil, nil, err
	}
	var p records.MembershipProposal
	if err := evaluateJSON(ctx, m.ledger, &p, spec.MembershipGet, id); err != nil {
		return nil, nil, err
	}
	update, err := base64.StdEncoding.DecodeString(p.Update)
	if err != nil {
		return nil, nil, status.Errorf(codes.Internal, "the ledger's proposal %s has an undecodable update: %v", id, err)
	}
	return &p, update, nil
}

// submitProposal submits a Membership transaction whose result is the
// proposal.
func (m *membershipService) submitProposal(ctx context.Context, sub fabric.Submission) (*apiv1.MembershipProposalResponse, error) {
	p, committed, err := submitConverted(ctx, m.ledger, sub, membershipProposalProto)
	if err != nil {
		return nil, err
	}
	return &apiv1.MembershipProposalResponse{Proposal: p, Committed: committed}, nil
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
