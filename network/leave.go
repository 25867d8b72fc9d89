package network

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// StopAdministration takes one administration off this machine for good,
// as when it withdraws from the network or its servers are gone: it stops
// its gateway, chaincode service, peer, orderer and CA, and drops it from
// the stored topology and the connection file, so that Up, Down, Status and
// the clients no longer expect it. Its data directory stays (certificates,
// keys, its copy of the ledger). The channel is not changed: the remaining
// members remove it with a config update (MembershipService), which needs
// nothing from its nodes.
func (n *Network) StopAdministration(ctx context.Context, mspID string) error {
	st, err := n.readState()
	if err != nil {
		return fmt.Errorf("stop administration %s: no network in %s: %w", mspID, n.layout.root, err)
	}
	i := slices.IndexFunc(st.Topology.Orgs, func(o Organization) bool { return o.MSPID == mspID })
	if i < 0 {
		return fmt.Errorf("stop administration: no administration %q in network %s", mspID, n.topo.Name)
	}
	if len(st.Topology.Orgs) == 1 {
		return fmt.Errorf("stop administration %s: it is the last one; use down", mspID)
	}
	o := st.Topology.Orgs[i]
	var errs []error
	for _, prefix := range stopOrder {
		if err := n.layout.stop(ctx, prefix+o.Name, 10*time.Second); err != nil {
			errs = append(errs, err)
		}
	}
	// The service of a chaincode version installed for an upgrade.
	if err := n.layout.stop(ctx, chaincodeProcessName(o, 1), 10*time.Second); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("stop administration %s: %w", mspID, err)
	}
	st.Topology.Orgs = slices.Delete(st.Topology.Orgs, i, i+1)
	st.Departed = append(st.Departed, o)
	if err := n.writeState(st); err != nil {
		return err
	}
	n.topo.Orgs = slices.DeleteFunc(n.topo.Orgs, func(o Organization) bool { return o.MSPID == mspID })
	n.logf("stopped administration %s for good; %d remain on this machine", mspID, len(n.topo.Orgs))
	return n.connection().Write(n.layout.connectionFile())
}

// withoutDeparted is t without the administrations StopAdministration took
// off, so that a topology file that still lists them names the same
// network.
func withoutDeparted(t Topology, departed []Organization) Topology {
	t.Orgs = slices.DeleteFunc(slices.Clone(t.Orgs), func(o Organization) bool {
		return slices.ContainsFunc(departed, func(d Organization) bool { return d.MSPID == o.MSPID })
	})
	return t
}
