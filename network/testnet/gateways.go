package testnet

import (
	"sync"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/civicledger/civicledger/network/connfile"
)

// gateways caches the fabric-gateway connections of a test network, one per
// administration and user; Stop closes them.
type gateways struct {
	mu    sync.Mutex
	conns map[string]*connfile.Gateway
}

// Gateway returns a connection to mspID's own peer as user, shared by every
// caller for the life of the network.
func (n *Network) Gateway(mspID, user string) (*connfile.Gateway, error) {
	n.gw.mu.Lock()
	defer n.gw.mu.Unlock()
	k := mspID + "/" + user
	if gw, ok := n.gw.conns[k]; ok {
		return gw, nil
	}
	gw, err := n.Conn.Connect(mspID, user)
	if err != nil {
		return nil, err
	}
	if n.gw.conns == nil {
		n.gw.conns = map[string]*connfile.Gateway{}
	}
	n.gw.conns[k] = gw
	return gw, nil
}

// Contract returns the CivicLedger chaincode as user of mspID sees it
// through that administration's peer.
func (n *Network) Contract(mspID, user string) (*client.Contract, error) {
	gw, err := n.Gateway(mspID, user)
	if err != nil {
		return nil, err
	}
	return gw.GetNetwork(n.Conn.Channel).GetContract(n.Conn.Chaincode), nil
}

func (g *gateways) closeAll() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for k, gw := range g.conns {
		gw.Close()
		delete(g.conns, k)
	}
}
