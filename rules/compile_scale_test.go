package rules

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	f()
	runtime.ReadMemStats(&m1)
	return m1.TotalAlloc - m0.TotalAlloc
}

// compileAllocated compiles the rule file src against testApplicant and
// returns the bytes that took.
func compileAllocated(t *testing.T, src string) uint64 {
	t.Helper()
	set, err := Parse("scale.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var cerr error
	n := allocated(func() { _, cerr = Compile(set, testApplicant{}) })
	if cerr != nil {
		t.Fatal(cerr)
	}
	return n
}

// TestFactsCompileLinear: compiling facts costs about linearly in their
// number, whether they are independent or each reads the one before: eight
// times the facts allocate at most about eight times the memory, not
// sixty-four.
func TestFactsCompileLinear(t *testing.T) {
	facts := func(n int, chain bool) string {
		var b strings.Builder
		b.WriteString("ruleset: scale\nversion: \"1\"\nfacts:\n  f0: len(cpd)\n")
		for i := 1; i < n; i++ {
			if chain {
				fmt.Fprintf(&b, "  f%d: f%d + 1\n", i, i-1)
			} else {
				fmt.Fprintf(&b, "  f%d: len(cpd) + %d\n", i, i)
			}
		}
		fmt.Fprintf(&b, "requirements:\n  r: {title: R, source: s, when: \"f%d > 0\"}\nlevels:\n  - {id: l, title: L, requires: [r]}\n", n-1)
		return b.String()
	}
	for _, chain := range []bool{false, true} {
		small, large := compileAllocated(t, facts(100, chain)), compileAllocated(t, facts(800, chain))
		if large > 12*small {
			t.Errorf("chained %v: 100 facts allocate %d KB to compile, 800 facts %d KB: more than linear", chain, small>>10, large>>10)
		}
	}
}

// TestDatedParamsCompileLinear: compiling parameters costs about linearly
// in the parameters and their dated values, not in the periods between
// their dates times the parameters: a period shares every value that did
// not change, a long list included. Eight times the parameters, each with
// a date of its own, allocate at most about eight times the memory; a long
// list costs the same beside eight times the dated values of another
// parameter.
func TestDatedParamsCompileLinear(t *testing.T) {
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	const tail = "requirements:\n  r: {title: T, source: s, when: \"'x' in param.names && param.p0 >= 0\"}\nlevels:\n  - {id: l, title: L, requires: [r]}\n"
	// n parameters, each with one value from a day of its own, and a list.
	params := func(n int) string {
		var b strings.Builder
		b.WriteString("ruleset: x\nversion: \"1\"\nparameters:\n  names: {source: s, value: [a, b]}\n")
		for i := range n {
			fmt.Fprintf(&b, "  p%d: {source: s, values: [{from: %s, value: %d}]}\n", i, start.AddDate(0, 0, i).Format(time.DateOnly), i)
		}
		return b.String() + tail
	}
	// A list of 5,000 texts, and a parameter with n dated values.
	list := func(n int) string {
		var b strings.Builder
		b.WriteString("ruleset: x\nversion: \"1\"\nparameters:\n  names: {source: s, value: [")
		for i := range 5000 {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "n%d", i)
		}
		b.WriteString("]}\n  p0:\n    source: s\n    values:\n")
		for i := range n {
			fmt.Fprintf(&b, "      - {from: %s, value: %d}\n", start.AddDate(0, 0, i).Format(time.DateOnly), i)
		}
		return b.String() + tail
	}
	small, large := compileAllocated(t, params(250)), compileAllocated(t, params(2000))
	if large > 12*small {
		t.Errorf("250 dated parameters allocate %d KB to compile, 2,000 %d KB: more than linear", small>>10, large>>10)
	}
	small, large = compileAllocated(t, list(60)), compileAllocated(t, list(480))
	if large > 3*small {
		t.Errorf("a 5,000-text list beside 60 dated values of another parameter allocates %d KB to compile, beside 480 %d KB: the list is copied per period", small>>10, large>>10)
	}
}
