package portal

import (
	"html/template"
	"strconv"

	"github.com/civicledger/civicledger/gateway/portal/index"
)

// The rows of the register pages are written by hand, not by a template's
// {{range}}: html/template reaches each row's fields through reflection and
// escapes each through a chain of escaper functions, which made rendering
// 50 rows cost more than reading them from the index. rowWriter escapes
// every value as html/template escapes a string in HTML text or in a quoted
// attribute (the same seven replacements), and rows_test.go checks the
// output byte for byte against the templates these writers replaced.

// rowWriter builds a fragment of HTML.
type rowWriter struct{ b []byte }

// raw appends markup written in this file, never data.
func (w *rowWriter) raw(s string) { w.b = append(w.b, s...) }

// text appends s escaped for HTML text or a quoted attribute value.
func (w *rowWriter) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		w.b = append(w.b, s[last:i]...)
		w.b = append(w.b, repl...)
		last = i + 1
	}
	w.b = append(w.b, s[last:]...)
}

func (w *rowWriter) uint(n uint64) { w.b = strconv.AppendUint(w.b, n, 10) }
func (w *rowWriter) int(n int)     { w.b = strconv.AppendInt(w.b, int64(n), 10) }

// html is what was written, for a template to insert as it is.
func (w *rowWriter) html() template.HTML { return template.HTML(w.b) } //nolint:gosec // every value went through text

// documentRows writes the rows of the documents register.
func documentRows(rows []documentRow) template.HTML {
	w := rowWriter{b: make([]byte, 0, 256*len(rows))}
	for _, d := range rows {
		w.raw("<tr><td>")
		if d.IssuerName != "" {
			w.text(d.IssuerName)
		} else {
			w.text(d.Issuer)
		}
		w.raw("</td><td>")
		w.text(d.ID)
		w.raw("</td><td>")
		w.text(d.Type)
		w.raw(`</td><td><span class="badge badge-`)
		w.text(d.Status)
		w.raw(`">`)
		w.text(d.StatusText)
		w.raw("</span></td><td>")
		w.text(d.ValidFrom)
		if d.ValidUntil != "" {
			w.raw(" – ")
			w.text(d.ValidUntil)
		}
		w.raw("</td><td>")
		w.uint(d.Block)
		w.raw("</td></tr>\n")
	}
	return w.html()
}

// meetingRows writes the rows of the register of convocations.
func meetingRows(v view, lv *listView, rows []index.MeetingRow) template.HTML {
	w := rowWriter{b: make([]byte, 0, 512*len(rows))}
	for _, m := range rows {
		w.raw("<tr><td>")
		w.text(lv.Name(m.Owner))
		w.raw("</td><td>")
		if m.BodyName != "" {
			w.text(m.BodyName)
		} else {
			w.text(m.BodyID)
		}
		w.raw("</td><td>")
		w.text(m.ID)
		w.raw(`<br><span class="help">`)
		w.text(m.Place)
		w.raw("</span></td><td>")
		w.text(m.StartsAt)
		w.raw("</td><td>")
		w.text(m.Deadline)
		w.raw(" (")
		w.text(v.Tf("conv.clearDays", m.ClearDays))
		w.raw(")</td><td>")
		w.int(m.Convened)
		w.raw("</td><td>")
		w.int(m.Acknowledged)
		w.raw("</td><td>")
		w.int(m.OnTime)
		w.raw("</td><td>")
		w.int(m.Late)
		if m.MaxDaysLate != 0 {
			w.raw(" (")
			w.text(v.Tf("conv.daysLate", m.MaxDaysLate))
			w.raw(")")
		}
		w.raw("</td><td>")
		w.uint(m.Block)
		w.raw("</td></tr>\n")
	}
	return w.html()
}

// grantRows writes the rows of the register of subsidies.
func grantRows(v view, lv *listView, rows []index.GrantRow) template.HTML {
	w := rowWriter{b: make([]byte, 0, 512*len(rows))}
	for _, g := range rows {
		w.raw("<tr><td>")
		w.text(lv.Name(g.Granting))
		w.raw("</td><td>")
		w.text(g.GrantID)
		w.raw(`<br><span class="help">`)
		w.text(g.ProgrammeName)
		w.raw("</span></td><td>")
		w.text(g.Beneficiary)
		w.raw("</td><td>")
		w.text(lv.Money(g.Currency, g.Amount))
		w.raw("</td><td>")
		w.text(g.Purpose)
		w.raw("</td><td>")
		w.text(v.T("grant." + g.Status))
		if g.RejectionReason != "" {
			w.raw(": ")
			w.text(g.RejectionReason)
		}
		w.raw("</td><td>")
		if g.DecidedByMSP != "" {
			w.text(lv.Name(g.DecidedByMSP))
		}
		w.raw("</td><td>")
		w.text(lv.Money(g.Currency, g.PaidTotal))
		w.raw("</td><td>")
		w.uint(g.Block)
		w.raw("</td></tr>\n")
	}
	return w.html()
}

// permissionRows writes the rows of the register of permissions.
func permissionRows(v view, lv *listView, rows []index.PermissionRow) template.HTML {
	w := rowWriter{b: make([]byte, 0, 512*len(rows))}
	for _, p := range rows {
		w.raw("<tr><td>")
		w.text(lv.Name(p.Owner))
		w.raw(`<br><span class="help">`)
		w.text(p.ID)
		w.raw("</span></td><td>")
		w.text(lv.Name(p.Grantee))
		w.raw("</td><td>")
		w.text(p.Category)
		if p.OneSubject {
			w.raw(`<br><span class="help">`)
			w.text(v.T("perms.oneSubject"))
			w.raw("</span>")
		}
		w.raw("</td><td>")
		w.text(p.Purpose)
		w.raw("</td><td>")
		w.text(p.LegalBasis)
		w.raw("</td><td>")
		w.text(p.ValidFrom)
		w.raw(" – ")
		w.text(p.ValidUntil)
		w.raw("</td><td>")
		w.text(v.T("perm." + p.Status))
		if p.RevokeReason != "" {
			w.raw(": ")
			w.text(p.RevokeReason)
		}
		w.raw("</td><td>")
		w.uint(p.Block)
		w.raw("</td></tr>\n")
	}
	return w.html()
}
