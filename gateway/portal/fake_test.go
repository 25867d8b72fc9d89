package portal_test

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/civicledger/civicledger/chaincode/errcode"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/gateway/portal/index"
	"github.com/civicledger/civicledger/gateway/portal/ledger"
)

// fakeLedger answers from a fixed set of documents, as Documents:Verify
// and Documents:VerifyHash would; down makes every call fail.
type fakeLedger struct {
	docs  []index.Document
	roots map[string][]*x509.Certificate
	down  bool
	asked []string // the arguments of every call, to check what reaches the ledger
	convs []*fakeConvocation
	// writes counts the Acknowledge submissions.
	writes int
	uses   map[string][]records.PermissionUse
	height uint64 // the channel's height
}

func (f *fakeLedger) Height(context.Context) (uint64, error) {
	if f.down {
		return 0, errDown
	}
	return f.height, nil
}

var errDown = errors.New("peer unreachable")

func (f *fakeLedger) Verify(_ context.Context, issuer, id string) (*records.DocumentVerdict, error) {
	f.asked = append(f.asked, issuer+"/"+id)
	if f.down {
		return nil, errDown
	}
	for _, d := range f.docs {
		if d.Issuer == issuer && d.ID == id {
			return verdictOf(d), nil
		}
	}
	return &records.DocumentVerdict{Status: spec.DocumentUnknown, Issuer: issuer, ID: id}, nil
}

func (f *fakeLedger) VerifyHash(_ context.Context, sha256 string) ([]*records.DocumentVerdict, error) {
	f.asked = append(f.asked, sha256)
	if f.down {
		return nil, errDown
	}
	var out []*records.DocumentVerdict
	for _, d := range f.docs {
		if d.SHA256 == sha256 {
			out = append(out, verdictOf(d))
		}
	}
	if len(out) == 0 {
		out = append(out, &records.DocumentVerdict{Status: spec.DocumentUnknown, SHA256: sha256})
	}
	return out, nil
}

func (f *fakeLedger) TrustList(context.Context) ([]ledger.Administration, error) {
	if f.down {
		return nil, errDown
	}
	var out []ledger.Administration
	for id, roots := range f.roots {
		out = append(out, ledger.Administration{MSPID: id, Roots: roots})
	}
	return out, nil
}

func verdictOf(d index.Document) *records.DocumentVerdict {
	return &records.DocumentVerdict{Status: d.Status, Issuer: d.Issuer, ID: d.ID, Type: d.Type, SHA256: d.SHA256,
		ValidFrom: d.ValidFrom, ValidUntil: d.ValidUntil, RevokedReason: d.RevokedReason, SupersededBy: d.SupersededBy}
}

// fakeIndex serves fixed documents, members and transactions.
type fakeIndex struct {
	docs    []index.Document
	members []index.Member
	txs     []index.TxRow
	perDay  []index.DayCount
	perType []index.TypeCount
	filters []index.DocumentFilter

	meetings    []index.MeetingRow
	grants      []index.GrantRow
	programmes  []index.ProgrammeRow
	permissions []index.PermissionRow
	proposals   []index.ProposalRow
	aid         []index.AidRow
	info        index.PageInfo // what every register page answers
	pages       []index.Page   // the pages asked for
	next        uint64         // the checkpoint
}

func (f *fakeIndex) NextBlock(context.Context) (uint64, error) { return f.next, nil }

// Documents pages by keyset over (issuer, id), as the index does.
func (f *fakeIndex) Documents(_ context.Context, flt index.DocumentFilter) ([]index.Document, index.PageInfo, int, error) {
	f.filters = append(f.filters, flt)
	sel := f.selected(flt)
	total := len(sel)
	key := func(d index.Document) string { return d.Issuer + "~" + d.ID }
	var info index.PageInfo
	switch {
	case len(flt.Page.After) == 2:
		after := strings.Join(flt.Page.After, "~")
		i := 0
		for i < len(sel) && key(sel[i]) <= after {
			i++
		}
		sel, info.HasPrev = sel[i:], true
		info.HasNext = len(sel) > flt.Page.Limit
		sel = sel[:min(len(sel), flt.Page.Limit)]
	case len(flt.Page.Before) == 2:
		before := strings.Join(flt.Page.Before, "~")
		i := 0
		for i < len(sel) && key(sel[i]) < before {
			i++
		}
		info.HasPrev, info.HasNext = i > flt.Page.Limit, true
		sel = sel[max(0, i-flt.Page.Limit):i]
	default:
		info.HasNext = len(sel) > flt.Page.Limit
		sel = sel[:min(len(sel), flt.Page.Limit)]
	}
	if len(sel) > 0 {
		info.First, info.Last = []string{sel[0].Issuer, sel[0].ID}, []string{sel[len(sel)-1].Issuer, sel[len(sel)-1].ID}
	}
	return sel, info, total, nil
}

func (f *fakeIndex) selected(flt index.DocumentFilter) []index.Document {
	var sel []index.Document
	for _, d := range f.docs {
		if (flt.Issuer == "" || d.Issuer == flt.Issuer) && (flt.Type == "" || d.Type == flt.Type) &&
			(flt.Status == "" || d.Status == flt.Status) {
			sel = append(sel, d)
		}
	}
	slices.SortFunc(sel, func(a, b index.Document) int { return strings.Compare(a.Issuer+"~"+a.ID, b.Issuer+"~"+b.ID) })
	return sel
}

