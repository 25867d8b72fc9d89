package subsidies_test

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/currency"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// FuzzSubsidiesArgs feeds arbitrary JSON inputs to CreateProgramme,
// ProposeGrant and RecordPayment. Each call either stores a record that
// respects every invariant or is refused with a classified error, without
// panicking and without writing anything.
func FuzzSubsidiesArgs(f *testing.F) {
	for _, seed := range [][3]string{
		{
			`{"id":"P2","name":"Shops","budget":500000,"currency":"EUR","legalBasis":"Law 1","periodStart":"2024-01-01","periodEnd":"2024-12-31","deMinimis":true}`,
			`{"programmeId":"P1","grantId":"G1","beneficiary":"fr 123","amount":100,"purpose":"Shop"}`,
			`{"paymentId":"PAY-1","amount":100}`,
		},
		{`{"id":"P2","budget":1.5}`, `{"amount":-1}`, `{"amount":1e3}`},
		{`{}`, `null`, `[]`},
		{``, `{"programmeId":"P1","grantId":"G1","beneficiary":"FR123","amount":30000001,"purpose":"x"}`, `{"paymentId":"P","amount":1000001}`},
		{`{"id":"P2","ID":"P3"}`, `{"grantId":"G1","grantId":"G2"}`, `{"paymentId":"P","amount":1}{}`},
		{`{"deMinimis":"yes"}`, `{"beneficiary":"FR\u0000123"}`, `{"paymentId":"\xff","amount":9223372036854775807}`},
		{`{"periodStart":"2024-02-30"}`, `{"purpose":"` + strings.Repeat("p", 1001) + `"}`, `{"paymentId":"` + strings.Repeat("9", 64) + `","amount":1}`},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	idPattern := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	beneficiaryPattern := regexp.MustCompile(`^[A-Z]{2}[A-Z0-9]{2,40}$`)
	classified := func(t *testing.T, err error, codes ...base.Code) {
		t.Helper()
		require.Contains(t, codes, base.CodeOf(err), "error: %v", err)
		require.True(t, strings.HasPrefix(err.Error(), string(base.CodeOf(err))+": "))
		require.True(t, utf8.ValidString(err.Error()))
	}

	f.Fuzz(func(t *testing.T, programme, grant, payment string) {
		w := newSubsidyWorld(t)

		before := w.snapshot()
		p, err := w.sc.CreateProgramme(w.as(subsidyRegistry, spec.RoleAdmin), programme)
		if err != nil {
			classified(t, err, base.CodeInvalidArgument)
			w.requireUnchanged(before)
		} else {
			require.True(t, idPattern.MatchString(p.ID))
			require.Positive(t, p.Budget)
			require.LessOrEqual(t, p.Budget, spec.MaxSubsidyAmount)
			require.Contains(t, currency.MinorDigits, p.Currency)
			require.True(t, !p.DeMinimis || p.Currency == "EUR")
			start, err := time.Parse("2006-01-02", p.PeriodStart)
			require.NoError(t, err)
			end, err := time.Parse("2006-01-02", p.PeriodEnd)
			require.NoError(t, err)
			require.False(t, end.Before(start))
			require.True(t, utf8.ValidString(p.Name) && utf8.ValidString(p.LegalBasis))
		}

		// A known programme P1 (EUR 10,000.00, de minimis) for the grant.
		if p == nil || p.ID != "P1" {
			w.programme(subsidyRegistry, "P1", 1_000_000, true)
		}
		before = w.snapshot()
		g, err := w.sc.ProposeGrant(w.as(subsidyRegistry, spec.RoleClerk), grant)
		if err != nil {
			classified(t, err, base.CodeInvalidArgument, base.CodeNotFound, base.CodeFailedPrecondition)
			w.requireUnchanged(before)
			g = w.propose(subsidyRegistry, "P1", "FUZZ", "FR123", 1_000)
		}
		require.True(t, beneficiaryPattern.MatchString(g.Beneficiary))
		require.Positive(t, g.Amount)
		view, err := w.sc.GetProgramme(w.as(subsidyCouncil, ""), subsidyRegistry, g.ProgrammeID)
		require.NoError(t, err)
		require.LessOrEqual(t, g.Amount, view.Programme.Budget)

		_, err = w.approve(subsidyTreasury, subsidyRegistry, g.GrantID)
		if err != nil {
			classified(t, err, base.CodeFailedPrecondition)
			return
		}
		before = w.snapshot()
		pay, err := w.sc.RecordPayment(w.as(subsidyRegistry, spec.RoleClerk), subsidyRegistry, g.GrantID, payment)
		if err != nil {
			classified(t, err, base.CodeInvalidArgument, base.CodeFailedPrecondition)
			w.requireUnchanged(before)
			return
		}
		require.True(t, idPattern.MatchString(pay.PaymentID))
		require.Positive(t, pay.Amount)
		require.LessOrEqual(t, pay.PaidTotal, g.Amount)
	})
}
