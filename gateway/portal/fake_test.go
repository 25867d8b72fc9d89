package portal_test

import (
	"context"
	"crypto/x509"
	"errors"
	"time"

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
	filters []index.DocumentFilter
}

func (f *fakeIndex) Documents(_ context.Context, flt index.DocumentFilter) ([]index.Document, int, error) {
	f.filters = append(f.filters, flt)
	var sel []index.Document
	for _, d := range f.docs {
		if (flt.Issuer == "" || d.Issuer == flt.Issuer) && (flt.Type == "" || d.Type == flt.Type) &&
			(flt.Status == "" || d.Status == flt.Status) {
			sel = append(sel, d)
		}
	}
	total := len(sel)
	if flt.Offset >= len(sel) {
		return nil, total, nil
	}
	sel = sel[flt.Offset:]
	if len(sel) > flt.Limit {
		sel = sel[:flt.Limit]
	}
	return sel, total, nil
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

func (f *fakeIndex) Members(context.Context) ([]index.Member, error) { return f.members, nil }

func (f *fakeIndex) RecentTransactions(_ context.Context, limit int) ([]index.TxRow, error) {
	if len(f.txs) > limit {
		return f.txs[:limit], nil
	}
	return f.txs, nil
}
