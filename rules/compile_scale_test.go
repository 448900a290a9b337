package rules

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
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
