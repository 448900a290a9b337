package eligibilitytest

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
)

// Statuses are the requirement statuses coverage counts, in table order.
var Statuses = []eligibility.Status{eligibility.Met, eligibility.Unmet, eligibility.Unknown, eligibility.Unverified, eligibility.Review}

// Outcomes are the award outcomes coverage counts, in table order.
var Outcomes = []eligibility.Outcome{eligibility.Granted, eligibility.Refused, eligibility.Undetermined, eligibility.Referred, eligibility.Provisional}

// Coverage records what a fixture suite reached: per requirement, how many
// fixtures gave it each status; per clause of a requirement's condition,
// how often it held and failed; per award and per route, how many got each
// outcome; per threshold comparison, whether some fixture sits exactly on
// the threshold and some just short of it.
//
// Build one with [NewCoverage] over the rule set (so that requirements and
// awards no fixture reached still show, at zero), feed it decisions with
// [Coverage.Add] or through [RunCover] and [CheckCover], then read it with
// [Coverage.Report], [Coverage.WriteTable] or [Coverage.Check]. It is safe
// for concurrent use. Its JSON is the Report's.
//
// # Threshold comparisons
//
// A threshold comparison is a clause, or a condition of a list clause's
// entry (any(onlineTraining, .hours >= param.qualifying_course_hours)),
// that compares with <, <=, > or >= two numbers or two dates. Its distance
// is |observed − required|, in the comparison's units for numbers and in
// days for dates. A fixture sits
//
//   - on the threshold when the distance is 0 (observed == required): met
//     for <= and >=, unmet for < and >;
//   - just short of it when the comparison fails and 0 < distance <= 1: one
//     unit (an hour, a word, a year) or one day away, on the failing side.
//
// Nearest records the smallest distance of any failing fixture, and which,
// so that a table shows how close the suite comes when nothing is just
// short. A list condition's values are seen only when the decision shows
// them: for the entry that explains a failed clause (EntryGap.Failed); an
// entry exactly on a threshold inside a clause that holds is not seen.
type Coverage struct {
	mu         sync.Mutex
	ruleSet    string
	fixtures   int
	invalid    int
	reqs       []*RequirementCoverage
	reqIndex   map[string]int
	awards     []*AwardCoverage
	awardIndex map[string]int
	thresholds []*ThresholdCoverage
	thrIndex   map[thrKey]int
}

type thrKey struct{ req, clause, cond string }

// RequirementCoverage is what the fixtures reached of one requirement.
type RequirementCoverage struct {
	ID string `json:"id"`
	// Statuses counts the fixtures per status; every status is present.
	Statuses map[eligibility.Status]int `json:"statuses"`
	// Clauses are the parts of its condition, in the order decisions list
	// them, as first seen.
	Clauses []*ClauseCoverage `json:"clauses"`
}

// Reached reports whether some fixture gave the requirement status s.
func (r *RequirementCoverage) Reached(s eligibility.Status) bool { return r.Statuses[s] > 0 }

// ClauseCoverage counts how often one clause held, failed or was unknown.
type ClauseCoverage struct {
	Text    string `json:"text"`
	Held    int    `json:"held"`
	Failed  int    `json:"failed"`
	Unknown int    `json:"unknown"`
}

// AwardCoverage is what the fixtures reached of one level, category or course.
type AwardCoverage struct {
	ID   string `json:"id"`
	Kind string `json:"kind"` // "level", "category" or "course"
	// Outcomes counts the fixtures per outcome; every outcome is present.
	Outcomes map[eligibility.Outcome]int `json:"outcomes"`
	// Routes are the award's routes, in rule-set order, each with the
	// outcomes it gave (a route's own, not the award's best).
	Routes []*RouteCoverage `json:"routes"`
}

// Reached reports whether some fixture got outcome o for the award.
func (a *AwardCoverage) Reached(o eligibility.Outcome) bool { return a.Outcomes[o] > 0 }

// RouteCoverage counts the outcomes one route gave.
type RouteCoverage struct {
	Name     string                      `json:"name"`
	Outcomes map[eligibility.Outcome]int `json:"outcomes"`
}

