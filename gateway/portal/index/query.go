package index

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/civicledger/civicledger/chaincode/spec"
)

// Document is a document as the portal shows it: the public facts of its
// record, its status now, and the block and transaction that registered it
// and that last changed it.
type Document struct {
	Issuer          string
	ID              string
	Type            string
	SHA256          string
	KeyFacts        map[string]string
	ValidFrom       string
	ValidUntil      string
	Status          string // spec.Document*: stored status, or expired / not-yet-valid now
	RevokedReason   string
	SupersededBy    string
	RegisteredAt    string
	StatusChangedAt string
	Block           uint64
	TxID            string
	LastBlock       uint64
	LastTxID        string
}

// DocumentFilter selects documents; empty fields select all. Status is one
// of the spec.Document* statuses, derived at Now. Page is a keyset page
// over (issuer, id).
type DocumentFilter struct {
	Issuer, Type, Status string
	Now                  time.Time
	Page                 Page
	// Brief reads only what the register's page shows: issuer, id, type,
	// status, validity and block (each column read costs).
	Brief bool
}

// statusExpr derives a document's status at ?1 (Unix nanoseconds).
const statusExpr = `CASE WHEN status <> 'valid' THEN status
	WHEN valid_from_ns > ?1 THEN '` + spec.DocumentNotYetValid + `'
	WHEN valid_until_ns IS NOT NULL AND valid_until_ns <= ?1 THEN '` + spec.DocumentExpired + `'
	ELSE 'valid' END`

const documentColumns = `issuer, id, type, sha256, key_facts, valid_from, valid_until, ` + statusExpr + `,
	revoked_reason, superseded_by, registered_at, status_changed_at, block, tx_id, last_block, last_tx_id`

// statusCondition selects the documents whose status at ?1 is status,
// with conditions on the stored status that its index serves (statusExpr
// would make SQLite compute every row's status).
func statusCondition(status string) (string, error) {
	switch status {
	case spec.DocumentRevoked, spec.DocumentSuperseded:
		return "status = '" + status + "'", nil
	case spec.DocumentNotYetValid:
		return "status = 'valid' AND valid_from_ns > ?1", nil
	case spec.DocumentExpired:
		return "status = 'valid' AND valid_from_ns <= ?1 AND valid_until_ns IS NOT NULL AND valid_until_ns <= ?1", nil
	case spec.DocumentValid:
		return "status = 'valid' AND valid_from_ns <= ?1 AND (valid_until_ns IS NULL OR valid_until_ns > ?1)", nil
	}
	return "", fmt.Errorf("no document status %q", status)
}

// documentKey is the order of the documents register, and its page key.
var documentKey = []string{"issuer", "id"}

// where is the filter's condition and its arguments (?1 is Now). It names
// ?1 even when no condition reads it, so that the plain ? marks a query
// adds after it number from 2.
func (f DocumentFilter) where() (string, []any, error) {
	where, args := []string{"?1 = ?1"}, []any{f.Now.UnixNano()}
	if f.Issuer != "" {
		where, args = append(where, fmt.Sprintf("issuer = ?%d", len(args)+1)), append(args, f.Issuer)
	}
	if f.Type != "" {
		where, args = append(where, fmt.Sprintf("type = ?%d", len(args)+1)), append(args, f.Type)
	}
	if f.Status != "" {
		cond, err := statusCondition(f.Status)
		if err != nil {
			return "", nil, err
		}
		where = append(where, cond)
	}
	return strings.Join(where, " AND "), args, nil
}

// pageIndex names the index a page of f reads when f has an issuer and a
// type or a status. SQLite, without statistics, would otherwise walk all
// the issuer's documents in the primary key (the table itself, WITHOUT
// ROWID) for the few the filter selects, rather than seek them in the
// index made for the filter.
func (f DocumentFilter) pageIndex() string {
	switch {
	case f.Issuer == "":
		return ""
	case f.Type != "" && f.Status != "":
		return " INDEXED BY documents_filter"
	case f.Type != "":
		return " INDEXED BY documents_type"
	case f.Status != "":
		return " INDEXED BY documents_status"
	}
	return ""
}

// Documents returns one keyset page of documents in (issuer, id) order,
// where it sits, and the number of documents the filter selects. Its rows
// hold the register's facts only: KeyFacts, StatusChangedAt, LastBlock and
// LastTxID are left empty (Document and DocumentsByHash read them).
func (x *Index) Documents(ctx context.Context, f DocumentFilter) ([]Document, PageInfo, int, error) {
	cond, args, err := f.where()
	if err != nil {
		return nil, PageInfo{}, 0, err
	}
	total, err := x.count(ctx, f)
	if err != nil {
		return nil, PageInfo{}, 0, err
	}
	// The keyset's plain ? marks number on from the highest ?N before them.
	now := f.Now.UnixNano()
	columns, scan := "page_row", func(rows *sql.Rows) (Document, error) {
		var row string
		if err := rows.Scan(&row); err != nil {
			return Document{}, err
		}
		return decodePageRow(row, "", now, true)
	}
	if !f.Brief {
		columns, scan = "page_row, page_more", func(rows *sql.Rows) (Document, error) {
			var row, more string
			if err := rows.Scan(&row, &more); err != nil {
				return Document{}, err
			}
			return decodePageRow(row, more, now, false)
		}
	}
	docs, info, err := keyset(ctx, x, "documents", `SELECT `+columns+` FROM documents`+f.pageIndex(), cond, f.Issuer, "", args, documentKey, f.Page, scan,
		func(d Document) []string { return []string{d.Issuer, d.ID} })
	return docs, info, total, err
}

