package network

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// retry calls f until it succeeds, the context ends or within has passed,
// and returns f's last error. It waits 100 ms after the first failure,
// then twice as long each time, up to a second.
func retry(ctx context.Context, within time.Duration, f func() error) error {
	return repeat(ctx, within, 100*time.Millisecond, time.Second, f)
}

// poll is retry every interval, without backing off: for cheap local
// checks (a port, a metric, an endorsement that cannot be planned yet),
// where a doubling delay would notice readiness up to a second late.
func poll(ctx context.Context, within, interval time.Duration, f func() error) error {
	return repeat(ctx, within, interval, interval, f)
}

// repeat calls f until it succeeds, the context ends or within has passed,
// waiting first after a failure, then twice as long each time up to most.
func repeat(ctx context.Context, within, first, most time.Duration, f func() error) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	delay := first
	for {
		err := f()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(delay):
		}
		delay = min(delay*2, most)
	}
}

// pollInterval is how often readiness is checked.
const pollInterval = 50 * time.Millisecond

// waitPort waits until something accepts connections at addr (host:port),
// failing early if the named process has exited.
func (n *Network) waitPort(ctx context.Context, name string, addr string) error {
	return poll(ctx, 30*time.Second, pollInterval, func() error {
		if _, alive := n.layout.running(name); !alive {
			return fmt.Errorf("%s exited; see %s", name, n.layout.logFile(name))
		}
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return fmt.Errorf("%s does not accept connections at %s yet: %w", name, addr, err)
		}
		return c.Close()
	})
}

// metric reads one Prometheus sample from an operations endpoint: the value
// of the first series whose name and labels contain all of match.
func (n *Network) metric(ctx context.Context, addr string, name string, match ...string) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("read metrics at %s: %w", addr, err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
lines:
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name) {
			continue
		}
		for _, m := range match {
			if !strings.Contains(line, m) {
				continue lines
			}
		}
		fields := strings.Fields(line)
		return strconv.ParseFloat(fields[len(fields)-1], 64)
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errNoSample
}

var errNoSample = errors.New("metric not reported yet")

// waitRaftLeader waits until one orderer reports itself Raft leader of the
// channel: before that, lifecycle transactions cannot be ordered.
func (n *Network) waitRaftLeader(ctx context.Context) error {
	return n.waitRaftLeaderWithin(ctx, 60*time.Second)
}

func (n *Network) waitRaftLeaderWithin(ctx context.Context, within time.Duration) error {
	label := fmt.Sprintf(`channel="%s"`, n.topo.Channel)
	return poll(ctx, within, 2*pollInterval, func() error {
		for _, o := range n.topo.Orgs {
			if v, err := n.metric(ctx, n.addr(o, o.Ports.OrdererOps), "consensus_etcdraft_is_leader", label); err == nil && v == 1 {
				return nil
			}
		}
		return errors.New("no orderer is Raft leader of the channel yet")
	})
}

// waitRaftLeaderKnown waits until one orderer is Raft leader of the new
// channel and every orderer has seen a leader (its leader_changes count is
// no longer 0), so that a transaction sent to any of them is forwarded
// rather than refused for want of a leader. An orderer that has seen none
// after leaderKnownWait is hung applying the channel's first Raft
// membership (Fabric 2.5.0, hyperledger/fabric#4199): it is restarted, up
// to twice.
func (n *Network) waitRaftLeaderKnown(ctx context.Context) error {
	if err := n.waitRaftLeader(ctx); err != nil {
		return err
	}
	label := fmt.Sprintf(`channel="%s"`, n.topo.Channel)
	var stuck []Organization
	for attempt := range 3 {
		if attempt > 0 {
			for _, o := range stuck {
				n.logf("  orderer of %s has seen no Raft leader after %s: restarting it (Fabric 2.5.0, hyperledger/fabric#4199)", o.MSPID, leaderKnownWait)
				if err := n.restartOrderer(ctx, o); err != nil {
					return err
				}
			}
		}
		err := poll(ctx, leaderKnownWait, pollInterval, func() error {
			stuck = slices.DeleteFunc(slices.Clone(n.topo.Orgs), func(o Organization) bool {
				v, err := n.metric(ctx, n.addr(o, o.Ports.OrdererOps), "consensus_etcdraft_leader_changes", label)
				return err == nil && v >= 1
			})
			if len(stuck) > 0 {
				return fmt.Errorf("the orderer of %s has not seen a Raft leader yet", stuck[0].MSPID)
			}
			return nil
		})
		if err == nil || ctx.Err() != nil {
			return err
		}
	}
	return fmt.Errorf("the orderer of %s has seen no Raft leader (restarted twice)", stuck[0].MSPID)
}

// leaderKnownWait is how long a new channel's orderers get to see the
// leader: a new channel elects one at once.
const leaderKnownWait = 10 * time.Second
