package documents

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// RegisterBatch records up to spec.MaxDocumentBatch new documents of the
// caller's administration in one transaction, all or none, from the JSON
// input {"documents":[registration, …],"skipRegistered":bool}, each
// registration as Register takes it. Every rule of Register holds for each
// entry: clerks and admins only, the issuer must have a directory profile,
// each entry is validated the same way, an id already registered by the
// administration or repeated within the batch is refused, and each record
// and its indexes take the same key-level policy. With skipRegistered, an
// entry whose id is already registered with the same type and SHA-256 is
// skipped instead (so an interrupted import can run again); one registered
// with other content is still refused. Clear subject data cannot come with
// a batch: use SetSubject. A refused entry is named by its position and id.
// It emits one EventDocumentsRegistered, listing the ids, when at least one
// document was registered.
func (c *Contract) RegisterBatch(ctx *base.TxContext, input string) (*records.DocumentBatchResult, error) {
	caller, err := ctx.RequireRole(spec.RoleClerk, spec.RoleAdmin)
	if err != nil {
		return nil, err
	}
	at, err := ctx.TxTime()
	if err != nil {
		return nil, err
	}
	entries, skip, err := parseDocumentBatch(input)
	if err != nil {
		return nil, err
	}
	if tm, err := ctx.GetStub().GetTransient(); err != nil {
		return nil, base.Internal(err, "read transient data")
	} else if len(tm) > 0 {
		return nil, base.InvalidArgument("a batch registration takes no transient data: send each document's subject data with %s", spec.DocumentsSetSubject)
	}
	members, err := base.MemberMSPs(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(members, caller.MSPID) {
		return nil, base.FailedPrecondition("administration %s has no directory profile: publish it with Directory:SetProfile before registering documents", caller.MSPID)
	}
	res := &records.DocumentBatchResult{
		Issuer: caller.MSPID, Registered: []string{}, Skipped: []string{},
		RegisteredAt: base.FormatTime(at), RegisteredBy: caller.ID,
	}
	// Every entry is checked before the first is written, so a refusal
	// leaves even the endorser's simulation untouched.
	fresh := make([]*records.DocumentRegistration, 0, len(entries))
	for i, in := range entries {
		old, found, err := getDocument(ctx, caller.MSPID, in.ID)
		switch {
		case err != nil:
			return nil, err
		case !found:
			fresh = append(fresh, in)
		case skip && old.Type == in.Type && old.SHA256 == in.SHA256:
			res.Skipped = append(res.Skipped, in.ID)
		case skip:
			return nil, base.AlreadyExists("documents[%d] (id %q): document %s is already registered by %s with another type or sha256", i, in.ID, in.ID, caller.MSPID)
		default:
			return nil, base.AlreadyExists("documents[%d] (id %q): document %s is already registered by %s", i, in.ID, in.ID, caller.MSPID)
		}
	}
	for _, in := range fresh {
		d := &records.Document{
			Issuer: caller.MSPID, ID: in.ID, Type: in.Type, SHA256: in.SHA256, KeyFacts: in.KeyFacts,
			ValidFrom: in.ValidFrom, ValidUntil: in.ValidUntil, SubjectRef: in.SubjectRef,
			Status: spec.DocumentValid, RegisteredAt: res.RegisteredAt, RegisteredBy: caller.ID,
		}
		if err := createDocument(ctx, d, members); err != nil {
			return nil, err
		}
		res.Registered = append(res.Registered, in.ID)
	}
	if len(res.Registered) > 0 {
		if err := base.Emit(ctx, spec.EventDocumentsRegistered, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// documentBatchInput is the envelope of RegisterBatch's input; each entry is
// decoded strictly by parseDocumentRegistration, as Register's input is.
type documentBatchInput struct {
	Documents      []json.RawMessage `json:"documents"`
	SkipRegistered bool              `json:"skipRegistered"`
}

// parseDocumentBatch decodes and validates the input of RegisterBatch: 1 to
// spec.MaxDocumentBatch valid registrations with distinct ids.
func parseDocumentBatch(input string) ([]*records.DocumentRegistration, bool, error) {
	if len(input) > spec.MaxDocumentBatchInput {
		return nil, false, base.InvalidArgument("batch is too large: %d bytes, at most %d", len(input), spec.MaxDocumentBatchInput)
	}
	if strings.TrimSpace(input) == "" {
		return nil, false, base.InvalidArgument("batch is required")
	}
	if !utf8.ValidString(input) {
		return nil, false, base.InvalidArgument("batch is not valid utf-8")
	}
	var in documentBatchInput
	dec := json.NewDecoder(strings.NewReader(input))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return nil, false, base.InvalidArgument(`batch is not a json object {"documents":[…],"skipRegistered":bool}: %s`, base.Clip(err.Error()))
	}
	if dec.More() {
		return nil, false, base.InvalidArgument("batch has data after its json value")
	}
	switch n := len(in.Documents); {
	case n == 0:
		return nil, false, base.InvalidArgument("batch has no documents: send 1 to %d", spec.MaxDocumentBatch)
	case n > spec.MaxDocumentBatch:
		return nil, false, base.InvalidArgument("batch has %d documents, at most %d: split it", n, spec.MaxDocumentBatch)
	}
	out := make([]*records.DocumentRegistration, len(in.Documents))
	first := make(map[string]int, len(in.Documents))
	for i, raw := range in.Documents {
		d, err := parseDocumentRegistration(string(raw))
		if err != nil {
			return nil, false, batchEntryError(i, entryID(raw), err)
		}
		if j, dup := first[d.ID]; dup {
			return nil, false, base.InvalidArgument("documents[%d] (id %q): id repeats documents[%d] of the same batch", i, d.ID, j)
		}
		first[d.ID] = i
		out[i] = d
	}
	return out, in.SkipRegistered, nil
}

// batchEntryError names entry i (of id, when it has a readable one) in the
// error its registration gave.
func batchEntryError(i int, id string, err error) error {
	var e *base.Error
	if !errors.As(err, &e) {
		return err
	}
	name := fmt.Sprintf("documents[%d]", i)
	if id != "" {
		name += fmt.Sprintf(" (id %q)", id)
	}
	return &base.Error{Code: e.Code, Msg: name + ": " + e.Msg, Err: e.Err}
}

// entryID is the id an entry gives, clipped, or "" when it has none
// readable; only for error messages.
func entryID(raw json.RawMessage) string {
	var v struct {
		ID string `json:"id"`
	}
	if json.NewDecoder(bytes.NewReader(raw)).Decode(&v) != nil {
		return ""
	}
	return base.Clip(v.ID)
}
