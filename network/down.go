package network

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/civicledger/civicledger/network/procs"
)

// stopOrder is the order in which kinds of process are stopped: clients of
// a tier go before the tier they use.
var stopOrder = []string{"portal.", "gateway.", "chaincode.", "peer.", "peer1.", "orderer.", "ca."}

// Down stops every process this network started, found through its pid
// files. With purge it then deletes the data directory.
func (n *Network) Down(ctx context.Context, purge bool) error {
	names, err := procs.Names(n.layout.root)
	if err != nil {
		return err
	}
	var errs []error
	for _, prefix := range stopOrder {
		var wg sync.WaitGroup
		var mu sync.Mutex
		for _, name := range names {
			if !strings.HasPrefix(name, prefix) {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := n.layout.stop(ctx, name, 10*time.Second); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	n.logf("stopped %d processes of %s", len(names), n.topo.Name)
	if purge {
		if err := n.tearDownHosts(ctx); err != nil {
			return fmt.Errorf("purge: %w", err)
		}
		if !exists(n.layout.stateFile()) && !exists(filepath.Join(n.layout.root, "orgs")) {
			if exists(n.layout.root) && !isEmptyDir(n.layout.root) {
				return fmt.Errorf("purge: %s does not look like a CivicLedger data directory; not removing it", n.layout.root)
			}
		}
		if err := os.RemoveAll(n.layout.root); err != nil {
			return fmt.Errorf("purge %s: %w", n.layout.root, err)
		}
		n.logf("removed %s", n.layout.root)
	}
	return nil
}

// ProcessStatus is one process of the network as Status sees it.
type ProcessStatus struct {
	Name    string
	PID     int
	Running bool
	Log     string
}

// Status reports every process the network expects, whether it runs, and
// where it logs.
func (n *Network) Status() []ProcessStatus {
	var out []ProcessStatus
	st, stErr := n.readState()
	for _, o := range n.topo.Orgs {
		names := []string{"ca." + o.Name, "orderer." + o.Name, "peer." + o.Name}
		for _, p := range o.peers()[1:] {
			names = append(names, p.processName(o))
		}
		if stErr != nil {
			names = append(names, "chaincode."+o.Name)
		}
		for _, l := range n.chaincodeServices(st, o) {
			names = append(names, l.p.Name)
		}
		for _, name := range append(names, "gateway."+o.Name) {
			pid, ok := n.layout.running(name)
			out = append(out, ProcessStatus{Name: name, PID: pid, Running: ok, Log: n.layout.logFile(name)})
		}
	}
	if n.hasPortal() {
		name := n.portalProcess().Name
		pid, ok := n.layout.running(name)
		out = append(out, ProcessStatus{Name: name, PID: pid, Running: ok, Log: n.layout.logFile(name)})
	}
	return out
}

// Running reports whether every process of the network runs.
func (n *Network) Running() bool {
	for _, p := range n.Status() {
		if !p.Running {
			return false
		}
	}
	return true
}

// Initialized reports whether the data directory holds a complete network.
func (n *Network) Initialized() bool { return exists(n.layout.stateFile()) }
