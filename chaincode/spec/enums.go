package spec

// Roles a caller's RoleAttribute certificate attribute may take.
const (
	RoleClerk    = "clerk"
	RoleApprover = "approver"
	RoleAdmin    = "admin"
)

// RolePortal is the role of the transparency portal's identity: it may
// read, and relay an official's acknowledgement of a convocation
// (Convocations:Acknowledge, the only write it may make), nothing else. It
// is not in Roles: no official holds it.
const RolePortal = "portal"

// RoleAttribute is the Fabric CA attribute (in the enrollment certificate)
// that carries the caller's role within its administration.
const RoleAttribute = "role"

// Roles lists every role.
var Roles = []string{RoleClerk, RoleApprover, RoleAdmin}

// SubjectTransientKey is the transient map key carrying the clear subject
// data of a document (a JSON object with a "salt") to Documents:Register
// and Documents:SetSubject.
const SubjectTransientKey = "subject"

// DocumentTypes are the kinds of document an administration may register.
var DocumentTypes = []string{"debt-extract", "permit", "civil-status", "certificate", "other"}

// Statuses of a document. A record stores only valid, revoked or
// superseded; a verdict may also say expired or not-yet-valid (derived from
// the transaction time) or unknown (no such document).
const (
	DocumentValid       = "valid"
	DocumentRevoked     = "revoked"
	DocumentSuperseded  = "superseded"
	DocumentExpired     = "expired"
	DocumentNotYetValid = "not-yet-valid"
	DocumentUnknown     = "unknown"
)

// Statuses of a subsidy grant: proposed, then approved or rejected, once.
const (
	GrantProposed = "proposed"
	GrantApproved = "approved"
	GrantRejected = "rejected"
)

// Statuses of a permission. Whether it is within its validity window is
// derived from the transaction time, not stored.
const (
	PermissionOffered = "offered"
	PermissionActive  = "active"
	PermissionRevoked = "revoked"
)

// Kinds of membership proposal: a config update that adds an
// administration to the channel, one that removes it, or one that sets a
// member's certificate revocation list (its CA's CRL) in its MSP.
const (
	MembershipAdd            = "add"
	MembershipRemove         = "remove"
	MembershipRevocationList = "revocation-list"
)

// MembershipKinds lists every kind of membership proposal.
var MembershipKinds = []string{MembershipAdd, MembershipRemove, MembershipRevocationList}

// Statuses of a membership proposal. A record stores open, applied or
// withdrawn; expired is derived from the transaction time for an open
// proposal past its expiry, never stored.
const (
	MembershipOpen      = "open"
	MembershipApplied   = "applied"
	MembershipExpired   = "expired"
	MembershipWithdrawn = "withdrawn"
)

// MembershipStatuses lists every status a listing may filter on.
var MembershipStatuses = []string{MembershipOpen, MembershipApplied, MembershipExpired, MembershipWithdrawn}

// Reasons a permission use or check is, or is not, covered by a permission;
// the refusals in the order they are tested.
const (
	ReasonCovered            = "covered by an active permission"
	ReasonNoSuchPermission   = "no such permission"
	ReasonOtherGrantee       = "permission granted to another administration"
	ReasonCategoryNotCovered = "category not covered"
	ReasonRevoked            = "permission revoked"
	ReasonNotAccepted        = "permission not accepted"
	ReasonOutsideWindow      = "outside validity window"
	ReasonSubjectNotCovered  = "subject not covered"
)

// ProfileKinds are the kinds of administration a directory profile may
// declare.
var ProfileKinds = []string{"agency", "city", "ministry", "department", "region", "other"}

// RecordKinds are the kinds of public record History:Record accepts,
// sorted.
var RecordKinds = []string{"body", "convocation", "document", "grant", "meeting", "permission", "profile", "programme"}

// Chaincode events, one per state-changing transaction.
const (
	EventProfileSet = "directory.ProfileSet"

	EventDocumentRegistered    = "documents.Registered"
	EventDocumentsRegistered   = "documents.BatchRegistered"
	EventDocumentRevoked       = "documents.Revoked"
	EventDocumentSuperseded    = "documents.Superseded"
	EventDocumentSubjectSet    = "documents.SubjectSet"
	EventDocumentSubjectPurged = "documents.SubjectPurged"

	EventConvocationBodySet = "convocations.BodySet"
	EventMeetingCreated     = "convocations.MeetingCreated"
	EventConvened           = "convocations.Convened"
	EventAcknowledged       = "convocations.Acknowledged"

	EventSubsidyProgrammeCreated = "subsidies.ProgrammeCreated"
	EventSubsidyGrantProposed    = "subsidies.GrantProposed"
	EventSubsidyGrantApproved    = "subsidies.GrantApproved"
	EventSubsidyGrantRejected    = "subsidies.GrantRejected"
	EventSubsidyPaymentRecorded  = "subsidies.PaymentRecorded"

	EventPermissionOffered     = "permissions.Offered"
	EventPermissionAccepted    = "permissions.Accepted"
	EventPermissionRevoked     = "permissions.Revoked"
	EventPermissionUseRecorded = "permissions.UseRecorded"

	EventAnchorRecorded = "anchors.Recorded"

	EventMembershipProposed  = "membership.Proposed"
	EventMembershipSigned    = "membership.Signed"
	EventMembershipApplied   = "membership.Applied"
	EventMembershipWithdrawn = "membership.Withdrawn"
)
