package spec

// Listings: the page size a caller may ask for, and the one it gets when it
// asks for none ("" or 0).
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Limits of documents. Sizes are in bytes, lengths in characters.
const (
	MaxDocumentInput = 16 << 10 // the Register JSON
	// MaxDocumentBatch is how many registrations one Documents:RegisterBatch
	// carries at most, and MaxDocumentBatchInput the size of its JSON.
	MaxDocumentBatch      = 500
	MaxDocumentBatchInput = 4 << 20
	MaxDocumentSubject    = 4 << 10 // the transient subject data
	MaxDocumentKeyFacts   = 16
	MaxDocumentFactValue  = 128
	MaxDocumentReason     = 500 // a revocation's reason
)

// Limits of convocations. Sizes are in bytes, lengths in characters; 500
// recipients take about 120 KiB of compact JSON.
const (
	MaxConvocationClearDays   = 30
	MaxMeetingAgendaHashes    = 200
	MaxConveneRecipients      = 500
	MaxConvocationBodyName    = 200
	MaxMeetingPlace           = 300
	MaxAckTokenLength         = 512
	MaxConvocationBodyInput   = 4 << 10
	MaxMeetingInput           = 64 << 10
	MaxConveneRecipientsInput = 256 << 10
)

// Limits of subsidies. Lengths are in characters, amounts in minor units of
// the currency (cents for EUR).
const (
	MaxSubsidyName        = 200
	MaxSubsidyLegalBasis  = 500
	MaxSubsidyPurpose     = 1000
	MaxSubsidyReason      = 1000
	MaxSubsidyBeneficiary = 64
	MaxSubsidyInput       = 16 << 10 // bytes of a JSON argument
	// MaxSubsidyAmount bounds every budget and amount (EUR 10 trillion),
	// so that no sum the contract computes can overflow an int64.
	MaxSubsidyAmount int64 = 1_000_000_000_000_000
	// DeMinimisCeiling is the aid one undertaking may receive over any
	// rolling three years under Regulation (EU) 2023/2831: EUR 300,000.
	DeMinimisCeiling int64 = 30_000_000
	// DeMinimisCurrency is the currency of the ceiling and of every de
	// minimis programme.
	DeMinimisCurrency = "EUR"
	// DeMinimisYears is the length of the rolling window.
	DeMinimisYears = 3
)

// Limits of permissions, in characters unless stated otherwise.
const (
	MaxPermissionPurpose    = 500
	MaxPermissionLegalBasis = 200
	MaxPermissionReason     = 500
	MaxPermissionInput      = 16 << 10 // bytes of a JSON argument
)

// Limits of anchors and of the directory.
const (
	// MaxAnchorSize is the largest batch a root may stand for (2^20
	// leaves, gateway/proofs/merkle.MaxLeaves).
	MaxAnchorSize     = 1 << 20
	MaxAnchorLabel    = 200     // characters
	MaxAnchorInput    = 2 << 10 // bytes of the Anchor JSON
	MaxDisplayName    = 200     // characters of a profile's display name
	MaxProfileContact = 200     // characters of a profile's contact
)

// Limits of membership proposals.
const (
	// MaxMembershipDays is the longest a proposal stays open for
	// signatures: past it, the config it was computed against has likely
	// moved on, and it is proposed again.
	MaxMembershipDays = 30
	// MaxMembershipUpdate is the largest marshalled config update (bytes):
	// an added administration's MSP with a few CA certificates and its
	// consenter's TLS certificates takes about 10 KiB.
	MaxMembershipUpdate = 256 << 10
	// MaxMembershipInput is the largest Propose JSON (bytes): the update in
	// base64 and a few short fields.
	MaxMembershipInput = MaxMembershipUpdate/3*4 + 4<<10
	// MaxMembershipSignature is the largest marshalled ConfigSignature
	// (bytes): a certificate chain, a nonce and an ECDSA signature.
	MaxMembershipSignature = 16 << 10
)
