package server

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/network/configupdate"
)

// Apply sends an open proposal's update, with the signatures recorded on the
// ledger, to the ordering service, waits until the peer has the config block
// that applied it and records that block on the proposal. Nothing is sent
// unless the signatures satisfy the channel's policies for the current
// configuration. When the current config block already applied this update
// (an earlier Apply whose recording failed), it is only recorded.
func (m *membershipService) Apply(ctx context.Context, req *apiv1.ApplyProposalRequest) (*apiv1.MembershipProposalResponse, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	p, update, err := m.proposal(ctx, req.ProposalId)
	if err != nil {
		return nil, err
	}
	if p.Status != spec.MembershipOpen {
		return nil, status.Errorf(codes.FailedPrecondition, "proposal %s is %s: only an open proposal can be applied", p.ID, p.Status)
	}
	current, err := m.currentConfig(ctx)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(current.lastUpdate, update) {
		return m.markApplied(ctx, p, current.block)
	}
	if current.config.GetSequence() != p.Sequence {
		return nil, status.Errorf(codes.FailedPrecondition, "the channel changed since this proposal was computed "+
			"(config sequence %d, now %d); propose again", p.Sequence, current.config.GetSequence())
	}
	if err := m.broadcast(ctx, p, update, current); err != nil {
		return nil, err
	}
	block, err := m.waitApplied(ctx, p, update)
	if err != nil {
		return nil, err
	}
	return m.markApplied(ctx, p, block)
}

// broadcast checks the recorded signatures against the current
// configuration and sends the envelope, signed by the caller.
func (m *membershipService) broadcast(ctx context.Context, p *records.MembershipProposal, update []byte, current *channelConfig) error {
	sigs, err := signaturesOf(p)
	if err != nil {
		return err
	}
	verdict, err := configupdate.Check(current.config, update, sigs, m.now())
	if err != nil {
		return toStatus(err)
	}
	if !verdict.Satisfied() {
		return status.Errorf(codes.FailedPrecondition, "the signatures do not satisfy the channel's policies yet: %s", missing(verdict))
	}
	id, err := m.signer.SigningIdentity(caller(ctx))
	if err != nil {
		return signingKeyError(ctx, err)
	}
	env, err := configupdate.Envelope(update, id, sigs...)
	if err != nil {
		return toStatus(err)
	}
	if err := m.orderers.Broadcast(ctx, env); err != nil {
		return toStatus(err)
	}
	return nil
}

// missing describes the policies a verdict does not satisfy, with how many
// administrations signed: "/Channel/Application/Admins (MAJORITY Admins of
// 3 organizations: 2 needed), 1 signed (RegistryMSP)".
func missing(v *configupdate.Verdict) string {
	seen := map[string]bool{}
	var signers []string
	for _, s := range v.Signers {
		if !seen[s.MSPID] {
			seen[s.MSPID] = true
			signers = append(signers, s.MSPID)
		}
	}
	var out []string
	for _, p := range v.Policies {
		if !p.Satisfied {
			out = append(out, fmt.Sprintf("%s (%s), %d signed (%s)", p.Path, p.Description, len(signers), strings.Join(signers, ", ")))
		}
	}
	return strings.Join(out, "; ")
}

// waitApplied reads the channel's config block until it is the one that
// applied update, and returns its number.
func (m *membershipService) waitApplied(ctx context.Context, p *records.MembershipProposal, update []byte) (uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, m.applyWait)
	defer cancel()
	for {
		current, err := m.currentConfig(ctx)
		switch {
		case err == nil && bytes.Equal(current.lastUpdate, update):
			return current.block, nil
		case err == nil && current.config.GetSequence() > p.Sequence:
			return 0, status.Errorf(codes.Aborted, "another config update was applied first (block %d); proposal %s no longer applies: propose again", current.block, p.ID)
		}
		select {
		case <-ctx.Done():
			return 0, status.Errorf(codes.DeadlineExceeded, "the ordering service accepted proposal %s but the peer did not have "+
				"its config block within %s; call Apply again to record it", p.ID, m.applyWait)
		case <-time.After(m.poll):
		}
	}
}

// markApplied records the config block that applied a proposal.
func (m *membershipService) markApplied(ctx context.Context, p *records.MembershipProposal, block uint64) (*apiv1.MembershipProposalResponse, error) {
	return m.submitProposal(ctx, fabric.Submission{
		Transaction: spec.MembershipMarkApplied, Args: []string{p.ID, strconv.FormatUint(block, 10)},
	})
}
