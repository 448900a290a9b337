package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
)

// runDecide is the decide command: it decides the applicant documents args
// name and writes the decisions to stdout, errors to stderr, and returns
// the exit status.
func runDecide(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eligo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rulesDir := fs.String("rules", "", "load rule files from `DIR` instead of the embedded ACTO set")
	asOfFlag := fs.String("as-of", "", "evaluation date `YYYY-MM-DD` (default today)")
	format := fs.String("format", "text", "output format: text or json")
	maxSize := fs.Int64("max-size", defaultMaxSize, "refuse applicant documents larger than `BYTES`")
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
	if *maxSize < 1 {
		fmt.Fprintf(stderr, "eligo: -max-size must be a number of bytes above 0, not %d\n", *maxSize)
		return 2
	}
	asOf := time.Now().UTC()
	if *asOfFlag != "" {
		t, err := time.Parse(time.DateOnly, *asOfFlag)
		if err != nil {
			fmt.Fprintf(stderr, "eligo: -as-of must be a date YYYY-MM-DD, not %q\n", *asOfFlag)
			return 2
		}
		// The library refuses such a date for every applicant
		// (eligibility.ErrEvaluationDate): say so once, as a bad flag.
		if t.Year() < 1900 {
			fmt.Fprintf(stderr, "eligo: -as-of must be a date from 1900-01-01 to 9999-12-31, not %q\n", *asOfFlag)
			return 2
		}
		asOf = t
	}
	engine, err := newEngine(*rulesDir)
	if err != nil {
		fmt.Fprintf(stderr, "eligo: %v\n", err)
		return 2
	}
	// Before the rule set's effective date the library refuses every
	// applicant (eligibility.ErrNotInForce): say so once, deciding nothing.
	var notInForce *eligibility.NotInForceError
	if err := engine.InForce(asOf); errors.As(err, &notInForce) {
		fmt.Fprintf(stderr, "eligo: -as-of %s: rule set %s %s is in force from %s; evaluation date %s\n", notInForce.AsOf.Format(time.DateOnly),
			notInForce.RuleSet, notInForce.Version, notInForce.Effective.Format(time.DateOnly), notInForce.AsOf.Format(time.DateOnly))
		return 2
	} else if err != nil {
		fmt.Fprintf(stderr, "eligo: -as-of: %v\n", err)
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

	// Each decision is written as soon as it is made, so that a failure
	// later in the batch (or the process's end) loses none of them.
	var out decisionWriter = &textWriter{w: stdout}
	if *format == "json" {
		out = &jsonArrayWriter{w: stdout}
	}
	status := 0
	seen := map[string]string{} // applicant id -> the file that had it first
	for _, f := range files {
		data, err := readDocument(f, *maxSize)
		if err != nil {
			fmt.Fprintf(stderr, "%v\n", err)
			status = 1
			continue
		}
		a, err := engine.Decode(f, data)
		if err != nil {
			fmt.Fprintf(stderr, "%v\n", err)
			status = 1
			continue
		}
		// An id names one applicant in a batch: a second
		// document with the same id would give two decisions no one could
		// tell apart.
		if first, dup := seen[a.ID()]; dup && a.ID() != "" {
			fmt.Fprintf(stderr, "%s: id: %q is also the id of %s: ids must be unique in a batch\n", f, a.ID(), first)
			status = 1
			continue
		}
		seen[a.ID()] = f
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
		if err := out.write(d); err != nil {
			fmt.Fprintf(stderr, "eligo: writing the decision of %s: %v\n", f, err)
			return 2
		}
	}
	if err := out.close(); err != nil {
		fmt.Fprintf(stderr, "eligo: %v\n", err)
		return 2
	}
	return status
}

// decisionWriter writes decisions one by one as they are made.
type decisionWriter interface {
	write(d *eligibility.Decision) error
	close() error // after the last decision
}

// textWriter writes each decision's text report, a blank line between two.
type textWriter struct {
	w io.Writer
	n int // decisions written
}

func (t *textWriter) write(d *eligibility.Decision) error {
	if t.n > 0 {
		if _, err := io.WriteString(t.w, "\n"); err != nil {
			return err
		}
	}
	t.n++
	return d.WriteText(t.w)
}

func (t *textWriter) close() error { return nil }

// jsonArrayWriter streams a JSON array of decisions, an element at a time,
// byte for byte as encoding/json indents the whole array.
type jsonArrayWriter struct {
	w io.Writer
	n int // decisions written
}

func (j *jsonArrayWriter) write(d *eligibility.Decision) error {
	var buf bytes.Buffer
	if j.n == 0 {
		buf.WriteString("[\n  ")
	} else {
		buf.WriteString(",\n  ")
	}
	enc := json.NewEncoder(&buf)
	enc.SetIndent("  ", "  ")
	enc.SetEscapeHTML(false) // ">=" reads better than "\u003e=" in a stored decision
	if err := enc.Encode(d); err != nil {
		return err
	}
	j.n++
	_, err := j.w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return err
}

func (j *jsonArrayWriter) close() error {
	end := "\n]\n"
	if j.n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}
