package configupdate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hyperledger/fabric-config/configtx"
	"github.com/hyperledger/fabric-config/configtx/membership"
	"github.com/hyperledger/fabric-config/configtx/orderer"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// Update is a computed config update.
type Update struct {
	// Bytes is the marshalled common.ConfigUpdate: what admins sign and the
	// envelope carries.
	Bytes []byte
	// Proto is Bytes decoded.
	Proto *common.ConfigUpdate
	// Sequence is the sequence of the configuration it was computed against;
	// it applies only while that is the current one.
	Sequence uint64
	// Next is the configuration the update leads to, with the sequence the
	// orderer will give it (Sequence+1).
	Next *common.Config
}

// AddAdministration computes the update that makes org a member: its
// organization in the Application group (with its anchor peer) and in the
// Orderer group (with its orderer endpoint), each with the policies of an
// existing member with the MSP ID swapped, and its consenter in the Raft
// metadata.
func AddAdministration(current *common.Config, channelID string, org Administration) (*Update, error) {
	p, err := org.parse()
	if err != nil {
		return nil, err
	}
	tx := configtx.New(current)
	members, err := members(&tx)
	if err != nil {
		return nil, err
	}
	if err := members.refuseDuplicate(p); err != nil {
		return nil, err
	}
	tmplName := members.app[0].name
	tmplApp, err := tx.Application().Organization(tmplName).Configuration()
	if err != nil {
		return nil, fmt.Errorf("read application organization %s: %w", tmplName, err)
	}
	msp := newcomerMSP(p, tmplApp.MSP)
	err = tx.Application().SetOrganization(configtx.Organization{
		Name:        p.MSPID,
		Policies:    swapMSP(tmplApp.Policies, tmplApp.MSP.Name, p.MSPID),
		MSP:         msp,
		AnchorPeers: []configtx.Address{{Host: p.AnchorPeer.Host, Port: p.AnchorPeer.Port}},
	})
	if err != nil {
		return nil, fmt.Errorf("add %s to the application group: %w", p.MSPID, err)
	}
	tmplOrd, err := members.ordererTemplate(&tx)
	if err != nil {
		return nil, err
	}
	err = tx.Orderer().SetOrganization(configtx.Organization{
		Name:             p.MSPID,
		Policies:         swapMSP(tmplOrd.Policies, tmplOrd.MSP.Name, p.MSPID),
		MSP:              msp,
		OrdererEndpoints: []string{p.OrdererEndpoint.String()},
	})
	if err != nil {
		return nil, fmt.Errorf("add %s to the orderer group: %w", p.MSPID, err)
	}
	err = tx.Orderer().AddConsenter(orderer.Consenter{
		Address:       orderer.EtcdAddress{Host: p.Consenter.Host, Port: p.Consenter.Port},
		ClientTLSCert: p.clientTLS,
		ServerTLSCert: p.serverTLS,
	})
	if err != nil {
		return nil, fmt.Errorf("add the consenter of %s: %w", p.MSPID, err)
	}
	return compute(&tx, channelID)
}

// newcomerMSP gives the newcomer's certificates the template member's MSP
// shape: its crypto config, and node OUs with the same OU names, each
// pinned to the newcomer's root CA where the template pins its own.
func newcomerMSP(p *parsed, tmpl configtx.MSP) configtx.MSP {
	ou := func(t membership.OUIdentifier) membership.OUIdentifier {
		out := membership.OUIdentifier{OrganizationalUnitIdentifier: t.OrganizationalUnitIdentifier}
		if t.Certificate != nil {
			out.Certificate = p.roots[0]
		}
		return out
	}
	return configtx.MSP{
		Name:         p.MSPID,
		RootCerts:    p.roots,
		TLSRootCerts: p.tlsRoots,
		CryptoConfig: tmpl.CryptoConfig,
		NodeOUs: membership.NodeOUs{
			Enable:              tmpl.NodeOUs.Enable,
			ClientOUIdentifier:  ou(tmpl.NodeOUs.ClientOUIdentifier),
			PeerOUIdentifier:    ou(tmpl.NodeOUs.PeerOUIdentifier),
			AdminOUIdentifier:   ou(tmpl.NodeOUs.AdminOUIdentifier),
			OrdererOUIdentifier: ou(tmpl.NodeOUs.OrdererOUIdentifier),
		},
	}
}

// swapMSP rewrites signature policy rules such as OR('A.admin','A.peer')
// to name MSP to instead of from.
func swapMSP(policies map[string]configtx.Policy, from, to string) map[string]configtx.Policy {
	out := make(map[string]configtx.Policy, len(policies))
	for name, pol := range policies {
		pol.Rule = strings.ReplaceAll(pol.Rule, "'"+from+".", "'"+to+".")
		out[name] = pol
	}
	return out
}

// compute marshals the difference between the original and the updated
// configuration as a config update of channelID.
func compute(tx *configtx.ConfigTx, channelID string) (*Update, error) {
	raw, err := tx.ComputeMarshaledUpdate(channelID)
	if err != nil {
		return nil, fmt.Errorf("compute the config update: %w", err)
	}
	var u common.ConfigUpdate
	if err := proto.Unmarshal(raw, &u); err != nil {
		return nil, fmt.Errorf("decode the computed config update: %w", err)
	}
	return &Update{Bytes: raw, Proto: &u, Sequence: tx.OriginalConfig().GetSequence(), Next: apply(tx.OriginalConfig(), &u)}, nil
}

// sortedKeys lists a map's keys in order, so templates and messages do not
// depend on map order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
