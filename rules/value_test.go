package rules

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type valueSection struct {
	Hours    float64    `expr:"hours" json:"hoursJSON"`
	Title    string     `json:"title,omitempty"`
	Expires  *time.Time `expr:"expires"`
	Verified bool
	Hidden   string `expr:"-"`
	private  int
}

func TestValueOf(t *testing.T) {
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	noon := time.Date(2026, 11, 23, 12, 30, 0, 0, time.FixedZone("X", 3600))
	var nilSlice []string
	var nilPtr *valueSection
	for _, tc := range []struct {
		in   any
		kind Kind
		text string // String
		json string
	}{
		{nil, KindNull, "none", "null"},
		{nilSlice, KindNull, "none", "null"},
		{nilPtr, KindNull, "none", "null"},
		{true, KindBool, "true", `{"type":"boolean","value":true}`},
		{2000, KindInt, "2000", `{"type":"integer","value":2000}`},
		{int64(-3), KindInt, "-3", `{"type":"integer","value":-3}`},
		{uint8(7), KindInt, "7", `{"type":"integer","value":7}`},
		{79.5, KindFloat, "79.5", `{"type":"number","value":79.5}`},
		{80.0, KindFloat, "80", `{"type":"number","value":80}`},
		{float32(0.5), KindFloat, "0.5", `{"type":"number","value":0.5}`},
		{"individual", KindText, `"individual"`, `{"type":"text","value":"individual"}`},
		{day, KindDate, "2026-11-23", `{"type":"date","value":"2026-11-23"}`},
		{&day, KindDate, "2026-11-23", `{"type":"date","value":"2026-11-23"}`},
		{noon, KindDate, "2026-11-23T11:30:00Z", `{"type":"date","value":"2026-11-23T11:30:00Z"}`},
		{[]string{"", "individual"}, KindList, `["", "individual"]`,
			`{"type":"list","items":[{"type":"text","value":""},{"type":"text","value":"individual"}]}`},
		{[]any{1, 2.5, nil}, KindList, "[1, 2.5, none]",
			`{"type":"list","items":[{"type":"integer","value":1},{"type":"number","value":2.5},null]}`},
		{[2]bool{true, false}, KindList, "[true, false]",
			`{"type":"list","items":[{"type":"boolean","value":true},{"type":"boolean","value":false}]}`},
		{[]string{}, KindList, "[]", `{"type":"list","items":[]}`},
		{valueSection{Hours: 3, Title: "T", Expires: &day, Hidden: "h", private: 1}, KindRecord,
			`{hours: 3, title: "T", expires: 2026-11-23, Verified: false}`,
			`{"type":"record","fields":{"hours":{"type":"number","value":3},"title":{"type":"text","value":"T"},` +
				`"expires":{"type":"date","value":"2026-11-23"},"Verified":{"type":"boolean","value":false}}}`},
		{map[string]int{"b": 2, "a": 1}, KindRecord, "{a: 1, b: 2}",
			`{"type":"record","fields":{"a":{"type":"integer","value":1},"b":{"type":"integer","value":2}}}`},
		{ValueOf(5), KindInt, "5", `{"type":"integer","value":5}`},
	} {
		v := ValueOf(tc.in)
		assert.Equal(t, tc.kind, v.Kind(), "%#v", tc.in)
		assert.Equal(t, tc.text, v.String(), "%#v", tc.in)
		j, err := json.Marshal(v)
		require.NoError(t, err)
		assert.Equal(t, tc.json, string(j), "%#v", tc.in)
		assert.True(t, v.Equal(ValueOf(tc.in)), "%#v: a value equals itself made again", tc.in)
		var back Value
		require.NoError(t, json.Unmarshal(j, &back), "%s", j)
		assert.True(t, v.Equal(back), "%s: reads back as %v", j, back)
		assert.Equal(t, v, back, "%s: reads back to the same representation", j)
	}
}

