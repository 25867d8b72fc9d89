// Package config holds the gateway's configuration: one typed struct with
// defaults and Validate, filled from a YAML file, CIVIC_GATEWAY_* environment
// variables and command-line flags (in increasing order of precedence). It is
// the only package that uses viper.
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

	"github.com/civicledger/civicledger/gateway/proofs/merkle"
)

// Config is everything a gateway needs to serve one administration.
type Config struct {
	// MSPID is the administration this gateway serves; only its users may call.
	MSPID string `mapstructure:"mspId"`
	// Listen is the gRPC listen address, e.g. 127.0.0.1:7009.
	Listen string `mapstructure:"listen"`
	// MetricsListen serves Prometheus metrics over HTTP; empty disables it.
	MetricsListen string `mapstructure:"metricsListen"`
	TLS           TLS    `mapstructure:"tls"`
	// Peers of the administration, tried in order; the next is used when one
	// is unavailable.
	Peers []Peer `mapstructure:"peers"`
	// Orderers of the ordering service, tried in order, to which
	// MembershipService.Apply sends a signed channel config update; empty
	// means this gateway cannot apply one (everything else works).
	Orderers  []Orderer `mapstructure:"orderers"`
	Channel   string    `mapstructure:"channel"`
	Chaincode string    `mapstructure:"chaincode"`
	// Users is the folder of the administration's enrolled users
	// (<user>/msp/signcerts/cert.pem and <user>/msp/keystore/key.pem): the
	// gateway signs each call with the key of the user whose client
	// certificate authenticated it.
	Users    string   `mapstructure:"users"`
	Timeouts Timeouts `mapstructure:"timeouts"`
	// MaxRetries bounds resubmissions after an MVCC read conflict.
	MaxRetries int `mapstructure:"maxRetries"`
	// IdempotencyTTL is how long a result is kept for a retried call with the
	// same idempotency key.
	IdempotencyTTL time.Duration `mapstructure:"idempotencyTTL"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `mapstructure:"logLevel"`
	// Seal is the certificate and key the gateway signs QR seals with; empty
	// means this gateway issues no seals (it still verifies them).
	Seal Seal `mapstructure:"seal"`
	// PortalURL is the verification portal seal links point to.
	PortalURL string `mapstructure:"portalURL"`
	Anchor    Anchor `mapstructure:"anchor"`
	Events    Events `mapstructure:"events"`
	// CA is the administration's Fabric CA with its registrar identity:
	// PeopleService registers, suspends and revokes people there, and the
	// gateway checks there that a personal identity is still active. Empty
	// means this gateway manages no people and accepts only its users
	// folder's identities.
	CA CA `mapstructure:"ca"`
}

// CA is the administration's Fabric CA and the registrar identity the
// gateway acts as there.
type CA struct {
	// Address is host:port of the CA's HTTPS API.
	Address string `mapstructure:"address"`
	// Name is the CA's name (fabric-ca-server --ca.name).
	Name string `mapstructure:"name"`
	// TLSRootCert verifies the CA's TLS certificate.
	TLSRootCert string `mapstructure:"tlsRootCert"`
	// RegistrarCert and RegistrarKey are the PEM certificate and key of an
	// identity allowed to register, modify and revoke identities.
	RegistrarCert string `mapstructure:"registrarCert"`
	RegistrarKey  string `mapstructure:"registrarKey"`
	// StatusTTL is how long the gateway trusts what the CA said about a
	// person (active, suspended, revoked; the CRL) before asking again: a
	// suspension or revocation takes effect within it.
	StatusTTL time.Duration `mapstructure:"statusTTL"`
}

// Enabled tells whether a CA is configured.
func (c CA) Enabled() bool { return c.Address != "" }

// Events bounds event subscriptions (EventService), so that no caller can
// use up the peer's Gateway concurrency slots or the gateway's memory.
type Events struct {
	// MaxSubscriptions is the most subscriptions this gateway serves at
	// once; one more is refused (ResourceExhausted).
	MaxSubscriptions int `mapstructure:"maxSubscriptions"`
	// MaxPerCaller is the most subscriptions one user may hold at once.
	MaxPerCaller int `mapstructure:"maxPerCaller"`
	// MaxReplays is the most subscriptions from a past block (start_block or
	// a checkpoint) served at once: each reads past blocks from the peer
	// before it joins the stream that every subscription shares.
	MaxReplays int `mapstructure:"maxReplays"`
	// Buffer is how many events wait for a live subscriber that reads slower
	// than they come; when it is full the subscriber is dropped (Aborted)
	// and resumes from its checkpoint.
	Buffer int `mapstructure:"buffer"`
}

// Anchor bounds batch anchoring (AnchorService).
type Anchor struct {
	// MaxBatch is the most document hashes one AnchorBatch call may send;
	// the gateway stops reading a stream that exceeds it. At most
	// merkle.MaxLeaves, the largest tree the ledger accepts.
	MaxBatch int `mapstructure:"maxBatch"`
	// MaxConcurrent is the most AnchorBatch streams this gateway serves at
	// once; one more is refused (ResourceExhausted), so memory stays bounded
	// by MaxConcurrent batches.
	MaxConcurrent int `mapstructure:"maxConcurrent"`
	// ReceiveTimeout is how long a client may take to send its whole batch
	// (until it half-closes the stream).
	ReceiveTimeout time.Duration `mapstructure:"receiveTimeout"`
}

// DefaultAnchorMaxBatch bounds a batch to about 3.2 MB of hashes in and
// about 60 MB of proofs out.
const DefaultAnchorMaxBatch = 100_000

// Seal is the administration's seal signer: a PEM enrolment certificate
// issued by the administration's CA and its PKCS#8 EC P-256 key.
type Seal struct {
	Cert string `mapstructure:"cert"`
	Key  string `mapstructure:"key"`
}

// DefaultPortalURL is the verification portal used when none is configured.
const DefaultPortalURL = "https://portal.civicledger.example"

// TLS is the gateway's server certificate and the CA its clients' certificates
// must chain to (the administration's Fabric CA).
type TLS struct {
	Cert     string `mapstructure:"cert"`
	Key      string `mapstructure:"key"`
	ClientCA string `mapstructure:"clientCA"`
}

// Peer is a Fabric peer with its Gateway service.
type Peer struct {
	Address string `mapstructure:"address"`
	// TLSRootCert verifies the peer's TLS certificate.
	TLSRootCert string `mapstructure:"tlsRootCert"`
}

// Orderer is an orderer of the ordering service with its Broadcast service.
type Orderer struct {
	Address string `mapstructure:"address"`
	// TLSRootCert verifies the orderer's TLS certificate.
	TLSRootCert string `mapstructure:"tlsRootCert"`
}

// Timeouts bound each call to Fabric.
type Timeouts struct {
	Evaluate     time.Duration `mapstructure:"evaluate"`
	Endorse      time.Duration `mapstructure:"endorse"`
	Submit       time.Duration `mapstructure:"submit"`
	CommitStatus time.Duration `mapstructure:"commitStatus"`
	// Resend is how long a submitted transaction may go without a commit
	// status before the same signed transaction is sent again (0: never).
	Resend time.Duration `mapstructure:"resend"`
	// Broadcast bounds sending a config update to one orderer.
	Broadcast time.Duration `mapstructure:"broadcast"`
	// ConfigApplied bounds waiting for the peer to have the config block
	// of an update the ordering service accepted.
	ConfigApplied time.Duration `mapstructure:"configApplied"`
}

// Default returns the defaults every setting falls back to.
func Default() Config {
	return Config{
		Listen:         "127.0.0.1:7009",
		Channel:        "civic",
		Chaincode:      "civic",
		Timeouts:       Timeouts{Evaluate: 10 * time.Second, Endorse: 20 * time.Second, Submit: 10 * time.Second, CommitStatus: time.Minute, Resend: 10 * time.Second, Broadcast: 10 * time.Second, ConfigApplied: time.Minute},
		MaxRetries:     3,
		IdempotencyTTL: 24 * time.Hour,
		LogLevel:       "info",
		PortalURL:      DefaultPortalURL,
		Anchor:         Anchor{MaxBatch: DefaultAnchorMaxBatch, MaxConcurrent: 4, ReceiveTimeout: 2 * time.Minute},
		Events:         Events{MaxSubscriptions: 1000, MaxPerCaller: 16, MaxReplays: 64, Buffer: 256},
		CA:             CA{StatusTTL: 2 * time.Second},
	}
}

// Validate reports every problem at once, naming the setting.
func (c Config) Validate() error {
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
	need("mspId", c.MSPID)
	need("listen", c.Listen)
	need("channel", c.Channel)
	need("chaincode", c.Chaincode)
	file("tls.cert", c.TLS.Cert)
	file("tls.key", c.TLS.Key)
	file("tls.clientCA", c.TLS.ClientCA)
	file("users", c.Users)
	if c.Seal.Cert != "" || c.Seal.Key != "" {
		file("seal.cert", c.Seal.Cert)
		file("seal.key", c.Seal.Key)
	}
	if c.CA.Enabled() {
		need("ca.name", c.CA.Name)
		file("ca.tlsRootCert", c.CA.TLSRootCert)
		file("ca.registrarCert", c.CA.RegistrarCert)
		file("ca.registrarKey", c.CA.RegistrarKey)
		if c.CA.StatusTTL <= 0 || c.CA.StatusTTL > time.Minute {
			errs = append(errs, fmt.Errorf("ca.statusTTL must be between 0 and 1m, got %s", c.CA.StatusTTL))
		}
	}
	if u, err := url.Parse(c.PortalURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, fmt.Errorf("portalURL %q must be an http or https URL", c.PortalURL))
	}
	if len(c.Peers) == 0 {
		errs = append(errs, errors.New("peers: at least one peer is required"))
	}
	for i, p := range c.Peers {
		need(fmt.Sprintf("peers[%d].address", i), p.Address)
		file(fmt.Sprintf("peers[%d].tlsRootCert", i), p.TLSRootCert)
	}
	for i, o := range c.Orderers {
		need(fmt.Sprintf("orderers[%d].address", i), o.Address)
		file(fmt.Sprintf("orderers[%d].tlsRootCert", i), o.TLSRootCert)
	}
	for name, d := range map[string]time.Duration{
		"timeouts.evaluate": c.Timeouts.Evaluate, "timeouts.endorse": c.Timeouts.Endorse,
		"timeouts.submit": c.Timeouts.Submit, "timeouts.commitStatus": c.Timeouts.CommitStatus,
		"timeouts.broadcast": c.Timeouts.Broadcast, "timeouts.configApplied": c.Timeouts.ConfigApplied,
	} {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive, got %s", name, d))
		}
	}
	if c.Timeouts.Resend < 0 {
		errs = append(errs, fmt.Errorf("timeouts.resend must not be negative, got %s", c.Timeouts.Resend))
	}
	if c.Anchor.MaxBatch < 1 || c.Anchor.MaxBatch > merkle.MaxLeaves {
		errs = append(errs, fmt.Errorf("anchor.maxBatch must be between 1 and %d, got %d", merkle.MaxLeaves, c.Anchor.MaxBatch))
	}
	if c.Anchor.MaxConcurrent < 1 {
		errs = append(errs, fmt.Errorf("anchor.maxConcurrent must be at least 1, got %d", c.Anchor.MaxConcurrent))
	}
	if c.Anchor.ReceiveTimeout <= 0 {
		errs = append(errs, fmt.Errorf("anchor.receiveTimeout must be positive, got %s", c.Anchor.ReceiveTimeout))
	}
	for name, n := range map[string]int{
		"events.maxSubscriptions": c.Events.MaxSubscriptions, "events.maxPerCaller": c.Events.MaxPerCaller,
		"events.maxReplays": c.Events.MaxReplays, "events.buffer": c.Events.Buffer,
	} {
		if n < 1 {
			errs = append(errs, fmt.Errorf("%s must be at least 1, got %d", name, n))
		}
	}
	if c.MaxRetries < 0 || c.MaxRetries > 10 {
		errs = append(errs, fmt.Errorf("maxRetries must be between 0 and 10, got %d", c.MaxRetries))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("logLevel %q is not one of debug, info, warn, error", c.LogLevel))
	}
	return errors.Join(errs...)
}

// EnvPrefix prefixes the environment variables that override the file, e.g.
// CIVIC_GATEWAY_LISTEN or CIVIC_GATEWAY_TIMEOUTS_ENDORSE.
const EnvPrefix = "CIVIC_GATEWAY"

// Flags registers the command-line flags that override file and environment.
func Flags(fs *pflag.FlagSet) {
	fs.String("config", "", "configuration file (YAML)")
	fs.String("listen", "", "gRPC listen address")
	fs.String("metrics-listen", "", "Prometheus metrics listen address")
	fs.String("log-level", "", "debug, info, warn or error")
}

// Load builds the configuration from defaults, the file named by --config,
// the environment and the flags, and validates it. Unknown keys in the file
// are errors.
func Load(fs *pflag.FlagSet) (Config, error) {
	c, err := read(fs)
	if err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("invalid gateway configuration:\n%w", err)
	}
	return c, nil
}

// read is Load without the validation.
func read(fs *pflag.FlagSet) (Config, error) {
	v := viper.New()
	setDefaults(v, "", reflect.ValueOf(Default()))

	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()

	if fs != nil {
		for flag, key := range map[string]string{"listen": "listen", "metrics-listen": "metricsListen", "log-level": "logLevel"} {
			if f := fs.Lookup(flag); f != nil {
				if err := v.BindPFlag(key, f); err != nil {
					return Config{}, fmt.Errorf("bind flag %s: %w", flag, err)
				}
			}
		}
		if path, _ := fs.GetString("config"); path != "" {
			v.SetConfigFile(path)
			if err := v.ReadInConfig(); err != nil {
				return Config{}, fmt.Errorf("read config %s: %w", path, err)
			}
		}
	}
	var c Config
	if err := v.UnmarshalExact(&c); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// setDefaults gives viper the value of every setting in def, keyed by its
// mapstructure path ("timeouts.endorse"), so that a setting is named once
// (in Config) and defaulted once (in Default). Every key viper knows can be
// set from the environment; lists (peers, orderers) come from the file only.
func setDefaults(v *viper.Viper, prefix string, def reflect.Value) {
	t := def.Type()
	for i := range t.NumField() {
		key := t.Field(i).Tag.Get("mapstructure")
		if prefix != "" {
			key = prefix + "." + key
		}
		switch f := def.Field(i); f.Kind() {
		case reflect.Struct:
			setDefaults(v, key, f)
		case reflect.Slice:
		default:
			v.SetDefault(key, f.Interface())
		}
	}
}
