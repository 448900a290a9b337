package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
)

// The summary: one line per applicant, then totals (text), or one CSV
// record per applicant under a header.

// actionOutcomes are the outcomes that need someone to act, in the order
// the summary lists them.
var actionOutcomes = []eligibility.Outcome{eligibility.Provisional, eligibility.Referred, eligibility.Undetermined}

// row is one applicant's line of the summary.
type row struct {
	d *eligibility.Decision
	// pending lists, per outcome of actionOutcomes, the awards (levels,
	// categories and courses) with that outcome.
	pending [3][]string
	settle  int // the actions that would settle them
}

func newRow(d *eligibility.Decision) *row {
	r := &row{d: d}
	pending := false
	for id, o := range d.Outcomes() { // without making the award lists
		if i := slices.Index(actionOutcomes, o); i >= 0 {
			r.pending[i] = append(r.pending[i], id)
			pending = true
		}
	}
	if !pending {
		return r
	}
	for _, group := range [][]eligibility.AwardResult{d.Levels(), d.Categories(), d.Courses()} {
		for _, a := range group {
			if slices.Contains(actionOutcomes, a.Outcome) {
				r.settle += len(a.Settle)
			}
		}
	}
	return r
}

// column is a column of the summary, the text and the CSV alike.
type column struct {
	name  string
	right bool // right-aligned (a number) in the text summary
	// value is the cell's text; limit, when above 0, caps how many ids a
	// list shows (the text summary's), the rest counted.
	value func(r *row, limit int) string
}

// summaryColumns are the summary's columns, for the text summary and the
// CSV alike.
var summaryColumns = []column{
	{name: "applicant", value: func(r *row, _ int) string { return r.d.Applicant }},
	{name: "level", value: func(r *row, _ int) string { return r.d.Level }},
	{name: "courses", right: true, value: func(r *row, _ int) string { return strconv.Itoa(len(r.d.GrantedCourses())) }},
	{name: "categories", value: func(r *row, limit int) string { return list(r.d.GrantedCategories(), limit) }},
	{name: "to settle", right: true, value: func(r *row, _ int) string { return strconv.Itoa(r.settle) }},
	{name: "holds until", value: func(r *row, _ int) string { return holdsUntil(r.d) }},
	{name: "needs action", value: func(r *row, limit int) string { return r.needsAction(limit, style{}) }},
}

// holdsUntil is the last day the decision holds on the same evidence,
// "indefinitely", or "" when it was not computed.
func holdsUntil(d *eligibility.Decision) string {
	switch {
	case d.Indefinitely:
		return "indefinitely"
	case d.ValidUntil != nil:
		return d.ValidUntil.String()
	}
	return ""
}

// needsAction lists the awards whose outcome needs action, grouped by
// outcome: "provisional: associate; undetermined: retired".
func (r *row) needsAction(limit int, st style) string {
	var parts []string
	for i, o := range actionOutcomes {
		if len(r.pending[i]) > 0 {
			parts = append(parts, st.paint(outcomeColor(o), string(o)+": "+list(r.pending[i], limit)))
		}
	}
	return strings.Join(parts, "; ")
}

func outcomeColor(o eligibility.Outcome) string {
	switch o {
	case eligibility.Provisional:
		return sgrYellow
	case eligibility.Referred:
		return sgrCyan
	}
	return sgrMagenta
}

// list joins ids with ", ", at most limit of them (all when limit is 0)
// and a count of the rest.
func list(ids []string, limit int) string {
	if limit > 0 && len(ids) > limit {
		return strings.Join(ids[:limit], ", ") + fmt.Sprintf(" +%d more", len(ids)-limit)
	}
	return strings.Join(ids, ", ")
}

// summaryWriter writes the text summary: a header, a line per applicant
// as it is decided, and the totals at the end.
type summaryWriter struct {
	w      io.Writer
	st     style
	widths []int
	buf    []byte

	decided, failed int
	levels          []string // the ladder, top first, as the totals list it
	perLevel        map[string]int
	awards          [3]int // awards per outcome of actionOutcomes
	applicants      [3]int // applicants with such an award
	settle          int
}

// listShown is how many ids a cell of the text summary lists.
const listShown = 3

func newSummaryWriter(w io.Writer, st style, set *rules.Set) *summaryWriter {
	s := &summaryWriter{w: w, st: st, perLevel: map[string]int{}}
	// Widths fit the rule set's ids, so that most lines align.
	idWidth := func(as []*rules.Award) int {
		n := 0
		for _, a := range as {
			n = max(n, len(a.ID))
		}
		return n
	}
	for _, c := range summaryColumns {
		width := len(c.name)
		switch c.name {
		case "applicant":
			width = max(width, 10)
		case "level":
			width = max(width, idWidth(set.Levels))
		case "categories":
			width = max(width, idWidth(set.Categories))
		case "holds until":
			width = max(width, len("indefinitely"))
		}
		s.widths = append(s.widths, width)
	}
	for i := len(set.Levels) - 1; i >= 0; i-- {
		s.levels = append(s.levels, set.Levels[i].ID)
	}
	return s
}

