package fabric

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// TrustList reads the member administrations' root CA certificates from the
// channel's current configuration block, keyed by MSP ID: the certificates a
// seal or receipt from a member must chain to. It asks the peer's cscc as u.
func (c *Client) TrustList(ctx context.Context, u *User) (map[string][]*x509.Certificate, error) {
	raw, err := c.EvaluateSystem(ctx, u, "cscc", "GetConfigBlock", c.cfg.Channel)
	if err != nil {
		return nil, err
	}
	return trustListFromConfigBlock(raw)
}

// trustListFromConfigBlock decodes a config block and collects the root
// certificates of every application organization's MSP.
func trustListFromConfigBlock(raw []byte) (map[string][]*x509.Certificate, error) {
	var block common.Block
	if err := proto.Unmarshal(raw, &block); err != nil {
		return nil, fmt.Errorf("decode config block: %w", err)
	}
	if len(block.GetData().GetData()) != 1 {
		return nil, fmt.Errorf("config block %d holds %d transactions, want 1", block.GetHeader().GetNumber(), len(block.GetData().GetData()))
	}
	var env common.Envelope
	if err := proto.Unmarshal(block.GetData().GetData()[0], &env); err != nil {
		return nil, fmt.Errorf("decode config envelope: %w", err)
	}
	var payload common.Payload
	if err := proto.Unmarshal(env.GetPayload(), &payload); err != nil {
		return nil, fmt.Errorf("decode config payload: %w", err)
	}
	var cfgEnv common.ConfigEnvelope
	if err := proto.Unmarshal(payload.GetData(), &cfgEnv); err != nil {
		return nil, fmt.Errorf("decode channel configuration: %w", err)
	}
	app, ok := cfgEnv.GetConfig().GetChannelGroup().GetGroups()["Application"]
	if !ok {
		return nil, fmt.Errorf("channel configuration has no Application group")
	}
	out := map[string][]*x509.Certificate{}
	for name, org := range app.GetGroups() {
		value, ok := org.GetValues()["MSP"]
		if !ok {
			return nil, fmt.Errorf("organization %s has no MSP value", name)
		}
		var mspCfg msp.MSPConfig
		if err := proto.Unmarshal(value.GetValue(), &mspCfg); err != nil {
			return nil, fmt.Errorf("decode MSP of %s: %w", name, err)
		}
		var fabricCfg msp.FabricMSPConfig
		if err := proto.Unmarshal(mspCfg.GetConfig(), &fabricCfg); err != nil {
			return nil, fmt.Errorf("decode Fabric MSP of %s: %w", name, err)
		}
		for _, p := range append(fabricCfg.GetRootCerts(), fabricCfg.GetIntermediateCerts()...) {
			block, _ := pem.Decode(p)
			if block == nil {
				return nil, fmt.Errorf("root certificate of %s is not PEM", fabricCfg.GetName())
			}
			cert, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("parse root certificate of %s: %w", fabricCfg.GetName(), err)
			}
			out[fabricCfg.GetName()] = append(out[fabricCfg.GetName()], cert)
		}
	}
	return out, nil
}
