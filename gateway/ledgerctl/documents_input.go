package ledgerctl

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// Requests of the documents commands built from their flags.

// documentsRegistrationFlags lays the flags that were set over r, hashes
// --file and defaults the start of validity to now.
func documentsRegistrationFlags(cmd *cobra.Command, r, flags *apiv1.RegisterDocumentRequest, docType, file string, facts []string) error {
	set := cmd.Flags().Changed
	for name, pair := range map[string][2]*string{
		"id": {&r.Id, &flags.Id}, "sha256": {&r.Sha256, &flags.Sha256}, "valid-from": {&r.ValidFrom, &flags.ValidFrom},
		"valid-until": {&r.ValidUntil, &flags.ValidUntil}, "subject-ref": {&r.SubjectRef, &flags.SubjectRef},
	} {
		if set(name) {
			*pair[0] = *pair[1]
		}
	}
	if len(facts) > 0 {
		r.KeyFacts = map[string]string{}
		for _, f := range facts {
			name, value, ok := strings.Cut(f, "=")
			if !ok {
				return fmt.Errorf("--fact %q: want NAME=VALUE", f)
			}
			r.KeyFacts[name] = value
		}
	}
	if set("type") {
		t, err := documentsParseType(docType)
		if err != nil {
			return err
		}
		r.Type = t
	}
	if file != "" {
		sum, err := hashFile(file)
		if err != nil {
			return err
		}
		if r.Sha256 != "" && !strings.EqualFold(r.Sha256, sum) {
			return fmt.Errorf("--sha256 %s is not the SHA-256 of %s (%s)", r.Sha256, file, sum)
		}
		r.Sha256 = sum
	}
	if r.ValidFrom == "" {
		r.ValidFrom = time.Now().UTC().Format(time.RFC3339)
	}
	return nil
}

// documentsParseType reads "debt-extract" (or DOCUMENT_TYPE_DEBT_EXTRACT).
func documentsParseType(s string) (apiv1.DocumentType, error) {
	name := strings.ToUpper(strings.ReplaceAll(s, "-", "_"))
	if !strings.HasPrefix(name, "DOCUMENT_TYPE_") {
		name = "DOCUMENT_TYPE_" + name
	}
	v, ok := apiv1.DocumentType_value[name]
	if !ok || v == 0 {
		return 0, fmt.Errorf("unknown document type %q: debt-extract, permit, civil-status, certificate or other", s)
	}
	return apiv1.DocumentType(v), nil
}
