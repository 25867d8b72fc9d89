package permissions_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestPermissionQueries(t *testing.T) {
	a := newPermActors(t)

	t.Run("get reads a permission and refuses malformed or unknown ones", func(t *testing.T) {
		stub := a.permActive(t, nil)
		p, err := permContract.Get(contracttest.TxContext(stub), "RegistryMSP", "p-1")
		require.NoError(t, err)
		require.Equal(t, spec.PermissionActive, p.Status)

		for name, tc := range map[string]struct {
			owner, id string
			code      base.Code
		}{
			"a malformed owner": {"a b", "p-1", base.CodeInvalidArgument},
			"a malformed id":    {"RegistryMSP", "p-1\x00", base.CodeInvalidArgument},
			"an unknown id":     {"RegistryMSP", "p-2", base.CodeNotFound},
			"the grantee's id":  {"TreasuryMSP", "p-1", base.CodeNotFound},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := permContract.Get(contracttest.TxContext(stub), tc.owner, tc.id)
				contracttest.RequireCode(t, tc.code, err)
			})
		}

		stub.GetStateErr = errors.New("disk on fire")
		_, err = permContract.Get(contracttest.TxContext(stub), "RegistryMSP", "p-1")
		contracttest.RequireCode(t, base.CodeInternal, err)
	})

	t.Run("list by owner pages through the owner's permissions only, in id order", func(t *testing.T) {
		stub := a.ledger(t)
		for i := 5; i >= 1; i-- {
			permOffer(t, stub, a.regApprover, map[string]any{"id": fmt.Sprintf("p-%d", i)})
		}
		permOffer(t, stub, a.coApprover, map[string]any{"id": "p-9", "grantee": "RegistryMSP"})

		var ids []string
		bookmark, pages := "", 0
		for {
			page, err := permContract.ListByOwner(contracttest.TxContext(stub), "RegistryMSP", "2", bookmark)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page.Permissions), 2)
			for _, p := range page.Permissions {
				require.Equal(t, "RegistryMSP", p.Owner)
				ids = append(ids, p.ID)
			}
			pages++
			if page.Bookmark == "" {
				break
			}
			require.NotContains(t, page.Bookmark, "\x00", "bookmarks must be passable on a command line")
			bookmark = page.Bookmark
		}
		require.Equal(t, []string{"p-1", "p-2", "p-3", "p-4", "p-5"}, ids)
		require.Equal(t, 3, pages)
		require.Zero(t, stub.OpenIterators())
	})

	t.Run("an empty list is an empty array", func(t *testing.T) {
		stub := a.ledger(t)
		page, err := permContract.ListByOwner(contracttest.TxContext(stub), "CouncilMSP", "100", "")
		require.NoError(t, err)
		require.NotNil(t, page.Permissions)
		require.Empty(t, page.Permissions)
		require.Empty(t, page.Bookmark)
		uses, err := permContract.ListUsesBySubject(contracttest.TxContext(stub), permSubjectA, "1", "")
		require.NoError(t, err)
		require.NotNil(t, uses.Uses)
		invalid, err := permContract.ListInvalidUses(contracttest.TxContext(stub), "1", "")
		require.NoError(t, err)
		require.NotNil(t, invalid.Uses)
	})

	t.Run("a citizen's uses list oldest first, and only theirs", func(t *testing.T) {
		stub := a.permActive(t, nil)
		start := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
		// Recorded out of order, and across a change of the number of
		// fractional digits, which must not change the order.
		for i, offset := range []time.Duration{3 * time.Hour, time.Hour, 2*time.Hour + 500*time.Millisecond, 2 * time.Hour} {
			permAt(stub, start.Add(offset), fmt.Sprintf("use-%d", i))
			permRecordUse(t, stub, a.trClerk, map[string]any{"purpose": fmt.Sprintf("case %d", i)})
		}
		permAt(stub, start, "other")
		permRecordUse(t, stub, a.trClerk, map[string]any{"subjectRef": permSubjectB})

		var purposes []string
		bookmark := ""
		for {
			page, err := permContract.ListUsesBySubject(contracttest.TxContext(stub), permSubjectA, "3", bookmark)
			require.NoError(t, err)
			for _, u := range page.Uses {
				require.Equal(t, permSubjectA, u.SubjectRef)
				purposes = append(purposes, u.Purpose)
			}
			if bookmark = page.Bookmark; bookmark == "" {
				break
			}
		}
		require.Equal(t, []string{"case 1", "case 3", "case 2", "case 0"}, purposes)
	})

	t.Run("auditors list only the uses without a valid permission", func(t *testing.T) {
		stub := a.permActive(t, map[string]any{"subjectRef": permSubjectA})
		permAt(stub, fakestub.DefaultTxTime.Add(time.Minute), "ok")
		permRecordUse(t, stub, a.trClerk, nil)
		permAt(stub, fakestub.DefaultTxTime.Add(2*time.Minute), "bad-subject")
		bad1 := permRecordUse(t, stub, a.trClerk, map[string]any{"subjectRef": permSubjectB})
		permAt(stub, fakestub.DefaultTxTime.Add(3*time.Minute), "bad-caller")
		bad2 := permRecordUse(t, stub, a.coApprover, nil)

		page, err := permContract.ListInvalidUses(contracttest.TxContext(stub), "100", "")
		require.NoError(t, err)
		require.Equal(t, []*records.PermissionUse{bad1, bad2}, page.Uses)
	})

	t.Run("page sizes outside 1 to 100 are refused", func(t *testing.T) {
		stub := a.ledger(t)
		for _, n := range []string{"-1", "101", "1073741824", "ten", "+5", " 5", "1.5"} {
			_, err := permContract.ListByOwner(contracttest.TxContext(stub), "RegistryMSP", n, "")
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			_, err = permContract.ListUsesBySubject(contracttest.TxContext(stub), permSubjectA, n, "")
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			_, err = permContract.ListInvalidUses(contracttest.TxContext(stub), n, "")
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		}
	})

	t.Run("bookmarks not issued for the list are refused, so a forged one cannot list other entries", func(t *testing.T) {
		stub := a.ledger(t)
		permOffer(t, stub, a.regApprover, nil)
		permOffer(t, stub, a.coApprover, map[string]any{"grantee": "RegistryMSP"})
		enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
		coKey := permKey(t, stub, "CouncilMSP", "p-1")
		for name, bookmark := range map[string]string{
			"not base64":                     "%%%",
			"a raw key":                      permKey(t, stub, "RegistryMSP", "p-1"),
			"the start of the whole ledger":  enc("\x00"),
			"a key of another owner":         enc(coKey),
			"a key of another kind of entry": enc("\x00profile\x00RegistryMSP\x00"),
			"standard base64 with padding":   base64.StdEncoding.EncodeToString([]byte(coKey)),
		} {
			t.Run(name, func(t *testing.T) {
				_, err := permContract.ListByOwner(contracttest.TxContext(stub), "RegistryMSP", "10", bookmark)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				require.Less(t, len(err.Error()), 300)
			})
		}
		_, err := permContract.ListUsesBySubject(contracttest.TxContext(stub), permSubjectA, "10", enc(permKey(t, stub, "RegistryMSP", "p-1")))
		contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		_, err = permContract.ListInvalidUses(contracttest.TxContext(stub), "10", enc("\x00permissionUse\x00"))
		contracttest.RequireCode(t, base.CodeInvalidArgument, err)
	})

	t.Run("malformed query arguments are refused", func(t *testing.T) {
		stub := a.ledger(t)
		_, err := permContract.ListByOwner(contracttest.TxContext(stub), "", "10", "")
		contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		for _, subject := range []string{"", strings.Repeat("a", 63), strings.Repeat("A", 63), strings.Repeat("G", 64)} {
			_, err = permContract.ListUsesBySubject(contracttest.TxContext(stub), subject, "10", "")
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
		}
		_, err = permContract.ListUsesBySubject(contracttest.TxContext(stub), strings.Repeat("A", 64), "10", "")
		require.NoError(t, err, "a subject reference in upper case is a subject reference")
	})

	t.Run("range failures surface as internal errors", func(t *testing.T) {
		for name, fail := range map[string]func(*fakestub.Stub){
			"a failing range":    func(s *fakestub.Stub) { s.RangeErr = errors.New("disk on fire") },
			"a failing iterator": func(s *fakestub.Stub) { s.NextErr = errors.New("disk on fire") },
		} {
			t.Run(name, func(t *testing.T) {
				stub := a.permActive(t, nil)
				permRecordUse(t, stub, a.coApprover, nil)
				fail(stub)
				_, err := permContract.ListByOwner(contracttest.TxContext(stub), "RegistryMSP", "10", "")
				contracttest.RequireCode(t, base.CodeInternal, err)
				_, err = permContract.ListUsesBySubject(contracttest.TxContext(stub), permSubjectA, "10", "")
				contracttest.RequireCode(t, base.CodeInternal, err)
				_, err = permContract.ListInvalidUses(contracttest.TxContext(stub), "10", "")
				contracttest.RequireCode(t, base.CodeInternal, err)
				require.Zero(t, stub.OpenIterators())
			})
		}
	})
}
