package eligibility

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/eligo-dev/eligo/eligibility/internal/printable"
	"github.com/eligo-dev/eligo/rules"
)

// Text renders the decision for people. The wording may change between
// versions; programs should read the Decision's fields or its JSON.
func (d *Decision) Text() string {
	var b strings.Builder
	d.WriteText(&b)
	return b.String()
}

// WriteText writes the decision for people to w (see Text).
func (d *Decision) WriteText(w io.Writer) error {
	var b strings.Builder
	digest := d.RuleSet.Digest
	if len(digest) > 19 {
		digest = digest[:19]
	}
	fmt.Fprintf(&b, "Applicant %s: rules %s %s (%s), as of %s\n", printable.Shown(d.Applicant), d.RuleSet.Name, d.RuleSet.Version, digest, d.AsOf)
	level := "none"
	for _, l := range d.Levels() {
		if l.ID == d.Level {
			level = fmt.Sprintf("%s (%s)", l.Title, l.ID)
		}
	}
	for _, l := range d.LeftOut {
		fmt.Fprintf(&b, "Left out: %s\n", l)
	}
	fmt.Fprintf(&b, "Level: %s\n", level)
	switch {
	case d.ValidUntil != nil && d.Changes != nil && !d.Changes.Checked:
		fmt.Fprintf(&b, "Holds at least until %s (not checked further)\n", d.ValidUntil)
	case d.ValidUntil != nil && d.Changes != nil:
		fmt.Fprintf(&b, "Holds until %s: %s\n", d.ValidUntil, d.Changes)
	case d.Indefinitely:
		b.WriteString("Holds indefinitely on this evidence\n")
	}
	if gates := d.Gates(); len(gates) > 0 {
		// Gates weigh in every award below: say so once, up front.
		parts := make([]string, len(gates))
		for i, g := range gates {
			parts[i] = fmt.Sprintf("%s %s [%s]", statusMark(g.Status), g.ID, g.Status)
		}
		fmt.Fprintf(&b, "Gates (every award needs them): %s\n", strings.Join(parts, ", "))
	}
	for _, group := range []struct {
		name string
		as   []AwardResult
	}{{"Levels", d.Levels()}, {"Categories", d.Categories()}, {"Courses", d.Courses()}} {
		if len(group.as) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s:\n", group.name)
		for _, a := range group.as {
			fmt.Fprintf(&b, "  %s %-12s %s", mark(a.Outcome), a.Outcome, a.Title)
			if len(a.Routes) > 0 && a.Outcome != Refused {
				fmt.Fprintf(&b, " (route %s)", a.Route)
			}
			b.WriteByte('\n')
			// Two requirements may wait on one claim: one line for it.
			var lines []string
			for _, s := range a.Settle {
				if line := s.String(); !slices.Contains(lines, line) {
					lines = append(lines, line)
					fmt.Fprintf(&b, "      to settle: %s\n", line)
				}
			}
		}
	}
	if len(d.Benefits) > 0 {
		ids := make([]string, len(d.Benefits))
		for i, x := range d.Benefits {
			ids[i] = x.ID
		}
		fmt.Fprintf(&b, "Benefits: %s\n", strings.Join(ids, ", "))
	}
	if len(d.Fees) > 0 {
		parts := make([]string, len(d.Fees))
		for i, f := range d.Fees {
			parts[i] = fmt.Sprintf("%s %s", f.Item, money(f.Amount))
		}
		fmt.Fprintf(&b, "Annual fee: %s (%s)\n", money(d.FeeTotal), strings.Join(parts, " + "))
	}
	if g := d.Next; g != nil {
		fmt.Fprintf(&b, "Next level: %s: %s", g.Title, g.Outcome)
		if g.Route != "" {
			fmt.Fprintf(&b, " (route %s)", g.Route)
		}
		b.WriteByte('\n')
		if len(g.Met) > 0 {
			fmt.Fprintf(&b, "  already holds: %s\n", strings.Join(g.Met, ", "))
		}
		at := make(map[string]int, len(g.Unmet)) // each unmet requirement's place
		for _, u := range g.Unmet {
			at[u.ID] = -1
		}
		reqs := d.Requirements()
		for i := range reqs {
			if j, ok := at[reqs[i].ID]; ok && j < 0 {
				at[reqs[i].ID] = i // the first, as Requirement finds it
			}
		}
		for _, u := range g.Unmet {
			var r RequirementResult
			if i := at[u.ID]; i >= 0 {
				r = reqs[i]
			}
			fmt.Fprintf(&b, "  %s %s: %s [%s]\n", statusMark(r.Status), r.ID, r.Title, r.Status)
			for _, line := range r.Explain() {
				fmt.Fprintf(&b, "      %s\n", line)
			}
		}
	}
	b.WriteString("Requirements:\n")
	for _, r := range d.Requirements() {
		fmt.Fprintf(&b, "  %s %-10s %s: %s\n", statusMark(r.Status), r.Status, r.ID, r.Title)
		for _, line := range r.summary() {
			fmt.Fprintf(&b, "      %s\n", line)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// String formats an action for people, e.g. "verify qualifications[0] (Diploma)".
func (a Action) String() string { return string(a.appendText(make([]byte, 0, 64))) }

// appendText appends String's text to b.
func (a Action) appendText(b []byte) []byte {
	b = append(b, a.Kind...)
	if a.Item != "" {
		b = append(b, ' ')
		b = append(b, a.Item...)
	}
	if a.Label != "" {
		b = append(b, " ("...)
		b = printable.Append(b, a.Label)
		b = append(b, ')')
	}
	if a.Item == "" || a.Kind == Judge {
		b = append(b, " for "...)
		b = append(b, a.Requirement...)
	}
	return b
}

// Explain describes the requirement's result in lines for people: each
// clause with what it observed against what it requires, the closest list
// entry of a failed list condition (of a failed none(), the entry found),
// missing data and claims to verify. The
// rule file's explain wording, where given for the status, comes first.
func (r RequirementResult) Explain() []string {
	var lines []string
	r.appendExplain(make([]byte, 0, 256), func(b []byte, start int) []byte {
		lines = append(lines, string(b[start:]))
		return b[:start]
	})
	return lines
}

// appendExplain appends Explain's lines to b, one at a time: after each,
// it calls line with b and where the line starts in it (the line is
// b[start:]), and goes on from the b line returns. Explain collects the
// lines as strings; AppendJSON writes each as a JSON string in place,
// without making them strings.
func (r *RequirementResult) appendExplain(b []byte, line func(b []byte, start int) []byte) []byte {
	if t := r.explain[string(r.Status)]; t != "" {
		b = line(r.appendFill(b, t), len(b))
	}
	for i := range r.Clauses {
		c := &r.Clauses[i]
		if r.Status != Met && c.Status == Met {
			continue
		}
		b = line(c.appendExplain(b), len(b))
		start := len(b)
		if g := c.Closest; g != nil && c.Status != Met && g.Met == g.Total && len(g.Failed) == 0 {
			// A failed none(): the entry is the offender, not a near miss.
			b = append(b, "found: "...)
			b = g.appendEntry(b)
			if g.Total > 1 {
				b = append(b, ", which meets all "...)
				b = strconv.AppendInt(b, int64(g.Total), 10)
				b = append(b, " conditions"...)
			} else {
				b = append(b, ", which meets the condition"...)
			}
			b = line(b, start)
		} else if g != nil && c.Status != Met {
			b = append(b, "closest: "...)
			b = g.appendEntry(b)
			b = append(b, ", "...)
			b = strconv.AppendInt(b, int64(g.Met), 10)
			b = append(b, " of "...)
			b = strconv.AppendInt(b, int64(g.Total), 10)
			b = append(b, " conditions hold; fails"...)
			for i := range g.Failed {
				if i > 0 {
					b = append(b, ';')
				}
				b = append(b, ' ')
				b = g.Failed[i].appendExplain(b)
			}
			b = line(b, start)
		}
	}
	for _, a := range r.Unverified {
		start := len(b)
		b = line(a.appendText(append(b, "unverified claim: "...)), start)
	}
	return b
}

// summary is Explain shortened for the list of every requirement: a met
// requirement shows only its comparisons, the observed values against the
// required ones, and the list entries that meet its list conditions.
func (r RequirementResult) summary() []string {
	if r.Status != Met {
		return r.Explain()
	}
	var lines []string
	for _, c := range r.Clauses {
		switch {
		case c.Op != "":
			lines = append(lines, c.explain())
		case c.Closest != nil:
			lines = append(lines, "met by "+c.Closest.entry())
		}
	}
	return lines
}

// entry names the list entry: its path and, if it has one, its label.
func (g *EntryGap) entry() string { return string(g.appendEntry(nil)) }

// appendEntry appends entry's name to b.
func (g *EntryGap) appendEntry(b []byte) []byte {
	b = append(b, g.Path...)
	if g.Label != "" {
		b = append(b, " ("...)
		b = printable.Append(b, g.Label)
		b = append(b, ')')
	}
	return b
}

// fillKeys are the placeholders of an explain template.
var fillKeys = [...]string{"{observed}", "{required}", "{shortfall}", "{missing}", "{title}"}

// appendFill appends the explain template t to b with {observed},
// {required}, {shortfall}, {missing} and {title} replaced by the first
// comparison's values, the missing data and the title, left to right
// (what a placeholder is replaced by is not read for placeholders again).
func (r *RequirementResult) appendFill(b []byte, t string) []byte {
	var c *ClauseResult
	for i := range r.Clauses {
		if r.Clauses[i].Op != "" {
			c = &r.Clauses[i]
			break
		}
	}
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			return append(b, t...)
		}
		b = append(b, t[:i]...)
		t = t[i:]
		key := -1
		for k, p := range fillKeys {
			if strings.HasPrefix(t, p) {
				key = k
				break
			}
		}
		if key < 0 {
			b = append(b, '{')
			t = t[1:]
			continue
		}
		t = t[len(fillKeys[key]):]
		switch key {
		case 0:
			if c != nil {
				b = c.Observed.AppendString(b)
			}
		case 1:
			if c != nil {
				b = c.Required.AppendString(b)
			}
		case 2:
			if c != nil && c.Shortfall != nil {
				b = appendAmount(b, *c.Shortfall)
			}
		case 3:
			b = appendJoined(b, r.Missing)
		case 4:
			b = append(b, r.Title...)
		}
	}
}

// appendJoined appends ss to b separated by ", ", as strings.Join.
func appendJoined(b []byte, ss []string) []byte {
	for i, s := range ss {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, s...)
	}
	return b
}