// line lays out one line of the summary: each cell padded to its
// column's width, then painted (padding first, so colour does not count).
func (s *summaryWriter) line(lead string, cells []string, paint []string) []byte {
	b := append(s.buf[:0], lead...)
	for i, c := range cells {
		if i > 0 {
			b = append(b, "  "...)
		}
		pad := ""
		if i < len(cells)-1 && len(c) < s.widths[i] {
			pad = strings.Repeat(" ", s.widths[i]-len(c))
		}
		text := c
		if paint != nil && paint[i] != "" {
			text = s.st.paint(paint[i], c)
		}
		if summaryColumns[i].right {
			b = append(b, pad...)
			b = append(b, text...)
		} else {
			b = append(b, text...)
			b = append(b, pad...)
		}
	}
	b = append(b, '\n')
	s.buf = b
	return b
}

func (s *summaryWriter) header() error {
	cells := make([]string, len(summaryColumns))
	paint := make([]string, len(summaryColumns))
	for i, c := range summaryColumns {
		cells[i] = strings.ToUpper(c.name)
		paint[i] = sgrBold
	}
	lead := ""
	if s.st.symbols {
		lead = "  "
	}
	_, err := s.w.Write(s.line(lead, cells, paint))
	return err
}

func (s *summaryWriter) write(_ string, d *eligibility.Decision) error {
	if s.decided == 0 {
		if err := s.header(); err != nil {
			return err
		}
	}
	s.decided++
	r := newRow(d)
	s.count(r)
	cells := make([]string, len(summaryColumns))
	paint := make([]string, len(summaryColumns))
	for i, c := range summaryColumns {
		cells[i] = c.value(r, listShown)
		switch {
		case cells[i] == "":
			cells[i] = "-"
			paint[i] = sgrDim
		case c.name == "level":
			paint[i] = sgrGreen
		case c.name == "needs action" && s.st.color:
			// Each outcome in its own colour, which is the cell's last
			// and so needs no padding.
			cells[i] = r.needsAction(listShown, s.st)
		}
	}
	lead := ""
	switch {
	case r.needsAction(0, style{}) != "":
		lead = s.st.symbol(sgrYellow, "!")
	case d.Level != "":
		lead = s.st.symbol(sgrGreen, "✓")
	default:
		lead = s.st.symbol(sgrRed, "✗")
	}
	_, err := s.w.Write(s.line(lead, cells, paint))
	return err
}

// count adds the row to the totals.
func (s *summaryWriter) count(r *row) {
	s.perLevel[r.d.Level]++
	for i := range actionOutcomes {
		if n := len(r.pending[i]); n > 0 {
			s.awards[i] += n
			s.applicants[i]++
		}
	}
	s.settle += r.settle
}

func (s *summaryWriter) fail() { s.failed++ }

// close writes the totals: applicants per granted level, top first, and
// awards (with the applicants they concern) per outcome that needs action.
func (s *summaryWriter) close() error {
	var b strings.Builder
	if s.decided > 0 {
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%s %s", s.st.paint(sgrBold, "Decided:"), plural(s.decided, "applicant"))
	if s.failed > 0 {
		fmt.Fprintf(&b, ", %s", s.st.paint(sgrRed, fmt.Sprintf("%d not decided (errors on stderr)", s.failed)))
	}
	b.WriteString("\n")
	if s.decided > 0 {
		b.WriteString(s.st.paint(sgrBold, "Levels:"))
		sep := " "
		for _, l := range append(s.levels, "") {
			if n := s.perLevel[l]; n > 0 {
				name := l
				if l == "" {
					name = "no level"
				}
				fmt.Fprintf(&b, "%s%s %d", sep, name, n)
				sep = ", "
			}
		}
		b.WriteString("\n")
		b.WriteString(s.st.paint(sgrBold, "Needs action:"))
		sep = " "
		for i, o := range actionOutcomes {
			fmt.Fprintf(&b, "%s%s", sep, s.st.paint(outcomeColor(o), fmt.Sprintf("%s %d (%s)", o, s.awards[i], plural(s.applicants[i], "applicant"))))
			sep = ", "
		}
		fmt.Fprintf(&b, "; %s to settle\n", plural(s.settle, "action"))
	}
	_, err := io.WriteString(s.w, b.String())
	return err
}

// csvWriter writes the summary's columns as CSV (RFC 4180): a header
// record, then one record per applicant; no totals, which a spreadsheet
// makes itself. Lists are given in full.
type csvWriter struct {
	w      *csv.Writer
	header bool
	record []string
}

func newCSVWriter(w io.Writer) *csvWriter {
	return &csvWriter{w: csv.NewWriter(w), record: make([]string, len(summaryColumns))}
}

func (c *csvWriter) writeHeader() error {
	c.header = true
	for i, col := range summaryColumns {
		c.record[i] = col.name
	}
	return c.w.Write(c.record)
}

func (c *csvWriter) write(_ string, d *eligibility.Decision) error {
	if !c.header {
		if err := c.writeHeader(); err != nil {
			return err
		}
	}
	r := newRow(d)
	for i, col := range summaryColumns {
		c.record[i] = col.value(r, 0)
	}
	if err := c.w.Write(c.record); err != nil {
		return err
	}
	// Each record is written as it is made, as the other formats do.
	c.w.Flush()
	return c.w.Error()
}

func (c *csvWriter) fail() {}

func (c *csvWriter) close() error {
	if !c.header {
		if err := c.writeHeader(); err != nil {
			return err
		}
	}
	c.w.Flush()
	return c.w.Error()
}
