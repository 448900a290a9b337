package eligibility

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// The benchmarks of the evaluation path (see README, Performance). They share
// one population: 1,000 applicants from genApplicant with a fixed seed, so
// that every run decides the same varied mix (levels, categories, courses,
// unverified claims, absent sections) on the same date.

var benchDate = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

const benchPopulationSize = 1000

func benchPopulation(tb testing.TB) []*Applicant {
	tb.Helper()
	r := rand.New(rand.NewPCG(2026, 11))
	pop := make([]*Applicant, benchPopulationSize)
	for i := range pop {
		pop[i] = genApplicant(r, benchDate)
	}
	return pop
}

// BenchmarkEvaluate decides one applicant per iteration, with every
// explanation, cycling through the population.
func BenchmarkEvaluate(b *testing.B) {
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	pop := benchPopulation(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := e.Evaluate(ctx, pop[i%len(pop)], AsOf(benchDate)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkEvaluateReusing is BenchmarkEvaluate with each decision made in
// the memory of the one before (Reusing), as a tool that handles one
// decision at a time can: the evaluation without the garbage collector's
// share.
func BenchmarkEvaluateReusing(b *testing.B) {
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	pop := benchPopulation(b)
	ctx := context.Background()
	var d *Decision
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if d, err = e.Evaluate(ctx, pop[i%len(pop)], AsOf(benchDate), Reusing(d)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkHandWritten decides the same population with the ACTO rules
// written by hand in Go (oracleDecide): the baseline.
func BenchmarkHandWritten(b *testing.B) {
	pop := benchPopulation(b)
	b.ReportAllocs()
	i := 0
	var sink oracleDecision
	for b.Loop() {
		sink = oracleDecide(pop[i%len(pop)], benchDate)
		i++
	}
	_ = sink
}

func benchDecisions(b *testing.B) []*Decision {
	b.Helper()
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	var out []*Decision
	for _, a := range benchPopulation(b) {
		d, err := e.Evaluate(context.Background(), a, AsOf(benchDate))
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

// BenchmarkRenderText renders one decision as text per iteration.
func BenchmarkRenderText(b *testing.B) {
	ds := benchDecisions(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := ds[i%len(ds)].WriteText(io.Discard); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkRenderJSON marshals one decision per iteration.
func BenchmarkRenderJSON(b *testing.B) {
	ds := benchDecisions(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := json.Marshal(ds[i%len(ds)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkValidate(b *testing.B) {
	e, _ := Default()
	pop := benchPopulation(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := e.validator.validate(pop[i%len(pop)], benchDate); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkEvaluateAll decides the whole population per iteration, on 1 and
// on 2 workers, and reports the time per applicant.
func BenchmarkEvaluateAll(b *testing.B) {
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	pop := benchPopulation(b)
	ctx := context.Background()
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, r := range e.EvaluateAll(ctx, pop, AsOf(benchDate), Workers(workers)) {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pop)), "ns/applicant")
		})
	}
}

// BenchmarkDecisions streams the population through Decisions on 2 workers.
func BenchmarkDecisions(b *testing.B) {
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	pop := benchPopulation(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range e.Decisions(ctx, slices.Values(pop), AsOf(benchDate), Workers(2)) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pop)), "ns/applicant")
}
