// Package eligibilitytest helps rule authors test their rules against
// applicant fixtures: applicant documents, each with the decision it must
// get. [Run] decides them with an [eligibility.Engine], for a rule set
// that declares its applicant model, or with an [eligibility.EngineOf] the
// caller's own Go type: the same fixtures pass through both.
//
// A fixture directory holds applicant documents (NAME.yaml, NAME.yml or
// NAME.json) and, in its want/ subdirectory, one expectation file per
// applicant (want/NAME.yaml):
//
//	why: Level 2 through the standard route, every claim verified
//	asOf: 2026-11-23            # the evaluation date (required: fixtures must not age)
//	level: professional         # the granted level id, "" for none
//	courses: [proreal]          # exactly the granted courses
//	categories: []              # exactly the granted categories
//	outcomes: {senior: refused} # optional: outcomes of chosen levels, categories, courses
//	statuses: {insured: met}    # optional: statuses of chosen requirements
//	next: {level: senior, unmet: [senior-course, case-study]}  # the gap to the next level: exactly these unmet ({level: ""}: no next level)
//	settle: {senior: ["verify onlineTraining[1]"]}  # optional: exactly what settles these outcomes
//	explain:                    # optional: what requirements' explanations show (WantExplain)
//	  qualifying-course: {shortfall: 0.5, observed: 79.5, required: 80, closest: "onlineTraining[0]"}
//	  no-active-sanction: {offending: "sanctions[0]"}   # the entry that makes a none() fail
//	  insured: {missing: [insurance]}                   # also unverified: [ITEM, ...]
//	validUntil: 2027-01-31      # optional: the last day the decision holds (eligibility.WithValidity), or "indefinitely"
//	changes: insured            # optional, with validUntil: the requirement that changes the day after
//	invalid: ["onlineTraining[0].hours"]  # instead of the above: the document must be rejected, naming these paths
//
// Keys left out are not checked, except level, courses and categories,
// which are checked whenever the document is valid. Each difference is
// reported as one sentence, such as "explain qualifying-course: shortfall:
// got [0.5], want 1".
//
// # Coverage
//
// [RunCover] is Run that also returns a [Coverage] of the suite: per
// requirement, which statuses the fixtures reached, per clause held and
// failed, per award and route which outcomes, and per threshold comparison
// whether a fixture sits on it and one just short. Its table
// ([Coverage.WriteTable]) and its [Report] put first the requirements no
// fixture shows unmet (vacuous tests: a rule that always held would pass
// them) and the awards never granted. [Coverage.Check] and
// [Coverage.Require] hold a suite to a [Min], such as [BothWays]:
//
//	cov := eligibilitytest.RunCover(t, engine, "testdata/applicants")
//	cov.Require(t, eligibilitytest.BothWays) // every requirement met and unmet, every award granted and refused
package eligibilitytest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules/file"
)

// Want is the decision a fixture must get.
type Want struct {
	// Why says, for people, what the fixture shows; it is not checked.
	Why string `yaml:"why"`
	// AsOf is the evaluation date, YYYY-MM-DD; Load requires it.
	AsOf string `yaml:"asOf"`
	// Level is the id of the granted level; "" (or left out) for none.
	Level string `yaml:"level"`
	// Courses are exactly the ids of the granted courses, in any order;
	// left out means none.
	Courses []string `yaml:"courses"`
	// Categories are exactly the ids of the granted categories, in any
	// order; left out means none.
	Categories []string `yaml:"categories"`
	// Outcomes maps level, category and course ids to their outcomes
	// ("granted", "refused", ...); awards left out are not checked.
	Outcomes map[string]string `yaml:"outcomes"`
	// Statuses maps requirement ids to their statuses ("met", "unmet",
	// "unknown", "unverified" or "review"); others are not checked.
	Statuses map[string]string `yaml:"statuses"`
	// Next is the gap to the next level; nil (left out) is not checked.
	Next *WantNext `yaml:"next"`
	// Settle maps award ids to exactly the actions that settle their
	// outcomes, in any order, as Action.String writes them
	// ("verify onlineTraining[1]"); awards left out are not checked.
	Settle map[string][]string `yaml:"settle"`
	// LeftOut is exactly the evidence the decision left out for being
	// dated after the evaluation date, in order, as LeftOut.String writes
	// it ("cpd[3] dated 2026-12-02, after the evaluation date"); left out
	// means none.
	LeftOut []string `yaml:"leftOut"`
	// Explain maps requirement ids to what their explanations must show
	// (see [WantExplain]); others are not checked.
	Explain map[string]WantExplain `yaml:"explain"`
	// ValidUntil, when set, is the last day on which the decision holds,
	// YYYY-MM-DD, or "indefinitely" (Decision.ValidUntil, with
	// eligibility.WithValidity); left out is not checked.
	ValidUntil string `yaml:"validUntil"`
	// Changes, when set with ValidUntil, is the id of the requirement
	// Decision.Changes names.
	Changes string `yaml:"changes"`
	// Invalid, when set, says the document must be rejected with an
	// *eligibility.InputError naming at least these paths; the other
	// expectations are then not checked.
	Invalid []string `yaml:"invalid"`
}

