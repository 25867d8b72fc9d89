package network

import (
	"bytes"
	"os"
	"testing"
)

// TestComposeFileCurrent checks that the repository's docker-compose.yaml
// is what ComposeFile renders: a change of ports or nodes must regenerate
// it (go run ./network/cmd/civicnet compose file > docker-compose.yaml).
func TestComposeFileCurrent(t *testing.T) {
	want, err := ComposeFile(ComposePortBase)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../docker-compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("docker-compose.yaml is out of date: go run ./network/cmd/civicnet compose file > docker-compose.yaml")
	}
}

// TestComposePortsApart checks that the compose network's ports stay below
// the block where tests pick free ports, so that neither disturbs the other.
func TestComposePortsApart(t *testing.T) {
	top := ComposePortBase + len(ComposeTopology().Orgs)*portsPerOrg
	if top > lowestPort {
		t.Fatalf("compose ports %d-%d reach into the test networks' range from %d", ComposePortBase, top-1, lowestPort)
	}
	if d := DefaultTopology(); d.PortBase+len(d.Orgs)*portsPerOrg > ComposePortBase {
		t.Fatalf("compose ports from %d overlap scripts/up.sh's network from %d", ComposePortBase, d.PortBase)
	}
}
