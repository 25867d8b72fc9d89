package documents

import (
	"encoding/json"
	"time"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// Get returns document id of the administration issuer, or NOT_FOUND.
// Anyone on the channel may read it.
func (c *Contract) Get(ctx *base.TxContext, issuer, id string) (*records.Document, error) {
	if err := validateDocumentRef(issuer, id); err != nil {
		return nil, err
	}
	return requireDocument(ctx, issuer, id)
}

// Verify answers whether document id of issuer is valid at the transaction
// time: an unregistered document is the verdict "unknown", not an error.
func (c *Contract) Verify(ctx *base.TxContext, issuer, id string) (*records.DocumentVerdict, error) {
	if err := validateDocumentRef(issuer, id); err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	d, found, err := getDocument(ctx, issuer, id)
	if err != nil {
		return nil, err
	}
	if !found {
		return &records.DocumentVerdict{Status: spec.DocumentUnknown, Issuer: issuer, ID: id, CheckedAt: base.FormatTime(at)}, nil
	}
	return documentVerdict(d, at)
}

// VerifyHash returns the verdict of every document whose bytes have this
// SHA-256, in (issuer, id) order. The list is never empty: with no such
// document it holds one verdict "unknown" carrying the hash.
//
// An index entry counts only if the record it names exists and holds this
// hash: a new key has no key-level policy, so a majority without the issuer
// could write an entry naming the issuer's document under another hash; the
// record, which only its issuer can change, has the last word.
func (c *Contract) VerifyHash(ctx *base.TxContext, sha256 string) ([]*records.DocumentVerdict, error) {
	sha256, err := base.NormalizeHex64("sha256", sha256)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	refs, err := state.DocumentHashRefs(ctx.GetStub(), sha256)
	if err != nil {
		return nil, base.Internal(err, "list documents by hash")
	}
	out := make([]*records.DocumentVerdict, 0, len(refs))
	for _, ref := range refs {
		d, found, err := getDocument(ctx, ref.Issuer, ref.ID)
		if err != nil {
			return nil, err
		}
		if !found || d.SHA256 != sha256 {
			continue
		}
		v, err := documentVerdict(d, at)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return []*records.DocumentVerdict{{Status: spec.DocumentUnknown, SHA256: sha256, CheckedAt: base.FormatTime(at)}}, nil
	}
	return out, nil
}

// ListByIssuer returns one page of the documents of issuer in id order, of
// one type when docType is not empty. pageSize is a decimal from 1 to 100,
// "0" or "" for 20; pass the returned bookmark to get the next page, empty
// when none is left. A type-index entry whose record is missing or of
// another type is left out (see VerifyHash), so a page may hold fewer.
func (c *Contract) ListByIssuer(ctx *base.TxContext, issuer, docType, pageSize, bookmark string) (*records.DocumentPage, error) {
	if err := base.ValidateMSPID(issuer); err != nil {
		return nil, err
	}
	if docType != "" {
		if err := base.ValidateOneOf("type", docType, spec.DocumentTypes); err != nil {
			return nil, err
		}
	}
	size, err := base.ParsePageSize(pageSize)
	if err != nil {
		return nil, err
	}
	what := "documents of " + issuer
	if docType == "" {
		items, next, err := base.ListPage(ctx, what, state.TypeDocument, []string{issuer}, size, bookmark, state.DecodeJSON[records.Document])
		if err != nil {
			return nil, err
		}
		return &records.DocumentPage{Items: items, Bookmark: next}, nil
	}
	indexKeys, next, err := base.ListPage(ctx, what, state.TypeDocumentByType, []string{issuer, docType}, size, bookmark,
		func(key string, _ []byte) (string, error) { return key, nil })
	if err != nil {
		return nil, err
	}
	page := &records.DocumentPage{Items: make([]*records.Document, 0, len(indexKeys)), Bookmark: next}
	for _, key := range indexKeys {
		d, err := documentOfTypeIndex(ctx, key)
		if err != nil {
			return nil, err
		}
		if d != nil && d.Issuer == issuer && d.Type == docType {
			page.Items = append(page.Items, d)
		}
	}
	return page, nil
}

// History returns every committed version of document id of issuer, each
// with its transaction ID and timestamp, in the order of the peer's history
// database (newest first on Fabric 2.5). NOT_FOUND when it never existed.
func (c *Contract) History(ctx *base.TxContext, issuer, id string) (versions []*records.DocumentVersion, err error) {
	if err := validateDocumentRef(issuer, id); err != nil {
		return nil, err
	}
	key, err := state.DocumentKey(ctx.GetStub(), issuer, id)
	if err != nil {
		return nil, base.Internal(err, "document key")
	}
	history, err := base.KeyHistory(ctx, key, "document "+id+" of "+issuer)
	if err != nil {
		return nil, err
	}
	versions = make([]*records.DocumentVersion, 0, len(history))
	for _, r := range history {
		v := &records.DocumentVersion{TxID: r.TxID, Timestamp: r.Timestamp, IsDelete: r.IsDelete}
		if !r.IsDelete {
			v.Document = new(records.Document)
			if err := json.Unmarshal([]byte(r.Value), v.Document); err != nil {
				return nil, base.Internal(err, "decode version %s of document %s", r.TxID, id)
			}
		}
		versions = append(versions, v)
	}
	if len(versions) == 0 {
		return nil, base.NotFound("no document %s registered by %s", id, issuer)
	}
	return versions, nil
}

// documentVerdict derives the status of d at time at: a stored revocation or
// supersession wins; otherwise the window [validFrom, validUntil) decides.
func documentVerdict(d *records.Document, at time.Time) (*records.DocumentVerdict, error) {
	v := &records.DocumentVerdict{
		Status: d.Status, Issuer: d.Issuer, ID: d.ID, Type: d.Type, SHA256: d.SHA256,
		ValidFrom: d.ValidFrom, ValidUntil: d.ValidUntil,
		RevokedReason: d.RevokedReason, SupersededBy: d.SupersededBy, CheckedAt: base.FormatTime(at),
	}
	if d.Status != spec.DocumentValid {
		return v, nil
	}
	from, err := time.Parse(time.RFC3339, d.ValidFrom)
	if err != nil {
		return nil, base.Internal(err, "stored validFrom of document %s of %s", d.ID, d.Issuer)
	}
	if at.Before(from) {
		v.Status = spec.DocumentNotYetValid
		return v, nil
	}
	if d.ValidUntil != "" {
		until, err := time.Parse(time.RFC3339, d.ValidUntil)
		if err != nil {
			return nil, base.Internal(err, "stored validUntil of document %s of %s", d.ID, d.Issuer)
		}
		if !at.Before(until) {
			v.Status = spec.DocumentExpired
		}
	}
	return v, nil
}

// documentOfTypeIndex reads the document a type-index entry names, nil
// when there is none.
func documentOfTypeIndex(ctx *base.TxContext, indexKey string) (*records.Document, error) {
	key, err := state.DocumentKeyOf(ctx.GetStub(), indexKey)
	if err != nil {
		return nil, base.Internal(err, "type index entry")
	}
	d := new(records.Document)
	found, err := base.GetEntry(ctx, key, "indexed document", d)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, nil
	}
	return d, nil
}

// validateDocumentRef checks an (issuer, id) pair given as arguments.
func validateDocumentRef(issuer, id string) error {
	if err := base.ValidateMSPID(issuer); err != nil {
		return err
	}
	return base.ValidateID("id", id)
}