// ThresholdCoverage is what the fixtures reached of one threshold
// comparison (see "Threshold comparisons" in [Coverage]).
type ThresholdCoverage struct {
	Requirement string `json:"requirement"`
	Clause      string `json:"clause"`              // the clause's text
	Condition   string `json:"condition,omitempty"` // a list entry's condition's text; "" when the clause itself compares
	Op          string `json:"op"`
	// Required is the threshold as last seen (a parameter may change with
	// the evaluation date).
	Required rules.Value `json:"required"`
	// On names the first fixture seen exactly on the threshold; "" none.
	On string `json:"on,omitempty"`
	// JustShort names the first fixture seen just short of it; "" none.
	JustShort string `json:"justShort,omitempty"`
	// Nearest is the smallest distance of a failing fixture, nil when none
	// failed; NearestFixture names it.
	Nearest        *float64 `json:"nearest,omitempty"`
	NearestFixture string   `json:"nearestFixture,omitempty"`
}

// NewCoverage returns an empty Coverage over set's requirements, awards
// and routes. set may be nil: items then appear as decisions bring them.
func NewCoverage(set *rules.Set) *Coverage {
	c := &Coverage{reqIndex: map[string]int{}, awardIndex: map[string]int{}, thrIndex: map[thrKey]int{}}
	if set == nil {
		return c
	}
	c.ruleSet = set.Name
	for _, r := range set.Requirements {
		c.requirement(r.ID)
	}
	for _, g := range []struct {
		kind   string
		awards []*rules.Award
	}{{"level", set.Levels}, {"category", set.Categories}, {"course", set.Courses}} {
		for _, a := range g.awards {
			ac := c.award(a.ID, g.kind)
			for _, rt := range a.Routes {
				ac.route(rt.Name)
			}
		}
	}
	return c
}

func (c *Coverage) requirement(id string) *RequirementCoverage {
	if i, ok := c.reqIndex[id]; ok {
		return c.reqs[i]
	}
	r := &RequirementCoverage{ID: id, Statuses: map[eligibility.Status]int{}, Clauses: []*ClauseCoverage{}}
	for _, s := range Statuses {
		r.Statuses[s] = 0
	}
	c.reqIndex[id] = len(c.reqs)
	c.reqs = append(c.reqs, r)
	return r
}

func (c *Coverage) award(id, kind string) *AwardCoverage {
	if i, ok := c.awardIndex[id]; ok {
		return c.awards[i]
	}
	a := &AwardCoverage{ID: id, Kind: kind, Outcomes: outcomeCounts(), Routes: []*RouteCoverage{}}
	c.awardIndex[id] = len(c.awards)
	c.awards = append(c.awards, a)
	return a
}

func outcomeCounts() map[eligibility.Outcome]int {
	m := make(map[eligibility.Outcome]int, len(Outcomes))
	for _, o := range Outcomes {
		m[o] = 0
	}
	return m
}

func (a *AwardCoverage) route(name string) *RouteCoverage {
	for _, r := range a.Routes {
		if r.Name == name {
			return r
		}
	}
	r := &RouteCoverage{Name: name, Outcomes: outcomeCounts()}
	a.Routes = append(a.Routes, r)
	return r
}

// Add records one decision, naming it by its applicant's id.
func (c *Coverage) Add(d *eligibility.Decision) { c.AddNamed(d.Applicant, d) }

// AddNamed records one decision, naming it fixture in the threshold
// columns (On, JustShort, NearestFixture).
func (c *Coverage) AddNamed(fixture string, d *eligibility.Decision) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reqIndex == nil { // the zero Coverage
		c.reqIndex, c.awardIndex, c.thrIndex = map[string]int{}, map[string]int{}, map[thrKey]int{}
	}
	if c.ruleSet == "" {
		c.ruleSet = d.RuleSet.Name
	}
	c.fixtures++
	for i := range d.Requirements() {
		r := &d.Requirements()[i]
		rc := c.requirement(r.ID)
		rc.Statuses[r.Status]++
		for k := range r.Clauses {
			cl := &r.Clauses[k]
			cc := rc.clause(k, cl.Text)
			switch cl.Status {
			case eligibility.Met:
				cc.Held++
			case eligibility.Unknown:
				cc.Unknown++
			default:
				cc.Failed++
			}
			if cl.Status != eligibility.Unknown {
				c.threshold(fixture, r.ID, cl.Text, "", cl.Op, cl.Observed, cl.Required, cl.Status == eligibility.Met)
			}
			if g := cl.Closest; g != nil {
				for j := range g.Failed {
					f := &g.Failed[j]
					c.threshold(fixture, r.ID, cl.Text, f.Text, f.Op, f.Observed, f.Required, false)
				}
			}
		}
	}
	for _, g := range [...]struct {
		kind  string
		group []eligibility.AwardResult
	}{{"level", d.Levels()}, {"category", d.Categories()}, {"course", d.Courses()}} {
		kind, group := g.kind, g.group
		for i := range group {
			a := &group[i]
			ac := c.award(a.ID, kind)
			ac.Outcomes[a.Outcome]++
			if len(a.Routes) == 0 {
				ac.route(a.Route).Outcomes[a.Outcome]++
			}
			for _, rt := range a.Routes {
				ac.route(rt.Name).Outcomes[rt.Outcome]++
			}
		}
	}
}

