package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
)

const explainAbout = `Decides one applicant document and explains it: with no ID, the whole
decision; with the ID of a requirement, its status and explanation (each
clause's observed and required values, the closest list entry, what is missing
or unverified); with the ID of a level, category or course, its outcome, the
route it comes from, every route's outcome, the requirements of the best route,
explained where not met, and what would settle it.
Exit status 0 when explained, 1 when the document is unreadable or invalid,
2 when the rules or the flags are unusable or ID names nothing in the rules.`

// explained is what eligo explain ID -format json writes: the decision's
// header and the requirement or award ID names.
type explained struct {
	Applicant   string                         `json:"applicant"`
	RuleSet     eligibility.RuleSetInfo        `json:"ruleset"`
	AsOf        eligibility.Date               `json:"asOf"`
	Requirement *eligibility.RequirementResult `json:"requirement,omitempty"`
	Kind        string                         `json:"kind,omitempty"` // the award's: level, category or course
	Award       *eligibility.AwardResult       `json:"award,omitempty"`
}

func runExplain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("explain", stderr, explainAbout)
	rulesDir := fs.String("rules", "", "decide with rule files from `DIR` instead of the embedded ACTO set")
	asOfFlag := fs.String("as-of", "", "evaluation date `YYYY-MM-DD` (default today)")
	format := formatFlag(fs)
	if status, ok := parseFlags(fs, args); !ok {
		return status
	}
	if !checkFormat("explain", *format, stderr) {
		return 2
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		fmt.Fprintf(stderr, "eligo explain: want one applicant document and at most one requirement or award id\n")
		fs.Usage()
		return 2
	}
	path, id := fs.Arg(0), fs.Arg(1)
	engine, ok := loadEngine("explain", *rulesDir, stderr)
	if !ok {
		return 2
	}
	asOf, err := parseAsOf(*asOfFlag)
	if err == nil {
		err = engine.InForce(asOf)
	}
	if err != nil {
		fmt.Fprintf(stderr, "eligo explain: -as-of: %v\n", err)
		return 2
	}
	if id != "" && !knownID(engine, id) {
		fmt.Fprintf(stderr, "eligo explain: no requirement, level, category or course %q in rules %s\n", id, rulesName(engine.RuleSet(), *rulesDir))
		return 2
	}
	data, err := readDocument(path, defaultMaxSize)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return 1
	}
	a, err := engine.Decode(path, data)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return 1
	}
	d, err := engine.Evaluate(ctx, a, eligibility.AsOf(asOf))
	if err != nil {
		var in *eligibility.InputError
		if errors.As(err, &in) {
			in.Source = path
			fmt.Fprintf(stderr, "%v\n", err)
		} else {
			fmt.Fprintf(stderr, "%s: %v\n", path, err)
		}
		return 1
	}
	if id == "" {
		if *format == "json" {
			err = writeJSON(stdout, d)
		} else {
			err = d.WriteText(stdout)
		}
	} else {
		out := explained{Applicant: d.Applicant, RuleSet: d.RuleSet, AsOf: d.AsOf}
		if r, ok := d.Requirement(id); ok {
			out.Requirement = &r
		}
		out.Kind, out.Award = findAward(d, id)
		if *format == "json" {
			err = writeJSON(stdout, out)
		} else {
			_, err = io.WriteString(stdout, explainText(d, out))
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "eligo explain: %v\n", err)
		return 2
	}
	return 0
}

// parseAsOf parses -as-of as decide does; "" is today.
func parseAsOf(s string) (time.Time, error) {
	if s == "" {
		return time.Now().UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1900 {
		return time.Time{}, fmt.Errorf("want a date YYYY-MM-DD from 1900-01-01 to 9999-12-31, not %q", s)
	}
	return t, nil
}

// knownID reports whether id names a requirement, level, category or course.
func knownID(e *eligibility.Engine, id string) bool {
	set := e.RuleSet()
	for _, r := range set.Requirements {
		if r.ID == id {
			return true
		}
	}
	for _, group := range [][]*rules.Award{set.Levels, set.Categories, set.Courses} {
		for _, a := range group {
			if a.ID == id {
				return true
			}
		}
	}
	return false
}

// findAward returns the kind and result of the award id in d, or "", nil.
func findAward(d *eligibility.Decision, id string) (string, *eligibility.AwardResult) {
	for _, group := range []struct {
		kind string
		as   []eligibility.AwardResult
	}{{"level", d.Levels()}, {"category", d.Categories()}, {"course", d.Courses()}} {
		for i := range group.as {
			if group.as[i].ID == id {
				return group.kind, &group.as[i]
			}
		}
	}
	return "", nil
}

// explainText writes one requirement's or award's explanation for people.
func explainText(d *eligibility.Decision, x explained) string {
	var b strings.Builder
	digest := d.RuleSet.Digest
	if len(digest) > 19 {
		digest = digest[:19]
	}
	fmt.Fprintf(&b, "Applicant %s: rules %s %s (%s), as of %s\n", d.Applicant, d.RuleSet.Name, d.RuleSet.Version, digest, d.AsOf)
	if r := x.Requirement; r != nil {
		fmt.Fprintf(&b, "Requirement %s: %s [%s]\n", r.ID, r.Title, r.Status)
		if r.Source != "" {
			fmt.Fprintf(&b, "  source: %s\n", r.Source)
		}
		for _, line := range r.Explain() {
			fmt.Fprintf(&b, "  %s\n", line)
		}
	}
	if a := x.Award; a != nil {
		fmt.Fprintf(&b, "%s %s: %s: %s", strings.ToUpper(x.Kind[:1])+x.Kind[1:], a.ID, a.Title, a.Outcome)
		if a.Route != "" {
			fmt.Fprintf(&b, " (route %s)", a.Route)
		}
		b.WriteByte('\n')
		if len(a.Routes) > 0 {
			b.WriteString("  Routes:\n")
			for _, rt := range a.Routes {
				review := ""
				if rt.Review {
					review = " (assessed by a panel)"
				}
				fmt.Fprintf(&b, "    %-14s %s%s\n", rt.Name, rt.Outcome, review)
			}
		}
		if a.Route != "" {
			fmt.Fprintf(&b, "  Requirements (route %s):\n", a.Route)
		} else {
			b.WriteString("  Requirements:\n")
		}
		for _, s := range a.Requirements {
			r, _ := d.Requirement(s.ID)
			fmt.Fprintf(&b, "    %-10s %s: %s\n", s.Status, s.ID, r.Title)
			if s.Status != eligibility.Met {
				for _, line := range r.Explain() {
					fmt.Fprintf(&b, "        %s\n", line)
				}
			}
		}
		var settle []string
		for _, s := range a.Settle {
			if line := s.String(); !slices.Contains(settle, line) {
				settle = append(settle, line)
			}
		}
		if len(settle) > 0 {
			b.WriteString("  To settle:\n")
			for _, line := range settle {
				fmt.Fprintf(&b, "    %s\n", line)
			}
		}
	}
	return b.String()
}
