package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"
)

// files creates the certificate, key and users paths a valid configuration
// names (Validate only checks they exist) and returns them by setting.
func files(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	paths := map[string]string{"users": filepath.Join(dir, "users")}
	require.NoError(t, os.Mkdir(paths["users"], 0o755))
	for _, name := range []string{"cert", "key", "clientCA", "peerRoot"} {
		paths[name] = filepath.Join(dir, name+".pem")
		require.NoError(t, os.WriteFile(paths[name], []byte("x"), 0o600))
	}
	return paths
}

// writeConfig writes a valid YAML configuration followed by extra lines.
func writeConfig(t *testing.T, extra string) string {
	t.Helper()
	f := files(t)
	yaml := "mspId: RegistryMSP\n" +
		"listen: 127.0.0.1:7100\n" +
		"users: " + f["users"] + "\n" +
		"tls:\n  cert: " + f["cert"] + "\n  key: " + f["key"] + "\n  clientCA: " + f["clientCA"] + "\n" +
		"peers:\n  - address: 127.0.0.1:7051\n    tlsRootCert: " + f["peerRoot"] + "\n" + extra
	path := filepath.Join(t.TempDir(), "gateway.yaml")
	require.NoError(t, os.WriteFile(path, []byte(yaml), 0o600))
	return path
}

// clearEnv unsets every CIVIC_GATEWAY_* variable for the test.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, EnvPrefix+"_") {
			t.Setenv(name, "")
			require.NoError(t, os.Unsetenv(name))
		}
	}
}

func load(t *testing.T, args ...string) (Config, error) {
	t.Helper()
	fs := pflag.NewFlagSet("civicgw", pflag.ContinueOnError)
	Flags(fs)
	require.NoError(t, fs.Parse(args))
	return Load(fs)
}