func TestValueAccessors(t *testing.T) {
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	assert.True(t, ValueOf(true).Bool())
	assert.False(t, ValueOf(1).Bool())
	assert.Equal(t, 2000, ValueOf(2000).Int())
	assert.Equal(t, 79, ValueOf(79.5).Int())
	assert.Equal(t, 2000.0, ValueOf(2000).Float())
	n, ok := ValueOf("x").Number()
	assert.False(t, ok)
	assert.Zero(t, n)
	assert.Equal(t, "x", ValueOf("x").Text())
	assert.Equal(t, day, ValueOf(day).Date())
	assert.True(t, ValueOf(2).Date().IsZero())
	l := ValueOf([]float64{7, 8})
	require.Equal(t, 2, l.Len())
	assert.Equal(t, ValueOf(8.0), l.Index(1))
	assert.Equal(t, []any{7.0, 8.0}, l.Any())
	assert.Panics(t, func() { ValueOf(1).Index(0) })
	r := ValueOf(valueSection{Hours: 1})
	var names []string
	for name := range r.Fields() {
		names = append(names, name)
	}
	assert.Equal(t, []string{"hours", "title", "expires", "Verified"}, names)
	assert.Equal(t, map[string]any{"hours": 1.0, "title": "", "expires": nil, "Verified": false}, r.Any())
	assert.True(t, Value{}.IsZero())
	assert.False(t, ValueOf(0).IsZero())
	assert.False(t, ValueOf(1).Equal(ValueOf(1.0)), "an int is not a float")
	assert.False(t, ValueOf([]int{1}).Equal(ValueOf([]int{1, 2})))
	assert.Equal(t, "date", KindDate.String())
}

// TestValueOwnsItsMemory: a Value is a copy; changing what it was made
// from changes nothing in it.
func TestValueOwnsItsMemory(t *testing.T) {
	s := []string{"a", "b"}
	sec := &valueSection{Hours: 1}
	lv, rv := ValueOf(s), ValueOf(sec)
	s[0], sec.Hours = "changed", 99
	assert.Equal(t, `["a", "b"]`, lv.String())
	assert.Equal(t, 1.0, rv.Any().(map[string]any)["hours"])
}

// TestValueNonFiniteDoesNotMarshal: a Value can hold a non-finite number
// made by ValueOf, but it does not marshal: evaluations never make one.
func TestValueNonFiniteDoesNotMarshal(t *testing.T) {
	for _, f := range []float64{math.Inf(1), math.Inf(-1), math.NaN()} {
		_, err := json.Marshal(ValueOf([]float64{1, f}))
		assert.ErrorIs(t, err, ErrNonFinite)
	}
}

// TestNonFiniteIsAnEvalError: numbers that overflow to infinity (two CPD
// entries of 1e308 hours) or become NaN make the requirement that shows
// them an error for that applicant, on either evaluator, never a status.
func TestNonFiniteIsAnEvalError(t *testing.T) {
	p := compileEval(t, evalRules, testApplicant{})
	huge := &testApplicant{CPD: []testCPD{{Hours: 1e308, Online: true}, {Hours: 1e308, Online: true}}}
	for _, req := range []string{"cpd", "cpd-online"} {
		res, err := evaluate(t, p, req, huge, "2024-06-01")
		if req == "cpd-online" {
			// Each entry is finite: all() holds, and nothing overflows.
			require.NoError(t, err)
			assert.Equal(t, Met, res.Status)
			continue
		}
		var ev *EvalError
		require.ErrorAs(t, err, &ev, "%s: status %v", req, res.Status)
		assert.ErrorIs(t, err, ErrNonFinite)
		assert.Equal(t, "requirement "+req, ev.Rule)
	}
}

