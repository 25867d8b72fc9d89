// Package server is the gateway's gRPC service: one file of handlers per
// service (with its chaincode JSON conversions in <service>_convert.go and
// its own request checks in <service>_validate.go; checks shared by services
// are in validate.go), this one assembling them with TLS client
// authentication, interceptors (caller identity, logging with the transaction
// id, metrics), health, reflection and graceful stop. Handlers validate their
// request, call Fabric through package fabric, and map errors once, through
// toStatus.
package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/civicledger/civicledger/gateway/config"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/gateway/proofs/seal"
)

// Server is a running gateway.
type Server struct {
	cfg     config.Config
	log     *slog.Logger
	fabric  *fabric.Client
	wallet  *fabric.Wallet
	sealer  *seal.Signer // nil when no seal key is configured
	trust   *trustCache
	grpc    *grpc.Server
	health  *health.Server
	metrics *metrics
	http    *http.Server
	people  *people // nil when no CA is configured (people_auth.go)
	signers *signerSessions
	// onStop closes what the services opened besides the peers (orderer
	// connections), when Serve returns.
	onStop []func() error
}

// New assembles the gateway; it connects to nothing until Serve.
func New(cfg config.Config, log *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	tlsCfg, err := serverTLS(cfg.TLS)
	if err != nil {
		return nil, err
	}
	wallet, err := fabric.NewWallet(cfg.Users, cfg.MSPID)
	if err != nil {
		return nil, err
	}
	sealer, err := loadSealSigner(cfg.Seal)
	if err != nil {
		return nil, err
	}
	peers := make([]fabric.Peer, len(cfg.Peers))
	for i, p := range cfg.Peers {
		peers[i] = fabric.Peer{Address: p.Address, TLSRootCert: p.TLSRootCert}
	}
	fc, err := fabric.Dial(cfg.Channel, cfg.Chaincode, peers,
		fabric.WithEvaluateTimeout(cfg.Timeouts.Evaluate), fabric.WithEndorseTimeout(cfg.Timeouts.Endorse),
		fabric.WithSubmitTimeout(cfg.Timeouts.Submit), fabric.WithCommitStatusTimeout(cfg.Timeouts.CommitStatus),
		fabric.WithResendInterval(cfg.Timeouts.Resend), fabric.WithLogger(log),
		fabric.WithMaxRetries(cfg.MaxRetries), fabric.WithIdempotencyTTL(cfg.IdempotencyTTL))
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, fabric: fc, wallet: wallet, sealer: sealer, health: health.NewServer(), signers: newSignerSessions()}
	if s.people, err = newPeopleFromConfig(cfg); err != nil {
		return nil, err
	}
	s.trust = newTrustCache(trustTTL, s.fabric.TrustList)
	reg := prometheus.NewRegistry()
	s.metrics = newMetrics(reg)
	s.grpc = grpc.NewServer(
		grpc.Creds(credentials.NewTLS(tlsCfg)),
		// The request codec never fails a decode; refuseUndecoded answers
		// InvalidArgument inside the logging interceptor (codec.go).
		grpc.ForceServerCodecV2(newRequestCodec()),
		grpc.ChainUnaryInterceptor(s.unaryInterceptor, refuseUndecoded),
		grpc.ChainStreamInterceptor(s.streamInterceptor, refuseUndecodedStream),
	)
	registerServices(s)
	healthpb.RegisterHealthServer(s.grpc, s.health)
	reflection.Register(s.grpc)
	if cfg.MetricsListen != "" {
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		s.http = &http.Server{Addr: cfg.MetricsListen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	}
	return s, nil
}

// serverTLS requires TLS 1.2+ and verifies any client certificate against
// the administration's CA. A call without a certificate reaches the
// interceptor, which refuses it with a clear message (health and reflection
// excepted).
func serverTLS(c config.TLS) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(c.Cert, c.Key)
	if err != nil {
		return nil, fmt.Errorf("load gateway TLS certificate: %w", err)
	}
	pem, err := os.ReadFile(c.ClientCA)
	if err != nil {
		return nil, fmt.Errorf("read client CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("client CA %s holds no certificate", c.ClientCA)
	}
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.VerifyClientCertIfGiven,
		ClientCAs:    pool,
		MinVersion:   tls.VersionTLS12,
	}, nil
}

// Serve listens and serves until ctx ends, then stops gracefully: health
// turns NOT_SERVING, running calls get up to grace to finish.
func (s *Server) Serve(ctx context.Context, grace time.Duration) error {
	lis, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	errc := make(chan error, 2)
	if s.http != nil {
		go func() {
			if err := s.http.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("metrics server: %w", err)
			}
		}()
	}
	go func() { errc <- s.grpc.Serve(lis) }()
	s.health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	s.log.Info("gateway serving", "msp", s.cfg.MSPID, "listen", s.cfg.Listen, "metrics", s.cfg.MetricsListen, "peers", len(s.cfg.Peers))

	select {
	case <-ctx.Done():
	case err := <-errc:
		_ = s.close()
		return err
	}
	s.log.Info("gateway stopping")
	s.health.Shutdown()
	stopped := make(chan struct{})
	go func() { s.grpc.GracefulStop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(grace):
		s.grpc.Stop()
	}
	if s.http != nil {
		shutCtx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		_ = s.http.Shutdown(shutCtx)
	}
	return s.close()
}

// close closes the peer connections and whatever the services opened.
func (s *Server) close() error {
	errs := []error{s.fabric.Close()}
	for _, stop := range s.onStop {
		errs = append(errs, stop())
	}
	return errors.Join(errs...)
}
