package eligibility

import (
	"context"
	"os"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules/acto/actogen"
)

// BenchmarkDecisionsStream streams a generated membership through
// Decisions on all cores, the applicants made as Decisions reads them and
// each decision dropped once yielded, and reports the peak of the memory
// the Go runtime holds from the system while it runs (peak-MB: heap,
// stacks and the runtime's own, close to the process's resident set) and
// the rate (applicants/s, generation included). 100,000 applicants by
// default; ELIGO_STREAM_N sets another number:
//
//	ELIGO_STREAM_N=1000000 go test -run '^$' -bench DecisionsStream -benchtime 1x ./eligibility
func BenchmarkDecisionsStream(b *testing.B) {
	n := 100_000
	if s := os.Getenv("ELIGO_STREAM_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("ELIGO_STREAM_N=%q: want a number of applicants", s)
		}
	}
	e, err := actoDefault()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	peak := watchMemory(b)
	for b.Loop() {
		count := 0
		for _, r := range e.Decisions(ctx, actogen.Applicants(1, n, benchDate), AsOf(benchDate)) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
			count++
		}
		if count != n {
			b.Fatalf("%d decisions of %d applicants", count, n)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "applicants/s")
	b.ReportMetric(float64(peak())/(1<<20), "peak-MB")
}

// watchMemory samples the memory the Go runtime has mapped from the system
// every few milliseconds until the benchmark ends, and returns a function
// giving the largest sample.
func watchMemory(b *testing.B) func() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	var mu sync.Mutex
	var peak uint64
	read := func() {
		metrics.Read(sample)
		mu.Lock()
		peak = max(peak, sample[0].Value.Uint64())
		mu.Unlock()
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	})
	b.Cleanup(func() { close(done); wg.Wait() })
	return func() uint64 {
		read()
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}
