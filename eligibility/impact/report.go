package impact

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/internal/printable"
	"github.com/eligo-dev/eligo/rules"
)

// Report is the impact of a rule change on a population: what [Run] and
// [RunDocuments] return. Its lists are flat rows of plain fields, in a
// stable order, for text (Text), JSON (its tags) and CSV alike.
type Report struct {
	Old Side `json:"old"` // the old rules and evaluation date
	New Side `json:"new"` // the new ones
	// Applicants is how many applicants were decided on both sides; Errors
	// how many were not (a document that does not decode, an invalid
	// applicant, a rule failing), on either side. Only the decided are
	// counted below.
	Applicants int `json:"applicants"`
	Errors     int `json:"errors"`
	// Changed is how many decided applicants changed level or some award's
	// outcome; LevelChanged how many changed level.
	Changed      int `json:"changed"`
	LevelChanged int `json:"levelChanged"`
	// Levels names the matrix's rows and columns: "" (no level), then the
	// old ladder's level ids lowest first, then any only the new one has.
	Levels []string `json:"levels"`
	// Matrix counts the decided applicants by level: Matrix[i][j] had
	// Levels[i] under the old rules and have Levels[j] under the new.
	Matrix [][]int `json:"matrix"`
	// Awards are every level, category and course, in rule-set order
	// (the new rule set's, then any only the old one has), with the
	// changes of their outcomes.
	Awards []AwardCount `json:"awards"`
	// Attribution counts, per requirement and change of status, the
	// changed applicants whose change it takes part in: requirements that
	// flipped on the best route of an award whose outcome changed, and
	// requirements the new rules added to it or removed from it that do
	// not hold (see AwardChange). Most applicants first.
	Attribution []Attribution `json:"attribution"`
	// Unattributed is how many changed applicants have no requirement that
	// flipped, was added or was removed: their change comes from the rule
	// sets' awards themselves (a route added, say).
	Unattributed int `json:"unattributed"`
	// NewlyUndetermined is how many decided applicants have some award
	// that was not undetermined and now is; Undetermined says for want of
	// which data, most applicants first.
	NewlyUndetermined int            `json:"newlyUndetermined"`
	Undetermined      []MissingCount `json:"undetermined"`
	// Affected are the first changed applicants, in input order, with
	// their diffs (see KeepAffected); AffectedOmitted how many more there
	// were.
	Affected        []Affected `json:"affected"`
	AffectedOmitted int        `json:"affectedOmitted"`
	// ErrorSamples are the first applicants' errors, in input order;
	// ErrorsOmitted how many more there were.
	ErrorSamples  []ApplicantError `json:"errorSamples"`
	ErrorsOmitted int              `json:"errorsOmitted"`
}

// Transition is one cell of the level transition matrix, as a row for a
// table or CSV: how many applicants went from level From to level To
// ("" for none).
type Transition struct {
	From       string `json:"from"`
	To         string `json:"to"`
	Applicants int    `json:"applicants"`
}

// Transitions lists the matrix's cells that hold applicants, row by row
// (old levels in Levels' order, then new ones): the matrix as flat rows.
func (r *Report) Transitions() []Transition {
	out := []Transition{}
	for i, from := range r.Levels {
		for j, to := range r.Levels {
			if n := r.Matrix[i][j]; n > 0 {
				out = append(out, Transition{From: from, To: to, Applicants: n})
			}
		}
	}
	return out
}

// AwardCount is one award's changes over the population.
type AwardCount struct {
	Kind  AwardKind `json:"kind"`
	ID    string    `json:"id"`
	Title string    `json:"title"`
	// Lost is how many applicants were granted it and are not now; Gained
	// how many are granted it and were not; Changed how many have another
	// outcome (lost and gained included); NewlyUndetermined how many now
	// have it undetermined and did not.
	Lost              int `json:"lost"`
	Gained            int `json:"gained"`
	Changed           int `json:"changed"`
	NewlyUndetermined int `json:"newlyUndetermined"`
}

