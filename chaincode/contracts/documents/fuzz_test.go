package documents_test

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/contracts/base"
	"github.com/civicledger/civicledger/chaincode/contracts/directory"
	"github.com/civicledger/civicledger/chaincode/contracts/documents"
	"github.com/civicledger/civicledger/chaincode/contracts/internal/contracttest"
	"github.com/civicledger/civicledger/chaincode/internal/fakestub"
	"github.com/civicledger/civicledger/chaincode/spec"
)

// FuzzDocumentsRegister checks that any registration input either stores a
// well-formed document that reads back identically, or is refused as
// INVALID_ARGUMENT with nothing written, without panicking.
func FuzzDocumentsRegister(f *testing.F) {
	hash := strings.Repeat("ab", 32)
	for _, seed := range []string{
		`{"id":"EXT-1","type":"debt-extract","sha256":"` + hash + `","keyFacts":{"total":"CHF 10"},"validFrom":"2024-01-01T00:00:00Z","validUntil":"2024-06-01T00:00:00Z","subjectRef":"` + hash + `"}`,
		`{"id":"b","type":"civil-status","sha256":"` + hash + `","validFrom":"2024-01-01T00:00:00+02:00","subjectRef":"` + hash + `"}`,
		`{"id":"c","type":"permit","sha256":"` + hash + `","keyFacts":null,"validFrom":"2024-01-01T00:00:00.123Z","validUntil":"","subjectRef":"` + hash + `"}`,
		`{"id":"d","type":"other","sha256":"` + hash + `","keyFacts":{"a":"é\u0000"},"validFrom":"2024-01-01T00:00:00Z","subjectRef":"` + hash + `"}`,
		`{"id":"e","ID":"f","type":"other","sha256":"` + hash + `","validFrom":"2024-01-01T00:00:00Z","subjectRef":"` + hash + `"}`,
		`{"id":"g","type":"other","sha256":"` + hash + `","validFrom":"2024-05-01T00:00:00Z","validUntil":"2024-01-01T00:00:00Z","subjectRef":"` + hash + `"}`,
		`{"id":1}`, `{"keyFacts":[]}`, `[]`, `null`, `{`, ``, `{"x":1}`, `{"id":"a"} {}`, "{\"id\":\"\xff\"}",
	} {
		f.Add(seed)
	}
	p := docPeopleForFuzz(f)
	docs := documents.New()
	idPattern := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	hexPattern := regexp.MustCompile(`^[0-9a-f]{64}$`)

	f.Fuzz(func(t *testing.T, input string) {
		stub := fakestub.New()
		for _, id := range []fakestub.Identity{p[2], p[1]} {
			_, err := directory.New().SetProfile(contracttest.TxContext(stub.As(id)), "Administration", "agency", "x@example.org")
			require.NoError(t, err)
		}
		keys := len(stub.Keys())
		d, err := docs.Register(contracttest.TxContext(stub.As(p[0])), input)
		if err != nil {
			contracttest.RequireCode(t, base.CodeInvalidArgument, err)
			require.Len(t, stub.Keys(), keys, "a refused registration writes nothing")
			return
		}
		require.Len(t, stub.Keys(), keys+3, "the record and two indexes")
		require.Equal(t, "RegistryMSP", d.Issuer)
		require.Regexp(t, idPattern, d.ID)
		require.Contains(t, spec.DocumentTypes, d.Type)
		require.Regexp(t, hexPattern, d.SHA256)
		require.Regexp(t, hexPattern, d.SubjectRef)
		require.LessOrEqual(t, len(d.KeyFacts), 16)
		for k, v := range d.KeyFacts {
			require.LessOrEqual(t, len(k), 32)
			require.True(t, utf8.ValidString(v))
			require.LessOrEqual(t, utf8.RuneCountInString(v), 128)
		}
		from, err := time.Parse(time.RFC3339, d.ValidFrom)
		require.NoError(t, err)
		if d.ValidUntil != "" {
			until, err := time.Parse(time.RFC3339, d.ValidUntil)
			require.NoError(t, err)
			require.True(t, from.Before(until))
		}
		got, err := docs.Get(contracttest.TxContext(stub.As(p[1])), d.Issuer, d.ID)
		require.NoError(t, err)
		require.Equal(t, d, got)
		v, err := docs.Verify(contracttest.TxContext(stub.As(p[1])), d.Issuer, d.ID)
		require.NoError(t, err)
		require.NotEqual(t, spec.DocumentUnknown, v.Status)
	})
}

// docPeopleForFuzz returns a Registry clerk, a Treasury admin and a
// Registry admin.
func docPeopleForFuzz(f *testing.F) [3]fakestub.Identity {
	return [3]fakestub.Identity{
		fakestub.NewIdentity(f, "RegistryMSP", "rita", spec.RoleClerk),
		fakestub.NewIdentity(f, "TreasuryMSP", "theo", spec.RoleAdmin),
		fakestub.NewIdentity(f, "RegistryMSP", "rudi", spec.RoleAdmin),
	}
}
