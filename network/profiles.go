package network

import (
	"context"
	"fmt"
	"time"
)

// publishProfiles has each administration's admin record its public profile
// in the chaincode's directory. It is the first real transaction of a new
// network: it proves that endorsement by a majority, ordering and commit
// all work before Up reports ready.
func (n *Network) publishProfiles(ctx context.Context) error {
	c := n.connection()
	return n.eachOrg(func(o Organization) error {
		gw, err := c.Connect(o.MSPID, n.adminUser(o))
		if err != nil {
			return err
		}
		defer gw.Close()
		contract := gw.GetNetwork(n.topo.Channel).GetContract(n.topo.Chaincode.Name)
		// Gossip may not yet have spread which peers run the chaincode, in
		// which case the Gateway cannot plan the endorsement: retry briefly.
		return retry(ctx, 30*time.Second, func() error {
			_, err := contract.SubmitTransaction("Directory:SetProfile", o.DisplayName, o.Kind, o.Contact)
			if err != nil {
				return fmt.Errorf("publish profile of %s: %w", o.MSPID, err)
			}
			return nil
		})
	})
}

// waitEndorsement has every administration's Gateway collect endorsements
// from a majority of administrations for a read-only transaction, without
// submitting it. It succeeds once discovery knows every peer that runs the
// chaincode, which is what a cross-administration submit needs.
func (n *Network) waitEndorsement(ctx context.Context) error {
	c := n.connection()
	return n.eachOrg(func(o Organization) error {
		gw, err := c.Connect(o.MSPID, n.adminUser(o))
		if err != nil {
			return err
		}
		defer gw.Close()
		contract := gw.GetNetwork(n.topo.Channel).GetContract(n.topo.Chaincode.Name)
		return retry(ctx, 30*time.Second, func() error {
			proposal, err := contract.NewProposal("Directory:ListProfiles")
			if err != nil {
				return err
			}
			if _, err := proposal.Endorse(); err != nil {
				return fmt.Errorf("endorse through the gateway of %s: %w", o.MSPID, err)
			}
			return nil
		})
	})
}