// AddInvalid counts a fixture whose document was (rightly) rejected: it
// reaches nothing, but the table says how many there were.
func (c *Coverage) AddInvalid() {
	c.mu.Lock()
	c.invalid++
	c.mu.Unlock()
}

func (r *RequirementCoverage) clause(k int, text string) *ClauseCoverage {
	if k < len(r.Clauses) && r.Clauses[k].Text == text {
		return r.Clauses[k]
	}
	for _, cc := range r.Clauses {
		if cc.Text == text {
			return cc
		}
	}
	cc := &ClauseCoverage{Text: text}
	r.Clauses = append(r.Clauses, cc)
	return cc
}

// distance is |observed − required| for two numbers, or in days for two
// dates; ok is false for other values.
func distance(observed, required rules.Value) (float64, bool) {
	if o, ok := observed.Number(); ok {
		if r, ok := required.Number(); ok {
			return math.Round(math.Abs(o-r)*1e6) / 1e6, true
		}
		return 0, false
	}
	if observed.Kind() == rules.KindDate && required.Kind() == rules.KindDate {
		return math.Abs(observed.Date().Sub(required.Date()).Hours()) / 24, true
	}
	return 0, false
}

func (c *Coverage) threshold(fixture, req, clause, cond, op string, observed, required rules.Value, met bool) {
	switch op {
	case "<", "<=", ">", ">=":
	default:
		return
	}
	dist, ok := distance(observed, required)
	if !ok {
		return
	}
	key := thrKey{req, clause, cond}
	i, seen := c.thrIndex[key]
	if !seen {
		i = len(c.thresholds)
		c.thrIndex[key] = i
		c.thresholds = append(c.thresholds, &ThresholdCoverage{Requirement: req, Clause: clause, Condition: cond, Op: op})
	}
	t := c.thresholds[i]
	t.Required = required
	if dist == 0 && t.On == "" {
		t.On = fixture
	}
	if met {
		return
	}
	if dist > 0 && dist <= 1 && t.JustShort == "" {
		t.JustShort = fixture
	}
	if t.Nearest == nil || dist < *t.Nearest {
		t.Nearest, t.NearestFixture = &dist, fixture
	}
}

// Report is a Coverage's structured form, for JSON and for tools. The
// items a suite most likely misses come first: requirements never unmet
// (the fixtures never show them failing, so a rule that always held would
// pass them: vacuous tests) and awards never granted.
type Report struct {
	RuleSet  string `json:"ruleset"`
	Fixtures int    `json:"fixtures"` // decisions recorded
	Invalid  int    `json:"invalid"`  // documents rejected, as their want files said
	// NeverUnmet are the requirements no fixture gave status unmet.
	NeverUnmet []string `json:"neverUnmet"`
	// NeverGranted are the awards no fixture was granted.
	NeverGranted []string               `json:"neverGranted"`
	Requirements []*RequirementCoverage `json:"requirements"`
	Awards       []*AwardCoverage       `json:"awards"`
	Thresholds   []*ThresholdCoverage   `json:"thresholds"`
}