func (c ClauseResult) explain() string { return string(c.appendExplain(nil)) }

// appendExplain appends explain's line to b.
func (c *ClauseResult) appendExplain(b []byte) []byte {
	b = append(b, c.Text...)
	switch {
	case c.Status == Unknown:
		b = append(b, ": unknown, missing "...)
		b = appendJoined(b, c.Missing)
		if c.Op != "" && !c.Required.IsZero() {
			b = append(b, " (needs "...)
			b = append(b, c.Op...)
			b = append(b, ' ')
			b = c.Required.AppendString(b)
			b = append(b, ')')
		}
	case c.Op != "":
		b = append(b, ": "...)
		b = appendNeeds(b, c.Observed, c.Op, c.Required)
		if c.Shortfall != nil {
			b = append(b, " ("...)
			b = appendAmount(b, *c.Shortfall)
			b = append(b, " short)"...)
		}
	case c.Status == Met && c.Closest != nil:
		b = append(b, ": holds for "...)
		b = c.Closest.appendEntry(b)
	case c.Status == Met:
		b = append(b, ": holds"...)
	case !c.Observed.IsZero():
		b = append(b, ": does not hold for "...)
		b = c.Observed.AppendString(b)
	default:
		b = append(b, ": does not hold"...)
	}
	return b
}

