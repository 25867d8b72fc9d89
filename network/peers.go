package network

import "path/filepath"

// Every administration runs peer0; one with `peers: 2` in the topology
// also runs peer1, on its own ports (ports.peer1, peer1Chaincode,
// peer1Operations) and with its own ledger, so that its gateway, which
// lists both, fails over to peer1 when peer0 is lost (gateway/fabric,
// submit.go). Both join the channel, pull blocks from the orderers, and
// have the chaincode installed; one approval per administration covers
// both.

// peerNode is one peer of an administration.
type peerNode struct {
	name      string // enrolment id and DNS name: peer0, peer1
	dir       string // its folder under the administration's: peer, peer1
	port      int
	chaincode int // its chaincode-callback port
	ops       int // its operations (metrics) port
}

// peers are o's peers, peer0 first.
func (o Organization) peers() []peerNode {
	out := []peerNode{{peerName, "peer", o.Ports.Peer, o.Ports.PeerChaincode, o.Ports.PeerOps}}
	if o.Peers >= 2 {
		out = append(out, peerNode{peer1Name, peer1Name, o.Ports.Peer1, o.Ports.Peer1Chaincode, o.Ports.Peer1Ops})
	}
	return out
}

// process name of a peer: "peer.<org>" for peer0 (as before there were
// two), "peer1.<org>" for peer1.
func (p peerNode) processName(o Organization) string {
	if p.name == peerName {
		return "peer." + o.Name
	}
	return p.name + "." + o.Name
}

func (l layout) peerNodeID(o Organization, p peerNode) identity {
	return identity{l.node(o, p.dir)}
}

func (l layout) peerNodeDir(o Organization, p peerNode) string { return l.node(o, p.dir) }

// peerConfigDir is where a peer's core.yaml is.
func (l layout) peerConfigDir(o Organization, p peerNode) string {
	return filepath.Join(l.node(o, p.dir), "config")
}
