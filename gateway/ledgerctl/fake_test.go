package ledgerctl

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	_ "github.com/civicledger/civicledger/gateway/api/civicledger/v1" // registers the services
	"github.com/civicledger/civicledger/network/connfile"
)

var unsafeInName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the commands' output")

// fakeGateway is a gRPC server on the loopback interface that answers any
// civicledger.v1 method with the JSON reply a test set for it and records
// each request, so that ledgerctl commands run end to end (flags, request,
// call, printed output) without a network.
type fakeGateway struct {
	connection string

	mu       sync.Mutex
	replies  map[string][]string // by method name; a stream sends them all
	requests map[string][]proto.Message
}

func startFakeGateway(t *testing.T) *fakeGateway {
	t.Helper()
	dir := t.TempDir()
	certFile, keyFile := writeSelfSignedCert(t, dir)
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	require.NoError(t, err)

	g := &fakeGateway{replies: map[string][]string{}, requests: map[string][]proto.Message{}}
	srv := grpc.NewServer(
		grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})),
		grpc.UnknownServiceHandler(g.handle),
	)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)

	// Three administrations, every one's gateway the fake; CantonMSP is only
	// in the directory (ListProfiles), as one that joined after the file.
	conn := connfile.Connection{Name: "fake"}
	for _, name := range []string{"registry", "treasury", "council"} {
		conn.Orgs = append(conn.Orgs, connfile.OrgConnection{
			MSPID: strings.ToUpper(name[:1]) + name[1:] + "MSP", Name: name, TLSRootCert: certFile,
			Gateway: connfile.Endpoint{Address: lis.Addr().String()},
			Users:   map[string]connfile.UserFile{"clerk": {Role: "clerk", Cert: certFile, Key: keyFile}},
		})
	}
	data, err := json.Marshal(conn)
	require.NoError(t, err)
	g.connection = filepath.Join(dir, "connection.json")
	require.NoError(t, os.WriteFile(g.connection, data, 0o600))
	return g
}

// writeSelfSignedCert writes a certificate that serves as the TLS root, the
// gateway's certificate on 127.0.0.1 and the user's client certificate.
func writeSelfSignedCert(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fake gateway"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))
	return certFile, keyFile
}

// handle serves any method: it decodes the request into the method's input
// type, records it and sends the replies set for the method.
func (g *fakeGateway) handle(_ any, stream grpc.ServerStream) error {
	full, _ := grpc.MethodFromServerStream(stream) // "/civicledger.v1.DocumentsService/GetDocument"
	svcName, name, _ := strings.Cut(strings.TrimPrefix(full, "/"), "/")
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(svcName))
	if err != nil {
		return status.Errorf(codes.Unimplemented, "unknown service %s", svcName)
	}
	m := d.(protoreflect.ServiceDescriptor).Methods().ByName(protoreflect.Name(name))
	if m == nil {
		return status.Errorf(codes.Unimplemented, "unknown method %s", full)
	}
	// A client stream is read to its end, each message recorded.
	for {
		req := newMessage(m.Input())
		err := stream.RecvMsg(req)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		g.mu.Lock()
		g.requests[name] = append(g.requests[name], req)
		g.mu.Unlock()
		if !m.IsStreamingClient() {
			break
		}
	}
	g.mu.Lock()
	replies := g.replies[name]
	g.mu.Unlock()
	if len(replies) == 0 {
		return status.Errorf(codes.Unimplemented, "the test set no reply for %s", name)
	}
	for _, r := range replies {
		resp := newMessage(m.Output())
		if err := protojson.Unmarshal([]byte(r), resp); err != nil {
			return status.Errorf(codes.Internal, "reply for %s: %v", name, err)
		}
		if err := stream.SendMsg(resp); err != nil {
			return err
		}
	}
	return nil
}

func newMessage(d protoreflect.MessageDescriptor) proto.Message {
	mt, err := protoregistry.GlobalTypes.FindMessageByName(d.FullName())
	if err != nil {
		panic(err)
	}
	return mt.New().Interface()
}