func (f *fakeIndex) DocumentKeyBefore(_ context.Context, flt index.DocumentFilter, offset int) ([]string, bool, error) {
	sel := f.selected(flt)
	if offset < 1 || offset >= len(sel) {
		return nil, false, nil
	}
	return []string{sel[offset-1].Issuer, sel[offset-1].ID}, true, nil
}

func (f *fakeIndex) DocumentsByHash(_ context.Context, sha256 string, _ time.Time) ([]index.Document, error) {
	var out []index.Document
	for _, d := range f.docs {
		if d.SHA256 == sha256 {
			out = append(out, d)
		}
	}
	return out, nil
}

func (f *fakeIndex) Document(_ context.Context, issuer, id string, _ time.Time) (index.Document, bool, error) {
	for _, d := range f.docs {
		if d.Issuer == issuer && d.ID == id {
			return d, true, nil
		}
	}
	return index.Document{}, false, nil
}

func (f *fakeIndex) TransactionsPerDay(_ context.Context, since string) ([]index.DayCount, error) {
	out := []index.DayCount{}
	for _, d := range f.perDay {
		if d.Day >= since {
			out = append(out, d)
		}
	}
	return out, nil
}

func (f *fakeIndex) DocumentsPerType(context.Context) ([]index.TypeCount, error) {
	return append([]index.TypeCount{}, f.perType...), nil
}

func (f *fakeIndex) Members(context.Context) ([]index.Member, error) { return f.members, nil }

func (f *fakeIndex) RecentTransactions(_ context.Context, limit int) ([]index.TxRow, error) {
	if len(f.txs) > limit {
		return f.txs[:limit], nil
	}
	return f.txs, nil
}

// fakeConvocation is a convocation the fake ledger holds, with the meeting
// it belongs to.
type fakeConvocation struct {
	meeting records.Meeting
	conv    records.Convocation
}

func (f *fakeLedger) findConvocation(owner, meeting, id string) (*fakeConvocation, error) {
	if f.down {
		return nil, errDown
	}
	for _, c := range f.convs {
		if c.conv.OwnerMSP == owner && c.conv.MeetingID == meeting && c.conv.ID == id {
			return c, nil
		}
	}
	return nil, &ledger.RefusedError{Code: errcode.NotFound, Message: "convocation " + id + " not found"}
}

func (f *fakeLedger) Meeting(_ context.Context, owner, meeting string) (*records.Meeting, error) {
	if f.down {
		return nil, errDown
	}
	for _, c := range f.convs {
		if c.meeting.OwnerMSP == owner && c.meeting.ID == meeting {
			m := c.meeting
			return &m, nil
		}
	}
	return nil, &ledger.RefusedError{Code: errcode.NotFound, Message: "meeting " + meeting + " not found"}
}

func (f *fakeLedger) Convocation(_ context.Context, owner, meeting, id string) (*records.Convocation, error) {
	c, err := f.findConvocation(owner, meeting, id)
	if err != nil {
		return nil, err
	}
	conv := c.conv
	return &conv, nil
}

// Acknowledge judges the token as the chaincode does.
func (f *fakeLedger) Acknowledge(_ context.Context, owner, meeting, id, token string) (*records.Convocation, error) {
	c, err := f.findConvocation(owner, meeting, id)
	if err != nil {
		return nil, err
	}
	f.writes++
	if sum := sha256.Sum256([]byte(token)); hex.EncodeToString(sum[:]) != c.conv.AckTokenHash {
		return nil, &ledger.RefusedError{Code: errcode.PermissionDenied, Message: "token does not match convocation " + id}
	}
	if c.conv.AcknowledgedAt != "" {
		return nil, &ledger.RefusedError{Code: errcode.FailedPrecondition, Message: "convocation " + id + " was already acknowledged"}
	}
	c.conv.AcknowledgedAt, c.conv.AcknowledgedVia, c.conv.AcknowledgedTxID = "2026-12-01T09:30:00Z", "RegistryMSP", "tx-ack"
	conv := c.conv
	return &conv, nil
}

func (f *fakeLedger) UsesBySubject(_ context.Context, subjectRef string) ([]records.PermissionUse, bool, error) {
	if f.down {
		return nil, false, errors.New("peer unreachable while reading uses of " + subjectRef)
	}
	return f.uses[subjectRef], false, nil
}

func (f *fakeIndex) Meetings(_ context.Context, owner string, p index.Page) ([]index.MeetingRow, index.PageInfo, error) {
	f.pages = append(f.pages, p)
	var out []index.MeetingRow
	for _, m := range f.meetings {
		if owner == "" || m.Owner == owner {
			out = append(out, m)
		}
	}
	return out, f.info, nil
}

func (f *fakeIndex) Grants(_ context.Context, granting string, p index.Page) ([]index.GrantRow, index.PageInfo, error) {
	f.pages = append(f.pages, p)
	return f.grants, f.info, nil
}

func (f *fakeIndex) Programmes(context.Context) ([]index.ProgrammeRow, error) {
	return f.programmes, nil
}

func (f *fakeIndex) Permissions(_ context.Context, owner string, p index.Page) ([]index.PermissionRow, index.PageInfo, error) {
	f.pages = append(f.pages, p)
	return f.permissions, f.info, nil
}

func (f *fakeIndex) DeMinimis(context.Context, string) ([]index.AidRow, error) { return f.aid, nil }

func (f *fakeIndex) Proposals(context.Context) ([]index.ProposalRow, error) {
	return append([]index.ProposalRow(nil), f.proposals...), nil
}
