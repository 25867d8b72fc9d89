// Package portal is the public transparency portal: server-rendered pages
// (html/template, assets embedded) and their JSON and CSV twins, for
// citizens and the press, with no account and no cookie. It reads the
// ledger with its own read-only identity (Ledger) for live verdicts and the
// trust list, and its block-fed index (Index) for registers and the proof
// (block, transaction) of each record. A verification by hash is answered
// from the index while the index is proved to hold every block of the
// ledger (CheckTip), from the ledger otherwise. Nothing personal is ever shown: the
// index keeps no subject data, and the pages show no subject reference or
// official's identity.
package portal

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/gateway/portal/index"
	"github.com/civicledger/civicledger/gateway/portal/ledger"
)

// Ledger is what the portal asks the ledger live.
type Ledger interface {
	Verify(ctx context.Context, issuer, id string) (*records.DocumentVerdict, error)
	VerifyHash(ctx context.Context, sha256 string) ([]*records.DocumentVerdict, error)
	TrustList(ctx context.Context) ([]ledger.Administration, error)
	Meeting(ctx context.Context, ownerMSP, meetingID string) (*records.Meeting, error)
	Convocation(ctx context.Context, ownerMSP, meetingID, convocationID string) (*records.Convocation, error)
	// Acknowledge is the one write: an official's acknowledgement of a
	// convocation, authorised by the token of their link.
	Acknowledge(ctx context.Context, ownerMSP, meetingID, convocationID, token string) (*records.Convocation, error)
	UsesBySubject(ctx context.Context, subjectRef string) ([]records.PermissionUse, bool, error)
	// Height is the number of blocks of the channel.
	Height(ctx context.Context) (uint64, error)
}

// Index is what the portal reads from its index.
type Index interface {
	NextBlock(ctx context.Context) (uint64, error)
	Documents(ctx context.Context, f index.DocumentFilter) ([]index.Document, index.PageInfo, int, error)
	DocumentKeyBefore(ctx context.Context, f index.DocumentFilter, offset int) ([]string, bool, error)
	DocumentsByHash(ctx context.Context, sha256 string, now time.Time) ([]index.Document, error)
	Document(ctx context.Context, issuer, id string, now time.Time) (index.Document, bool, error)
	Members(ctx context.Context) ([]index.Member, error)
	RecentTransactions(ctx context.Context, limit int) ([]index.TxRow, error)
	TransactionsPerDay(ctx context.Context, since string) ([]index.DayCount, error)
	DocumentsPerType(ctx context.Context) ([]index.TypeCount, error)
	Meetings(ctx context.Context, owner string, p index.Page) ([]index.MeetingRow, index.PageInfo, error)
	Grants(ctx context.Context, granting string, p index.Page) ([]index.GrantRow, index.PageInfo, error)
	Programmes(ctx context.Context) ([]index.ProgrammeRow, error)
	Permissions(ctx context.Context, owner string, p index.Page) ([]index.PermissionRow, index.PageInfo, error)
	Proposals(ctx context.Context) ([]index.ProposalRow, error)
	DeMinimis(ctx context.Context, since string) ([]index.AidRow, error)
}

// Server serves the portal.
type Server struct {
	ledger  Ledger
	index   Index
	channel string
	lang    string
	scripts fs.FS
	log     *slog.Logger
	now     func() time.Time
	timeout time.Duration
	maxLag  time.Duration
	tip     tip
	cache   pageCache
	pages   pages
	navs    sync.Map // the rendered navigation by language, link style and page
}

// Option configures a Server; it fails when its value is unusable.
type Option func(*Server) error

// WithLanguage sets the language used when the browser asks for none the
// portal speaks.
func WithLanguage(lang string) Option {
	return func(s *Server) error {
		if messages[lang] == nil {
			return errors.New("language must be one of en, fr")
		}
		s.lang = lang
		return nil
	}
}

// WithScripts serves the in-browser verification modules (verify-seal.js,
// verify-file.js) at /static/.
func WithScripts(f fs.FS) Option {
	return func(s *Server) error { s.scripts = f; return nil }
}

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(s *Server) error { s.log = l; return nil }
}

// WithClock sets the clock statuses are derived with (tests).
func WithClock(now func() time.Time) Option {
	return func(s *Server) error { s.now = now; return nil }
}

// WithTimeout bounds the work of one request (default 10 s).
func WithTimeout(d time.Duration) Option {
	return func(s *Server) error {
		if d <= 0 {
			return errors.New("timeout must be positive")
		}
		s.timeout = d
		return nil
	}
}

// New returns the portal of channel, reading l and x.
func New(l Ledger, x Index, channel string, opts ...Option) (*Server, error) {
	if l == nil || x == nil || channel == "" {
		return nil, errors.New("portal: a ledger, an index and a channel are required")
	}
	s := &Server{ledger: l, index: x, channel: channel, lang: "en", now: time.Now,
		timeout: 10 * time.Second, maxLag: DefaultMaxLag, log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		if err := opt(s); err != nil {
			return nil, err
		}
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = p
	return s, nil
}

// Handler returns the portal's routes behind its security headers.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /verify", s.sealPage)
	mux.HandleFunc("GET /verify/file", s.filePage)
	mux.HandleFunc("GET /verify/hash", s.hashPage)
	mux.HandleFunc("GET /api/v1/verify", s.hashAPI)
	mux.HandleFunc("GET /api/v1/status", s.statusAPI)
	mux.HandleFunc("GET /trust-list.json", s.trustList)
	mux.HandleFunc("GET /registers/documents", s.firstPage(s.documentsPage))
	mux.HandleFunc("GET /registers/documents.json", s.firstPage(s.documentsJSON))
	mux.HandleFunc("GET /registers/documents.csv", s.firstPage(s.documentsCSV))
	mux.HandleFunc("GET /registers/administrations", s.firstPage(s.adminsPage))
	mux.HandleFunc("GET /registers/administrations.json", s.firstPage(s.adminsJSON))
	mux.HandleFunc("GET /registers/administrations.csv", s.firstPage(s.adminsCSV))
	mux.HandleFunc("GET /audit", s.auditPage)
	mux.HandleFunc("GET /audit.json", s.auditJSON)
	convocationsRegister.route(mux, s)
	subsidiesRegister.route(mux, s)
	permissionsRegister.route(mux, s)
	mux.HandleFunc("GET /consulted", s.consultedForm)
	mux.HandleFunc("POST /consulted", s.consultedPage)
	mux.HandleFunc("POST /api/v1/consulted", s.consultedAPI)
	mux.HandleFunc("GET /acknowledge", s.ackPage)
	mux.HandleFunc("POST /acknowledge", s.ackSubmit)
	mux.Handle("GET /assets/", http.FileServerFS(assets))
	if s.scripts != nil {
		mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(s.scripts)))
	}
	mux.HandleFunc("/", s.notFound)
	return s.secure(mux)
}

// contentSecurityPolicy allows only the portal's own scripts, styles and
// requests: no inline script or style, no third party, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure sets the security headers of every response and bounds its work.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
