package network

import (
	"net"
	"path/filepath"
	"strconv"
	"strings"
)

// containers describes a network whose nodes each run in their own
// container on one bridge network (docker-compose.yaml): every node is
// reached by its DNS name, such as peer0.registry, and listens on all of
// its container's interfaces.
type containers struct {
	// inside is set while addresses are the ones containers use: DNS
	// names. It is unset while identities are issued on the host, and
	// when the host's connection file is written (published ports on
	// 127.0.0.1).
	inside bool
}

// WithContainers prepares the network to run in containers: TLS
// certificates name each node's DNS name as well as 127.0.0.1, and the
// nodes' configuration reaches the others by those names.
func WithContainers() Option {
	return func(n *Network) error {
		n.containers = &containers{}
		return nil
	}
}

// InsideContainer is WithContainers for a civicnet run in a container of
// the network (the compose setup job): it dials nodes by their DNS names,
// and needs no repository.
func InsideContainer() Option {
	return func(n *Network) error {
		n.containers = &containers{inside: true}
		n.repoRoot = string(filepath.Separator)
		return nil
	}
}

// NodeHost is the DNS name of an administration's node between
// containers: "<node>.<administration>", e.g. peer0.registry.
func NodeHost(o Organization, node string) string { return node + "." + o.Name }

// nodeOfPort names the node that listens on a port field of Ports.
func nodeOfPort(field string) string {
	switch {
	case strings.HasPrefix(field, "ca"):
		return "ca"
	case strings.HasPrefix(field, "orderer"):
		return ordererName
	case strings.HasPrefix(field, peer1Name):
		return peer1Name
	case strings.HasPrefix(field, "peer"):
		return peerName
	case strings.HasPrefix(field, "chaincode"):
		return chaincodeName
	case strings.HasPrefix(field, "gateway"):
		return gatewayName
	case strings.HasPrefix(field, "portal"):
		return portalName
	}
	return ""
}

// nodeHost is where the node of o listening on port is reached: between
// containers the node's DNS name (every port of a topology belongs to one
// node), otherwise the administration's host (hosts.go).
func (n *Network) nodeHost(o Organization, port int) string {
	if n.containers != nil && n.containers.inside {
		for _, f := range o.Ports.fields() {
			if *f.port == port {
				if node := nodeOfPort(f.name); node != "" {
					return NodeHost(o, node)
				}
			}
		}
	}
	return n.host(o)
}

// listenHost is the address o's nodes listen on: the administration's
// host, or every interface of a container.
func (n *Network) listenHost(o Organization) string {
	if n.containers != nil && n.containers.inside {
		return "0.0.0.0"
	}
	return n.host(o)
}

func (n *Network) listenAddr(o Organization, port int) string {
	return net.JoinHostPort(n.listenHost(o), strconv.Itoa(port))
}

// tlsHosts are the host names and addresses a node's TLS certificate is
// issued for: 127.0.0.1 and localhost, the administration's own host when
// it has one (hosts.go), and the node's DNS name between containers.
func (n *Network) tlsHosts(o Organization, node string) string {
	hosts := "127.0.0.1,localhost"
	if h := n.host(o); h != "127.0.0.1" && h != "localhost" {
		hosts += "," + h
	}
	if n.containers != nil {
		hosts += "," + NodeHost(o, node)
	}
	return hosts
}

// portalIndex is where the portal keeps its SQLite index: in containers, a
// folder of its own that a volume holds, so that removing the ledger
// (docker-compose down -v) removes the index made from it.
func (n *Network) portalIndex(dir string) string {
	if n.containers != nil {
		return filepath.Join(dir, "index", "portal.db")
	}
	return filepath.Join(dir, "portal.db")
}
