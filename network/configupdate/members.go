package configupdate

import (
	"fmt"
	"sort"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-config/configtx/orderer"
)

// member is an organization of the Application or Orderer group: its group
// name and its configuration (whose MSP.Name is the MSP ID).
type member struct {
	name string
	org  configtx.Organization
}

// memberSet is who is in the channel now.
type memberSet struct {
	app, ord   []member // sorted by group name
	consenters []orderer.Consenter
}

// members reads the organizations and the Raft consenters of a
// configuration; it must have an application organization to copy from and
// use etcdraft.
func members(tx *configtx.ConfigTx) (*memberSet, error) {
	app, err := tx.Application().Configuration()
	if err != nil {
		return nil, fmt.Errorf("read the application group: %w", err)
	}
	ord, err := tx.Orderer().Configuration()
	if err != nil {
		return nil, fmt.Errorf("read the orderer group: %w", err)
	}
	if ord.OrdererType != orderer.ConsensusTypeEtcdRaft {
		return nil, fmt.Errorf("the ordering service uses %s, only etcdraft is supported", ord.OrdererType)
	}
	m := &memberSet{consenters: ord.EtcdRaft.Consenters}
	for _, o := range app.Organizations {
		m.app = append(m.app, member{o.Name, o})
	}
	for _, o := range ord.Organizations {
		m.ord = append(m.ord, member{o.Name, o})
	}
	for _, s := range [][]member{m.app, m.ord} {
		sort.Slice(s, func(i, j int) bool { return s[i].name < s[j].name })
	}
	if len(m.app) == 0 || len(m.ord) == 0 {
		return nil, fmt.Errorf("the channel has no member to copy policies from")
	}
	return m, nil
}

// find returns the member of list whose MSP ID (or group name) is mspID.
func find(list []member, mspID string) (member, bool) {
	for _, o := range list {
		if o.org.MSP.Name == mspID || o.name == mspID {
			return o, true
		}
	}
	return member{}, false
}

// ordererTemplate is the orderer organization whose policies a newcomer's
// copy: the one of the same member as the application template if it runs
// an orderer, else the first.
func (m *memberSet) ordererTemplate(tx *configtx.ConfigTx) (configtx.Organization, error) {
	if o, ok := find(m.ord, m.app[0].org.MSP.Name); ok {
		return o.org, nil
	}
	return m.ord[0].org, nil
}

// refuseDuplicate refuses a newcomer whose MSP ID or any endpoint or
// consenter certificate is already in the channel.
func (m *memberSet) refuseDuplicate(p *parsed) error {
	if _, ok := find(m.app, p.MSPID); ok {
		return fmt.Errorf("%w: %s is already an application organization", ErrDuplicateAdministration, p.MSPID)
	}
	if _, ok := find(m.ord, p.MSPID); ok {
		return fmt.Errorf("%w: %s is already an orderer organization", ErrDuplicateAdministration, p.MSPID)
	}
	for _, o := range m.app {
		for _, a := range o.org.AnchorPeers {
			if a.Host == p.AnchorPeer.Host && a.Port == p.AnchorPeer.Port {
				return fmt.Errorf("%w: anchor peer %s is %s's", ErrDuplicateAdministration, p.AnchorPeer, o.org.MSP.Name)
			}
		}
	}
	for _, o := range m.ord {
		for _, e := range o.org.OrdererEndpoints {
			if e == p.OrdererEndpoint.String() {
				return fmt.Errorf("%w: orderer endpoint %s is %s's", ErrDuplicateAdministration, e, o.org.MSP.Name)
			}
		}
	}
	for _, c := range m.consenters {
		if c.Address.Host == p.Consenter.Host && c.Address.Port == p.Consenter.Port {
			return fmt.Errorf("%w: consenter %s is already in the Raft cluster", ErrDuplicateAdministration, p.Consenter.Endpoint)
		}
		if c.ClientTLSCert.Equal(p.clientTLS) || c.ServerTLSCert.Equal(p.serverTLS) {
			return fmt.Errorf("%w: the consenter's TLS certificate is already a consenter's (%s)", ErrDuplicateAdministration, c.Address.Host)
		}
	}
	return nil
}