// WantNext is the expected gap to the next level.
type WantNext struct {
	Level string   `yaml:"level"` // the next level's id; "" when there must be none
	Unmet []string `yaml:"unmet"` // its requirements not met, exactly, in any order; left out: none
}

// Fixture is one applicant document and its expectation.
type Fixture struct {
	Name     string // the document's base name without extension
	Path     string // the applicant document
	WantPath string // the want file, want/NAME.yaml in the document's directory
	Want     Want   // the want file's contents
}

// Load reads every fixture of dir. Every applicant document must have a
// want file and every want file a document.
func Load(dir string) ([]Fixture, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Fixture
	seen := map[string]bool{}
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".yaml" && ext != ".yml" && ext != ".json") {
			continue
		}
		name := strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))
		f := Fixture{Name: name, Path: filepath.Join(dir, e.Name()), WantPath: filepath.Join(dir, "want", name+".yaml")}
		data, err := readFile(f.WantPath)
		if err != nil {
			return nil, fmt.Errorf("fixture %s: %w", name, err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		if err := dec.Decode(&f.Want); err != nil {
			var te *yaml.TypeError
			if errors.As(err, &te) { // its lines are the file's
				return nil, fmt.Errorf("%s: %w", f.WantPath, err)
			}
			line, col := file.YAMLErrorAt(data, err)
			return nil, fmt.Errorf("%s:%d:%d: %s", f.WantPath, line, col, file.YAMLErrorMsg(err))
		}
		if f.Want.AsOf == "" {
			return nil, fmt.Errorf("%s: asOf is required", f.WantPath)
		}
		seen[name] = true
		out = append(out, f)
	}
	wants, _ := filepath.Glob(filepath.Join(dir, "want", "*.yaml"))
	for _, w := range wants {
		if name := strings.TrimSuffix(filepath.Base(w), ".yaml"); !seen[name] {
			return nil, fmt.Errorf("%s has no applicant document in %s", w, dir)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no fixtures in %s", dir)
	}
	return out, nil
}

// Run decides every fixture of dir with e, one subtest per fixture, and
// reports each difference from its want file. e is an [eligibility.Engine]
// over a rule set's declared model, or an EngineOf the caller's own type;
// each document decodes with e.Decode.
func Run[T any](t *testing.T, e *eligibility.EngineOf[T], dir string) {
	t.Helper()
	fixtures, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures {
		t.Run(f.Name, func(t *testing.T) {
			for _, problem := range Check(e, f) {
				t.Error(problem)
			}
		})
	}
}

// Check decides one fixture, its document decoded with e.Decode, and
// returns its differences from the want file, each as a sentence; none
// means the fixture passes.
func Check[T any](e *eligibility.EngineOf[T], f Fixture) []string {
	return CheckCover(e, f, nil)
}

// CheckCover is [Check] that also records the fixture's decision in cov
// (nil: none), named by the fixture; a document rightly rejected counts
// as invalid.
func CheckCover[T any](e *eligibility.EngineOf[T], f Fixture, cov *Coverage) []string {
	w := f.Want
	asOf, err := time.Parse(time.DateOnly, w.AsOf)
	if err != nil {
		return []string{fmt.Sprintf("%s: asOf: %v", f.WantPath, err)}
	}
	data, err := readFile(f.Path)
	if err != nil {
		return []string{err.Error()}
	}
	a, err := e.Decode(f.Path, data)
	var d *eligibility.Decision
	if err == nil {
		opts := []eligibility.EvalOption{eligibility.AsOf(asOf)}
		if w.ValidUntil != "" {
			opts = append(opts, eligibility.WithValidity())
		}
		d, err = e.Evaluate(context.Background(), a, opts...)
	}
	if w.Invalid != nil {
		problems := checkInvalid(err, w.Invalid)
		if cov != nil && err != nil {
			cov.AddInvalid()
		}
		return problems
	}
	if err != nil {
		return []string{fmt.Sprintf("want a decision, got error: %v", err)}
	}
	if cov != nil {
		cov.AddNamed(f.Name, d)
	}
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if d.Level != w.Level {
		add("level: got %q, want %q", d.Level, w.Level)
	}
	if got := d.GrantedCourses(); !sameSet(got, w.Courses) {
		add("courses: got %v, want %v", got, norm(w.Courses))
	}
	if got := d.GrantedCategories(); !sameSet(got, w.Categories) {
		add("categories: got %v, want %v", got, norm(w.Categories))
	}
	for _, id := range sortedKeys(w.Outcomes) {
		got, ok := outcome(d, id)
		if !ok {
			add("outcomes: no level, category or course %q", id)
		} else if string(got) != w.Outcomes[id] {
			add("outcome of %s: got %s, want %s", id, got, w.Outcomes[id])
		}
	}
	for _, id := range sortedKeys(w.Statuses) {
		r, ok := d.Requirement(id)
		if !ok {
			add("statuses: no requirement %q", id)
		} else if string(r.Status) != w.Statuses[id] {
			add("status of %s: got %s, want %s (%s)", id, r.Status, w.Statuses[id], strings.Join(r.Explain(), "; "))
		}
	}
	if w.Next != nil {
		switch {
		case d.Next == nil && w.Next.Level != "":
			add("next: got none, want %s", w.Next.Level)
		case d.Next != nil && d.Next.Level != w.Next.Level:
			add("next level: got %q, want %q", d.Next.Level, w.Next.Level)
		case d.Next != nil:
			var unmet []string
			for _, u := range d.Next.Unmet {
				unmet = append(unmet, u.ID)
			}
			if !sameSet(unmet, w.Next.Unmet) {
				add("next unmet: got %v, want %v", norm(unmet), norm(w.Next.Unmet))
			}
		}
	}
	if w.ValidUntil != "" {
		if got := validUntil(d); got != w.ValidUntil {
			add("validUntil: got %s, want %s", got, w.ValidUntil)
		}
		if got := changed(d); w.Changes != "" && got != w.Changes {
			add("changes: got %q, want %q (%v)", got, w.Changes, d.Changes)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(w.Settle)) {
		a, ok := award(d, id)
		if !ok {
			add("settle: no level, category or course %q", id)
			continue
		}
		var got []string
		for _, act := range a.Settle {
			if s := act.String(); !slices.Contains(got, s) {
				got = append(got, s)
			}
		}
		if !sameSet(got, w.Settle[id]) {
			add("settle %s: got %q, want %q", id, norm(got), norm(w.Settle[id]))
		}
	}
	var left []string
	for _, l := range d.LeftOut {
		left = append(left, l.String())
	}
	if !slices.Equal(left, w.LeftOut) {
		add("left out: got %q, want %q", left, w.LeftOut)
	}
	for _, id := range slices.Sorted(maps.Keys(w.Explain)) {
		r, ok := d.Requirement(id)
		if !ok {
			add("explain: no requirement %q", id)
			continue
		}
		problems = append(problems, checkExplain(r, w.Explain[id])...)
	}
	return problems
}

func checkInvalid(err error, paths []string) []string {
	var in *eligibility.InputError
	if !errors.As(err, &in) {
		return []string{fmt.Sprintf("want an *InputError naming %v, got %v", paths, err)}
	}
	var got []string
	for _, fe := range in.Errors {
		got = append(got, fe.Path)
	}
	var problems []string
	for _, p := range paths {
		if !slices.Contains(got, p) {
			problems = append(problems, fmt.Sprintf("want an error at %s; errors: %v", p, err))
		}
	}
	return problems
}

func outcome(d *eligibility.Decision, id string) (eligibility.Outcome, bool) {
	a, ok := award(d, id)
	return a.Outcome, ok
}

func award(d *eligibility.Decision, id string) (eligibility.AwardResult, bool) {
	for _, group := range [][]eligibility.AwardResult{d.Levels(), d.Categories(), d.Courses()} {
		for _, a := range group {
			if a.ID == id {
				return a, true
			}
		}
	}
	return eligibility.AwardResult{}, false
}

func norm(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func sameSet(a, b []string) bool { return slices.Equal(norm(a), norm(b)) }

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// validUntil is d's ValidUntil as a want file writes it.
func validUntil(d *eligibility.Decision) string {
	switch {
	case d.ValidUntil != nil:
		return d.ValidUntil.String()
	case d.Indefinitely:
		return "indefinitely"
	}
	return "not computed"
}

// changed is the requirement d's Changes names, or "".
func changed(d *eligibility.Decision) string {
	if d.Changes == nil {
		return ""
	}
	return d.Changes.Requirement
}

// CheckValidity decides one valid fixture with eligibility.WithValidity,
// then on every day of the horizon after its date, and returns the
// differences between the decision's ValidUntil and the day before the
// first day on which some level, category or course is decided
// differently; none means they agree (a decision that holds on every day
// of the horizon may hold indefinitely or until a later day). It is the
// brute force that checks ValidUntil, for rule authors' fixtures.
func CheckValidity[T any](e *eligibility.EngineOf[T], f Fixture, horizon int) []string {
	asOf, err := time.Parse(time.DateOnly, f.Want.AsOf)
	if err != nil {
		return []string{fmt.Sprintf("%s: asOf: %v", f.WantPath, err)}
	}
	data, err := readFile(f.Path)
	if err != nil {
		return []string{err.Error()}
	}
	a, err := e.Decode(f.Path, data)
	if err != nil {
		return nil // an invalid document has no decision to hold
	}
	ctx := context.Background()
	d, err := e.Evaluate(ctx, a, eligibility.AsOf(asOf), eligibility.WithValidity())
	if err != nil {
		return nil
	}
	var later *eligibility.Decision
	for k := 1; k <= horizon; k++ {
		day := asOf.AddDate(0, 0, k)
		later, err = e.Evaluate(ctx, a, eligibility.AsOf(day), eligibility.Reusing(later))
		if err != nil {
			return []string{fmt.Sprintf("on %s: %v", day.Format(time.DateOnly), err)}
		}
		if differs(d, later) {
			if want := day.AddDate(0, 0, -1).Format(time.DateOnly); validUntil(d) != want {
				return []string{fmt.Sprintf("validUntil: got %s, but an outcome first differs on %s", validUntil(d), day.Format(time.DateOnly))}
			}
			return nil
		}
	}
	if d.ValidUntil != nil && d.ValidUntil.Before(asOf.AddDate(0, 0, horizon)) {
		return []string{fmt.Sprintf("validUntil: got %s, but no outcome differs for %d days", d.ValidUntil, horizon)}
	}
	return nil
}

// differs reports whether some level, category or course has another
// outcome in b than in a.
func differs(a, b *eligibility.Decision) bool {
	for _, g := range [][2][]eligibility.AwardResult{{a.Levels(), b.Levels()}, {a.Categories(), b.Categories()}, {a.Courses(), b.Courses()}} {
		for i := range g[0] {
			if g[0][i].Outcome != g[1][i].Outcome {
				return true
			}
		}
	}
	return false
}

// readFile reads the fixture file path: a regular file (a pipe or a
// device would block the read, or never end it) of at most
// eligibility.MaxDocumentSize bytes.
func readFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%s)", path, info.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, eligibility.MaxDocumentSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > eligibility.MaxDocumentSize {
		return nil, fmt.Errorf("%s: more than %d bytes, the limit on a fixture file", path, eligibility.MaxDocumentSize)
	}
	return data, nil
}