// appendExplain appends the failed condition for people to b: its text,
// with what it observed.
func (f *ConditionGap) appendExplain(b []byte) []byte {
	b = append(b, f.Text...)
	switch {
	case f.Op != "":
		b = append(b, " ("...)
		b = appendNeeds(b, f.Observed, f.Op, f.Required)
		if f.Shortfall != nil {
			b = append(b, "; "...)
			b = appendAmount(b, *f.Shortfall)
			b = append(b, " short"...)
		}
		b = append(b, ')')
	case !f.Observed.IsZero():
		b = append(b, " (given "...)
		b = f.Observed.AppendString(b)
		b = append(b, ')')
	}
	return b
}

// appendNeeds appends a comparison for people: "2, needs >= 3".
func appendNeeds(b []byte, observed rules.Value, op string, required rules.Value) []byte {
	b = observed.AppendString(b)
	b = append(b, ", needs "...)
	b = append(b, op...)
	b = append(b, ' ')
	return required.AppendString(b)
}

// appendAmount appends a shortfall: a number without trailing zeros.
func appendAmount(b []byte, f float64) []byte { return strconv.AppendFloat(b, f, 'f', -1, 64) }

func money(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

func mark(o Outcome) string {
	switch o {
	case Granted:
		return "✓"
	case Refused:
		return "✗"
	}
	return "?"
}

func statusMark(s Status) string {
	switch s {
	case Met:
		return "✓"
	case Unmet:
		return "✗"
	}
	return "?"
}
