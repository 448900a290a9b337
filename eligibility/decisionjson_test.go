package eligibility

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eligo-dev/eligo/rules"
)

// fixtureAsOf is the evaluation date of the example fixtures.
var fixtureAsOf = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// fixtureBodies are the example bodies: their rule directory ("" for the
// embedded ACTO rules) and their applicant documents.
var fixtureBodies = []struct{ name, rules, applicants string }{
	{"acto", "", "../examples/applicants"},
	{"bacp", "../examples/bacp", "../examples/bacp/applicants"},
	{"nursing", "../examples/nursing", "../examples/nursing/applicants"},
}

// fixtureEngine returns the engine of a fixture body.
func fixtureEngine(t testing.TB, dir string) *Engine {
	t.Helper()
	if dir == "" {
		e, err := Default()
		require.NoError(t, err)
		return e
	}
	set, err := rules.Load(os.DirFS(dir))
	require.NoError(t, err)
	e, err := New(set)
	require.NoError(t, err)
	return e
}

// fixtureDocuments returns the applicant documents of dir by file name.
func fixtureDocuments(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	docs := map[string][]byte{}
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); e.IsDir() || ext != ".yaml" && ext != ".json" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		docs[e.Name()] = data
	}
	require.NotEmpty(t, docs, dir)
	return docs
}

// fixtureDecisions decides every valid fixture document of every example
// body, by body and file name.
func fixtureDecisions(t testing.TB) map[string]*Decision {
	t.Helper()
	out := map[string]*Decision{}
	for _, body := range fixtureBodies {
		e := fixtureEngine(t, body.rules)
		for name, data := range fixtureDocuments(t, body.applicants) {
			a, err := e.Decode(name, data)
			if err != nil {
				continue // an invalid fixture
			}
			d, err := e.Evaluate(context.Background(), a, AsOf(fixtureAsOf))
			if err != nil {
				continue
			}
			out[body.name+"/"+name] = d
		}
	}
	require.Greater(t, len(out), 80)
	return out
}

// requireRoundTrip marshals d, reads it back, and requires a decision equal
// to d (go-cmp: values by rules.Value.Equal, requirement results by
// RequirementResult.Equal), the same text for people, and the same JSON
// again, byte for byte.
func requireRoundTrip(t *testing.T, name string, d *Decision) {
	t.Helper()
	j, err := json.Marshal(d)
	require.NoError(t, err, name)
	appended, err := d.AppendJSON(nil)
	require.NoError(t, err, name)
	var enc bytes.Buffer
	e := json.NewEncoder(&enc)
	e.SetEscapeHTML(false)
	require.NoError(t, e.Encode(d))
	require.Equal(t, strings.TrimSuffix(enc.String(), "\n"), string(appended), "%s: AppendJSON is what an Encoder gives", name)
	var back Decision
	require.NoError(t, json.Unmarshal(j, &back), name)
	if !cmp.Equal(d, &back) {
		t.Fatalf("%s: read back differs (-made +read):\n%s", name, cmp.Diff(d, &back))
	}
	for i := range d.Requirements() {
		require.Equal(t, d.Requirements()[i].Explain(), back.Requirements()[i].Explain(), "%s: %s", name, d.Requirements()[i].ID)
	}
	require.Equal(t, d.Text(), back.Text(), name)
	again, err := json.Marshal(&back)
	require.NoError(t, err, name)
	if !bytes.Equal(j, again) {
		t.Fatalf("%s: marshalled again, differs:\n%s\n%s", name, j, again)
	}
}

// TestDecisionJSONRoundTripFixtures: every example body's fixture decision
// reads back from its JSON equal to itself, and writes the same JSON.
func TestDecisionJSONRoundTripFixtures(t *testing.T) {
	for name, d := range fixtureDecisions(t) {
		requireRoundTrip(t, name, d)
	}
}

// TestDecisionJSONRoundTripGenerated: the same for 10,000 generated ACTO
// applicants on the differential test's dates, and for kindsRules, whose
// explanations observe every kind of value (lists, records, dates).
func TestDecisionJSONRoundTripGenerated(t *testing.T) {
	e := actoEngine(t)
	n := 10_000
	if testing.Short() {
		n = 1000
	}
	ctx := context.Background()
	const parts = 4
	for p := range parts {
		t.Run(strconv.Itoa(p), func(t *testing.T) {
			t.Parallel()
			for i := p; i < n; i += parts {
				a, asOf := oracleApplicant(oracleSeed, i)
				opts := []EvalOption{AsOf(asOf)}
				if i%10 == 0 { // how long it holds, too
					opts = append(opts, WithValidity())
				}
				d, err := e.Evaluate(ctx, a, opts...)
				require.NoError(t, err)
				requireRoundTrip(t, "applicant "+a.ID, d)
			}
		})
	}
	set, err := rules.Parse("kinds.yaml", []byte(kindsRules))
	require.NoError(t, err)
	kinds, err := newACTO(set)
	require.NoError(t, err)
	for i := range 200 {
		a, asOf := oracleApplicant(oracleSeed+1, i)
		d, err := kinds.Evaluate(ctx, a, AsOf(asOf))
		require.NoError(t, err)
		requireRoundTrip(t, "kinds "+a.ID, d)
	}
}

// TestDecisionJSONOwnsItsMemory: a decision read back keeps nothing of the
// buffer it was read from.
func TestDecisionJSONOwnsItsMemory(t *testing.T) {
	d, err := actoEngine(t).Evaluate(context.Background(), fullApplicant(t), AsOf(fixtureAsOf))
	require.NoError(t, err)
	j, err := json.Marshal(d)
	require.NoError(t, err)
	buf := bytes.Clone(j)
	var back Decision
	require.NoError(t, json.Unmarshal(buf, &back))
	for i := range buf {
		buf[i] = 'x'
	}
	again, err := json.Marshal(&back)
	require.NoError(t, err)
	require.Equal(t, string(j), string(again))
}

