package eligibility

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules"
)

// kindsRules observes every kind of value a rule can show in an
// explanation: whole lists and sections, a list entry, lists built while
// evaluating, a list fact, parameters' lists, texts, numbers and dates.
// Each requirement is met on the verified view of the applicants below,
// which the engine builds in per-goroutine buffers that later evaluations
// rewrite.
const kindsRules = `ruleset: kinds
version: "1"
parameters:
  fields: {value: [counselling, psychotherapy, psychology], source: test}
facts:
  hoursList:
    description: every CPD entry's hours
    expr: map(cpd ?? [], .hours)
  titles:
    description: the qualifications' titles
    expr: map(qualifications ?? [], .title)
requirements:
  whole-list:
    title: a whole list
    source: test
    when: qualifications != nil
  entry:
    title: a list entry, a struct value
    source: test
    when: first(qualifications) != nil
  entry-field:
    title: a text in a list entry
    source: test
    when: len(qualifications) > 0 && first(qualifications).title != ""
  empty-list:
    title: a list compared with []
    source: test
    when: cpd != []
  section:
    title: a section
    source: test
    when: insurance != nil
  built-list:
    title: a list built while evaluating
    source: test
    when: map(cpd ?? [], .hours) != [-1.0]
  list-fact:
    title: a list fact and a text list fact
    source: test
    when: hoursList != [] && len(titles) >= 0
  param-list:
    title: a parameter's list
    source: test
    when: all(qualifications, .field in param.fields)
  number:
    title: a number
    source: test
    when: sum(cpd ?? [], .hours) >= 0
  date:
    title: a date
    source: test
    when: insurance?.expires != nil && insurance.expires >= asOf
  nested:
    title: a nested list
    source: test
    when: practice?.log != nil
levels:
  - {id: member, title: Member, requires: [whole-list, entry, entry-field, empty-list, section, built-list, list-fact, param-list, number, date, nested]}
`

// kindsApplicant is an applicant whose every section and list has a
// verified entry, an unverified one, and values drawn from r, so that the
// verified view differs from the full one everywhere.
func kindsApplicant(r *rand.Rand, i int, asOf time.Time) *Applicant {
	day := func(d int) *time.Time { t := asOf.AddDate(0, 0, d); return &t }
	title := func(s string) string { return s + string(rune('A'+r.IntN(26))) + string(rune('a'+i%26)) }
	return &Applicant{
		ID: "k" + string(rune('a'+i%26)) + string(rune('a'+(i/26)%26)),
		Qualifications: []Qualification{
			{Title: title("Diploma "), Level: "diploma", Field: "counselling", Delivery: "face-to-face", Awarded: day(-400 - r.IntN(300)), Verified: true},
			{Title: title("Masters "), Level: "masters", Field: "psychology", Delivery: "blended", Awarded: day(-100), Verified: r.IntN(2) == 0},
		},
		CPD: []CPD{
			{Title: title("Text work "), Hours: float64(r.IntN(40)) + 0.5, Date: day(-r.IntN(300)), Online: true, Verified: true},
			{Title: title("Video work "), Hours: float64(r.IntN(40)), Date: day(-r.IntN(300)), Online: true},
		},
		Insurance: &Insurance{ProfessionalIndemnity: true, Expires: day(1 + r.IntN(300)), Verified: true},
		Practice: &Practice{OnlineClientHours: float64(r.IntN(100)), Log: []PracticePeriod{
			{From: day(-200 - r.IntN(100)), To: day(-r.IntN(100)), ClientHours: float64(r.IntN(50)), Verified: true},
			{From: day(-50), ClientHours: 3},
		}, Verified: true},
	}
}

