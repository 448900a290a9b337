package lint_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/acto"
	"github.com/eligo-dev/eligo/rules/lint"
	"github.com/eligo-dev/eligo/rules/ruleset"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// TestGolden lints each testdata/CODE.yaml and compares the rendered
// findings with CODE.golden (go test -run Golden -update rewrites them).
// Every code has its case, and each case finds its code.
func TestGolden(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []string
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		cases = append(cases, name)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			set, err := rules.Parse(filepath.Base(path), data)
			if err != nil {
				t.Fatal(err)
			}
			findings := lint.Run(set)
			if !slices.ContainsFunc(findings, func(f lint.Finding) bool { return f.Code == name }) {
				t.Errorf("no %s finding", name)
			}
			got := lint.Format(findings)
			golden := strings.TrimSuffix(path, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
	for _, c := range lint.Codes {
		if !slices.Contains(cases, c.Name) {
			t.Errorf("code %s has no golden case testdata/%s.yaml", c.Name, c.Name)
		}
	}
}

// TestCodes: the codes a rule file may suppress are lint's, but
// unused-suppression; each is documented in the package doc.
func TestCodes(t *testing.T) {
	var names []string
	for _, c := range lint.Codes {
		if c.Name != lint.UnusedSuppression {
			names = append(names, c.Name)
		}
		if c.Summary == "" || (c.Severity != lint.Error && c.Severity != lint.Warning) {
			t.Errorf("code %s: %+v", c.Name, c)
		}
	}
	if !slices.Equal(names, ruleset.LintCodes) {
		t.Errorf("lint codes %v, ruleset.LintCodes %v", names, ruleset.LintCodes)
	}
	doc, err := os.ReadFile("lint.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range lint.Codes {
		if !strings.Contains(string(doc), "//   - "+c.Name+": ") {
			t.Errorf("code %s is not documented in the package doc", c.Name)
		}
	}
}

// TestMaxNodes: lint parses what compiling would, no more.
func TestMaxNodes(t *testing.T) {
	if lint.MaxNodes() != rules.DefaultMaxNodes {
		t.Errorf("lint parses expressions of up to %d nodes; rules, %d", lint.MaxNodes(), rules.DefaultMaxNodes)
	}
}

// TestRunAnything: lint never fails on a rule set that loads, whatever it
// holds: every rule file of the package tests that loads, and
// expressions too deep or too long to parse.
func TestRunAnything(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/*/*.yaml")
	deep := strings.Repeat("(", 5000) + "x" + strings.Repeat(")", 5000)
	sources := [][]byte{[]byte(`ruleset: t
version: "1"
facts:
  f: "` + deep + `"
requirements:
  r: {title: R, source: s, when: "` + deep + `"}
levels:
  - {id: m, title: M, requires: [r]}
`)}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, data)
	}
	loaded := 0
	for i, data := range sources {
		set, err := rules.Parse("t.yaml", data)
		if err != nil {
			continue
		}
		loaded++
		for _, f := range lint.Run(set) {
			if f.Code == "" || f.Message == "" || !f.Pos.IsValid() {
				t.Errorf("source %d: finding %+v", i, f)
			}
		}
	}
	if loaded < 2 {
		t.Errorf("only %d rule files loaded", loaded)
	}
}

// shipped loads the rule sets eligo ships: ACTO's and the examples'.
func shipped(t testing.TB) map[string]*rules.Set {
	out := map[string]*rules.Set{}
	set, err := acto.Rules()
	if err != nil {
		t.Fatal(err)
	}
	out["acto"] = set
	for _, name := range []string{"bacp", "nursing"} {
		set, err := rules.Load(os.DirFS(filepath.Join("..", "..", "examples", name)))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = set
	}
	return out
}

// TestShippedRulesLintClean keeps ACTO's rules and the examples free of
// findings: fix the rule, or suppress the finding on its item with a reason.
func TestShippedRulesLintClean(t *testing.T) {
	for name, set := range shipped(t) {
		if fs := lint.Run(set); len(fs) > 0 {
			t.Errorf("%s:\n%s", name, lint.Format(fs))
		}
	}
}

// TestJSON: a finding encodes flat, for tools.
func TestJSON(t *testing.T) {
	set, err := rules.Parse("t.yaml", []byte(`ruleset: t
version: "1"
parameters:
  spare: {value: 1, source: s}
requirements:
  r: {title: R, source: s, when: x}
levels:
  - {id: m, title: M, requires: [r]}
`))
	if err != nil {
		t.Fatal(err)
	}
	fs := lint.Run(set)
	if len(fs) != 1 {
		t.Fatalf("got %v", fs)
	}
	b, err := json.Marshal(fs[0])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"code":"unused-parameter","severity":"warning","file":"t.yaml","line":4,"column":3,"item":"parameter spare",` +
		`"message":"parameter spare: no expression reads param.spare and no award or benefit charges it as a fee",` +
		`"source":"  spare: {value: 1, source: s}"}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

// BenchmarkLintACTO loads ACTO's rules and lints them.
func BenchmarkLintACTO(b *testing.B) {
	for b.Loop() {
		set, err := acto.Rules()
		if err != nil {
			b.Fatal(err)
		}
		lint.Run(set)
	}
}

// BenchmarkLintOnlyACTO lints ACTO's rules, loaded once.
func BenchmarkLintOnlyACTO(b *testing.B) {
	set, err := acto.Rules()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		lint.Run(set)
	}
}
