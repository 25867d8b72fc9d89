package portal

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/civicledger/civicledger/chaincode/currency"
	"github.com/civicledger/civicledger/gateway/portal/index"
)

// chartDays is how many days the transactions chart covers, today included.
const chartDays = 30

// chartPalette are the series colours, distinguishable for the common
// colour-vision deficiencies (Okabe–Ito); every number is also in a table.
var chartPalette = []string{"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"}

// Chart geometry in viewBox units: the SVG scales to its container, so a
// 390 px screen shows it at about 0.9 of these sizes.
const (
	chartWidth = 400
	chartRowH  = 18
	chartGap   = 5
	chartFont  = 13
	// chartCharW is the width of a character of the labels, for the
	// columns of labels and totals (generous for digits in a sans-serif).
	chartCharW = 0.6 * chartFont
	// chartLabelChars is how many characters of a row label the SVG shows.
	chartLabelChars = 16
)

// chart is one horizontal stacked bar chart with its table twin: a row per
// category, a stacked segment per series.
type chart struct {
	ID     string
	Title  string // the heading, the SVG's title and the table's caption
	Head   string // the table's first column: what a row is
	Series []chartSeries
	Rows   []chartRow
	Height int
	Bars   []chartBar
	Empty  bool // no non-zero value: the page says so instead of drawing
	// LabelX is where row labels end (right-aligned), TotalX where the
	// row totals start, after the longest bar.
	LabelX, TotalX int
}

type chartSeries struct {
	Name  string
	Color string
}

type chartRow struct {
	Label  string
	Short  string   // the label cut to fit the SVG; the table has it whole
	Values []string // formatted, one per series
	Total  string
	Y      int // top of the row's bar
	TextY  int // baseline of its label
}

type chartBar struct {
	X, Y, W, H float64
	Color      string
	Title      string
}

// buildChart lays out rows of values (one per series) as stacked bars;
// format writes a value as the table and the labels show it.
func buildChart(id, title, head string, series []string, labels []string, values [][]int64, format func(int64) string) chart {
	c := chart{ID: id, Title: title, Head: head, Empty: true}
	for i, s := range series {
		c.Series = append(c.Series, chartSeries{Name: s, Color: chartPalette[i%len(chartPalette)]})
	}
	var top int64
	totals := make([]int64, len(labels))
	for i, row := range values {
		for _, v := range row {
			totals[i] += v
		}
		if totals[i] > 0 {
			c.Empty = false
		}
		top = max(top, totals[i])
	}
	labelChars, totalChars := 0, 0
	for i, label := range labels {
		labelChars = max(labelChars, min(len([]rune(label)), chartLabelChars))
		totalChars = max(totalChars, len([]rune(format(totals[i]))))
	}
	labelW, valueW := int(float64(labelChars)*chartCharW)+6, int(float64(totalChars)*chartCharW)+6
	c.LabelX, c.TotalX = labelW-4, chartWidth-valueW+4
	span := float64(chartWidth - labelW - valueW)
	for i, label := range labels {
		y := chartGap + i*(chartRowH+chartGap)
		r := chartRow{Label: label, Short: shorten(label, chartLabelChars), Total: format(totals[i]), Y: y, TextY: y + chartRowH - 4}
		x := float64(labelW)
		for j, v := range values[i] {
			r.Values = append(r.Values, format(v))
			if v == 0 || top == 0 {
				continue
			}
			w := span * float64(v) / float64(top)
			c.Bars = append(c.Bars, chartBar{X: x, Y: float64(y), W: w, H: chartRowH, Color: c.Series[j].Color,
				Title: fmt.Sprintf("%s, %s: %s", label, series[j], format(v))})
			x += w
		}
		c.Rows = append(c.Rows, r)
	}
	c.Height = chartGap + len(labels)*(chartRowH+chartGap)
	return c
}

// shorten cuts s to n characters, marking the cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Width is the viewBox width.
func (chart) Width() int { return chartWidth }

// FontSize is the labels' size in viewBox units.
func (chart) FontSize() int { return chartFont }

// Stats are the aggregates behind the audit page's charts, also served as
// JSON: counts and sums only, nothing about a person.
type Stats struct {
	Since              string            `json:"since"`
	TransactionsPerDay []index.DayCount  `json:"transactionsPerDay"`
	DocumentsPerType   []index.TypeCount `json:"documentsPerType"`
	SubsidiesApproved  []SubsidyTotal    `json:"subsidiesApproved"`
}

