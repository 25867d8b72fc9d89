package records

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestWireFormat pins the JSON of every type, each field set: its names,
// its order and which fields are omitted when empty (see TestOmitted). A
// change here changes what the ledger stores and what clients read.
func TestWireFormat(t *testing.T) {
	for _, tc := range wireFormats {
		v := reflect.New(reflect.TypeOf(tc.value)).Elem()
		fill(v)
		b, err := json.Marshal(v.Interface())
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.full {
			t.Errorf("%T encodes as\n%s\nwant\n%s", tc.value, b, tc.full)
		}
	}
}

// TestOmitted pins the JSON of every type left empty: the fields it omits.
func TestOmitted(t *testing.T) {
	for _, tc := range wireFormats {
		b, err := json.Marshal(tc.value)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.empty {
			t.Errorf("empty %T encodes as\n%s\nwant\n%s", tc.value, b, tc.empty)
		}
	}
}

// TestNoImports keeps the package plain: clients such as the gateway use
// it without pulling in Fabric or the contracts.
func TestNoImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			t.Errorf("%s imports %s: the records package imports nothing", name, imp.Path.Value)
		}
	}
}

// fill sets every field of v: strings to their field name, numbers to 1,
// booleans to true, one element in each list and map.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Field(i)
			if f.Kind() == reflect.String {
				f.SetString(v.Type().Field(i).Name)
				continue
			}
			fill(f)
		}
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint64:
		v.SetUint(1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e)
		v.SetMapIndex(reflect.ValueOf("k"), e)
	default:
		panic("fill: unexpected kind " + v.Kind().String())
	}
}

