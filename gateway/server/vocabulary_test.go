package server

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/spec"
	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
)

// TestOneVocabulary checks the gateway takes the contract's facts from
// chaincode/spec rather than restating them.
func TestOneVocabulary(t *testing.T) {
	t.Run("no handler file spells a transaction name as a string literal", func(t *testing.T) {
		txLiteral := regexp.MustCompile(`^[A-Z][A-Za-z]*:[A-Z][A-Za-z]*$`)
		files, err := filepath.Glob("*.go")
		require.NoError(t, err)
		fset := token.NewFileSet()
		var found []string
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			require.NoError(t, err)
			f, err := parser.ParseFile(fset, name, src, 0)
			require.NoError(t, err)
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				if s, err := strconv.Unquote(lit.Value); err == nil && txLiteral.MatchString(s) {
					found = append(found, fset.Position(lit.Pos()).String()+" "+lit.Value)
				}
				return true
			})
		}
		require.Empty(t, found, "use the chaincode/spec constant instead")
	})

	t.Run("every document type of the chaincode has an API value and back", func(t *testing.T) {
		require.Len(t, documentTypesByName, len(spec.DocumentTypes))
		require.Len(t, documentTypes, len(apiv1.DocumentType_name)-1, "every API type but UNSPECIFIED has a chaincode name")
	})

	t.Run("every record kind of the chaincode has an API value and back", func(t *testing.T) {
		require.Len(t, recordKinds, len(spec.RecordKinds))
		require.Len(t, recordKinds, len(apiv1.RecordKind_name)-1, "every API kind but UNSPECIFIED has a chaincode name")
		require.Equal(t, "civil-status", documentTypes[apiv1.DocumentType_DOCUMENT_TYPE_CIVIL_STATUS])
		require.Equal(t, "grant", recordKinds[apiv1.RecordKind_RECORD_KIND_GRANT])
	})
}
