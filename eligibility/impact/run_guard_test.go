package impact_test

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/eligibility/impact"
)

// TestRunSequencePanics: a panic in the caller's sequence, which Run reads
// on a goroutine of its own, reaches the caller's goroutine with its value
// (as eligibility's batches do), where it is recovered.
func TestRunSequencePanics(t *testing.T) {
	old, new := cpdEngines(t, "30")
	docs := benchDocs(10)
	seq := func(yield func(string, []byte) bool) {
		for i := range 300 {
			if i == 150 {
				panic("boom from the caller's sequence")
			}
			d := docs[i%len(docs)]
			if !yield(d.name, d.data) {
				return
			}
		}
	}
	var got any
	func() {
		defer func() { got = recover() }()
		impact.RunDocuments(context.Background(), old, new, seq, impact.AsOf(testDate))
	}()
	if got != "boom from the caller's sequence" {
		t.Fatalf("recovered %v, want the sequence's panic", got)
	}
}

// TestRunSequenceGoexits: a runtime.Goexit in the caller's sequence (as
// t.FailNow does) never ends the run as if the sequence had ended, with a
// report of part of the population: Run panics with an error saying so.
func TestRunSequenceGoexits(t *testing.T) {
	old, new := cpdEngines(t, "30")
	docs := benchDocs(10)
	seq := func(yield func(string, []byte) bool) {
		for i := range 300 {
			if i == 150 {
				runtime.Goexit()
			}
			d := docs[i%len(docs)]
			if !yield(d.name, d.data) {
				return
			}
		}
	}
	var rep *impact.Report
	var err error
	var p any
	func() {
		defer func() { p = recover() }()
		rep, err = impact.RunDocuments(context.Background(), old, new, seq, impact.AsOf(testDate))
	}()
	if perr, ok := p.(error); !ok || !strings.Contains(perr.Error(), "Goexit") {
		t.Fatalf("recovered %v (report %v, %v), want a panic saying the sequence called Goexit", p, rep, err)
	}
}

// TestReportTextQuotesKeys: a key (a document's name, the caller's data)
// holding a line break or a terminal escape is quoted in the report's text,
// never raw.
func TestReportTextQuotesKeys(t *testing.T) {
	old, new := cpdEngines(t, "30")
	evil := "evil\n\x1b[2J\x1b[31mforged line.json"
	docs := []doc{{evil, []byte(`{"id": `)}, {"ok.json", []byte("{\"id\": \"c\", \"kind\": \"robot\x1b[2J\\n\"}")}}
	rep, err := impact.RunDocuments(context.Background(), old, new, cycleDocs(docs, 2), impact.AsOf(testDate))
	if err != nil {
		t.Fatal(err)
	}
	txt := rep.Text()
	if strings.ContainsAny(txt, "\x1b") || strings.Contains(txt, "\nforged") || strings.Contains(txt, "\x1b[2J") {
		t.Errorf("report text passes applicant data through raw:\n%q", txt)
	}
}

// TestRunKeptDiffsStable: the diffs kept in the report and those streamed
// to OnAffected equal the diffs of fresh decisions, though the run reuses
// its decisions' memory; and the report's counts add up.
func TestRunKeptDiffsStable(t *testing.T) {
	old, new := cpdEngines(t, "30")
	docs := benchDocs(400)
	var streamed []impact.Affected
	rep, err := impact.RunDocuments(context.Background(), old, new, cycleDocs(docs, len(docs)), impact.AsOf(testDate),
		impact.KeepAffected(1000), impact.Workers(2), impact.OnAffected(func(a impact.Affected) { streamed = append(streamed, a) }))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Affected) == 0 {
		t.Fatal("nothing affected")
	}
	byName := map[string][]byte{}
	for _, d := range docs {
		byName[d.name] = d.data
	}
	for i, a := range rep.Affected {
		want := impact.Diff(decide(t, old, a.Key, byName[a.Key]), decide(t, new, a.Key, byName[a.Key]))
		wj, _ := json.Marshal(want)
		gj, _ := json.Marshal(a.Diff)
		sj, _ := json.Marshal(streamed[i].Diff)
		if string(wj) != string(gj) || string(wj) != string(sj) {
			t.Fatalf("%s: kept diff differs from a fresh one:\n want %s\n kept %s\n streamed %s", a.Key, wj, gj, sj)
		}
	}
	// the counts add up
	in := 0
	for _, row := range rep.Matrix {
		for _, n := range row {
			in += n
		}
	}
	if in != rep.Applicants || rep.Applicants+rep.Errors != len(docs) || len(rep.Affected)+rep.AffectedOmitted != rep.Changed {
		t.Errorf("counts: matrix %d, applicants %d, errors %d, affected %d+%d changed %d", in, rep.Applicants, rep.Errors, len(rep.Affected), rep.AffectedOmitted, rep.Changed)
	}
}

// TestRunSameEmptyCancelled: the same engine on both sides changes
// nothing; no applicants give an empty report with its text; a context
// done before the run reads nothing and returns its error.
func TestRunSameEmptyCancelled(t *testing.T) {
	old, _ := cpdEngines(t, "30")
	rep, err := impact.RunDocuments(context.Background(), old, old, cycleDocs(benchDocs(50), 300), impact.AsOf(testDate))
	if err != nil || rep.Changed != 0 || rep.Applicants != 300 || len(rep.Attribution) != 0 {
		t.Errorf("same engine: %v %+v", err, rep)
	}
	empty := func(yield func(string, []byte) bool) {}
	rep, err = impact.RunDocuments(context.Background(), old, old, empty, impact.AsOf(testDate))
	if err != nil || rep.Applicants != 0 || rep.Text() == "" {
		t.Errorf("empty: %v %+v", err, rep)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err = impact.RunDocuments(ctx, old, old, cycleDocs(benchDocs(5), 10), impact.AsOf(testDate))
	if !errors.Is(err, context.Canceled) || rep == nil || rep.Applicants+rep.Errors != 0 {
		t.Errorf("pre-cancelled: %v %+v", err, rep)
	}
}