// TestNonFiniteStatus: Status, which decides a comparison of typed numbers
// in one closure, fails a requirement on a number that is not finite as
// Requirement does, whichever side it is on, whether a field or a fact
// holds it, and leaves a comparison of finite numbers alone.
func TestNonFiniteStatus(t *testing.T) {
	type hours struct {
		Online  float64   `expr:"online"`
		Years   int       `expr:"years"`
		Entries []testCPD `expr:"entries"`
	}
	const rs = `
ruleset: nonfinite
version: "1"
parameters:
  least: {value: 10, source: test}
facts:
  total: sum(entries, .hours)
requirements:
  field: {title: t, source: test, when: "online >= param.least"}
  field-right: {title: t, source: test, when: "param.least < online"}
  fields: {title: t, source: test, when: "online > years"}
  literal: {title: t, source: test, when: "online != 3.5"}
  fact: {title: t, source: test, when: "total >= param.least"}
  fact-right: {title: t, source: test, when: "param.least <= total"}
  ints: {title: t, source: test, when: "years >= 2"}
levels:
  - {id: l, title: L, requires: [field, field-right, fields, literal, fact, fact-right, ints]}
`
	p := compileEval(t, rs, hours{})
	for _, c := range []struct {
		app     hours
		failing []string // the requirements that fail on a number that is not finite
	}{
		{hours{Online: 20, Years: 3, Entries: []testCPD{{Hours: 12}}}, nil},
		{hours{Online: math.NaN(), Years: 3, Entries: []testCPD{{Hours: 12}}}, []string{"field", "field-right", "fields", "literal"}},
		{hours{Online: math.Inf(-1), Years: 3}, []string{"field", "field-right", "fields", "literal"}},
		{hours{Online: 20, Entries: []testCPD{{Hours: math.Inf(1)}}}, []string{"fact", "fact-right"}},
		{hours{Online: 20, Entries: []testCPD{{Hours: 1e308}, {Hours: 1e308}}}, []string{"fact", "fact-right"}},
	} {
		run, err := p.NewRun(&c.app, *date("2024-06-01"))
		require.NoError(t, err)
		for i := range p.NumRequirements() {
			id := p.Set().Requirements[i].ID
			st, serr := run.Status(i)
			res, rerr := run.Requirement(i)
			if slices.Contains(c.failing, id) {
				require.ErrorIs(t, serr, ErrNonFinite, "%v: %s: status %v", c.app, id, st)
				require.ErrorIs(t, rerr, ErrNonFinite, "%v: %s", c.app, id)
				continue
			}
			require.NoError(t, serr, "%v: %s", c.app, id)
			require.NoError(t, rerr, "%v: %s", c.app, id)
			assert.Equal(t, res.Status, st, "%v: %s", c.app, id)
		}
	}
}

// TestJSONFloatsAsEncodingJSON: a Value writes numbers and texts exactly as
// encoding/json writes a float64 or a string, so decisions read the same
// whichever way they are marshalled.
func TestJSONFloatsAsEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	floats := []float64{0, -0.0, 1, -1, 0.1, 79.5, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 123456789e15, math.MaxFloat64, math.SmallestNonzeroFloat64, 1e-9, 2.5e-10}
	floats = append(floats, math.Copysign(0, -1), 80, -80, 1e15, -1e15, 1e15-1, -(1e15 - 1), 1<<53, 999999999999999, 1e14, 300, 2000, -1, math.Nextafter(1e15, 0))
	for range 5000 {
		floats = append(floats, math.Float64frombits(r.Uint64()), r.NormFloat64()*math.Pow(10, float64(r.IntN(60)-30)),
			math.Trunc(r.NormFloat64()*math.Pow(10, float64(r.IntN(17)))))
	}
	for _, f := range floats {
		if math.IsInf(f, 0) || math.IsNaN(f) {
			continue
		}
		want, err := json.Marshal(f)
		require.NoError(t, err)
		got, err := json.Marshal(ValueOf(f))
		require.NoError(t, err)
		if string(got) != `{"type":"number","value":`+string(want)+"}" {
			t.Fatalf("%v: %s, encoding/json writes %s", f, got, want)
		}
	}
	for _, s := range []string{"", "plain text", `quote " and \ back`, "<b>&amp;</b>", "tab\there", "é ü 日本", "\x00\x1f\x7f", "bad \xff utf-8", "\u2028\u2029"} {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		got, err := json.Marshal(ValueOf(s))
		require.NoError(t, err)
		assert.Equal(t, `{"type":"text","value":`+string(want)+"}", string(got), "%q", s)
	}
}