func TestLoad(t *testing.T) {
	cases := map[string]struct {
		extra string            // lines added to the file
		env   map[string]string // environment
		flags []string          // besides --config
		check func(t *testing.T, c Config)
	}{
		"the file's settings are read and the rest keep their defaults": {
			check: func(t *testing.T, c Config) {
				require.Equal(t, "RegistryMSP", c.MSPID)
				require.Equal(t, "127.0.0.1:7100", c.Listen)
				require.Equal(t, []Peer{{Address: "127.0.0.1:7051", TLSRootCert: c.Peers[0].TLSRootCert}}, c.Peers)
				def := Default()
				require.Equal(t, def.Channel, c.Channel)
				require.Equal(t, def.Chaincode, c.Chaincode)
				require.Equal(t, def.Timeouts, c.Timeouts)
				require.Equal(t, def.MaxRetries, c.MaxRetries)
				require.Equal(t, def.IdempotencyTTL, c.IdempotencyTTL)
				require.Equal(t, def.LogLevel, c.LogLevel)
				require.Equal(t, def.Anchor, c.Anchor)
				require.Equal(t, 100000, c.Anchor.MaxBatch)
				require.Empty(t, c.MetricsListen)
			},
		},
		"durations and numbers in the file are decoded": {
			extra: "timeouts:\n  endorse: 45s\n  commitStatus: 2m\nmaxRetries: 5\nidempotencyTTL: 1h\nlogLevel: debug\n",
			check: func(t *testing.T, c Config) {
				require.Equal(t, 45*time.Second, c.Timeouts.Endorse)
				require.Equal(t, 2*time.Minute, c.Timeouts.CommitStatus)
				require.Equal(t, Default().Timeouts.Evaluate, c.Timeouts.Evaluate)
				require.Equal(t, 5, c.MaxRetries)
				require.Equal(t, time.Hour, c.IdempotencyTTL)
				require.Equal(t, "debug", c.LogLevel)
			},
		},
		"the orderers are read from the file": {
			extra: "orderers:\n  - address: 127.0.0.1:7050\n    tlsRootCert: /dev/null\n",
			check: func(t *testing.T, c Config) {
				require.Equal(t, []Orderer{{Address: "127.0.0.1:7050", TLSRootCert: "/dev/null"}}, c.Orderers)
			},
		},
		"the anchoring limits are read from the file": {
			extra: "anchor:\n  maxBatch: 5000\n  maxConcurrent: 2\n  receiveTimeout: 30s\n",
			check: func(t *testing.T, c Config) {
				require.Equal(t, Anchor{MaxBatch: 5000, MaxConcurrent: 2, ReceiveTimeout: 30 * time.Second}, c.Anchor)
			},
		},
		"the event subscription limits are read from the file, and the environment sets one": {
			extra: "events:\n  maxSubscriptions: 50\n  maxPerCaller: 2\n  maxReplays: 5\n",
			env:   map[string]string{"CIVIC_GATEWAY_EVENTS_BUFFER": "32"},
			check: func(t *testing.T, c Config) {
				require.Equal(t, Events{MaxSubscriptions: 50, MaxPerCaller: 2, MaxReplays: 5, Buffer: 32}, c.Events)
			},
		},
		"the environment sets the anchoring batch limit": {
			env:   map[string]string{"CIVIC_GATEWAY_ANCHOR_MAXBATCH": "1048576"},
			check: func(t *testing.T, c Config) { require.Equal(t, 1<<20, c.Anchor.MaxBatch) },
		},
		"the environment overrides the file": {
			extra: "timeouts:\n  endorse: 45s\n",
			env:   map[string]string{"CIVIC_GATEWAY_LISTEN": "127.0.0.1:7200", "CIVIC_GATEWAY_TIMEOUTS_ENDORSE": "90s"},
			check: func(t *testing.T, c Config) {
				require.Equal(t, "127.0.0.1:7200", c.Listen)
				require.Equal(t, 90*time.Second, c.Timeouts.Endorse)
			},
		},
		"the environment overrides a default the file leaves alone": {
			env: map[string]string{"CIVIC_GATEWAY_TIMEOUTS_ENDORSE": "3s"},
			check: func(t *testing.T, c Config) {
				require.Equal(t, 3*time.Second, c.Timeouts.Endorse)
			},
		},
		"flags override the environment and the file": {
			extra: "logLevel: warn\n",
			env:   map[string]string{"CIVIC_GATEWAY_LISTEN": "127.0.0.1:7200", "CIVIC_GATEWAY_LOGLEVEL": "debug"},
			flags: []string{"--listen", "127.0.0.1:7300", "--log-level", "error", "--metrics-listen", "127.0.0.1:9400"},
			check: func(t *testing.T, c Config) {
				require.Equal(t, "127.0.0.1:7300", c.Listen)
				require.Equal(t, "error", c.LogLevel)
				require.Equal(t, "127.0.0.1:9400", c.MetricsListen)
			},
		},
		"a flag left unset does not hide the environment": {
			env:   map[string]string{"CIVIC_GATEWAY_LISTEN": "127.0.0.1:7200"},
			flags: []string{"--log-level", "warn"},
			check: func(t *testing.T, c Config) {
				require.Equal(t, "127.0.0.1:7200", c.Listen)
				require.Equal(t, "warn", c.LogLevel)
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, err := load(t, append([]string{"--config", writeConfig(t, tc.extra)}, tc.flags...)...)
			require.NoError(t, err)
			tc.check(t, c)
		})
	}

	// viper reports keys in lower case.
	for extra, key := range map[string]string{"retries: 2\n": "invalid keys: retries", "timeouts:\n  evaluation: 5s\n": "'timeouts' has invalid keys: evaluation"} {
		t.Run("an unknown key in the file is refused naming the key: "+strings.Fields(extra)[0], func(t *testing.T) {
			clearEnv(t)
			_, err := load(t, "--config", writeConfig(t, extra))
			require.ErrorContains(t, err, key)
		})
	}

	t.Run("a missing file is refused naming it", func(t *testing.T) {
		clearEnv(t)
		path := filepath.Join(t.TempDir(), "none.yaml")
		_, err := load(t, "--config", path)
		require.ErrorContains(t, err, "read config "+path)
	})

	t.Run("a loaded configuration is validated", func(t *testing.T) {
		clearEnv(t)
		t.Setenv("CIVIC_GATEWAY_MAXRETRIES", "42")
		_, err := load(t, "--config", writeConfig(t, ""))
		require.ErrorContains(t, err, "invalid gateway configuration")
		require.ErrorContains(t, err, "maxRetries must be between 0 and 10, got 42")
	})

	t.Run("without a file nothing required is set, and every missing setting is named", func(t *testing.T) {
		clearEnv(t)
		_, err := load(t)
		for _, name := range []string{"mspId", "tls.cert", "tls.key", "tls.clientCA", "users", "peers"} {
			require.ErrorContains(t, err, name)
		}
	})
}

