package subsidies_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestSubsidiesProposeGrant(t *testing.T) {
	t.Run("a clerk proposes a grant under a programme of its administration", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 100_000_000, true)
		g, err := w.sc.ProposeGrant(w.as(subsidyRegistry, spec.RoleClerk), subsidyGrantInput(t, map[string]any{"purpose": " Online shop "}))
		require.NoError(t, err)
		want := &records.SubsidyGrant{
			GrantingMSP: subsidyRegistry, ProgrammeID: "P1", GrantID: "G1", Beneficiary: "FR12345678901",
			Amount: 1_000_000, Currency: "EUR", DeMinimis: true, Purpose: "Online shop",
			Status: spec.GrantProposed, ProposedAt: "2024-01-02T03:04:05Z",
			ProposedBy: subsidyWho(t, subsidyRegistry, spec.RoleClerk).ID,
		}
		require.Equal(t, want, g)
		var fromEvent records.SubsidyGrant
		w.lastEvent(spec.EventSubsidyGrantProposed, &fromEvent)
		require.Equal(t, *want, fromEvent)
		require.Equal(t, &records.SubsidyGrantView{Grant: want, Payments: []*records.SubsidyPayment{}}, w.grant(subsidyRegistry, "G1"))
	})

	t.Run("an admin may propose too, an approver or a caller without a role may not", func(t *testing.T) {
		for role, ok := range map[string]bool{spec.RoleAdmin: true, spec.RoleApprover: false, "": false} {
			w := newSubsidyWorld(t)
			w.programme(subsidyRegistry, "P1", 100_000_000, true)
			before := w.snapshot()
			_, err := w.sc.ProposeGrant(w.as(subsidyRegistry, role), subsidyGrantInput(t, nil))
			if ok {
				require.NoError(t, err)
				continue
			}
			contracttest.RequireCode(t, base.CodePermissionDenied, err)
			w.requireUnchanged(before)
		}
	})

	t.Run("another administration's clerk cannot propose under the programme: it is looked up in the caller's own administration", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 100_000_000, true)
		before := w.snapshot()
		_, err := w.sc.ProposeGrant(w.as(subsidyTreasury, spec.RoleClerk), subsidyGrantInput(t, nil))
		contracttest.RequireCode(t, base.CodeNotFound, err)
		require.ErrorContains(t, err, "no programme P1 of TreasuryMSP")
		w.requireUnchanged(before)
	})

	t.Run("a proposal writes only the grant and its index, never a programme-wide key", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 100_000_000, true)
		before := w.stub.Keys()
		w.propose(subsidyRegistry, "P1", "G1", "FR12345678901", 100)
		added := subsidyNewKeys(before, w.stub.Keys())
		require.ElementsMatch(t, []string{"subsidy.grant", "subsidy.grant-id"}, subsidyKeyTypes(t, w.stub, added))
	})

	t.Run("proposals are accepted only within the programme period, whole days in utc", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			at   time.Time
			ok   bool
		}{
			{"the first instant of the first day", subsidyDay(2023, 1, 1), true},
			{"the last nanosecond of the last day", subsidyDay(2027, 1, 1).Add(-time.Nanosecond), true},
			{"the last nanosecond before the period", subsidyDay(2023, 1, 1).Add(-time.Nanosecond), false},
			{"the first instant after the last day", subsidyDay(2027, 1, 1), false},
			{"years later", subsidyDay(2030, 6, 1), false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := newSubsidyWorld(t)
				w.programme(subsidyRegistry, "P1", 100_000_000, true)
				before := w.snapshot()
				_, err := w.at(tc.at).sc.ProposeGrant(w.as(subsidyRegistry, spec.RoleClerk), subsidyGrantInput(t, nil))
				if tc.ok {
					require.NoError(t, err)
					return
				}
				contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
				require.ErrorContains(t, err, "programme P1 runs from 2023-01-01 to 2026-12-31")
				w.requireUnchanged(before)
			})
		}
	})

	t.Run("amounts that no approval could accept are refused at once", func(t *testing.T) {
		for _, tc := range []struct {
			name      string
			budget    int64
			deMinimis bool
			amount    int64
			want      string
		}{
			{"a grant above the whole budget", 500_000, false, 500_001, "grant of EUR 5,000.01 is above the whole budget of programme P1, EUR 5,000.00"},
			{"a de minimis grant above the ceiling on its own", 100_000_000, true, 30_000_001,
				"de minimis ceiling exceeded: this grant of EUR 300,000.01 alone is above EUR 300,000.00"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := newSubsidyWorld(t)
				w.programme(subsidyRegistry, "P1", tc.budget, tc.deMinimis)
				_, err := w.sc.ProposeGrant(w.as(subsidyRegistry, spec.RoleClerk), subsidyGrantInput(t, map[string]any{"amount": tc.amount}))
				contracttest.RequireCode(t, base.CodeFailedPrecondition, err)
				require.ErrorContains(t, err, tc.want)

				w.propose(subsidyRegistry, "P1", "G2", "FR12345678901", tc.amount-1)
			})
		}
	})

	t.Run("a grant id is unique within the administration, across its programmes", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 100_000_000, true)
		w.programme(subsidyRegistry, "P2", 100_000_000, false)
		w.propose(subsidyRegistry, "P1", "G1", "FR12345678901", 100)
		before := w.snapshot()
		_, err := w.sc.ProposeGrant(w.as(subsidyRegistry, spec.RoleClerk), subsidyGrantInput(t, map[string]any{"programmeId": "P2"}))
		contracttest.RequireCode(t, base.CodeAlreadyExists, err)
		w.requireUnchanged(before)
	})

	t.Run("a proposal under an unknown programme is not found", func(t *testing.T) {
		w := newSubsidyWorld(t)
		_, err := w.sc.ProposeGrant(w.as(subsidyRegistry, spec.RoleClerk), subsidyGrantInput(t, nil))
		contracttest.RequireCode(t, base.CodeNotFound, err)
	})

	t.Run("the beneficiary is stored in canonical form", func(t *testing.T) {
		for input, want := range map[string]string{
			"FR12345678901":                "FR12345678901",
			"fr 123 456 789 01":            "FR12345678901",
			"DE-123.456.789":               "DE123456789",
			"NL123456789B01":               "NL123456789B01",
			" it 12 ":                      "IT12",
			"EL" + strings.Repeat("9", 40): "EL" + strings.Repeat("9", 40),
		} {
			w := newSubsidyWorld(t)
			w.programme(subsidyRegistry, "P1", 100_000_000, true)
			g := w.propose(subsidyRegistry, "P1", "G1", input, 100)
			require.Equal(t, want, g.Beneficiary, "input %q", input)
		}
	})

	t.Run("malformed inputs are refused as invalid arguments and nothing is written", func(t *testing.T) {
		valid := subsidyGrantInput(t, nil)
		for name, input := range map[string]string{
			"an empty input":                       "",
			"broken json":                          `{"grantId":`,
			"a json array":                         `[]`,
			"trailing data":                        valid + ` []`,
			"an unknown field":                     subsidyGrantInput(t, map[string]any{"grantingMsp": "TreasuryMSP"}),
			"an amount as a string":                subsidyGrantInput(t, map[string]any{"amount": "1000000"}),
			"an amount with decimals":              subsidyGrantInput(t, map[string]any{"amount": 10.25}),
			"a negative amount":                    subsidyGrantInput(t, map[string]any{"amount": -100}),
			"a zero amount":                        subsidyGrantInput(t, map[string]any{"amount": 0}),
			"a missing amount":                     subsidyGrantInput(t, map[string]any{"amount": nil}),
			"a huge amount":                        subsidyGrantInput(t, map[string]any{"amount": spec.MaxSubsidyAmount + 1}),
			"an amount beyond int64":               strings.Replace(valid, `1000000`, `9223372036854775808`, 1),
			"a boolean amount":                     subsidyGrantInput(t, map[string]any{"amount": true}),
			"a missing grant id":                   subsidyGrantInput(t, map[string]any{"grantId": nil}),
			"a grant id with a slash":              subsidyGrantInput(t, map[string]any{"grantId": "G/1"}),
			"a missing programme id":               subsidyGrantInput(t, map[string]any{"programmeId": ""}),
			"a missing beneficiary":                subsidyGrantInput(t, map[string]any{"beneficiary": nil}),
			"a beneficiary without country code":   subsidyGrantInput(t, map[string]any{"beneficiary": "12345678901"}),
			"a beneficiary too short":              subsidyGrantInput(t, map[string]any{"beneficiary": "FR1"}),
			"a beneficiary too long":               subsidyGrantInput(t, map[string]any{"beneficiary": "FR" + strings.Repeat("1", 41)}),
			"a beneficiary with an underscore":     subsidyGrantInput(t, map[string]any{"beneficiary": "FR_123456"}),
			"a beneficiary with a non-ascii digit": subsidyGrantInput(t, map[string]any{"beneficiary": "FR١٢٣٤"}),
			"a beneficiary of only separators":     subsidyGrantInput(t, map[string]any{"beneficiary": " .-. "}),
			"a beneficiary of 1000 bytes":          subsidyGrantInput(t, map[string]any{"beneficiary": strings.Repeat("A", 1000)}),
			"a missing purpose":                    subsidyGrantInput(t, map[string]any{"purpose": nil}),
			"a purpose over 1000 characters":       subsidyGrantInput(t, map[string]any{"purpose": strings.Repeat("p", 1001)}),
			"a purpose that is not utf-8":          strings.Replace(valid, "bakery", "bak\xffery", 1),
		} {
			t.Run(name, func(t *testing.T) {
				w := newSubsidyWorld(t)
				w.programme(subsidyRegistry, "P1", 100_000_000, true)
				before := w.snapshot()
				_, err := w.sc.ProposeGrant(w.as(subsidyRegistry, spec.RoleClerk), input)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				require.Less(t, len(err.Error()), 300, "message should not echo huge arguments: %v", err)
				w.requireUnchanged(before)
			})
		}
	})
}