// Attribution is one requirement's part in the changes: how many changed
// applicants it flipped from Old to New for (Cause Flipped), or, not
// holding, it was added to or removed from an award's requirements by
// the new rules (Added, Removed; Old and New are then its statuses, which
// may be the same).
type Attribution struct {
	Requirement string             `json:"requirement"`
	Title       string             `json:"title"`
	Cause       Cause              `json:"cause"`
	Old         eligibility.Status `json:"old"`
	New         eligibility.Status `json:"new"`
	Applicants  int                `json:"applicants"`
}

// Cause is how a requirement took part in a change.
type Cause string

// Causes of a change.
const (
	Flipped Cause = "flipped" // its status changed
	Added   Cause = "added"   // the new rules ask it of the award, and it does not hold
	Removed Cause = "removed" // the new rules no longer ask it, and it did not hold
)

// MissingCount is data that leaves awards newly undetermined: how many
// applicants the new rules find it absent for, in a requirement an award
// that became undetermined needs.
type MissingCount struct {
	Requirement string `json:"requirement"`
	// Path is the missing data's document path, e.g. "insurance.expires";
	// "" when the decision names none.
	Path string `json:"path"`
	// Rule is, when Path is "", the requirement's own unknown rule
	// (rules.Requirement's Unknown), whose holding made it unknown: what
	// it tests for is what is missing, e.g. "(cpd ?? nil) == nil".
	Rule       string `json:"rule,omitempty"`
	Applicants int    `json:"applicants"`
}

// Affected is a changed applicant, keyed as the run's input keys it, and
// its diff.
type Affected struct {
	Key  string       `json:"key"`
	Diff DecisionDiff `json:"diff"`
}

// ApplicantError is an applicant the run could not decide on one side or
// both.
type ApplicantError struct {
	Key string `json:"key"`
	// Side is "decode" (the document did not decode), "old", "new" or
	// "both" (the side whose Evaluate failed; for both, Err is the old
	// side's). An invalid applicant's error names it by Key, as a
	// document that does not decode is named by its name.
	Side string `json:"side"`
	Err  string `json:"error"`
}

// maxErrorSamples is how many applicants' errors a report keeps.
const maxErrorSamples = 20

func newReport(old, new *rules.Set, oldAsOf, newAsOf time.Time) *Report {
	info := func(s *rules.Set, asOf time.Time) Side {
		y, m, d := asOf.Date()
		return Side{RuleSet: eligibility.RuleSetInfo{Name: s.Name, Version: s.Version, Digest: s.Digest},
			AsOf: eligibility.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}}
	}
	r := &Report{Old: info(old, oldAsOf), New: info(new, newAsOf), Levels: []string{""},
		Attribution: []Attribution{}, Undetermined: []MissingCount{}, Affected: []Affected{}, ErrorSamples: []ApplicantError{}}
	for _, s := range []*rules.Set{old, new} {
		for _, l := range s.Levels {
			if !slices.Contains(r.Levels, l.ID) {
				r.Levels = append(r.Levels, l.ID)
			}
		}
	}
	r.Matrix = make([][]int, len(r.Levels))
	for i := range r.Matrix {
		r.Matrix[i] = make([]int, len(r.Levels))
	}
	for _, s := range []*rules.Set{new, old} {
		for _, g := range []struct {
			kind AwardKind
			as   []*rules.Award
		}{{LevelAward, s.Levels}, {CategoryAward, s.Categories}, {CourseAward, s.Courses}} {
			for _, a := range g.as {
				if !slices.ContainsFunc(r.Awards, func(c AwardCount) bool { return c.Kind == g.kind && c.ID == a.ID }) {
					r.Awards = append(r.Awards, AwardCount{Kind: g.kind, ID: a.ID, Title: a.Title})
				}
			}
		}
	}
	return r
}

// aggregate adds the workers' results to a report, in input order.
type aggregate struct {
	r           *Report
	awards      map[string]int // kind and id → index in r.Awards
	attribution map[Attribution]int
	missing     map[MissingCount]int
}

func newAggregate(r *Report) *aggregate {
	a := &aggregate{r: r, awards: map[string]int{}, attribution: map[Attribution]int{}, missing: map[MissingCount]int{}}
	for i, c := range r.Awards {
		a.awards[string(c.Kind)+" "+c.ID] = i
	}
	return a
}

