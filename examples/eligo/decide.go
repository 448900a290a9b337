package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
)

// stdinName names standard input (the argument "-") in errors.
const stdinName = "<stdin>"

// decideUsage is the decide command's usage, before its flags.
const decideUsage = `usage: eligo [decide] [flags] [FILE|DIR ...]   (or - for standard input)
       eligo COMMAND [flags] [ARG ...]

Decides membership eligibility for applicant documents (*.yaml, *.yml,
*.json; default: %s/) and prints a summary: one line
per applicant, then totals. "-" reads a document, or a stream of "---"
separated documents, from standard input.

Examples:

  eligo -as-of 2026-11-23                   summarise the example applicants
  eligo -v examples/applicants/associate-trainer.yaml
                                            one applicant's full report
  eligo -format jsonl - < batch.yaml        JSON Lines, from standard input

`

// runDecide is the decide command: it decides the applicant documents args
// name and writes the decisions to stdout, errors to stderr, and returns
// the exit status.
func runDecide(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eligo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rulesDir := fs.String("rules", "", "load rule files from `DIR` instead of the embedded ACTO set")
	asOfFlag := fs.String("as-of", "", "evaluation date `YYYY-MM-DD` (default today)")
	format := fs.String("format", "text", "output `FORMAT`: text (a summary; full reports with -v), json (an array of decisions),\njsonl (one decision per line) or csv (the summary's columns)")
	verbose := fs.Bool("v", false, "full reports, every requirement explained, instead of the summary (-format text)")
	colorFlag := fs.String("color", "auto", "colour the text output, `MODE`: auto (on a terminal, unless NO_COLOR is set), always or never")
	maxSize := fs.Int64("max-size", defaultMaxSize, "refuse applicant documents larger than `BYTES`")
	fs.Usage = func() {
		fmt.Fprintf(stderr, decideUsage, defaultDir)
		writeCommands(stderr)
		fmt.Fprintf(stderr, "\nFlags of decide:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch *format {
	case "text", "json", "jsonl", "csv":
	default:
		fmt.Fprintf(stderr, "eligo: -format must be text, json, jsonl or csv, not %q\n", *format)
		return 2
	}
	if *verbose && *format != "text" {
		fmt.Fprintf(stderr, "eligo: -v is for -format text: -format %s has every decision in full, or the summary (csv)\n", *format)
		return 2
	}
	switch *colorFlag {
	case "auto", "always", "never":
	default:
		fmt.Fprintf(stderr, "eligo: -color must be auto, always or never, not %q\n", *colorFlag)
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
	if err := misplacedFlag(fs); err != nil {
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

	// Each decision is written as soon as it is made, so that a failure
	// later in the batch (or the process's end) loses none of them.
	var out decisionWriter
	switch {
	case *format == "json":
		out = &jsonArrayWriter{w: stdout}
	case *format == "jsonl":
		out = &jsonLinesWriter{w: stdout}
	case *format == "csv":
		out = newCSVWriter(stdout)
	case *verbose:
		out = &textWriter{w: stdout}
	default:
		out = newSummaryWriter(stdout, newStyle(stdout, *colorFlag, os.Getenv("NO_COLOR")), engine.RuleSet())
	}
	bar := newProgress(stderr, len(files))
	report := func(err error) {
		bar.clear()
		fmt.Fprintf(stderr, "%v\n", err)
	}
	status := 0
	r := &reader{engine: engine, maxSize: *maxSize, stdin: os.Stdin, seen: map[string]string{}}
	// The library decides on every core, in input order, while the
	// documents are read and decoded as it asks for them: memory holds the
	// decisions in flight, a few per core, whatever the batch's size.
	for in, res := range eligibility.KeyedDecisions(ctx, engine, r.documents(files), eligibility.AsOf(asOf), eligibility.WithValidity()) {
		bar.add()
		switch {
		case in.err != nil:
			report(in.err)
			status = 1
			out.fail()
		case res.Err != nil:
			var inErr *eligibility.InputError
			if errors.As(res.Err, &inErr) {
				// Validation names the applicant by id; the reader of
				// stderr needs the file, on every line.
				inErr.Source = in.name
				shiftLines(inErr, in.line)
				report(res.Err)
			} else {
				report(fmt.Errorf("%s: %w", in.at(), res.Err))
			}
			status = 1
			out.fail()
		default:
			if err := out.write(in.name, res.Decision); err != nil {
				report(fmt.Errorf("eligo: writing the decision of %s: %w", in.at(), err))
				return 2
			}
		}
	}
	bar.clear()
	if err := out.close(); err != nil {
		fmt.Fprintf(stderr, "eligo: %v\n", err)
		return 2
	}
	return status
}

// input is where a document in the batch comes from, or why there is none.
type input struct {
	name string // the file's name, or stdinName
	line int    // the line the document starts on, less one, in a stream; else 0
	err  error  // why there is no document: unreadable, invalid or an id seen before
}

// at names the document in messages: the file, or the line a document of a
// stream starts on.
func (in input) at() string {
	if in.line > 0 {
		return in.name + ":" + strconv.Itoa(in.line+1)
	}
	return in.name
}

// reader reads and decodes a batch's documents, in order, as the library
// asks for them.
type reader struct {
	engine  *eligibility.Engine
	maxSize int64
	stdin   io.Reader
	seen    map[string]string // applicant id -> the document that had it first
}

// documents yields each document of files (a file name, or "-" for
// standard input) with where it comes from; one that could not be read,
// decoded or has an id seen before is yielded nil, with the error.
func (r *reader) documents(files []string) iter.Seq2[input, *eligibility.Document] {
	return func(yield func(input, *eligibility.Document) bool) {
		for _, f := range files {
			if f == "-" {
				if !r.stream(yield) {
					return
				}
				continue
			}
			data, err := readDocument(f, r.maxSize)
			if !r.decode(input{name: f, err: err}, data, yield) {
				return
			}
		}
	}
}

// decode decodes data, unless in already has an error, and yields the
// document or the error.
func (r *reader) decode(in input, data []byte, yield func(input, *eligibility.Document) bool) bool {
	if in.err != nil {
		return yield(in, nil)
	}
	a, err := r.engine.Decode(in.name, data)
	if err != nil {
		var inErr *eligibility.InputError
		if errors.As(err, &inErr) {
			shiftLines(inErr, in.line)
		}
		in.err = err
		return yield(in, nil)
	}
	// An id names one applicant in a batch: a second document with the
	// same id would give two decisions no one could tell apart.
	if first, dup := r.seen[a.ID()]; dup && a.ID() != "" {
		in.err = fmt.Errorf("%s: id: %q is also the id of %s: ids must be unique in a batch", in.at(), a.ID(), first)
		return yield(in, nil)
	}
	// A clone: the decoded id may share the document's memory, which the
	// map would then keep for the rest of the batch.
	r.seen[strings.Clone(a.ID())] = in.at()
	return yield(in, a)
}

// stream reads standard input: one document, or a stream of documents
// separated by "---" lines, each decoded as it is read and each of at most
// maxSize bytes, so that a stream of any length takes bounded memory.
// Errors give lines in the whole stream.
func (r *reader) stream(yield func(input, *eligibility.Document) bool) bool {
	br := bufio.NewReader(r.stdin)
	var doc bytes.Buffer
	line, start := 0, 0 // lines read; lines before the document's first
	tooLarge := false
	read := false // a document was read
	flush := func() bool {
		defer func() { doc.Reset(); tooLarge = false }()
		in := input{name: stdinName, line: start}
		if tooLarge {
			read = true
			in.err = fmt.Errorf("%s: more than %d bytes, the limit on an applicant document (-max-size)", in.at(), r.maxSize)
			return yield(in, nil)
		}
		if len(bytes.TrimSpace(doc.Bytes())) == 0 {
			return true // nothing between two separators, or before the first
		}
		read = true
		return r.decode(in, doc.Bytes(), yield)
	}
	lineStart := true // text starts a line
	for {
		text, err := br.ReadSlice('\n')
		if lineStart && isSeparator(text) {
			if !flush() {
				return false
			}
			start = line
			// What follows "---" on its line belongs to the next
			// document: keep it, in its place.
			doc.WriteString("   ")
			doc.Write(text[3:])
		} else if !tooLarge {
			if int64(doc.Len()+len(text)) > r.maxSize {
				tooLarge = true
			} else {
				doc.Write(text)
			}
		}
		lineStart = err != bufio.ErrBufferFull
		if len(text) > 0 && text[len(text)-1] == '\n' {
			line++
		}
		switch {
		case err == nil, err == bufio.ErrBufferFull:
		case err == io.EOF:
			if !flush() {
				return false
			}
			if !read {
				// Nothing at all, or only blank lines and comments: an
				// empty document, as an empty file is.
				return r.decode(input{name: stdinName}, nil, yield)
			}
			return true
		default:
			return yield(input{name: stdinName, err: fmt.Errorf("%s: %w", stdinName, err)}, nil)
		}
	}
}

// isSeparator reports whether line starts a YAML document: "---" alone or
// followed by a space.
func isSeparator(line []byte) bool {
	if !bytes.HasPrefix(line, []byte("---")) {
		return false
	}
	rest := line[3:]
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r'
}

// shiftLines moves the positions of a document's errors by lines, the
// lines before it in its stream.
func shiftLines(err *eligibility.InputError, lines int) {
	if lines == 0 {
		return
	}
	for _, fe := range err.Errors {
		if fe.Line > 0 {
			fe.Line += lines
		}
	}
}

// decisionWriter writes decisions one by one as they are made.
type decisionWriter interface {
	write(name string, d *eligibility.Decision) error
	fail()        // an applicant was not decided
	close() error // after the last decision
}

// textWriter writes each decision's text report, a blank line between two.
type textWriter struct {
	w io.Writer
	n int // decisions written
}

func (t *textWriter) write(_ string, d *eligibility.Decision) error {
	if t.n > 0 {
		if _, err := io.WriteString(t.w, "\n"); err != nil {
			return err
		}
	}
	t.n++
	return d.WriteText(t.w)
}

func (t *textWriter) fail()        {}
func (t *textWriter) close() error { return nil }

// jsonArrayWriter streams a JSON array of decisions, an element at a time,
// byte for byte as encoding/json indents the whole array.
type jsonArrayWriter struct {
	w io.Writer
	n int // decisions written
}

func (j *jsonArrayWriter) write(_ string, d *eligibility.Decision) error {
	var buf bytes.Buffer
	if j.n == 0 {
		buf.WriteString("[\n  ")
	} else {
		buf.WriteString(",\n  ")
	}
	// AppendJSON leaves ">=" as it is: it reads better than "\u003e=" in a
	// stored decision.
	data, err := d.AppendJSON(nil)
	if err != nil {
		return err
	}
	if err := json.Indent(&buf, data, "  ", "  "); err != nil {
		return err
	}
	j.n++
	_, err = j.w.Write(buf.Bytes())
	return err
}

func (j *jsonArrayWriter) fail() {}

func (j *jsonArrayWriter) close() error {
	end := "\n]\n"
	if j.n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

// jsonLinesWriter writes JSON Lines: each decision as one line of compact
// JSON, the same fields as -format json.
type jsonLinesWriter struct {
	w   io.Writer
	buf bytes.Buffer
}

func (j *jsonLinesWriter) write(_ string, d *eligibility.Decision) error {
	data, err := d.AppendJSON(j.buf.Bytes()[:0])
	if err != nil {
		return err
	}
	data = append(data, '\n')
	j.buf.Reset()
	j.buf.Write(data) // keeps the grown buffer for the next decision
	_, err = j.w.Write(data)
	return err
}

func (j *jsonLinesWriter) fail()        {}
func (j *jsonLinesWriter) close() error { return nil }