// Report returns a snapshot of the coverage. Requirements and awards are in
// rule-set order, thresholds as first seen.
func (c *Coverage) Report() Report {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := Report{RuleSet: c.ruleSet, Fixtures: c.fixtures, Invalid: c.invalid, NeverUnmet: []string{}, NeverGranted: []string{}}
	for _, rc := range c.reqs {
		cp := *rc
		cp.Statuses = copyMap(rc.Statuses)
		cp.Clauses = make([]*ClauseCoverage, len(rc.Clauses))
		for i, cc := range rc.Clauses {
			x := *cc
			cp.Clauses[i] = &x
		}
		r.Requirements = append(r.Requirements, &cp)
		if !rc.Reached(eligibility.Unmet) {
			r.NeverUnmet = append(r.NeverUnmet, rc.ID)
		}
	}
	for _, ac := range c.awards {
		cp := *ac
		cp.Outcomes = copyMap(ac.Outcomes)
		cp.Routes = make([]*RouteCoverage, len(ac.Routes))
		for i, rt := range ac.Routes {
			cp.Routes[i] = &RouteCoverage{Name: rt.Name, Outcomes: copyMap(rt.Outcomes)}
		}
		r.Awards = append(r.Awards, &cp)
		if !ac.Reached(eligibility.Granted) {
			r.NeverGranted = append(r.NeverGranted, ac.ID)
		}
	}
	for _, t := range c.thresholds {
		x := *t
		r.Thresholds = append(r.Thresholds, &x)
	}
	return r
}