func (a *aggregate) add(res *chunkResult, cfg *config) {
	r := a.r
	r.Applicants += res.n - len(res.errs)
	r.Errors += len(res.errs)
	for _, c := range res.cells {
		r.Matrix[c[0]][c[1]]++
	}
	for _, e := range res.errs {
		if len(r.ErrorSamples) < maxErrorSamples {
			r.ErrorSamples = append(r.ErrorSamples, e)
		} else {
			r.ErrorsOmitted++
		}
	}
	for i := range res.changed {
		c := &res.changed[i]
		d := &c.diff
		r.Changed++
		if d.LevelChanged() {
			r.LevelChanged++
		}
		flipped := map[string]bool{}
		listedBy := map[string]Cause{} // added or removed requirements
		for _, aw := range d.Awards {
			k, ok := a.awards[string(aw.Kind)+" "+aw.ID]
			if !ok {
				continue
			}
			n := &r.Awards[k]
			n.Changed++
			if aw.Lost() {
				n.Lost++
			}
			if aw.Gained() {
				n.Gained++
			}
			if aw.New == eligibility.Undetermined && aw.Old != eligibility.Undetermined {
				n.NewlyUndetermined++
			}
			for _, id := range aw.Flipped {
				flipped[id] = true
			}
			for _, id := range aw.Added {
				if _, ok := listedBy[id]; !ok {
					listedBy[id] = Added
				}
			}
			for _, id := range aw.Removed {
				if _, ok := listedBy[id]; !ok {
					listedBy[id] = Removed
				}
			}
		}
		if len(flipped) == 0 && len(listedBy) == 0 {
			r.Unattributed++
		}
		for _, rc := range d.Requirements {
			if flipped[rc.ID] {
				a.attribution[Attribution{Requirement: rc.ID, Title: rc.Title, Cause: Flipped, Old: rc.Old, New: rc.New}]++
			}
		}
		for id, cause := range listedBy {
			if flipped[id] {
				continue
			}
			k := Attribution{Requirement: id, Cause: cause}
			if rr, ok := c.statuses[id]; ok {
				k.Title, k.Old, k.New = rr.title, rr.old, rr.new
			}
			a.attribution[k]++
		}
		if len(c.undetermined) > 0 {
			r.NewlyUndetermined++
			seen := map[MissingCount]bool{}
			for _, u := range c.undetermined {
				m := MissingCount{Requirement: u.requirement, Path: u.path, Rule: u.rule}
				if !seen[m] {
					seen[m] = true
					a.missing[m]++
				}
			}
		}
		af := Affected{Key: c.key, Diff: c.diff}
		if cfg.onAffected != nil {
			cfg.onAffected(af)
		}
		if len(r.Affected) < cfg.keep {
			r.Affected = append(r.Affected, af)
		} else {
			r.AffectedOmitted++
		}
	}
}

// finish sorts the aggregated counts into the report.
func (a *aggregate) finish() {
	r := a.r
	for k, n := range a.attribution {
		k.Applicants = n
		r.Attribution = append(r.Attribution, k)
	}
	slices.SortFunc(r.Attribution, func(x, y Attribution) int {
		return cmp.Or(-cmp.Compare(x.Applicants, y.Applicants), cmp.Compare(x.Requirement, y.Requirement),
			cmp.Compare(x.Cause, y.Cause), cmp.Compare(x.Old, y.Old), cmp.Compare(x.New, y.New))
	})
	for k, n := range a.missing {
		k.Applicants = n
		r.Undetermined = append(r.Undetermined, k)
	}
	slices.SortFunc(r.Undetermined, func(x, y MissingCount) int {
		return cmp.Or(-cmp.Compare(x.Applicants, y.Applicants), cmp.Compare(x.Requirement, y.Requirement),
			cmp.Compare(x.Path, y.Path), cmp.Compare(x.Rule, y.Rule))
	})
}

// Text renders the report for people (see WriteText).
func (r *Report) Text() string {
	var b strings.Builder
	r.WriteText(&b)
	return b.String()
}