// DocumentKeyBefore is the key (issuer, id) of the document just before
// offset (from 1) in the filter's order, false when no document sits at
// offset: how an old ?page= link is turned into a keyset one, once.
func (x *Index) DocumentKeyBefore(ctx context.Context, f DocumentFilter, offset int) ([]string, bool, error) {
	cond, args, err := f.where()
	if err != nil || offset < 1 {
		return nil, false, err
	}
	rows, err := x.db.QueryContext(ctx, fmt.Sprintf(`SELECT issuer, id FROM documents WHERE %s ORDER BY issuer, id LIMIT 2 OFFSET %d`,
		cond, offset-1), args...)
	if err != nil {
		return nil, false, fmt.Errorf("find document at %d: %w", offset, err)
	}
	defer rows.Close()
	var keys [][]string
	for rows.Next() {
		var issuer, id string
		if err := rows.Scan(&issuer, &id); err != nil {
			return nil, false, fmt.Errorf("find document at %d: %w", offset, err)
		}
		keys = append(keys, []string{issuer, id})
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("find document at %d: %w", offset, err)
	}
	if len(keys) < 2 {
		return nil, false, nil
	}
	return keys[0], true, nil
}

// DocumentsByHash returns every document whose bytes have this SHA-256
// (lowercase hex), with its status at now.
func (x *Index) DocumentsByHash(ctx context.Context, sha256 string, now time.Time) ([]Document, error) {
	return x.queryDocuments(ctx, `SELECT `+documentColumns+` FROM documents WHERE sha256 = ?2 ORDER BY issuer, id`,
		now.UnixNano(), sha256)
}

// Document returns document id of issuer with its status at now.
func (x *Index) Document(ctx context.Context, issuer, id string, now time.Time) (Document, bool, error) {
	docs, err := x.queryDocuments(ctx, `SELECT `+documentColumns+` FROM documents WHERE issuer = ?2 AND id = ?3`,
		now.UnixNano(), issuer, id)
	if err != nil || len(docs) == 0 {
		return Document{}, false, err
	}
	return docs[0], true, nil
}

func (x *Index) queryDocuments(ctx context.Context, query string, args ...any) ([]Document, error) {
	rows, err := x.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query documents: %w", err)
	}
	defer rows.Close()
	docs := []Document{}
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read documents: %w", err)
	}
	return docs, nil
}

// scanDocument reads a row of documentColumns.
func scanDocument(rows *sql.Rows) (Document, error) {
	var d Document
	var facts string
	if err := rows.Scan(&d.Issuer, &d.ID, &d.Type, &d.SHA256, &facts, &d.ValidFrom, &d.ValidUntil, &d.Status,
		&d.RevokedReason, &d.SupersededBy, &d.RegisteredAt, &d.StatusChangedAt,
		&d.Block, &d.TxID, &d.LastBlock, &d.LastTxID); err != nil {
		return d, fmt.Errorf("read document: %w", err)
	}
	if err := json.Unmarshal([]byte(facts), &d.KeyFacts); err != nil {
		return d, fmt.Errorf("decode key facts of %s: %w", d.ID, err)
	}
	return d, nil
}

// Member is an administration's directory profile and where it was written.
type Member struct {
	MSPID, DisplayName, Kind, Contact, UpdatedAt string
	Block                                        uint64
	TxID                                         string
}

// countQuery counts the documents f selects. A status derived from the
// time (valid, expired, not yet valid) is counted among the documents
// stored as valid that the other conditions select, with the next time
// one of them changes status (its validity begins or ends: the smallest
// valid_from_ns or valid_until_ns after ?1), until which the count holds.
func (f DocumentFilter) countQuery() (query string, args []any, err error) {
	switch f.Status {
	case spec.DocumentValid, spec.DocumentExpired, spec.DocumentNotYetValid:
	default:
		cond, args, err := f.where()
		return `SELECT count(*), NULL, NULL FROM documents WHERE ` + cond, args, err
	}
	at, err := statusCondition(f.Status)
	if err != nil {
		return "", nil, err
	}
	f.Status = ""
	cond, args, err := f.where()
	return `SELECT count(CASE WHEN ` + strings.TrimPrefix(at, "status = 'valid' AND ") + ` THEN 1 END),
		min(CASE WHEN valid_from_ns > ?1 THEN valid_from_ns END), min(CASE WHEN valid_until_ns > ?1 THEN valid_until_ns END)
		FROM documents WHERE ` + cond + ` AND status = 'valid'`, args, err
}

