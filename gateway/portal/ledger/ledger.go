// Package ledger is the portal's connection to the channel: it signs with
// the portal's own identity (a client of its host administration whose role,
// spec.RolePortal, the chaincode accepts for one write only: relaying an
// official's acknowledgement of a convocation), evaluates the documents'
// verification queries, reads convocations, reads the channel configuration
// for the trust list and streams committed blocks for the index.
package ledger

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/hash"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/protobuf/proto"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/fabric"
	"github.com/civicledger/civicledger/gateway/proofs/receipt"
)

// Peer is a peer of the host administration and the CA its TLS
// certificate chains to.
type Peer struct {
	Address     string
	TLSRootCert string
}

// Settings name the channel, chaincode, peers and identity to read with.
type Settings struct {
	Channel, Chaincode string
	MSPID              string
	CertFile, KeyFile  string
	Peers              []Peer
	// Timeout bounds each evaluation.
	Timeout time.Duration
}

// Ledger reads the channel as the portal's identity, through the first
// peer that answers.
type Ledger struct {
	s     Settings
	conns []*grpc.ClientConn
	gws   []*client.Gateway

	mu      sync.Mutex
	current int
}

// Dial opens lazy connections to every peer.
func Dial(s Settings) (*Ledger, error) {
	if s.Channel == "" || s.Chaincode == "" || s.MSPID == "" || len(s.Peers) == 0 {
		return nil, errors.New("dial ledger: channel, chaincode, mspId and at least one peer are required")
	}
	if s.Timeout <= 0 {
		s.Timeout = 10 * time.Second
	}
	id, sign, err := loadIdentity(s.MSPID, s.CertFile, s.KeyFile)
	if err != nil {
		return nil, err
	}
	l := &Ledger{s: s}
	for i, p := range s.Peers {
		conn, err := dial(p)
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("peers[%d]: %w", i, err)
		}
		gw, err := client.Connect(id, client.WithSign(sign), client.WithHash(hash.SHA256), client.WithClientConnection(conn),
			client.WithEvaluateTimeout(s.Timeout), client.WithEndorseTimeout(s.Timeout), client.WithSubmitTimeout(s.Timeout),
			client.WithCommitStatusTimeout(2*s.Timeout))
		if err != nil {
			conn.Close()
			l.Close()
			return nil, fmt.Errorf("peers[%d]: connect: %w", i, err)
		}
		l.conns, l.gws = append(l.conns, conn), append(l.gws, gw)
	}
	return l, nil
}

func loadIdentity(mspID, certFile, keyFile string) (*identity.X509Identity, identity.Sign, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return nil, nil, fmt.Errorf("read portal certificate: %w", err)
	}
	cert, err := identity.CertificateFromPEM(certPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("portal certificate: %w", err)
	}
	id, err := identity.NewX509Identity(mspID, cert)
	if err != nil {
		return nil, nil, fmt.Errorf("portal identity: %w", err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, nil, fmt.Errorf("read portal key: %w", err)
	}
	key, err := identity.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("portal key: %w", err)
	}
	sign, err := identity.NewPrivateKeySign(key)
	if err != nil {
		return nil, nil, fmt.Errorf("portal key: %w", err)
	}
	return id, sign, nil
}

func dial(p Peer) (*grpc.ClientConn, error) {
	pem, err := os.ReadFile(p.TLSRootCert)
	if err != nil {
		return nil, fmt.Errorf("read TLS root: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no certificate", p.TLSRootCert)
	}
	conn, err := grpc.NewClient(p.Address, grpc.WithTransportCredentials(
		credentials.NewTLS(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12})))
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", p.Address, err)
	}
	return conn, nil
}

// Close closes every connection.
func (l *Ledger) Close() error {
	for _, gw := range l.gws {
		gw.Close()
	}
	var errs []error
	for _, c := range l.conns {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// evaluate runs a query at the current peer and, when it fails, at each
// other peer in turn (a query is harmless to repeat).
func (l *Ledger) evaluate(ctx context.Context, chaincode, tx string, args ...string) ([]byte, error) {
	l.mu.Lock()
	start := l.current
	l.mu.Unlock()
	var err error
	for n := range l.gws {
		i := (start + n) % len(l.gws)
		ctx, cancel := context.WithTimeout(ctx, l.s.Timeout)
		var out []byte
		out, err = l.gws[i].GetNetwork(l.s.Channel).GetContract(chaincode).EvaluateWithContext(ctx, tx, client.WithArguments(args...))
		cancel()
		if err == nil {
			l.mu.Lock()
			l.current = i
			l.mu.Unlock()
			return out, nil
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("evaluate %s: %w", tx, err)
}

// Verify is the ledger's verdict on document id of issuer now.
func (l *Ledger) Verify(ctx context.Context, issuer, id string) (*records.DocumentVerdict, error) {
	raw, err := l.evaluate(ctx, l.s.Chaincode, spec.DocumentsVerify, issuer, id)
	if err != nil {
		return nil, err
	}
	var v records.DocumentVerdict
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("decode verdict: %w", err)
	}
	return &v, nil
}

// VerifyHash is the ledger's verdict on every document with this SHA-256.
func (l *Ledger) VerifyHash(ctx context.Context, sha256 string) ([]*records.DocumentVerdict, error) {
	raw, err := l.evaluate(ctx, l.s.Chaincode, spec.DocumentsVerifyHash, sha256)
	if err != nil {
		return nil, err
	}
	var v []*records.DocumentVerdict
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("decode verdicts: %w", err)
	}
	return v, nil
}

// RefusedError is a transaction the chaincode refused, with its code
// (errcode) and reason: a caller's mistake, not an outage.
type RefusedError = fabric.ChaincodeError

// refused turns a chaincode refusal carried by a Fabric Gateway error into a
// *RefusedError; every other error is returned as is.
func refused(err error) error {
	if ce := fabric.Refusal(err); ce != nil {
		return ce
	}
	return err
}

// Meeting is meeting meetingID of ownerMSP (Convocations:GetMeeting); a
// *RefusedError with errcode.NotFound when there is none.
func (l *Ledger) Meeting(ctx context.Context, ownerMSP, meetingID string) (*records.Meeting, error) {
	raw, err := l.evaluate(ctx, l.s.Chaincode, spec.ConvocationsGetMeeting, ownerMSP, meetingID)
	if err != nil {
		return nil, refused(err)
	}
	var m records.Meeting
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("decode meeting: %w", err)
	}
	return &m, nil
}

// Convocation is one convocation's legal proof (Convocations:GetConvocation);
// a *RefusedError with errcode.NotFound when there is none.
func (l *Ledger) Convocation(ctx context.Context, ownerMSP, meetingID, convocationID string) (*records.Convocation, error) {
	raw, err := l.evaluate(ctx, l.s.Chaincode, spec.ConvocationsGetConvocation, ownerMSP, meetingID, convocationID)
	if err != nil {
		return nil, refused(err)
	}
	var c records.Convocation
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("decode convocation: %w", err)
	}
	return &c, nil
}

