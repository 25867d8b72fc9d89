package configupdate

import (
	"crypto/x509"
	"fmt"
	"net"
	"strconv"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-config/configtx/orderer"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
)

// RemoveAdministration computes the update that removes the member mspID:
// its application organization, its orderer organization and its Raft
// consenters. It refuses an unknown MSP ID, a removal that leaves fewer
// than MinAdministrations members, and one that changes more than one
// consenter at once or leaves fewer consenters than the current cluster's
// quorum. It needs nothing from the leaving member's nodes, which may be
// down.
func RemoveAdministration(current *common.Config, channelID, mspID string) (*Update, error) {
	tx := configtx.New(current)
	m, err := members(&tx)
	if err != nil {
		return nil, err
	}
	app, inApp := find(m.app, mspID)
	ord, inOrd := find(m.ord, mspID)
	if !inApp && !inOrd {
		return nil, fmt.Errorf("%w: %q (members: %v)", ErrUnknownAdministration, mspID, mspIDs(m.app))
	}
	if inApp && len(m.app)-1 < MinAdministrations {
		return nil, fmt.Errorf("%w: removing %s would leave %d of the minimum %d", ErrTooFewAdministrations, mspID, len(m.app)-1, MinAdministrations)
	}
	var leaving []orderer.Consenter
	if inOrd {
		leaving = consentersOf(ord.org, m.consenters)
	}
	if err := keepsQuorum(len(m.consenters), len(leaving), mspID); err != nil {
		return nil, err
	}
	if inApp {
		tx.Application().RemoveOrganization(app.name)
	}
	if inOrd {
		tx.Orderer().RemoveOrganization(ord.name)
	}
	for _, c := range leaving {
		if err := tx.Orderer().RemoveConsenter(c); err != nil {
			return nil, fmt.Errorf("remove consenter %s:%d of %s: %w", c.Address.Host, c.Address.Port, mspID, err)
		}
	}
	return compute(&tx, channelID)
}

// keepsQuorum refuses a consenter change that Raft cannot make safely:
// Fabric changes one consenter per config update, and the remaining
// consenters must on their own be a quorum (n/2+1) of the current cluster.
func keepsQuorum(n, leaving int, mspID string) error {
	remaining := n - leaving
	switch {
	case leaving > 1:
		return fmt.Errorf("%w: %s runs %d consenters and Raft removes one per config update; remove the extra ones first", ErrQuorumLoss, mspID, leaving)
	case remaining < n/2+1:
		return fmt.Errorf("%w: %d of %d consenters would remain, quorum is %d", ErrQuorumLoss, remaining, n, n/2+1)
	}
	return nil
}

// consentersOf returns the consenters that belong to an orderer
// organization: those whose TLS certificate its TLS CAs issued, or that
// listen on one of its orderer endpoints.
func consentersOf(org configtx.Organization, all []orderer.Consenter) []orderer.Consenter {
	cas := append(append([]*x509.Certificate{}, org.MSP.TLSRootCerts...), org.MSP.TLSIntermediateCerts...)
	var out []orderer.Consenter
	for _, c := range all {
		addr := net.JoinHostPort(c.Address.Host, strconv.Itoa(c.Address.Port))
		if issuedBy(c.ServerTLSCert, cas) || issuedBy(c.ClientTLSCert, cas) || contains(org.OrdererEndpoints, addr) {
			out = append(out, c)
		}
	}
	return out
}

func issuedBy(cert *x509.Certificate, cas []*x509.Certificate) bool {
	for _, ca := range cas {
		if cert != nil && cert.CheckSignatureFrom(ca) == nil {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func mspIDs(list []member) []string {
	out := make([]string, len(list))
	for i, o := range list {
		out[i] = o.org.MSP.Name
	}
	return out
}
