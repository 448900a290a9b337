// Command eligo decides membership eligibility for applicant documents and
// prints each decision with its explanation.
//
// Usage:
//
//	go run ./examples/eligo [decide] [flags] [FILE|DIR ...]
//	go run ./examples/eligo COMMAND [flags] [ARG ...]
//
// The commands for rule authors are listed by -h, and each has its own -h
// (see commands.go and a file per command). With no command, or a first
// argument that names none, eligo decides; a command's name wins over a
// file or directory of that name (decide ./lint, or eligo decide lint).
//
// With no arguments it decides every applicant document (*.yaml, *.yml,
// *.json) in examples/applicants/ with the embedded ACTO rules.
//
// Flags:
//
//	-rules DIR        load rule files (*.yaml, *.yml) from DIR instead of the embedded ACTO set
//	-as-of YYYY-MM-DD evaluation date from 1900-01-01 to 9999-12-31, on or after
//	                  the rule set's effective date (default: today)
//	-format text|json text for people, or a JSON array of decisions
//	-max-size BYTES   the largest applicant document read (default 1048576, 1 MiB)
//
// Each decision is written as soon as it is made: with -format json the
// array is streamed, one element per decision, and closed at the end.
//
// Applicant documents are read from regular files only, each of at most
// -max-size bytes: a named pipe, a device (such as /dev/zero), a socket or
// a larger file is refused with an error naming it, and never read beyond
// the limit. Standard input is not read.
//
// Exit status: 0 when every applicant was decided and its decision written
// (and after -h);
// 1 when some applicant document was unreadable (refused as above), invalid
// or repeated an id already seen in this run, or its evaluation failed (a
// rule failing while it runs included): the others are still decided and
// written, and the errors go to stderr with the file and, where there is
// one, the line, column and field path; 2 when the rules or flags are
// unusable (nothing is decided), an -as-of (or today, without one) before
// the rule set's effective date included.
package main

import (
	"bytes"
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
	"syscall"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
)

const defaultDir = "examples/applicants"

// defaultMaxSize is the default of -max-size: the largest applicant document,
// in bytes, that eligo reads: the library's own limit on documents it reads
// (1 MiB, some hundred times a full document).
const defaultMaxSize = eligibility.MaxDocumentSize

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd, args := subcommand(args)
	if cmd != nil {
		return cmd.start(ctx, args, stdout, stderr)
	}
	fs := flag.NewFlagSet("eligo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rulesDir := fs.String("rules", "", "load rule files from `DIR` instead of the embedded ACTO set")
	asOfFlag := fs.String("as-of", "", "evaluation date `YYYY-MM-DD` (default today)")
	format := fs.String("format", "text", "output format: text or json")
	maxSize := fs.Int64("max-size", defaultMaxSize, "refuse applicant documents larger than `BYTES`")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: eligo [decide] [flags] [FILE|DIR ...]\n       eligo COMMAND [flags] [ARG ...]\n\nDecides membership eligibility for applicant documents (default: %s/).\n\n", defaultDir)
		writeCommands(stderr)
		fmt.Fprintf(stderr, "Flags of decide:\n\n")
		fs.PrintDefaults()
	}
	if status, ok := parseFlags(fs, args); !ok {
		return status
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

// readDocument reads the applicant document at path: a regular file of at
// most limit bytes. Anything else, a named pipe, a device such as /dev/zero,
// a socket or a larger file, is refused with an error naming path, and no
// more than limit+1 bytes are ever read.
func readDocument(path string, limit int64) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := checkDocument(path, info, limit); err != nil {
		return nil, err
	}
	// Should path have become a named pipe since Stat, opening it must not
	// wait for a writer; the checks are made again on what was opened.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := checkDocument(path, info, limit); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit { // it grew since Stat
		return nil, fmt.Errorf("%s: more than %d bytes, the limit on an applicant document (-max-size)", path, limit)
	}
	return data, nil
}

// checkDocument refuses a file that is not regular or is over limit bytes.
func checkDocument(path string, info os.FileInfo, limit int64) error {
	mode := info.Mode()
	if !mode.IsRegular() {
		kind := "not a regular file"
		switch {
		case mode.IsDir():
			kind = "a directory"
		case mode&os.ModeNamedPipe != 0:
			kind = "a named pipe (FIFO)"
		case mode&os.ModeSocket != 0:
			kind = "a socket"
		case mode&os.ModeDevice != 0:
			kind = "a device"
		}
		return fmt.Errorf("%s: %s, not a regular file: applicant documents are read from regular files only", path, kind)
	}
	if info.Size() > limit {
		return fmt.Errorf("%s: %d bytes, more than %d, the limit on an applicant document (-max-size)", path, info.Size(), limit)
	}
	return nil
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
