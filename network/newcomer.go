package network

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/civicledger/civicledger/network/configupdate"
)

// ErrNotPending: no administration of that MSP ID has been created on this
// machine and is waiting to join.
var ErrNotPending = errors.New("no administration waiting to join")

// joinRequest is where a newcomer's join request is written.
func (l layout) joinRequest(o Organization) string {
	return filepath.Join(l.org(o), "join-request.json")
}

// JoinRequestFile is the path of the join request CreateAdministration
// wrote for the pending administration mspID.
func (n *Network) JoinRequestFile(mspID string) (string, error) {
	o, _, err := n.pending(mspID)
	if err != nil {
		return "", err
	}
	return n.layout.joinRequest(o), nil
}

// CreateAdministration creates a newcomer for the network whose data
// directory n holds, on this machine, on a free block of ports: its Fabric
// CA and identities (the same as a founding member's), its MSP folders and
// the config files of its nodes. It starts only the CA, and returns the
// join request the members' admins compute the config update from (also
// written to the newcomer's folder as join-request.json). Nothing joins the
// channel until JoinAdministration, after the update has been applied.
func (n *Network) CreateAdministration(ctx context.Context, o Organization) (configupdate.Administration, error) {
	st, err := n.readState()
	if err != nil {
		return configupdate.Administration{}, fmt.Errorf("create administration: no network in %s: %w", n.layout.root, err)
	}
	if len(o.Users) == 0 {
		o.Users = slices.Clone(DefaultTopology().Orgs[0].Users)
	}
	base, err := FreePortBase(1)
	if err != nil {
		return configupdate.Administration{}, err
	}
	o.Ports.derive(base)
	st.Topology.placeOrg(&o, nextHostIndex(append(slices.Clone(st.Topology.Orgs), st.Pending...)))
	check := st.Topology
	check.Orgs = append(append(slices.Clone(check.Orgs), st.Pending...), o)
	if err := check.Validate(); err != nil {
		return configupdate.Administration{}, fmt.Errorf("create administration %s: %w", o.MSPID, err)
	}
	n.logf("creating administration %s in %s", o.MSPID, n.layout.org(o))
	steps := []stage{
		{"start CA and enrol identities", func() error {
			if err := n.startCA(ctx, o); err != nil {
				return err
			}
			return n.enrollOrg(ctx, o)
		}},
		{"write node configs", func() error { return n.writeNodeConfigs(o) }},
	}
	if err := n.runStages(steps); err != nil {
		return configupdate.Administration{}, err
	}
	req, err := n.joinRequestOf(o)
	if err != nil {
		return configupdate.Administration{}, err
	}
	data, err := json.MarshalIndent(req, "", "  ")
	if err != nil {
		return configupdate.Administration{}, err
	}
	if err := writeFile(n.layout.joinRequest(o), append(data, '\n'), 0o644); err != nil {
		return configupdate.Administration{}, err
	}
	st.Pending = append(st.Pending, o)
	if err := n.writeState(st); err != nil {
		return configupdate.Administration{}, err
	}
	return req, nil
}

// joinRequestOf describes o as the config update needs it: its CA's
// certificate as identity and TLS root (the CA issues both kinds), its
// peer as anchor, its orderer, and its orderer's TLS certificate as the
// consenter's client and server certificate.
func (n *Network) joinRequestOf(o Organization) (configupdate.Administration, error) {
	ca, err := os.ReadFile(n.layout.caCert(o))
	if err != nil {
		return configupdate.Administration{}, fmt.Errorf("read CA certificate of %s: %w", o.MSPID, err)
	}
	tlsCert, err := os.ReadFile(n.layout.ordererID(o).TLSCert())
	if err != nil {
		return configupdate.Administration{}, fmt.Errorf("read orderer TLS certificate of %s: %w", o.MSPID, err)
	}
	host := n.host(o)
	return configupdate.Administration{
		MSPID:           o.MSPID,
		RootCerts:       [][]byte{ca},
		TLSRootCerts:    [][]byte{ca},
		AnchorPeer:      configupdate.Endpoint{Host: host, Port: o.Ports.Peer},
		OrdererEndpoint: configupdate.Endpoint{Host: host, Port: o.Ports.Orderer},
		Consenter: configupdate.Consenter{
			Endpoint:      configupdate.Endpoint{Host: host, Port: o.Ports.Orderer},
			ClientTLSCert: tlsCert, ServerTLSCert: tlsCert,
		},
	}, nil
}

// pending returns the administration mspID created on this machine that
// has not joined yet, and the network's state.
func (n *Network) pending(mspID string) (Organization, state, error) {
	st, err := n.readState()
	if err != nil {
		return Organization{}, st, fmt.Errorf("no network in %s: %w", n.layout.root, err)
	}
	for _, o := range st.Pending {
		if o.MSPID == mspID {
			return o, st, nil
		}
	}
	return Organization{}, st, fmt.Errorf("%w: %q (create it first)", ErrNotPending, mspID)
}
