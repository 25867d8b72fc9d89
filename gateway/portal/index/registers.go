package index

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/civicledger/civicledger/chaincode/records"
)

// The registers of convocations, subsidies, permissions and membership:
// the latest version of each public record, without the fields that point
// at a person (a convocation's recipient reference and message hash, a
// permission's subject reference, the officials' client IDs).

const registersSchema = `
CREATE TABLE IF NOT EXISTS bodies (
	owner TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
	PRIMARY KEY (owner, id)
);
CREATE TABLE IF NOT EXISTS meetings (
	owner TEXT NOT NULL, id TEXT NOT NULL, body_id TEXT NOT NULL, starts_at TEXT NOT NULL,
	place TEXT NOT NULL, deadline TEXT NOT NULL, clear_days INTEGER NOT NULL, time_zone TEXT NOT NULL,
	created_at TEXT NOT NULL, block INTEGER NOT NULL, tx_id TEXT NOT NULL,
	PRIMARY KEY (owner, id)
);
CREATE TABLE IF NOT EXISTS convocations (
	owner TEXT NOT NULL, meeting_id TEXT NOT NULL, id TEXT NOT NULL,
	sent_at TEXT NOT NULL, on_time INTEGER NOT NULL, days_late INTEGER NOT NULL,
	acknowledged_at TEXT NOT NULL, block INTEGER NOT NULL, tx_id TEXT NOT NULL,
	PRIMARY KEY (owner, meeting_id, id)
);
CREATE TABLE IF NOT EXISTS programmes (
	granting TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, budget INTEGER NOT NULL,
	currency TEXT NOT NULL, legal_basis TEXT NOT NULL, period_start TEXT NOT NULL, period_end TEXT NOT NULL,
	de_minimis INTEGER NOT NULL, created_at TEXT NOT NULL, block INTEGER NOT NULL, tx_id TEXT NOT NULL,
	PRIMARY KEY (granting, id)
);
CREATE TABLE IF NOT EXISTS grants (
	granting TEXT NOT NULL, grant_id TEXT NOT NULL, programme_id TEXT NOT NULL, beneficiary TEXT NOT NULL,
	amount INTEGER NOT NULL, currency TEXT NOT NULL, de_minimis INTEGER NOT NULL, purpose TEXT NOT NULL,
	status TEXT NOT NULL, proposed_at TEXT NOT NULL, decided_at TEXT NOT NULL, decided_by_msp TEXT NOT NULL,
	rejection_reason TEXT NOT NULL, paid_total INTEGER NOT NULL, block INTEGER NOT NULL, tx_id TEXT NOT NULL,
	PRIMARY KEY (granting, grant_id)
);
CREATE TABLE IF NOT EXISTS permissions (
	owner TEXT NOT NULL, id TEXT NOT NULL, grantee TEXT NOT NULL, category TEXT NOT NULL,
	purpose TEXT NOT NULL, legal_basis TEXT NOT NULL, valid_from TEXT NOT NULL, valid_until TEXT NOT NULL,
	one_subject INTEGER NOT NULL, status TEXT NOT NULL, offered_at TEXT NOT NULL, accepted_at TEXT NOT NULL,
	revoked_at TEXT NOT NULL, revoke_reason TEXT NOT NULL, block INTEGER NOT NULL, tx_id TEXT NOT NULL,
	PRIMARY KEY (owner, id)
);
CREATE TABLE IF NOT EXISTS proposals (
	id TEXT PRIMARY KEY, kind TEXT NOT NULL, subject TEXT NOT NULL, status TEXT NOT NULL,
	proposed_by TEXT NOT NULL, proposed_at TEXT NOT NULL, expires_at TEXT NOT NULL,
	applied_at TEXT NOT NULL, applied_block INTEGER NOT NULL, withdrawn_at TEXT NOT NULL,
	signatures TEXT NOT NULL, block INTEGER NOT NULL, tx_id TEXT NOT NULL
);
`