// countEntry is a kept count, right from the time it was made (ns) until
// the next change of a counted status (ns).
type countEntry struct {
	n           int
	from, until int64
}

// count counts the documents a filter selects, from the cache while no
// block has been applied since and, for a status derived from the time,
// while no selected document's validity has begun or ended since. One
// caller counts: the others asking for the same count meanwhile wait for
// its answer instead of each walking the same rows.
func (x *Index) count(ctx context.Context, f DocumentFilter) (int, error) {
	query, args, err := f.countQuery()
	if err != nil {
		return 0, err
	}
	now := f.Now.UnixNano()
	key := fmt.Sprint(query, args[1:])
	x.mu.Lock()
	if e, ok := x.counts[key]; ok && e.from <= now && now < e.until {
		x.mu.Unlock()
		return e.n, nil
	}
	if c, ok := x.counting[key]; ok {
		x.mu.Unlock()
		select {
		case <-c.done:
			return c.n, c.err
		case <-ctx.Done():
			return 0, fmt.Errorf("count documents: %w", ctx.Err())
		}
	}
	c := &counting{done: make(chan struct{})}
	applied := x.applied
	if x.counting == nil {
		x.counting = map[string]*counting{}
	}
	x.counting[key] = c
	x.mu.Unlock()

	e := countEntry{from: now, until: math.MaxInt64}
	var nextFrom, nextUntil sql.NullInt64
	row, err := x.queryRow(ctx, query, args...)
	if c.err = err; err == nil {
		c.err = row.Scan(&c.n, &nextFrom, &nextUntil)
	}
	if c.err != nil {
		c.err = fmt.Errorf("count documents: %w", c.err)
	}
	for _, next := range []sql.NullInt64{nextFrom, nextUntil} {
		if next.Valid {
			e.until = min(e.until, next.Int64)
		}
	}
	e.n = c.n
	x.mu.Lock()
	if x.counting[key] == c {
		delete(x.counting, key)
	}
	if c.err == nil && x.applied == applied {
		if x.counts == nil || len(x.counts) > 10_000 {
			x.counts = map[string]countEntry{}
		}
		x.counts[key] = e
	}
	x.mu.Unlock()
	close(c.done)
	return c.n, c.err
}

// counting is a count under way, which other callers wait for.
type counting struct {
	done chan struct{}
	n    int
	err  error
}

// Members returns every directory profile in MSP ID order.
func (x *Index) Members(ctx context.Context) ([]Member, error) {
	x.mu.Lock()
	cached := x.members
	x.mu.Unlock()
	if cached != nil {
		return append([]Member(nil), cached...), nil
	}
	out, err := x.readMembers(ctx)
	if err != nil {
		return nil, err
	}
	x.mu.Lock()
	x.members = out
	x.mu.Unlock()
	return append([]Member(nil), out...), nil
}

func (x *Index) readMembers(ctx context.Context) ([]Member, error) {
	rows, err := x.query(ctx, `SELECT msp_id, display_name, kind, contact, updated_at, block, tx_id FROM members ORDER BY msp_id`)
	if err != nil {
		return nil, fmt.Errorf("query members: %w", err)
	}
	defer rows.Close()
	out := []Member{}
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.MSPID, &m.DisplayName, &m.Kind, &m.Contact, &m.UpdatedAt, &m.Block, &m.TxID); err != nil {
			return nil, fmt.Errorf("read member: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// TxRow is one indexed transaction.
type TxRow struct {
	Block    uint64
	Position int
	TxID     string
	Kind     string
	Function string
	MSPID    string
	Time     string
	Code     string
}

// RecentTransactions returns the last limit transactions, newest first.
func (x *Index) RecentTransactions(ctx context.Context, limit int) ([]TxRow, error) {
	rows, err := x.query(ctx, `SELECT block, position, tx_id, kind, function, msp_id, time, code
		FROM transactions ORDER BY block DESC, position DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("query transactions: %w", err)
	}
	defer rows.Close()
	out := []TxRow{}
	for rows.Next() {
		var t TxRow
		if err := rows.Scan(&t.Block, &t.Position, &t.TxID, &t.Kind, &t.Function, &t.MSPID, &t.Time, &t.Code); err != nil {
			return nil, fmt.Errorf("read transaction: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Counts are the sizes of the index's tables, for the audit page and tests.
type Counts struct {
	Blocks, Transactions, Documents, Members int
}

// Count counts the rows of each table.
func (x *Index) Count(ctx context.Context) (Counts, error) {
	var c Counts
	err := x.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM blocks), (SELECT count(*) FROM transactions),
		(SELECT count(*) FROM documents), (SELECT count(*) FROM members)`).Scan(&c.Blocks, &c.Transactions, &c.Documents, &c.Members)
	if err != nil {
		return Counts{}, fmt.Errorf("count index rows: %w", err)
	}
	return c, nil
}
