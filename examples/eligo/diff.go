package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/impact"
)

const diffAbout = `Decides applicant documents twice, under the old rules and under the new
(the rule files of -old DIR and -new DIR; the embedded ACTO rules for either
left out), or under one rule set on two dates (-old-as-of, -new-as-of), and
reports what the change does to them: how many changed level (the matrix of
levels, old by new), each award's grants lost and gained, the requirements the
changes come from, the awards newly undetermined for want of data, and the
first affected applicants with what changed for each.
With no FILE or DIR it reads the documents in examples/applicants. Every
document is read as it is decided, on every core: memory stays bounded
whatever their number. On a terminal a batch of more than 500 documents
shows a progress bar on stderr.
Formats: text (the report, for people), json (the report), csv (every
affected applicant, a row each: its file, id, levels, the awards that changed
and the requirements that flipped).
Exit status 0 when every document was decided on both sides (changes or
not), 1 when some document was unreadable or invalid, or its evaluation
failed (the others are still counted), 2 when the rules or the flags are
unusable.`

func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("diff", stderr, diffAbout)
	oldDir := fs.String("old", "", "the old rules: rule files from `DIR` (default the embedded ACTO set)")
	newDir := fs.String("new", "", "the new rules: rule files from `DIR` (default the embedded ACTO set)")
	asOfFlag := fs.String("as-of", "", "evaluation date `YYYY-MM-DD` of both sides (default today)")
	oldAsOf := fs.String("old-as-of", "", "the old side's evaluation date `YYYY-MM-DD` (default -as-of)")
	newAsOf := fs.String("new-as-of", "", "the new side's evaluation date `YYYY-MM-DD` (default -as-of)")
	format := fs.String("format", "text", "output `FORMAT`: text or json (the report), csv (the affected applicants)")
	keep := fs.Int("affected", 20, "the affected applicants the text and json reports show, with their diffs, `N` at most")
	maxSize := fs.Int64("max-size", defaultMaxSize, "refuse applicant documents larger than `BYTES`")
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	switch *format {
	case "text", "json", "csv":
	default:
		fmt.Fprintf(stderr, "eligo diff: -format must be text, json or csv, not %q\n", *format)
		return 2
	}
	if *keep < 0 || *maxSize < 1 {
		fmt.Fprintf(stderr, "eligo diff: -affected must be 0 or more and -max-size above 0\n")
		return 2
	}
	dates := map[string]*string{"-as-of": asOfFlag, "-old-as-of": oldAsOf, "-new-as-of": newAsOf}
	parsed := map[string]time.Time{}
	for _, name := range []string{"-as-of", "-old-as-of", "-new-as-of"} {
		if *dates[name] == "" {
			continue
		}
		t, err := parseAsOf(*dates[name])
		if err != nil {
			fmt.Fprintf(stderr, "eligo diff: %s: %v\n", name, err)
			return 2
		}
		parsed[name] = t
	}
	side := func(name string) time.Time {
		if t, ok := parsed[name]; ok {
			return t
		}
		if t, ok := parsed["-as-of"]; ok {
			return t
		}
		return time.Now().UTC()
	}
	oldDate, newDate := side("-old-as-of"), side("-new-as-of")

	oldEngine, ok := loadEngine("diff: -old", *oldDir, stderr)
	if !ok {
		return 2
	}
	newEngine, ok := loadEngine("diff: -new", *newDir, stderr)
	if !ok {
		return 2
	}
	for _, s := range []struct {
		name   string
		engine *eligibility.Engine
		date   time.Time
	}{{"old", oldEngine, oldDate}, {"new", newEngine, newDate}} {
		var notInForce *eligibility.NotInForceError
		if err := s.engine.InForce(s.date); errors.As(err, &notInForce) {
			fmt.Fprintf(stderr, "eligo diff: the %s rules, %s %s, are in force from %s; evaluation date %s\n", s.name,
				notInForce.RuleSet, notInForce.Version, notInForce.Effective.Format(time.DateOnly), notInForce.AsOf.Format(time.DateOnly))
			return 2
		} else if err != nil {
			fmt.Fprintf(stderr, "eligo diff: the %s side's evaluation date: %v\n", s.name, err)
			return 2
		}
	}

	if err := misplacedFlag(fs); err != nil {
		fmt.Fprintf(stderr, "eligo diff: %v\n", err)
		return 2
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{defaultDir}
	}
	if slices.Contains(paths, "-") {
		fmt.Fprintf(stderr, "eligo diff: reads files and directories, not standard input\n")
		return 2
	}
	files, err := applicantFiles(paths)
	if err != nil {
		fmt.Fprintf(stderr, "eligo diff: %v\n", err)
		return 2
	}

	// The run reads documents and reports progress from goroutines of its
	// own: mu guards the bar, stderr and the count of unreadable documents.
	var mu sync.Mutex
	bar := newProgress(stderr, len(files))
	unreadable, decided := 0, 0
	documents := func(yield func(string, []byte) bool) {
		for _, f := range files {
			data, err := readDocument(f, *maxSize)
			if err != nil {
				mu.Lock()
				bar.clear()
				fmt.Fprintf(stderr, "%v\n", err)
				unreadable++ // the run never sees it: count it done here
				bar.set(decided + unreadable)
				mu.Unlock()
				continue
			}
			if !yield(f, data) {
				return
			}
		}
	}
	opts := []impact.Option{
		impact.OldAsOf(oldDate), impact.NewAsOf(newDate), impact.KeepAffected(*keep),
		impact.Progress(func(done int) {
			mu.Lock()
			decided = done
			bar.set(decided + unreadable)
			mu.Unlock()
		}),
	}
	var rows *csv.Writer
	var writeErr error
	if *format == "csv" {
		rows = csv.NewWriter(stdout)
		writeErr = rows.Write([]string{"file", "applicant", "old_level", "new_level", "awards_changed", "requirements_flipped"})
		opts = append(opts, impact.KeepAffected(0), impact.OnAffected(func(a impact.Affected) {
			if writeErr == nil {
				writeErr = rows.Write(affectedRow(a))
			}
		}))
	}
	report, err := impact.RunDocuments(ctx, oldEngine, newEngine, documents, opts...)
	bar.clear()
	if err != nil {
		fmt.Fprintf(stderr, "eligo diff: %v\n", err)
		return 2
	}
	switch *format {
	case "text":
		writeErr = writeDiffText(stdout, report)
	case "json":
		writeErr = writeJSON(stdout, report)
	case "csv":
		if writeErr == nil {
			rows.Flush()
			writeErr = rows.Error()
		}
	}
	if writeErr != nil {
		fmt.Fprintf(stderr, "eligo diff: %v\n", writeErr)
		return 2
	}
	for _, e := range report.ErrorSamples {
		switch e.Side {
		case "decode", "both": // the error names the file
			fmt.Fprintf(stderr, "%s\n", e.Err)
		default:
			fmt.Fprintf(stderr, "%s (the %s rules only)\n", e.Err, e.Side)
		}
	}
	if report.ErrorsOmitted > 0 {
		fmt.Fprintf(stderr, "eligo diff: and %d more documents failed\n", report.ErrorsOmitted)
	}
	if unreadable > 0 || report.Errors > 0 {
		return 1
	}
	return 0
}