// registerTables are the tables of registersSchema, dropped when an index
// of an older schema is rebuilt.
var registerTables = []string{"bodies", "meetings", "convocations", "programmes", "grants", "permissions", "proposals"}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// insertRegisterRecords writes the register records of one transaction.
func insertRegisterRecords(ctx context.Context, tx *sql.Tx, block uint64, t Transaction) error {
	exec := func(what, query string, args ...any) error {
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("upsert %s: %w", what, err)
		}
		return nil
	}
	for _, b := range t.Bodies {
		if err := exec("body "+b.ID, `INSERT OR REPLACE INTO bodies (owner, id, name) VALUES (?, ?, ?)`, b.OwnerMSP, b.ID, b.Name); err != nil {
			return err
		}
	}
	for _, m := range t.Meetings {
		if err := exec("meeting "+m.ID, `INSERT OR REPLACE INTO meetings (owner, id, body_id, starts_at, place, deadline,
			clear_days, time_zone, created_at, block, tx_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.OwnerMSP, m.ID, m.BodyID, m.StartsAt, m.Place, m.Deadline, m.ClearDays, m.TimeZone, m.CreatedAt, block, t.TxID); err != nil {
			return err
		}
	}
	for _, c := range t.Convocations {
		late, err := daysLate(ctx, tx, c)
		if err != nil {
			return err
		}
		if err := exec("convocation "+c.ID, `INSERT INTO convocations (owner, meeting_id, id, sent_at, on_time, days_late,
			acknowledged_at, block, tx_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (owner, meeting_id, id) DO UPDATE SET acknowledged_at = excluded.acknowledged_at`,
			c.OwnerMSP, c.MeetingID, c.ID, c.SentAt, b2i(c.OnTime), late, c.AcknowledgedAt, block, t.TxID); err != nil {
			return err
		}
	}
	for _, p := range t.Programmes {
		if err := exec("programme "+p.ID, `INSERT OR REPLACE INTO programmes (granting, id, name, budget, currency, legal_basis,
			period_start, period_end, de_minimis, created_at, block, tx_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.GrantingMSP, p.ID, p.Name, p.Budget, p.Currency, p.LegalBasis, p.PeriodStart, p.PeriodEnd, b2i(p.DeMinimis),
			p.CreatedAt, block, t.TxID); err != nil {
			return err
		}
	}
	for _, g := range t.Grants {
		if err := exec("grant "+g.GrantID, `INSERT INTO grants (granting, grant_id, programme_id, beneficiary, amount, currency,
			de_minimis, purpose, status, proposed_at, decided_at, decided_by_msp, rejection_reason, paid_total, block, tx_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (granting, grant_id) DO UPDATE SET status = excluded.status, decided_at = excluded.decided_at,
				decided_by_msp = excluded.decided_by_msp, rejection_reason = excluded.rejection_reason,
				paid_total = excluded.paid_total`,
			g.GrantingMSP, g.GrantID, g.ProgrammeID, g.Beneficiary, g.Amount, g.Currency, b2i(g.DeMinimis), g.Purpose,
			g.Status, g.ProposedAt, g.DecidedAt, g.DecidedByMSP, g.RejectionReason, g.PaidTotal, block, t.TxID); err != nil {
			return err
		}
	}
	for _, p := range t.Permissions {
		if err := exec("permission "+p.ID, `INSERT INTO permissions (owner, id, grantee, category, purpose, legal_basis,
			valid_from, valid_until, one_subject, status, offered_at, accepted_at, revoked_at, revoke_reason, block, tx_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (owner, id) DO UPDATE SET status = excluded.status, accepted_at = excluded.accepted_at,
				revoked_at = excluded.revoked_at, revoke_reason = excluded.revoke_reason`,
			p.Owner, p.ID, p.Grantee, p.Category, p.Purpose, p.LegalBasis, p.ValidFrom, p.ValidUntil, b2i(p.SubjectRef != ""),
			p.Status, p.OfferedAt, p.AcceptedAt, p.RevokedAt, p.RevokeReason, block, t.TxID); err != nil {
			return err
		}
	}
	for _, p := range t.Proposals {
		sigs := []ProposalSignature{}
		for _, s := range p.Signatures {
			sigs = append(sigs, ProposalSignature{MSPID: s.MSPID, SignedAt: s.SignedAt})
		}
		raw, err := json.Marshal(sigs)
		if err != nil {
			return fmt.Errorf("encode signatures: %w", err)
		}
		if err := exec("proposal "+p.ID, `INSERT INTO proposals (id, kind, subject, status, proposed_by, proposed_at, expires_at,
			applied_at, applied_block, withdrawn_at, signatures, block, tx_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET status = excluded.status, applied_at = excluded.applied_at,
				applied_block = excluded.applied_block, withdrawn_at = excluded.withdrawn_at, signatures = excluded.signatures`,
			p.ID, p.Kind, p.SubjectMSPID, p.Status, p.ProposedBy, p.ProposedAt, p.ExpiresAt, p.AppliedAt, p.AppliedBlock,
			p.WithdrawnAt, string(raw), block, t.TxID); err != nil {
			return err
		}
	}
	return nil
}

// daysLate is how many days after its meeting's deadline a convocation was
// sent, counted in the meeting's time zone; 0 when on time or when the
// meeting is not indexed.
func daysLate(ctx context.Context, tx *sql.Tx, c records.Convocation) (int, error) {
	if c.OnTime {
		return 0, nil
	}
	var deadline, zone string
	err := tx.QueryRowContext(ctx, `SELECT deadline, time_zone FROM meetings WHERE owner = ? AND id = ?`, c.OwnerMSP, c.MeetingID).
		Scan(&deadline, &zone)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read meeting %s: %w", c.MeetingID, err)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return 0, nil //nolint:nilerr // an unknown zone on this host: lateness is not shown
	}
	sent, err := time.Parse(time.RFC3339Nano, c.SentAt)
	if err != nil {
		return 0, fmt.Errorf("convocation %s: sentAt: %w", c.ID, err)
	}
	d, err := time.ParseInLocation("2006-01-02", deadline, loc)
	if err != nil {
		return 0, fmt.Errorf("meeting %s: deadline: %w", c.MeetingID, err)
	}
	y, m, day := sent.In(loc).Date()
	sentDay := time.Date(y, m, day, 0, 0, 0, 0, loc)
	n := int(sentDay.Sub(d).Hours()/24 + 0.5)
	if n < 0 {
		n = 0
	}
	return n, nil
}