// TestDecisionJSONSchemaVersion: the JSON names its schema first; JSON of
// another major version, or with none, is an error saying so; a minor
// version of the same major reads.
func TestDecisionJSONSchemaVersion(t *testing.T) {
	d, err := actoEngine(t).Evaluate(context.Background(), fullApplicant(t), AsOf(fixtureAsOf))
	require.NoError(t, err)
	j, err := json.Marshal(d)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(j), `{"schema":"eligo.decision/2",`), "%.60s", j)
	var back Decision
	minor := strings.Replace(string(j), `"eligo.decision/2"`, `"eligo.decision/2.7"`, 1)
	require.NoError(t, json.Unmarshal([]byte(minor), &back))
	for in, want := range map[string]string{
		strings.Replace(string(j), `"eligo.decision/2"`, `"eligo.decision/3"`, 1): `"eligo.decision/3": unknown major version 3`,
		strings.Replace(string(j), `"eligo.decision/2"`, `"other/2"`, 1):          "not an eligo decision",
		strings.Replace(string(j), `"schema":"eligo.decision/2",`, "", 1):         `no "schema" member`,
		`{"schema":"eligo.decision/1","asOf":5}`:                                  "unknown major version 1",
	} {
		err := json.Unmarshal([]byte(in), &back)
		require.Error(t, err, "%.80s", in)
		assert.True(t, errors.Is(err, ErrSchema), "%v", err)
		assert.Contains(t, err.Error(), want)
		assert.Contains(t, err.Error(), "this library reads eligo.decision/2")
	}
	err = json.Unmarshal([]byte(`{"schema":"eligo.decision/2","asOf":"23/11/2026"}`), &back)
	assert.ErrorContains(t, err, `"23/11/2026" is not YYYY-MM-DD`)
}

// TestDecisionJSONExplain: each requirement carries the lines Explain
// gives, and each action its String, for pages that show them.
func TestDecisionJSONExplain(t *testing.T) {
	for name, d := range fixtureDecisions(t) {
		j, err := json.Marshal(d)
		require.NoError(t, err)
		var raw struct {
			Requirements []struct {
				ID         string   `json:"id"`
				Explain    []string `json:"explain"`
				Unverified []struct {
					Text string `json:"text"`
				} `json:"unverified"`
			} `json:"requirements"`
			Levels []struct {
				Settle []struct {
					Text string `json:"text"`
				} `json:"settle"`
			} `json:"levels"`
		}
		require.NoError(t, json.Unmarshal(j, &raw))
		for i, r := range d.Requirements() {
			want := r.Explain()
			if want == nil {
				want = []string{}
			}
			if raw.Requirements[i].Explain == nil {
				raw.Requirements[i].Explain = []string{}
			}
			require.Equal(t, want, raw.Requirements[i].Explain, "%s: %s", name, r.ID)
			for k, a := range r.Unverified {
				require.Equal(t, a.String(), raw.Requirements[i].Unverified[k].Text)
			}
		}
		for i, l := range d.Levels() {
			for k, a := range l.Settle {
				require.Equal(t, a.String(), raw.Levels[i].Settle[k].Text)
			}
		}
	}
}

// roundTripJSON marshals v with json.Marshal, reads it back into a new T and
// requires it equal (go-cmp), and the same bytes again.
func roundTripJSON[T any](t *testing.T, name string, v T) []byte {
	t.Helper()
	j, err := json.Marshal(v)
	require.NoError(t, err, name)
	var back T
	require.NoError(t, json.Unmarshal(j, &back), "%s: %s", name, j)
	if !cmp.Equal(v, back) {
		t.Fatalf("%s: %T read back differs:\n%s", name, v, cmp.Diff(v, back))
	}
	again, err := json.Marshal(back)
	require.NoError(t, err)
	require.Equal(t, string(j), string(again), name)
	return j
}

// TestDecisionPartsJSONRoundTrip: each type a decision holds round-trips
// by itself too, a Decision held as a value marshals as one held by
// pointer, and a clause written inside its requirement is what
// encoding/json writes for the clause alone.
func TestDecisionPartsJSONRoundTrip(t *testing.T) {
	for name, d := range fixtureDecisions(t) {
		j, err := json.Marshal(d)
		require.NoError(t, err)
		byValue, err := json.Marshal(*d)
		require.NoError(t, err)
		require.Equal(t, string(j), string(byValue), name)
		roundTripJSON(t, name, d.AsOf)
		roundTripJSON(t, name, d.RuleSet)
		roundTripJSON(t, name, d.Next)
		for _, a := range slices.Concat(d.Levels(), d.Categories(), d.Courses()) {
			roundTripJSON(t, name, a)
			for _, s := range a.Settle {
				roundTripJSON(t, name, s)
			}
		}
		for _, f := range d.Fees {
			roundTripJSON(t, name, f)
		}
		for _, b := range d.Benefits {
			roundTripJSON(t, name, b)
		}
		for _, r := range d.Requirements() {
			rj := roundTripJSON(t, name, r)
			var raw struct{ Clauses []json.RawMessage }
			require.NoError(t, json.Unmarshal(rj, &raw))
			for k, c := range r.Clauses {
				cj := roundTripJSON(t, name, c)
				require.Equal(t, string(cj), string(raw.Clauses[k]), "%s: %s clause %d", name, r.ID, k)
				for _, v := range c.Values {
					roundTripJSON(t, name, v)
				}
				if c.Closest != nil {
					roundTripJSON(t, name, *c.Closest)
				}
			}
		}
	}
}
