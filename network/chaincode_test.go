package network

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestChaincodePackage(t *testing.T) {
	n := &Network{topo: DefaultTopology()}

	t.Run("the package id is the same every time the package is built", func(t *testing.T) {
		_, id1, err := n.chaincodePackage()
		require.NoError(t, err)
		_, id2, err := n.chaincodePackage()
		require.NoError(t, err)
		require.Equal(t, id1, id2)
		require.Regexp(t, `^civic_1\.0:[0-9a-f]{64}$`, id1)
	})

	t.Run("the package holds ccaas metadata and no code", func(t *testing.T) {
		pkg, _, err := n.chaincodePackage()
		require.NoError(t, err)
		files := untar(t, pkg)
		require.JSONEq(t, `{"type":"ccaas","label":"civic_1.0"}`, files["metadata.json"])
		code := untar(t, []byte(files["code.tar.gz"]))
		require.Contains(t, code["README"], "runs as a service")
	})
}

func untar(t *testing.T, data []byte) map[string]string {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	require.Empty(t, gz.Name, "gzip header must not carry a name")
	require.True(t, gz.ModTime.IsZero(), "gzip header must not carry a time")
	tr := tar.NewReader(gz)
	out := map[string]string{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out
		}
		require.NoError(t, err)
		b, err := io.ReadAll(tr)
		require.NoError(t, err)
		out[hdr.Name] = string(b)
	}
}
