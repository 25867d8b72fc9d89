package connfile

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestConnectionFile(t *testing.T) {
	c := Connection{Name: "civic", Channel: "civic", Chaincode: "civic", Orgs: []OrgConnection{
		{MSPID: "RegistryMSP", Name: "registry", Gateway: Endpoint{Address: "127.0.0.1:7009"},
			Users: map[string]UserFile{"clerk": {Role: "clerk", Cert: "c.pem", Key: "k.pem"}}},
		{MSPID: "TreasuryMSP", Name: "treasury"},
	}}
	t.Run("a written file loads back to the same connection", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "sub", "connection.json")
		require.NoError(t, c.Write(path))
		got, err := Load(path)
		require.NoError(t, err)
		require.Equal(t, c, got)
	})
	t.Run("a missing file is an error naming what was read", func(t *testing.T) {
		_, err := Load(filepath.Join(t.TempDir(), "none.json"))
		require.ErrorContains(t, err, "read connection file")
	})
	t.Run("an administration is found by MSP ID or short name in any case", func(t *testing.T) {
		for _, name := range []string{"TreasuryMSP", "treasury", "TREASURY", "treasurymsp"} {
			o, err := c.OrgByName(name)
			require.NoError(t, err, name)
			require.Equal(t, "TreasuryMSP", o.MSPID)
		}
		_, err := c.OrgByName("council")
		require.ErrorContains(t, err, `no administration "council" in network civic`)
	})
	t.Run("a user that is not enrolled is an error listing the users", func(t *testing.T) {
		_, err := c.Orgs[0].User("admin")
		require.EqualError(t, err, `no user "admin" in RegistryMSP (users: [clerk])`)
	})
}
