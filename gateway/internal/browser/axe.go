package browser

import (
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/runtime"
)

// WCAG21AA are the axe-core tags of WCAG 2.1 levels A and AA, the level the
// EU web accessibility directive requires of public bodies.
var WCAG21AA = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Violation is one axe-core rule that a page breaks.
type Violation struct {
	ID      string     `json:"id"`
	Impact  string     `json:"impact"`
	Help    string     `json:"help"`
	HelpURL string     `json:"helpUrl"`
	Nodes   []AxeNodes `json:"nodes"`
}

// AxeNodes is one element that breaks a rule.
type AxeNodes struct {
	Target         []any  `json:"target"`
	HTML           string `json:"html"`
	FailureSummary string `json:"failureSummary"`
}

// Violations is axe-core's list of violations for one page.
type Violations []Violation

// String summarises the violations, one rule a line with its elements, so
// that a failed test says what to fix.
func (vs Violations) String() string {
	if len(vs) == 0 {
		return "no accessibility violations"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d accessibility violations:\n", len(vs))
	for _, v := range vs {
		fmt.Fprintf(&b, "- %s (%s): %s\n  %s\n", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "    at %v: %s\n      %s\n", n.Target, n.HTML, strings.ReplaceAll(n.FailureSummary, "\n", "\n      "))
		}
	}
	return b.String()
}

// Axe injects axe-core into the page and runs the WCAG 2.1 A and AA rules
// (WCAG21AA). It returns the violations; an empty list means none.
func (p *Page) Axe() (Violations, error) {
	installed, err := eval[bool](p, "inject axe-core", p.b.axeSource+"\n;typeof axe === 'object'")
	if err != nil {
		return nil, err
	}
	if !installed {
		return nil, fmt.Errorf("inject axe-core: axe is not defined after loading it")
	}
	tags := make([]string, len(WCAG21AA))
	for i, t := range WCAG21AA {
		tags[i] = jsString(t)
	}
	run := fmt.Sprintf(`axe.run(document, {runOnly: {type: 'tag', values: [%s]}, resultTypes: ['violations']})
		.then((r) => r.violations)`, strings.Join(tags, ", "))
	return eval[Violations](p, "run axe-core", run, func(ep *runtime.EvaluateParams) {
		ep.AwaitPromise = ptr(true)
	})
}

func ptr[T any](v T) *T { return &v }
