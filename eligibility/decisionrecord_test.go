package eligibility

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/rules"
)

// recordOf decides the ACTO fixture name and returns the engine, the
// applicant, the decision and its JSON.
func recordOf(t *testing.T, name string) (*EngineOf[Applicant], *Applicant, *Decision, []byte) {
	t.Helper()
	e := actoEngine(t)
	data, err := os.ReadFile("../examples/applicants/" + name)
	if err != nil {
		t.Fatal(err)
	}
	a, err := DecodeFor[Applicant](name, data)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Evaluate(context.Background(), a, AsOf(fixtureAsOf))
	if err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return e, a, d, j
}

// editRecord decodes j into a generic map, lets f edit it, and re-encodes.
func editRecord(t *testing.T, j []byte, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(j, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRecordRefusedLeavesNothing: a record UnmarshalJSON refuses (another
// major schema, none, a value of the wrong type or out of range) leaves a
// zero Decision, which grants nothing.
func TestRecordRefusedLeavesNothing(t *testing.T) {
	_, _, _, j := recordOf(t, "associate-trainer.yaml")
	cases := map[string]func(m map[string]any){
		"schema 3":         func(m map[string]any) { m["schema"] = "eligo.decision/3" },
		"no schema":        func(m map[string]any) { delete(m, "schema") },
		"feeTotal string":  func(m map[string]any) { m["feeTotal"] = "NaN" },
		"asOf bad":         func(m map[string]any) { m["asOf"] = "2026-13-45" },
		"met out of range": func(m map[string]any) { m["next"].(map[string]any)["met"] = 1e300 },
	}
	for name, edit := range cases {
		var d Decision
		err := json.Unmarshal(editRecord(t, j, edit), &d)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if d.Level != "" || len(d.Levels()) != 0 || len(d.GrantedCategories()) != 0 || len(d.Requirements()) != 0 {
			t.Errorf("%s: UnmarshalJSON returned %v but the Decision still holds Level=%q, %d levels, %d requirements",
				name, err, d.Level, len(d.Levels()), len(d.Requirements()))
		}
	}
}

// TestRecordContradictionsRefused: a record whose words are not the
// schema's, or whose parts contradict each other (a level granted while
// its requirements are unmet, a level that is not the highest granted or
// not a level at all, a gap naming a requirement the record does not
// hold, a course granted with a requirement unmet), is refused with
// ErrSchema.
func TestRecordContradictionsRefused(t *testing.T) {
	_, _, _, j := recordOf(t, "associate-trainer.yaml")
	cases := map[string]func(m map[string]any){
		// associate granted, but every requirement it lists is unmet, in the
		// award list and in "requirements".
		"granted level with unmet requirements": func(m map[string]any) {
			lv := m["levels"].([]any)[0].(map[string]any)
			for _, r := range lv["requirements"].([]any) {
				r.(map[string]any)["status"] = "unmet"
			}
			for _, r := range m["requirements"].([]any) {
				r.(map[string]any)["status"] = "unmet"
			}
		},
		// level says fellow-ish, the ladder says refused.
		"level names a refused level": func(m map[string]any) {
			ls := m["levels"].([]any)
			last := ls[len(ls)-1].(map[string]any)
			m["level"] = last["id"]
		},
		"unknown status word": func(m map[string]any) {
			for _, r := range m["requirements"].([]any) {
				r.(map[string]any)["status"] = "bogus"
			}
		},
		"level names no level at all": func(m map[string]any) { m["level"] = "grand-master" },
		"next names unknown requirement": func(m map[string]any) {
			m["next"].(map[string]any)["unmet"] = []any{map[string]any{"id": "no-such-req", "status": "unmet"}}
		},
		"course granted with unmet requirement": func(m map[string]any) {
			c := m["courses"].([]any)[0].(map[string]any)
			c["outcome"] = "granted"
			rs := c["requirements"].([]any)
			if len(rs) > 0 {
				rs[0].(map[string]any)["status"] = "unmet"
			}
		},
	}
	for name, edit := range cases {
		var d Decision
		err := json.Unmarshal(editRecord(t, j, edit), &d)
		if !errors.Is(err, ErrSchema) {
			t.Errorf("%s: error %v, want ErrSchema: Level=%q GrantedCourses=%v", name, err, d.Level, d.GrantedCourses())
		}
		if d.Level != "" || len(d.GrantedCourses()) != 0 {
			t.Errorf("%s: refused, yet the decision grants", name)
		}
	}
}

// TestRecordOddNoPanic: odd records never make reading or any method
// panic, and what reads back marshals to the same bytes and Equals itself.
func TestRecordOddNoPanic(t *testing.T) {
	_, _, _, j := recordOf(t, "associate-trainer.yaml")
	base := string(j)
	odd := []string{
		`{"schema":"eligo.decision/2"}`,
		`{"schema":"eligo.decision/2","requirements":null,"levels":null,"next":{}}`,
		`{"schema":"eligo.decision/2","next":{"level":"x","unmet":[{"id":"a","status":"unmet"}]},"requirements":[]}`,
		`{"schema":"eligo.decision/2","requirements":[{"id":"a","status":"unmet","wording":"{","clauses":[{"text":"t","status":"unmet","closest":{"path":"p","met":-5,"total":0,"failed":null}}]}]}`,
		`{"schema":"eligo.decision/2","requirements":[{"id":"a","status":"unmet","wording":"{observed} {required} {shortfall} {x","clauses":[{"text":"t","status":"unmet","op":">=","shortfall":1e308}]}]}`,
		`{"schema":"eligo.decision/2","requirements":[{"id":"a","status":"unknown","clauses":[{"text":"t","status":"unknown","closest":{"path":"p","met":3,"total":1,"failed":[{"text":"x","op":"<","shortfall":-1}]}}]}]}`,
		`{"schema":"eligo.decision/2","requirements":[{"id":"a","status":"met","clauses":[{"text":"t","status":"met","observed":{"type":"date","value":"2024-01-01T23:30:00-05:00"},"required":{"type":"record","fields":{"a":{"type":"integer","value":1}}}}]}]}`,
		`{"schema":"eligo.decision/2","applicant":"\xff\xfe","level":"\xff","requirements":[{"id":"\u0000","status":"met","clauses":[]}]}`,
		`{"schema":"eligo.decision/2","levels":[{"id":"a","outcome":"granted","routes":[{"name":"r","outcome":"granted"}],"settle":[{"kind":"verify","requirement":"z"}]}],"level":"a"}`,
		`{"schema":"eligo.decision/2","validUntil":"2024-01-01","changes":{}}`,
		`{"schema":"eligo.decision/2","leftOut":[{"path":"","field":"","date":"0001-01-01","why":"zz"}]}`,
		`{"schema":"eligo.decision/2","schema":"eligo.decision/2","level":"a","level":"b","unknownKey":[1,2,3]}`,
		`{"schema":"eligo.decision/2","fees":[{"item":"a","param":"p","amount":1e308},{"item":"b","param":"p","amount":1e308}],"feeTotal":1e308}`,
		`{"schema":"eligo.decision/2.99999999999999999999"}`,
		strings.Replace(base, `"status":"met"`, `"status":""`, -1),
		strings.Replace(base, `"clauses":[`, `"clauses":[{"text":"","status":"met","values":[{"name":"n","value":null}]},`, -1),
	}
	for i, s := range odd {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("odd record %d panicked: %v\n%s", i, r, s)
				}
			}()
			var d Decision
			if err := json.Unmarshal([]byte(s), &d); err != nil {
				return
			}
			_ = d.Text()
			_ = d.Equal(&d)
			for _, r := range d.Requirements() {
				_ = r.Explain()
			}
			for _, l := range d.Levels() {
				for _, a := range l.Settle {
					_ = a.String()
				}
			}
			for range d.Outcomes() {
			}
			_, _ = d.Requirement("a")
			_, _ = d.Status("a")
			_ = d.Statuses()
			_ = d.GrantedCourses()
			j1, err := json.Marshal(&d)
			if err != nil {
				return // a refusal to write is fine
			}
			var back Decision
			if err := json.Unmarshal(j1, &back); err != nil {
				t.Errorf("odd record %d: its own JSON does not read back: %v\n%s", i, err, j1)
				return
			}
			j2, err := json.Marshal(&back)
			if err != nil || string(j1) != string(j2) {
				t.Errorf("odd record %d: not stable: %v\n%s\n%s", i, err, j1, j2)
			}
			if !back.Equal(&back) {
				t.Errorf("odd record %d: read back, not Equal to itself", i)
			}
		}()
	}
}