var wireFormats = []struct {
	value       any
	full, empty string
}{
	{Anchor{},
		`{"root":"Root","size":1,"label":"Label","anchoredBy":"AnchoredBy","anchoredAt":"AnchoredAt","txId":"TxID"}`,
		`{"root":"","size":0,"anchoredBy":"","anchoredAt":"","txId":""}`},
	{AnchorInput{},
		`{"root":"Root","size":1,"label":"Label"}`,
		`{"root":"","size":0}`},
	{ConvocationBody{},
		`{"ownerMsp":"OwnerMSP","id":"ID","name":"Name","clearDays":1,"timeZone":"TimeZone","updatedAt":"UpdatedAt"}`,
		`{"ownerMsp":"","id":"","name":"","clearDays":0,"timeZone":"","updatedAt":""}`},
	{Meeting{},
		`{"ownerMsp":"OwnerMSP","id":"ID","bodyId":"BodyID","startsAt":"StartsAt","place":"Place","agendaHashes":["x"],"timeZone":"TimeZone","clearDays":1,"deadline":"Deadline","createdAt":"CreatedAt","createdTxId":"CreatedTxID"}`,
		`{"ownerMsp":"","id":"","bodyId":"","startsAt":"","place":"","agendaHashes":null,"timeZone":"","clearDays":0,"deadline":"","createdAt":"","createdTxId":""}`},
	{Convocation{},
		`{"ownerMsp":"OwnerMSP","meetingId":"MeetingID","id":"ID","recipientRef":"RecipientRef","messageHash":"MessageHash","ackTokenHash":"AckTokenHash","sentAt":"SentAt","sentTxId":"SentTxID","onTime":true,"acknowledgedAt":"AcknowledgedAt","acknowledgedVia":"AcknowledgedVia","acknowledgedTxId":"AcknowledgedTxID"}`,
		`{"ownerMsp":"","meetingId":"","id":"","recipientRef":"","messageHash":"","ackTokenHash":"","sentAt":"","sentTxId":"","onTime":false}`},
	{ConveneResult{},
		`{"ownerMsp":"OwnerMSP","meetingId":"MeetingID","sentAt":"SentAt","convened":1,"onTime":1,"late":1,"convocationIds":["x"]}`,
		`{"ownerMsp":"","meetingId":"","sentAt":"","convened":0,"onTime":0,"late":0,"convocationIds":null}`},
	{MeetingSummary{},
		`{"meeting":{"ownerMsp":"OwnerMSP","id":"ID","bodyId":"BodyID","startsAt":"StartsAt","place":"Place","agendaHashes":["x"],"timeZone":"TimeZone","clearDays":1,"deadline":"Deadline","createdAt":"CreatedAt","createdTxId":"CreatedTxID"},"convened":1,"acknowledged":1,"onTime":1,"late":1}`,
		`{"meeting":null,"convened":0,"acknowledged":0,"onTime":0,"late":0}`},
	{MeetingPage{},
		`{"meetings":[{"ownerMsp":"OwnerMSP","id":"ID","bodyId":"BodyID","startsAt":"StartsAt","place":"Place","agendaHashes":["x"],"timeZone":"TimeZone","clearDays":1,"deadline":"Deadline","createdAt":"CreatedAt","createdTxId":"CreatedTxID"}],"bookmark":"Bookmark"}`,
		`{"meetings":null,"bookmark":""}`},
	{ConvocationBodyInput{},
		`{"id":"ID","name":"Name","clearDays":1,"timeZone":"TimeZone"}`,
		`{"id":"","name":"","clearDays":null,"timeZone":""}`},
	{MeetingInput{},
		`{"id":"ID","bodyId":"BodyID","startsAt":"StartsAt","place":"Place","agendaHashes":["x"]}`,
		`{"id":"","bodyId":"","startsAt":"","place":"","agendaHashes":null}`},
	{ConveneRecipient{},
		`{"recipientRef":"RecipientRef","messageHash":"MessageHash","ackTokenHash":"AckTokenHash"}`,
		`{"recipientRef":"","messageHash":"","ackTokenHash":""}`},
	{Profile{},
		`{"mspId":"MSPID","displayName":"DisplayName","kind":"Kind","contact":"Contact","updatedAt":"UpdatedAt","updatedBy":"UpdatedBy","leftAt":"LeftAt","leftConfigBlock":1}`,
		`{"mspId":"","displayName":"","kind":"","contact":"","updatedAt":"","updatedBy":""}`},
	{Document{},
		`{"issuer":"Issuer","id":"ID","type":"Type","sha256":"SHA256","keyFacts":{"k":"x"},"validFrom":"ValidFrom","validUntil":"ValidUntil","subjectRef":"SubjectRef","status":"Status","revokedReason":"RevokedReason","supersededBy":"SupersededBy","registeredAt":"RegisteredAt","registeredBy":"RegisteredBy","statusChangedAt":"StatusChangedAt","statusChangedBy":"StatusChangedBy"}`,
		`{"issuer":"","id":"","type":"","sha256":"","keyFacts":null,"validFrom":"","subjectRef":"","status":"","registeredAt":"","registeredBy":""}`},
	{DocumentVerdict{},
		`{"status":"Status","issuer":"Issuer","id":"ID","type":"Type","sha256":"SHA256","validFrom":"ValidFrom","validUntil":"ValidUntil","revokedReason":"RevokedReason","supersededBy":"SupersededBy","checkedAt":"CheckedAt"}`,
		`{"status":"","checkedAt":""}`},
	{DocumentPage{},
		`{"items":[{"issuer":"Issuer","id":"ID","type":"Type","sha256":"SHA256","keyFacts":{"k":"x"},"validFrom":"ValidFrom","validUntil":"ValidUntil","subjectRef":"SubjectRef","status":"Status","revokedReason":"RevokedReason","supersededBy":"SupersededBy","registeredAt":"RegisteredAt","registeredBy":"RegisteredBy","statusChangedAt":"StatusChangedAt","statusChangedBy":"StatusChangedBy"}],"bookmark":"Bookmark"}`,
		`{"items":null,"bookmark":""}`},
	{DocumentVersion{},
		`{"txId":"TxID","timestamp":"Timestamp","isDelete":true,"document":{"issuer":"Issuer","id":"ID","type":"Type","sha256":"SHA256","keyFacts":{"k":"x"},"validFrom":"ValidFrom","validUntil":"ValidUntil","subjectRef":"SubjectRef","status":"Status","revokedReason":"RevokedReason","supersededBy":"SupersededBy","registeredAt":"RegisteredAt","registeredBy":"RegisteredBy","statusChangedAt":"StatusChangedAt","statusChangedBy":"StatusChangedBy"}}`,
		`{"txId":"","timestamp":"","isDelete":false}`},
	{DocumentRegistration{},
		`{"id":"ID","type":"Type","sha256":"SHA256","keyFacts":{"k":"x"},"validFrom":"ValidFrom","validUntil":"ValidUntil","subjectRef":"SubjectRef"}`,
		`{"id":"","type":"","sha256":"","validFrom":"","subjectRef":""}`},
	{RecordVersion{},
		`{"txId":"TxID","timestamp":"Timestamp","isDelete":true,"value":"Value"}`,
		`{"txId":"","timestamp":"","isDelete":false}`},
	{MembershipProposal{},
		`{"id":"ID","kind":"Kind","subjectMspId":"SubjectMSPID","channelId":"ChannelID","update":"Update","sequence":1,"proposedBy":"ProposedBy","proposerCertId":"ProposerCertID","proposedAt":"ProposedAt","expiresAt":"ExpiresAt","status":"Status","signatures":[{"mspId":"MSPID","signerCertId":"SignerCertID","signedAt":"SignedAt","configSignature":"ConfigSignature"}],"appliedBlock":1,"appliedAt":"AppliedAt","appliedBy":"AppliedBy","withdrawnAt":"WithdrawnAt","withdrawnBy":"WithdrawnBy"}`,
		`{"id":"","kind":"","subjectMspId":"","channelId":"","update":"","sequence":0,"proposedBy":"","proposerCertId":"","proposedAt":"","expiresAt":"","status":"","signatures":null}`},
	{MembershipProposeInput{},
		`{"kind":"Kind","subjectMspId":"SubjectMSPID","update":"Update","sequence":1,"expiresAt":"ExpiresAt"}`,
		`{"kind":"","subjectMspId":"","update":"","sequence":0,"expiresAt":""}`},
	{MembershipPage{},
		`{"proposals":[{"id":"ID","kind":"Kind","subjectMspId":"SubjectMSPID","channelId":"ChannelID","update":"Update","sequence":1,"proposedBy":"ProposedBy","proposerCertId":"ProposerCertID","proposedAt":"ProposedAt","expiresAt":"ExpiresAt","status":"Status","signatures":[{"mspId":"MSPID","signerCertId":"SignerCertID","signedAt":"SignedAt","configSignature":"ConfigSignature"}],"appliedBlock":1,"appliedAt":"AppliedAt","appliedBy":"AppliedBy","withdrawnAt":"WithdrawnAt","withdrawnBy":"WithdrawnBy"}],"bookmark":"Bookmark"}`,
		`{"proposals":null,"bookmark":""}`},
	{Permission{},
		`{"id":"ID","owner":"Owner","grantee":"Grantee","category":"Category","purpose":"Purpose","legalBasis":"LegalBasis","validFrom":"ValidFrom","validUntil":"ValidUntil","subjectRef":"SubjectRef","status":"Status","offeredAt":"OfferedAt","offeredBy":"OfferedBy","acceptedAt":"AcceptedAt","acceptedBy":"AcceptedBy","revokedAt":"RevokedAt","revokedBy":"RevokedBy","revokeReason":"RevokeReason"}`,
		`{"id":"","owner":"","grantee":"","category":"","purpose":"","legalBasis":"","validFrom":"","validUntil":"","status":"","offeredAt":"","offeredBy":""}`},
	{PermissionPage{},
		`{"permissions":[{"id":"ID","owner":"Owner","grantee":"Grantee","category":"Category","purpose":"Purpose","legalBasis":"LegalBasis","validFrom":"ValidFrom","validUntil":"ValidUntil","subjectRef":"SubjectRef","status":"Status","offeredAt":"OfferedAt","offeredBy":"OfferedBy","acceptedAt":"AcceptedAt","acceptedBy":"AcceptedBy","revokedAt":"RevokedAt","revokedBy":"RevokedBy","revokeReason":"RevokeReason"}],"bookmark":"Bookmark"}`,
		`{"permissions":null,"bookmark":""}`},
	{PermissionUsePage{},
		`{"uses":[{"id":"ID","owner":"Owner","permissionId":"PermissionID","grantee":"Grantee","category":"Category","subjectRef":"SubjectRef","purpose":"Purpose","usedAt":"UsedAt","usedBy":"UsedBy","valid":true,"reason":"Reason"}],"bookmark":"Bookmark"}`,
		`{"uses":null,"bookmark":""}`},
	{PermissionUse{},
		`{"id":"ID","owner":"Owner","permissionId":"PermissionID","grantee":"Grantee","category":"Category","subjectRef":"SubjectRef","purpose":"Purpose","usedAt":"UsedAt","usedBy":"UsedBy","valid":true,"reason":"Reason"}`,
		`{"id":"","owner":"","permissionId":"","grantee":"","subjectRef":"","purpose":"","usedAt":"","usedBy":"","valid":false,"reason":""}`},
	{PermissionCheck{},
		`{"allowed":true,"permissionId":"PermissionID","reason":"Reason"}`,
		`{"allowed":false,"reason":""}`},
	{PermissionOffer{},
		`{"id":"ID","grantee":"Grantee","category":"Category","purpose":"Purpose","legalBasis":"LegalBasis","validFrom":"ValidFrom","validUntil":"ValidUntil","subjectRef":"SubjectRef"}`,
		`{"id":"","grantee":"","category":"","purpose":"","legalBasis":"","validFrom":"","validUntil":""}`},
	{PermissionUseInput{},
		`{"ownerMSP":"OwnerMSP","permissionId":"PermissionID","subjectRef":"SubjectRef","purpose":"Purpose","category":"Category"}`,
		`{"ownerMSP":"","permissionId":"","subjectRef":"","purpose":""}`},
	{SubsidyProgramme{},
		`{"grantingMsp":"GrantingMSP","id":"ID","name":"Name","budget":1,"currency":"Currency","legalBasis":"LegalBasis","periodStart":"PeriodStart","periodEnd":"PeriodEnd","deMinimis":true,"createdAt":"CreatedAt","createdBy":"CreatedBy"}`,
		`{"grantingMsp":"","id":"","name":"","budget":0,"currency":"","legalBasis":"","periodStart":"","periodEnd":"","deMinimis":false,"createdAt":"","createdBy":""}`},
	{SubsidyProgrammeView{},
		`{"programme":{"grantingMsp":"GrantingMSP","id":"ID","name":"Name","budget":1,"currency":"Currency","legalBasis":"LegalBasis","periodStart":"PeriodStart","periodEnd":"PeriodEnd","deMinimis":true,"createdAt":"CreatedAt","createdBy":"CreatedBy"},"approvedTotal":1,"approvedGrants":1,"remaining":1}`,
		`{"programme":null,"approvedTotal":0,"approvedGrants":0,"remaining":0}`},
	{SubsidyGrant{},
		`{"grantingMsp":"GrantingMSP","programmeId":"ProgrammeID","grantId":"GrantID","beneficiary":"Beneficiary","amount":1,"currency":"Currency","deMinimis":true,"purpose":"Purpose","status":"Status","proposedAt":"ProposedAt","proposedBy":"ProposedBy","decidedAt":"DecidedAt","decidedBy":"DecidedBy","decidedByMsp":"DecidedByMSP","rejectionReason":"RejectionReason","paidTotal":1}`,
		`{"grantingMsp":"","programmeId":"","grantId":"","beneficiary":"","amount":0,"currency":"","deMinimis":false,"purpose":"","status":"","proposedAt":"","proposedBy":"","paidTotal":0}`},
	{SubsidyGrantView{},
		`{"grant":{"grantingMsp":"GrantingMSP","programmeId":"ProgrammeID","grantId":"GrantID","beneficiary":"Beneficiary","amount":1,"currency":"Currency","deMinimis":true,"purpose":"Purpose","status":"Status","proposedAt":"ProposedAt","proposedBy":"ProposedBy","decidedAt":"DecidedAt","decidedBy":"DecidedBy","decidedByMsp":"DecidedByMSP","rejectionReason":"RejectionReason","paidTotal":1},"payments":[{"grantingMsp":"GrantingMSP","grantId":"GrantID","paymentId":"PaymentID","amount":1,"paidTotal":1,"recordedAt":"RecordedAt","recordedBy":"RecordedBy"}]}`,
		`{"grant":null,"payments":null}`},
	{SubsidyGrantPage{},
		`{"grants":[{"grantingMsp":"GrantingMSP","programmeId":"ProgrammeID","grantId":"GrantID","beneficiary":"Beneficiary","amount":1,"currency":"Currency","deMinimis":true,"purpose":"Purpose","status":"Status","proposedAt":"ProposedAt","proposedBy":"ProposedBy","decidedAt":"DecidedAt","decidedBy":"DecidedBy","decidedByMsp":"DecidedByMSP","rejectionReason":"RejectionReason","paidTotal":1}],"bookmark":"Bookmark"}`,
		`{"grants":null,"bookmark":""}`},
	{SubsidyPayment{},
		`{"grantingMsp":"GrantingMSP","grantId":"GrantID","paymentId":"PaymentID","amount":1,"paidTotal":1,"recordedAt":"RecordedAt","recordedBy":"RecordedBy"}`,
		`{"grantingMsp":"","grantId":"","paymentId":"","amount":0,"paidTotal":0,"recordedAt":"","recordedBy":""}`},
	{SubsidyAidRecord{},
		`{"beneficiary":"Beneficiary","grantingMsp":"GrantingMSP","programmeId":"ProgrammeID","grantId":"GrantID","amount":1,"approvedAt":"ApprovedAt"}`,
		`{"beneficiary":"","grantingMsp":"","programmeId":"","grantId":"","amount":0,"approvedAt":""}`},
	{SubsidyAidShare{},
		`{"grantingMsp":"GrantingMSP","amount":1,"grants":1}`,
		`{"grantingMsp":"","amount":0,"grants":0}`},
	{SubsidyAidReport{},
		`{"beneficiary":"Beneficiary","currency":"Currency","from":"From","to":"To","total":1,"ceiling":1,"remaining":1,"byAdministration":[{"grantingMsp":"GrantingMSP","amount":1,"grants":1}],"awards":[{"beneficiary":"Beneficiary","grantingMsp":"GrantingMSP","programmeId":"ProgrammeID","grantId":"GrantID","amount":1,"approvedAt":"ApprovedAt"}]}`,
		`{"beneficiary":"","currency":"","from":"","to":"","total":0,"ceiling":0,"remaining":0,"byAdministration":null,"awards":null}`},
	{SubsidyProgrammeInput{},
		`{"id":"ID","name":"Name","budget":1,"currency":"Currency","legalBasis":"LegalBasis","periodStart":"PeriodStart","periodEnd":"PeriodEnd","deMinimis":true}`,
		`{"id":"","name":"","budget":0,"currency":"","legalBasis":"","periodStart":"","periodEnd":"","deMinimis":null}`},
	{SubsidyGrantInput{},
		`{"programmeId":"ProgrammeID","grantId":"GrantID","beneficiary":"Beneficiary","amount":1,"purpose":"Purpose"}`,
		`{"programmeId":"","grantId":"","beneficiary":"","amount":0,"purpose":""}`},
	{SubsidyPaymentInput{},
		`{"paymentId":"PaymentID","amount":1}`,
		`{"paymentId":"","amount":0}`},
}
