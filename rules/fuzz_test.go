package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseCompile feeds rule files to Parse, ModelType, Compile and a run
// of every requirement. Whatever the input: nothing panics, a model that
// parses builds its Go type, and every error is an
// *Error positioned in the file it came from, on a line the file has (or
// just past its end), with a column, quoting that line.
//
//	go test ./rules -run '^$' -fuzz FuzzParseCompile -fuzztime 60s
func FuzzParseCompile(f *testing.F) {
	for _, pattern := range []string{"testdata/valid/*.yaml", "testdata/errors/*.yaml", "acto/*.yaml", "../examples/bacp/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, path := range files {
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte(richModel))
	f.Add([]byte(nursingRules))
	const name = "fuzz.yaml"
	applicants := []*testApplicant{
		{},
		{
			Qualifications: []testQual{{Title: "Dip", Level: "diploma", Field: "counselling", Awarded: date("2015-01-01")}},
			Insurance:      &testInsurance{ProfessionalIndemnity: true, Expires: date("2025-01-01")},
			OnlineTraining: []testCourse{{Provider: "OLT4C", Course: "Cert", Hours: 60, Formats: []string{"video"}, Completed: date("2023-01-01")}},
			CPD:            []testCPD{{Hours: 6, Date: date("2024-01-01"), Online: true}},
			Portfolio:      &testPortfolio{CaseStudyWords: 2500},
		},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := Parse(name, data)
		if err != nil {
			checkPositioned(t, name, data, err)
			return
		}
		// A model that parses builds: every fault is found at load.
		if _, err := ModelType(set); err != nil {
			t.Fatalf("model type of a parsed model: %v", err)
		}
		prog, err := Compile(set, testApplicant{}, MaxNodes(500), MemoryBudget(10_000))
		if err != nil {
			checkPositioned(t, name, data, err)
			return
		}
		for _, a := range applicants {
			run, err := prog.NewRun(a, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
			if err != nil {
				continue // a parameter without a value on that date
			}
			for i := range prog.NumRequirements() {
				res, err := run.Requirement(i)
				var ee *EvalError
				if err != nil && !errors.As(err, &ee) {
					t.Fatalf("requirement %d failed with %T, not an *EvalError: %v", i, err, err)
				}
				if err == nil && res.Status > Review {
					t.Fatalf("requirement %d: status %v", i, res.Status)
				}
			}
		}
	})
}

// checkPositioned checks that err is an *ErrorList of errors positioned in
// data, sorted: on a line of the file (the empty line after a final newline
// counts, as the end of the file) and at most one column past that line's
// end.
func checkPositioned(t *testing.T, name string, data []byte, err error) {
	t.Helper()
	var list *ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error is %T, not an *ErrorList: %v", err, err)
	}
	if len(list.Errors) == 0 {
		t.Fatal("an empty *ErrorList")
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	var prev Position
	for _, e := range list.Errors {
		p := e.Pos
		if p.File != name {
			t.Errorf("error in file %q, want %q: %v", p.File, name, e)
		}
		if p.Line < 1 || p.Line > lines {
			t.Errorf("error on line %d of %d: %v", p.Line, lines, e)
		}
		if p.Line > 0 && p.Column < 1 {
			t.Errorf("error without a column: %v", e)
		}
		if e.Kind == nil || !errors.Is(e, e.Kind) {
			t.Errorf("error without a kind: %v", e)
		}
		if p.Line >= 1 && p.Line <= lines {
			want := strings.TrimRight(strings.Split(string(data), "\n")[p.Line-1], "\r")
			if e.Line != want {
				t.Errorf("error quotes %q, but line %d is %q", e.Line, p.Line, want)
			}
			if n := utf8.RuneCountInString(want); p.Column > n+1 {
				t.Errorf("error at column %d of a line of %d characters: %v", p.Column, n, e)
			}
		}
		if p.Line < prev.Line || (p.Line == prev.Line && p.Column < prev.Column) {
			t.Errorf("errors not sorted: %s after %s", p, prev)
		}
		prev = p
		_ = e.Error()
	}
	_ = list.Error()
}

// FuzzExpression puts one expression, as plain, double-quoted or literal
// block text, into an otherwise valid rule file, so that the fuzzer spends
// its time in the compiler rather than in YAML syntax. Besides the
// properties of FuzzParseCompile: an error in the expression points into
// the lines the expression occupies.
//
//	go test ./rules -run '^$' -fuzz FuzzExpression -fuzztime 60s
func FuzzExpression(f *testing.F) {
	base, err := os.ReadFile("testdata/valid/small.yaml")
	if err != nil {
		f.Fatal(err)
	}
	const target = "    when: onlineCpdHours >= param.cpd_hours\n"
	if !bytes.Contains(base, []byte(target)) {
		f.Fatal("small.yaml changed: no online-cpd condition to replace")
	}
	for _, e := range []string{
		"onlineCpdHours >= param.cpd_hours",
		`any(qualifications, .title != "Café\t🎓" && .levle == "diploma")`,
		"sum(cpd, .houres) >= 1",
		"insurance.expires.Year() > 2000",
		"now() > asOf",
		"param.nope > 1",
		"(1 + ",
		"within(insurance.expires, 12) &&\n  approved(onlineTraining[0].provider)",
		`"a" + 'b' == "ab\"" && "\u00e9" != ""`,
		"let x = 1; x > 0",
		"1..3 | all(# > 0)",
		"sum(cpd, .hours)",
		"$env.cpd != nil",
	} {
		for style := range uint8(3) {
			f.Add(e, style)
		}
	}
	const name = "fuzz.yaml"
	f.Fuzz(func(t *testing.T, e string, style uint8) {
		var text string
		switch style % 3 {
		case 0:
			text = "    when: " + e + "\n"
		case 1:
			q, _ := json.Marshal(e) // JSON strings are YAML double-quoted scalars
			text = "    when: " + string(q) + "\n"
		case 2:
			text = "    when: |\n      " + strings.ReplaceAll(e, "\n", "\n      ") + "\n"
		}
		data := bytes.Replace(base, []byte(target), []byte(text), 1)
		first := bytes.Count(data[:bytes.Index(data, []byte(text))], []byte("\n")) + 1
		last := first + strings.Count(text, "\n") - 1
		set, err := Parse(name, data)
		if err == nil {
			_, err = Compile(set, testApplicant{}, MaxNodes(500))
		}
		if err == nil {
			return
		}
		checkPositioned(t, name, data, err)
		var list *ErrorList
		errors.As(err, &list)
		for _, e := range list.Errors {
			if strings.HasPrefix(e.Msg, "requirement online-cpd when:") && (e.Pos.Line < first || e.Pos.Line > last) {
				t.Errorf("error in the expression on lines %d-%d reported at line %d: %v", first, last, e.Pos.Line, e)
			}
		}
	})
}