// TopAttributions is how many attributions WriteText shows.
const TopAttributions = 10

// WriteText writes the report for people to w: the two sides, the counts,
// the level transition matrix (old levels down, new across), the awards
// whose outcomes changed, the top attributions, the data missing for the
// newly undetermined, and the errors. The affected applicants' diffs are
// left out: write them with DecisionDiff's WriteText. The wording may
// change between versions; programs should read the fields or the JSON.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Old: %s\nNew: %s\n", r.Old, r.New)
	fmt.Fprintf(&b, "Applicants: %d decided, %d changed (%s), %d changed level, %d errors\n",
		r.Applicants, r.Changed, percent(r.Changed, r.Applicants), r.LevelChanged, r.Errors)
	b.WriteString("\nLevels (rows old, columns new):\n")
	names := make([]string, len(r.Levels))
	width := 0
	for i, l := range r.Levels {
		names[i] = levelName(l)
		width = max(width, len(names[i]))
	}
	cols := make([]int, len(r.Levels))
	for j := range r.Levels {
		cols[j] = len(names[j])
		for i := range r.Levels {
			cols[j] = max(cols[j], len(fmt.Sprint(r.Matrix[i][j])))
		}
	}
	fmt.Fprintf(&b, "  %-*s", width, "")
	for j, n := range names {
		fmt.Fprintf(&b, "  %*s", cols[j], n)
	}
	b.WriteByte('\n')
	for i, n := range names {
		fmt.Fprintf(&b, "  %-*s", width, n)
		for j := range names {
			fmt.Fprintf(&b, "  %*d", cols[j], r.Matrix[i][j])
		}
		b.WriteByte('\n')
	}
	any := false
	for _, a := range r.Awards {
		if a.Changed == 0 {
			continue
		}
		if !any {
			b.WriteString("\nAwards (granted → not, not → granted, any change, newly undetermined):\n")
			any = true
		}
		fmt.Fprintf(&b, "  %-8s %-22s  -%d  +%d  changed %d  undetermined %d\n", a.Kind, a.ID, a.Lost, a.Gained, a.Changed, a.NewlyUndetermined)
	}
	if len(r.Attribution) > 0 {
		b.WriteString("\nTop attributions (requirement: status change, changed applicants):\n")
		for _, a := range r.Attribution[:min(len(r.Attribution), TopAttributions)] {
			switch a.Cause {
			case Flipped:
				fmt.Fprintf(&b, "  %-28s %s → %s  %d\n", a.Requirement, statusName(a.Old), statusName(a.New), a.Applicants)
			default:
				fmt.Fprintf(&b, "  %-28s %s, %s  %d\n", a.Requirement, a.Cause, statusName(a.New), a.Applicants)
			}
		}
		if n := len(r.Attribution) - TopAttributions; n > 0 {
			fmt.Fprintf(&b, "  ... %d more\n", n)
		}
	}
	if r.Unattributed > 0 {
		fmt.Fprintf(&b, "  unattributed (the awards themselves changed): %d\n", r.Unattributed)
	}
	if r.NewlyUndetermined > 0 {
		fmt.Fprintf(&b, "\nNewly undetermined: %d applicants, for want of (requirement: data):\n", r.NewlyUndetermined)
		for _, m := range r.Undetermined[:min(len(r.Undetermined), TopAttributions)] {
			what := m.Path
			switch {
			case what == "" && m.Rule != "":
				what = "unknown when " + m.Rule
			case what == "":
				what = "(data not named)"
			}
			fmt.Fprintf(&b, "  %-28s %s  %d\n", m.Requirement+":", what, m.Applicants)
		}
	}
	if r.Errors > 0 {
		fmt.Fprintf(&b, "\nErrors: %d applicants not decided; the first:\n", r.Errors)
		for _, e := range r.ErrorSamples[:min(len(r.ErrorSamples), 5)] {
			fmt.Fprintf(&b, "  %s (%s): %s\n", printable.Shown(e.Key), e.Side, e.Err)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func percent(n, of int) string {
	if of == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(n)/float64(of))
}
