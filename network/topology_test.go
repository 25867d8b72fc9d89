package network

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const validTopology = `
name: civic-test
dataDir: /tmp/x
portBase: 30000
organizations:
  - {mspId: RegistryMSP, name: registry, displayName: Registry, kind: agency, contact: r@example.org}
  - {mspId: TreasuryMSP, name: treasury, displayName: Treasury, kind: ministry, contact: t@example.org}
`

func TestParseTopology(t *testing.T) {
	t.Run("a valid topology gets default users, batch settings and derived ports", func(t *testing.T) {
		topo, err := ParseTopology([]byte(validTopology))
		require.NoError(t, err)
		require.Equal(t, "civic", topo.Channel)
		require.Equal(t, 500, topo.Batch.MaxMessages)
		require.Len(t, topo.Orgs[0].Users, 3)
		require.Equal(t, 30000, topo.Orgs[0].Ports.CA)
		require.Equal(t, 30000+portsPerOrg+5, topo.Orgs[1].Ports.Peer)
	})

	t.Run("the default topology is valid and has three administrations", func(t *testing.T) {
		def := DefaultTopology()
		def.applyDefaults()
		require.NoError(t, def.Validate())
		require.Len(t, def.Orgs, 3)
	})

	cases := map[string]struct {
		yaml    string
		wantErr string
	}{
		"an unknown field is rejected by name": {
			yaml:    validTopology + "batchTimeout: 1s\n",
			wantErr: "field batchTimeout not found",
		},
		"a misspelt organization field is rejected by name": {
			yaml: `organizations:
  - {mspId: A, name: a, displayName: A, msp: B}`,
			wantErr: "field msp not found",
		},
		"a duplicate MSP ID names both organizations": {
			yaml: `organizations:
  - {mspId: RegistryMSP, name: a, displayName: A}
  - {mspId: RegistryMSP, name: b, displayName: B}`,
			wantErr: `organizations[1].mspId: "RegistryMSP" is already used by organizations[0]`,
		},
		"a port clash names both ports": {
			yaml: `organizations:
  - {mspId: A, name: a, displayName: A, ports: {peer: 9000}}
  - {mspId: B, name: b, displayName: B, ports: {orderer: 9000}}`,
			wantErr: "organizations[1].ports.orderer: port 9000 is already used by organizations[0].ports.peer",
		},
		"a privileged port is refused": {
			yaml: `organizations:
  - {mspId: A, name: a, displayName: A, ports: {ca: 80}}`,
			wantErr: "organizations[0].ports.ca: 80 is outside 1024-65535",
		},
		"an unknown role is refused": {
			yaml: `organizations:
  - {mspId: A, name: a, displayName: A, users: [{name: admin, role: admin}, {name: bob, role: boss}]}`,
			wantErr: `organizations[0].users[1].role: "boss" is not one of`,
		},
		"an administration without an admin user is refused": {
			yaml: `organizations:
  - {mspId: A, name: a, displayName: A, users: [{name: clerk, role: clerk}]}`,
			wantErr: "organizations[0].users: needs at least one user with role admin",
		},
		"a bad batch timeout names the field": {
			yaml:    validTopology + "batch: {timeout: soon}\n",
			wantErr: `"soon" is not a duration`,
		},
		"an out-of-range batch timeout is refused": {
			yaml:    validTopology + "batch: {timeout: 1h}\n",
			wantErr: "batch.timeout: 1h0m0s must be between 10ms and 10s",
		},
		"a topology without administrations is refused": {
			yaml:    "name: empty\n",
			wantErr: "organizations: at least one administration is required",
		},
		"an invalid channel name is refused": {
			yaml:    validTopology + "channel: Civic_Channel\n",
			wantErr: "channel:",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseTopology([]byte(tc.yaml))
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.wantErr)
		})
	}
}