// Page selects one page of a register by keyset: the rows after the key
// After, or before the key Before (both empty: the first page). A key is
// the values of the register's order columns.
type Page struct {
	After, Before []string
	Limit         int
}

// PageInfo says where a page sits: the keys of its first and last rows,
// and whether rows exist before and after it.
type PageInfo struct {
	First, Last      []string
	HasPrev, HasNext bool
}

// keyset runs a register query paged by keyset over keyCols. owner is the
// value where fixes the first key column to ("" when it does not). scan
// reads a row; key is a row's key (asked of the first and last rows only).
func keyset[T any](ctx context.Context, x *Index, what, selectFrom, where, owner, groupBy string, args []any, keyCols []string, p Page,
	scan func(*sql.Rows) (T, error), key func(T) []string) ([]T, PageInfo, error) {
	var info PageInfo
	conds := []string{}
	if where != "" {
		conds = append(conds, where)
	}
	var cursor []string
	op, backwards := "", false
	switch {
	case len(p.After) == len(keyCols):
		cursor, op = p.After, ">"
	case len(p.Before) == len(keyCols):
		cursor, op, backwards = p.Before, "<", true
	}
	// Within one owner's rows, the page is a range of the other key
	// columns: said so, SQLite seeks to it in the filter's index, where
	// (owner, id) > (?, ?) made it walk the owner's rows from the first.
	cols := keyCols
	if owner != "" && len(keyCols) > 1 && len(cursor) == len(keyCols) && cursor[0] == owner {
		cols, cursor = keyCols[1:], cursor[1:]
	}
	order := strings.Join(cols, ", ")
	if cursor != nil {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
		conds = append(conds, "("+strings.Join(cols, ", ")+") "+op+" ("+marks+")")
		for _, v := range cursor {
			args = append(args, v)
		}
	}
	if backwards {
		order = strings.Join(cols, " DESC, ") + " DESC"
	}
	query := selectFrom
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	if groupBy != "" {
		query += " GROUP BY " + groupBy
	}
	// The limit is an argument, so that every page size shares the
	// query's prepared statement.
	query += " ORDER BY " + order + " LIMIT ?"
	args = append(args, p.Limit+1)
	if x.explain != nil {
		x.explain(query, args)
	}
	select {
	case x.pages <- struct{}{}:
		defer func() { <-x.pages }()
	case <-ctx.Done():
		return nil, info, fmt.Errorf("query %s: %w", what, ctx.Err())
	}
	rows, err := x.query(ctx, query, args...)
	if err != nil {
		return nil, info, fmt.Errorf("query %s: %w", what, err)
	}
	defer rows.Close()
	out := make([]T, 0, p.Limit+1)
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, info, fmt.Errorf("read %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, info, fmt.Errorf("read %s: %w", what, err)
	}
	more := len(out) > p.Limit
	if more {
		out = out[:p.Limit]
	}
	if backwards {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
		info.HasPrev, info.HasNext = more, true
	} else {
		info.HasPrev, info.HasNext = len(p.After) > 0, more
	}
	if len(out) > 0 {
		info.First, info.Last = key(out[0]), key(out[len(out)-1])
	}
	return out, info, nil
}

