package impact_test

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/impact"
	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/acto"
	"github.com/eligo-dev/eligo/rules/acto/actogen"
)

// decide decodes and decides one document with e, fresh (no reuse).
func decide(t *testing.T, e *eligibility.Engine, name string, data []byte) *eligibility.Decision {
	t.Helper()
	a, err := e.Decode(name, data)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Evaluate(context.Background(), a, eligibility.AsOf(testDate))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDiffOfADecisionWithItselfIsEmpty(t *testing.T) {
	old, _ := cpdEngines(t, "30")
	for name, data := range actogen.Documents(5, 50, testDate) {
		d := decide(t, old, name, data)
		if diff := impact.Diff(d, d); !diff.Empty() || diff.Changed() {
			t.Fatalf("%s: Diff(d, d) = %+v", name, diff)
		}
	}
}

// TestDiffCPD: raising member_cpd_hours from 20 to 30 refuses Level 1 to
// an applicant with 20 to 29 hours, and the diff says so: the level, the
// award lost for online-cpd, the clause that flipped, its values.
func TestDiffCPD(t *testing.T) {
	old, new := cpdEngines(t, "30")
	for name, data := range actogen.Documents(1, 2000, testDate) {
		dOld, dNew := decide(t, old, name, data), decide(t, new, name, data)
		if dOld.Level != "member" || dNew.Level == "member" {
			continue
		}
		diff := impact.Diff(dOld, dNew)
		if !diff.Changed() || !diff.LevelChanged() || diff.OldLevel != "member" || diff.NewLevel != dNew.Level {
			t.Fatalf("%s: %+v", name, diff)
		}
		var member *impact.AwardChange
		for i, a := range diff.Awards {
			if a.Kind == impact.LevelAward && a.ID == "member" {
				member = &diff.Awards[i]
			}
		}
		if member == nil || !member.Lost() || member.Gained() || !reflect.DeepEqual(member.Flipped, []string{"online-cpd"}) {
			t.Fatalf("%s: award member: %+v", name, member)
		}
		var cpd *impact.RequirementChange
		for i, r := range diff.Requirements {
			if r.ID == "online-cpd" {
				cpd = &diff.Requirements[i]
			}
		}
		if cpd == nil || !cpd.Flipped() || cpd.Old != eligibility.Met && cpd.Old != eligibility.Unverified {
			t.Fatalf("%s: requirement online-cpd: %+v", name, cpd)
		}
		var clause *impact.ClauseChange
		for i, c := range cpd.Clauses {
			if c.Flipped() {
				clause = &cpd.Clauses[i]
			}
		}
		if clause == nil || clause.Text != "cpdWindowHours >= param.member_cpd_hours" || clause.OldRequired.Int() != 20 || clause.NewRequired.Int() != 30 {
			t.Fatalf("%s: clause: %+v", name, clause)
		}
		text := diff.String()
		for _, want := range []string{dNew.Applicant + ": level member → ", "  level member: granted → ", " (online-cpd)\n",
			"  online-cpd: ", "      cpdWindowHours >= param.member_cpd_hours: met → unmet; observed ", "; required 20 → 30\n"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the text lacks %q:\n%s", name, want, text)
			}
		}
		if _, err := json.Marshal(diff); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("no generated applicant lost Level 1")
}

// TestDiffPairsByID: awards and requirements only one side has are there,
// with the other side's outcome or status "".
func TestDiffPairsByID(t *testing.T) {
	old := withRequirements(t, &eligibility.Decision{Applicant: "a", Level: "x"},
		[]eligibility.AwardResult{{ID: "x", Outcome: eligibility.Granted, Requirements: []eligibility.RequirementStatus{{ID: "r1", Status: eligibility.Met}}}},
		[]eligibility.RequirementResult{{ID: "r1", Status: eligibility.Met}, {ID: "r2", Status: eligibility.Met}})
	new := withRequirements(t, &eligibility.Decision{Applicant: "a", Level: ""},
		[]eligibility.AwardResult{{ID: "y", Outcome: eligibility.Refused}, {ID: "x", Outcome: eligibility.Refused,
			Requirements: []eligibility.RequirementStatus{{ID: "r1", Status: eligibility.Unmet}}}},
		[]eligibility.RequirementResult{{ID: "r2", Status: eligibility.Met}, {ID: "r1", Status: eligibility.Unmet}, {ID: "r3", Status: eligibility.Unknown, Missing: []string{"cpd"}}})
	d := impact.Diff(old, new)
	want := []impact.AwardChange{
		{Kind: impact.LevelAward, ID: "y", Old: "", New: eligibility.Refused, Flipped: []string{}},
		{Kind: impact.LevelAward, ID: "x", Old: eligibility.Granted, New: eligibility.Refused, Flipped: []string{"r1"}},
	}
	if !reflect.DeepEqual(d.Awards, want) {
		t.Errorf("awards:\n got %+v\nwant %+v", d.Awards, want)
	}
	wantR := []impact.RequirementChange{
		{ID: "r1", Old: eligibility.Met, New: eligibility.Unmet},
		{ID: "r3", Old: "", New: eligibility.Unknown, Missing: []string{"cpd"}},
	}
	if !reflect.DeepEqual(d.Requirements, wantR) {
		t.Errorf("requirements:\n got %+v\nwant %+v", d.Requirements, wantR)
	}
	if !strings.Contains(d.String(), "  r3: (absent) → unknown; missing cpd\n") {
		t.Errorf("text:\n%s", d)
	}
}

// TestRun: a run over generated documents on several workers counts what
// deciding each document afresh with both engines and diffing the
// decisions gives, keeps the first affected in input order, streams all
// of them in order, and reports progress up to the whole population.
func TestRun(t *testing.T) {
	old, new := cpdEngines(t, "30")
	const n = 3000
	docs := benchDocs(n)
	matrix := map[[2]string]int{}
	var want []impact.Affected
	lost := 0
	for _, doc := range docs {
		dOld, dNew := decide(t, old, doc.name, doc.data), decide(t, new, doc.name, doc.data)
		matrix[[2]string{dOld.Level, dNew.Level}]++
		if diff := impact.Diff(dOld, dNew); diff.Changed() {
			want = append(want, impact.Affected{Key: doc.name, Diff: diff})
			for _, a := range diff.Awards {
				if a.ID == "member" && a.Lost() {
					lost++
				}
			}
		}
	}
	var streamed []impact.Affected
	var progress []int
	rep, err := impact.RunDocuments(context.Background(), old, new, cycleDocs(docs, n), impact.AsOf(testDate), impact.Workers(3),
		impact.KeepAffected(10), impact.OnAffected(func(a impact.Affected) { streamed = append(streamed, a) }),
		impact.Progress(func(done int) { progress = append(progress, done) }))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Applicants != n || rep.Errors != 0 || rep.Changed != len(want) || len(want) == 0 {
		t.Fatalf("%d applicants, %d errors, %d changed; want %d, 0, %d", rep.Applicants, rep.Errors, rep.Changed, n, len(want))
	}
	for i, from := range rep.Levels {
		for j, to := range rep.Levels {
			if rep.Matrix[i][j] != matrix[[2]string{from, to}] {
				t.Errorf("matrix %q → %q: %d, want %d", from, to, rep.Matrix[i][j], matrix[[2]string{from, to}])
			}
		}
	}
	total := 0
	for _, tr := range rep.Transitions() {
		if tr.Applicants != matrix[[2]string{tr.From, tr.To}] {
			t.Errorf("transition %+v, want %d", tr, matrix[[2]string{tr.From, tr.To}])
		}
		total += tr.Applicants
	}
	if total != n {
		t.Errorf("transitions count %d applicants, want %d", total, n)
	}
	if !reflect.DeepEqual(streamed, want) {
		t.Errorf("OnAffected saw %d affected, not the %d expected in order", len(streamed), len(want))
	}
	if !reflect.DeepEqual(rep.Affected, want[:10]) || rep.AffectedOmitted != len(want)-10 {
		t.Errorf("kept %d affected (%d omitted), not the first 10 of %d", len(rep.Affected), rep.AffectedOmitted, len(want))
	}
	if len(progress) == 0 || progress[len(progress)-1] != n {
		t.Errorf("progress %v, want it to end at %d", progress, n)
	}
	for i := 1; i < len(progress); i++ {
		if progress[i] <= progress[i-1] {
			t.Fatalf("progress not increasing: %v", progress)
		}
	}
	var member impact.AwardCount
	for _, a := range rep.Awards {
		if a.Kind == impact.LevelAward && a.ID == "member" {
			member = a
		}
	}
	if member.Lost != lost || member.Gained != 0 {
		t.Errorf("member: %+v, want %d lost", member, lost)
	}
	if len(rep.Attribution) == 0 || rep.Attribution[0].Requirement != "online-cpd" {
		t.Errorf("attribution %+v, want online-cpd first", rep.Attribution)
	}
	for i := 1; i < len(rep.Attribution); i++ {
		if rep.Attribution[i].Applicants > rep.Attribution[i-1].Applicants {
			t.Errorf("attribution not most first: %+v", rep.Attribution)
		}
	}
	if rep.NewlyUndetermined == 0 || len(rep.Undetermined) == 0 || rep.Undetermined[0].Requirement != "online-cpd" {
		t.Errorf("newly undetermined %d, %+v", rep.NewlyUndetermined, rep.Undetermined)
	}
	text := rep.Text()
	for _, want := range []string{"Levels (rows old, columns new):\n", "Top attributions", "online-cpd", "Newly undetermined: "} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Fatal(err)
	}

	// The same population as Go values of ACTO's type, keyed by index,
	// counts the same.
	set, _ := acto.Rules()
	goOld, err := eligibility.NewFor[acto.Applicant](set)
	if err != nil {
		t.Fatal(err)
	}
	goNew, err := eligibility.NewFor[acto.Applicant](new.RuleSet())
	if err != nil {
		t.Fatal(err)
	}
	values := func(yield func(int, *acto.Applicant) bool) {
		i := 0
		for a := range actogen.Applicants(1, n, testDate) {
			if !yield(i, a) {
				return
			}
			i++
		}
	}
	rep2, err := impact.Run(context.Background(), goOld, goNew, iter.Seq2[int, *acto.Applicant](values), impact.AsOf(testDate), impact.KeepAffected(1))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep2.Matrix, rep.Matrix) || rep2.Changed != rep.Changed {
		t.Errorf("Run over Go values: %d changed, matrix %v; RunDocuments: %d, %v", rep2.Changed, rep2.Matrix, rep.Changed, rep.Matrix)
	}
	// Keys name applicants: the first affected is the same one, by index.
	if i, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(want[0].Key, "gen-"), ".json"), 16, 64); err != nil || rep2.Affected[0].Key != strconv.Itoa(int(i)) {
		t.Errorf("first affected %q, by document %q", rep2.Affected[0].Key, want[0].Key)
	}
}

