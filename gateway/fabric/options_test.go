package fabric

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDial(t *testing.T) {
	live := startPeer(t, &fakePeer{})

	t.Run("a missing required setting is refused by name", func(t *testing.T) {
		for want, dial := range map[string]func() (*Client, error){
			"a channel is required":         func() (*Client, error) { return Dial(" ", "civic", []Peer{live}) },
			"a chaincode is required":       func() (*Client, error) { return Dial("civic", "", []Peer{live}) },
			"at least one peer is required": func() (*Client, error) { return Dial("civic", "civic", nil) },
			"peers[1]: an address is required": func() (*Client, error) {
				return Dial("civic", "civic", []Peer{live, {TLSRootCert: live.TLSRootCert}})
			},
		} {
			_, err := dial()
			require.ErrorContains(t, err, want)
		}
	})

	t.Run("an option with a bad value is refused with the value", func(t *testing.T) {
		for want, opt := range map[string]Option{
			"evaluate timeout must be positive, got 0s":      WithEvaluateTimeout(0),
			"endorse timeout must be positive, got -1s":      WithEndorseTimeout(-time.Second),
			"submit timeout must be positive, got 0s":        WithSubmitTimeout(0),
			"commit status timeout must be positive, got 0s": WithCommitStatusTimeout(0),
			"max retries must be between 0 and 10, got 11":   WithMaxRetries(11),
			"max retries must be between 0 and 10, got -1":   WithMaxRetries(-1),
			"idempotency TTL must be positive, got 0s":       WithIdempotencyTTL(0),
		} {
			_, err := Dial("civic", "civic", []Peer{live}, opt)
			require.ErrorContains(t, err, want)
		}
	})

	t.Run("options override the defaults and the rest keep them", func(t *testing.T) {
		c, err := Dial("civic", "docs", []Peer{live}, WithEndorseTimeout(time.Second), WithMaxRetries(0), WithIdempotencyTTL(time.Minute))
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		want := defaultSettings("civic", "docs")
		want.Timeouts.Endorse, want.MaxRetries, want.IdempotencyTTL = time.Second, 0, time.Minute
		require.Equal(t, want, c.cfg)
		require.Equal(t, time.Minute, c.idempotency.ttl)
	})
}

func TestWithDefinitionSwitchWait(t *testing.T) {
	c := &Client{cfg: defaultSettings("civic", "civic")}
	require.Equal(t, DefinitionSwitchWait, c.cfg.DefinitionSwitch)
	require.NoError(t, WithDefinitionSwitchWait(0)(c))
	require.Zero(t, c.cfg.DefinitionSwitch)
	require.ErrorContains(t, WithDefinitionSwitchWait(-time.Second)(c), "between 0 and 1m")
}
