package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/acto"
)

// checkReport is what eligo check -format json writes.
type checkReport struct {
	OK        bool   `json:"ok"`
	RuleSet   string `json:"ruleset,omitempty"`
	Version   string `json:"version,omitempty"`
	Digest    string `json:"digest,omitempty"`
	Effective string `json:"effective,omitempty"`
	// Model says whether the rule set declares its applicant model; only
	// then are its expressions compiled here.
	Model   bool           `json:"model"`
	Counts  map[string]int `json:"counts,omitempty"`
	Errors  []ruleError    `json:"errors,omitempty"`
	Dropped int            `json:"dropped,omitempty"` // errors past the cap, left out
}

// ruleError is one rule-file error, flat, for JSON.
type ruleError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
	Source  string `json:"source,omitempty"` // the source line
}

const checkAbout = `Loads the rule files (*.yaml, *.yml) of DIR, or the embedded ACTO rules,
and compiles them against the model they declare: every fault in every file
is reported at once, as file:line:col: message with the source line and a
caret. Exit status 0 when the rules are usable, 2 when they are not.`

func runCheck(_ context.Context, args []string, stdout, stderr io.Writer) int {
	rulesDir, format, status, ok := parseRulesCommand("check", checkAbout, "load rule files from `DIR` instead of the embedded ACTO set", args, stderr)
	if !ok {
		return status
	}
	set, err := checkRules(rulesDir)
	var list *rules.ErrorList
	if err != nil && !errors.As(err, &list) {
		fmt.Fprintf(stderr, "eligo check: %v\n", err)
		return 2
	}
	rep := checkReport{OK: err == nil}
	if list != nil {
		for _, e := range list.Errors {
			rep.Errors = append(rep.Errors, ruleError{e.Pos.File, e.Pos.Line, e.Pos.Column, e.Msg, e.Line})
		}
		rep.Dropped = list.Dropped
	}
	if set != nil && err == nil {
		rep.RuleSet, rep.Version, rep.Digest, rep.Model = set.Name, set.Version, set.Digest, set.Model != nil
		if !set.Effective.IsZero() {
			rep.Effective = set.Effective.Format(time.DateOnly)
		}
		rep.Counts = map[string]int{
			"parameters": len(set.Parameters), "catalogues": len(set.Catalogues), "facts": len(set.Facts),
			"requirements": len(set.Requirements), "gates": len(set.Gates), "benefits": len(set.Benefits),
			"levels": len(set.Levels), "categories": len(set.Categories), "courses": len(set.Courses),
		}
	}
	if format == "json" {
		if werr := writeJSON(stdout, rep); werr != nil {
			fmt.Fprintf(stderr, "eligo check: %v\n", werr)
			return 2
		}
	} else {
		writeCheckText(stdout, set, rulesDir, rep, err)
	}
	if err != nil {
		return 2
	}
	return 0
}

// writeCheckText writes check's report for people.
func writeCheckText(w io.Writer, set *rules.Set, dir string, rep checkReport, err error) {
	if err != nil {
		n := len(rep.Errors) + rep.Dropped
		fmt.Fprintf(w, "%v\n", err)
		if n == 1 {
			fmt.Fprintf(w, "1 error: the rules are unusable\n")
		} else {
			fmt.Fprintf(w, "%d errors: the rules are unusable\n", n)
		}
		return
	}
	fmt.Fprintf(w, "rules %s: ok\n", rulesName(set, dir))
	if rep.Effective != "" {
		fmt.Fprintf(w, "  in force from %s\n", rep.Effective)
	}
	c := rep.Counts
	fmt.Fprintf(w, "  %s, %s, %s; %s (%s), %s, %s, %s, %s\n",
		plural(c["levels"], "level"), plural(c["categories"], "category"), plural(c["courses"], "course"),
		plural(c["requirements"], "requirement"), plural(c["gates"], "gate"), plural(c["facts"], "fact"),
		plural(c["parameters"], "parameter"), plural(c["catalogues"], "catalogue"), plural(c["benefits"], "benefit"))
	if rep.Model {
		fmt.Fprintf(w, "  applicant model declared: expressions compiled against it\n")
	} else {
		fmt.Fprintf(w, "  no applicant model declared: expressions are checked when compiled against your Go type\n")
	}
}

// checkRules loads the rules of dir (the embedded ACTO rules for "") and,
// when they declare their applicant model, compiles them against it.
func checkRules(dir string) (*rules.Set, error) {
	var set *rules.Set
	var err error
	if dir == "" {
		set, err = acto.Rules()
	} else {
		if info, serr := os.Stat(dir); serr != nil {
			return nil, fmt.Errorf("-rules: %w", serr)
		} else if !info.IsDir() {
			return nil, fmt.Errorf("-rules: %s is not a directory", dir)
		}
		set, err = rules.Load(os.DirFS(dir))
	}
	if err == nil && set.Model != nil {
		_, err = eligibility.New(set)
	}
	var list *rules.ErrorList
	if errors.As(err, &list) && dir != "" {
		prefixPaths(list, dir)
	}
	return set, err
}

// plural writes n and noun, made plural unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(noun, "y"))
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
