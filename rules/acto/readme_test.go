package acto_test

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/acto"
)

var update = flag.Bool("update", false, "rewrite the README's ACTO tables from the rule set")

const (
	readmePath  = "../../README.md"
	tablesBegin = "<!-- The ACTO tables below are generated from acto.Rules() by rules/acto/readme_test.go; after a rule edit run: go test ./rules/acto -run TestREADMETables -update -->\n"
	tablesEnd   = "<!-- end of the generated ACTO tables -->\n"
)

// TestREADMETables keeps the README's tables of the ACTO rule set (in "The
// ACTO rules and their sources") in step with the embedded rules: the
// Markdown between the two markers must be exactly what ACTOTables makes
// of acto.Rules(). With -update it rewrites them instead.
func TestREADMETables(t *testing.T) {
	set, err := acto.Rules()
	if err != nil {
		t.Fatal(err)
	}
	want := actoTables(set)
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	begin := strings.Index(text, tablesBegin)
	end := strings.Index(text, tablesEnd)
	if begin < 0 || end < begin {
		t.Fatalf("README.md lacks the markers of the generated ACTO tables:\n%s%s", tablesBegin, tablesEnd)
	}
	got := text[begin+len(tablesBegin) : end]
	if got == want {
		return
	}
	if *update {
		text = text[:begin+len(tablesBegin)] + want + text[end:]
		if err := os.WriteFile(readmePath, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(gl), len(wl)) {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("README.md's ACTO tables are out of step with the rule set (go test ./rules/acto -run TestREADMETables -update rewrites them); first difference, line %d:\nREADME: %s\nrules:  %s", i+1, g, w)
		}
	}
}

// actoTables is the Markdown of the README's ACTO tables: parameters,
// approved providers, requirements, levels, categories, courses and
// benefits, each row from the rule set, in its order.
func actoTables(set *rules.Set) string {
	var b strings.Builder
	row := func(cells ...string) {
		for i, c := range cells {
			cells[i] = strings.ReplaceAll(c, "|", `\|`)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	table := func(head ...string) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		row(head...)
		rule := make([]string, len(head))
		for i := range rule {
			rule[i] = "---"
		}
		b.WriteString("|" + strings.Join(rule, "|") + "|\n")
	}

	table("parameter", "value", "source")
	for _, p := range set.Parameters {
		source := citation(p.Source)
		if p.Assumed && !strings.HasPrefix(strings.ToLower(p.Source), "assumed") {
			source = "**assumed**: " + source
		}
		row("`"+p.Name+"`", paramValue(p), source)
	}

	for _, c := range set.Catalogues {
		table(c.Name, "name", "aliases")
		for _, e := range c.Entries {
			row("`"+e.ID+"`", e.Name, strings.Join(e.Aliases, "; "))
		}
	}

	table("requirement", "source")
	for _, r := range set.Requirements {
		row("`"+r.ID+"`: "+r.Title, citation(r.Source))
	}

	for _, awards := range []struct {
		head string
		list []*rules.Award
	}{{"level", set.Levels}, {"category", set.Categories}, {"course", set.Courses}} {
		table(awards.head, "requires", "source")
		for _, a := range awards.list {
			row("`"+a.ID+"`: "+a.Title, requires(a), citation(a.Source))
		}
	}

	table("benefit", "requires", "source")
	for _, be := range set.Benefits {
		req := ids(be.Requires)
		if be.Fee != "" {
			req = strings.TrimPrefix(req+"; add-on fee `"+be.Fee+"`", "; ")
		}
		row("`"+be.ID+"`: "+be.Title, req, citation(be.Source))
	}
	return b.String()
}

// citation is a source as the tables show it: one that starts with
// "assumed" or "inferred" has that word in bold.
func citation(s string) string {
	for _, mark := range []string{"assumed", "inferred"} {
		if rest, ok := strings.CutPrefix(s, mark); ok {
			return "**" + mark + "**" + rest
		}
	}
	return s
}

// requires lists an award's requirements: those of every route, then each
// route's own ("standard: qualifying-course; grandparenting (review):
// grandparenting-hours"); a single implicit route adds nothing.
func requires(a *rules.Award) string {
	s := ids(a.Requires)
	if len(a.Routes) == 1 && a.Routes[0].Name == "standard" && len(a.Routes[0].Requires) == 0 && !a.Routes[0].Review {
		return s
	}
	var routes []string
	for _, r := range a.Routes {
		name := r.Name
		if r.Review {
			name += " (review)"
		}
		own := ids(r.Requires)
		if own == "" {
			own = "nothing more"
		}
		routes = append(routes, name+": "+own)
	}
	return s + "; routes: " + strings.Join(routes, "; ")
}

func ids(list []string) string {
	var out []string
	for _, id := range list {
		out = append(out, "`"+id+"`")
	}
	return strings.Join(out, ", ")
}

func paramValue(p *rules.Parameter) string {
	if len(p.Values) == 1 && p.Values[0].From.IsZero() {
		return scalar(p.Values[0].Value)
	}
	var parts []string
	for _, v := range p.Values {
		parts = append(parts, scalar(v.Value)+" from "+v.From.Format(time.DateOnly))
	}
	return strings.Join(parts, "; ")
}

func scalar(v any) string {
	switch v := v.(type) {
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []string:
		return strings.Join(v, ", ")
	case time.Time:
		return v.Format(time.DateOnly)
	}
	return fmt.Sprint(v)
}
