package spec

import (
	"fmt"
	"regexp"
)

// Transactions of the chaincode upgrade proposals: a new chaincode
// definition (version, sequence, package) that the administrations approve
// one by one and that is committed once a majority approved.
const (
	UpgradesContract      = "Upgrades"
	UpgradesPropose       = "Upgrades:Propose"
	UpgradesApprove       = "Upgrades:Approve"
	UpgradesMarkCommitted = "Upgrades:MarkCommitted"
	UpgradesGet           = "Upgrades:Get"
	UpgradesList          = "Upgrades:List"
)

// Statuses of an upgrade proposal: open until the definition is committed
// on the channel.
const (
	UpgradeOpen      = "open"
	UpgradeCommitted = "committed"
)

// UpgradeStatuses lists every status a listing may filter on.
var UpgradeStatuses = []string{UpgradeOpen, UpgradeCommitted}

// Events of the upgrade proposals.
const (
	EventUpgradeProposed  = "upgrades.Proposed"
	EventUpgradeApproved  = "upgrades.Approved"
	EventUpgradeCommitted = "upgrades.Committed"
)

// Shapes of a chaincode definition's fields, as Fabric's lifecycle accepts
// them: a chaincode name, a version, and the package id "<label>:<sha-256
// of the package>".
var (
	ChaincodeNamePattern    = regexp.MustCompile(`^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$`)
	ChaincodeVersionPattern = regexp.MustCompile(`^[A-Za-z0-9_.+-]{1,64}$`)
	PackageIDPattern        = regexp.MustCompile(`^[A-Za-z0-9_.+-]{1,128}:[0-9a-f]{64}$`)
)

// Descriptions of the shapes above, as error messages give them.
const (
	ChaincodeNameShape    = "letters and digits, groups joined by '-' or '_'"
	ChaincodeVersionShape = "letters, digits, '_', '.', '+' or '-', 1 to 64"
	PackageIDShape        = "<label>:<64 lowercase hex digits>, as `peer lifecycle chaincode calculatepackageid` prints it"
)

// CheckChaincodeVersion checks the syntax of a chaincode version.
func CheckChaincodeVersion(v string) error {
	return checkShape(v, ChaincodeVersionPattern, ChaincodeVersionShape)
}

// CheckPackageID checks the syntax of a chaincode package id.
func CheckPackageID(id string) error { return checkShape(id, PackageIDPattern, PackageIDShape) }

// UpgradeID is the id of the upgrade proposal of chaincode at sequence:
// one proposal per sequence.
func UpgradeID(chaincode string, sequence int64) string {
	return fmt.Sprintf("%s-%d", chaincode, sequence)
}

// UpgradeMajority is how many administrations' approvals a definition
// needs among members: Fabric's default LifecycleEndorsement policy,
// MAJORITY of the application organizations.
func UpgradeMajority(members int) int { return members/2 + 1 }
