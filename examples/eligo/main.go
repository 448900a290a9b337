// Command eligo decides membership eligibility for applicant documents and
// prints each decision with its explanation.
//
// Usage:
//
//	go run ./examples/eligo [flags] [FILE|DIR ...]
//
// With no arguments it decides every applicant document (*.yaml, *.yml,
// *.json) in examples/applicants/ with the embedded ACTO rules.
//
// Flags:
//
//	-rules DIR        load rule files (*.yaml, *.yml) from DIR instead of the embedded ACTO set
//	-as-of YYYY-MM-DD evaluation date (default: today)
//	-format text|json text for people, or a JSON array of decisions
//
// Exit status: 0 when every decision was printed; 1 when some applicant
// document was invalid or repeated an id already seen in this run (the
// others are still decided; errors go to stderr with file and field path);
// 2 when the rules or flags are unusable.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
)

const defaultDir = "examples/applicants"

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eligo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rulesDir := fs.String("rules", "", "load rule files from `DIR` instead of the embedded ACTO set")
	asOfFlag := fs.String("as-of", "", "evaluation date `YYYY-MM-DD` (default today)")
	format := fs.String("format", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: eligo [flags] [FILE|DIR ...]\n\nDecides membership eligibility for applicant documents (default: %s/).\n\n", defaultDir)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "eligo: -format must be text or json, not %q\n", *format)
		return 2
	}
	asOf := time.Now().UTC()
	if *asOfFlag != "" {
		t, err := time.Parse(time.DateOnly, *asOfFlag)
		if err != nil {
			fmt.Fprintf(stderr, "eligo: -as-of must be a date YYYY-MM-DD, not %q\n", *asOfFlag)
			return 2
		}
		asOf = t
	}
	engine, err := newEngine(*rulesDir)
	if err != nil {
		fmt.Fprintf(stderr, "eligo: %v\n", err)
		return 2
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{defaultDir}
	}
	files, err := applicantFiles(paths)
	if err != nil {
		fmt.Fprintf(stderr, "eligo: %v\n", err)
		return 2
	}

	status := 0
	decisions := []*eligibility.Decision{}
	seen := map[string]string{} // applicant id -> the file that had it first
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(stderr, "eligo: %v\n", err)
			status = 1
			continue
		}
		a, err := eligibility.DecodeApplicant(f, data)
		if err != nil {
			fmt.Fprintf(stderr, "%v\n", err)
			status = 1
			continue
		}
		// An id names one applicant in a batch (DOMAIN.md §2): a second
		// document with the same id would give two decisions no one could
		// tell apart.
		if first, dup := seen[a.ID]; dup && a.ID != "" {
			fmt.Fprintf(stderr, "%s: id: %q is also the id of %s: ids must be unique in a batch\n", f, a.ID, first)
			status = 1
			continue
		}
		seen[a.ID] = f
		d, err := engine.Evaluate(ctx, a, eligibility.AsOf(asOf))
		if err != nil {
			var in *eligibility.InputError
			if errors.As(err, &in) {
				// Validation names the applicant by id; the reader of
				// stderr needs the file, on every line.
				in.Source = f
				fmt.Fprintf(stderr, "%v\n", err)
			} else {
				fmt.Fprintf(stderr, "%s: %v\n", f, err)
			}
			status = 1
			continue
		}
		decisions = append(decisions, d)
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false) // ">=" reads better than "\u003e=" in a stored decision
		if err := enc.Encode(decisions); err != nil {
			fmt.Fprintf(stderr, "eligo: %v\n", err)
			return 2
		}
		return status
	}
	for i, d := range decisions {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		if err := d.WriteText(stdout); err != nil {
			fmt.Fprintf(stderr, "eligo: %v\n", err)
			return 2
		}
	}
	return status
}

func newEngine(dir string) (*eligibility.Engine, error) {
	if dir == "" {
		return eligibility.Default()
	}
	// os.DirFS of a missing directory reads as an empty one: say what is wrong.
	if info, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("-rules: %w", err)
	} else if !info.IsDir() {
		return nil, fmt.Errorf("-rules: %s is not a directory", dir)
	}
	set, err := rules.Load(os.DirFS(dir))
	if err != nil {
		var list *rules.ErrorList
		if errors.As(err, &list) {
			prefixPaths(list, dir)
		}
		return nil, err
	}
	e, err := eligibility.New(set)
	if err != nil {
		var list *rules.ErrorList
		if errors.As(err, &list) {
			prefixPaths(list, dir)
		}
	}
	return e, err
}

// prefixPaths shows rule-file errors with the directory they were loaded
// from, so that the positions can be opened as they are printed.
func prefixPaths(list *rules.ErrorList, dir string) {
	for _, e := range list.Errors {
		if e.Pos.File != "" {
			e.Pos.File = filepath.Join(dir, e.Pos.File)
		}
	}
}

// applicantFiles expands directories to the applicant documents in them
// (not recursively), sorted by name. A file named twice, directly or
// through its directory, is listed once.
func applicantFiles(paths []string) ([]string, error) {
	var out []string
	listed := map[string]bool{}
	add := func(f string) {
		if key := filepath.Clean(f); !listed[key] {
			listed[key] = true
			out = append(out, f)
		}
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			add(p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		var names []string
		for _, e := range entries {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if !e.IsDir() && (ext == ".yaml" || ext == ".yml" || ext == ".json") {
				names = append(names, filepath.Join(p, e.Name()))
			}
		}
		sort.Strings(names)
		if len(names) == 0 {
			return nil, fmt.Errorf("no applicant documents (*.yaml, *.yml, *.json) in %s", p)
		}
		for _, n := range names {
			add(n)
		}
	}
	return out, nil
}
