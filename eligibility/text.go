package eligibility

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

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
	fmt.Fprintf(&b, "Applicant %s: rules %s %s (%s), as of %s\n", d.Applicant, d.RuleSet.Name, d.RuleSet.Version, digest, d.AsOf)
	level := "none"
	for _, l := range d.Levels {
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
	if len(d.Gates) > 0 {
		// Gates weigh in every award below: say so once, up front.
		parts := make([]string, len(d.Gates))
		for i, g := range d.Gates {
			parts[i] = fmt.Sprintf("%s %s [%s]", statusMark(g.Status), g.ID, g.Status)
		}
		fmt.Fprintf(&b, "Gates (every award needs them): %s\n", strings.Join(parts, ", "))
	}
	for _, group := range []struct {
		name string
		as   []AwardResult
	}{{"Levels", d.Levels}, {"Categories", d.Categories}, {"Courses", d.Courses}} {
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
		for _, u := range g.Unmet {
			r, _ := d.Requirement(u.ID)
			fmt.Fprintf(&b, "  %s %s: %s [%s]\n", statusMark(r.Status), r.ID, r.Title, r.Status)
			for _, line := range r.Explain() {
				fmt.Fprintf(&b, "      %s\n", line)
			}
		}
	}
	b.WriteString("Requirements:\n")
	for _, r := range d.Requirements {
		fmt.Fprintf(&b, "  %s %-10s %s: %s\n", statusMark(r.Status), r.Status, r.ID, r.Title)
		for _, line := range r.summary() {
			fmt.Fprintf(&b, "      %s\n", line)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// String formats an action for people, e.g. "verify qualifications[0] (Diploma)".
func (a Action) String() string {
	s := string(a.Kind)
	if a.Item != "" {
		s += " " + a.Item
	}
	if a.Label != "" {
		s += " (" + a.Label + ")"
	}
	if a.Item == "" || a.Kind == Judge {
		s += " for " + a.Requirement
	}
	return s
}

// Explain describes the requirement's result in lines for people: each
// clause with what it observed against what it requires, the closest list
// entry of a failed list condition (of a failed none(), the entry found),
// missing data and claims to verify. The
// rule file's explain wording, where given for the status, comes first.
func (r RequirementResult) Explain() []string {
	var lines []string
	if t := r.explain[string(r.Status)]; t != "" {
		lines = append(lines, r.fill(t))
	}
	for _, c := range r.Clauses {
		if r.Status != Met && c.Status == Met {
			continue
		}
		lines = append(lines, c.explain())
		if g := c.Closest; g != nil && c.Status != Met && g.Met == g.Total && len(g.Failed) == 0 {
			// A failed none(): the entry is the offender, not a near miss.
			line := "found: " + g.entry() + ", which meets the condition"
			if g.Total > 1 {
				line = fmt.Sprintf("found: %s, which meets all %d conditions", g.entry(), g.Total)
			}
			lines = append(lines, line)
		} else if g != nil && c.Status != Met {
			line := "closest: " + g.entry()
			line += fmt.Sprintf(", %d of %d conditions hold; fails", g.Met, g.Total)
			for i, f := range g.Failed {
				if i > 0 {
					line += ";"
				}
				line += " " + ConditionGap(f).explain()
			}
			lines = append(lines, line)
		}
	}
	for _, a := range r.Unverified {
		lines = append(lines, "unverified claim: "+a.String())
	}
	return lines
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
func (g *EntryGap) entry() string {
	if g.Label != "" {
		return g.Path + " (" + g.Label + ")"
	}
	return g.Path
}

// fill replaces {observed}, {required}, {shortfall} and {missing} in an
// explain template with the first comparison's values.
func (r RequirementResult) fill(t string) string {
	var obs, req, short string
	for _, c := range r.Clauses {
		if c.Op != "" {
			obs, req = format(c.Observed), format(c.Required)
			if c.Shortfall != nil {
				short = amount(*c.Shortfall)
			}
			break
		}
	}
	return strings.NewReplacer("{observed}", obs, "{required}", req, "{shortfall}", short,
		"{missing}", strings.Join(r.Missing, ", "), "{title}", r.Title).Replace(t)
}

func (c ClauseResult) explain() string {
	var s string
	switch {
	case c.Status == Unknown:
		s = fmt.Sprintf("%s: unknown, missing %s", c.Text, strings.Join(c.Missing, ", "))
		if c.Op != "" && !c.Required.IsZero() {
			s += fmt.Sprintf(" (needs %s %s)", c.Op, format(c.Required))
		}
	case c.Op != "":
		s = fmt.Sprintf("%s: %s, needs %s %s", c.Text, format(c.Observed), c.Op, format(c.Required))
		if c.Shortfall != nil {
			s += fmt.Sprintf(" (%s short)", amount(*c.Shortfall))
		}
	case c.Status == Met && c.Closest != nil:
		s = c.Text + ": holds for " + c.Closest.entry()
	case c.Status == Met:
		s = c.Text + ": holds"
	case !c.Observed.IsZero():
		s = fmt.Sprintf("%s: does not hold for %s", c.Text, format(c.Observed))
	default:
		s = c.Text + ": does not hold"
	}
	return s
}

func (f ConditionGap) explain() string {
	switch {
	case f.Op != "":
		s := fmt.Sprintf("%s (%s, needs %s %s", f.Text, format(f.Observed), f.Op, format(f.Required))
		if f.Shortfall != nil {
			s += fmt.Sprintf("; %s short", amount(*f.Shortfall))
		}
		return s + ")"
	case !f.Observed.IsZero():
		return fmt.Sprintf("%s (given %s)", f.Text, format(f.Observed))
	}
	return f.Text
}

// format renders a value for people (rules.Value.String): numbers without
// trailing zeros, dates as YYYY-MM-DD, texts quoted, absent values as
// "none".
func format(v rules.Value) string { return v.String() }

// amount renders a shortfall: a number without trailing zeros.
func amount(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

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
