package rules

import (
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"
)

func TestZZPerRequirement(t *testing.T) {
	set, _ := loadACTO()
	p, _ := Compile(set, actoApplicant{})
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	g := newApplicantGen(3, set, asOf)
	pop := make([]*actoApplicant, 1000)
	for i := range pop {
		pop[i] = new(actoApplicant)
		g.fill(reflect.ValueOf(pop[i]).Elem())
	}
	run, _ := p.NewRun(pop[0], asOf)
	cost := make([]time.Duration, p.NumRequirements())
	for rep := 0; rep < 20; rep++ {
		for _, a := range pop {
			run.Reset(a, asOf)
			for r := range p.NumRequirements() {
				st := time.Now()
				run.Status(r)
				cost[r] += time.Since(st)
			}
		}
	}
	idx := make([]int, len(cost))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return cost[idx[a]] > cost[idx[b]] })
	for _, i := range idx {
		fmt.Printf("%-35s %6.0f ns\n", set.Requirements[i].ID, float64(cost[i])/20000)
	}
}

func BenchmarkZZOne(b *testing.B) {
	set, _ := loadACTO()
	p, _ := Compile(set, actoApplicant{})
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	g := newApplicantGen(3, set, asOf)
	a := new(actoApplicant)
	g.fill(reflect.ValueOf(a).Elem())
	run, _ := p.NewRun(a, asOf)
	i, _ := p.Requirement("grandparenting-hours")
	for b.Loop() {
		run.Status(i)
	}
}
