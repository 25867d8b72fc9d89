package network

import "context"

// writeNodeConfigs renders the config files of an administration's
// orderer, peer and gateway.
func (n *Network) writeNodeConfigs(o Organization) error {
	if err := n.writeOrdererConfig(o); err != nil {
		return err
	}
	if err := n.writePeerConfig(o); err != nil {
		return err
	}
	return n.writeGatewayConfig(o)
}

// listening is a process and the address it listens on once ready.
type listening struct {
	p    process
	addr string
}

// channelNodes are an administration's orderer and peers, the orderer
// first.
func (n *Network) channelNodes(o Organization) []listening {
	nodes := []listening{{n.ordererProcess(o), n.addr(o, o.Ports.OrdererAdmin)}}
	for _, p := range o.peers() {
		nodes = append(nodes, listening{n.peerNodeProcess(o, p), n.addr(o, p.port)})
	}
	return nodes
}

// serviceNodes are an administration's chaincode service (the network's
// own version) and gateway.
func (n *Network) serviceNodes(o Organization, packageID string) []listening {
	return []listening{{n.chaincodeProcess(o, packageID), n.addr(o, o.Ports.Chaincode)}, n.gatewayNode(o)}
}

func (n *Network) gatewayNode(o Organization) listening {
	return listening{n.gatewayProcess(o), n.addr(o, o.Ports.Gateway)}
}

// orgNodes are an administration's orderer, peer, chaincode service and
// gateway (and second peer), in the order they start.
func (n *Network) orgNodes(o Organization, packageID string) []listening {
	nodes := []listening{
		{n.ordererProcess(o), n.addr(o, o.Ports.OrdererAdmin)},
		{n.peerProcess(o), n.addr(o, o.Ports.Peer)},
		{n.chaincodeProcess(o, packageID), n.addr(o, o.Ports.Chaincode)},
		n.gatewayNode(o),
	}
	// A second peer last, so that the positions above stay as they are.
	for _, p := range o.peers()[1:] {
		nodes = append(nodes, listening{n.peerNodeProcess(o, p), n.addr(o, p.port)})
	}
	return nodes
}

// startListening starts the processes, then waits until each listens.
func (n *Network) startListening(ctx context.Context, procs []listening) error {
	if err := n.startAll(procs); err != nil {
		return err
	}
	return n.waitListening(ctx, procs)
}

// startAll starts the processes without waiting for them.
func (n *Network) startAll(procs []listening) error {
	for _, pp := range procs {
		if err := n.layout.start(pp.p); err != nil {
			return err
		}
	}
	return nil
}

// waitListening waits until each process listens, all at once.
func (n *Network) waitListening(ctx context.Context, procs []listening) error {
	waits := make([]func() error, len(procs))
	for i, pp := range procs {
		waits[i] = func() error {
			return n.timed("listen "+pp.p.Name, func() error { return n.waitPort(ctx, pp.p.Name, pp.addr) })
		}
	}
	return concurrently(waits...)
}
