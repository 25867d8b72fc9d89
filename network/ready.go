package network

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retry calls f until it succeeds, the context ends or within has passed,
// and returns f's last error.
func retry(ctx context.Context, within time.Duration, f func() error) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	delay := 100 * time.Millisecond
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
		delay = min(delay*2, time.Second)
	}
}

// waitPort waits until something accepts connections at addr (host:port),
// failing early if the named process has exited.
func (n *Network) waitPort(ctx context.Context, name string, addr string) error {
	return retry(ctx, 30*time.Second, func() error {
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
	return retry(ctx, within, func() error {
		for _, o := range n.topo.Orgs {
			if v, err := n.metric(ctx, n.addr(o, o.Ports.OrdererOps), "consensus_etcdraft_is_leader", label); err == nil && v == 1 {
				return nil
			}
		}
		return errors.New("no orderer is Raft leader of the channel yet")
	})
}
