package receipt

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// Trust is what a verifier trusts before reading a receipt: the channel
// configurations the administrations published, each named by the hash of
// its block header. A receipt verifies only against one of them, so a
// receipt that brings its own, forged, configuration (with a foreign CA as
// a member) is refused.
type Trust struct {
	Channel        string          `json:"channel"`
	Configurations []TrustedConfig `json:"configurations"`
}

// TrustedConfig names one configuration block of the channel.
type TrustedConfig struct {
	BlockNumber uint64 `json:"blockNumber"`
	// HeaderSHA256 is the lowercase hex SHA-256 of the block header's DER
	// encoding (the block hash Fabric chains blocks with).
	HeaderSHA256 string `json:"headerSha256"`
	// Members lists the application organizations' MSP IDs, for people.
	Members []string `json:"members,omitempty"`
}

// NewTrust lists the given configurations of a channel as trusted.
func NewTrust(channel string, configs ...*Config) *Trust {
	t := &Trust{Channel: channel}
	for _, c := range configs {
		t.Configurations = append(t.Configurations, TrustedConfig{
			BlockNumber: c.BlockNumber, HeaderSHA256: hex.EncodeToString(c.HeaderHash[:]), Members: c.MemberIDs(),
		})
	}
	return t
}

// ParseTrust decodes a trust file strictly.
func ParseTrust(data []byte) (*Trust, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t Trust
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("decode trust file: %w", err)
	}
	if t.Channel == "" || len(t.Configurations) == 0 {
		return nil, fmt.Errorf("trust file must name the channel and at least one configuration")
	}
	for _, c := range t.Configurations {
		if b, err := hex.DecodeString(c.HeaderSHA256); err != nil || len(b) != 32 {
			return nil, fmt.Errorf("trust file: configuration %d: headerSha256 must be 64 hex digits", c.BlockNumber)
		}
	}
	return &t, nil
}

// trusts tells whether cfg is one of the trusted configurations.
func (t *Trust) trusts(cfg *Config) bool {
	if t == nil || t.Channel != cfg.Channel {
		return false
	}
	want := hex.EncodeToString(cfg.HeaderHash[:])
	for _, c := range t.Configurations {
		if c.BlockNumber == cfg.BlockNumber && c.HeaderSHA256 == want {
			return true
		}
	}
	return false
}
