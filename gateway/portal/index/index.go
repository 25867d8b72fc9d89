// Package index is the portal's read model: an embedded SQLite database
// (modernc.org/sqlite, pure Go) filled from the channel's committed blocks.
// It keeps the public document records, the directory profiles and every
// transaction's header facts (for the audit page), never personal data:
// subjects stay in the issuers' private collections, which no block holds,
// and the records' subject references and client IDs are not copied.
//
// A block's rows and the checkpoint (the next block to read) are written in
// one SQL transaction, and Apply refuses any block but the next one, so a
// portal that stops at any moment resumes with no block missed or counted
// twice.
package index

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/civicledger/civicledger/chaincode/records"
)

// ErrOutOfOrder means Apply was given a block other than the next one.
var ErrOutOfOrder = errors.New("block is not the next one to index")

// Index is the portal's SQLite database.
type Index struct {
	db *sql.DB

	// The answers that change only when a block is applied, kept until the
	// next Apply: the members (read by nearly every page) and the row
	// counts of the register filters.
	mu       sync.Mutex
	members  []Member
	counts   map[string]countEntry
	counting map[string]*counting // counts under way, by key
	applied  uint64               // blocks applied: a count begun before one is not kept

	// stmts are the read queries, each prepared once (database/sql
	// prepares it again on each connection the first time it runs there)
	// rather than parsed by SQLite at every request.
	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt

	// pages are the register queries' turns (pageTurns): a page waits for
	// one in arrival order, before it asks database/sql for a connection,
	// which hands a freed connection to a random waiter (under 200
	// clients, some waited many turns: a p99 three times the median).
	pages chan struct{}

	// explain, when set (by a test), is shown each register query.
	explain func(query string, args []any)
}

// maxStmts bounds the prepared statements kept: the read queries are a
// few dozen shapes (register, filter, direction), not one per request; a
// query past the bound is parsed each time it runs.
const maxStmts = 1024

// query runs a read query through its prepared statement.
func (x *Index) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := x.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return x.db.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// queryRow runs a read query of one row through its prepared statement.
func (x *Index) queryRow(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	st, err := x.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return x.db.QueryRowContext(ctx, query, args...), nil
	}
	return st.QueryRowContext(ctx, args...), nil
}

// stmt is query's prepared statement, prepared on first use; nil when
// maxStmts are kept already. A kept statement is closed only by Close.
func (x *Index) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	x.stmtMu.Lock()
	defer x.stmtMu.Unlock()
	if st, ok := x.stmts[query]; ok {
		return st, nil
	}
	if len(x.stmts) >= maxStmts {
		return nil, nil
	}
	st, err := x.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if x.stmts == nil {
		x.stmts = map[string]*sql.Stmt{}
	}
	x.stmts[query] = st
	return st, nil
}

// forget drops the cached answers; Apply calls it once a block is in.
func (x *Index) forget() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.members, x.counts, x.counting = nil, nil, nil
	x.applied++
}

// maxConns bounds the index's open SQLite connections: each has its own
// page cache, and more concurrent queries than cores only thrash them.
func maxConns() int { return max(4, 2*runtime.NumCPU()) }

// pageTurns is how many register queries run at once: one connection
// fewer than maxConns, so that the other queries (a verification by hash,
// a count) always find one.
func pageTurns() int { return maxConns() - 1 }

const schema = `
CREATE TABLE IF NOT EXISTS checkpoint (
	id INTEGER PRIMARY KEY CHECK (id = 0),
	next_block INTEGER NOT NULL
);
INSERT OR IGNORE INTO checkpoint (id, next_block) VALUES (0, 0);
CREATE TABLE IF NOT EXISTS blocks (
	number INTEGER PRIMARY KEY,
	tx_count INTEGER NOT NULL,
	indexed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS transactions (
	block INTEGER NOT NULL,
	position INTEGER NOT NULL,
	tx_id TEXT NOT NULL,
	kind TEXT NOT NULL,
	function TEXT NOT NULL,
	msp_id TEXT NOT NULL,
	time TEXT NOT NULL,
	code TEXT NOT NULL,
	PRIMARY KEY (block, position)
);
CREATE INDEX IF NOT EXISTS transactions_tx_id ON transactions (tx_id);
CREATE TABLE IF NOT EXISTS documents (
	issuer TEXT NOT NULL,
	id TEXT NOT NULL,
	type TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	key_facts TEXT NOT NULL,
	valid_from TEXT NOT NULL,
	valid_from_ns INTEGER NOT NULL,
	valid_until TEXT NOT NULL,
	valid_until_ns INTEGER,
	status TEXT NOT NULL,
	revoked_reason TEXT NOT NULL,
	superseded_by TEXT NOT NULL,
	registered_at TEXT NOT NULL,
	status_changed_at TEXT NOT NULL,
	block INTEGER NOT NULL,
	tx_id TEXT NOT NULL,
	last_block INTEGER NOT NULL,
	last_tx_id TEXT NOT NULL,
	page_row TEXT NOT NULL,
	page_more TEXT NOT NULL,
	PRIMARY KEY (issuer, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_sha256 ON documents (sha256);
CREATE INDEX IF NOT EXISTS documents_type ON documents (type, issuer, id, status, valid_from_ns, valid_until_ns, page_row);
CREATE INDEX IF NOT EXISTS documents_status ON documents (status, issuer, id, valid_from_ns, valid_until_ns, page_row);
CREATE INDEX IF NOT EXISTS documents_filter ON documents (issuer, type, status, id, valid_from_ns, valid_until_ns, page_row);
-- Covers the counts of a status derived from the time (valid, expired,
-- not yet valid), which read every stored-valid document of a filter.
CREATE INDEX IF NOT EXISTS documents_validity ON documents (status, issuer, type, valid_until_ns, valid_from_ns);
CREATE TABLE IF NOT EXISTS members (
	msp_id TEXT PRIMARY KEY,
	display_name TEXT NOT NULL,
	kind TEXT NOT NULL,
	contact TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	block INTEGER NOT NULL,
	tx_id TEXT NOT NULL
);
`

