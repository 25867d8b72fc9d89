package permissions_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/contracts/permissions"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// Subject references used by the permission tests.
var (
	permSubjectA = strings.Repeat("a", 64)
	permSubjectB = strings.Repeat("b", 64)
)

// permActors are the callers of the permission tests: Registry owns the
// data, Treasury is the grantee, Council a third administration.
type permActors struct {
	regAdmin, regApprover, regClerk fakestub.Identity
	trAdmin, trApprover, trClerk    fakestub.Identity
	coAdmin, coApprover             fakestub.Identity
	noRole, oddRole                 fakestub.Identity
}

func newPermActors(t *testing.T) permActors {
	return permActors{
		regAdmin:    fakestub.NewIdentity(t, "RegistryMSP", "reg-admin", spec.RoleAdmin),
		regApprover: fakestub.NewIdentity(t, "RegistryMSP", "reg-approver", spec.RoleApprover),
		regClerk:    fakestub.NewIdentity(t, "RegistryMSP", "reg-clerk", spec.RoleClerk),
		trAdmin:     fakestub.NewIdentity(t, "TreasuryMSP", "tr-admin", spec.RoleAdmin),
		trApprover:  fakestub.NewIdentity(t, "TreasuryMSP", "tr-approver", spec.RoleApprover),
		trClerk:     fakestub.NewIdentity(t, "TreasuryMSP", "tr-clerk", spec.RoleClerk),
		coAdmin:     fakestub.NewIdentity(t, "CouncilMSP", "co-admin", spec.RoleAdmin),
		coApprover:  fakestub.NewIdentity(t, "CouncilMSP", "co-approver", spec.RoleApprover),
		noRole:      fakestub.NewIdentity(t, "TreasuryMSP", "nobody", ""),
		oddRole:     fakestub.NewIdentity(t, "TreasuryMSP", "root", "superuser"),
	}
}

// ledger returns a ledger on which the three administrations are members.
func (a permActors) ledger(t *testing.T) *fakestub.Stub {
	t.Helper()
	return contracttest.MemberLedger(t, a.regAdmin, a.trAdmin, a.coAdmin)
}

// permOfferFields are the fields of a valid offer from Registry to
// Treasury, valid during 2024 (the fake stub's time is 2024-01-02).
func permOfferFields() map[string]any {
	return map[string]any{
		"id":         "p-1",
		"grantee":    "TreasuryMSP",
		"category":   "tax-income",
		"purpose":    "Means test for the housing benefit",
		"legalBasis": "Housing Act, art. 12",
		"validFrom":  "2024-01-01T00:00:00Z",
		"validUntil": "2025-01-01T00:00:00Z",
	}
}

// permUseFields are the fields of a use of Registry's p-1 about subject A.
func permUseFields() map[string]any {
	return map[string]any{
		"ownerMSP":     "RegistryMSP",
		"permissionId": "p-1",
		"subjectRef":   permSubjectA,
		"purpose":      "Housing benefit application 2024-117",
	}
}

var permContract = permissions.New()

func permOffer(t *testing.T, stub *fakestub.Stub, id fakestub.Identity, changes map[string]any) *records.Permission {
	t.Helper()
	p, err := permContract.Offer(contracttest.TxContext(stub.As(id)), contracttest.JSONWith(t, permOfferFields(), changes))
	require.NoError(t, err)
	return p
}

func permAccept(t *testing.T, stub *fakestub.Stub, id fakestub.Identity, pid string) *records.Permission {
	t.Helper()
	p, err := permContract.Accept(contracttest.TxContext(stub.As(id)), "RegistryMSP", pid)
	require.NoError(t, err)
	return p
}

func permRecordUse(t *testing.T, stub *fakestub.Stub, id fakestub.Identity, changes map[string]any) *records.PermissionUse {
	t.Helper()
	u, err := permContract.RecordUse(contracttest.TxContext(stub.As(id)), contracttest.JSONWith(t, permUseFields(), changes))
	require.NoError(t, err)
	return u
}

// permActive returns a ledger with the permission p-1 of Registry to
// Treasury offered and accepted, with the offer changed by changes.
func (a permActors) permActive(t *testing.T, changes map[string]any) *fakestub.Stub {
	t.Helper()
	stub := a.ledger(t)
	p := permOffer(t, stub, a.regApprover, changes)
	permAccept(t, stub, a.trApprover, p.ID)
	return stub
}

// permAt sets the transaction time and id of the next transaction.
func permAt(stub *fakestub.Stub, at time.Time, txID string) *fakestub.Stub {
	stub.SetTxTime(timestamppb.New(at))
	stub.SetTxID(txID)
	return stub
}

// permWrittenBy lists the keys that transaction txID wrote, from history.
func permWrittenBy(t *testing.T, stub *fakestub.Stub, txID string) []string {
	t.Helper()
	var out []string
	for _, key := range stub.Keys() {
		it, err := stub.GetHistoryForKey(key)
		require.NoError(t, err)
		for it.HasNext() {
			m, err := it.Next()
			require.NoError(t, err)
			if m.TxId == txID {
				out = append(out, key)
				break
			}
		}
		require.NoError(t, it.Close())
	}
	return out
}

// permKey is the ledger key of permission id of owner.
func permKey(t *testing.T, stub *fakestub.Stub, owner, id string) string {
	t.Helper()
	return contracttest.MustKey(t, stub, "permission", owner, id)
}
