package server

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"

	"github.com/civicledger/civicledger/gateway/fabric"
)

type ctxKey int

const (
	userKey ctxKey = iota
	callKey
	personKey
)

// call is what the logging interceptor reports about one call; handlers add
// the transaction id.
type call struct {
	mu   sync.Mutex
	txID string
}

// setTxID records the transaction a call submitted, for the log line.
func setTxID(ctx context.Context, txID string) {
	if c, ok := ctx.Value(callKey).(*call); ok {
		c.mu.Lock()
		c.txID = txID
		c.mu.Unlock()
	}
}

// caller is the authenticated user of the call.
func caller(ctx context.Context) *fabric.User {
	u, _ := ctx.Value(userKey).(*fabric.User)
	return u
}

// idempotencyKey is the client's "idempotency-key" metadata, if any.
func idempotencyKey(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	if v := md.Get("idempotency-key"); len(v) > 0 {
		return v[0]
	}
	return ""
}

// public methods need no client certificate.
func public(method string) bool {
	return strings.HasPrefix(method, "/grpc.health.v1.") || strings.HasPrefix(method, "/grpc.reflection.")
}

// authenticate maps the verified client certificate to an enrolled user of
// this administration. Certificates from another administration's CA fail
// the TLS handshake; a valid certificate of no enrolled user is refused here.
func (s *Server) authenticate(ctx context.Context, method string) (context.Context, error) {
	if public(method) {
		return ctx, nil
	}
	p, ok := peer.FromContext(ctx)
	if !ok {
		return nil, status.Error(codes.Unauthenticated, "no connection information")
	}
	info, ok := p.AuthInfo.(credentials.TLSInfo)
	if !ok || len(info.State.VerifiedChains) == 0 || len(info.State.VerifiedChains[0]) == 0 {
		return nil, status.Errorf(codes.Unauthenticated,
			"a client certificate issued by %s's certificate authority is required", s.cfg.MSPID)
	}
	u, err := s.wallet.Lookup(info.State.VerifiedChains[0][0])
	if errors.Is(err, fabric.ErrUnknownUser) && s.people != nil {
		return s.authenticatePerson(ctx, method, info.State.VerifiedChains[0][0])
	}
	if errors.Is(err, fabric.ErrUnknownUser) {
		return nil, status.Errorf(codes.PermissionDenied, "%v (%s)", err, s.cfg.MSPID)
	}
	if err != nil {
		s.log.Error("wallet lookup failed", "err", err)
		return nil, status.Error(codes.Internal, "cannot look up the caller's identity")
	}
	return context.WithValue(ctx, userKey, u), nil
}

func (s *Server) unaryInterceptor(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	start := time.Now()
	c := &call{}
	ctx = context.WithValue(ctx, callKey, c)
	ctx, err := s.authenticate(ctx, info.FullMethod)
	var resp any
	if err == nil {
		resp, err = handler(ctx, req)
	}
	s.observe(ctx, info.FullMethod, c, start, err)
	return resp, err
}

func (s *Server) streamInterceptor(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	start := time.Now()
	c := &call{}
	ctx := context.WithValue(ss.Context(), callKey, c)
	ctx, err := s.authenticate(ctx, info.FullMethod)
	if err == nil {
		err = handler(srv, &wrappedStream{ServerStream: ss, ctx: ctx})
	}
	s.observe(ctx, info.FullMethod, c, start, err)
	return err
}

type wrappedStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (w *wrappedStream) Context() context.Context { return w.ctx }

// observe logs one line per call and updates the metrics.
func (s *Server) observe(ctx context.Context, method string, c *call, start time.Time, err error) {
	code := status.Code(err)
	elapsed := time.Since(start)
	s.metrics.requests.WithLabelValues(method, code.String()).Inc()
	s.metrics.duration.WithLabelValues(method).Observe(elapsed.Seconds())
	attrs := []any{"method", method, "code", code.String(), "ms", elapsed.Milliseconds()}
	if ctx != nil {
		if u := caller(ctx); u != nil {
			attrs = append(attrs, "user", u.Name, "role", u.Role)
		}
	}
	c.mu.Lock()
	if c.txID != "" {
		attrs = append(attrs, "tx", c.txID)
	}
	c.mu.Unlock()
	level := slog.LevelInfo
	if code != codes.OK {
		attrs = append(attrs, "err", status.Convert(err).Message())
		if code == codes.Internal || code == codes.Unknown {
			level = slog.LevelError
		}
	}
	s.log.Log(context.Background(), level, "call", attrs...)
}
