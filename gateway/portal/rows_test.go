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
// hashRange is the verdicts' {{range}} of verify-hash.html before
// hashResults wrote them.
const hashRange = `{{range $i, $r := .Data.Results}}
<section class="verdict verdict-{{$r.Status}}" aria-labelledby="verdict-{{$i}}">
<h2 id="verdict-{{$i}}">{{$r.StatusText}}: {{$r.Type}} {{$r.ID}}</h2>
<ol class="steps">
{{range $r.Steps}}<li class="{{if .OK}}step-ok{{else}}step-failed{{end}}"><span class="mark">{{if .OK}}✓{{else}}✗{{end}} <span class="visually-hidden">{{if .OK}}{{$.T "step.ok"}}{{else}}{{$.T "step.failed"}}{{end}}</span></span> {{.Text}}</li>
{{end}}
</ol>
<dl class="facts">
<dt>{{$.T "col.issuer"}}</dt><dd>{{if $r.IssuerName}}{{$r.IssuerName}} ({{$r.Issuer}}){{else}}{{$r.Issuer}}{{end}}</dd>
<dt>{{$.T "window"}}</dt><dd>{{$.T "from"}} {{$r.ValidFrom}} {{if $r.ValidUntil}}{{$.T "until"}} {{$r.ValidUntil}}{{else}}({{$.T "noEnd"}}){{end}}</dd>
{{if $r.KeyFacts}}<dt>{{$.T "facts"}}</dt><dd><ul class="plain">{{range $k, $v := $r.KeyFacts}}<li>{{$k}}: {{$v}}</li>{{end}}</ul></dd>{{end}}
{{if $r.Block}}<dt>{{$.T "col.block"}}</dt><dd>{{$r.Block}}</dd><dt>{{$.T "col.tx"}}</dt><dd><code class="hash">{{$r.TxID}}</code></dd>{{end}}
</dl>
</section>
{{end}}`

// The filters' options as the templates wrote them.
const (
	issuerOptionsRange = `<select>{{range .Data.Members}}<option value="{{.MSPID}}"{{if eq .MSPID $.Data.Issuer}} selected{{end}}>{{.DisplayName}}</option>{{end}}</select>`
	typeOptionsRange   = `<select>{{range .Data.Types}}<option value="{{.}}"{{if eq . $.Data.Type}} selected{{end}}>{{.}}</option>{{end}}</select>`
	statusOptionsRange = `<select>{{range .Data.Statuses}}<option value="{{.}}"{{if eq . $.Data.Status}} selected{{end}}>{{.}}</option>{{end}}</select>`
	ownerOptionsRange  = `<select>{{range .Data.Members}}<option value="{{.MSPID}}"{{if eq .MSPID $.Data.Owner}} selected{{end}}>{{.DisplayName}}</option>{{end}}</select>`
)

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

func TestHashResultsAreTheTemplatesBytes(t *testing.T) {
	h := hostile
	tmpl, err := template.New("ref").Parse("<main>" + hashRange + "\n<p>")
	require.NoError(t, err)
	for _, lang := range []string{"en", "fr"} {
		v := view{Lang: lang}
		results := []hashResult{
			{Verdict: Verdict{Issuer: h, IssuerName: h, ID: h, Type: h, Status: h, ValidFrom: h, ValidUntil: h, Block: 9, TxID: h,
				KeyFacts: map[string]string{h: h, "b": "2", "a": "1 & 2"}}, StatusText: h,
				Steps: []step{{true, h}, {false, h}, {true, "ok"}}},
			{Verdict: Verdict{Issuer: "RegistryMSP", ID: "D-1", Type: "permit", Status: "valid", ValidFrom: "2026-01-01T00:00:00Z"},
				StatusText: v.T("status.valid"), Steps: []step{{true, v.T("step.hash")}}},
			{Verdict: Verdict{Issuer: h, Status: "revoked"}},
		}
		v.Data = hashView{Results: results}
		var buf bytes.Buffer
		require.NoError(t, tmpl.Execute(&buf, v))
		require.Equal(t, buf.String(), "<main>"+string(hashResults(v, results))+"\n<p>", lang)
		require.NotContains(t, buf.String(), "<script>")
	}
}

func TestOptionsAreTheTemplatesBytes(t *testing.T) {
	h := hostile
	members := []index.Member{{MSPID: "RegistryMSP", DisplayName: h}, {MSPID: h, DisplayName: "x"}, {MSPID: "CouncilMSP"}}
	values := []string{"valid", h, "revoked"}
	for _, selected := range []string{"", "RegistryMSP", h, "valid", "revoked"} {
		render := func(rng string, data any) string {
			tmpl, err := template.New("ref").Parse(rng)
			require.NoError(t, err)
			var buf bytes.Buffer
			require.NoError(t, tmpl.Execute(&buf, view{Data: data}))
			return buf.String()
		}
		wrap := func(h template.HTML) string { return "<select>" + string(h) + "</select>" }
		dv := documentsView{Members: members, Types: values, Statuses: values, Issuer: selected, Type: selected, Status: selected}
		require.Equal(t, render(issuerOptionsRange, dv), wrap(memberOptions(members, selected)))
		require.Equal(t, render(typeOptionsRange, dv), wrap(options(values, selected)))
		require.Equal(t, render(statusOptionsRange, dv), wrap(options(values, selected)))
		require.Equal(t, render(ownerOptionsRange, listView{Members: members, Owner: selected}), wrap(memberOptions(members, selected)))
	}
}
