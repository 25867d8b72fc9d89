package ledgerctl

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

func TestReadArg(t *testing.T) {
	t.Run("a value is taken inline or read from @file", func(t *testing.T) {
		got, err := readArg(`{"salt":"s"}`)
		require.NoError(t, err)
		require.Equal(t, `{"salt":"s"}`, string(got))
		got, err = readArg("@" + writeTestFile(t, "subject.json", "from file\n"))
		require.NoError(t, err)
		require.Equal(t, "from file\n", string(got))
	})
	t.Run("a missing @file is an error", func(t *testing.T) {
		_, err := readArg("@/nonexistent/subject.json")
		require.Error(t, err)
	})
}

func TestHashFile(t *testing.T) {
	t.Run("a file hashes to the hex SHA-256 of its bytes", func(t *testing.T) {
		got, err := hashFile(writeTestFile(t, "doc.pdf", "test"))
		require.NoError(t, err)
		require.Equal(t, testHash, got)
	})
	t.Run("an empty file hashes too", func(t *testing.T) {
		got, err := hashFile(writeTestFile(t, "empty", ""))
		require.NoError(t, err)
		require.Equal(t, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", got)
	})
	t.Run("a missing file is an error", func(t *testing.T) {
		_, err := hashFile("/nonexistent/doc.pdf")
		require.Error(t, err)
	})
}

func TestDocumentsParseType(t *testing.T) {
	for in, want := range map[string]apiv1.DocumentType{
		"debt-extract":              apiv1.DocumentType_DOCUMENT_TYPE_DEBT_EXTRACT,
		"Civil-Status":              apiv1.DocumentType_DOCUMENT_TYPE_CIVIL_STATUS,
		"DOCUMENT_TYPE_PERMIT":      apiv1.DocumentType_DOCUMENT_TYPE_PERMIT,
		"certificate":               apiv1.DocumentType_DOCUMENT_TYPE_CERTIFICATE,
		"other":                     apiv1.DocumentType_DOCUMENT_TYPE_OTHER,
		"unspecified":               0,
		"DOCUMENT_TYPE_UNSPECIFIED": 0,
		"passport":                  0,
	} {
		t.Run("type "+in+" is read or refused", func(t *testing.T) {
			got, err := documentsParseType(in)
			if want == 0 {
				require.EqualError(t, err, `unknown document type "`+in+`": debt-extract, permit, civil-status, certificate or other`)
				return
			}
			require.NoError(t, err)
			require.Equal(t, want, got)
		})
	}
}

func TestDocumentsRegisterChecks(t *testing.T) {
	runRefusals(t, map[string]refusal{
		"a fact without '=' is refused": {
			args: []string{"documents", "register", "--fact", "proceedings"}, want: `--fact "proceedings": want NAME=VALUE`,
		},
		"a --sha256 that is not the file's is refused": {
			args: []string{"documents", "register", "--sha256", "00", "--file", writeTestFile(t, "doc", "test")},
			want: "--sha256 00 is not the SHA-256 of",
		},
		"an unknown type is refused": {
			args: []string{"documents", "register", "--type", "passport"}, want: `unknown document type "passport"`,
		},
		"verify-hash wants a hash or a file, not both": {
			args: []string{"documents", "verify-hash", testHash, "--file", "x"}, want: "give either a SHA-256 or --file",
		},
	})
}

func TestDocumentsRegisterDefaults(t *testing.T) {
	g := startFakeGateway(t)
	t.Run("a registration without a start of validity starts now", func(t *testing.T) {
		g.reply("RegisterDocument", `{"document":`+testDocument+`,`+testCommitted+`}`)
		_, err := g.run("documents", "register", "--id", "X", "--type", "permit", "--sha256", testHash, "--subject-ref", testSubjectRef)
		require.NoError(t, err)
		g.mu.Lock()
		req := g.requests["RegisterDocument"][0].(*apiv1.RegisterDocumentRequest)
		g.mu.Unlock()
		require.NotEmpty(t, req.ValidFrom)
		require.True(t, strings.HasSuffix(req.ValidFrom, "Z"), req.ValidFrom)
	})
}
