package documents

import (
	"encoding/json"
	"slices"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	"github.com/civicledger/civicledger/chaincode/state"
)

// documentCollection is the implicit private data collection of the
// administration issuer: only its peers store the values, every peer of the
// channel sees their hashes, and writing to it needs the endorsement of the
// issuer's peer (the org's Endorsement policy in the channel configuration).
func documentCollection(issuer string) string {
	return "_implicit_org_" + issuer
}

// getDocument reads document id of issuer; found is false only when absent.
func getDocument(ctx *base.TxContext, issuer, id string) (d *records.Document, found bool, err error) {
	key, err := state.DocumentKey(ctx.GetStub(), issuer, id)
	if err != nil {
		return nil, false, base.Internal(err, "document key")
	}
	d = new(records.Document)
	found, err = base.GetEntry(ctx, key, "document "+id+" of "+issuer, d)
	if err != nil {
		return nil, false, err
	}
	if !found {
		return nil, false, nil
	}
	return d, true, nil
}

// requireDocument reads document id of issuer, NOT_FOUND when absent.
func requireDocument(ctx *base.TxContext, issuer, id string) (*records.Document, error) {
	d, found, err := getDocument(ctx, issuer, id)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, base.NotFound("no document %s registered by %s", id, issuer)
	}
	return d, nil
}

// putDocument rewrites the record of an existing document.
func putDocument(ctx *base.TxContext, d *records.Document) error {
	key, err := state.DocumentKey(ctx.GetStub(), d.Issuer, d.ID)
	if err != nil {
		return base.Internal(err, "document key")
	}
	return base.PutEntry(ctx, key, "document "+d.ID+" of "+d.Issuer, d)
}

// createDocument writes a new document and its two index entries, then
// gives the three keys the policy "issuer's peer plus one other member's".
func createDocument(ctx *base.TxContext, d *records.Document, members []string) error {
	stub := ctx.GetStub()
	docKey, err := state.DocumentKey(stub, d.Issuer, d.ID)
	if err != nil {
		return base.Internal(err, "document key")
	}
	hashKey, err := state.DocumentHashKey(stub, d.SHA256, d.Issuer, d.ID)
	if err != nil {
		return base.Internal(err, "document hash key")
	}
	typeKey, err := state.DocumentTypeKey(stub, d.Issuer, d.Type, d.ID)
	if err != nil {
		return base.Internal(err, "document type key")
	}
	if err := base.PutEntry(ctx, docKey, "document "+d.ID+" of "+d.Issuer, d); err != nil {
		return err
	}
	for _, key := range []string{hashKey, typeKey} {
		if err := stub.PutState(key, state.IndexValue); err != nil {
			return base.Internal(err, "write index of document %s of %s", d.ID, d.Issuer)
		}
	}
	policy, err := base.PolicyOwnerPlusOne(d.Issuer, members)
	if err != nil {
		return err
	}
	for _, key := range []string{docKey, hashKey, typeKey} {
		if err := base.SetKeyPolicy(ctx, key, policy); err != nil {
			return err
		}
	}
	return nil
}

// documentSubjectPurge is the private marker left by PurgeSubject, so that
// purged data cannot be set again; it holds no personal data.
type documentSubjectPurge struct {
	PurgedAt string `json:"purgedAt"`
}

// documentWithSubject reads document id of issuer, NOT_FOUND when absent,
// and its clear subject data from the issuer's collection: nil data when
// absent, and purged=true when it was purged. Only the issuer's peers hold
// the values.
func documentWithSubject(ctx *base.TxContext, issuer, id string) (d *records.Document, data []byte, purged bool, err error) {
	if d, err = requireDocument(ctx, issuer, id); err != nil {
		return nil, nil, false, err
	}
	data, purged, err = getDocumentSubject(ctx, issuer, id)
	if err != nil {
		return nil, nil, false, err
	}
	return d, data, purged, nil
}

// getDocumentSubject reads the clear subject data of document id from the
// issuer's collection, as documentWithSubject.
func getDocumentSubject(ctx *base.TxContext, issuer, id string) (data []byte, purged bool, err error) {
	stub := ctx.GetStub()
	coll := documentCollection(issuer)
	key, err := state.DocumentSubjectKey(stub, id)
	if err != nil {
		return nil, false, base.Internal(err, "document subject key")
	}
	data, err = stub.GetPrivateData(coll, key)
	if err != nil {
		return nil, false, base.Internal(err, "read subject data of document %s", id)
	}
	if data != nil {
		return data, false, nil
	}
	markerKey, err := state.DocumentSubjectPurgedKey(stub, id)
	if err != nil {
		return nil, false, base.Internal(err, "document purge marker key")
	}
	// The hash, unlike the value, is readable on every peer of the channel.
	marker, err := stub.GetPrivateDataHash(coll, markerKey)
	if err != nil {
		return nil, false, base.Internal(err, "read purge marker of document %s", id)
	}
	return nil, len(marker) > 0, nil
}

// putDocumentSubject writes validated subject data of document id.
func putDocumentSubject(ctx *base.TxContext, issuer, id string, data []byte) error {
	key, err := state.DocumentSubjectKey(ctx.GetStub(), id)
	if err != nil {
		return base.Internal(err, "document subject key")
	}
	if err := ctx.GetStub().PutPrivateData(documentCollection(issuer), key, data); err != nil {
		return base.Internal(err, "write subject data of document %s", id)
	}
	return nil
}

// purgeDocumentSubject purges the subject data of document id (Fabric 2.5
// removes it from the private store and its history on every peer) and
// leaves the purge marker.
func purgeDocumentSubject(ctx *base.TxContext, issuer, id, at string) error {
	stub := ctx.GetStub()
	coll := documentCollection(issuer)
	key, err := state.DocumentSubjectKey(stub, id)
	if err != nil {
		return base.Internal(err, "document subject key")
	}
	markerKey, err := state.DocumentSubjectPurgedKey(stub, id)
	if err != nil {
		return base.Internal(err, "document purge marker key")
	}
	if err := stub.PurgePrivateData(coll, key); err != nil {
		return base.Internal(err, "purge subject data of document %s", id)
	}
	marker, err := json.Marshal(documentSubjectPurge{PurgedAt: at})
	if err != nil {
		return base.Internal(err, "encode purge marker")
	}
	if err := stub.PutPrivateData(coll, markerKey, marker); err != nil {
		return base.Internal(err, "write purge marker of document %s", id)
	}
	return nil
}

// documentSubjectFromTransient returns the validated subject data of the
// transient map, or nil when absent and not required. Any other transient
// key is refused, as unknown JSON fields are.
func documentSubjectFromTransient(ctx *base.TxContext, required bool) ([]byte, error) {
	tm, err := ctx.GetStub().GetTransient()
	if err != nil {
		return nil, base.Internal(err, "read transient data")
	}
	var unknown []string
	for k := range tm {
		if k != spec.SubjectTransientKey {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return nil, base.InvalidArgument("transient data has unknown key %q, only %q is accepted", base.Clip(unknown[0]), spec.SubjectTransientKey)
	}
	raw, ok := tm[spec.SubjectTransientKey]
	if !ok {
		if required {
			return nil, base.InvalidArgument("subject data is required in transient key %q", spec.SubjectTransientKey)
		}
		return nil, nil
	}
	return validateDocumentSubject(raw)
}