// writeDiffText writes the report for people, then the affected
// applicants it kept, each with its diff.
func writeDiffText(w io.Writer, report *impact.Report) error {
	if err := report.WriteText(w); err != nil {
		return err
	}
	if len(report.Affected) == 0 {
		return nil
	}
	n := len(report.Affected) + report.AffectedOmitted
	if report.AffectedOmitted > 0 {
		fmt.Fprintf(w, "\nAffected applicants (the first %d of %d; -affected N, or -format csv for all):\n", len(report.Affected), n)
	} else {
		fmt.Fprintf(w, "\nAffected applicants (%d):\n", n)
	}
	for _, a := range report.Affected {
		// A document's name as it is, or quoted when it holds what a
		// terminal would act on (a line break, an escape).
		name := a.Key
		if q := strconv.Quote(name); q[1:len(q)-1] != name {
			name = q
		}
		if _, err := fmt.Fprintf(w, "\n%s\n", name); err != nil {
			return err
		}
		if err := a.Diff.WriteText(w); err != nil {
			return err
		}
	}
	return nil
}

// affectedRow is an affected applicant's CSV row: its file, id, old and new
// level, the awards whose outcome changed ("professional: granted -> refused",
// separated by "; "), and the requirements whose status flipped
// ("online-cpd: met -> unmet").
func affectedRow(a impact.Affected) []string {
	var awards, reqs []string
	for _, c := range a.Diff.Awards {
		awards = append(awards, fmt.Sprintf("%s: %s -> %s", c.ID, orNone(string(c.Old)), orNone(string(c.New))))
	}
	for _, r := range a.Diff.Requirements {
		if r.Flipped() {
			reqs = append(reqs, fmt.Sprintf("%s: %s -> %s", r.ID, orNone(string(r.Old)), orNone(string(r.New))))
		}
	}
	return []string{a.Key, a.Diff.Applicant, orNone(a.Diff.OldLevel), orNone(a.Diff.NewLevel),
		strings.Join(awards, "; "), strings.Join(reqs, "; ")}
}

// orNone is s, or "none" for "" (no level; an award or requirement one
// rule set does not have).
func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
