package eligibility

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// TestTmpScale: N decisions on 1 goroutine, then N per goroutine on 2
// (each its own half... its own copy of the work), wall time each.
func TestTmpScale(t *testing.T) {
	if os.Getenv("TMPSCALE") == "" {
		t.Skip()
	}
	e, err := actoDefault()
	if err != nil {
		t.Fatal(err)
	}
	pop := benchPopulation(t)
	ctx := context.Background()
	const n = 60000
	mode := os.Getenv("TMPSCALE")
	work := func(start int) {
		var d *Decision
		var sink oracleDecision
		defer func() { _ = sink }()
		for i := range n {
			a := pop[(start+i)%len(pop)]
			var err error
			switch mode {
			case "reuse":
				d, err = e.Evaluate(ctx, a, AsOf(benchDate), Reusing(d))
			case "fresh":
				d, err = e.Evaluate(ctx, a, AsOf(benchDate))
			case "hand":
				sink = oracleDecide(a, benchDate)
			}
			if err != nil {
				panic(err)
			}
		}
		_ = d
	}
	for round := 0; round < 3; round++ {
		t0 := time.Now()
		work(0)
		one := time.Since(t0)
		t0 = time.Now()
		var wg sync.WaitGroup
		for g := range 2 {
			wg.Add(1)
			go func() { defer wg.Done(); work(g * 500) }()
		}
		wg.Wait()
		two := time.Since(t0)
		fmt.Printf("%s: 1 goroutine %v/decision, 2 goroutines %v/decision: %.2fx\n", mode, one/n, two/(2*n), float64(one)*2/float64(two))
	}
}
