package state

import (
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
)

// Object types of the documents register. A document is stored once under
// TypeDocument (issuer, id); the two indexes hold only IndexValue and name
// the document through their trailing attributes (issuer, id).
const (
	// TypeDocument keys a document record by issuer MSP ID and id.
	TypeDocument = "document"
	// TypeDocumentByHash indexes documents by SHA-256: (sha256, issuer, id).
	TypeDocumentByHash = "document~sha256"
	// TypeDocumentByType indexes documents by issuer and type: (issuer, type, id).
	TypeDocumentByType = "document~type"
	// TypeDocumentSubject keys, in the issuer's implicit private data
	// collection, the clear subject data of a document by id.
	TypeDocumentSubject = "document~subject"
	// TypeDocumentSubjectPurged keys, in the same collection, the marker
	// left when a document's subject data was purged.
	TypeDocumentSubjectPurged = "document~subject-purged"
)

// DocumentKey is the key of document id of the administration issuer.
func DocumentKey(stub shim.ChaincodeStubInterface, issuer, id string) (string, error) {
	return Key(stub, TypeDocument, issuer, id)
}

// DocumentHashKey is the hash-index key of document id of issuer.
func DocumentHashKey(stub shim.ChaincodeStubInterface, sha256, issuer, id string) (string, error) {
	return Key(stub, TypeDocumentByHash, sha256, issuer, id)
}

// DocumentTypeKey is the type-index key of document id of issuer.
func DocumentTypeKey(stub shim.ChaincodeStubInterface, issuer, docType, id string) (string, error) {
	return Key(stub, TypeDocumentByType, issuer, docType, id)
}

// DocumentSubjectKey is the private data key of the subject of document id
// (the collection, the issuer's own, scopes it to the issuer).
func DocumentSubjectKey(stub shim.ChaincodeStubInterface, id string) (string, error) {
	return Key(stub, TypeDocumentSubject, id)
}

// DocumentSubjectPurgedKey is the private data key of the purge marker of
// the subject of document id.
func DocumentSubjectPurgedKey(stub shim.ChaincodeStubInterface, id string) (string, error) {
	return Key(stub, TypeDocumentSubjectPurged, id)
}

// DocumentRef names a document by its issuer and id.
type DocumentRef struct {
	Issuer string
	ID     string
}

// DocumentHashRefs lists, in key order, the documents whose hash index
// entry is sha256. The whole range is read: a hash is shared by few documents.
func DocumentHashRefs(stub shim.ChaincodeStubInterface, sha256 string) ([]DocumentRef, error) {
	it, err := stub.GetStateByPartialCompositeKey(TypeDocumentByHash, []string{sha256})
	if err != nil {
		return nil, fmt.Errorf("query %s range: %w", TypeDocumentByHash, err)
	}
	return collect(it, TypeDocumentByHash+" range", func(kv *queryresult.KV) (DocumentRef, error) {
		attrs, err := splitDocumentKey(stub, kv.Key)
		if err != nil {
			return DocumentRef{}, err
		}
		return DocumentRef{Issuer: attrs[1], ID: attrs[2]}, nil
	})
}

// DocumentKeyOf returns the document key that a type-index key names.
func DocumentKeyOf(stub shim.ChaincodeStubInterface, typeIndexKey string) (string, error) {
	attrs, err := splitDocumentKey(stub, typeIndexKey)
	if err != nil {
		return "", err
	}
	return DocumentKey(stub, attrs[0], attrs[2])
}

// splitDocumentKey returns the three attributes of an index key.
func splitDocumentKey(stub shim.ChaincodeStubInterface, key string) ([]string, error) {
	_, attrs, err := stub.SplitCompositeKey(key)
	if err != nil {
		return nil, fmt.Errorf("split index key %q: %w", key, err)
	}
	if len(attrs) != 3 {
		return nil, fmt.Errorf("index key %q has %d attributes, want 3", key, len(attrs))
	}
	return attrs, nil
}