// Acknowledge submits Convocations:Acknowledge with the official's token,
// the one write the portal's identity may make, and waits until it is
// committed. The chaincode's refusals (wrong token, already acknowledged,
// unknown convocation) come back as a *RefusedError. It is submitted
// through the current peer only: a second attempt after an outcome that is
// not known would be answered "already acknowledged".
func (l *Ledger) Acknowledge(ctx context.Context, ownerMSP, meetingID, convocationID, token string) (*records.Convocation, error) {
	l.mu.Lock()
	i := l.current
	l.mu.Unlock()
	raw, err := l.gws[i].GetNetwork(l.s.Channel).GetContract(l.s.Chaincode).SubmitWithContext(ctx, spec.ConvocationsAcknowledge,
		client.WithArguments(ownerMSP, meetingID, convocationID, token))
	if err != nil {
		return nil, refused(fmt.Errorf("submit %s: %w", spec.ConvocationsAcknowledge, err))
	}
	var c records.Convocation
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("decode convocation: %w", err)
	}
	return &c, nil
}

// maxUsePages bounds how many pages of uses UsesBySubject reads (100 uses
// each).
const maxUsePages = 20

// UsesBySubject reads every recorded use of data about subjectRef
// (Permissions:ListUsesBySubject), oldest first, at most maxUsePages pages;
// more says there were more. A *RefusedError with errcode.InvalidArgument
// when subjectRef is malformed.
func (l *Ledger) UsesBySubject(ctx context.Context, subjectRef string) (uses []records.PermissionUse, more bool, err error) {
	bookmark := ""
	for range maxUsePages {
		raw, err := l.evaluate(ctx, l.s.Chaincode, spec.PermissionsListUsesBySubject, subjectRef, "100", bookmark)
		if err != nil {
			return nil, false, refused(err)
		}
		var page records.PermissionUsePage
		if err := json.Unmarshal(raw, &page); err != nil {
			return nil, false, fmt.Errorf("decode uses: %w", err)
		}
		for _, u := range page.Uses {
			uses = append(uses, *u)
		}
		if page.Bookmark == "" {
			return uses, false, nil
		}
		bookmark = page.Bookmark
	}
	return uses, true, nil
}

// Administration is one member's entry in the trust list.
type Administration struct {
	MSPID         string
	Roots         []*x509.Certificate
	Intermediates []*x509.Certificate
}

// TrustList reads the member administrations' CA certificates from the
// channel's current configuration block (cscc GetConfigBlock), the trust
// list the gateways check seals against (docs/proofs.md, seals §4).
func (l *Ledger) TrustList(ctx context.Context) ([]Administration, error) {
	raw, err := l.evaluate(ctx, "cscc", "GetConfigBlock", l.s.Channel)
	if err != nil {
		return nil, err
	}
	cfg, err := receipt.ParseConfigBlock(raw)
	if err != nil {
		return nil, fmt.Errorf("read channel configuration: %w", err)
	}
	var out []Administration
	for _, id := range cfg.MemberIDs() {
		m := cfg.MSPs[id]
		out = append(out, Administration{MSPID: id, Roots: m.Roots, Intermediates: m.Intermediates})
	}
	return out, nil
}

// Height is the number of blocks of the channel at the current peer
// (qscc GetChainInfo).
func (l *Ledger) Height(ctx context.Context) (uint64, error) {
	raw, err := l.evaluate(ctx, "qscc", "GetChainInfo", l.s.Channel)
	if err != nil {
		return 0, err
	}
	var info common.BlockchainInfo
	if err := proto.Unmarshal(raw, &info); err != nil {
		return 0, fmt.Errorf("decode chain info: %w", err)
	}
	return info.GetHeight(), nil
}

// Blocks streams committed blocks from start on, from the current peer.
func (l *Ledger) Blocks(ctx context.Context, start uint64) (<-chan *common.Block, error) {
	l.mu.Lock()
	i := l.current
	l.current = (l.current + 1) % len(l.gws) // the next reconnection tries another peer
	l.mu.Unlock()
	blocks, err := l.gws[i].GetNetwork(l.s.Channel).BlockEvents(ctx, client.WithStartBlock(start))
	if err != nil {
		return nil, fmt.Errorf("block events from %s: %w", strings.TrimSpace(l.s.Peers[i].Address), err)
	}
	return blocks, nil
}
