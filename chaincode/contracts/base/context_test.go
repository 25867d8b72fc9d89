package base_test

import (
	"errors"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestTxContext(t *testing.T) {
	t.Run("the caller is read from the certificate: msp id, role attribute and client id", func(t *testing.T) {
		id := fakestub.NewIdentity(t, "CouncilMSP", "erin", spec.RoleApprover)
		c, err := contracttest.TxContext(fakestub.New().As(id)).Caller()
		require.NoError(t, err)
		require.Equal(t, base.Caller{MSPID: "CouncilMSP", Role: "approver", ID: id.ID}, c)
	})

	t.Run("a certificate without the role attribute yields an empty role", func(t *testing.T) {
		c, err := contracttest.TxContext(fakestub.New().As(fakestub.NewIdentity(t, "CouncilMSP", "erin", ""))).Caller()
		require.NoError(t, err)
		require.Empty(t, c.Role)
	})

	t.Run("the identity the contract API parsed is used without parsing the certificate again", func(t *testing.T) {
		id := fakestub.NewIdentity(t, "CouncilMSP", "erin", spec.RoleApprover)
		stub := fakestub.New().As(id)
		parsed, err := cid.New(stub)
		require.NoError(t, err)
		ctx := contracttest.TxContext(stub)
		ctx.SetClientIdentity(parsed)
		stub.CreatorErr = errors.New("must not be read again")
		c, err := ctx.Caller()
		require.NoError(t, err)
		require.Equal(t, base.Caller{MSPID: "CouncilMSP", Role: "approver", ID: id.ID}, c)
	})

	t.Run("a failed parse by the contract API is reported as the caller's error", func(t *testing.T) {
		stub := fakestub.New()
		stub.CreatorErr = errors.New("no creator")
		parsed, err := cid.New(stub)
		require.Error(t, err)
		ctx := contracttest.TxContext(stub)
		ctx.SetClientIdentity(parsed)
		_, err = ctx.Caller()
		contracttest.RequireCode(t, base.CodePermissionDenied, err)
	})

	t.Run("the caller is derived once per transaction", func(t *testing.T) {
		stub := fakestub.New().As(fakestub.NewIdentity(t, "CouncilMSP", "erin", spec.RoleClerk))
		ctx := contracttest.TxContext(stub)
		first, err := ctx.Caller()
		require.NoError(t, err)
		stub.CreatorErr = errors.New("must not be read again")
		again, err := ctx.Caller()
		require.NoError(t, err)
		require.Equal(t, first, again)
	})

	t.Run("an unreadable or missing creator is refused", func(t *testing.T) {
		for name, stub := range map[string]*fakestub.Stub{
			"a failing GetCreator": func() *fakestub.Stub { s := fakestub.New(); s.CreatorErr = errors.New("boom"); return s }(),
			"no creator":           fakestub.New(),
			"a garbage creator":    fakestub.New().As(fakestub.Identity{Creator: []byte{0xff, 0x01}}),
		} {
			t.Run(name, func(t *testing.T) {
				_, err := contracttest.TxContext(stub).Caller()
				contracttest.RequireCode(t, base.CodePermissionDenied, err)
			})
		}
	})

	t.Run("RequireRole admits only the listed roles", func(t *testing.T) {
		for _, tc := range []struct {
			name    string
			role    string
			allowed []string
			ok      bool
		}{
			{"an admin where admins are allowed", "admin", []string{"admin"}, true},
			{"an approver among approvers and admins", "approver", []string{"approver", "admin"}, true},
			{"a clerk where only admins are allowed", "clerk", []string{"admin"}, false},
			{"no role where clerks are allowed", "", []string{"clerk"}, false},
			{"any role when no role is listed", "admin", nil, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				stub := fakestub.New().As(fakestub.NewIdentity(t, "CouncilMSP", "erin", tc.role))
				c, err := contracttest.TxContext(stub).RequireRole(tc.allowed...)
				if tc.ok {
					require.NoError(t, err)
					require.Equal(t, tc.role, c.Role)
					return
				}
				require.Error(t, err)
				require.Equal(t, base.Caller{}, c)
			})
		}
	})

	t.Run("the transaction time is the proposal timestamp in utc", func(t *testing.T) {
		stub := fakestub.New()
		at := time.Date(2025, 2, 3, 4, 5, 6, 7, time.FixedZone("X", -7200))
		stub.SetTxTime(timestamppb.New(at))
		got, err := contracttest.TxContext(stub).TxTime()
		require.NoError(t, err)
		require.True(t, got.Equal(at))
		require.Equal(t, time.UTC, got.Location())
	})
}
