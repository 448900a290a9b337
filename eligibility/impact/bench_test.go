package impact_test

import (
	"context"
	"iter"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/eligibility/impact"
	"github.com/eligo-dev/eligo/rules/acto/actogen"
)

type doc struct {
	name string
	data []byte
}

func benchDocs(n int) []doc {
	var docs []doc
	for name, data := range actogen.Documents(1, n, testDate) {
		docs = append(docs, doc{name, data})
	}
	return docs
}

// cycleDocs yields n documents, going round docs.
func cycleDocs(docs []doc, n int) iter.Seq2[string, []byte] {
	return func(yield func(string, []byte) bool) {
		for i := range n {
			d := docs[i%len(docs)]
			if !yield(d.name, d.data) {
				return
			}
		}
	}
}

// BenchmarkRunDocuments is the impact run of member_cpd_hours 20 → 30 over
// generated ACTO documents, decoding included: each op is one applicant,
// decoded from JSON and decided under both rule sets on all cores. It
// reports applicants per second per core, by the wall clock and by the
// process's CPU time.
func BenchmarkRunDocuments(b *testing.B) {
	old, new := cpdEngines(b, "30")
	docs := benchDocs(10_000)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	rep, err := impact.RunDocuments(context.Background(), old, new, cycleDocs(docs, b.N), impact.AsOf(testDate))
	if err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	b.StopTimer()
	if rep.Applicants+rep.Errors != b.N {
		b.Fatalf("%d applicants decided, %d errors, want %d", rep.Applicants, rep.Errors, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds()/float64(runtime.GOMAXPROCS(0)), "applicants/s/core")
	// On a shared machine the wall clock counts other processes' time too:
	// applicants per second of this process's CPU time is the per-core
	// rate it would have to itself.
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "applicants/cpu-s")
}

// cpuTime is the process's CPU time so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
