package eligibility

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"
	"time"
)

// keyedPopulation is batchPopulation keyed by made-up file names, with a
// repeated key: keys are passed through, not compared.
func keyedPopulation(pop []*Applicant) iter.Seq2[string, *Applicant] {
	return func(yield func(string, *Applicant) bool) {
		for i, a := range pop {
			name := fmt.Sprintf("doc-%03d.yaml", i)
			if i == 5 {
				name = "doc-004.yaml"
			}
			if !yield(name, a) {
				return
			}
		}
	}
}

// TestKeyedDecisions: each key comes back with its applicant's result, in
// input order, exactly what Evaluate gives, errors included, whatever the
// workers.
func TestKeyedDecisions(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(200)
	ctx := context.Background()
	var wantKeys, want []string
	for k, a := range keyedPopulation(pop) {
		d, err := e.Evaluate(ctx, a, AsOf(testAsOf))
		wantKeys = append(wantKeys, k)
		want = append(want, outcomeOf(t, d, err))
	}
	errs := 0
	for _, workers := range []int{1, 3, 0} {
		i := 0
		for k, r := range KeyedDecisions(ctx, e, keyedPopulation(pop), AsOf(testAsOf), Workers(workers)) {
			if k != wantKeys[i] {
				t.Fatalf("workers %d: result %d keyed %q, want %q", workers, i, k, wantKeys[i])
			}
			if got := outcomeOf(t, r.Decision, r.Err); got != want[i] {
				t.Fatalf("workers %d: %s: got %s\nwant %s", workers, k, got, want[i])
			}
			if r.Err != nil {
				errs++
			}
			i++
		}
		if i != len(pop) {
			t.Fatalf("workers %d: %d results for %d applicants", workers, i, len(pop))
		}
	}
	if errs == 0 {
		t.Fatal("no applicant failed: the errors are untested")
	}
}

// TestKeyedDecisionsStops: an unusable evaluation date is every applicant's
// error, keyed; a done context stops the stream as it stops Decisions.
func TestKeyedDecisionsStops(t *testing.T) {
	e := actoEngine(t)
	pop := batchPopulation(40)
	for _, workers := range []int{1, 2} {
		n := 0
		for k, r := range KeyedDecisions(context.Background(), e, keyedPopulation(pop), AsOf(time.Time{}), Workers(workers)) {
			if pop[n] != nil && !errors.Is(r.Err, ErrEvaluationDate) {
				t.Fatalf("%s: %v, want ErrEvaluationDate", k, r.Err)
			}
			n++
		}
		if n != len(pop) {
			t.Fatalf("workers %d: %d results for %d applicants", workers, n, len(pop))
		}
	}

	before := runtime.NumGoroutine()
	endless := func(yield func(int64, *Applicant) bool) {
		r := rand.New(rand.NewPCG(12, 12))
		for id := int64(1000); yield(id, genApplicantNoLater(r, testAsOf)); id++ {
		}
	}
	n := 0
	for range KeyedDecisions(context.Background(), e, endless, AsOf(testAsOf), Workers(3)) {
		if n++; n == 50 {
			break
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n = 0
	for id, r := range KeyedDecisions(ctx, e, endless, AsOf(testAsOf), Workers(3)) {
		if id != int64(1000+n) {
			t.Fatalf("yielded id %d after %d results", id, n)
		}
		n++
		if n == 100 {
			cancel()
		}
		if r.Err == nil && r.Decision == nil {
			t.Fatal("a result with neither decision nor error")
		}
	}
	if n < 100 {
		t.Fatalf("stream stopped after %d", n)
	}
	noGoroutinesLeft(t, before)
}

// TestOptionKinds: an option that does not apply to a call does not
// compile, because its type does not implement the call's option type.
func TestOptionKinds(t *testing.T) {
	evalOpt, batchOpt := reflect.TypeFor[EvalOption](), reflect.TypeFor[BatchOption]()
	cases := []struct {
		name        string
		opt         any
		eval, batch bool
	}{
		{"AsOf", AsOf(testAsOf), true, true},
		{"Reusing", Reusing(nil), true, false},
		{"Workers", Workers(2), false, true},
	}
	for _, c := range cases {
		typ := reflect.TypeOf(c.opt)
		if got := typ.Implements(evalOpt); got != c.eval {
			t.Errorf("%s is an EvalOption: %v, want %v", c.name, got, c.eval)
		}
		if got := typ.Implements(batchOpt); got != c.batch {
			t.Errorf("%s is a BatchOption: %v, want %v", c.name, got, c.batch)
		}
	}
	// A nil option is no option.
	e := actoEngine(t)
	if _, err := e.Evaluate(context.Background(), goodApplicant(t), nil, AsOf(testAsOf)); err != nil {
		t.Error(err)
	}
	for _, r := range e.EvaluateAll(context.Background(), []*Applicant{goodApplicant(t)}, nil, AsOf(testAsOf)) {
		if r.Err != nil {
			t.Error(r.Err)
		}
	}
}
