package network

import (
	"context"
	"fmt"
	"time"

	"github.com/civicledger/civicledger/network/connfile"
	"github.com/hyperledger/fabric-gateway/pkg/client"
)

// publishProfiles has each administration's admin record its public profile
// in the chaincode's directory. It is the first real transaction of a new
// network: it proves that endorsement by a majority, ordering and commit
// all work before Up reports ready.
//
// The profiles are published one after another: an administration's first
// profile also updates the directory's member list, so profiles sent at
// once conflict (MVCC_READ_CONFLICT), commit one a block anyway and leave
// invalid transactions on the ledger.
func (n *Network) publishProfiles(ctx context.Context) error {
	c := n.connection()
	for _, o := range n.topo.Orgs {
		if err := n.timed("publish profile of "+o.Name, func() error { return n.publishProfile(ctx, c, o, 30*time.Second) }); err != nil {
			return err
		}
	}
	return nil
}

// publishProfile has o's admin record o's profile, through o's own peer.
// Gossip may not yet have spread which peers run the chaincode, in which
// case the Gateway cannot plan the endorsement: it retries for within.
func (n *Network) publishProfile(ctx context.Context, c connfile.Connection, o Organization, within time.Duration) error {
	gw, err := c.Connect(o.MSPID, n.adminUser(o))
	if err != nil {
		return err
	}
	defer gw.Close()
	contract := gw.GetNetwork(n.topo.Channel).GetContract(n.topo.Chaincode.Name)
	return poll(ctx, within, 2*pollInterval, func() error {
		_, err := contract.SubmitTransaction("Directory:SetProfile", o.DisplayName, o.Kind, o.Contact)
		if err != nil {
			return fmt.Errorf("publish profile of %s: %w", o.MSPID, err)
		}
		return nil
	})
}

// waitEndorsement waits until every administration's Gateway can have a
// read-only proposal endorsed by the peer of every administration, without
// submitting it. That needs discovery, at each Gateway, to know every peer
// that runs the chaincode, which is what cross-administration submits with
// key-level policies (issuer plus one, owner and grantee) rely on. Every
// pair is checked at once, each as soon as it can be planned.
func (n *Network) waitEndorsement(ctx context.Context) error {
	c := n.connection()
	return n.eachOrg(func(o Organization) error {
		gw, err := c.Connect(o.MSPID, n.adminUser(o))
		if err != nil {
			return err
		}
		defer gw.Close()
		contract := gw.GetNetwork(n.topo.Channel).GetContract(n.topo.Chaincode.Name)
		return n.eachOrg(func(target Organization) error {
			return n.timed("endorsement at "+target.Name+" via "+o.Name, func() error {
				return poll(ctx, 60*time.Second, 2*pollInterval, func() error {
					proposal, err := contract.NewProposal("Directory:ListProfiles",
						client.WithEndorsingOrganizations(target.MSPID))
					if err != nil {
						return err
					}
					if _, err := proposal.Endorse(); err != nil {
						return fmt.Errorf("gateway of %s cannot reach the chaincode at %s yet: %w", o.MSPID, target.MSPID, err)
					}
					return nil
				})
			})
		})
	})
}
