package server

import (
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// Conversion between the Documents contract's records (chaincode/records)
// and the API's messages.

// documentTypesByName maps the chaincode's type names (spec.DocumentTypes)
// to the API's: "civil-status" is DOCUMENT_TYPE_CIVIL_STATUS. A chaincode
// type with no API value is missing from the map, and a test says so.
var documentTypesByName = enumsByName[apiv1.DocumentType](spec.DocumentTypes, "DOCUMENT_TYPE_", apiv1.DocumentType_value)

// documentTypes maps the API's document types to the chaincode's names.
var documentTypes = func() map[apiv1.DocumentType]string {
	m := make(map[apiv1.DocumentType]string, len(documentTypesByName))
	for name, t := range documentTypesByName {
		m[t] = name
	}
	return m
}()

// documentStatuses maps the chaincode's statuses to the API's.
var documentStatuses = map[string]apiv1.DocumentStatus{
	spec.DocumentUnknown:     apiv1.DocumentStatus_DOCUMENT_STATUS_UNKNOWN,
	spec.DocumentValid:       apiv1.DocumentStatus_DOCUMENT_STATUS_VALID,
	spec.DocumentRevoked:     apiv1.DocumentStatus_DOCUMENT_STATUS_REVOKED,
	spec.DocumentSuperseded:  apiv1.DocumentStatus_DOCUMENT_STATUS_SUPERSEDED,
	spec.DocumentExpired:     apiv1.DocumentStatus_DOCUMENT_STATUS_EXPIRED,
	spec.DocumentNotYetValid: apiv1.DocumentStatus_DOCUMENT_STATUS_NOT_YET_VALID,
}

// documentTypeOf maps a chaincode type name ("" in an unknown verdict) to
// the API's; a name the gateway does not know is an internal error.
func documentTypeOf(name string) (apiv1.DocumentType, error) {
	if name == "" {
		return apiv1.DocumentType_DOCUMENT_TYPE_UNSPECIFIED, nil
	}
	return ledgerEnum(documentTypesByName, "document type", name)
}

func documentStatusOf(name string) (apiv1.DocumentStatus, error) {
	return ledgerEnum(documentStatuses, "document status", name)
}

// documentEnums maps a record's chaincode type and status to the API's.
func documentEnums(typ, status string) (apiv1.DocumentType, apiv1.DocumentStatus, error) {
	t, err := documentTypeOf(typ)
	if err != nil {
		return 0, 0, err
	}
	st, err := documentStatusOf(status)
	if err != nil {
		return 0, 0, err
	}
	return t, st, nil
}

func documentProto(d records.Document) (*apiv1.Document, error) {
	typ, st, err := documentEnums(d.Type, d.Status)
	if err != nil {
		return nil, err
	}
	return &apiv1.Document{
		Issuer: d.Issuer, Id: d.ID, Type: typ, Sha256: d.SHA256, KeyFacts: d.KeyFacts,
		ValidFrom: d.ValidFrom, ValidUntil: d.ValidUntil, SubjectRef: d.SubjectRef, Status: st,
		RevokedReason: d.RevokedReason, SupersededBy: d.SupersededBy,
		RegisteredAt: d.RegisteredAt, RegisteredBy: d.RegisteredBy,
		StatusChangedAt: d.StatusChangedAt, StatusChangedBy: d.StatusChangedBy,
	}, nil
}

func documentVerdictProto(v records.DocumentVerdict) (*apiv1.DocumentVerdict, error) {
	typ, st, err := documentEnums(v.Type, v.Status)
	if err != nil {
		return nil, err
	}
	return &apiv1.DocumentVerdict{
		Status: st, Issuer: v.Issuer, Id: v.ID, Type: typ, Sha256: v.SHA256,
		ValidFrom: v.ValidFrom, ValidUntil: v.ValidUntil, RevokedReason: v.RevokedReason,
		SupersededBy: v.SupersededBy, CheckedAt: v.CheckedAt,
	}, nil
}

func documentVersionProto(v records.DocumentVersion) (*apiv1.DocumentVersion, error) {
	version := &apiv1.DocumentVersion{TransactionId: v.TxID, Timestamp: v.Timestamp, IsDelete: v.IsDelete}
	if v.Document != nil {
		p, err := documentProto(*v.Document)
		if err != nil {
			return nil, err
		}
		version.Document = p
	}
	return version, nil
}
