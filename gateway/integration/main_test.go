//go:build integration

package integration

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/network/testnet"
)

const (
	registry = "RegistryMSP"
	treasury = "TreasuryMSP"
	council  = "CouncilMSP"
)

var tn *testnet.Network

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), testnet.Timeout)
	var err error
	tn, err = testnet.Start(ctx)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "integration:", err)
		os.Exit(1)
	}
	code := m.Run()
	closeConns()
	if err := tn.Stop(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "integration: stop network:", err)
		code = 1
	}
	os.Exit(code)
}

var (
	connMu sync.Mutex
	conns  = map[string]*grpc.ClientConn{}
)

// gw returns a connection to mspID's gateway as user; shared by the package.
func gw(t *testing.T, mspID, user string) *grpc.ClientConn {
	t.Helper()
	connMu.Lock()
	defer connMu.Unlock()
	k := mspID + "/" + user
	if c, ok := conns[k]; ok {
		return c
	}
	c, err := tn.Conn.DialGateway(mspID, user)
	require.NoError(t, err)
	conns[k] = c
	return c
}

func closeConns() {
	connMu.Lock()
	defer connMu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// ctx is a per-call context with a generous timeout.
func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// withIdempotencyKey adds the idempotency-key metadata to a call's context.
func withIdempotencyKey(c context.Context, key string) context.Context {
	return metadata.AppendToOutgoingContext(c, "idempotency-key", key)
}

// requireCode checks a call failed with the given gRPC code and a message.
func requireCode(t *testing.T, err error, code codes.Code) {
	t.Helper()
	require.Error(t, err)
	st := status.Convert(err)
	require.Equal(t, code, st.Code(), "message: %s", st.Message())
	require.NotEmpty(t, st.Message())
}

// uniqueID makes ids unique per run, so tests can share an attached network.
func uniqueID(prefix string) string { return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano()) }