// schemaVersion is the index's PRAGMA user_version. An index written by a
// portal of another version lacks records of the blocks it read already,
// so Open empties it and it is rebuilt from block 0. Version 3 added
// documents.page_row (pagerow.go); version 4 keeps the documents in
// their primary key's b-tree (WITHOUT ROWID), in the register's order, so
// that a page of the unfiltered register reads its rows side by side
// instead of looking each up by rowid; version 5 writes page_row and
// page_more in the upsert, page_row into the filters' indexes too.
const schemaVersion = 5

// Open opens (creating if needed) the index database at path. Reads go
// through a memory map and a 16 MB page cache per connection: a register
// page at a random depth reads pages spread over the whole file.
func Open(ctx context.Context, path string) (*Index, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=synchronous(FULL)&_pragma=mmap_size(1073741824)&_pragma=cache_size(-16384)")
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("create index schema in %s: %w", path, err)
	}
	db.SetMaxOpenConns(maxConns())
	db.SetMaxIdleConns(maxConns())
	return &Index{db: db, pages: make(chan struct{}, pageTurns())}, nil
}

// migrate creates the schema; an index of another schema version is
// emptied first, to be rebuilt from block 0.
func migrate(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return err
	}
	if version != schemaVersion {
		for _, t := range append([]string{"checkpoint", "blocks", "transactions", "documents", "members"}, registerTables...) {
			if _, err := db.ExecContext(ctx, `DROP TABLE IF EXISTS `+t); err != nil {
				return err
			}
		}
	}
	if _, err := db.ExecContext(ctx, schema+registersSchema); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion))
	return err
}

// Close closes the prepared statements and the database.
func (x *Index) Close() error {
	x.stmtMu.Lock()
	for _, st := range x.stmts {
		st.Close()
	}
	x.stmts = nil
	x.stmtMu.Unlock()
	return x.db.Close()
}

// NextBlock is the checkpoint: the number of the next block to index.
func (x *Index) NextBlock(ctx context.Context) (uint64, error) {
	var n uint64
	row, err := x.queryRow(ctx, `SELECT next_block FROM checkpoint WHERE id = 0`)
	if err == nil {
		err = row.Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("read checkpoint: %w", err)
	}
	return n, nil
}

// Apply writes a block's transactions and records and moves the checkpoint
// past it, all in one SQL transaction. A block other than the checkpoint's
// is refused with ErrOutOfOrder and changes nothing.
func (x *Index) Apply(ctx context.Context, b Block) (err error) {
	tx, err := x.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin index transaction: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback() //nolint:errcheck // the error that made us roll back is returned
		}
	}()
	var next uint64
	if err := tx.QueryRowContext(ctx, `SELECT next_block FROM checkpoint WHERE id = 0`).Scan(&next); err != nil {
		return fmt.Errorf("read checkpoint: %w", err)
	}
	if b.Number != next {
		return fmt.Errorf("%w: got block %d, expected %d", ErrOutOfOrder, b.Number, next)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO blocks (number, tx_count, indexed_at) VALUES (?, ?, ?)`,
		b.Number, len(b.Transactions), time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("insert block %d: %w", b.Number, err)
	}
	// The document upsert is prepared once a block: parsing it compiles
	// page_row's expression, which cost more than writing the row.
	upsert, err := tx.PrepareContext(ctx, upsertDocumentSQL())
	if err != nil {
		return fmt.Errorf("prepare document upsert: %w", err)
	}
	defer upsert.Close()
	for _, t := range b.Transactions {
		if err := insertTransaction(ctx, tx, upsert, b.Number, t); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE checkpoint SET next_block = ? WHERE id = 0`, b.Number+1); err != nil {
		return fmt.Errorf("advance checkpoint: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit block %d: %w", b.Number, err)
	}
	x.forget()
	return nil
}

