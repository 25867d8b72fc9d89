package receipt

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"sort"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	mspproto "github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// Config is a channel configuration as far as verification needs it: the
// member MSPs and the policy tree.
type Config struct {
	// BlockNumber and HeaderHash identify the configuration block; the
	// header hash is what a trust file lists.
	BlockNumber uint64
	HeaderHash  [32]byte
	Channel     string
	// MSPs by MSP ID, from the application and orderer groups.
	MSPs map[string]*MSP
	// AppOrgs names the Application sub-group of each application MSP ID
	// (e.g. RegistryMSP → Registry), where its own policies are.
	AppOrgs map[string]string
	// Root is the channel group; its Application and Orderer groups hold
	// the endorsement and block validation policies.
	Root *common.ConfigGroup
	// block is the configuration block, whose orderer signatures are
	// checked unless it is the genesis block.
	block *common.Block
}

// MSP is one member's certificate authority setup.
type MSP struct {
	ID            string
	Roots         []*x509.Certificate
	Intermediates []*x509.Certificate
	Admins        [][]byte // DER
	NodeOUs       *mspproto.FabricNodeOUs
	CRLs          []*x509.RevocationList
	Application   bool
	Orderer       bool
}

// ParseConfigBlock decodes a configuration block and checks that its data
// matches its header.
func ParseConfigBlock(raw []byte) (*Config, error) {
	var block common.Block
	if err := proto.Unmarshal(raw, &block); err != nil {
		return nil, fmt.Errorf("decode configuration block: %w", err)
	}
	if block.GetHeader() == nil {
		return nil, fmt.Errorf("configuration block has no header")
	}
	if err := checkDataHash(&block); err != nil {
		return nil, fmt.Errorf("configuration block %d: %w", block.GetHeader().GetNumber(), err)
	}
	if len(block.GetData().GetData()) != 1 {
		return nil, fmt.Errorf("configuration block %d holds %d transactions, want 1", block.GetHeader().GetNumber(), len(block.GetData().GetData()))
	}
	env, err := decodeEnvelope(block.GetData().GetData()[0])
	if err != nil {
		return nil, fmt.Errorf("configuration block %d: %w", block.GetHeader().GetNumber(), err)
	}
	if common.HeaderType(env.channel.GetType()) != common.HeaderType_CONFIG {
		return nil, fmt.Errorf("block %d is not a configuration block (type %s)", block.GetHeader().GetNumber(), common.HeaderType(env.channel.GetType()))
	}
	var cfgEnv common.ConfigEnvelope
	if err := proto.Unmarshal(env.payload.GetData(), &cfgEnv); err != nil {
		return nil, fmt.Errorf("decode channel configuration: %w", err)
	}
	root := cfgEnv.GetConfig().GetChannelGroup()
	if root == nil {
		return nil, fmt.Errorf("configuration block %d has no channel group", block.GetHeader().GetNumber())
	}
	c, err := NewConfig(env.channel.GetChannelId(), root)
	if err != nil {
		return nil, err
	}
	c.BlockNumber = block.GetHeader().GetNumber()
	c.HeaderHash = headerHash(block.GetHeader())
	c.block = &block
	return c, nil
}

// NewConfig reads the member MSPs of a channel group that did not come in a
// block (a configuration about to be changed, say); such a Config evaluates
// signatures and policies but identifies no block.
func NewConfig(channel string, root *common.ConfigGroup) (*Config, error) {
	if root == nil {
		return nil, fmt.Errorf("channel %s: no channel group", channel)
	}
	c := &Config{Channel: channel, MSPs: map[string]*MSP{}, AppOrgs: map[string]string{}, Root: root}
	for _, group := range []string{"Application", "Orderer"} {
		for _, name := range sortedKeys(root.GetGroups()[group].GetGroups()) {
			m, err := c.addMSP(root.GetGroups()[group].GetGroups()[name])
			if err != nil {
				return nil, fmt.Errorf("%s organization %s: %w", group, name, err)
			}
			m.Application = m.Application || group == "Application"
			if group == "Application" {
				c.AppOrgs[m.ID] = name
			}
			m.Orderer = m.Orderer || group == "Orderer"
		}
	}
	return c, nil
}

// addMSP decodes an organization's MSP value; an MSP that appears in both
// groups is decoded once.
func (c *Config) addMSP(org *common.ConfigGroup) (*MSP, error) {
	value, ok := org.GetValues()["MSP"]
	if !ok {
		return nil, fmt.Errorf("no MSP value")
	}
	var mc mspproto.MSPConfig
	if err := proto.Unmarshal(value.GetValue(), &mc); err != nil {
		return nil, fmt.Errorf("decode MSP: %w", err)
	}
	var fc mspproto.FabricMSPConfig
	if err := proto.Unmarshal(mc.GetConfig(), &fc); err != nil {
		return nil, fmt.Errorf("decode Fabric MSP: %w", err)
	}
	if m, ok := c.MSPs[fc.GetName()]; ok {
		return m, nil
	}
	m := &MSP{ID: fc.GetName(), NodeOUs: fc.GetFabricNodeOus()}
	var err error
	if m.Roots, err = parseCerts(fc.GetRootCerts()); err != nil {
		return nil, fmt.Errorf("root certificates: %w", err)
	}
	if len(m.Roots) == 0 {
		return nil, fmt.Errorf("MSP %s has no root certificate", fc.GetName())
	}
	if m.Intermediates, err = parseCerts(fc.GetIntermediateCerts()); err != nil {
		return nil, fmt.Errorf("intermediate certificates: %w", err)
	}
	admins, err := parseCerts(fc.GetAdmins())
	if err != nil {
		return nil, fmt.Errorf("admin certificates: %w", err)
	}
	for _, a := range admins {
		m.Admins = append(m.Admins, a.Raw)
	}
	for _, p := range fc.GetRevocationList() {
		der := p
		if b, _ := pem.Decode(p); b != nil {
			der = b.Bytes
		}
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			return nil, fmt.Errorf("revocation list: %w", err)
		}
		m.CRLs = append(m.CRLs, crl)
	}
	c.MSPs[m.ID] = m
	return m, nil
}

func parseCerts(pems [][]byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, p := range pems {
		b, _ := pem.Decode(p)
		if b == nil {
			return nil, fmt.Errorf("not PEM")
		}
		cert, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, cert)
	}
	return out, nil
}

// group returns a direct sub-group of the channel group (Application,
// Orderer), or nil.
func (c *Config) group(name string) *common.ConfigGroup {
	return c.Root.GetGroups()[name]
}

// MemberIDs lists the MSP IDs of the application organizations, sorted.
func (c *Config) MemberIDs() []string {
	var out []string
	for id, m := range c.MSPs {
		if m.Application {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fingerprint is the lowercase hex SHA-256 of a certificate's DER.
func fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return fmt.Sprintf("%x", sum)
}
