package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules/acto/actogen"
)

// The CLI's throughput against the library's batch, on the same documents
// read and decoded the same way. By default the documents are the ACTO
// fixtures copied to benchDocs files with ids of their own; ELIGO_BENCH_N
// generates that many ACTO documents instead (package actogen, seed 1),
// and ELIGO_BENCH_DIR names a directory of documents to use:
//
//	ELIGO_BENCH_N=100000 go test -run '^$' -bench Throughput -benchtime 1x -count 4 ./examples/eligo

const benchDocs = 2000

// benchDir returns the directory of documents the throughput benchmarks
// decide and the documents in it, sorted by name as the CLI takes them.
func benchDir(b *testing.B) (string, []string) {
	b.Helper()
	dir := os.Getenv("ELIGO_BENCH_DIR")
	if n := os.Getenv("ELIGO_BENCH_N"); n != "" && dir == "" {
		count, err := strconv.Atoi(n)
		if err != nil || count < 1 {
			b.Fatalf("ELIGO_BENCH_N=%q: want a number of documents above 0", n)
		}
		dir = b.TempDir()
		i := 0
		for _, data := range actogen.Documents(1, count, mustDate(b, fixtureAsOf)) {
			name := filepath.Join(dir, fmt.Sprintf("a%07d.json", i))
			if err := os.WriteFile(name, data, 0o644); err != nil {
				b.Fatal(err)
			}
			i++
		}
	}
	if dir == "" {
		dir = b.TempDir()
		fixtures := documents(b, "../applicants")
		for i := range benchDocs {
			src := fixtures[i%len(fixtures)]
			data, err := os.ReadFile(src)
			if err != nil {
				b.Fatal(err)
			}
			data = withID(data, "bench-"+strconv.Itoa(i))
			name := filepath.Join(dir, "a"+strconv.Itoa(100000+i)+filepath.Ext(src))
			if err := os.WriteFile(name, data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	files, err := applicantFiles([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	sort.Strings(files)
	return dir, files
}

// BenchmarkThroughput compares, in one run, the library's batch
// (KeyedDecisions on GOMAXPROCS workers over files read and decoded in its
// input sequence, results discarded) with the CLI deciding the same
// directory with the summary output to io.Discard. Both report docs/s.
func BenchmarkThroughput(b *testing.B) {
	dir, files := benchDir(b)
	engine, err := eligibility.Default()
	if err != nil {
		b.Fatal(err)
	}
	asOf := eligibility.AsOf(mustDate(b, fixtureAsOf))
	b.Run("library", func(b *testing.B) {
		for b.Loop() {
			docs := func(yield func(string, *eligibility.Document) bool) {
				for _, f := range files {
					data, err := os.ReadFile(f)
					if err != nil {
						b.Fatal(err)
					}
					a, err := engine.Decode(f, data)
					if err != nil {
						b.Fatal(err)
					}
					if !yield(f, a) {
						return
					}
				}
			}
			for f, r := range eligibility.KeyedDecisions(context.Background(), engine, docs, asOf) {
				if r.Err != nil {
					b.Fatalf("%s: %v", f, r.Err)
				}
			}
		}
		b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "docs/s")
	})
	b.Run("cli", func(b *testing.B) {
		for b.Loop() {
			var errOut strings.Builder
			if status := run(context.Background(), []string{"-as-of", fixtureAsOf, dir}, io.Discard, &errOut); status != 0 {
				b.Fatalf("status %d: %s", status, errOut.String())
			}
		}
		b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "docs/s")
	})
}

func mustDate(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}