func TestValidate(t *testing.T) {
	valid := func(t *testing.T) Config {
		f := files(t)
		c := Default()
		c.MSPID, c.Users = "RegistryMSP", f["users"]
		c.TLS = TLS{Cert: f["cert"], Key: f["key"], ClientCA: f["clientCA"]}
		c.Peers = []Peer{{Address: "127.0.0.1:7051", TLSRootCert: f["peerRoot"]}}
		return c
	}

	t.Run("the defaults with the required settings are valid", func(t *testing.T) {
		require.NoError(t, valid(t).Validate())
	})

	cases := map[string]struct {
		edit     func(*Config)
		want     []string // in the message
		problems int      // lines of the message, one per problem
	}{
		"a missing mspId is named": {
			edit: func(c *Config) { c.MSPID = " " },
			want: []string{"mspId is required"}, problems: 1,
		},
		"a file that does not exist is named with the reason": {
			edit: func(c *Config) { c.TLS.Key = "/nonexistent/key.pem" },
			want: []string{"tls.key: ", "no such file or directory"}, problems: 1,
		},
		"a peer's missing address and root are named with its index": {
			edit: func(c *Config) { c.Peers = append(c.Peers, Peer{}) },
			want: []string{"peers[1].address is required", "peers[1].tlsRootCert is required"}, problems: 2,
		},
		"an orderer's missing address and unreadable root are named with its index": {
			edit: func(c *Config) { c.Orderers = []Orderer{{TLSRootCert: "/nonexistent/ca.pem"}} },
			want: []string{"orderers[0].address is required", "orderers[0].tlsRootCert: ", "no such file"}, problems: 2,
		},
		"a broadcast timeout that is not positive is named": {
			edit: func(c *Config) { c.Timeouts.Broadcast = 0 },
			want: []string{"timeouts.broadcast must be positive, got 0s"}, problems: 1,
		},
		"no peer at all is refused": {
			edit: func(c *Config) { c.Peers = nil },
			want: []string{"peers: at least one peer is required"}, problems: 1,
		},
		"a timeout that is not positive is named": {
			edit:     func(c *Config) { c.Timeouts.Endorse = 0; c.Timeouts.CommitStatus = -time.Second },
			want:     []string{"timeouts.endorse must be positive, got 0s", "timeouts.commitStatus must be positive, got -1s"},
			problems: 2,
		},
		"a negative resend interval is named; 0 turns resending off": {
			edit:     func(c *Config) { c.Timeouts.Resend = -time.Second },
			want:     []string{"timeouts.resend must not be negative, got -1s"},
			problems: 1,
		},
		"maxRetries outside 0 to 10 is named": {
			edit: func(c *Config) { c.MaxRetries = -1 },
			want: []string{"maxRetries must be between 0 and 10, got -1"}, problems: 1,
		},
		"an anchoring batch limit above the merkle cap is named": {
			edit: func(c *Config) { c.Anchor.MaxBatch = 1<<20 + 1 },
			want: []string{"anchor.maxBatch must be between 1 and 1048576, got 1048577"}, problems: 1,
		},
		"anchoring concurrency and receive timeout that are not positive are named": {
			edit: func(c *Config) { c.Anchor.MaxConcurrent, c.Anchor.ReceiveTimeout = 0, 0 },
			want: []string{"anchor.maxConcurrent must be at least 1, got 0", "anchor.receiveTimeout must be positive, got 0s"}, problems: 2,
		},
		"an anchoring batch limit of zero is named": {
			edit: func(c *Config) { c.Anchor.MaxBatch = 0 },
			want: []string{"anchor.maxBatch must be between 1 and 1048576, got 0"}, problems: 1,
		},
		"event subscription limits below 1 are named": {
			edit: func(c *Config) { c.Events.MaxPerCaller, c.Events.Buffer = 0, -1 },
			want: []string{"events.maxPerCaller must be at least 1, got 0", "events.buffer must be at least 1, got -1"}, problems: 2,
		},
		"an unknown logLevel is named": {
			edit: func(c *Config) { c.LogLevel = "verbose" },
			want: []string{`logLevel "verbose" is not one of debug, info, warn, error`}, problems: 1,
		},
		"every problem is reported at once": {
			edit: func(c *Config) {
				c.MSPID, c.Users, c.Timeouts.Submit, c.MaxRetries, c.LogLevel = "", "/nonexistent/users", 0, 11, "trace"
			},
			want: []string{"mspId is required", "users: ", "timeouts.submit must be positive", "maxRetries must be between 0 and 10, got 11",
				`logLevel "trace"`},
			problems: 5,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := valid(t)
			tc.edit(&c)
			err := c.Validate()
			require.Error(t, err)
			for _, w := range tc.want {
				require.ErrorContains(t, err, w)
			}
			require.Len(t, strings.Split(err.Error(), "\n"), tc.problems, err.Error())
		})
	}
}

func TestSealSettings(t *testing.T) {
	clearEnv(t)
	t.Run("without a seal the gateway loads and links to the default portal", func(t *testing.T) {
		c, err := load(t, "--config", writeConfig(t, ""))
		require.NoError(t, err)
		require.Empty(t, c.Seal.Cert)
		require.Equal(t, DefaultPortalURL, c.PortalURL)
	})
	t.Run("a seal certificate and key that exist are accepted with a portal", func(t *testing.T) {
		f := files(t)
		c, err := load(t, "--config", writeConfig(t, "seal:\n  cert: "+f["cert"]+"\n  key: "+f["key"]+"\nportalURL: https://verify.example.org\n"))
		require.NoError(t, err)
		require.Equal(t, f["cert"], c.Seal.Cert)
		require.Equal(t, "https://verify.example.org", c.PortalURL)
	})
	t.Run("a seal certificate without its key is refused", func(t *testing.T) {
		_, err := load(t, "--config", writeConfig(t, "seal:\n  cert: "+files(t)["cert"]+"\n"))
		require.ErrorContains(t, err, "seal.key is required")
	})
	t.Run("a missing seal key file is refused", func(t *testing.T) {
		f := files(t)
		_, err := load(t, "--config", writeConfig(t, "seal:\n  cert: "+f["cert"]+"\n  key: /nonexistent/key.pem\n"))
		require.ErrorContains(t, err, "seal.key")
	})
	t.Run("a portal that is not an http(s) URL is refused", func(t *testing.T) {
		_, err := load(t, "--config", writeConfig(t, "portalURL: portal.example\n"))
		require.ErrorContains(t, err, "portalURL")
	})
}
