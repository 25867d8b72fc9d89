package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Portal is the configuration of the transparency portal (civicportal).
type Portal struct {
	// Listen is the HTTP listen address, e.g. 127.0.0.1:7011.
	Listen string `mapstructure:"listen"`
	// BaseURL is the portal's public address, the one seal links open.
	BaseURL string `mapstructure:"baseURL"`
	// Language is the page language when the browser asks for none the
	// portal speaks: en or fr.
	Language string `mapstructure:"language"`
	// MSPID is the administration whose peers the portal reads through,
	// and that enrolled its identity.
	MSPID string `mapstructure:"mspId"`
	// Identity is the portal's own certificate and key: a client of MSPID
	// whose role the chaincode accepts for no write.
	Identity Seal   `mapstructure:"identity"`
	Peers    []Peer `mapstructure:"peers"`
	Channel  string `mapstructure:"channel"`
	// Chaincode is the CivicLedger chaincode's name on the channel.
	Chaincode string `mapstructure:"chaincode"`
	// Index is the path of the SQLite index the portal fills from blocks.
	Index string `mapstructure:"index"`
	// Timeouts bound a ledger evaluation and a whole HTTP request.
	Timeouts PortalTimeouts `mapstructure:"timeouts"`
	LogLevel string         `mapstructure:"logLevel"`
}

// PortalTimeouts bound the portal's calls.
type PortalTimeouts struct {
	Evaluate time.Duration `mapstructure:"evaluate"`
	Request  time.Duration `mapstructure:"request"`
	// Reconnect is the pause before the block stream is reopened.
	Reconnect time.Duration `mapstructure:"reconnect"`
}

// PortalEnvPrefix prefixes the environment variables of the portal, e.g.
// CIVIC_PORTAL_LISTEN.
const PortalEnvPrefix = "CIVIC_PORTAL"

// DefaultPortal returns the portal's defaults.
func DefaultPortal() Portal {
	return Portal{
		Listen: "127.0.0.1:7011", BaseURL: "http://127.0.0.1:7011", Language: "en",
		Channel: "civic", Chaincode: "civic", Index: "portal.db", LogLevel: "info",
		Timeouts: PortalTimeouts{Evaluate: 5 * time.Second, Request: 10 * time.Second, Reconnect: 2 * time.Second},
	}
}

// Validate reports every problem at once, naming the setting.
func (c Portal) Validate() error {
	var errs []error
	need := func(name, v string) {
		if strings.TrimSpace(v) == "" {
			errs = append(errs, fmt.Errorf("%s is required", name))
		}
	}
	file := func(name, path string) {
		need(name, path)
		if path != "" {
			if _, err := os.Stat(path); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
	}
	need("listen", c.Listen)
	need("mspId", c.MSPID)
	need("channel", c.Channel)
	need("chaincode", c.Chaincode)
	need("index", c.Index)
	file("identity.cert", c.Identity.Cert)
	file("identity.key", c.Identity.Key)
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, fmt.Errorf("baseURL %q must be an http or https URL", c.BaseURL))
	}
	if c.Language != "en" && c.Language != "fr" {
		errs = append(errs, fmt.Errorf("language %q is not one of en, fr", c.Language))
	}
	if len(c.Peers) == 0 {
		errs = append(errs, errors.New("peers: at least one peer is required"))
	}
	for i, p := range c.Peers {
		need(fmt.Sprintf("peers[%d].address", i), p.Address)
		file(fmt.Sprintf("peers[%d].tlsRootCert", i), p.TLSRootCert)
	}
	for name, d := range map[string]time.Duration{"timeouts.evaluate": c.Timeouts.Evaluate,
		"timeouts.request": c.Timeouts.Request, "timeouts.reconnect": c.Timeouts.Reconnect} {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive, got %s", name, d))
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("logLevel %q is not one of debug, info, warn, error", c.LogLevel))
	}
	return errors.Join(errs...)
}

// PortalFlags registers the portal's command-line flags.
func PortalFlags(fs *pflag.FlagSet) {
	fs.String("config", "", "configuration file (YAML)")
	fs.String("listen", "", "HTTP listen address")
	fs.String("log-level", "", "debug, info, warn or error")
}

// LoadPortal builds the portal's configuration from defaults, the file
// named by --config, CIVIC_PORTAL_* variables and flags, and validates it.
func LoadPortal(fs *pflag.FlagSet) (Portal, error) {
	v := viper.New()
	setDefaults(v, "", reflect.ValueOf(DefaultPortal()))
	v.SetEnvPrefix(PortalEnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	if fs != nil {
		for flag, key := range map[string]string{"listen": "listen", "log-level": "logLevel"} {
			if f := fs.Lookup(flag); f != nil {
				if err := v.BindPFlag(key, f); err != nil {
					return Portal{}, fmt.Errorf("bind flag %s: %w", flag, err)
				}
			}
		}
		if path, _ := fs.GetString("config"); path != "" {
			v.SetConfigFile(path)
			if err := v.ReadInConfig(); err != nil {
				return Portal{}, fmt.Errorf("read config %s: %w", path, err)
			}
		}
	}
	var c Portal
	if err := v.UnmarshalExact(&c); err != nil {
		return Portal{}, fmt.Errorf("config: %w", err)
	}
	if err := c.Validate(); err != nil {
		return Portal{}, fmt.Errorf("invalid portal configuration:\n%w", err)
	}
	return c, nil
}
