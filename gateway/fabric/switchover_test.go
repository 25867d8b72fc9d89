package fabric

import (
	"errors"
	"testing"

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
