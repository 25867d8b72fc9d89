package configupdate

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/proto"
)

// fakeOrderer answers every broadcast envelope with status and records
// what it received.
type fakeOrderer struct {
	orderer.UnimplementedAtomicBroadcastServer
	status   common.Status
	info     string
	received chan *common.Envelope
}

func (f *fakeOrderer) Broadcast(s grpc.BidiStreamingServer[common.Envelope, orderer.BroadcastResponse]) error {
	env, err := s.Recv()
	if err != nil {
		return err
	}
	f.received <- env
	return s.Send(&orderer.BroadcastResponse{Status: f.status, Info: f.info})
}

func dialFake(t *testing.T, f *fakeOrderer) *grpc.ClientConn {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer()
	orderer.RegisterAtomicBroadcastServer(srv, f)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient("passthrough:///fake",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return conn
}

func TestBroadcast(t *testing.T) {
	env := &common.Envelope{Payload: []byte("update"), Signature: []byte("sig")}
	tests := map[string]struct {
		status  common.Status
		info    string
		refused bool
	}{
		"an accepted envelope returns no error":                         {status: common.Status_SUCCESS},
		"a policy refusal is ErrRefused with the orderer's reason":      {status: common.Status_BAD_REQUEST, info: "implicit policy evaluation failed", refused: true},
		"a forbidden submitter is ErrRefused with the status":           {status: common.Status_FORBIDDEN, info: "not a writer", refused: true},
		"an unavailable ordering service is ErrRefused with the status": {status: common.Status_SERVICE_UNAVAILABLE, refused: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := &fakeOrderer{status: tc.status, info: tc.info, received: make(chan *common.Envelope, 1)}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := Broadcast(ctx, dialFake(t, f), env)
			require.True(t, proto.Equal(env, <-f.received), "the orderer received another envelope")
			if !tc.refused {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrRefused)
			require.ErrorContains(t, err, tc.status.String())
			require.ErrorContains(t, err, tc.info)
		})
	}
	t.Run("an orderer that cannot be reached fails within the context", func(t *testing.T) {
		conn, err := grpc.NewClient("127.0.0.1:1", grpc.WithTransportCredentials(insecure.NewCredentials()))
		require.NoError(t, err)
		defer conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		err = Broadcast(ctx, conn, env)
		require.Error(t, err)
		require.NotErrorIs(t, err, ErrRefused)
	})
}

func TestConfigFromBlock(t *testing.T) {
	t.Run("a block that is not a config block is refused", func(t *testing.T) {
		_, err := ConfigFromBlock(&common.Block{Data: &common.BlockData{Data: [][]byte{[]byte("a"), []byte("b")}}})
		require.ErrorContains(t, err, "not a config block")
	})
	t.Run("a config block yields its configuration", func(t *testing.T) {
		cfg := &common.Config{Sequence: 4, ChannelGroup: &common.ConfigGroup{}}
		ch, err := proto.Marshal(&common.ChannelHeader{Type: int32(common.HeaderType_CONFIG), ChannelId: "civic"})
		require.NoError(t, err)
		data, err := proto.Marshal(&common.ConfigEnvelope{Config: cfg})
		require.NoError(t, err)
		payload, err := proto.Marshal(&common.Payload{Header: &common.Header{ChannelHeader: ch}, Data: data})
		require.NoError(t, err)
		env, err := proto.Marshal(&common.Envelope{Payload: payload})
		require.NoError(t, err)
		raw, err := proto.Marshal(&common.Block{Data: &common.BlockData{Data: [][]byte{env}}})
		require.NoError(t, err)
		got, err := ConfigFromBlockBytes(raw)
		require.NoError(t, err)
		require.Equal(t, uint64(4), got.GetSequence())
	})
}