func insertTransaction(ctx context.Context, tx *sql.Tx, upsert *sql.Stmt, block uint64, t Transaction) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO transactions (block, position, tx_id, kind, function, msp_id, time, code)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, block, t.Position, t.TxID, t.Kind, t.Function, t.MSPID,
		t.Time.Format(time.RFC3339Nano), t.Code); err != nil {
		return fmt.Errorf("insert transaction %s: %w", t.TxID, err)
	}
	for _, d := range t.Documents {
		if err := upsertDocument(ctx, upsert, block, t.TxID, d); err != nil {
			return err
		}
	}
	for _, p := range t.Profiles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO members (msp_id, display_name, kind, contact, updated_at, block, tx_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (msp_id) DO UPDATE SET display_name = excluded.display_name, kind = excluded.kind,
				contact = excluded.contact, updated_at = excluded.updated_at, block = excluded.block, tx_id = excluded.tx_id`,
			p.MSPID, p.DisplayName, p.Kind, p.Contact, p.UpdatedAt, block, t.TxID); err != nil {
			return fmt.Errorf("upsert member %s: %w", p.MSPID, err)
		}
	}
	return insertRegisterRecords(ctx, tx, block, t)
}

// upsertDocument keeps the latest version of a document record; the block
// and transaction of its registration stay, the last ones are updated.
// The subject reference and the officials' client IDs are not kept.
func upsertDocument(ctx context.Context, upsert *sql.Stmt, block uint64, txID string, d records.Document) error {
	facts, err := json.Marshal(d.KeyFacts)
	if err != nil {
		return fmt.Errorf("encode key facts: %w", err)
	}
	from, err := time.Parse(time.RFC3339Nano, d.ValidFrom)
	if err != nil {
		return fmt.Errorf("document %s of %s: validFrom: %w", d.ID, d.Issuer, err)
	}
	var until sql.NullInt64
	if d.ValidUntil != "" {
		u, err := time.Parse(time.RFC3339Nano, d.ValidUntil)
		if err != nil {
			return fmt.Errorf("document %s of %s: validUntil: %w", d.ID, d.Issuer, err)
		}
		until = sql.NullInt64{Int64: u.UnixNano(), Valid: true}
	}
	untilText := ""
	if until.Valid {
		untilText = strconv.FormatInt(until.Int64, 10)
	}
	blockText := strconv.FormatUint(block, 10)
	row := encodePageRow(d.Status, strconv.FormatInt(from.UnixNano(), 10), untilText, d.Issuer, d.ID, d.Type, d.ValidFrom,
		d.ValidUntil, blockText)
	more := encodePageRow(d.SHA256, d.RevokedReason, d.SupersededBy, d.RegisteredAt, txID)
	_, err = upsert.ExecContext(ctx, d.Issuer, d.ID, d.Type, d.SHA256, string(facts), d.ValidFrom, from.UnixNano(), d.ValidUntil, until,
		d.Status, d.RevokedReason, d.SupersededBy, d.RegisteredAt, d.StatusChangedAt, block, txID, block, txID, row, more)
	if err != nil {
		return fmt.Errorf("upsert document %s of %s: %w", d.ID, d.Issuer, err)
	}
	return nil
}

// upsertDocumentSQL writes a document (upsertDocument).
func upsertDocumentSQL() string {
	return `INSERT INTO documents (issuer, id, type, sha256, key_facts, valid_from, valid_from_ns,
			valid_until, valid_until_ns, status, revoked_reason, superseded_by, registered_at, status_changed_at,
			block, tx_id, last_block, last_tx_id, page_row, page_more)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (issuer, id) DO UPDATE SET type = excluded.type, sha256 = excluded.sha256,
			key_facts = excluded.key_facts, valid_from = excluded.valid_from, valid_from_ns = excluded.valid_from_ns,
			valid_until = excluded.valid_until, valid_until_ns = excluded.valid_until_ns, status = excluded.status,
			revoked_reason = excluded.revoked_reason, superseded_by = excluded.superseded_by,
			status_changed_at = excluded.status_changed_at, last_block = excluded.last_block, last_tx_id = excluded.last_tx_id,
			page_row = ` + pageRowUpdate(pageRowFields) + `, page_more = ` + pageRowUpdate(pageMoreFields)
}
