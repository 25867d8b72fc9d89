package index_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

func valid(id, function string, writes map[string]any) fakeTx {
	return fakeTx{id: id, function: function, msp: "RegistryMSP", code: peer.TxValidationCode_VALID, writes: writes}
}

func TestRegisters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "index.db")
	x := open(t, path)
	defer x.Close()
	const subject = "5ub1ec7aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	meeting := records.Meeting{OwnerMSP: "RegistryMSP", ID: "2026-12-10-council", BodyID: "council", StartsAt: "2026-12-10T18:00:00+01:00",
		Place: "Lorient", TimeZone: "Europe/Paris", ClearDays: 5, Deadline: "2026-12-04", CreatedAt: "2026-12-01T08:00:00Z"}
	conv := func(id, sentAt string, onTime bool) records.Convocation {
		return records.Convocation{OwnerMSP: "RegistryMSP", MeetingID: meeting.ID, ID: id, RecipientRef: subject,
			MessageHash: "feedface", AckTokenHash: "abcd", SentAt: sentAt, OnTime: onTime}
	}
	c1, c2 := conv("c1", "2026-12-02T08:00:00Z", true), conv("c2", "2026-12-07T08:00:00Z", false)
	require.NoError(t, apply(t, x, 0,
		valid("tx-body", "Convocations:SetBody", map[string]any{key("convocation.body", "RegistryMSP", "council"): records.ConvocationBody{
			OwnerMSP: "RegistryMSP", ID: "council", Name: "Conseil communautaire", ClearDays: 5, TimeZone: "Europe/Paris"}}),
		valid("tx-meeting", "Convocations:CreateMeeting", map[string]any{key("convocation.meeting", "RegistryMSP", meeting.ID): meeting}),
		valid("tx-c1", "Convocations:Convene", map[string]any{key("convocation.item", "RegistryMSP", meeting.ID, "c1"): c1}),
		valid("tx-c2", "Convocations:Convene", map[string]any{key("convocation.item", "RegistryMSP", meeting.ID, "c2"): c2}),
		valid("tx-prog", "Subsidies:CreateProgramme", map[string]any{key("subsidy.programme", "TreasuryMSP", "p1"): records.SubsidyProgramme{
			GrantingMSP: "TreasuryMSP", ID: "p1", Name: "Green shops", Budget: 100000, Currency: "EUR", DeMinimis: true}}),
		valid("tx-g1", "Subsidies:ProposeGrant", map[string]any{key("subsidy.grant", "TreasuryMSP", "p1", "g1"): records.SubsidyGrant{
			GrantingMSP: "TreasuryMSP", ProgrammeID: "p1", GrantID: "g1", Beneficiary: "CHE-123.456.789", Amount: 5000, Currency: "EUR",
			DeMinimis: true, Status: "proposed", ProposedBy: "x509::CN=clerk"}}),
		valid("tx-perm", "Permissions:Offer", map[string]any{key("permission", "RegistryMSP", "perm-1"): records.Permission{
			ID: "perm-1", Owner: "RegistryMSP", Grantee: "TreasuryMSP", Category: "tax-records", Purpose: "audit",
			SubjectRef: subject, Status: "offered", OfferedBy: "x509::CN=clerk"}}),
		valid("tx-prop", "Membership:Propose", map[string]any{key("membershipProposal", "p-1"): records.MembershipProposal{
			ID: "p-1", Kind: "remove", SubjectMSPID: "CouncilMSP", Status: "applied", ProposedBy: "RegistryMSP", AppliedAt: "2026-12-05T10:00:00Z",
			Signatures: []*records.MembershipSignature{{MSPID: "TreasuryMSP", SignerCertID: "x509::CN=admin-official", SignedAt: "2026-12-04T10:00:00Z"}}}}),
	))
	c1.AcknowledgedAt = "2026-12-03T10:00:00Z"
	g1 := records.SubsidyGrant{GrantingMSP: "TreasuryMSP", ProgrammeID: "p1", GrantID: "g1", Beneficiary: "CHE-123.456.789", Amount: 5000,
		Currency: "EUR", DeMinimis: true, Status: "approved", DecidedByMSP: "CouncilMSP", DecidedAt: "2026-12-03T10:00:00Z", PaidTotal: 2000}
	require.NoError(t, apply(t, x, 1,
		valid("tx-ack", "Convocations:Acknowledge", map[string]any{key("convocation.item", "RegistryMSP", meeting.ID, "c1"): c1}),
		valid("tx-approve", "Subsidies:ApproveGrant", map[string]any{key("subsidy.grant", "TreasuryMSP", "p1", "g1"): g1}),
	))

	t.Run("a meeting's line counts convened, acknowledged, on time and days late", func(t *testing.T) {
		rows, info, err := x.Meetings(ctx, "", index.Page{Limit: 10})
		require.NoError(t, err)
		require.Len(t, rows, 1)
		m := rows[0]
		require.Equal(t, "Conseil communautaire", m.BodyName)
		require.Equal(t, []int{2, 1, 1, 1, 3}, []int{m.Convened, m.Acknowledged, m.OnTime, m.Late, m.MaxDaysLate})
		require.False(t, info.HasNext)
		require.False(t, info.HasPrev)
	})
	t.Run("programmes and grants show the decision and payments", func(t *testing.T) {
		progs, err := x.Programmes(ctx)
		require.NoError(t, err)
		require.Len(t, progs, 1)
		require.Equal(t, int64(5000), progs[0].ApprovedTotal)
		require.Equal(t, int64(2000), progs[0].PaidTotal)
		grants, _, err := x.Grants(ctx, "TreasuryMSP", index.Page{Limit: 10})
		require.NoError(t, err)
		require.Len(t, grants, 1)
		require.Equal(t, "approved", grants[0].Status)
		require.Equal(t, "CouncilMSP", grants[0].DecidedByMSP)
		require.Equal(t, "Green shops", grants[0].ProgrammeName)
		aid, err := x.DeMinimis(ctx, "2023-12-03T00:00:00Z")
		require.NoError(t, err)
		require.Equal(t, []index.AidRow{{Beneficiary: "CHE-123.456.789", Currency: "EUR", Total: 5000, Grants: 1, Administrations: 1}}, aid)
		aid, err = x.DeMinimis(ctx, "2026-12-04T00:00:00Z")
		require.NoError(t, err)
		require.Empty(t, aid, "a grant decided before the window does not count")
	})
	t.Run("a permission for one person says so without the reference", func(t *testing.T) {
		rows, _, err := x.Permissions(ctx, "", index.Page{Limit: 10})
		require.NoError(t, err)
		require.Len(t, rows, 1)
		require.True(t, rows[0].OneSubject)
	})
	t.Run("a proposal keeps the signing administrations, not the officials", func(t *testing.T) {
		ps, err := x.Proposals(ctx)
		require.NoError(t, err)
		require.Len(t, ps, 1)
		require.Equal(t, []index.ProposalSignature{{MSPID: "TreasuryMSP", SignedAt: "2026-12-04T10:00:00Z"}}, ps[0].Signatures)
	})
	t.Run("the index file holds no subject reference, message hash or official's id", func(t *testing.T) {
		require.NoError(t, x.Close())
		for _, f := range []string{path, path + "-wal"} {
			raw, err := os.ReadFile(f)
			if os.IsNotExist(err) {
				continue
			}
			require.NoError(t, err)
			for _, secret := range []string{subject, "feedface", "admin-official", "CN=clerk"} {
				require.NotContains(t, string(raw), secret, f)
			}
		}
		x = open(t, path)
	})
}

