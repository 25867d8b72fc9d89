package ledgerctl

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func TestEnumWord(t *testing.T) {
	for want, tc := range map[string]struct{ name, prefix string }{
		"not-yet-valid": {apiv1.DocumentStatus_DOCUMENT_STATUS_NOT_YET_VALID.String(), "DOCUMENT_STATUS_"},
		"debt-extract":  {apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT.String(), "DOCUMENT_TYPE_"},
		"active":        {apiv1.PermissionStatus_PERMISSION_STATUS_ACTIVE.String(), "PERMISSION_STATUS_"},
		"rejected":      {apiv1.SubsidyGrantStatus_SUBSIDY_GRANT_STATUS_REJECTED.String(), "SUBSIDY_GRANT_STATUS_"},
		"unspecified":   {apiv1.DocumentType_DOCUMENT_TYPE_UNSPECIFIED.String(), "DOCUMENT_TYPE_"},
		"42":            {apiv1.DocumentType(42).String(), "DOCUMENT_TYPE_"},
	} {
		t.Run(tc.name+" prints as "+want, func(t *testing.T) {
			require.Equal(t, want, enumWord(tc.name, tc.prefix))
		})
	}
}

func TestPrintHelpers(t *testing.T) {
	t.Run("a committed change names its transaction and block", func(t *testing.T) {
		var b bytes.Buffer
		printCommitted(&b, &apiv1.Committed{TransactionId: "abc", BlockNumber: 7})
		require.Equal(t, "transaction abc (block 7)\n", b.String())
	})
	t.Run("the next page is offered only when there is one", func(t *testing.T) {
		var b bytes.Buffer
		printNextPage(&b, "")
		require.Empty(t, b.String())
		printNextPage(&b, "tok")
		require.Equal(t, "more: --page-token tok\n", b.String())
	})
	t.Run("a table aligns its columns two spaces apart", func(t *testing.T) {
		var b bytes.Buffer
		tw := newTable(&b)
		tw.Write([]byte("A\tBB\nCCC\tD\n"))
		require.NoError(t, tw.Flush())
		require.Equal(t, "A    BB\nCCC  D\n", b.String())
	})
}

func TestPrintersOfIncompleteReplies(t *testing.T) {
	// A reply without its main message (from a faulty or newer gateway)
	// prints blanks; it must never crash ledgerctl.
	for name, print := range map[string]func(){
		"a programme reply without its programme": func() { subsidyPrintProgramme(&bytes.Buffer{}, &apiv1.GetProgrammeResponse{}) },
		"a grant reply without its grant":         func() { subsidyPrintGrant(&bytes.Buffer{}, &apiv1.GetGrantResponse{}) },
		"a payment reply without its payment": func() {
			subsidyPrintPayment(&bytes.Buffer{}, &apiv1.RecordPaymentResponse{}, &apiv1.SubsidyGrant{})
		},
		"a meeting reply without its meeting": func() { convPrintMeetingCreated(&bytes.Buffer{}, &apiv1.CreateMeetingResponse{}) },
	} {
		t.Run(name, func(t *testing.T) {
			require.NotPanics(t, print)
		})
	}
}
