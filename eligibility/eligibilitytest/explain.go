package eligibilitytest

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
)

// WantExplain is what a requirement's explanation must show, under the
// want file's explain key:
//
//	explain:
//	  qualifying-course: {shortfall: 0.5, observed: 79.5, required: 80, closest: "onlineTraining[0]"}
//	  no-sanction: {offending: "sanctions[0]"}
//	  insured: {missing: [insurance.expires]}
//
// Each key set must hold of some clause of the requirement (or, for
// shortfall, observed and required, of some condition its explaining list
// entry failed, EntryGap.Failed); keys left out are not checked.
type WantExplain struct {
	// Shortfall is how far a failed numeric comparison falls short
	// (ClauseResult.Shortfall or ConditionGap.Shortfall), to 1e-6.
	Shortfall *float64 `yaml:"shortfall"`
	// Observed is a comparison's left side or a failed library call's
	// argument: a number, text, truth value, date (YYYY-MM-DD) or list.
	Observed any `yaml:"observed"`
	// Required is a comparison's right side, written as Observed.
	Required any `yaml:"required"`
	// Closest is the document path of the entry that explains a list
	// clause (ClauseResult.Closest): the closest in a failed any(), the
	// first failing in a failed all(), the first meeting a met any().
	Closest string `yaml:"closest"`
	// Offending is the document path of the entry that makes a clause fail
	// by meeting all its conditions: a failed none()'s entry (an unmet
	// clause whose Closest has Met == Total and nothing Failed).
	Offending string `yaml:"offending"`
	// Missing are document paths the requirement or one of its clauses
	// must name as missing (RequirementResult.Missing, ClauseResult.Missing;
	// a clause may name them when another clause decides the status), at
	// least these.
	Missing []string `yaml:"missing"`
	// Unverified are the items of the unverified claims the requirement
	// must rely on (RequirementResult.Unverified), at least these.
	Unverified []string `yaml:"unverified"`
}

// checkExplain returns the differences between r's explanation and w.
func checkExplain(r eligibility.RequirementResult, w WantExplain) []string {
	var problems []string
	add := func(what, got, want string) {
		problems = append(problems, fmt.Sprintf("explain %s: %s: got %s, want %s", r.ID, what, got, want))
	}
	var shortfalls []float64
	var observed, required []rules.Value
	var closest, offending []string
	for _, c := range r.Clauses {
		if c.Shortfall != nil {
			shortfalls = append(shortfalls, *c.Shortfall)
		}
		if c.Op != "" || !c.Observed.IsZero() {
			observed = append(observed, c.Observed)
		}
		if c.Op != "" {
			required = append(required, c.Required)
		}
		if g := c.Closest; g != nil {
			closest = append(closest, g.Path)
			if c.Status == eligibility.Unmet && g.Met == g.Total && len(g.Failed) == 0 {
				offending = append(offending, g.Path)
			}
			for _, f := range g.Failed {
				if f.Shortfall != nil {
					shortfalls = append(shortfalls, *f.Shortfall)
				}
				if f.Op != "" || !f.Observed.IsZero() {
					observed = append(observed, f.Observed)
				}
				if f.Op != "" {
					required = append(required, f.Required)
				}
			}
		}
	}
	if w.Shortfall != nil && !slices.ContainsFunc(shortfalls, func(s float64) bool { return math.Abs(s-*w.Shortfall) < 1e-6 }) {
		add("shortfall", floats(shortfalls), fmt.Sprint(*w.Shortfall))
	}
	if w.Observed != nil && !slices.ContainsFunc(observed, func(v rules.Value) bool { return valueIs(v, w.Observed) }) {
		add("observed", values(observed), fmt.Sprint(w.Observed))
	}
	if w.Required != nil && !slices.ContainsFunc(required, func(v rules.Value) bool { return valueIs(v, w.Required) }) {
		add("required", values(required), fmt.Sprint(w.Required))
	}
	if w.Closest != "" && !slices.Contains(closest, w.Closest) {
		add("closest entry", list(closest), w.Closest)
	}
	if w.Offending != "" && !slices.Contains(offending, w.Offending) {
		add("offending entry", list(offending), w.Offending)
	}
	missing := slices.Clone(r.Missing)
	for _, c := range r.Clauses {
		for _, m := range c.Missing {
			if !slices.Contains(missing, m) {
				missing = append(missing, m)
			}
		}
	}
	for _, m := range w.Missing {
		if !slices.Contains(missing, m) {
			add("missing", list(missing), m)
		}
	}
	var items []string
	for _, a := range r.Unverified {
		items = append(items, a.Item)
	}
	for _, u := range w.Unverified {
		if !slices.Contains(items, u) {
			add("unverified", list(items), u)
		}
	}
	return problems
}

// valueIs reports whether v is the value a want file wrote as want.
func valueIs(v rules.Value, want any) bool {
	switch w := want.(type) {
	case int:
		n, ok := v.Number()
		return ok && n == float64(w)
	case float64:
		n, ok := v.Number()
		return ok && math.Abs(n-w) < 1e-9
	case bool:
		return v.Kind() == rules.KindBool && v.Bool() == w
	case time.Time:
		return v.Kind() == rules.KindDate && v.Date().Format(time.DateOnly) == w.Format(time.DateOnly)
	case string:
		switch v.Kind() {
		case rules.KindText:
			return v.Text() == w
		case rules.KindDate:
			return v.Date().Format(time.DateOnly) == w
		}
		return v.String() == w
	case []any:
		if v.Kind() != rules.KindList || v.Len() != len(w) {
			return false
		}
		for i, x := range w {
			if !valueIs(v.Index(i), x) {
				return false
			}
		}
		return true
	}
	return false
}

func floats(fs []float64) string {
	if len(fs) == 0 {
		return "none"
	}
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = fmt.Sprint(f)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func values(vs []rules.Value) string {
	if len(vs) == 0 {
		return "none"
	}
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = v.String()
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func list(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return "[" + strings.Join(s, ", ") + "]"
}
