// Command eligo decides membership eligibility for applicant documents and
// prints a summary of the decisions, or each decision with its explanation.
//
// Usage:
//
//	go run ./examples/eligo [decide] [flags] [FILE|DIR|- ...]
//	go run ./examples/eligo COMMAND [flags] [ARG ...]
//
// The commands for rule authors (check, lint, test, explain, schema) and
// for administrators (diff) are listed by -h, and each has its own -h (see
// commands.go and a file per command).
// With no command, or a first argument that names none, eligo decides; a
// command's name wins over a file or directory of that name (decide
// ./lint, or eligo decide lint).
//
// With no arguments it decides every applicant document (*.yaml, *.yml,
// *.json) in examples/applicants/ with the embedded ACTO rules. "-" reads
// standard input: one document, or a stream of documents separated by
// "---" lines, each of at most -max-size bytes.
//
// The default output is a summary: one line per applicant (its id, the
// level granted, the number of courses and the categories granted, the
// awards whose outcome is provisional, referred or undetermined, with the
// number of actions that would settle them), then totals per level and
// per outcome. On a terminal it is coloured (unless NO_COLOR is set), each
// line marked, and a batch of more than 500 documents shows a progress bar
// on stderr; piped, it is plain text.
//
// Flags:
//
//	-rules DIR        load rule files (*.yaml, *.yml) from DIR instead of the embedded ACTO set
//	-as-of YYYY-MM-DD evaluation date from 1900-01-01 to 9999-12-31, on or after
//	                  the rule set's effective date (default: today)
//	-format FORMAT    text (the summary), json (a JSON array of decisions),
//	                  jsonl (one decision per line) or csv (the summary's columns)
//	-v                full reports, every requirement explained, instead of the summary
//	-color MODE       auto (on a terminal, unless NO_COLOR is set), always or never
//	-max-size BYTES   the largest applicant document read (default 1048576, 1 MiB)
//
// The documents are decided on every core with the library's batch
// (eligibility.KeyedDecisions), read as it asks for them, and each decision
// is written as soon as it is made, in input order: memory holds the few
// decisions in flight, whatever the batch's size. With -format json the
// array is streamed, one element per decision, and closed at the end.
//
// Applicant documents are read from regular files (or standard input)
// only, each of at most -max-size bytes: a named pipe, a device (such as
// /dev/zero), a socket or a larger file is refused with an error naming
// it, and never read beyond the limit.
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
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

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
	return runDecide(ctx, args, stdout, stderr)
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
	// Room for the whole file at once, and for the read that finds its
	// end: io.ReadAll would grow its buffer a few times for each document.
	var buf bytes.Buffer
	buf.Grow(int(info.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, min(limit, math.MaxInt64-1)+1)); err != nil {
		return nil, err
	}
	data := buf.Bytes()
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
// through its directory, is listed once; "-", standard input, too.
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
		if p == "-" { // standard input, read once
			add(p)
			continue
		}
		info, err := os.Stat(p)
		if err != nil || !info.IsDir() {
			// A file, or what cannot be looked at: reading it says what
			// is wrong with it, as one refused document among the others.
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

// misplacedFlag returns an error when an argument after the first file
// names one of fs's flags (-format, --format=json) and no file: Go's flag
// package takes every argument after the first file as a file, so the
// flag would be read as a document that does not exist.
func misplacedFlag(fs *flag.FlagSet) error {
	args := fs.Args()
	for i, a := range args {
		name, ok := strings.CutPrefix(a, "-")
		if !ok || i == 0 || name == "" {
			continue
		}
		name = strings.TrimPrefix(name, "-")
		name, _, _ = strings.Cut(name, "=")
		if fs.Lookup(name) == nil {
			continue
		}
		if _, err := os.Lstat(a); err == nil {
			continue // a file of that name
		}
		return fmt.Errorf("flag %s after the file %s: flags go before the files", a, args[0])
	}
	return nil
}
