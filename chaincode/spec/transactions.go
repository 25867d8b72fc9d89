package spec

// Contract names: the prefix of each transaction name, "<Contract>:<Tx>".
const (
	DirectoryContract    = "Directory"
	DocumentsContract    = "Documents"
	ConvocationsContract = "Convocations"
	SubsidiesContract    = "Subsidies"
	PermissionsContract  = "Permissions"
	HistoryContract      = "History"
	AnchorsContract      = "Anchors"
	MembershipContract   = "Membership"
)

// Transactions of the directory of administrations.
const (
	DirectorySetProfile   = "Directory:SetProfile"
	DirectoryGetProfile   = "Directory:GetProfile"
	DirectoryListProfiles = "Directory:ListProfiles"
)

// Transactions of the register of documents.
const (
	DocumentsRegister      = "Documents:Register"
	DocumentsRegisterBatch = "Documents:RegisterBatch"
	DocumentsRevoke        = "Documents:Revoke"
	DocumentsSupersede     = "Documents:Supersede"
	DocumentsGet           = "Documents:Get"
	DocumentsVerify        = "Documents:Verify"
	DocumentsVerifyHash    = "Documents:VerifyHash"
	DocumentsListByIssuer  = "Documents:ListByIssuer"
	DocumentsHistory       = "Documents:History"
	DocumentsSetSubject    = "Documents:SetSubject"
	DocumentsGetSubject    = "Documents:GetSubject"
	DocumentsPurgeSubject  = "Documents:PurgeSubject"
)

// Transactions of the convocations of elected officials.
const (
	ConvocationsSetBody        = "Convocations:SetBody"
	ConvocationsCreateMeeting  = "Convocations:CreateMeeting"
	ConvocationsConvene        = "Convocations:Convene"
	ConvocationsAcknowledge    = "Convocations:Acknowledge"
	ConvocationsGetBody        = "Convocations:GetBody"
	ConvocationsGetMeeting     = "Convocations:GetMeeting"
	ConvocationsGetConvocation = "Convocations:GetConvocation"
	ConvocationsSummary        = "Convocations:Summary"
	ConvocationsListMeetings   = "Convocations:ListMeetings"
)

// Transactions of the subsidies.
const (
	SubsidiesCreateProgramme = "Subsidies:CreateProgramme"
	SubsidiesProposeGrant    = "Subsidies:ProposeGrant"
	SubsidiesApproveGrant    = "Subsidies:ApproveGrant"
	SubsidiesRejectGrant     = "Subsidies:RejectGrant"
	SubsidiesRecordPayment   = "Subsidies:RecordPayment"
	SubsidiesGetProgramme    = "Subsidies:GetProgramme"
	SubsidiesGetGrant        = "Subsidies:GetGrant"
	SubsidiesListGrants      = "Subsidies:ListGrants"
	SubsidiesAidReceived     = "Subsidies:AidReceived"
)

// Transactions of the access permissions.
const (
	PermissionsOffer             = "Permissions:Offer"
	PermissionsAccept            = "Permissions:Accept"
	PermissionsRevoke            = "Permissions:Revoke"
	PermissionsRecordUse         = "Permissions:RecordUse"
	PermissionsCheck             = "Permissions:Check"
	PermissionsGet               = "Permissions:Get"
	PermissionsListByOwner       = "Permissions:ListByOwner"
	PermissionsListUsesBySubject = "Permissions:ListUsesBySubject"
	PermissionsListInvalidUses   = "Permissions:ListInvalidUses"
)

// Transactions of the record history and of the anchored Merkle roots.
const (
	HistoryRecord = "History:Record"
	AnchorsAnchor = "Anchors:Anchor"
	AnchorsGet    = "Anchors:Get"
)

// Transactions of the membership proposals: channel config updates that
// add or remove an administration, and the admins' signatures over them.
const (
	MembershipPropose     = "Membership:Propose"
	MembershipSign        = "Membership:Sign"
	MembershipMarkApplied = "Membership:MarkApplied"
	MembershipWithdraw    = "Membership:Withdraw"
	MembershipGet         = "Membership:Get"
	MembershipList        = "Membership:List"
)

// Transactions lists every transaction the chaincode exposes; a chaincode
// test checks it against the assembled chaincode's metadata.
var Transactions = []string{
	DirectorySetProfile, DirectoryGetProfile, DirectoryListProfiles,
	DocumentsRegister, DocumentsRegisterBatch, DocumentsRevoke, DocumentsSupersede, DocumentsGet, DocumentsVerify,
	DocumentsVerifyHash, DocumentsListByIssuer, DocumentsHistory,
	DocumentsSetSubject, DocumentsGetSubject, DocumentsPurgeSubject,
	ConvocationsSetBody, ConvocationsCreateMeeting, ConvocationsConvene, ConvocationsAcknowledge,
	ConvocationsGetBody, ConvocationsGetMeeting, ConvocationsGetConvocation,
	ConvocationsSummary, ConvocationsListMeetings,
	SubsidiesCreateProgramme, SubsidiesProposeGrant, SubsidiesApproveGrant, SubsidiesRejectGrant,
	SubsidiesRecordPayment, SubsidiesGetProgramme, SubsidiesGetGrant, SubsidiesListGrants,
	SubsidiesAidReceived,
	PermissionsOffer, PermissionsAccept, PermissionsRevoke, PermissionsRecordUse, PermissionsCheck,
	PermissionsGet, PermissionsListByOwner, PermissionsListUsesBySubject, PermissionsListInvalidUses,
	HistoryRecord, AnchorsAnchor, AnchorsGet,
	MembershipPropose, MembershipSign, MembershipMarkApplied, MembershipWithdraw,
	MembershipGet, MembershipList,
	UpgradesPropose, UpgradesApprove, UpgradesMarkCommitted, UpgradesGet, UpgradesList,
}

// TxName returns the name of a contract's transaction within it: "Register"
// for "Documents:Register". The chaincode declares its read-only
// transactions by these short names.
func TxName(tx string) string {
	for i := 0; i < len(tx); i++ {
		if tx[i] == ':' {
			return tx[i+1:]
		}
	}
	return tx
}
