package index

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/chaincode/spec"
)

// Every page of the documents register seeks its rows in the index made
// for its filter, forward, back and from the start: never a walk of an
// issuer's documents for the few a filter selects; a brief (HTML) page
// reads them from that index alone.
func TestDocumentPagesSeekTheirIndex(t *testing.T) {
	ctx := context.Background()
	x, err := Open(ctx, filepath.Join(t.TempDir(), "index.db"))
	require.NoError(t, err)
	defer x.Close()
	want := map[[3]bool]string{ // issuer, type, status
		{false, false, false}: "PRIMARY KEY", {true, false, false}: "PRIMARY KEY",
		{true, true, true}: "INDEX documents_filter", {true, true, false}: "INDEX documents_type",
		{true, false, true}: "INDEX documents_status", {false, true, false}: "INDEX documents_type",
		{false, false, true}: "INDEX documents_status", {false, true, true}: "INDEX documents_",
	}
	for shape, index := range want {
		for _, status := range []string{spec.DocumentRevoked, spec.DocumentValid, spec.DocumentExpired} {
			f := DocumentFilter{Now: time.Now()}
			if shape[0] {
				f.Issuer = "TreasuryMSP"
			}
			if shape[1] {
				f.Type = "permit"
			}
			if shape[2] {
				f.Status = status
			}
			for i, p := range []Page{{}, {After: []string{"TreasuryMSP", "D1"}}, {Before: []string{"TreasuryMSP", "D1"}}, {After: []string{"AMSP", "D1"}}} {
				f.Page, f.Page.Limit, f.Brief = p, 50, i%2 == 0
				var plan []string
				x.explain = func(query string, args []any) {
					rows, err := x.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
					require.NoError(t, err)
					defer rows.Close()
					for rows.Next() {
						var id, parent, unused int
						var detail string
						require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
						plan = append(plan, detail)
					}
				}
				_, _, _, err := x.Documents(ctx, f)
				require.NoError(t, err)
				name := fmt.Sprintf("%+v", f)
				require.Len(t, plan, 1, name)
				if index == "PRIMARY KEY" && plan[0] == "SCAN documents" {
					continue // the table, in the register's order, from its start
				}
				want := "SEARCH documents USING " + index
				if f.Brief && index != "PRIMARY KEY" {
					// The HTML page reads its rows from the index alone.
					want = "SEARCH documents USING COVERING " + index
				}
				require.Contains(t, plan[0], want, name)
				if f.Type != "" || f.Status != "" {
					require.False(t, strings.HasSuffix(plan[0], "(issuer=?)"), "%s: %s", name, plan[0])
				}
			}
		}
	}
}
