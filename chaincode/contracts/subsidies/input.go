package subsidies

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/currency"
	"github.com/civicledger/civicledger/chaincode/records"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// subsidyDateLayout is the layout of a programme's period dates.
const subsidyDateLayout = "2006-01-02"

// subsidyBeneficiaryPattern is the canonical undertaking identifier: an
// ISO 3166-1 alpha-2 country prefix (EL for Greece, as in VAT numbers) and
// the national VAT or business-register number, upper case, no separators.
var subsidyBeneficiaryPattern = regexp.MustCompile(`^[A-Z]{2}[A-Z0-9]{2,40}$`)

// validateSubsidyAmount checks an amount in minor units: 1..SubsidyMaxAmount.
func validateSubsidyAmount(field string, amount int64) error {
	if amount <= 0 {
		return base.InvalidArgument("%s must be positive, in minor units of the currency, got %d", field, amount)
	}
	if amount > spec.MaxSubsidyAmount {
		return base.InvalidArgument("%s %d exceeds the maximum of %d minor units", field, amount, spec.MaxSubsidyAmount)
	}
	return nil
}

// validateSubsidyCurrency checks an ISO 4217 code against currency.MinorDigits.
func validateSubsidyCurrency(code string) error {
	if _, ok := currency.MinorDigits[code]; ok {
		return nil
	}
	codes := make([]string, 0, len(currency.MinorDigits))
	for c := range currency.MinorDigits {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return base.InvalidArgument("currency %q is not one of %s", base.Clip(code), strings.Join(codes, ", "))
}

// parseSubsidyDate parses an inclusive calendar date, YYYY-MM-DD in UTC.
func parseSubsidyDate(field, value string) (time.Time, error) {
	if value == "" {
		return time.Time{}, base.InvalidArgument("%s is required: a date YYYY-MM-DD", field)
	}
	d, err := time.Parse(subsidyDateLayout, value)
	if err != nil {
		return time.Time{}, base.InvalidArgument("%s %q is not a valid date YYYY-MM-DD", field, base.Clip(value))
	}
	if err := base.CheckTimeRange(field, value, d); err != nil {
		return time.Time{}, err
	}
	return d, nil
}

// canonicalSubsidyBeneficiary returns the canonical form of an undertaking
// identifier: ASCII letters upper-cased, spaces, dots and hyphens dropped,
// so that "fr 123.456-789" and "FR123456789" are the same undertaking
// whichever administration wrote it. The result must match
// subsidyBeneficiaryPattern.
func canonicalSubsidyBeneficiary(value string) (string, error) {
	if value == "" {
		return "", base.InvalidArgument("beneficiary is required")
	}
	if len(value) > spec.MaxSubsidyBeneficiary {
		return "", base.InvalidArgument("beneficiary is too long: %d bytes, at most %d", len(value), spec.MaxSubsidyBeneficiary)
	}
	var b bytes.Buffer
	for i := 0; i < len(value); i++ {
		switch c := value[i]; {
		case c >= 'a' && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ', c == '.', c == '-':
		default:
			return "", base.InvalidArgument("beneficiary %q may contain only letters, digits, spaces, '.' and '-'", base.Clip(value))
		}
	}
	id := b.String()
	if !subsidyBeneficiaryPattern.MatchString(id) {
		return "", base.InvalidArgument("beneficiary %q is not a country code followed by 2 to 40 letters or digits", base.Clip(value))
	}
	return id, nil
}

// newSubsidyProgramme validates the CreateProgramme input and builds the
// programme of the caller's administration.
func newSubsidyProgramme(caller base.Caller, at time.Time, raw string) (*records.SubsidyProgramme, error) {
	var in records.SubsidyProgrammeInput
	if err := base.DecodeInput("programme", raw, spec.MaxSubsidyInput, &in); err != nil {
		return nil, err
	}
	if err := base.ValidateID("programme id", in.ID); err != nil {
		return nil, err
	}
	name, err := base.NormalizeText("name", in.Name, spec.MaxSubsidyName)
	if err != nil {
		return nil, err
	}
	if err := validateSubsidyAmount("budget", in.Budget); err != nil {
		return nil, err
	}
	if err := validateSubsidyCurrency(in.Currency); err != nil {
		return nil, err
	}
	legalBasis, err := base.NormalizeText("legal basis", in.LegalBasis, spec.MaxSubsidyLegalBasis)
	if err != nil {
		return nil, err
	}
	start, err := parseSubsidyDate("period start", in.PeriodStart)
	if err != nil {
		return nil, err
	}
	end, err := parseSubsidyDate("period end", in.PeriodEnd)
	if err != nil {
		return nil, err
	}
	if end.Before(start) {
		return nil, base.InvalidArgument("period end %s is before period start %s", in.PeriodEnd, in.PeriodStart)
	}
	if in.DeMinimis == nil {
		return nil, base.InvalidArgument("deMinimis is required: true if the grants count towards the de minimis ceiling")
	}
	if *in.DeMinimis && in.Currency != spec.DeMinimisCurrency {
		return nil, base.InvalidArgument("a de minimis programme must be in %s, not %s", spec.DeMinimisCurrency, in.Currency)
	}
	return &records.SubsidyProgramme{
		GrantingMSP: caller.MSPID,
		ID:          in.ID,
		Name:        name,
		Budget:      in.Budget,
		Currency:    in.Currency,
		LegalBasis:  legalBasis,
		PeriodStart: in.PeriodStart,
		PeriodEnd:   in.PeriodEnd,
		DeMinimis:   *in.DeMinimis,
		CreatedAt:   at.Format(time.RFC3339),
		CreatedBy:   caller.ID,
	}, nil
}

// parseSubsidyGrantInput validates the ProposeGrant input; the beneficiary
// comes back in canonical form and the purpose trimmed.
func parseSubsidyGrantInput(raw string) (*records.SubsidyGrantInput, error) {
	var in records.SubsidyGrantInput
	if err := base.DecodeInput("grant", raw, spec.MaxSubsidyInput, &in); err != nil {
		return nil, err
	}
	if err := base.ValidateID("programme id", in.ProgrammeID); err != nil {
		return nil, err
	}
	if err := base.ValidateID("grant id", in.GrantID); err != nil {
		return nil, err
	}
	beneficiary, err := canonicalSubsidyBeneficiary(in.Beneficiary)
	if err != nil {
		return nil, err
	}
	in.Beneficiary = beneficiary
	if err := validateSubsidyAmount("amount", in.Amount); err != nil {
		return nil, err
	}
	if in.Purpose, err = base.NormalizeText("purpose", in.Purpose, spec.MaxSubsidyPurpose); err != nil {
		return nil, err
	}
	return &in, nil
}

// parseSubsidyPaymentInput validates the RecordPayment input.
func parseSubsidyPaymentInput(raw string) (*records.SubsidyPaymentInput, error) {
	var in records.SubsidyPaymentInput
	if err := base.DecodeInput("payment", raw, spec.MaxSubsidyInput, &in); err != nil {
		return nil, err
	}
	if err := base.ValidateID("payment id", in.PaymentID); err != nil {
		return nil, err
	}
	if err := validateSubsidyAmount("amount", in.Amount); err != nil {
		return nil, err
	}
	return &in, nil
}

// validateSubsidyRef validates an (administration, id) pair passed as
// separate arguments.
func validateSubsidyRef(mspID, field, id string) error {
	if err := base.ValidateMSPID(mspID); err != nil {
		return err
	}
	return base.ValidateID(field, id)
}
