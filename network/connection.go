package network

import "github.com/civicledger/civicledger/network/connfile"

// connection describes the running network for its clients; Up writes it to
// the connection file (format and readers in package connfile).
func (n *Network) connection() connfile.Connection {
	c := connfile.Connection{Name: n.topo.Name, Channel: n.topo.Channel, Chaincode: n.topo.Chaincode.Name, DataDir: n.layout.root}
	for _, o := range n.topo.Orgs {
		oc := connfile.OrgConnection{
			MSPID: o.MSPID, Name: o.Name, DisplayName: o.DisplayName,
			TLSRootCert: n.layout.caCert(o),
			CA:          connfile.Endpoint{Address: n.addr(o, o.Ports.CA), Operations: n.addr(o, o.Ports.CAOperations)},
			CAName:      caName(o),
			Orderer:     connfile.Endpoint{Address: n.addr(o, o.Ports.Orderer), Admin: n.addr(o, o.Ports.OrdererAdmin), Operations: n.addr(o, o.Ports.OrdererOps)},
			Peer:        connfile.Endpoint{Address: n.addr(o, o.Ports.Peer), Operations: n.addr(o, o.Ports.PeerOps)},
			Chaincode:   n.addr(o, o.Ports.Chaincode),
			Gateway:     connfile.Endpoint{Address: n.addr(o, o.Ports.Gateway), Operations: n.addr(o, o.Ports.GatewayOps)},
			Users:       map[string]connfile.UserFile{},
		}
		for _, u := range o.Users {
			id := n.layout.userID(o, u.Name)
			uf := connfile.UserFile{Role: u.Role, Cert: id.Cert(), Key: id.Key(), MSPDir: id.MSPDir()}
			if exists(id.TLSCert()) {
				uf.TLSCert, uf.TLSKey = id.TLSCert(), id.TLSKey()
			}
			oc.Users[u.Name] = uf
		}
		c.Orgs = append(c.Orgs, oc)
	}
	return c
}
