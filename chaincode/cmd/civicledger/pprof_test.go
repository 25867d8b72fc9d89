package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRequireLoopback(t *testing.T) {
	t.Run("loopback addresses are accepted", func(t *testing.T) {
		for _, addr := range []string{"127.0.0.1:6061", "[::1]:6061", "localhost:6061", "127.0.0.1:0"} {
			require.NoError(t, requireLoopback(addr), addr)
		}
	})
	t.Run("any other address is refused", func(t *testing.T) {
		for _, addr := range []string{"0.0.0.0:6061", ":6061", "10.0.0.5:6061", "example.org:6061", "127.0.0.1"} {
			require.Error(t, requireLoopback(addr), addr)
		}
	})
}
