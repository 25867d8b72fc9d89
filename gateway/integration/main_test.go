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
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/network/testnet"
)

const (
	registry = "RegistryMSP"
	treasury = "TreasuryMSP"
	council  = "CouncilMSP"
)

var tn *testnet.Network

func TestMain(m *testing.M) { os.Exit(testnet.Main(m, &tn, closeConns)) }

var (
	connMu sync.Mutex
	conns  = map[string]*grpc.ClientConn{}
)

// gw returns a connection to mspID's gateway as user; shared by the package.
func gw(t testing.TB, mspID, user string) *grpc.ClientConn {
	t.Helper()
	connMu.Lock()
	defer connMu.Unlock()
	k := mspID + "/" + user
	if c, ok := conns[k]; ok {
		return c
	}
	c, err := tn.Conn.DialGateway(mspID, user, grpc.WithUnaryInterceptor(waitForEveryPeer))
	require.NoError(t, err)
	conns[k] = c
	return c
}

// waitForEveryPeer makes a submit RPC return only once every
// administration's peer has committed its block. The gateway answers when
// its own peer has committed; tests then often read or act through another
// administration's gateway, whose peer may be a moment behind.
func waitForEveryPeer(c context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	if err := invoker(c, method, req, reply, cc, opts...); err != nil {
		return err
	}
	msg, ok := reply.(proto.Message)
	if !ok {
		return nil
	}
	var committed *apiv1.Committed
	msg.ProtoReflect().Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() == protoreflect.MessageKind && !fd.IsList() && !fd.IsMap() {
			if cm, ok := v.Message().Interface().(*apiv1.Committed); ok {
				committed = cm
				return false
			}
		}
		return true
	})
	if committed == nil {
		return nil
	}
	return tn.WaitForBlock(c, committed.BlockNumber)
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
