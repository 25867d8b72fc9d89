package portal

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civicledger/civicledger/gateway/portal/index"
)

// The {{range}} of each register page's rows as it was before the rows
// were written by hand (rows.go): the hand-written rows must be the bytes
// html/template made of them, escaping included.
const (
	documentsRange    = `{{range .Data.Rows}}<tr><td>{{if .IssuerName}}{{.IssuerName}}{{else}}{{.Issuer}}{{end}}</td><td>{{.ID}}</td><td>{{.Type}}</td><td><span class="badge badge-{{.Status}}">{{.StatusText}}</span></td><td>{{.ValidFrom}}{{if .ValidUntil}} – {{.ValidUntil}}{{end}}</td><td>{{.Block}}</td></tr>`
	convocationsRange = `{{range .Data.Rows}}<tr><td>{{$.Data.Name .Owner}}</td><td>{{if .BodyName}}{{.BodyName}}{{else}}{{.BodyID}}{{end}}</td><td>{{.ID}}<br><span class="help">{{.Place}}</span></td><td>{{.StartsAt}}</td><td>{{.Deadline}} ({{$.Tf "conv.clearDays" .ClearDays}})</td><td>{{.Convened}}</td><td>{{.Acknowledged}}</td><td>{{.OnTime}}</td><td>{{.Late}}{{if .MaxDaysLate}} ({{$.Tf "conv.daysLate" .MaxDaysLate}}){{end}}</td><td>{{.Block}}</td></tr>`
	subsidiesRange    = `{{range .Data.Rows}}<tr><td>{{$.Data.Name .Granting}}</td><td>{{.GrantID}}<br><span class="help">{{.ProgrammeName}}</span></td><td>{{.Beneficiary}}</td><td>{{$.Data.Money .Currency .Amount}}</td><td>{{.Purpose}}</td><td>{{$.T (print "grant." .Status)}}{{if .RejectionReason}}: {{.RejectionReason}}{{end}}</td><td>{{if .DecidedByMSP}}{{$.Data.Name .DecidedByMSP}}{{end}}</td><td>{{$.Data.Money .Currency .PaidTotal}}</td><td>{{.Block}}</td></tr>`
	permissionsRange  = `{{range .Data.Rows}}<tr><td>{{$.Data.Name .Owner}}<br><span class="help">{{.ID}}</span></td><td>{{$.Data.Name .Grantee}}</td><td>{{.Category}}{{if .OneSubject}}<br><span class="help">{{$.T "perms.oneSubject"}}</span>{{end}}</td><td>{{.Purpose}}</td><td>{{.LegalBasis}}</td><td>{{.ValidFrom}} – {{.ValidUntil}}</td><td>{{$.T (print "perm." .Status)}}{{if .RevokeReason}}: {{.RevokeReason}}{{end}}</td><td>{{.Block}}</td></tr>`
)

// hostile is a value with every character html/template escapes, a
// script, a NUL byte, a non-character and an invalid UTF-8 byte.
const hostile = "<script>alert(\"x\")</script> & 'q' + <b>\x00\ufdd0\xff é"

// rangeOutput renders a reference {{range}} over data the way the page
// template did: inside <tbody>, with the view as dot.
func rangeOutput(t *testing.T, rng string, v view) string {
	t.Helper()
	tmpl, err := template.New("ref").Parse("<table><tbody>\n" + rng + "\n{{end}}\n</tbody></table>")
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, tmpl.Execute(&buf, v))
	return buf.String()
}

func rowsOutput(rows template.HTML) string {
	return "<table><tbody>\n" + string(rows) + "\n</tbody></table>"
}

func TestRowsAreTheTemplatesBytes(t *testing.T) {
	h := hostile
	members := map[string]string{"RegistryMSP": h, "TreasuryMSP": ""}
	for _, lang := range []string{"en", "fr"} {
		v := view{Lang: lang}
		t.Run(lang+" documents", func(t *testing.T) {
			rows := []documentRow{
				{Issuer: "RegistryMSP", IssuerName: h, ID: h, Type: h, Status: h, StatusText: h, ValidFrom: h, ValidUntil: h, Block: 7},
				{Issuer: h, ID: "DOC-1", Type: "permit", Status: "valid", StatusText: v.T("status.valid"), ValidFrom: "2026-01-01T00:00:00Z"},
			}
			v.Data = documentsView{Rows: rows}
			want := rangeOutput(t, documentsRange, v)
			require.Equal(t, want, rowsOutput(documentRows(rows)))
			require.NotContains(t, want, "<script>")
			require.Contains(t, want, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39; &#43; &lt;b&gt;")
		})
		lv := &listView{names: members}
		t.Run(lang+" convocations", func(t *testing.T) {
			rows := []index.MeetingRow{
				{Owner: "RegistryMSP", ID: h, BodyID: h, BodyName: h, StartsAt: h, Place: h, Deadline: h, ClearDays: 5,
					Convened: 12, Acknowledged: 9, OnTime: 11, Late: 1, MaxDaysLate: 2, Block: 9},
				{Owner: h, ID: "m", BodyID: h, Deadline: "2026-12-04", ClearDays: 3, Block: 1},
			}
			lv.Rows = rows
			v.Data = *lv
			require.Equal(t, rangeOutput(t, convocationsRange, v), rowsOutput(meetingRows(v, lv, rows)))
		})
		t.Run(lang+" subsidies", func(t *testing.T) {
			rows := []index.GrantRow{
				{Granting: "RegistryMSP", GrantID: h, ProgrammeName: h, Beneficiary: h, Amount: 123_456_789, Currency: "CHF",
					Purpose: h, Status: "rejected", RejectionReason: h, DecidedByMSP: "TreasuryMSP", PaidTotal: 1, Block: 3},
				{Granting: h, GrantID: "g", Beneficiary: "CHE-1", Amount: 500_000, Currency: "EUR", Purpose: "=cmd|' /C calc'!A0",
					Status: h, DecidedByMSP: h, Block: 4},
				{Granting: "TreasuryMSP", GrantID: "g2", Amount: 1, Currency: h, Status: "approved"},
			}
			lv.Rows = rows
			v.Data = *lv
			require.Equal(t, rangeOutput(t, subsidiesRange, v), rowsOutput(grantRows(v, lv, rows)))
		})
		t.Run(lang+" permissions", func(t *testing.T) {
			rows := []index.PermissionRow{
				{Owner: "RegistryMSP", ID: h, Grantee: h, Category: h, Purpose: h, LegalBasis: h, ValidFrom: h, ValidUntil: h,
					OneSubject: true, Status: "revoked", RevokeReason: h, Block: 5},
				{Owner: h, ID: "p", Grantee: "TreasuryMSP", Category: "tax", Status: h, Block: 6},
			}
			lv.Rows = rows
			v.Data = *lv
			out := rowsOutput(permissionRows(v, lv, rows))
			require.Equal(t, rangeOutput(t, permissionsRange, v), out)
			require.False(t, strings.Contains(out, "<script>"))
		})
	}
}
