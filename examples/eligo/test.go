package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
)

const testAbout = `Decides every fixture of each DIR (applicant documents, each with the
decision it must get in DIR/want/NAME.yaml: go doc ./eligibility/eligibilitytest)
and prints each difference from its want file. With -cover it also prints the
coverage table: per requirement the statuses the fixtures reached, per clause
held and failed, per award and route the outcomes, per threshold comparison
a fixture on it and one just short; requirements never unmet (vacuous tests)
and awards never granted come first. -min holds the suite to a minimum.
Exit status 0 when every fixture passes (and the coverage reaches -min), 1 when
some fixture fails, a fixture directory is unreadable or the coverage is under
the minimum, 2 when the rules or the flags are unusable.`

// mins are the minimums -min names.
var mins = map[string]eligibilitytest.Min{
	"none":      {},
	"both-ways": eligibilitytest.BothWays,
}

// allowFlag collects -allow KEY[: REASON] flags.
type allowFlag map[string]string

func (a allowFlag) String() string { return "" }

func (a allowFlag) Set(s string) error {
	key, reason, _ := strings.Cut(s, ":")
	key, reason = strings.TrimSpace(key), strings.TrimSpace(reason)
	if key == "" {
		return fmt.Errorf("want ID, ID=STATUS or ID=OUTCOME, then optionally \": reason\"")
	}
	if reason == "" {
		reason = "allowed with -allow"
	}
	a[key] = reason
	return nil
}

// testReport is what eligo test -format json writes.
type testReport struct {
	Fixtures  int                       `json:"fixtures"`
	Failed    int                       `json:"failed"`
	Failures  []testFailure             `json:"failures"`
	Errors    []string                  `json:"errors,omitempty"` // fixture directories that did not load
	Coverage  *eligibilitytest.Coverage `json:"coverage,omitempty"`
	Min       string                    `json:"min,omitempty"`
	Uncovered []string                  `json:"uncovered,omitempty"` // how the coverage falls short of Min
}

// testFailure is one fixture that did not get the decision its want file says.
type testFailure struct {
	Fixture  string   `json:"fixture"`
	Path     string   `json:"path"`
	Problems []string `json:"problems"`
}

func runTest(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("test", stderr, testAbout)
	rulesDir := fs.String("rules", "", "decide with rule files from `DIR` instead of the embedded ACTO set")
	cover := fs.Bool("cover", false, "print the coverage table (in JSON, the coverage report)")
	minName := fs.String("min", "none", "the least coverage: none, or both-ways (every requirement met and unmet, every award granted and refused)")
	allow := allowFlag{}
	fs.Var(allow, "allow", "excuse `KEY[: REASON]` from -min: ID, ID=STATUS or ID=OUTCOME (repeatable)")
	format := formatFlag(fs)
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if !checkFormat("test", *format, stderr) {
		return 2
	}
	min, ok := mins[*minName]
	if !ok {
		fmt.Fprintf(stderr, "eligo test: -min must be none or both-ways, not %q\n", *minName)
		return 2
	}
	if len(allow) > 0 {
		min.Allow = allow
	}
	if err := misplacedFlag(fs); err != nil {
		fmt.Fprintf(stderr, "eligo test: %v\n", err)
		return 2
	}
	dirs := fs.Args()
	if len(dirs) == 0 {
		fmt.Fprintf(stderr, "eligo test: name the fixture directories, such as %s\n", defaultDir)
		return 2
	}
	for _, d := range dirs {
		if !isDir(d) {
			fmt.Fprintf(stderr, "eligo test: %s is not a directory of fixtures\n", d)
			return 2
		}
	}
	engine, ok := loadEngine("test", *rulesDir, stderr)
	if !ok {
		return 2
	}

	status := 0
	cov := eligibilitytest.NewCoverage(engine.RuleSet())
	rep := testReport{Failures: []testFailure{}}
	for _, dir := range dirs {
		fixtures, err := eligibilitytest.Load(dir)
		if err != nil {
			fmt.Fprintf(stderr, "eligo test: %v\n", err)
			rep.Errors = append(rep.Errors, err.Error())
			status = 1
			continue
		}
		for _, f := range fixtures {
			rep.Fixtures++
			if problems := eligibilitytest.CheckCover(engine, f, cov); len(problems) > 0 {
				rep.Failed++
				rep.Failures = append(rep.Failures, testFailure{f.Name, f.Path, problems})
			}
		}
	}
	if rep.Failed > 0 {
		status = 1
	}
	checkMin := *minName != "none" || len(allow) > 0
	if checkMin {
		rep.Min = *minName
		for _, u := range cov.Check(min) {
			rep.Uncovered = append(rep.Uncovered, u.String())
		}
		if len(rep.Uncovered) > 0 {
			status = 1
		}
	}
	if *cover {
		rep.Coverage = cov
	}

	var err error
	if *format == "json" {
		err = writeJSON(stdout, rep)
	} else {
		err = writeTestText(stdout, rep, *cover, checkMin)
	}
	if err != nil {
		fmt.Fprintf(stderr, "eligo test: %v\n", err)
		return 2
	}
	return status
}

// writeTestText writes test's report for people: the failures, a summary
// line, then the coverage table and how it falls short of the minimum.
func writeTestText(w io.Writer, rep testReport, cover, checkMin bool) error {
	var b strings.Builder
	for _, f := range rep.Failures {
		fmt.Fprintf(&b, "FAIL %s (%s)\n", f.Fixture, f.Path)
		for _, p := range f.Problems {
			fmt.Fprintf(&b, "    %s\n", p)
		}
	}
	switch {
	case rep.Failed > 0:
		fmt.Fprintf(&b, "FAIL: %d of %s failed\n", rep.Failed, plural(rep.Fixtures, "fixture"))
	case len(rep.Errors) > 0:
		fmt.Fprintf(&b, "FAIL: %s passed, %s did not load\n", plural(rep.Fixtures, "fixture"), plural(len(rep.Errors), "directory"))
	default:
		fmt.Fprintf(&b, "ok: %s passed\n", plural(rep.Fixtures, "fixture"))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if cover {
		if _, err := io.WriteString(w, "\n"); err != nil {
			return err
		}
		if err := rep.Coverage.WriteTable(w); err != nil {
			return err
		}
	}
	if !checkMin {
		return nil
	}
	b.Reset()
	if len(rep.Uncovered) == 0 {
		fmt.Fprintf(&b, "\ncoverage: reaches -min %s\n", rep.Min)
	} else {
		fmt.Fprintf(&b, "\nFAIL: coverage under -min %s:\n", rep.Min)
		for _, u := range rep.Uncovered {
			fmt.Fprintf(&b, "    %s\n", u)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
