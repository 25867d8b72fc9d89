package fabric

import (
	"context"
	"strings"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"google.golang.org/grpc/status"
)

// DefinitionSwitchWait bounds how long an endorsement is tried again while
// the peers switch to a newly committed chaincode definition: right after
// an upgrade's commit, each peer starts endorsing with the new definition
// when it has committed that block, so for a moment peers disagree (their
// responses differ), one has not reached its new chaincode yet, or
// discovery does not know yet which peers run it. Nothing
// has reached the orderer then, so a repeat is harmless.
const DefinitionSwitchWait = 15 * time.Second

// switchingMessages are in the peers' answers while they switch to a new
// chaincode definition (Fabric 2.5's gateway and lifecycle cache).
var switchingMessages = []string{
	"ProposalResponsePayloads do not match",
	"has not yet been approved by this org",
	"exists, but chaincode is not installed",
	"could not launch chaincode",
	// Discovery learns of each peer's new chaincode through gossip, a few
	// seconds after the commit.
	"required chaincodes are not installed on sufficient peers",
}

// switchingDefinition tells whether err is an endorsement refused because
// the peers are switching to a new chaincode definition.
func switchingDefinition(err error) bool {
	if err == nil {
		return false
	}
	st := status.Convert(err)
	texts := []string{st.Message()}
	for _, d := range st.Details() {
		if ed, ok := d.(*gateway.ErrorDetail); ok {
			texts = append(texts, ed.GetMessage())
		}
	}
	for _, t := range texts {
		for _, m := range switchingMessages {
			if strings.Contains(t, m) {
				return true
			}
		}
	}
	return false
}

// endorseAcrossSwitch endorses a new proposal as endorse does and, while
// the peers are switching to a new chaincode definition, endorses a new
// proposal again, for at most DefinitionSwitchWait.
func (c *Client) endorseAcrossSwitch(ctx context.Context, u *User, name string, opts []client.ProposalOption) (*client.Transaction, int, error) {
	deadline := time.Now().Add(c.cfg.DefinitionSwitch)
	for pause := 100 * time.Millisecond; ; pause = min(2*pause, time.Second) {
		txn, at, err := c.endorse(ctx, u, name, opts)
		if !switchingDefinition(err) || time.Now().Add(pause).After(deadline) {
			return txn, at, err
		}
		select {
		case <-ctx.Done():
			return nil, at, err
		case <-time.After(pause):
		}
	}
}