func TestKeysetPaging(t *testing.T) {
	ctx := context.Background()
	x := open(t, filepath.Join(t.TempDir(), "index.db"))
	defer x.Close()
	var txs []fakeTx
	for i := range 7 {
		id := fmt.Sprintf("perm-%d", i)
		txs = append(txs, valid("tx-"+id, "Permissions:Offer", map[string]any{key("permission", "RegistryMSP", id): records.Permission{
			ID: id, Owner: "RegistryMSP", Grantee: "TreasuryMSP", Category: "c", Status: "offered"}}))
	}
	require.NoError(t, apply(t, x, 0, txs...))
	ids := func(rows []index.PermissionRow) string {
		var s []string
		for _, r := range rows {
			s = append(s, r.ID[5:])
		}
		return strings.Join(s, ",")
	}
	p1, i1, err := x.Permissions(ctx, "", index.Page{Limit: 3})
	require.NoError(t, err)
	require.Equal(t, "0,1,2", ids(p1))
	require.True(t, i1.HasNext)
	require.False(t, i1.HasPrev)
	p2, i2, err := x.Permissions(ctx, "", index.Page{After: i1.Last, Limit: 3})
	require.NoError(t, err)
	require.Equal(t, "3,4,5", ids(p2))
	require.True(t, i2.HasNext)
	require.True(t, i2.HasPrev)
	p3, i3, err := x.Permissions(ctx, "", index.Page{After: i2.Last, Limit: 3})
	require.NoError(t, err)
	require.Equal(t, "6", ids(p3))
	require.False(t, i3.HasNext)
	back, ib, err := x.Permissions(ctx, "", index.Page{Before: i3.First, Limit: 3})
	require.NoError(t, err)
	require.Equal(t, "3,4,5", ids(back))
	require.True(t, ib.HasPrev)
	require.True(t, ib.HasNext)
	first, ifirst, err := x.Permissions(ctx, "", index.Page{Before: []string{"RegistryMSP", "perm-2"}, Limit: 3})
	require.NoError(t, err)
	require.Equal(t, "0,1", ids(first))
	require.False(t, ifirst.HasPrev)
}

func TestCachedAnswersFollowBlocks(t *testing.T) {
	ctx := context.Background()
	x := open(t, filepath.Join(t.TempDir(), "index.db"))
	defer x.Close()
	profile := func(msp, name string) map[string]any {
		return map[string]any{key("profile", msp): records.Profile{MSPID: msp, DisplayName: name, Kind: "agency"}}
	}
	document := func(id string) map[string]any {
		return map[string]any{key("document", "RegistryMSP", id): doc(id, "revoked", "")}
	}
	require.NoError(t, apply(t, x, 0, valid("tx-1", "Directory:SetProfile", profile("RegistryMSP", "Registry")),
		valid("tx-d1", "Documents:Revoke", document("d1"))))
	count := func() int {
		_, _, n, err := x.Documents(ctx, index.DocumentFilter{Status: "revoked", Page: index.Page{Limit: 10}})
		require.NoError(t, err)
		return n
	}
	m, err := x.Members(ctx)
	require.NoError(t, err)
	require.Len(t, m, 1)
	require.Equal(t, 1, count())
	require.Equal(t, 1, count(), "from the cache")

	require.NoError(t, apply(t, x, 1, valid("tx-2", "Directory:SetProfile", profile("TreasuryMSP", "Treasury")),
		valid("tx-d2", "Documents:Revoke", document("d2"))))
	m, err = x.Members(ctx)
	require.NoError(t, err)
	require.Len(t, m, 2, "a new block drops the cached members")
	require.Equal(t, 2, count(), "and the cached counts")
	m[0].DisplayName = "changed by a caller"
	again, err := x.Members(ctx)
	require.NoError(t, err)
	require.Equal(t, "Registry", again[0].DisplayName, "callers get a copy")
}
