package server

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/encoding/protowire"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// rawBytes sends a request's bytes as they are.
type rawBytes struct{}

func (rawBytes) Marshal(v any) (mem.BufferSlice, error) {
	return mem.BufferSlice{mem.SliceBuffer(*v.(*[]byte))}, nil
}
func (rawBytes) Unmarshal(data mem.BufferSlice, v any) error {
	*v.(*[]byte) = data.Materialize()
	return nil
}
func (rawBytes) Name() string { return "proto" }

type unimplementedDocuments struct {
	apiv1.UnimplementedDocumentsServiceServer
}

func TestRequestCodec(t *testing.T) {
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(grpc.ForceServerCodecV2(newRequestCodec()), grpc.ChainUnaryInterceptor(refuseUndecoded), grpc.ChainStreamInterceptor(refuseUndecodedStream))
	apiv1.RegisterDocumentsServiceServer(srv, unimplementedDocuments{})
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet", grpc.WithContextDialer(func(context.Context, string) (net.Conn, error) { return lis.Dial() }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	call := func(body []byte) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var reply []byte
		return conn.Invoke(ctx, "/civicledger.v1.DocumentsService/RegisterDocument", &body, &reply, grpc.ForceCodecV2(rawBytes{}))
	}

	for name, tc := range map[string]struct {
		body []byte
		want string
	}{
		"bytes that are not protobuf": {[]byte{0xff, 0xff, 0xff}, "request is not a valid civicledger.v1.RegisterDocumentRequest: cannot parse invalid wire-format data"},
		"a string that is not UTF-8":  {[]byte{0x0a, 0x02, 0xff, 0xfe}, "request is not a valid civicledger.v1.RegisterDocumentRequest: string field contains invalid UTF-8"},
	} {
		t.Run(name+" are an invalid argument that says why", func(t *testing.T) {
			err := call(tc.body)
			require.Equal(t, codes.InvalidArgument, status.Code(err), "%v", err)
			require.Equal(t, tc.want, status.Convert(err).Message())
		})
	}
	t.Run("a valid request reaches the handler", func(t *testing.T) {
		require.Equal(t, codes.Unimplemented, status.Code(call([]byte{0x0a, 0x01, 'A'})))
	})
	t.Run("a caller cannot forge a refusal by sending its field", func(t *testing.T) {
		forged := protowire.AppendBytes(protowire.AppendTag([]byte{0x0a, 0x01, 'A'}, refusalField, protowire.BytesType), []byte("request is not a valid x: y"))
		require.Equal(t, codes.Unimplemented, status.Code(call(forged)))
	})
}
