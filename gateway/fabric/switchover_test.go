package fabric

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestSwitchingDefinition(t *testing.T) {
	withDetail := func(msg string) error {
		st, err := status.New(codes.Aborted, "failed to endorse transaction, see attached details for more info").
			WithDetails(&gateway.ErrorDetail{Address: "peer:7051", MspId: "TreasuryMSP", Message: msg})
		require.NoError(t, err)
		return st.Err()
	}
	for name, tc := range map[string]struct {
		err  error
		want bool
	}{
		"peers answering with different definitions":                          {status.Error(codes.Aborted, "failed to collect enough transaction endorsements: ProposalResponsePayloads do not match"), true},
		"a peer whose organization has not approved yet":                      {withDetail("chaincode definition for 'civic' at sequence 2 on channel 'civic' has not yet been approved by this org"), true},
		"a peer that cannot reach the new chaincode yet":                      {withDetail("error in simulation: failed to execute transaction: could not launch chaincode civic_2.0:ab: connection refused"), true},
		"discovery that has not yet learnt which peers run the new chaincode": {status.Error(codes.FailedPrecondition, "no combination of peers can be derived which satisfy the endorsement policy: required chaincodes are not installed on sufficient peers"), true},
		"a chaincode refusal":                                                 {withDetail("NOT_FOUND: no document EXT-1"), false},
		"an unreachable peer":                                                 {status.Error(codes.Unavailable, "connection error"), false},
		"no error":                                                            {nil, false},
		"a plain error":                                                       {errors.New("ProposalResponsePayloads do not match"), true},
	} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, tc.want, switchingDefinition(tc.err))
		})
	}
}

func TestEndorseAcrossSwitch(t *testing.T) {
	// switching answers like a peer whose definition differs from the
	// others' for the first n endorsements, then endorses as l does.
	switching := func(t *testing.T, p *fakePeer, l *fakeLedger, n int, msg string) *int {
		l.serve(t, p)
		endorse, calls := p.endorse, new(int)
		p.endorse = func(ctx context.Context, r *gateway.EndorseRequest) (*gateway.EndorseResponse, error) {
			if *calls++; *calls <= n {
				return nil, peerError(t, codes.Aborted, "failed to collect enough transaction endorsements, see attached details for more info", msg)
			}
			return endorse(ctx, r)
		}
		return calls
	}
	t.Run("a submit right after an upgrade's commit endorses a new proposal again until the peers agree", func(t *testing.T) {
		l, p := &fakeLedger{submitted: map[string]int{}}, &fakePeer{}
		calls := switching(t, p, l, 3, "ProposalResponsePayloads do not match")
		c, u := dialPeers(t, startPeer(t, p))
		_, err := c.Submit(context.Background(), u, Submission{Transaction: "Documents:Register", Args: []string{"{}"}})
		require.NoError(t, err)
		require.Equal(t, 4, *calls)
		require.Len(t, l.submitted, 1, "only the endorsed proposal reached the orderer")
	})
	t.Run("it gives up after the bound, with the peers' error", func(t *testing.T) {
		l, p := &fakeLedger{submitted: map[string]int{}}, &fakePeer{}
		calls := switching(t, p, l, 1000, "required chaincodes are not installed on sufficient peers")
		c, u := dialPeers(t, startPeer(t, p))
		require.NoError(t, WithDefinitionSwitchWait(2*time.Second)(c))
		_, err := c.Submit(context.Background(), u, Submission{Transaction: "Documents:Register", Args: []string{"{}"}})
		require.ErrorIs(t, err, ErrEndorsement)
		require.Greater(t, *calls, 1)
		require.Less(t, *calls, 10)
		require.Empty(t, l.submitted)
	})
	t.Run("any other refusal is not tried again", func(t *testing.T) {
		l, p := &fakeLedger{submitted: map[string]int{}}, &fakePeer{}
		calls := switching(t, p, l, 1, "chaincode response 500, NOT_FOUND: no document X")
		c, u := dialPeers(t, startPeer(t, p))
		_, err := c.Submit(context.Background(), u, Submission{Transaction: "Documents:Register", Args: []string{"{}"}})
		require.Error(t, err)
		require.Equal(t, 1, *calls)
	})
}