// MeetingRow is a line of the register of convocations: a meeting and its
// counts, no personal data.
type MeetingRow struct {
	Owner        string `json:"owner"`
	ID           string `json:"id"`
	BodyID       string `json:"bodyId"`
	BodyName     string `json:"bodyName"`
	StartsAt     string `json:"startsAt"`
	Place        string `json:"place"`
	Deadline     string `json:"deadline"`
	ClearDays    int    `json:"clearDays"`
	Convened     int    `json:"convened"`
	Acknowledged int    `json:"acknowledged"`
	OnTime       int    `json:"onTime"`
	Late         int    `json:"late"`
	MaxDaysLate  int    `json:"maxDaysLate"`
	Block        uint64 `json:"block"`
	TxID         string `json:"txId"`
}

// Meetings returns one page of meetings in (owner, id) order, optionally
// of one owner.
func (x *Index) Meetings(ctx context.Context, owner string, p Page) ([]MeetingRow, PageInfo, error) {
	where, args := "", []any{}
	if owner != "" {
		where, args = "m.owner = ?", append(args, owner)
	}
	return keyset(ctx, x, "meetings", `SELECT m.owner, m.id, m.body_id, coalesce(b.name, ''), m.starts_at, m.place,
		m.deadline, m.clear_days, count(c.id), coalesce(sum(c.acknowledged_at <> ''), 0), coalesce(sum(c.on_time), 0),
		coalesce(max(c.days_late), 0), m.block, m.tx_id
		FROM meetings m LEFT JOIN bodies b ON b.owner = m.owner AND b.id = m.body_id
		LEFT JOIN convocations c ON c.owner = m.owner AND c.meeting_id = m.id`,
		where, owner, "m.owner, m.id", args, []string{"m.owner", "m.id"}, p, func(rows *sql.Rows) (MeetingRow, error) {
			var m MeetingRow
			err := rows.Scan(&m.Owner, &m.ID, &m.BodyID, &m.BodyName, &m.StartsAt, &m.Place, &m.Deadline, &m.ClearDays,
				&m.Convened, &m.Acknowledged, &m.OnTime, &m.MaxDaysLate, &m.Block, &m.TxID)
			m.Late = m.Convened - m.OnTime
			return m, err
		}, func(m MeetingRow) []string { return []string{m.Owner, m.ID} })
}

// GrantRow is a line of the register of subsidies: a grant with its
// programme's name.
type GrantRow struct {
	Granting        string `json:"granting"`
	GrantID         string `json:"grantId"`
	ProgrammeID     string `json:"programmeId"`
	ProgrammeName   string `json:"programme"`
	Beneficiary     string `json:"beneficiary"`
	Amount          int64  `json:"amount"`
	Currency        string `json:"currency"`
	DeMinimis       bool   `json:"deMinimis"`
	Purpose         string `json:"purpose"`
	Status          string `json:"status"`
	ProposedAt      string `json:"proposedAt"`
	DecidedAt       string `json:"decidedAt,omitempty"`
	DecidedByMSP    string `json:"decidedBy,omitempty"`
	RejectionReason string `json:"rejectionReason,omitempty"`
	PaidTotal       int64  `json:"paidTotal"`
	Block           uint64 `json:"block"`
	TxID            string `json:"txId"`
}

