package network

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"sync"
)

// Separate hosts. A topology with `hosts: namespaces` runs each
// administration's nodes in a Linux network namespace of its own, with its
// own address on a bridge of the network's: the project's stand-in, on one
// machine, for administrations in separate buildings. Every message between
// two administrations then crosses a network interface, every TLS
// certificate is checked against the address it is reached at (not
// 127.0.0.1), and an administration can be cut off by taking its link down.
//
// The bridge is cb<portBase> with the address 10.231.X.1/24, X derived from
// the port base, so networks started side by side do not share a subnet;
// administration i is 10.231.X.(10+i) in namespace <name>-<portBase>-<org>,
// linked to the bridge by the veth pair cv<portBase>.<i> (the namespace's
// end is named eth0). This needs root and iproute2.

// HostsNamespaces is the Topology.Hosts value that puts each administration
// in its own network namespace.
const HostsNamespaces = "namespaces"

// hostsMu serialises changes to namespaces, links and bridges.
var hostsMu sync.Mutex

// firstHostOctet is the last octet of the first administration's address.
const firstHostOctet = 10

// host is the address the administration's nodes listen on and are
// reached at.
func (n *Network) host(o Organization) string {
	if o.Host != "" {
		return o.Host
	}
	return n.topo.Host
}

// subnet is the first three octets of the network's bridge subnet.
func (t Topology) subnet() string { return fmt.Sprintf("10.231.%d", (t.PortBase/100)%256) }

func (t Topology) bridge() string { return fmt.Sprintf("cb%d", t.PortBase) }

// placeOrg gives o, the administration at index i, its namespace and
// address when the topology puts each administration on its own host.
func (t Topology) placeOrg(o *Organization, i int) {
	if t.Hosts != HostsNamespaces || o.Namespace != "" {
		return
	}
	o.Namespace = fmt.Sprintf("%s-%d-%s", t.Name, t.PortBase, o.Name)
	o.Host = fmt.Sprintf("%s.%d", t.subnet(), firstHostOctet+i)
}

// nextHostIndex is the index that places a newcomer on an address no
// administration of the network (member or pending) uses.
func nextHostIndex(orgs []Organization) int {
	next := len(orgs)
	for _, o := range orgs {
		ip := net.ParseIP(o.Host).To4()
		if ip != nil && int(ip[3])-firstHostOctet >= next {
			next = int(ip[3]) - firstHostOctet + 1
		}
	}
	return next
}

// vethOf is the bridge's end of the link of the administration at address
// o.Host.
func (t Topology) vethOf(o Organization) string {
	ip := net.ParseIP(o.Host).To4()
	return fmt.Sprintf("cv%d.%d", t.PortBase, int(ip[3])-firstHostOctet)
}

// setUpHost creates o's namespace, its link to the network's bridge (and
// the bridge, the first time) and its address. It does nothing for an
// administration on this host, and leaves an existing namespace as it is
// (up after down).
func (n *Network) setUpHost(ctx context.Context, o Organization) error {
	if o.Namespace == "" {
		return nil
	}
	hostsMu.Lock() // administrations start side by side; the bridge is made once
	defer hostsMu.Unlock()
	if err := n.setUpBridge(ctx); err != nil {
		return err
	}
	if _, err := ipCmd(ctx, "netns", "exec", o.Namespace, "true"); err == nil {
		return nil
	}
	veth := n.topo.vethOf(o)
	steps := [][]string{
		{"netns", "add", o.Namespace},
		{"link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", o.Namespace},
		{"link", "set", veth, "master", n.topo.bridge()},
		{"link", "set", veth, "up"},
		{"-n", o.Namespace, "addr", "add", o.Host + "/24", "dev", "eth0"},
		{"-n", o.Namespace, "link", "set", "eth0", "up"},
		{"-n", o.Namespace, "link", "set", "lo", "up"},
		{"-n", o.Namespace, "route", "add", "default", "via", n.topo.subnet() + ".1"},
	}
	for _, s := range steps {
		if _, err := ipCmd(ctx, s...); err != nil {
			return fmt.Errorf("host of %s: %w", o.MSPID, err)
		}
	}
	return nil
}

