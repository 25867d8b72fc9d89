//go:build integration

package integration

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// rawCodec sends and receives bytes as they are, so that a test can send
// what no generated client would.
type rawCodec struct{}

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	return mem.BufferSlice{mem.SliceBuffer(*v.(*[]byte))}, nil
}

func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	*v.(*[]byte) = data.Materialize()
	return nil
}

func (rawCodec) Name() string { return "proto" }

// gatewayLogLine waits for a line of mspID's gateway log that contains
// every one of parts, and returns it.
func gatewayLogLine(t *testing.T, mspID string, parts ...string) string {
	t.Helper()
	var found string
	require.Eventually(t, func() bool {
		logs, _ := docFilesContaining(t, "gateway.*.log", "")
		for _, path := range logs {
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			for _, line := range strings.Split(string(b), "\n") {
				if strings.Contains(line, `"msp":"`+mspID+`"`) && containsAll(line, parts) {
					found = line
					return true
				}
			}
		}
		return false
	}, 10*time.Second, 100*time.Millisecond, "no gateway log line with %q", parts)
	return found
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

func TestUndecodableRequests(t *testing.T) {
	conn := gw(t, registry, "clerk")
	const register = "/civicledger.v1.DocumentsService/RegisterDocument"

	for name, tc := range map[string]struct {
		body []byte
		want string
	}{
		"bytes that are not protobuf":            {[]byte{0xff, 0xff, 0xff, 0xff}, "cannot parse invalid wire-format data"},
		"a string field that is not valid UTF-8": {[]byte{0x0a, 0x02, 0xff, 0xfe}, "contains invalid UTF-8"},
	} {
		t.Run(name+" are refused as an invalid argument and logged", func(t *testing.T) {
			var reply []byte
			err := conn.Invoke(ctx(t), register, &tc.body, &reply, grpc.ForceCodecV2(rawCodec{}))
			requireCode(t, err, codes.InvalidArgument)
			msg := status.Convert(err).Message()
			require.Contains(t, msg, "request is not a valid civicledger.v1.RegisterDocumentRequest: ")
			require.Contains(t, msg, tc.want)
			gatewayLogLine(t, registry, `"method":"`+register+`"`, `"code":"InvalidArgument"`, tc.want)
		})
	}

	t.Run("a streamed message that is not valid is refused as an invalid argument and logged", func(t *testing.T) {
		const method = "/civicledger.v1.AnchorService/AnchorBatch"
		stream, err := conn.NewStream(ctx(t), &grpc.StreamDesc{ClientStreams: true, ServerStreams: true}, method, grpc.ForceCodecV2(rawCodec{}))
		require.NoError(t, err)
		bad := []byte{0x12, 0x02, 0xff, 0xfe} // label (field 2) with invalid UTF-8
		if err := stream.SendMsg(&bad); err != nil && !errors.Is(err, io.EOF) {
			require.NoError(t, err)
		}
		require.NoError(t, stream.CloseSend())
		var reply []byte
		err = stream.RecvMsg(&reply)
		requireCode(t, err, codes.InvalidArgument)
		require.Contains(t, status.Convert(err).Message(), "request is not a valid civicledger.v1.AnchorBatchRequest: ")
		gatewayLogLine(t, registry, `"method":"`+method+`"`, `"code":"InvalidArgument"`, "AnchorBatchRequest")
	})

	t.Run("a valid call on the same connection still works", func(t *testing.T) {
		_, err := documents(t, registry, "clerk").GetDocument(ctx(t), &apiv1.GetDocumentRequest{Issuer: registry, Id: uniqueID("NONE")})
		requireCode(t, err, codes.NotFound)
	})
}