// reply sets what method answers, as the API's JSON; a stream sends every reply.
func (g *fakeGateway) reply(method string, replies ...string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.replies[method] = replies
}

// reset forgets every reply and request.
func (g *fakeGateway) reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.replies, g.requests = map[string][]string{}, map[string][]proto.Message{}
}

// run runs ledgerctl with args as the clerk of RegistryMSP and returns what
// it printed.
func (g *fakeGateway) run(args ...string) (string, error) {
	return g.runWithInput(nil, args...)
}

// runWithInput runs ledgerctl as run does, with stdin as its standard input.
func (g *fakeGateway) runWithInput(stdin io.Reader, args ...string) (string, error) {
	root := NewRoot()
	if stdin != nil {
		root.SetIn(stdin)
	}
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(g.args(args))
	err := root.Execute()
	return out.String(), err
}

// args are the arguments of a run: the fake's connection, as the clerk of
// RegistryMSP, then args.
func (g *fakeGateway) args(args []string) []string {
	return append([]string{"--connection", g.connection, "--org", "registry", "--user", "clerk", "--timeout", "20s"}, args...)
}

// main runs ledgerctl as the command does (Main) and returns its standard
// output, its standard error and its exit code.
func (g *fakeGateway) main(args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = Main(g.args(args), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}

// requireRequest checks the last request method received equals want, the
// request's JSON.
func (g *fakeGateway) requireRequest(t *testing.T, method, want string) {
	t.Helper()
	g.mu.Lock()
	reqs := g.requests[method]
	g.mu.Unlock()
	require.NotEmpty(t, reqs, "%s was not called", method)
	got := reqs[len(reqs)-1]
	exp := got.ProtoReflect().New().Interface()
	require.NoError(t, protojson.Unmarshal([]byte(want), exp))
	require.True(t, proto.Equal(exp, got), "%s request\nwant %v\ngot  %v", method, exp, got)
}

// requireGolden compares out with testdata/<test>/<subtest>.golden
// (rewritten with -update).
func requireGolden(t *testing.T, out string) {
	t.Helper()
	test, sub, _ := strings.Cut(t.Name(), "/")
	path := filepath.Join("testdata", test, unsafeInName.ReplaceAllString(sub, "_")+".golden")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(out), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to write %s", path)
	require.Equal(t, string(want), out)
}

// commandCase is one ledgerctl command run against the fake gateway.
type commandCase struct {
	args    []string
	replies map[string]string // method → reply JSON
	// requests are the requests the gateway must have received, by method.
	requests map[string]string
	// exit is the exit code: ExitOK unless set; ExitNegative for a negative
	// verdict, whose reason stderr holds.
	exit int
}

// runCommandCases runs each case as a subtest and compares its output with
// the golden file named after the subtest.
func runCommandCases(t *testing.T, cases map[string]commandCase) {
	g := startFakeGateway(t)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g.reset()
			for method, r := range tc.replies {
				g.reply(method, r)
			}
			out, stderr, code := g.main(tc.args...)
			require.Equal(t, tc.exit, code, "stdout: %s\nstderr: %s", out, stderr)
			if tc.exit == ExitOK {
				require.Empty(t, stderr)
			} else {
				require.Regexp(t, `^ledgerctl: \S.*\n$`, stderr, "a non-zero exit says why on stderr")
			}
			for method, want := range tc.requests {
				g.requireRequest(t, method, want)
			}
			requireGolden(t, out)
		})
	}
}

// refusal is a command that must fail before calling the gateway, with an
// error that contains want.
type refusal struct {
	args []string
	want string
}

// runRefusals runs each refusal as a subtest.
func runRefusals(t *testing.T, cases map[string]refusal) {
	g := startFakeGateway(t)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g.reset()
			_, err := g.run(tc.args...)
			require.ErrorContains(t, err, tc.want)
			g.mu.Lock()
			defer g.mu.Unlock()
			require.Empty(t, g.requests, "the gateway was called")
		})
	}
}
