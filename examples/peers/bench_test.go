package peers

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
)

// The benchmarks decide the seeded population, one applicant per
// iteration, cycling, and report ns/applicant beside Go's ns/op and
// allocs/op (both per applicant too). Every engine produces the policy's
// Outcome, so each row measures the same work; run them in one command:
//
//	go test -run '^$' -bench . -benchmem
//
// Each also reports its time as a multiple of plain Go's (x-plain), and
// expr's and cel-go's times as multiples of its own (expr-over,
// cel-over: how far ahead of them it is), each timed side by side with
// the engine on the same applicants (sideBySide): ratios that hold
// however busy the machine, where ratios of rows timed seconds apart do
// not.

// sink keeps the outcomes alive so that no engine's work is optimised away.
var sink Outcome

func benchDecide(b *testing.B, decide func(*Applicant) (Outcome, error)) {
	pop := Population(Seed, Size)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		o, err := decide(pop[n%len(pop)])
		if err != nil {
			b.Fatal(err)
		}
		sink = o
		n++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/applicant")
	ex, err := NewExprPolicy()
	if err != nil {
		b.Fatal(err)
	}
	cel, err := NewCELPolicy()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(sideBySide(b, pop, decide, func(a *Applicant) (Outcome, error) { return DecidePlain(a), nil }), "x-plain")
	b.ReportMetric(sideBySide(b, pop, ex.Decide, decide), "expr-over")
	b.ReportMetric(sideBySide(b, pop, cel.Decide, decide), "cel-over")
}

// sideBySide returns op's time on pop as a multiple of base's: the median
// over 21 rounds, in each op and base on every applicant of pop, one first
// in even rounds, the other in odd ones.
func sideBySide(b *testing.B, pop []*Applicant, op, base func(*Applicant) (Outcome, error)) float64 {
	b.Helper()
	per := func(f func(*Applicant) (Outcome, error)) time.Duration {
		start := time.Now()
		for _, a := range pop {
			o, err := f(a)
			if err != nil {
				b.Fatal(err)
			}
			sink = o
		}
		return time.Since(start)
	}
	ratios := make([]float64, 21)
	for r := range ratios {
		var took, was time.Duration
		if r%2 == 0 {
			took, was = per(op), per(base)
		} else {
			was, took = per(base), per(op)
		}
		ratios[r] = float64(took) / float64(was)
	}
	slices.Sort(ratios)
	return ratios[len(ratios)/2]
}

// BenchmarkPlainGo is the baseline: the policy in plain Go.
func BenchmarkPlainGo(b *testing.B) {
	benchDecide(b, func(a *Applicant) (Outcome, error) { return DecidePlain(a), nil })
}

// BenchmarkExpr: 4 fact programs and 12 requirement programs per applicant
// with expr.Run, the ladder in Go.
func BenchmarkExpr(b *testing.B) {
	p, err := NewExprPolicy()
	if err != nil {
		b.Fatal(err)
	}
	benchDecide(b, p.Decide)
}

// BenchmarkCEL: the same with cel-go, prg.Eval on one activation per
// applicant over the native *Applicant.
func BenchmarkCEL(b *testing.B) {
	p, err := NewCELPolicy()
	if err != nil {
		b.Fatal(err)
	}
	benchDecide(b, p.Decide)
}

// BenchmarkEligo: the full engine, Evaluate (validation, every
// requirement's status, levels, categories, courses, Next; explanations
// made when asked for), then the policy's output read from the decision.
func BenchmarkEligo(b *testing.B) {
	p, err := NewEligoPolicy()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	benchDecide(b, func(a *Applicant) (Outcome, error) { return p.Decide(ctx, a) })
}

// BenchmarkEligoExplained: Evaluate as above, every requirement then
// explained (Decision.Requirements): what a caller that shows or stores
// the explanations pays.
func BenchmarkEligoExplained(b *testing.B) {
	p, err := NewEligoPolicy()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	benchDecide(b, func(a *Applicant) (Outcome, error) {
		d, err := p.Engine.Evaluate(ctx, a, eligibility.AsOf(EligoAsOf))
		if err != nil {
			return Outcome{}, err
		}
		if len(d.Requirements()) == 0 {
			b.Fatal("no explanations")
		}
		return OutcomeOf(d), nil
	})
}

// BenchmarkEligoReusing: Evaluate as above, built in the previous decision's
// memory (eligibility.Reusing), for a caller that reads each decision
// before deciding the next.
func BenchmarkEligoReusing(b *testing.B) {
	p, err := NewEligoPolicy()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var prev *eligibility.Decision
	benchDecide(b, func(a *Applicant) (Outcome, error) {
		d, err := p.Engine.Evaluate(ctx, a, eligibility.AsOf(EligoAsOf), eligibility.Reusing(prev))
		if err != nil {
			return Outcome{}, err
		}
		prev = d
		return OutcomeOf(d), nil
	})
}
