// Command impact shows what a rule change does to a membership before it
// is made: it raises ACTO's Level 1 CPD requirement, the member_cpd_hours
// parameter, from 20 hours to 30 in a copy of the embedded rule files,
// and runs a generated membership (package rules/acto/actogen, seeded)
// through the current and the changed rules with package
// eligibility/impact. It prints the level transition matrix, the awards
// that changed, the requirements the changes are attributed to, the data
// missing for the newly undetermined, and the first affected applicants'
// diffs.
//
//	go run ./examples/impact                 # 100,000 applicants
//	go run ./examples/impact -n 1000000 -diffs 0 -json report.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"testing/fstest"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/impact"
	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/acto"
	"github.com/eligo-dev/eligo/rules/acto/actogen"
)

func main() {
	n := flag.Int("n", 100_000, "applicants to generate")
	seed := flag.Uint64("seed", 1, "the generator's seed")
	asOf := flag.String("as-of", "2026-11-23", "evaluation date, YYYY-MM-DD")
	hours := flag.Int("hours", 30, "the new member_cpd_hours (ACTO's is 20)")
	diffs := flag.Int("diffs", 2, "affected applicants whose diffs to print")
	jsonOut := flag.String("json", "", "write the report as JSON to this file")
	progress := flag.Bool("progress", false, "report progress on standard error")
	flag.Parse()
	date, err := time.Parse(time.DateOnly, *asOf)
	if err != nil {
		fail(err)
	}
	if err := run(os.Stdout, *n, *seed, date, *hours, *diffs, *jsonOut, *progress); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "impact:", err)
	os.Exit(1)
}

func run(w io.Writer, n int, seed uint64, date time.Time, hours, diffs int, jsonOut string, progress bool) error {
	old, err := engine(acto.Files())
	if err != nil {
		return err
	}
	changed, err := withParameter(acto.Files(), "parameters.yaml", "member_cpd_hours", fmt.Sprint(hours))
	if err != nil {
		return err
	}
	new, err := engine(changed)
	if err != nil {
		return err
	}
	opts := []impact.Option{impact.AsOf(date), impact.KeepAffected(diffs)}
	if progress {
		start := time.Now()
		last := start
		opts = append(opts, impact.Progress(func(done int) {
			if now := time.Now(); now.Sub(last) > time.Second || done == n {
				last = now
				fmt.Fprintf(os.Stderr, "%d applicants, %.0f/s\n", done, float64(done)/now.Sub(start).Seconds())
			}
		}))
	}
	start := time.Now()
	report, err := impact.RunDocuments(context.Background(), old, new, actogen.Documents(seed, n, date), opts...)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(w, "member_cpd_hours 20 → %d, %d generated applicants (seed %d)\n", hours, n, seed)
	report.WriteText(w)
	for _, a := range report.Affected {
		fmt.Fprintln(w)
		a.Diff.WriteText(w)
	}
	// The documents are generated on the run's reading goroutine, JSON
	// encoding and all, so this is the generator's pace as much as the
	// run's: BenchmarkRunDocuments in eligibility/impact measures the run.
	fmt.Fprintf(os.Stderr, "%d applicants generated and run in %v: %.0f per second on %d cores\n",
		n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), runtime.GOMAXPROCS(0))
	if jsonOut != "" {
		data, err := json.MarshalIndent(report, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(jsonOut, append(data, '\n'), 0o644)
	}
	return nil
}

func engine(files fs.FS) (*eligibility.Engine, error) {
	set, err := rules.Load(files)
	if err != nil {
		return nil, err
	}
	return eligibility.New(set)
}

// withParameter copies the rule files of fsys, with parameter name's value
// in file set to value: a rule set is data, so a change is an edit of its
// YAML. The value must stand on the line after the parameter's key, as
// "value: ...".
func withParameter(fsys fs.FS, file, name, value string) (fs.FS, error) {
	out := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		if path == file {
			lines := strings.Split(string(data), "\n")
			found := false
			for i, l := range lines[:len(lines)-1] {
				if strings.TrimSpace(l) == name+":" && strings.HasPrefix(strings.TrimSpace(lines[i+1]), "value:") {
					indent := lines[i+1][:len(lines[i+1])-len(strings.TrimLeft(lines[i+1], " "))]
					lines[i+1] = indent + "value: " + value
					found = true
				}
			}
			if !found {
				return fmt.Errorf("%s: no parameter %s with a value line", file, name)
			}
			data = []byte(strings.Join(lines, "\n"))
		}
		out[path] = &fstest.MapFile{Data: data}
		return nil
	})
	return out, err
}