// TestRunErrors: a document that does not decode or is invalid is an
// applicant's error, counted and sampled; the others are decided.
func TestRunErrors(t *testing.T) {
	old, new := cpdEngines(t, "30")
	docs := []doc{{"a.json", []byte(`{"id": "a"}`)}, {"b.json", []byte(`{"id": `)}, {"c.json", []byte(`{"id": "c", "kind": "robot"}`)}}
	rep, err := impact.RunDocuments(context.Background(), old, new, cycleDocs(docs, 3), impact.AsOf(testDate))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Applicants != 1 || rep.Errors != 2 || len(rep.ErrorSamples) != 2 {
		t.Fatalf("%+v", rep)
	}
	if s := rep.ErrorSamples[0]; s.Key != "b.json" || s.Side != "decode" {
		t.Errorf("first error %+v", s)
	}
	if s := rep.ErrorSamples[1]; s.Key != "c.json" || s.Side != "both" || !strings.Contains(s.Err, "kind") {
		t.Errorf("second error %+v", s)
	}
}

// TestRunNotInForce: a date before a side's rule set is in force is the
// run's error, before anything is read.
func TestRunNotInForce(t *testing.T) {
	old, new := cpdEngines(t, "30")
	read := false
	docs := func(yield func(string, []byte) bool) { read = true }
	_, err := impact.RunDocuments(context.Background(), old, new, docs, impact.AsOf(testDate), impact.OldAsOf(testDate.AddDate(-30, 0, 0)))
	if !errors.Is(err, eligibility.ErrNotInForce) || read {
		t.Fatalf("err %v, read %v", err, read)
	}
}