// TestKeptDecisionsNeverChange keeps decisions while many goroutines go on
// evaluating other applicants on the same engine, and reads the kept ones
// all the while: under -race, any write by the engine into memory a kept
// decision reaches is reported; without it, the kept decisions' JSON must
// stay byte for byte what it was when they were returned.
func TestKeptDecisionsNeverChange(t *testing.T) {
	set, err := rules.Parse("kinds.yaml", []byte(kindsRules))
	if err != nil {
		t.Fatal(err)
	}
	e, err := newACTO(set)
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(9, 9))
	const kept, workers, rounds = 8, 6, 150
	type keptDecision struct {
		d    *Decision
		json []byte
		reqs map[string][]byte // each requirement's result, as JSON: one kind of value each
	}
	var ks []keptDecision
	for i := range kept {
		d, err := e.Evaluate(ctx, kindsApplicant(r, i, asOf), AsOf(asOf))
		if err != nil {
			t.Fatal(err)
		}
		if d.Level != "member" {
			t.Fatalf("applicant %d: level %q, want member (every kind of value observed on the verified view):\n%s", i, d.Level, d.Text())
		}
		k := keptDecision{d: d, json: marshal(t, d), reqs: map[string][]byte{}}
		for _, req := range d.Requirements() {
			k.reqs[req.ID] = marshal(t, req)
		}
		ks = append(ks, k)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 99))
			for i := range rounds {
				a := kindsApplicant(r, 1000+w*rounds+i, asOf)
				var opts []EvalOption
				if i%3 == 0 {
					opts = append(opts, AsOf(asOf.AddDate(0, 0, r.IntN(30))))
				}
				if _, err := e.Evaluate(ctx, a, opts...); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	reader := make(chan struct{})
	go func() { // reads the kept decisions while the workers write
		defer close(reader)
		for !stop.Load() {
			for _, k := range ks {
				_ = k.d.Text()
			}
		}
	}()
	wg.Wait()
	stop.Store(true)
	<-reader
	for i, k := range ks {
		for _, req := range k.d.Requirements() {
			if j := marshal(t, req); !bytes.Equal(j, k.reqs[req.ID]) {
				t.Errorf("kept decision %d, requirement %s: changed while others were made:\nbefore %s\nafter  %s", i, req.ID, k.reqs[req.ID], j)
			}
		}
		if j := marshal(t, k.d); !bytes.Equal(j, k.json) {
			t.Errorf("kept decision %d changed while others were made:\nbefore %s\nafter  %s", i, k.json, j)
		}
	}
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// FuzzKeptDecisions decides a document, keeps the decision, then decides
// another document and the first again on other dates, on the same engine
// and goroutine (so on the same pooled memory), and requires the kept
// decision's JSON to be unchanged, byte for byte. It runs the ACTO rules
// and kindsRules, which observe every kind of value. To fuzz:
//
//	go test ./eligibility -run '^$' -fuzz '^FuzzKeptDecisions$' -fuzztime 100000x -parallel 1
func FuzzKeptDecisions(f *testing.F) {
	var docs [][]byte
	fuzzSeeds(f, func(data []byte) { docs = append(docs, data) })
	r := rand.New(rand.NewPCG(5, 6))
	for range 4 {
		docs = append(docs, []byte(applicantYAML(kindsApplicant(r, r.IntN(100), fuzzDate))))
	}
	for i, d := range docs {
		f.Add(d, docs[(i*7+3)%len(docs)], int16(i%5-2))
	}
	engines := fuzzEngines(f, kindsRules)
	f.Fuzz(func(t *testing.T, first, second []byte, day int16) {
		a, err := decodeApplicant("first.yaml", first)
		if err != nil {
			return
		}
		b, err := decodeApplicant("second.yaml", second)
		if err != nil {
			b = nil
		}
		asOf := fuzzDate.AddDate(0, 0, int(day))
		ctx := context.Background()
		for _, e := range engines {
			d, err := e.Evaluate(ctx, a, AsOf(asOf))
			if err != nil {
				continue
			}
			before := marshal(t, d)
			for k := range 3 {
				other := a
				if b != nil && k != 1 {
					other = b
				}
				_, _ = e.Evaluate(ctx, other, AsOf(asOf.AddDate(0, 0, k*40)))
			}
			if after := marshal(t, d); !bytes.Equal(before, after) {
				t.Fatalf("%s: a kept decision changed when others were made:\nbefore %s\nafter  %s", e.RuleSet().Name, before, after)
			}
		}
	})
}

// arithmeticRules divides and multiplies what documents give, so that
// numbers overflow to infinity or become NaN for some documents.
const arithmeticRules = `ruleset: arithmetic
version: "1"
facts:
  total:
    description: all CPD hours
    expr: sum(cpd ?? [], .hours)
  meanHours:
    description: the mean CPD entry, NaN or infinite for no entries
    expr: total / len(cpd ?? [])
requirements:
  mean:
    title: mean hours
    source: test
    when: meanHours >= 1
  scaled:
    title: scaled hours
    source: test
    when: total * 1e300 >= 1 && sum(onlineTraining ?? [], .hours * 1e300) >= 0
  ratio:
    title: a ratio to nothing
    source: test
    when: any(onlineTraining ?? [], .hours / (total - total) > 1)
levels:
  - {id: member, title: Member, requires: [mean, scaled, ratio]}
`

// FuzzDecisionsMarshal decides documents with the ACTO rules and with
// arithmeticRules: each applicant gets either a decision that marshals to
// valid JSON, reads back and marshals again to the same bytes, or a typed
// error: an *InputError, or a *rules.EvalError (a
// number that is not finite, a limit). To fuzz:
//
//	go test ./eligibility -run '^$' -fuzz '^FuzzDecisionsMarshal$' -fuzztime 100000x -parallel 1
func FuzzDecisionsMarshal(f *testing.F) {
	fuzzSeeds(f, func(data []byte) { f.Add(data, int16(0)) })
	f.Add([]byte("id: x\ncpd: [{hours: 1e308, online: true}, {hours: 1e308, online: true}]\n"), int16(0))
	f.Add([]byte("id: x\nonlineTraining: [{provider: olt, hours: 1e308, completed: 2026-01-01, verified: true}]\ncpd: [{hours: 1e308}]\n"), int16(0))
	engines := fuzzEngines(f, arithmeticRules)
	f.Fuzz(func(t *testing.T, data []byte, day int16) {
		a, err := decodeApplicant("fuzz.yaml", data)
		if err != nil {
			return
		}
		asOf := fuzzDate.AddDate(0, 0, int(day))
		for _, e := range engines {
			d, err := e.Evaluate(context.Background(), a, AsOf(asOf))
			if err != nil {
				var in *InputError
				var ev *rules.EvalError
				if errors.Is(err, ErrNotInForce) && asOf.Before(e.RuleSet().Effective) {
					continue
				}
				if !errors.As(err, &in) && !errors.As(err, &ev) {
					t.Fatalf("%s: an untyped error: %v", e.RuleSet().Name, err)
				}
				continue
			}
			j, err := json.Marshal(d)
			if err != nil {
				t.Fatalf("%s: the decision does not marshal: %v", e.RuleSet().Name, err)
			}
			if !json.Valid(j) {
				t.Fatalf("%s: invalid JSON: %s", e.RuleSet().Name, j)
			}
			var back Decision
			if err := json.Unmarshal(j, &back); err != nil {
				t.Fatalf("%s: the decision does not read back: %v", e.RuleSet().Name, err)
			}
			if again := marshal(t, &back); !bytes.Equal(j, again) {
				t.Fatalf("%s: read back, the decision marshals differently:\n%s\n%s", e.RuleSet().Name, j, again)
			}
		}
	})
}

// fuzzEngines returns the default engine and one for the rule file src.
func fuzzEngines(f *testing.F, src string) []*EngineOf[Applicant] {
	acto, err := actoDefault()
	if err != nil {
		f.Fatal(err)
	}
	set, err := rules.Parse("test.yaml", []byte(src))
	if err != nil {
		f.Fatal(err)
	}
	other, err := newACTO(set)
	if err != nil {
		f.Fatal(err)
	}
	return []*EngineOf[Applicant]{acto, other}
}
