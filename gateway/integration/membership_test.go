//go:build integration

package integration

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func membershipClient(t *testing.T, mspID, user string) apiv1.MembershipServiceClient {
	t.Helper()
	return apiv1.NewMembershipServiceClient(gw(t, mspID, user))
}

// newcomerRequest is the join request of a synthetic administration: its own
// CA (identity and TLS root) and an orderer TLS certificate it issued, with
// endpoints on a host of its own. Its nodes never run: proposing, signing
// and checking the policy need only the configuration.
func newcomerRequest(t *testing.T, mspID string) *apiv1.AdministrationRequest {
	t.Helper()
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ca." + mspID, Organization: []string{mspID}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tlsTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "orderer." + mspID, OrganizationalUnit: []string{"orderer"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, DNSNames: []string{"orderer.newcomer.invalid"},
	}
	tlsDER, err := x509.CreateCertificate(rand.Reader, tlsTmpl, ca, &key.PublicKey, caKey)
	require.NoError(t, err)
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	tlsPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsDER})
	return &apiv1.AdministrationRequest{
		MspId: mspID, RootCerts: [][]byte{caPEM}, TlsRootCerts: [][]byte{caPEM},
		AnchorPeer:             &apiv1.NodeEndpoint{Host: "peer.newcomer.invalid", Port: 7051},
		OrdererEndpoint:        &apiv1.NodeEndpoint{Host: "orderer.newcomer.invalid", Port: 7050},
		Consenter:              &apiv1.NodeEndpoint{Host: "orderer.newcomer.invalid", Port: 7050},
		ConsenterClientTlsCert: tlsPEM, ConsenterServerTlsCert: tlsPEM,
	}
}

// TestMembershipService proposes and signs the addition of a synthetic
// administration on the shared network without applying it: with four
// members every other test's submits would need three endorsements, and the
// newcomer has no peer. Applying is tested on a fake ledger here and on a
// network of its own by the network-side tests.
func TestMembershipService(t *testing.T) {
	newcomer := fmt.Sprintf("Newcomer%dMSP", time.Now().UnixNano())
	var proposalID string

	t.Run("removing one of three administrations is refused: too few would remain", func(t *testing.T) {
		_, err := membershipClient(t, registry, "admin").ProposeRemoval(ctx(t), &apiv1.ProposeRemovalRequest{MspId: council})
		requireCode(t, err, codes.FailedPrecondition)
		require.Contains(t, status.Convert(err).Message(), "too few administrations")
	})

	t.Run("an admin proposes adding a newcomer, computed from the channel's current config", func(t *testing.T) {
		resp, err := membershipClient(t, registry, "admin").ProposeAddition(ctx(t),
			&apiv1.ProposeAdditionRequest{Administration: newcomerRequest(t, newcomer), ExpiresInSeconds: 3600})
		require.NoError(t, err)
		p := resp.Proposal
		require.Equal(t, "add", p.Kind)
		require.Equal(t, newcomer, p.SubjectMspId)
		require.Equal(t, "open", p.Status)
		require.Equal(t, registry, p.ProposedBy)
		require.NotEmpty(t, p.Update)
		require.Empty(t, p.Signatures)
		proposalID = p.Id
	})
	require.NotEmpty(t, proposalID, "no proposal to sign")

	t.Run("a clerk can neither propose nor sign", func(t *testing.T) {
		_, err := membershipClient(t, council, "clerk").Sign(ctx(t), &apiv1.SignProposalRequest{ProposalId: proposalID})
		requireCode(t, err, codes.PermissionDenied)
		_, err = membershipClient(t, council, "clerk").ProposeRemoval(ctx(t), &apiv1.ProposeRemovalRequest{MspId: treasury})
		requireCode(t, err, codes.PermissionDenied)
	})

	t.Run("Registry's admin signs", func(t *testing.T) {
		resp, err := membershipClient(t, registry, "admin").Sign(ctx(t), &apiv1.SignProposalRequest{ProposalId: proposalID})
		require.NoError(t, err)
		require.Len(t, resp.Proposal.Signatures, 1)
		require.Equal(t, registry, resp.Proposal.Signatures[0].MspId)
	})

	t.Run("applying with one signature of three is refused, naming the policy and who signed, and nothing changes", func(t *testing.T) {
		_, err := membershipClient(t, registry, "admin").Apply(ctx(t), &apiv1.ApplyProposalRequest{ProposalId: proposalID})
		requireCode(t, err, codes.FailedPrecondition)
		msg := status.Convert(err).Message()
		require.Contains(t, msg, "MAJORITY Admins")
		require.Contains(t, msg, "1 signed ("+registry+")")
		got, err := membershipClient(t, council, "admin").GetProposal(ctx(t), &apiv1.GetProposalRequest{ProposalId: proposalID})
		require.NoError(t, err)
		require.Equal(t, "open", got.Proposal.Status)
	})

	t.Run("Treasury's admin signs, and a second Treasury signature is refused", func(t *testing.T) {
		resp, err := membershipClient(t, treasury, "admin").Sign(ctx(t), &apiv1.SignProposalRequest{ProposalId: proposalID})
		require.NoError(t, err)
		require.Len(t, resp.Proposal.Signatures, 2)
		_, err = membershipClient(t, treasury, "admin").Sign(ctx(t), &apiv1.SignProposalRequest{ProposalId: proposalID})
		requireCode(t, err, codes.AlreadyExists)
	})

	t.Run("every member's admin lists the proposal with its two signatures", func(t *testing.T) {
		req := &apiv1.ListProposalsRequest{Status: "open", PageSize: 100}
		var found *apiv1.MembershipProposal
		for found == nil {
			page, err := membershipClient(t, council, "admin").ListProposals(ctx(t), req)
			require.NoError(t, err)
			for _, p := range page.Proposals {
				if p.Id == proposalID {
					found = p
				}
			}
			if page.NextPageToken == "" {
				break
			}
			req.PageToken = page.NextPageToken
		}
		require.NotNil(t, found, "proposal %s not listed", proposalID)
		var signers []string
		for _, s := range found.Signatures {
			signers = append(signers, s.MspId)
		}
		require.ElementsMatch(t, []string{registry, treasury}, signers)
	})
}