// TestRunCancel: a run whose context is done returns its error, with the
// report so far.
func TestRunCancel(t *testing.T) {
	old, new := cpdEngines(t, "30")
	ctx, cancel := context.WithCancel(context.Background())
	docs := benchDocs(200)
	rep, err := impact.RunDocuments(ctx, old, new, cycleDocs(docs, 1_000_000), impact.AsOf(testDate),
		impact.Progress(func(done int) {
			if done >= 1000 {
				cancel()
			}
		}))
	if !errors.Is(err, context.Canceled) || rep == nil || rep.Applicants < 1000 || rep.Applicants > 100_000 {
		t.Fatalf("err %v, report %v", err, rep != nil)
	}
	inMatrix := 0
	for _, row := range rep.Matrix {
		for _, n := range row {
			inMatrix += n
		}
	}
	if inMatrix != rep.Applicants {
		t.Errorf("the matrix counts %d applicants, the report %d", inMatrix, rep.Applicants)
	}
}

// TestRunTwoDates: one rule set on two dates.
func TestRunTwoDates(t *testing.T) {
	old, _ := cpdEngines(t, "30")
	rep, err := impact.RunDocuments(context.Background(), old, old, cycleDocs(benchDocs(500), 500),
		impact.OldAsOf(testDate), impact.NewAsOf(testDate.AddDate(1, 0, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Old.AsOf.Equal(rep.New.AsOf.Time) || rep.Changed == 0 {
		t.Fatalf("a year on, nothing changed: %s", rep.Text())
	}
}

// TestRunRequirementAdded: a requirement the new rules add to an award is
// what its losses are attributed to, though its status is the same under
// both rule sets; the members it leaves undetermined are there with the
// data it misses.
func TestRunRequirementAdded(t *testing.T) {
	old, _ := cpdEngines(t, "20")
	new := engineOf(t, edited(t, acto.Files(), "levels.yaml",
		"    requires: [individual, core-training, online-cpd]\n", "    requires: [individual, core-training, online-cpd, insured]\n"))
	rep, err := impact.RunDocuments(context.Background(), old, new, cycleDocs(benchDocs(3000), 3000), impact.AsOf(testDate))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Changed == 0 || rep.Unattributed != 0 {
		t.Fatalf("%d changed, %d unattributed:\n%s", rep.Changed, rep.Unattributed, rep.Text())
	}
	for _, a := range rep.Attribution {
		if a.Requirement != "insured" || a.Cause != impact.Added || a.Old != a.New {
			t.Errorf("attribution %+v, want insured, added, its status unchanged", a)
		}
	}
	found := false
	for _, m := range rep.Undetermined {
		if m.Requirement == "insured" && strings.HasPrefix(m.Path, "insurance") {
			found = true
		}
	}
	if !found {
		t.Errorf("no member undetermined for want of insurance:\n%s", rep.Text())
	}
	if d := rep.Affected[0].Diff; !strings.Contains(d.String(), "insured added") {
		t.Errorf("the diff does not say insured was added:\n%s", d)
	}
}

// TestRunDocumentsTwoModels: when the new rules declare another model (a
// field added), each side decodes the documents for its own, and the run
// decides them all; with one model, once.
func TestRunDocumentsTwoModels(t *testing.T) {
	old, new := cpdEngines(t, "30")
	om, _ := rules.ModelType(old.RuleSet())
	nm, _ := rules.ModelType(new.RuleSet())
	if om != nm {
		t.Fatal("two loads of one model give two types: RunDocuments would decode every document twice")
	}
	other := engineOf(t, edited(t, acto.Files(), "model.yaml", "model:\n  id:\n",
		"model:\n  memberNumber:\n    type: text\n    description: An added field the rules do not read.\n  id:\n"))
	if m, _ := rules.ModelType(other.RuleSet()); m == om {
		t.Fatal("the edited model is the same type")
	}
	rep, err := impact.RunDocuments(context.Background(), old, other, cycleDocs(benchDocs(300), 300), impact.AsOf(testDate))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Applicants != 300 || rep.Errors != 0 || rep.Changed != 0 {
		t.Fatalf("%d decided, %d errors %v, %d changed", rep.Applicants, rep.Errors, rep.ErrorSamples, rep.Changed)
	}
}

// withRequirements returns d with the levels and the requirements rs, as a decision read
// from JSON has them: the one way to give a decision award lists and requirements of one's
// own choosing.
func withRequirements(t *testing.T, d *eligibility.Decision, levels []eligibility.AwardResult, rs []eligibility.RequirementResult) *eligibility.Decision {
	t.Helper()
	data, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	m["levels"], m["requirements"] = levels, rs
	if data, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	var out eligibility.Decision
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}