// TestValueJSONRoundTrip: every value, whatever its kind and nesting,
// reads back from its JSON equal to itself, and writes the same JSON
// again; floats keep every bit, ints stay ints even when a float is
// whole, and dates keep their nanoseconds.
func TestValueJSONRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var gen func(depth int) Value
	gen = func(depth int) Value {
		switch k := r.IntN(8); {
		case k == 0:
			return Value{}
		case k == 1:
			return ValueOf(r.IntN(2) == 0)
		case k == 2:
			return ValueOf(int(r.Uint64()))
		case k == 3:
			f := math.Float64frombits(r.Uint64())
			if math.IsInf(f, 0) || math.IsNaN(f) {
				f = float64(r.IntN(100))
			}
			return ValueOf(f)
		case k == 4:
			return ValueOf(string(rune(r.IntN(0x2000))) + "\"\n<&>" + string(rune('a'+r.IntN(26))))
		case k == 5:
			return ValueOf(time.Unix(r.Int64N(1<<37)-(1<<31), r.Int64N(3)*int64(r.IntN(1e9))))
		case depth > 3:
			return ValueOf(1.5)
		case k == 6:
			items := make([]Value, r.IntN(4))
			for i := range items {
				items[i] = gen(depth + 1)
			}
			return ValueOf(items)
		default:
			m := map[string]Value{}
			for i := range r.IntN(4) {
				m[string(rune('a'+i))+"é"] = gen(depth + 1)
			}
			return ValueOf(m)
		}
	}
	for range 3000 {
		v := gen(0)
		j, err := json.Marshal(v)
		require.NoError(t, err)
		var back Value
		require.NoError(t, json.Unmarshal(j, &back), "%s", j)
		require.True(t, v.Equal(back), "%s: reads back as %v", j, back)
		again, err := json.Marshal(back)
		require.NoError(t, err)
		require.Equal(t, string(j), string(again))
	}
	// A record keeps its fields in the order written, not sorted.
	var rec Value
	require.NoError(t, json.Unmarshal([]byte(`{"type":"record","fields":{"z":null,"a":{"type":"integer","value":1}}}`), &rec))
	var names []string
	for name := range rec.Fields() {
		names = append(names, name)
	}
	assert.Equal(t, []string{"z", "a"}, names)
}

// TestValueJSONErrors: what is not a value's typed form is an error that
// says what is wrong, and wraps ErrValue.
func TestValueJSONErrors(t *testing.T) {
	for in, want := range map[string]string{
		`48`:                                             "cannot unmarshal number",
		`"x"`:                                            "cannot unmarshal string",
		`{"value":1}`:                                    `without "type"`,
		`{"type":"money","value":1}`:                     `unknown type "money"`,
		`{"type":"number"}`:                              `without "value"`,
		`{"type":"number","value":"1"}`:                  "a number value",
		`{"type":"integer","value":1.5}`:                 "not a whole number",
		`{"type":"integer","value":1e30}`:                "not a whole number",
		`{"type":"date","value":"23/11/2026"}`:           "neither YYYY-MM-DD nor RFC 3339",
		`{"type":"list"}`:                                `without "items"`,
		`{"type":"list","items":[1]}`:                    "cannot unmarshal number",
		`{"type":"record","fields":[]}`:                  "not an object",
		`{"type":"record","fields":{"a":null,"a":null}}`: `field "a" twice`,
		`{"type":"list","items":[` + strings.Repeat(`{"type":"list","items":[`, 32) + `]}` + strings.Repeat(`]}`, 32): "nested more than 32",
	} {
		var v Value
		err := json.Unmarshal([]byte(in), &v)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want, in)
		assert.ErrorIs(t, err, ErrValue, in)
	}
}
