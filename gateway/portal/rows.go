package portal

import (
	"html/template"
	"maps"
	"slices"
	"strconv"
	"unsafe"

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

// html is what was written, for a template to insert as it is. It is
// not copied: the writer is done with (every caller returns it).
func (w *rowWriter) html() template.HTML {
	if len(w.b) == 0 {
		return ""
	}
	return template.HTML(unsafe.String(&w.b[0], len(w.b))) //nolint:gosec // every value went through text
}

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

// hashResults writes the verdicts of a verification by hash, one section
// each, with their steps and facts.
func hashResults(v view, results []hashResult) template.HTML {
	w := rowWriter{b: make([]byte, 0, 2048*len(results))}
	for i, r := range results {
		w.raw("\n" + `<section class="verdict verdict-`)
		w.text(r.Status)
		w.raw(`" aria-labelledby="verdict-`)
		w.int(i)
		w.raw("\">\n" + `<h2 id="verdict-`)
		w.int(i)
		w.raw(`">`)
		w.text(r.StatusText)
		w.raw(": ")
		w.text(r.Type)
		w.raw(" ")
		w.text(r.ID)
		w.raw("</h2>\n" + `<ol class="steps">` + "\n")
		for _, st := range r.Steps {
			if st.OK {
				w.raw(`<li class="step-ok"><span class="mark">✓ <span class="visually-hidden">`)
				w.text(v.T("step.ok"))
			} else {
				w.raw(`<li class="step-failed"><span class="mark">✗ <span class="visually-hidden">`)
				w.text(v.T("step.failed"))
			}
			w.raw("</span></span> ")
			w.text(st.Text)
			w.raw("</li>\n")
		}
		w.raw("\n</ol>\n" + `<dl class="facts">` + "\n<dt>")
		w.text(v.T("col.issuer"))
		w.raw("</dt><dd>")
		if r.IssuerName != "" {
			w.text(r.IssuerName)
			w.raw(" (")
			w.text(r.Issuer)
			w.raw(")")
		} else {
			w.text(r.Issuer)
		}
		w.raw("</dd>\n<dt>")
		w.text(v.T("window"))
		w.raw("</dt><dd>")
		w.text(v.T("from"))
		w.raw(" ")
		w.text(r.ValidFrom)
		w.raw(" ")
		if r.ValidUntil != "" {
			w.text(v.T("until"))
			w.raw(" ")
			w.text(r.ValidUntil)
		} else {
			w.raw("(")
			w.text(v.T("noEnd"))
			w.raw(")")
		}
		w.raw("</dd>\n")
		if len(r.KeyFacts) > 0 {
			w.raw("<dt>")
			w.text(v.T("facts"))
			w.raw(`</dt><dd><ul class="plain">`)
			for _, k := range slices.Sorted(maps.Keys(r.KeyFacts)) {
				w.raw("<li>")
				w.text(k)
				w.raw(": ")
				w.text(r.KeyFacts[k])
				w.raw("</li>")
			}
			w.raw("</ul></dd>")
		}
		w.raw("\n")
		if r.Block != 0 {
			w.raw("<dt>")
			w.text(v.T("col.block"))
			w.raw("</dt><dd>")
			w.uint(r.Block)
			w.raw("</dd><dt>")
			w.text(v.T("col.tx"))
			w.raw(`</dt><dd><code class="hash">`)
			w.text(r.TxID)
			w.raw("</code></dd>")
		}
		w.raw("\n</dl>\n</section>\n")
	}
	return w.html()
}

// memberOptions are the options of a filter on the administration, by
// MSP ID, labelled with the published name.
func memberOptions(members []index.Member, selected string) template.HTML {
	w := rowWriter{b: make([]byte, 0, 64*len(members))}
	for _, m := range members {
		w.option(m.MSPID, m.DisplayName, selected)
	}
	return w.html()
}

// options are the options of a filter whose values are their labels.
func options(values []string, selected string) template.HTML {
	w := rowWriter{b: make([]byte, 0, 48*len(values))}
	for _, v := range values {
		w.option(v, v, selected)
	}
	return w.html()
}

func (w *rowWriter) option(value, label, selected string) {
	w.raw(`<option value="`)
	w.text(value)
	w.raw(`"`)
	if value == selected {
		w.raw(" selected")
	}
	w.raw(">")
	w.text(label)
	w.raw("</option>")
}