// SubsidyTotal is the amount approved in one programme, in minor units of
// its currency.
type SubsidyTotal struct {
	Granting      string `json:"granting"`
	ProgrammeID   string `json:"programmeId"`
	ProgrammeName string `json:"programmeName"`
	Currency      string `json:"currency"`
	ApprovedTotal int64  `json:"approvedTotal"`
}

func (s *Server) stats(ctx context.Context) (Stats, error) {
	since := s.now().UTC().AddDate(0, 0, -(chartDays - 1)).Format(time.DateOnly)
	st := Stats{Since: since}
	var err error
	if st.TransactionsPerDay, err = s.index.TransactionsPerDay(ctx, since); err != nil {
		return Stats{}, err
	}
	if st.DocumentsPerType, err = s.index.DocumentsPerType(ctx); err != nil {
		return Stats{}, err
	}
	programmes, err := s.index.Programmes(ctx)
	if err != nil {
		return Stats{}, err
	}
	st.SubsidiesApproved = []SubsidyTotal{}
	for _, p := range programmes {
		st.SubsidiesApproved = append(st.SubsidiesApproved, SubsidyTotal{p.Granting, p.ID, p.Name, p.Currency, p.ApprovedTotal})
	}
	return st, nil
}

// charts draws st in the page language v, naming administrations by names.
func (st Stats) charts(v view, names map[string]string, today time.Time) []chart {
	name := func(msp string) string {
		if n := names[msp]; n != "" {
			return n
		}
		if msp == "" {
			return v.T("audit.chart.orderer")
		}
		return msp
	}
	count := func(n int64) string { return fmt.Sprint(n) }

	// Transactions per day, every day of the window, per administration.
	var msps []string
	for _, d := range st.TransactionsPerDay {
		if !slices.Contains(msps, d.MSPID) {
			msps = append(msps, d.MSPID)
		}
	}
	slices.Sort(msps)
	var days []string
	start := today.UTC().AddDate(0, 0, -(chartDays - 1))
	for i := range chartDays {
		days = append(days, start.AddDate(0, 0, i).Format(time.DateOnly))
	}
	perDay := make([][]int64, len(days))
	for i, day := range days {
		perDay[i] = make([]int64, len(msps))
		for _, d := range st.TransactionsPerDay {
			if d.Day == day {
				perDay[i][slices.Index(msps, d.MSPID)] += int64(d.Count)
			}
		}
	}
	mspNames := make([]string, len(msps))
	for i, m := range msps {
		mspNames[i] = name(m)
	}
	txChart := buildChart("chart-tx", v.Tf("audit.chart.tx", chartDays), v.T("audit.chart.day"), mspNames, days, perDay, count)

	// Documents per type and recorded status.
	var types, statuses []string
	for _, c := range st.DocumentsPerType {
		if !slices.Contains(types, c.Type) {
			types = append(types, c.Type)
		}
		if !slices.Contains(statuses, c.Status) {
			statuses = append(statuses, c.Status)
		}
	}
	slices.Sort(types)
	slices.Sort(statuses)
	perType := make([][]int64, len(types))
	for i := range types {
		perType[i] = make([]int64, len(statuses))
	}
	for _, c := range st.DocumentsPerType {
		perType[slices.Index(types, c.Type)][slices.Index(statuses, c.Status)] += int64(c.Count)
	}
	statusNames := make([]string, len(statuses))
	for i, s := range statuses {
		statusNames[i] = v.T("status." + s)
	}
	docChart := buildChart("chart-docs", v.T("audit.chart.docs"), v.T("audit.chart.type"), statusNames, types, perType, count)

	out := []chart{txChart, docChart}
	// Subsidies approved per programme: one chart per currency, since
	// amounts in different currencies do not share a scale.
	var currencies []string
	for _, p := range st.SubsidiesApproved {
		if !slices.Contains(currencies, p.Currency) {
			currencies = append(currencies, p.Currency)
		}
	}
	slices.Sort(currencies)
	if len(currencies) == 0 {
		currencies = []string{""}
	}
	for _, cur := range currencies {
		var labels []string
		var amounts [][]int64
		for _, p := range st.SubsidiesApproved {
			if p.Currency == cur {
				labels = append(labels, p.ProgrammeName+" ("+name(p.Granting)+")")
				amounts = append(amounts, []int64{p.ApprovedTotal})
			}
		}
		money := func(n int64) string { return currency.Format(cur, n) }
		out = append(out, buildChart("chart-subsidies-"+cur, v.Tf("audit.chart.subsidies", cur), v.T("audit.chart.programme"), []string{v.T("audit.chart.approved")}, labels, amounts, money))
	}
	return out
}
