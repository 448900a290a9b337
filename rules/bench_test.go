package rules

import (
	"reflect"
	"testing"
	"time"
)

// BenchmarkCompileACTO loads the embedded ACTO rule files and compiles them
// against the applicant model: what eligibility.Default costs in rules.
func BenchmarkCompileACTO(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		set, err := loadACTO()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Compile(set, actoApplicant{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvalACTO evaluates every ACTO requirement for one generated
// applicant per iteration, reusing one Run (Reset, then Eval): the rules'
// share of a decision on one view; Status, the same without explanations.
func BenchmarkEvalACTO(b *testing.B) {
	b.Run("Eval", func(b *testing.B) { benchACTO(b, func(run *Run, r int) error { _, err := run.Eval(r); return err }) })
	b.Run("Status", func(b *testing.B) { benchACTO(b, func(run *Run, r int) error { _, err := run.Status(r); return err }) })
}

// benchACTO evaluates every ACTO requirement with eval for a generated
// population, one applicant after another on one Run.
func benchACTO(b *testing.B, eval func(run *Run, r int) error) {
	set, err := loadACTO()
	if err != nil {
		b.Fatal(err)
	}
	p, err := Compile(set, actoApplicant{})
	if err != nil {
		b.Fatal(err)
	}
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	g := newApplicantGen(3, set, asOf)
	pop := make([]*actoApplicant, 1000)
	for i := range pop {
		pop[i] = new(actoApplicant)
		g.fill(reflect.ValueOf(pop[i]).Elem())
	}
	run, err := p.NewRun(pop[0], asOf)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := run.Reset(pop[i%len(pop)], asOf); err != nil {
			b.Fatal(err)
		}
		for r := range p.NumRequirements() {
			if err := eval(run, r); err != nil {
				b.Fatal(err)
			}
		}
		i++
	}
}