func copyMap[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// MarshalJSON writes the coverage's Report.
func (c *Coverage) MarshalJSON() ([]byte, error) { return json.Marshal(c.Report()) }

// WriteTable writes the coverage for people, as aligned columns: first the
// requirements never unmet and the awards never granted, then every
// requirement with its statuses and clauses, every award with its outcomes
// and routes, and every threshold comparison. A count of 0 is written "-"
// so that gaps stand out.
func (c *Coverage) WriteTable(w io.Writer) error {
	r := c.Report()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	name := r.RuleSet
	if name == "" {
		name = "rules"
	}
	p("Coverage of %s: %d fixtures decided, %d invalid\n\n", name, r.Fixtures, r.Invalid)
	p("Never unmet (vacuous): %s\n", listOrNone(r.NeverUnmet))
	p("Never granted: %s\n\n", listOrNone(r.NeverGranted))
	tw.Flush()

	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p = func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	p("REQUIREMENT\tMET\tUNMET\tUNKNOWN\tUNVERIFIED\tREVIEW\t\n")
	for _, rc := range r.Requirements {
		p("%s", rc.ID)
		for _, s := range Statuses {
			p("\t%s", count(rc.Statuses[s]))
		}
		p("\t\n")
		for _, cc := range rc.Clauses {
			p("  %s\theld %s\tfailed %s\t", clip(cc.Text, 60), count(cc.Held), count(cc.Failed))
			if cc.Unknown > 0 {
				p("unknown %d", cc.Unknown)
			}
			p("\t\t\t\n")
		}
	}
	p("\nAWARD\tGRANTED\tREFUSED\tUNDETERMINED\tREFERRED\tPROVISIONAL\t\n")
	for _, ac := range r.Awards {
		p("%s (%s)", ac.ID, ac.Kind)
		for _, o := range Outcomes {
			p("\t%s", count(ac.Outcomes[o]))
		}
		p("\t\n")
		if len(ac.Routes) > 1 {
			for _, rt := range ac.Routes {
				p("  route %s", rt.Name)
				for _, o := range Outcomes {
					p("\t%s", count(rt.Outcomes[o]))
				}
				p("\t\n")
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Thresholds) == 0 {
		return nil
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p = func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	p("\nTHRESHOLD\tON IT\tJUST SHORT\tNEAREST FAILING\t\n")
	for _, t := range r.Thresholds {
		text := t.Clause
		if t.Condition != "" {
			text = t.Condition
		}
		nearest := "-"
		if t.Nearest != nil {
			nearest = fmt.Sprintf("%s (%s)", fmtFloat(*t.Nearest), t.NearestFixture)
		}
		p("%s: %s [%s]\t%s\t%s\t%s\t\n", t.Requirement, clip(text, 60), t.Required, dash(t.On), dash(t.JustShort), nearest)
	}
	return tw.Flush()
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func count(n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprint(n)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

func fmtFloat(f float64) string { return fmt.Sprintf("%g", f) }

// Min is the least coverage a suite must reach; the zero Min asks nothing.
// [Coverage.Check] reports every item below it.
type Min struct {
	// Statuses every requirement must reach, e.g. met and unmet.
	Statuses []eligibility.Status
	// Outcomes every award must reach, e.g. granted and refused.
	Outcomes []eligibility.Outcome
	// Clauses, when set, asks every clause seen to have held and failed.
	Clauses bool
	// Thresholds, when set, asks every threshold comparison seen to have a
	// fixture on it and one just short of it.
	Thresholds bool
	// Percent, when above 0, is the least share (0-100) of the pairs
	// (requirement, status in Statuses) and (award, outcome in Outcomes)
	// that some fixture reaches; allowed pairs are left out of the count.
	// With Percent set, a missing pair is reported only through the share
	// (kind "percent"), not one by one.
	Percent float64
	// Allow excuses items, each with its reason: "ID" excuses a
	// requirement or award entirely, "ID=STATUS" or "ID=OUTCOME" one
	// status or outcome of it (for thresholds and clauses, the key is the
	// requirement's id). Check reports an allowance naming nothing in the
	// rule set, and one no longer needed (the item is reached), so the
	// list stays true.
	Allow map[string]string
}

// BothWays asks every requirement to be met and unmet by some fixture, and
// every award granted and refused: the least for a suite to show that each
// rule can both pass and fail.
var BothWays = Min{
	Statuses: []eligibility.Status{eligibility.Met, eligibility.Unmet},
	Outcomes: []eligibility.Outcome{eligibility.Granted, eligibility.Refused},
}

// Uncovered is one way a Coverage falls short of a Min.
type Uncovered struct {
	// Kind is "requirement", "award", "clause", "threshold", "percent" or
	// "allowance" (an allowance naming nothing, or no longer needed).
	Kind string `json:"kind"`
	ID   string `json:"id"` // the requirement's or award's id; the allowance's key
	// Missing are the statuses, outcomes or sides ("held", "failed", "on",
	// "just short") not reached.
	Missing []string `json:"missing,omitempty"`
	Detail  string   `json:"detail,omitempty"` // the clause or threshold text, or what is wrong
}

func (u Uncovered) String() string {
	switch u.Kind {
	case "requirement":
		return fmt.Sprintf("requirement %s: no fixture %s", u.ID, strings.Join(u.Missing, ", no fixture "))
	case "award":
		return fmt.Sprintf("award %s: no fixture %s", u.ID, strings.Join(u.Missing, ", no fixture "))
	case "clause":
		return fmt.Sprintf("requirement %s: clause %q never %s", u.ID, u.Detail, strings.Join(u.Missing, " nor "))
	case "threshold":
		return fmt.Sprintf("requirement %s: no fixture %s on %s", u.ID, strings.Join(u.Missing, " nor "), u.Detail)
	}
	return fmt.Sprintf("%s %s: %s", u.Kind, u.ID, u.Detail)
}

// Check returns every way the coverage falls short of m, most important
// first (requirements, awards, then clauses and thresholds); none means it
// reaches m.
func (c *Coverage) Check(m Min) []Uncovered {
	r := c.Report()
	var out []Uncovered
	used := map[string]bool{}
	allowed := func(key string) bool {
		if _, ok := m.Allow[key]; ok {
			used[key] = true
			return true
		}
		return false
	}
	known := map[string]bool{}
	total, reached := 0, 0
	for _, rc := range r.Requirements {
		known[rc.ID] = true
		for _, s := range Statuses {
			known[rc.ID+"="+string(s)] = true
		}
		if allowed(rc.ID) {
			if !requirementShort(&r, rc, m) {
				out = append(out, Uncovered{Kind: "allowance", ID: rc.ID, Detail: "no longer needed: the fixtures reach all it excuses"})
			}
			continue
		}
		var miss []string
		for _, s := range m.Statuses {
			key := rc.ID + "=" + string(s)
			_, excused := m.Allow[key]
			if excused {
				if rc.Reached(s) {
					out = append(out, Uncovered{Kind: "allowance", ID: key, Detail: "no longer needed: some fixture reaches it"})
				}
				used[key] = true
				continue
			}
			total++
			if rc.Reached(s) {
				reached++
			} else {
				miss = append(miss, string(s))
			}
		}
		if len(miss) > 0 && m.Percent == 0 {
			out = append(out, Uncovered{Kind: "requirement", ID: rc.ID, Missing: miss})
		}
	}
	for _, ac := range r.Awards {
		known[ac.ID] = true
		for _, o := range Outcomes {
			known[ac.ID+"="+string(o)] = true
		}
		if allowed(ac.ID) {
			if !slices.ContainsFunc(m.Outcomes, func(o eligibility.Outcome) bool { return !ac.Reached(o) }) {
				out = append(out, Uncovered{Kind: "allowance", ID: ac.ID, Detail: "no longer needed: the fixtures reach all it excuses"})
			}
			continue
		}
		var miss []string
		for _, o := range m.Outcomes {
			key := ac.ID + "=" + string(o)
			if _, excused := m.Allow[key]; excused {
				if ac.Reached(o) {
					out = append(out, Uncovered{Kind: "allowance", ID: key, Detail: "no longer needed: some fixture reaches it"})
				}
				used[key] = true
				continue
			}
			total++
			if ac.Reached(o) {
				reached++
			} else {
				miss = append(miss, string(o))
			}
		}
		if len(miss) > 0 && m.Percent == 0 {
			out = append(out, Uncovered{Kind: "award", ID: ac.ID, Missing: miss})
		}
	}
	if m.Clauses {
		for _, rc := range r.Requirements {
			if _, ok := m.Allow[rc.ID]; ok {
				continue
			}
			for _, cc := range rc.Clauses {
				var miss []string
				if cc.Held == 0 {
					miss = append(miss, "held")
				}
				if cc.Failed == 0 {
					miss = append(miss, "failed")
				}
				if len(miss) > 0 {
					out = append(out, Uncovered{Kind: "clause", ID: rc.ID, Missing: miss, Detail: cc.Text})
				}
			}
		}
	}
	if m.Thresholds {
		for _, t := range r.Thresholds {
			if _, ok := m.Allow[t.Requirement]; ok {
				continue
			}
			var miss []string
			if t.On == "" {
				miss = append(miss, "on")
			}
			if t.JustShort == "" {
				miss = append(miss, "just short")
			}
			if len(miss) > 0 {
				text := t.Clause
				if t.Condition != "" {
					text = t.Condition
				}
				out = append(out, Uncovered{Kind: "threshold", ID: t.Requirement, Missing: miss, Detail: text})
			}
		}
	}
	if m.Percent > 0 && total > 0 {
		if got := 100 * float64(reached) / float64(total); got < m.Percent {
			out = append(out, Uncovered{Kind: "percent", ID: "total", Detail: fmt.Sprintf("%.1f%% reached (%d of %d), want at least %g%%", got, reached, total, m.Percent)})
		}
	}
	keys := make([]string, 0, len(m.Allow))
	for k := range m.Allow {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		switch {
		case !known[k]:
			out = append(out, Uncovered{Kind: "allowance", ID: k, Detail: "names no requirement, award, status or outcome of the rule set"})
		case strings.TrimSpace(m.Allow[k]) == "":
			out = append(out, Uncovered{Kind: "allowance", ID: k, Detail: "gives no reason"})
		}
	}
	return out
}

// requirementShort reports whether the coverage r falls short of m on
// requirement rc: a status m asks for that no fixture reaches, or (as m
// asks) a clause not both held and failed, a threshold not both met and
// just missed.
func requirementShort(r *Report, rc *RequirementCoverage, m Min) bool {
	if slices.ContainsFunc(m.Statuses, func(s eligibility.Status) bool { return !rc.Reached(s) }) {
		return true
	}
	if m.Clauses && slices.ContainsFunc(rc.Clauses, func(cc *ClauseCoverage) bool { return cc.Held == 0 || cc.Failed == 0 }) {
		return true
	}
	return m.Thresholds && slices.ContainsFunc(r.Thresholds, func(t *ThresholdCoverage) bool {
		return t.Requirement == rc.ID && (t.On == "" || t.JustShort == "")
	})
}

// Require fails t for every way the coverage falls short of m, after
// logging the table, so that a test (and a CI) fails below the minimum.
func (c *Coverage) Require(t testing.TB, m Min) {
	t.Helper()
	gaps := c.Check(m)
	if len(gaps) == 0 {
		return
	}
	var b strings.Builder
	c.WriteTable(&b)
	t.Log("\n" + b.String())
	for _, g := range gaps {
		t.Error(g)
	}
}

// RunCover is [Run] that also records coverage: it decides every fixture
// of dir with e, one subtest per fixture, reports each difference from its
// want file, and returns the coverage of the decisions, over e's rule set.
func RunCover[T any](t *testing.T, e *eligibility.EngineOf[T], dir string) *Coverage {
	t.Helper()
	cov := NewCoverage(e.RuleSet())
	fixtures, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures {
		t.Run(f.Name, func(t *testing.T) {
			for _, problem := range CheckCover(e, f, cov) {
				t.Error(problem)
			}
		})
	}
	return cov
}
