package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/gateway/config"
)

func TestLoadPortal(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"cert.pem", "key.pem", "ca.pem"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o600))
	}
	write := func(t *testing.T, body string) *pflag.FlagSet {
		t.Helper()
		path := filepath.Join(dir, "portal.yaml")
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		fs := pflag.NewFlagSet("civicportal", pflag.ContinueOnError)
		config.PortalFlags(fs)
		require.NoError(t, fs.Parse([]string{"--config", path}))
		return fs
	}
	good := "mspId: RegistryMSP\nidentity: {cert: " + dir + "/cert.pem, key: " + dir + "/key.pem}\n" +
		"peers: [{address: 127.0.0.1:7005, tlsRootCert: " + dir + "/ca.pem}]\n"

	t.Run("a complete file loads with the defaults filled in", func(t *testing.T) {
		c, err := config.LoadPortal(write(t, good+"language: fr\n"))
		require.NoError(t, err)
		require.Equal(t, "fr", c.Language)
		require.Equal(t, "civic", c.Channel)
		require.Equal(t, config.DefaultPortal().Timeouts, c.Timeouts)
	})
	t.Run("every problem is named at once", func(t *testing.T) {
		_, err := config.LoadPortal(write(t, "language: de\nbaseURL: ftp://x\n"))
		require.ErrorContains(t, err, "mspId is required")
		require.ErrorContains(t, err, `language "de" is not one of en, fr`)
		require.ErrorContains(t, err, "baseURL")
		require.ErrorContains(t, err, "peers: at least one peer is required")
	})
	t.Run("an unknown key is an error", func(t *testing.T) {
		_, err := config.LoadPortal(write(t, good+"colour: blue\n"))
		require.ErrorContains(t, err, "colour")
	})
}
