package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
)

// A command is one of eligo's subcommands: it parses its own flags from
// args (the command line after its name) and returns the exit status.
type command struct {
	name    string
	args    string // what follows the name in the usage line
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands are the subcommands, in the order the usage lists them; decide
// is the default, run when the first argument names no other.
var commands []command

func init() {
	commands = []command{
		{"decide", "[flags] [FILE|DIR ...]", "decide applicant documents and explain each decision (the default)", nil},
		{"check", "[-rules DIR] [-format json]", "load and compile the rules, reporting every fault at once", runCheck},
		{"lint", "[-rules DIR] [-format json]", "report what is probably wrong in rules that load", runLint},
		{"test", "[-rules DIR] [-cover] [-min both-ways] [-format json] DIR ...", "decide fixtures against their want files; with -cover, the coverage table", runTest},
		{"explain", "[-rules DIR] [-as-of DATE] [-format json] FILE [ID]", "explain one applicant's decision, or one requirement or award of it", runExplain},
		{"diff", "[-old DIR] [-new DIR] [-as-of DATE] [-format json|csv] [FILE|DIR ...]", "what a rule change does to applicants: levels, awards and the requirements behind them", runDiff},
		{"schema", "[-rules DIR] [-format text] document|decision", "write the JSON Schema of the applicant documents or of the decisions", runSchema},
	}
}

// subcommand picks the command named by the first argument and returns it
// with the arguments that follow, or nil and the arguments of decide. A
// command's name always wins over a file or directory of that name: to
// decide a directory named lint, write ./lint or "eligo decide lint".
func subcommand(args []string) (*command, []string) {
	if len(args) == 0 {
		return nil, args
	}
	if args[0] == "decide" {
		return nil, args[1:]
	}
	if args[0] == "help" {
		// eligo help [COMMAND] is eligo [COMMAND] -h.
		if len(args) == 1 {
			return nil, []string{"-h"}
		}
		if !isCommand(args[1]) {
			return unknownHelp(args[1]), nil
		}
		return subcommand([]string{args[1], "-h"})
	}
	for i := range commands {
		if c := &commands[i]; c.name == args[0] && c.run != nil {
			return c, args[1:]
		}
	}
	return nil, args
}

// isCommand reports whether name is a command's, decide's included.
func isCommand(name string) bool {
	for _, c := range commands {
		if c.name == name {
			return true
		}
	}
	return false
}

// unknownHelp is the command eligo help runs for a name that is no
// command's: it says so, names the commands, and exits 2. It has no name,
// so that start notes no file of its name.
func unknownHelp(name string) *command {
	return &command{run: func(_ context.Context, _ []string, _, stderr io.Writer) int {
		names := make([]string, len(commands))
		for i, c := range commands {
			names[i] = c.name
		}
		fmt.Fprintf(stderr, "eligo help: no command %q; the commands are %s\n", name, strings.Join(names, ", "))
		return 2
	}}
}

// start runs the command. Should a file or directory of the command's name
// stand in the working directory, a note on stderr says how to decide it
// instead, once, without changing what the command does.
func (c *command) start(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if _, err := os.Stat(c.name); err == nil {
		fmt.Fprintf(stderr, "eligo: running the %s command; to decide the file or directory %s, write eligo decide %s, or ./%s\n", c.name, c.name, c.name, c.name)
	}
	return c.run(ctx, args, stdout, stderr)
}

// writeCommands lists the subcommands for the top-level usage.
func writeCommands(w io.Writer) {
	fmt.Fprintf(w, "Commands (eligo COMMAND -h for each one's flags):\n\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-8s %s\n", "help", "show the usage of eligo, or of a command (eligo help COMMAND)")
	fmt.Fprintf(w, "\nWith no command, or a first argument that is no command's name, eligo decides.\n"+
		"A command's name wins over a file of that name: decide ./lint, or eligo decide lint.\n"+
		"Exit status: 0 success; 1 some input invalid or some check failed (the rest still\n"+
		"processed); 2 the rules or the flags unusable.\n\n")
}

// newFlagSet returns the flag set of the subcommand name, with its usage
// line and what it does.
func newFlagSet(name string, stderr io.Writer, about string) *flag.FlagSet {
	fs := flag.NewFlagSet("eligo "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var args string
	for _, c := range commands {
		if c.name == name {
			args = c.args
		}
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: eligo %s %s\n\n%s\n\n", name, args, strings.TrimSpace(about))
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; ok false means the command is done with status
// (0 after -h, 2 after a bad flag).
func parseFlags(fs *flag.FlagSet, args []string) (status int, ok bool) {
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return 0, false
	} else if err != nil {
		return 2, false
	}
	return 0, true
}

// parseRulesCommand parses the flags of a command that takes only
// -rules DIR and -format text|json (check, lint), and no arguments; ok
// false means the command is done with status.
func parseRulesCommand(name, about, rulesUsage string, args []string, stderr io.Writer) (rulesDir, format string, status int, ok bool) {
	fs := newFlagSet(name, stderr, about)
	dir := fs.String("rules", "", rulesUsage)
	f := formatFlag(fs)
	if status, ok := parseFlags(fs, args); !ok {
		return "", "", status, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "eligo %s: unexpected argument %q (the rules are named with -rules DIR)\n", name, fs.Arg(0))
		return "", "", 2, false
	}
	if !checkFormat(name, *f, stderr) {
		return "", "", 2, false
	}
	return *dir, *f, 0, true
}

// formatFlag adds -format text|json to fs.
func formatFlag(fs *flag.FlagSet) *string {
	return fs.String("format", "text", "output format: text for people or json for machines")
}

// checkFormat reports a -format other than text or json.
func checkFormat(name, format string, stderr io.Writer) bool {
	if format != "text" && format != "json" {
		fmt.Fprintf(stderr, "eligo %s: -format must be text or json, not %q\n", name, format)
		return false
	}
	return true
}

// writeJSON writes v indented, as decide does, with a final newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// rulesName names the rules an engine was built from, for messages.
func rulesName(set *rules.Set, dir string) string {
	digest := set.Digest
	if len(digest) > 19 {
		digest = digest[:19]
	}
	from := "embedded"
	if dir != "" {
		from = "from " + dir
	}
	return fmt.Sprintf("%s %s (%s, %s)", set.Name, set.Version, digest, from)
}

// loadEngine is newEngine for a subcommand: an error is written to stderr.
func loadEngine(name, dir string, stderr io.Writer) (*eligibility.Engine, bool) {
	e, err := newEngine(dir)
	if err != nil {
		fmt.Fprintf(stderr, "eligo %s: %v\n", name, err)
		return nil, false
	}
	return e, true
}

// isDir reports whether path is a directory.
func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}