// Grants returns one page of grants in (granting, grant id) order,
// optionally of one granting administration.
func (x *Index) Grants(ctx context.Context, granting string, p Page) ([]GrantRow, PageInfo, error) {
	where, args := "", []any{}
	if granting != "" {
		where, args = "g.granting = ?", append(args, granting)
	}
	return keyset(ctx, x, "grants", `SELECT g.granting, g.grant_id, g.programme_id, coalesce(p.name, ''), g.beneficiary,
		g.amount, g.currency, g.de_minimis, g.purpose, g.status, g.proposed_at, g.decided_at, g.decided_by_msp,
		g.rejection_reason, g.paid_total, g.block, g.tx_id
		FROM grants g LEFT JOIN programmes p ON p.granting = g.granting AND p.id = g.programme_id`,
		where, granting, "", args, []string{"g.granting", "g.grant_id"}, p, func(rows *sql.Rows) (GrantRow, error) {
			var g GrantRow
			err := rows.Scan(&g.Granting, &g.GrantID, &g.ProgrammeID, &g.ProgrammeName, &g.Beneficiary, &g.Amount, &g.Currency,
				&g.DeMinimis, &g.Purpose, &g.Status, &g.ProposedAt, &g.DecidedAt, &g.DecidedByMSP, &g.RejectionReason,
				&g.PaidTotal, &g.Block, &g.TxID)
			return g, err
		}, func(g GrantRow) []string { return []string{g.Granting, g.GrantID} })
}

// ProgrammeRow is a subsidy programme with its approved total.
type ProgrammeRow struct {
	Granting       string `json:"granting"`
	ID             string `json:"id"`
	Name           string `json:"name"`
	Budget         int64  `json:"budget"`
	Currency       string `json:"currency"`
	LegalBasis     string `json:"legalBasis"`
	PeriodStart    string `json:"periodStart"`
	PeriodEnd      string `json:"periodEnd"`
	DeMinimis      bool   `json:"deMinimis"`
	ApprovedTotal  int64  `json:"approvedTotal"`
	PaidTotal      int64  `json:"paidTotal"`
	ApprovedGrants int    `json:"approvedGrants"`
	Block          uint64 `json:"block"`
	TxID           string `json:"txId"`
}