// setUpBridge creates the network's bridge with its address, once, and lets
// traffic between the namespaces through the host's firewall (Docker sets
// the FORWARD chain's policy to DROP, and bridged traffic passes through
// it when br_netfilter is loaded).
func (n *Network) setUpBridge(ctx context.Context) error {
	br := n.topo.bridge()
	if _, err := ipCmd(ctx, "link", "show", br); err == nil {
		return nil
	}
	for _, s := range [][]string{
		{"link", "add", br, "type", "bridge"},
		{"addr", "add", n.topo.subnet() + ".1/24", "dev", br},
		{"link", "set", br, "up"},
	} {
		if _, err := ipCmd(ctx, s...); err != nil {
			return fmt.Errorf("bridge of network %s: %w", n.topo.Name, err)
		}
	}
	if path, err := exec.LookPath("iptables"); err == nil {
		rule := []string{"FORWARD", "-i", br, "-o", br, "-j", "ACCEPT"}
		if exec.CommandContext(ctx, path, append([]string{"-C"}, rule...)...).Run() != nil {
			if out, err := exec.CommandContext(ctx, path, append([]string{"-I"}, rule...)...).CombinedOutput(); err != nil {
				return fmt.Errorf("let traffic through bridge %s: iptables: %s", br, strings.TrimSpace(string(out)))
			}
		}
	}
	return nil
}

// tearDownHosts removes the namespaces of the network's administrations,
// members or not (their links go with them), and its bridge. What is
// already gone is not an error.
func (n *Network) tearDownHosts(ctx context.Context) error {
	if n.topo.Hosts != HostsNamespaces {
		return nil
	}
	var errs []error
	out, err := ipCmd(ctx, "netns", "list")
	if err != nil {
		return err
	}
	prefix := fmt.Sprintf("%s-%d-", n.topo.Name, n.topo.PortBase)
	for _, line := range strings.Split(string(out), "\n") {
		if ns, _, _ := strings.Cut(strings.TrimSpace(line), " "); strings.HasPrefix(ns, prefix) {
			if _, err := ipCmd(ctx, "netns", "delete", ns); err != nil {
				errs = append(errs, err)
			}
		}
	}
	br := n.topo.bridge()
	if _, err := ipCmd(ctx, "link", "show", br); err == nil {
		if _, err := ipCmd(ctx, "link", "delete", br); err != nil {
			errs = append(errs, err)
		}
		if path, err := exec.LookPath("iptables"); err == nil {
			_ = exec.CommandContext(ctx, path, "-D", "FORWARD", "-i", br, "-o", br, "-j", "ACCEPT").Run()
		}
	}
	return errors.Join(errs...)
}

// Disconnect cuts an administration on its own host off the network, as a
// broken link between two buildings would: its nodes keep running but
// reach nobody, and nobody reaches them. Reconnect restores the link.
func (n *Network) Disconnect(ctx context.Context, mspID string) error {
	return n.setLink(ctx, mspID, "down")
}

// Reconnect restores the link Disconnect cut.
func (n *Network) Reconnect(ctx context.Context, mspID string) error {
	return n.setLink(ctx, mspID, "up")
}

func (n *Network) setLink(ctx context.Context, mspID, state string) error {
	o, err := n.org(mspID)
	if err != nil {
		return err
	}
	if o.Namespace == "" {
		return fmt.Errorf("%s runs on this host, not on a host of its own: there is no link to cut (topology hosts: %s)", mspID, HostsNamespaces)
	}
	_, err = ipCmd(ctx, "link", "set", n.topo.vethOf(o), state)
	return err
}

// inHost wraps p so that it runs in o's namespace, when o has one.
func inHost(o Organization, p process) process {
	if o.Namespace == "" {
		return p
	}
	p.Args = append([]string{"netns", "exec", o.Namespace, p.Bin}, p.Args...)
	p.Launcher = ipPath()
	return p
}

// ipPath is iproute2's ip command.
func ipPath() string {
	if p, err := exec.LookPath("ip"); err == nil {
		return p
	}
	return "/usr/sbin/ip"
}

func ipCmd(ctx context.Context, args ...string) ([]byte, error) {
	out, err := exec.CommandContext(ctx, ipPath(), args...).CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("ip %s: %s", strings.Join(args, " "), strings.TrimSpace(string(out)))
	}
	return out, nil
}
