package server

import (
	"context"
	"encoding/base64"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/records"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/network/configupdate"
)

// channelConfig is the channel's current configuration, the number of the
// config block that set it and the config update that block applied (empty
// for the genesis block).
type channelConfig struct {
	config     *common.Config
	block      uint64
	lastUpdate []byte
}

// currentConfig reads the channel's latest config block from the peer
// (cscc GetConfigBlock), as the caller.
func (m *membershipService) currentConfig(ctx context.Context) (*channelConfig, error) {
	raw, err := m.system.EvaluateSystem(ctx, caller(ctx), "cscc", "GetConfigBlock", m.channel)
	if err != nil {
		return nil, toStatus(err)
	}
	var block common.Block
	if err := proto.Unmarshal(raw, &block); err != nil {
		return nil, status.Errorf(codes.Internal, "decode the channel's config block: %v", err)
	}
	cfg, err := configupdate.ConfigFromBlock(&block)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "read the channel's config block: %v", err)
	}
	return &channelConfig{config: cfg, block: block.GetHeader().GetNumber(), lastUpdate: lastUpdateOf(&block)}, nil
}

// lastUpdateOf is the marshalled ConfigUpdate a config block applied, or
// nil; ConfigFromBlock has already checked it is a config block.
func lastUpdateOf(block *common.Block) []byte {
	var env, last common.Envelope
	var payload, lastPayload common.Payload
	var cfgEnv common.ConfigEnvelope
	var cue common.ConfigUpdateEnvelope
	switch {
	case proto.Unmarshal(block.GetData().GetData()[0], &env) != nil,
		proto.Unmarshal(env.GetPayload(), &payload) != nil,
		proto.Unmarshal(payload.GetData(), &cfgEnv) != nil,
		cfgEnv.GetLastUpdate() == nil:
		return nil
	}
	last.Payload = cfgEnv.GetLastUpdate().GetPayload()
	if proto.Unmarshal(last.GetPayload(), &lastPayload) != nil || proto.Unmarshal(lastPayload.GetData(), &cue) != nil {
		return nil
	}
	return cue.GetConfigUpdate()
}

// administrationOf is a join request as package configupdate reads it; it
// checks the fields (ErrInvalidAdministration).
func administrationOf(a *apiv1.AdministrationRequest) configupdate.Administration {
	ep := func(e *apiv1.NodeEndpoint) configupdate.Endpoint {
		return configupdate.Endpoint{Host: e.GetHost(), Port: int(e.GetPort())}
	}
	return configupdate.Administration{
		MSPID: a.MspId, RootCerts: a.RootCerts, TLSRootCerts: a.TlsRootCerts,
		AnchorPeer: ep(a.AnchorPeer), OrdererEndpoint: ep(a.OrdererEndpoint),
		Consenter: configupdate.Consenter{
			Endpoint: ep(a.Consenter), ClientTLSCert: a.ConsenterClientTlsCert, ServerTLSCert: a.ConsenterServerTlsCert,
		},
	}
}

// marshalSignature is a ConfigSignature as Membership:Sign takes it.
func marshalSignature(sig *common.ConfigSignature) (string, error) {
	raw, err := proto.Marshal(sig)
	if err != nil {
		return "", status.Errorf(codes.Internal, "encode the config signature: %v", err)
	}
	return base64.StdEncoding.EncodeToString(raw), nil
}

// signaturesOf decodes the ConfigSignatures recorded on a proposal.
func signaturesOf(p *records.MembershipProposal) ([]*common.ConfigSignature, error) {
	var out []*common.ConfigSignature
	for _, s := range p.Signatures {
		if s == nil {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(s.ConfigSignature)
		if err != nil {
			return nil, status.Errorf(codes.Internal, "the ledger's signature of %s on %s is not base64: %v", s.MSPID, p.ID, err)
		}
		var sig common.ConfigSignature
		if err := proto.Unmarshal(raw, &sig); err != nil {
			return nil, status.Errorf(codes.Internal, "decode the ledger's signature of %s on %s: %v", s.MSPID, p.ID, err)
		}
		out = append(out, &sig)
	}
	return out, nil
}

// membershipProposalProto converts the chaincode's proposal.
func membershipProposalProto(p records.MembershipProposal) (*apiv1.MembershipProposal, error) {
	update, err := base64.StdEncoding.DecodeString(p.Update)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "the ledger's proposal %s has an undecodable update: %v", p.ID, err)
	}
	out := &apiv1.MembershipProposal{
		Id: p.ID, Kind: p.Kind, SubjectMspId: p.SubjectMSPID, ChannelId: p.ChannelID, Update: update, Sequence: p.Sequence,
		ProposedBy: p.ProposedBy, ProposedAt: p.ProposedAt, ExpiresAt: p.ExpiresAt, Status: p.Status,
		AppliedBlock: p.AppliedBlock, AppliedAt: p.AppliedAt, AppliedBy: p.AppliedBy,
	}
	for _, s := range p.Signatures {
		if s == nil {
			continue
		}
		sig, err := base64.StdEncoding.DecodeString(s.ConfigSignature)
		if err != nil {
			return nil, status.Errorf(codes.Internal, "the ledger's signature of %s on %s is not base64: %v", s.MSPID, p.ID, err)
		}
		out.Signatures = append(out.Signatures, &apiv1.MembershipSignature{
			MspId: s.MSPID, SignerCertId: s.SignerCertID, SignedAt: s.SignedAt, ConfigSignature: sig,
		})
	}
	return out, nil
}
