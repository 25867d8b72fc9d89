package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/encoding"
	protocodec "google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// An undecodable request (bytes that are not the method's protobuf message,
// a string field that is not valid UTF-8) is the caller's mistake. grpc-go
// turns every codec error into codes.Internal, and for a unary call it
// decodes before any interceptor runs, so nothing would be logged. The
// gateway's codec therefore never fails a decode: it empties the message
// and leaves in it, as an unknown field, why it did not decode; the
// refuseUndecoded interceptors, which run inside the logging interceptor,
// answer InvalidArgument with that reason. The refusal travels in the
// message itself, so a call refused earlier (e.g. unauthenticated) leaves
// nothing behind.

// refusalField is the field number of the refusal: the largest valid
// number, which no CivicLedger message uses.
const refusalField = protowire.MaxValidNumber

// refusalTag starts every refusal: a random value of this process, so that
// a caller cannot forge one by sending that field itself.
var refusalTag = []byte(rand.Text())

// requestCodec is the server's codec: grpc-go's proto codec, whose decode
// failures are left in the message instead of returned.
type requestCodec struct{ encoding.CodecV2 }

// newRequestCodec wraps the registered proto codec.
func newRequestCodec() requestCodec {
	return requestCodec{encoding.GetCodecV2(protocodec.Name)}
}

// Unmarshal decodes data into v; on failure it resets v, leaves the
// refusal in it and reports success so that the call reaches the
// interceptors.
func (c requestCodec) Unmarshal(data mem.BufferSlice, v any) error {
	err := c.CodecV2.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	msg, ok := v.(proto.Message)
	if !ok {
		return err
	}
	proto.Reset(msg)
	value := append(append([]byte{}, refusalTag...), decodeMessage(msg, err)...)
	msg.ProtoReflect().SetUnknown(protowire.AppendBytes(protowire.AppendTag(nil, refusalField, protowire.BytesType), value))
	return nil
}

// decodeMessage says in words which message the bytes failed to be, and
// why, e.g. "request is not a valid civicledger.v1.RegisterDocumentRequest:
// string field contains invalid UTF-8".
func decodeMessage(msg proto.Message, err error) string {
	reason := strings.TrimSpace(strings.TrimPrefix(err.Error(), "proto:"))
	if strings.HasPrefix(reason, "field ") && strings.HasSuffix(reason, "contains invalid UTF-8") {
		reason = "string " + reason
	}
	return fmt.Sprintf("request is not a valid %s: %s", msg.ProtoReflect().Descriptor().FullName(), reason)
}

// refusalOf returns the InvalidArgument error the codec left in msg, or nil.
func refusalOf(msg any) error {
	m, ok := msg.(proto.Message)
	if !ok {
		return nil
	}
	unknown := m.ProtoReflect().GetUnknown()
	num, typ, n := protowire.ConsumeTag(unknown)
	if n < 0 || num != refusalField || typ != protowire.BytesType {
		return nil
	}
	value, m2 := protowire.ConsumeBytes(unknown[n:])
	if m2 < 0 || n+m2 != len(unknown) || !bytes.HasPrefix(value, refusalTag) {
		return nil
	}
	return status.Error(codes.InvalidArgument, string(value[len(refusalTag):]))
}

// refuseUndecoded answers InvalidArgument for a unary request that did not
// decode; the handler is not called.
func refuseUndecoded(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if err := refusalOf(req); err != nil {
		return nil, err
	}
	return handler(ctx, req)
}

// refuseUndecodedStream makes a stream's RecvMsg fail with InvalidArgument
// for a message that did not decode; the handler returns that error.
func refuseUndecodedStream(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	return handler(srv, &decodeCheckedStream{ss})
}

type decodeCheckedStream struct{ grpc.ServerStream }

func (s *decodeCheckedStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	return refusalOf(m)
}
