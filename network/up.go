package network

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"reflect"
	"time"
)

// state is what a data directory remembers of the network it holds, so that
// Up can restart the same network.
type state struct {
	Topology  Topology `json:"topology"`
	PackageID string   `json:"packageId"`
	Created   string   `json:"created"`
	// Pending are administrations created on this machine (CreateAdministration)
	// that have not joined the channel yet.
	Pending []Organization `json:"pending,omitempty"`
	// Departed are administrations StopAdministration took off this
	// machine for good.
	Departed []Organization `json:"departed,omitempty"`
	// Chaincodes are the chaincode versions installed on this machine once
	// a new one was (InstallChaincodeVersion); empty until then.
	Chaincodes []installedChaincode `json:"chaincodes,omitempty"`
}

// Up starts the network. On an empty data directory it creates everything:
// identities, channel, chaincode. On a data directory from an earlier Up it
// restarts the same network with its ledger. It returns once a transaction
// can be endorsed by a majority and committed.
func (n *Network) Up(ctx context.Context) error {
	began := time.Now()
	n.timeline.reset()
	st, err := n.readState()
	switch {
	case err == nil:
		present := withoutDeparted(n.topo, st.Departed)
		if !reflect.DeepEqual(founders(st.Topology, len(present.Orgs)), normalized(present)) {
			return fmt.Errorf("data directory %s holds network %q with another topology: stop it and remove it with down --purge, or use another dataDir", n.layout.root, st.Topology.Name)
		}
		// Administrations that joined later (JoinAdministration) restart too.
		n.topo.Orgs = st.Topology.Orgs
		err = n.restart(ctx, st)
	case errors.Is(err, os.ErrNotExist):
		if exists(n.layout.root) && !isEmptyDir(n.layout.root) {
			return fmt.Errorf("data directory %s holds an incomplete network (an earlier start failed): run down --purge first", n.layout.root)
		}
		err = n.create(ctx)
	}
	if err != nil {
		return err
	}
	if err := n.connection().Write(n.layout.connectionFile()); err != nil {
		return err
	}
	n.logf("ready in %.1fs", time.Since(began).Seconds())
	return nil
}

// founders is the stored topology with only its first count
// administrations, those it was created with, normalized.
func founders(t Topology, count int) Topology {
	t = normalized(t)
	if len(t.Orgs) > count {
		t.Orgs = t.Orgs[:count]
	}
	return t
}

// normalized drops fields that do not identify the network.
func normalized(t Topology) Topology {
	t.DataDir = ""
	return t
}

func (n *Network) readState() (state, error) {
	var st state
	data, err := os.ReadFile(n.layout.stateFile())
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("read %s: %w", n.layout.stateFile(), err)
	}
	return st, nil
}

func isEmptyDir(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) == 0
}

// checkPortsFree fails, naming the port's field, when a port is taken.
func (n *Network) checkPortsFree() error {
	var errs []error
	for i, o := range n.topo.Orgs {
		if o.Namespace != "" {
			continue // its own host: nothing else listens there
		}
		for _, p := range o.Ports.fields() {
			l, err := net.Listen("tcp", n.addr(o, *p.port))
			if err != nil {
				errs = append(errs, fmt.Errorf("organizations[%d].ports.%s: port %d is already in use", i, p.name, *p.port))
				continue
			}
			l.Close()
		}
	}
	return errors.Join(errs...)
}

// step runs one stage of start-up and reports how long it took.
func (n *Network) step(name string, f func() error) error {
	t := time.Now()
	if err := n.timed(name, f); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	n.logf("  %-44s %6.2fs", name, time.Since(t).Seconds())
	return nil
}

func (n *Network) writeState(st state) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(n.layout.stateFile(), data, 0o644)
}

// stage is one step of start-up (or of a join): a name for the progress
// lines and the timeline, and the work.
type stage struct {
	name string
	f    func() error
}

// runStages runs the stages one after another and stops at the first that
// fails.
func (n *Network) runStages(stages []stage) error {
	for _, s := range stages {
		if err := n.step(s.name, s.f); err != nil {
			return err
		}
	}
	return nil
}
