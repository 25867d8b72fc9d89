package subsidies_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

func TestSubsidiesCreateProgramme(t *testing.T) {
	t.Run("an admin or an approver creates a programme of its own administration", func(t *testing.T) {
		for _, role := range []string{spec.RoleAdmin, spec.RoleApprover} {
			t.Run(role, func(t *testing.T) {
				w := newSubsidyWorld(t)
				p, err := w.sc.CreateProgramme(w.as(subsidyRegistry, role), subsidyProgrammeInput(t, map[string]any{"name": "  Digital shops "}))
				require.NoError(t, err)
				want := &records.SubsidyProgramme{
					GrantingMSP: subsidyRegistry, ID: "P1", Name: "Digital shops", Budget: 100_000_000, Currency: "EUR",
					LegalBasis: "Regional Law 12/2023, art. 4", PeriodStart: "2023-01-01", PeriodEnd: "2026-12-31",
					DeMinimis: true, CreatedAt: "2024-01-02T03:04:05Z", CreatedBy: subsidyWho(t, subsidyRegistry, role).ID,
				}
				require.Equal(t, want, p)

				var fromEvent records.SubsidyProgramme
				w.lastEvent(spec.EventSubsidyProgrammeCreated, &fromEvent)
				require.Equal(t, *want, fromEvent)
				require.Len(t, w.stub.Events(), 1)

				view, err := w.sc.GetProgramme(w.as(subsidyCouncil, spec.RoleClerk), subsidyRegistry, "P1")
				require.NoError(t, err)
				require.Equal(t, &records.SubsidyProgrammeView{Programme: want, Remaining: 100_000_000}, view)
			})
		}
	})

	t.Run("clerks and callers without a role cannot create a programme", func(t *testing.T) {
		for _, role := range []string{spec.RoleClerk, "", "superuser"} {
			w := newSubsidyWorld(t)
			_, err := w.sc.CreateProgramme(w.as(subsidyRegistry, role), subsidyProgrammeInput(t, nil))
			contracttest.RequireCode(t, base.CodePermissionDenied, err)
			require.Empty(t, w.stub.Keys())
			require.Empty(t, w.stub.Events())
		}
	})

	t.Run("a programme id is unique within an administration, not across administrations", func(t *testing.T) {
		w := newSubsidyWorld(t)
		w.programme(subsidyRegistry, "P1", 100, false)
		before := w.snapshot()
		_, err := w.sc.CreateProgramme(w.as(subsidyRegistry, spec.RoleAdmin), subsidyProgrammeInput(t, nil))
		contracttest.RequireCode(t, base.CodeAlreadyExists, err)
		w.requireUnchanged(before)

		p := w.programme(subsidyTreasury, "P1", 200, false)
		require.Equal(t, subsidyTreasury, p.GrantingMSP)
	})

	t.Run("boundary values are accepted", func(t *testing.T) {
		for name, overrides := range map[string]map[string]any{
			"a budget of one cent":                    {"budget": 1},
			"the largest budget":                      {"budget": spec.MaxSubsidyAmount},
			"a period of a single day":                {"periodStart": "2024-01-02", "periodEnd": "2024-01-02"},
			"a programme outside the de minimis rule": {"deMinimis": false, "currency": "PLN"},
			"a currency without minor units":          {"deMinimis": false, "currency": "ISK"},
			"a name of 200 characters":                {"name": strings.Repeat("é", 200)},
			"a leap day":                              {"periodStart": "2024-02-29"},
		} {
			t.Run(name, func(t *testing.T) {
				w := newSubsidyWorld(t)
				_, err := w.sc.CreateProgramme(w.as(subsidyRegistry, spec.RoleAdmin), subsidyProgrammeInput(t, overrides))
				require.NoError(t, err)
			})
		}
	})

	t.Run("malformed inputs are refused as invalid arguments and nothing is written", func(t *testing.T) {
		valid := subsidyProgrammeInput(t, nil)
		for name, input := range map[string]string{
			"an empty input":                  "",
			"a blank input":                   "  \n",
			"broken json":                     `{"id":"P1",`,
			"json that is an array":           `[` + valid + `]`,
			"json null":                       `null`,
			"a json string":                   `"P1"`,
			"trailing data":                   valid + `{}`,
			"trailing garbage":                valid + `x`,
			"an input over 16 KiB":            subsidyProgrammeInput(t, map[string]any{"legalBasis": strings.Repeat("a", 17<<10)}),
			"an unknown field":                subsidyProgrammeInput(t, map[string]any{"grantingMsp": "TreasuryMSP"}),
			"a field twice":                   strings.Replace(valid, `"budget":100000000`, `"budget":100000000,"budget":1`, 1),
			"a field in another case":         strings.Replace(valid, `"budget"`, `"Budget"`, 1),
			"a budget as a string":            subsidyProgrammeInput(t, map[string]any{"budget": "100000000"}),
			"a budget with cents as decimals": subsidyProgrammeInput(t, map[string]any{"budget": 1000.5}),
			"a budget in exponent notation":   strings.Replace(valid, `100000000`, `1e8`, 1),
			"a budget beyond int64":           strings.Replace(valid, `100000000`, `100000000000000000000`, 1),
			"a negative budget":               subsidyProgrammeInput(t, map[string]any{"budget": -1}),
			"a zero budget":                   subsidyProgrammeInput(t, map[string]any{"budget": 0}),
			"a missing budget":                subsidyProgrammeInput(t, map[string]any{"budget": nil}),
			"a budget above the maximum":      subsidyProgrammeInput(t, map[string]any{"budget": spec.MaxSubsidyAmount + 1}),
			"a null budget":                   strings.Replace(valid, `100000000`, `null`, 1),
			"a name as a number":              subsidyProgrammeInput(t, map[string]any{"name": 5}),
			"a blank name":                    subsidyProgrammeInput(t, map[string]any{"name": "  "}),
			"a name over 200 characters":      subsidyProgrammeInput(t, map[string]any{"name": strings.Repeat("n", 201)}),
			"a name with a control character": subsidyProgrammeInput(t, map[string]any{"name": "Digital\x07shops"}),
			"a missing legal basis":           subsidyProgrammeInput(t, map[string]any{"legalBasis": nil}),
			"a missing id":                    subsidyProgrammeInput(t, map[string]any{"id": nil}),
			"an id with a space":              subsidyProgrammeInput(t, map[string]any{"id": "P 1"}),
			"an id with a null byte":          subsidyProgrammeInput(t, map[string]any{"id": "P\x001"}),
			"an id over 64 characters":        subsidyProgrammeInput(t, map[string]any{"id": strings.Repeat("P", 65)}),
			"a currency in lower case":        subsidyProgrammeInput(t, map[string]any{"currency": "eur"}),
			"a currency name":                 subsidyProgrammeInput(t, map[string]any{"currency": "EURO"}),
			"an unlisted currency code":       subsidyProgrammeInput(t, map[string]any{"currency": "XXX", "deMinimis": false}),
			"a missing currency":              subsidyProgrammeInput(t, map[string]any{"currency": nil}),
			"de minimis in another currency":  subsidyProgrammeInput(t, map[string]any{"currency": "SEK"}),
			"a missing de minimis flag":       subsidyProgrammeInput(t, map[string]any{"deMinimis": nil}),
			"a de minimis flag as a string":   subsidyProgrammeInput(t, map[string]any{"deMinimis": "true"}),
			"a de minimis flag as a number":   subsidyProgrammeInput(t, map[string]any{"deMinimis": 1}),
			"a nonexistent date":              subsidyProgrammeInput(t, map[string]any{"periodEnd": "2023-02-29"}),
			"a period ending in year 9999":    subsidyProgrammeInput(t, map[string]any{"periodEnd": "9999-12-31"}),
			"a period starting in year 1800":  subsidyProgrammeInput(t, map[string]any{"periodStart": "1800-01-01"}),
			"a date without leading zeros":    subsidyProgrammeInput(t, map[string]any{"periodStart": "2023-1-1"}),
			"a date with a time":              subsidyProgrammeInput(t, map[string]any{"periodStart": "2023-01-01T00:00:00Z"}),
			"a date in another format":        subsidyProgrammeInput(t, map[string]any{"periodEnd": "31/12/2026"}),
			"a missing period start":          subsidyProgrammeInput(t, map[string]any{"periodStart": nil}),
			"a period that ends before it starts": subsidyProgrammeInput(t, map[string]any{
				"periodStart": "2024-01-02", "periodEnd": "2024-01-01"}),
		} {
			t.Run(name, func(t *testing.T) {
				w := newSubsidyWorld(t)
				_, err := w.sc.CreateProgramme(w.as(subsidyRegistry, spec.RoleAdmin), input)
				contracttest.RequireCode(t, base.CodeInvalidArgument, err)
				require.Less(t, len(err.Error()), 300, "message should not echo huge arguments: %v", err)
				require.Empty(t, w.stub.Keys())
				require.Empty(t, w.stub.Events())
			})
		}
	})

	t.Run("a refusal names the offending field", func(t *testing.T) {
		for input, want := range map[string]string{
			subsidyProgrammeInput(t, map[string]any{"budget": 1.5}):             "programme.budget must be an integer, not the number 1.5",
			subsidyProgrammeInput(t, map[string]any{"budget": -5}):              "budget must be positive",
			subsidyProgrammeInput(t, map[string]any{"colour": "red"}):           `unknown field "colour"`,
			subsidyProgrammeInput(t, map[string]any{"currency": "USD"}):         "a de minimis programme must be in EUR, not USD",
			subsidyProgrammeInput(t, map[string]any{"deMinimis": nil}):          "deMinimis is required",
			subsidyProgrammeInput(t, map[string]any{"periodEnd": "2026-13-01"}): `period end "2026-13-01" is not a valid date`,
		} {
			w := newSubsidyWorld(t)
			_, err := w.sc.CreateProgramme(w.as(subsidyRegistry, spec.RoleAdmin), input)
			require.ErrorContains(t, err, want)
		}
	})
}
