package network

import (
	"strings"
	"testing"
)

// TestContainerAddresses checks that between containers every port of the
// topology is reached at the DNS name of the node that listens on it, and
// that nodes listen on every interface; outside, nothing changes.
func TestContainerAddresses(t *testing.T) {
	topo := ComposeTopology()
	topo.applyDefaults()
	n := &Network{topo: topo, containers: &containers{inside: true}}
	treasury := topo.Orgs[1]
	registry := topo.Orgs[0]
	want := []struct {
		o    Organization
		port int
		host string
	}{
		{treasury, treasury.Ports.CA, "ca.treasury"},
		{treasury, treasury.Ports.CAOperations, "ca.treasury"},
		{treasury, treasury.Ports.Orderer, "orderer0.treasury"},
		{treasury, treasury.Ports.OrdererAdmin, "orderer0.treasury"},
		{treasury, treasury.Ports.Peer, "peer0.treasury"},
		{treasury, treasury.Ports.PeerOps, "peer0.treasury"},
		{treasury, treasury.Ports.Peer1, "peer1.treasury"},
		{treasury, treasury.Ports.Peer1Ops, "peer1.treasury"},
		{treasury, treasury.Ports.Chaincode, "chaincode0.treasury"},
		{treasury, treasury.Ports.Gateway, "gateway0.treasury"},
		{registry, registry.Ports.Portal, "portal0.registry"},
	}
	for _, w := range want {
		if got := n.nodeHost(w.o, w.port); got != w.host {
			t.Errorf("port %d: host %q, want %q", w.port, got, w.host)
		}
	}
	if got := n.PortalURL(); got != "http://127.0.0.1:9711" {
		t.Errorf("portal URL %q, want the published http://127.0.0.1:9711", got)
	}
	if got := n.listenAddr(treasury, treasury.Ports.Peer); got != "0.0.0.0:9725" {
		t.Errorf("listen address %q, want 0.0.0.0:9725", got)
	}
	if got := n.tlsHosts(treasury, peerName); got != "127.0.0.1,localhost,peer0.treasury" {
		t.Errorf("TLS hosts %q", got)
	}

	n.containers.inside = false
	if got := n.addr(treasury, treasury.Ports.Peer); got != "127.0.0.1:9725" {
		t.Errorf("on the host: address %q, want 127.0.0.1:9725", got)
	}
	plain := &Network{topo: topo}
	if got := plain.tlsHosts(treasury, peerName); got != "127.0.0.1,localhost" {
		t.Errorf("without containers: TLS hosts %q", got)
	}
}

// TestLaunchScript checks that a launch script runs the image's program
// with exactly the process's arguments and environment, quoted for sh, and
// none of the host's PATH or HOME.
func TestLaunchScript(t *testing.T) {
	s := string(launchScript(process{
		Name: "ca.registry", Bin: "/home/me/.cache/bin/fabric-ca-server",
		Args: []string{"start", "-b", "registrar:it's"},
		Env:  []string{"PATH=/home/me/bin", "HOME=/home/me", "FABRIC_LOGGING_SPEC=info"},
		Dir:  "/data/orgs/registry/ca",
	}))
	for _, want := range []string{
		"cd '/data/orgs/registry/ca' || exit 1\n",
		"exec env -i 'PATH=/usr/local/bin:/bin' 'HOME=/tmp' 'FABRIC_LOGGING_SPEC=info' '/usr/local/bin/fabric-ca-server' 'start' '-b' 'registrar:it'\\''s'\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("launch script lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "/home/me") {
		t.Errorf("launch script carries the host's environment:\n%s", s)
	}
}