// TestRecordLimits: a record over MaxDecisionSize, or whose values nest
// more than 32 lists deep, is refused with an error (ErrSchema for the
// size); 32 deep reads back.
func TestRecordLimits(t *testing.T) {
	big := []byte(`{"schema":"eligo.decision/2","requirements":[` + strings.Repeat(`{},`, MaxDecisionSize/3) + `{}]}`)
	var d Decision
	if err := json.Unmarshal(big, &d); !errors.Is(err, ErrSchema) {
		t.Errorf("a %d-byte record: %v, want ErrSchema", len(big), err)
	}
	nested := func(depth int) []byte {
		return []byte(`{"schema":"eligo.decision/2","requirements":[{"id":"a","title":"A","source":"s","status":"met","clauses":[{"text":"t","status":"met","observed":` +
			strings.Repeat(`{"type":"list","items":[`, depth) + `null` + strings.Repeat(`]}`, depth) + `}]}]}`)
	}
	if err := json.Unmarshal(nested(32), &d); err != nil {
		t.Errorf("32 lists deep: %v", err)
	}
	if err := json.Unmarshal(nested(33), &d); err == nil || !strings.Contains(err.Error(), "nested more than 32") {
		t.Errorf("33 lists deep: %v, want refused", err)
	}
}

// TestRecordObjectLimit: a record of more than MaxDecisionObjects objects
// is refused before any is read (a record of "{}" clauses within its size
// cost over a gigabyte to read); braces within strings are not objects.
func TestRecordObjectLimit(t *testing.T) {
	clauses := func(n int, text string) []byte {
		return []byte(`{"schema":"eligo.decision/2","requirements":[{"id":"a","title":"A","source":"s","status":"met","clauses":[` +
			strings.Repeat(`{"text":"`+text+`","status":"met"},`, n-1) + `{"text":"t","status":"met"}]}]}`)
	}
	var d Decision
	over := clauses(MaxDecisionObjects, "t") // and the record's own two
	err := json.Unmarshal(over, &d)
	if !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), fmt.Sprintf("a record of %d objects; at most %d", MaxDecisionObjects+2, MaxDecisionObjects)) {
		t.Errorf("%d objects: %v, want ErrSchema naming the count", MaxDecisionObjects+2, err)
	}
	if d.Level != "" || d.Requirements() != nil {
		t.Errorf("a refused record reads as %+v", d)
	}
	if err := json.Unmarshal(clauses(MaxDecisionObjects-2, "t"), &d); err != nil {
		t.Errorf("%d objects: %v", MaxDecisionObjects, err)
	}
	if err := json.Unmarshal(clauses(MaxDecisionObjects/2, `{\"{\\{`), &d); err != nil {
		t.Errorf("braces in strings: %v", err)
	} else if got := d.Requirements()[0].Clauses[0].Text; got != `{"{\{` {
		t.Errorf("text %q", got)
	}
}

// TestRecordValueErrorTyped: a typed value a record cannot hold (an
// integer out of range, a number written as text) is an error wrapping
// rules.ErrValue.
func TestRecordValueErrorTyped(t *testing.T) {
	for _, observed := range []string{`{"type":"integer","value":1e400}`, `{"type":"number","value":"Infinity"}`} {
		data := []byte(`{"schema":"eligo.decision/2","requirements":[{"id":"a","title":"A","source":"s","status":"met","clauses":[{"text":"t","status":"met","observed":` + observed + `}]}]}`)
		var d Decision
		if err := json.Unmarshal(data, &d); !errors.Is(err, rules.ErrValue) {
			t.Errorf("%s: %v, want an error wrapping rules.ErrValue", observed, err)
		}
	}
}