// Programmes returns every subsidy programme in (granting, id) order.
func (x *Index) Programmes(ctx context.Context) ([]ProgrammeRow, error) {
	rows, err := x.query(ctx, `SELECT p.granting, p.id, p.name, p.budget, p.currency, p.legal_basis, p.period_start,
		p.period_end, p.de_minimis, coalesce(sum(CASE WHEN g.status = 'approved' THEN g.amount END), 0),
		coalesce(sum(g.paid_total), 0), count(CASE WHEN g.status = 'approved' THEN 1 END), p.block, p.tx_id
		FROM programmes p LEFT JOIN grants g ON g.granting = p.granting AND g.programme_id = p.id
		GROUP BY p.granting, p.id ORDER BY p.granting, p.id`)
	if err != nil {
		return nil, fmt.Errorf("query programmes: %w", err)
	}
	defer rows.Close()
	out := []ProgrammeRow{}
	for rows.Next() {
		var p ProgrammeRow
		if err := rows.Scan(&p.Granting, &p.ID, &p.Name, &p.Budget, &p.Currency, &p.LegalBasis, &p.PeriodStart, &p.PeriodEnd,
			&p.DeMinimis, &p.ApprovedTotal, &p.PaidTotal, &p.ApprovedGrants, &p.Block, &p.TxID); err != nil {
			return nil, fmt.Errorf("read programme: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PermissionRow is a line of the register of permissions; OneSubject says
// the permission covers one person, whose reference is not shown.
type PermissionRow struct {
	Owner        string `json:"owner"`
	ID           string `json:"id"`
	Grantee      string `json:"grantee"`
	Category     string `json:"category"`
	Purpose      string `json:"purpose"`
	LegalBasis   string `json:"legalBasis"`
	ValidFrom    string `json:"validFrom"`
	ValidUntil   string `json:"validUntil"`
	OneSubject   bool   `json:"oneSubject"`
	Status       string `json:"status"`
	OfferedAt    string `json:"offeredAt"`
	AcceptedAt   string `json:"acceptedAt,omitempty"`
	RevokedAt    string `json:"revokedAt,omitempty"`
	RevokeReason string `json:"revocationReason,omitempty"`
	Block        uint64 `json:"block"`
	TxID         string `json:"txId"`
}

// Permissions returns one page of permissions in (owner, id) order,
// optionally of one owner.
func (x *Index) Permissions(ctx context.Context, owner string, p Page) ([]PermissionRow, PageInfo, error) {
	where, args := "", []any{}
	if owner != "" {
		where, args = "owner = ?", append(args, owner)
	}
	return keyset(ctx, x, "permissions", `SELECT owner, id, grantee, category, purpose, legal_basis, valid_from, valid_until,
		one_subject, status, offered_at, accepted_at, revoked_at, revoke_reason, block, tx_id FROM permissions`,
		where, owner, "", args, []string{"owner", "id"}, p, func(rows *sql.Rows) (PermissionRow, error) {
			var r PermissionRow
			err := rows.Scan(&r.Owner, &r.ID, &r.Grantee, &r.Category, &r.Purpose, &r.LegalBasis, &r.ValidFrom, &r.ValidUntil,
				&r.OneSubject, &r.Status, &r.OfferedAt, &r.AcceptedAt, &r.RevokedAt, &r.RevokeReason, &r.Block, &r.TxID)
			return r, err
		}, func(r PermissionRow) []string { return []string{r.Owner, r.ID} })
}

// ProposalSignature is who signed a membership proposal, and when: the
// administration, not the official.
type ProposalSignature struct {
	MSPID    string `json:"mspId"`
	SignedAt string `json:"signedAt"`
}

// ProposalRow is a membership proposal as the administrations page shows it.
type ProposalRow struct {
	ID           string              `json:"id"`
	Kind         string              `json:"kind"`
	Subject      string              `json:"administration"`
	Status       string              `json:"status"`
	ProposedBy   string              `json:"proposedBy"`
	ProposedAt   string              `json:"proposedAt"`
	ExpiresAt    string              `json:"expiresAt"`
	AppliedAt    string              `json:"appliedAt,omitempty"`
	AppliedBlock uint64              `json:"appliedBlock,omitempty"`
	WithdrawnAt  string              `json:"withdrawnAt,omitempty"`
	Signatures   []ProposalSignature `json:"signatures"`
	Block        uint64              `json:"block"`
	TxID         string              `json:"txId"`
}

// Proposals returns every membership proposal, newest first.
func (x *Index) Proposals(ctx context.Context) ([]ProposalRow, error) {
	rows, err := x.query(ctx, `SELECT id, kind, subject, status, proposed_by, proposed_at, expires_at, applied_at,
		applied_block, withdrawn_at, signatures, block, tx_id FROM proposals ORDER BY proposed_at DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("query proposals: %w", err)
	}
	defer rows.Close()
	out := []ProposalRow{}
	for rows.Next() {
		var p ProposalRow
		var sigs string
		if err := rows.Scan(&p.ID, &p.Kind, &p.Subject, &p.Status, &p.ProposedBy, &p.ProposedAt, &p.ExpiresAt, &p.AppliedAt,
			&p.AppliedBlock, &p.WithdrawnAt, &sigs, &p.Block, &p.TxID); err != nil {
			return nil, fmt.Errorf("read proposal: %w", err)
		}
		if err := json.Unmarshal([]byte(sigs), &p.Signatures); err != nil {
			return nil, fmt.Errorf("decode signatures of %s: %w", p.ID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AidRow is the de minimis aid one undertaking received from every
// administration together, in one currency, since a date.
type AidRow struct {
	Beneficiary string `json:"beneficiary"`
	Currency    string `json:"currency"`
	Total       int64  `json:"total"`
	Grants      int    `json:"grants"`
	// Administrations is how many administrations granted it.
	Administrations int `json:"administrations"`
}

// DeMinimis sums, per undertaking and currency, the approved de minimis
// grants decided at or after since (RFC 3339, UTC), largest total first.
func (x *Index) DeMinimis(ctx context.Context, since string) ([]AidRow, error) {
	rows, err := x.query(ctx, `SELECT beneficiary, currency, sum(amount), count(*), count(DISTINCT granting)
		FROM grants WHERE de_minimis = 1 AND status = 'approved' AND decided_at >= ?
		GROUP BY beneficiary, currency ORDER BY sum(amount) DESC, beneficiary LIMIT 500`, since)
	if err != nil {
		return nil, fmt.Errorf("query de minimis aid: %w", err)
	}
	defer rows.Close()
	out := []AidRow{}
	for rows.Next() {
		var a AidRow
		if err := rows.Scan(&a.Beneficiary, &a.Currency, &a.Total, &a.Grants, &a.Administrations); err != nil {
			return nil, fmt.Errorf("read de minimis aid: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
