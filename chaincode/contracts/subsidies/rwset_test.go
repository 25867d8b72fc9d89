package subsidies_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// record runs one transaction as role of msp and returns its read-write set.
func (w *subsidyWorld) record(msp, role string, tx func(*base.TxContext) error) contracttest.RWSet {
	w.t.Helper()
	ctx, rw := contracttest.Recorded(w.stub.As(subsidyWho(w.t, msp, role)))
	require.NoError(w.t, tx(ctx))
	return *rw
}

// subsidyReadable renders composite keys as "type/attr/attr", sorted.
func subsidyReadable(keys []string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, strings.Join(strings.Split(strings.Trim(k, "\x00"), "\x00"), "/"))
	}
	slices.Sort(out)
	return out
}

func TestSubsidiesKeyLayout(t *testing.T) {
	w := newSubsidyWorld(t)
	w.programme(subsidyRegistry, "P1", 100_000_000, true)
	w.programme(subsidyRegistry, "P2", 100_000_000, true)
	sc := w.sc
	propose := func(programmeID, grantID, beneficiary string) contracttest.RWSet {
		return w.record(subsidyRegistry, spec.RoleClerk, func(ctx *base.TxContext) error {
			_, err := sc.ProposeGrant(ctx, subsidyGrantInput(t, map[string]any{"programmeId": programmeID, "grantId": grantID, "beneficiary": beneficiary}))
			return err
		})
	}
	approve := func(grantID string) contracttest.RWSet {
		return w.record(subsidyTreasury, spec.RoleApprover, func(ctx *base.TxContext) error {
			_, err := sc.ApproveGrant(ctx, subsidyRegistry, grantID)
			return err
		})
	}
	pay := func(grantID, paymentID string) contracttest.RWSet {
		return w.record(subsidyRegistry, spec.RoleClerk, func(ctx *base.TxContext) error {
			_, err := sc.RecordPayment(ctx, subsidyRegistry, grantID, `{"paymentId":"`+paymentID+`","amount":1}`)
			return err
		})
	}

	proposeA := propose("P1", "A", "FR111")
	proposeB := propose("P1", "B", "FR222")
	propose("P2", "C", "FR333")
	proposeD := propose("P2", "D", "FR111")
	approveA := approve("A")
	approveB := approve("B")
	approveC := approve("C")
	approveD := approve("D")
	payA1, payA2, payB := pay("A", "1"), pay("A", "2"), pay("B", "1")

	t.Run("a proposal reads the immutable programme and writes only its own grant", func(t *testing.T) {
		require.Equal(t, []string{"subsidy.grant-id/RegistryMSP/A", "subsidy.programme/RegistryMSP/P1"}, subsidyReadable(proposeA.Reads))
		require.Empty(t, proposeA.Ranges)
		require.Equal(t, []string{"subsidy.grant-id/RegistryMSP/A", "subsidy.grant/RegistryMSP/P1/A"}, subsidyReadable(proposeA.Writes))
	})

	t.Run("an approval reads its programme's total and its beneficiary's aid range only", func(t *testing.T) {
		require.Equal(t, []string{
			"subsidy.budget/RegistryMSP/P1", "subsidy.grant-id/RegistryMSP/A",
			"subsidy.grant/RegistryMSP/P1/A", "subsidy.programme/RegistryMSP/P1",
		}, subsidyReadable(approveA.Reads))
		require.Equal(t, []string{"subsidy.aid/FR111"}, subsidyReadable(approveA.Ranges))
		require.Len(t, approveA.Writes, 3)
		require.Equal(t, []string{"subsidy.budget/RegistryMSP/P1", "subsidy.grant/RegistryMSP/P1/A"}, subsidyReadable(approveA.Writes)[1:])
		require.True(t, strings.HasPrefix(subsidyReadable(approveA.Writes)[0], "subsidy.aid/FR111/2024-01-02T03:04:05.000000000Z/RegistryMSP/A"))
	})

	t.Run("which transactions could invalidate one another if endorsed concurrently", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			a, b     contracttest.RWSet
			conflict bool
		}{
			{"two proposals in one programme", proposeA, proposeB, false},
			{"a proposal and an approval in the same programme", proposeB, approveA, false},
			{"a proposal and an approval for the same undertaking", proposeD, approveA, false},
			{"approvals in different programmes for different undertakings", approveA, approveC, false},
			{"approvals in one programme, serialised by the budget", approveA, approveB, true},
			{"approvals for one undertaking, serialised by the ceiling", approveA, approveD, true},
			{"payments on different grants", payA1, payB, false},
			{"payments on one grant, serialised by its payments total", payA1, payA2, true},
			{"a payment and an approval of another grant", payA1, approveB, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				require.Equal(t, tc.conflict, tc.a.Conflicts(tc.b))
			})
		}
	})

	t.Run("the programme is written once and never again", func(t *testing.T) {
		key := contracttest.MustKey(t, w.stub, "subsidy.programme", subsidyRegistry, "P1")
		it, err := w.stub.GetHistoryForKey(key)
		require.NoError(t, err)
		defer it.Close()
		n := 0
		for it.HasNext() {
			_, err := it.Next()
			require.NoError(t, err)
			n++
		}
		require.Equal(t, 1, n)
	})
}
