package permissions_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/directory"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/contracts/permissions"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// FuzzPermissionsArgs checks that any JSON inputs of Offer and RecordUse
// either store a well-formed entry or are refused with a classified error
// and no write, without panicking; and that a recorded use is never refused
// for lack of a valid permission.
func FuzzPermissionsArgs(f *testing.F) {
	offer := contracttest.JSONWith(f, permOfferFields(), nil)
	use := contracttest.JSONWith(f, permUseFields(), nil)
	for _, seed := range [][2]string{
		{offer, use},
		{"", ""},
		{"{}", "{}"},
		{"null", "[]"},
		{`{"id":1}`, `{"subjectRef":null}`},
		{strings.Replace(offer, `"id"`, `"ID"`, 1), strings.Replace(use, `"purpose"`, `"purpose":"x","purpose"`, 1)},
		{contracttest.JSONWith(f, permOfferFields(), map[string]any{"subjectRef": strings.Repeat("a", 64)}), contracttest.JSONWith(f, permUseFields(), map[string]any{"category": "tax-income"})},
		{contracttest.JSONWith(f, permOfferFields(), map[string]any{"grantee": "NobodyMSP"}), contracttest.JSONWith(f, permUseFields(), map[string]any{"permissionId": "p-2"})},
		{contracttest.JSONWith(f, permOfferFields(), map[string]any{"validFrom": "2025-01-01T00:00:00Z"}), use + "x"},
		{offer[:len(offer)-1], "\xff"},
	} {
		f.Add(seed[0], seed[1])
	}
	owner := fakestub.NewIdentity(f, "RegistryMSP", "reg", spec.RoleApprover)
	grantee := fakestub.NewIdentity(f, "TreasuryMSP", "tr", spec.RoleClerk)
	admins := []fakestub.Identity{
		fakestub.NewIdentity(f, "RegistryMSP", "reg-admin", spec.RoleAdmin),
		fakestub.NewIdentity(f, "TreasuryMSP", "tr-admin", spec.RoleAdmin),
	}
	dir := directory.New()
	c := permissions.New()

	f.Fuzz(func(t *testing.T, offerInput, useInput string) {
		stub := fakestub.New()
		for _, id := range admins {
			_, err := dir.SetProfile(contracttest.TxContext(stub.As(id)), "Admin", "agency", "a@example.org")
			require.NoError(t, err)
		}

		before := contracttest.Snapshot(stub)
		p, err := c.Offer(contracttest.TxContext(stub.As(owner)), offerInput)
		if err != nil {
			code := base.CodeOf(err)
			require.Contains(t, []base.Code{base.CodeInvalidArgument, base.CodeNotFound}, code, "error: %v", err)
			contracttest.RequireUnchanged(t, stub, before)
		} else {
			require.Equal(t, "RegistryMSP", p.Owner)
			require.Equal(t, "TreasuryMSP", p.Grantee)
			require.Equal(t, spec.PermissionOffered, p.Status)
			require.LessOrEqual(t, utf8.RuneCountInString(p.Purpose), 500)
			from, err := time.Parse(time.RFC3339Nano, p.ValidFrom)
			require.NoError(t, err)
			until, err := time.Parse(time.RFC3339Nano, p.ValidUntil)
			require.NoError(t, err)
			require.True(t, from.Before(until), "from %s, until %s", p.ValidFrom, p.ValidUntil)
			got, err := c.Get(contracttest.TxContext(stub), p.Owner, p.ID)
			require.NoError(t, err)
			require.Equal(t, p, got)
		}

		before = contracttest.Snapshot(stub)
		stub.SetTxID("use")
		u, err := c.RecordUse(contracttest.TxContext(stub.As(grantee)), useInput)
		if err != nil {
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			contracttest.RequireUnchanged(t, stub, before)
			return
		}
		require.NotEmpty(t, u.Reason)
		require.Equal(t, "TreasuryMSP", u.Grantee)
		require.Equal(t, "use", u.ID)
		page, err := c.ListUsesBySubject(contracttest.TxContext(stub), u.SubjectRef, "10", "")
		require.NoError(t, err)
		require.Len(t, page.Uses, 1)
		require.Equal(t, u, page.Uses[0])
		var echoed records.PermissionUse
		require.NoError(t, json.Unmarshal(contracttest.LastEvent(t, stub).Payload, &echoed))
		require.Equal(t, *u, echoed)
	})
}
