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
	want, err := ComposeFile()
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
