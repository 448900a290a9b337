package eligibility

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eligo-dev/eligo/rules"
)

// oddTexts are texts that a JSON string must escape, or that are easy to
// get wrong: HTML, quotes, control characters, invalid UTF-8, U+2028 and
// U+2029, braces that look like explain placeholders.
var oddTexts = []string{
	"",
	`<a href="x">&amp;</a>`,
	"tab\there\nnew line\r\x00\x1f\x7f",
	`back\slash "quoted"`,
	"bad \xff\xfe utf-8 \xe2\x82",
	"line\u2028sep\u2029para",
	"é ü 中文 🙂",
	"{observed} {required} {shortfall} {missing} {title} {other} {{observed}} {",
}

// oddTemplates are explain wordings with and without placeholders.
var oddTemplates = []string{
	"plain wording",
	"{observed} of {required}, {shortfall} short; missing {missing} for {title}",
	"{observed}{observed}{required",
	"{observd} {} {{title}} {title}}",
	"",
	"\"{missing}\" <{title}> & \xff",
}

// perturb writes odd texts, explain wordings and, with values, observed
// text values into d, seeded by r, so that the encoders meet what no rule
// set makes.
func perturb(r *rand.Rand, d *Decision, values bool) {
	odd := func() string { return oddTexts[r.IntN(len(oddTexts))] }
	d.Applicant = odd()
	d.RuleSet.Name = odd()
	for i := range d.Requirements() {
		q := &d.Requirements()[i]
		if r.IntN(3) == 0 {
			q.Title = odd()
		}
		if r.IntN(3) == 0 {
			q.explain = map[string]string{string(q.Status): oddTemplates[r.IntN(len(oddTemplates))]}
		}
		for j := range q.Clauses {
			c := &q.Clauses[j]
			if r.IntN(4) == 0 {
				c.Text = odd()
			}
			if values && r.IntN(6) == 0 {
				c.Observed = rules.ValueOf(odd())
			}
			if g := c.Closest; g != nil && r.IntN(2) == 0 {
				g.Label = odd()
				for k := range g.Failed {
					g.Failed[k].Text = odd()
				}
			}
		}
		for j := range q.Unverified {
			q.Unverified[j].Label = odd()
		}
	}
	for i := range d.Levels() {
		d.Levels()[i].Title = odd()
	}
	for i := range d.LeftOut {
		d.LeftOut[i].Path = odd()
	}
	if c := d.Changes; c != nil {
		c.Evidence, c.Requirement, c.RequirementTo = odd(), odd(), Status(odd())
		c.Checked = r.IntN(2) == 0
	}
}

// requireAsBefore requires AppendJSON to write d as the encoder before it
// did (oldAppendJSON), into an empty buffer and after other bytes.
func requireAsBefore(t *testing.T, name string, d *Decision) {
	t.Helper()
	// AppendJSON first: a fresh decision's award lists are written from
	// its statuses, not yet made; the oracle makes them (Levels...), and
	// the second AppendJSON, below, writes those.
	got, err := d.AppendJSON(nil)
	want, wantErr := oldAppendJSON(d, nil)
	if wantErr != nil || err != nil {
		require.Equal(t, wantErr != nil, err != nil, "%s: errors %v and %v", name, wantErr, err)
		return
	}
	if !bytes.Equal(want, got) {
		i := 0
		for i < len(want) && i < len(got) && want[i] == got[i] {
			i++
		}
		lo := max(i-120, 0)
		t.Fatalf("%s: differs at byte %d:\nbefore: %q\nnow:    %q", name, i, want[lo:min(i+120, len(want))], got[lo:min(i+120, len(got))])
	}
	prefixed, err := d.AppendJSON([]byte("prefix"))
	require.NoError(t, err)
	require.Equal(t, "prefix"+string(want), string(prefixed), name)
	for i := range d.Requirements() {
		require.Equal(t, oldExplain(d.Requirements()[i]), d.Requirements()[i].Explain(), "%s: %s", name, d.Requirements()[i].ID)
	}
}

// TestAppendJSONAsBefore requires AppendJSON to write, byte for byte, what
// the encoder before it was made to allocate less wrote (jsonoracle_test.go):
// for every example fixture, 1,000 generated ACTO applicants (one in ten
// with WithValidity), the benchmarks' population, kindsRules' decisions,
// and all of these again with odd texts and explain wordings.
func TestAppendJSONAsBefore(t *testing.T) {
	ctx := context.Background()
	var ds []*Decision
	var names []string
	add := func(name string, d *Decision) { names, ds = append(names, name), append(ds, d) }
	for name, d := range fixtureDecisions(t) {
		add(name, d)
	}
	e := actoEngine(t)
	for i := range 1000 {
		a, asOf := oracleApplicant(oracleSeed+7, i)
		opts := []EvalOption{AsOf(asOf)}
		if i%10 == 0 {
			opts = append(opts, WithValidity())
		}
		d, err := e.Evaluate(ctx, a, opts...)
		require.NoError(t, err)
		add("generated "+a.ID, d)
	}
	for _, a := range benchPopulation(t) {
		d, err := e.Evaluate(ctx, a, AsOf(benchDate))
		require.NoError(t, err)
		add("population "+a.ID, d)
	}
	set, err := rules.Parse("kinds.yaml", []byte(kindsRules))
	require.NoError(t, err)
	kinds, err := newACTO(set)
	require.NoError(t, err)
	for i := range 200 {
		a, asOf := oracleApplicant(oracleSeed+1, i)
		d, err := kinds.Evaluate(ctx, a, AsOf(asOf))
		require.NoError(t, err)
		add("kinds "+a.ID, d)
	}
	var leftOut, validity, indefinitely int
	for i, d := range ds {
		requireAsBefore(t, names[i], d)
		if len(d.LeftOut) > 0 {
			leftOut++
		}
		if d.Changes != nil {
			validity++
		}
		if d.Indefinitely {
			indefinitely++
		}
	}
	require.Positive(t, leftOut, "no decision leaves evidence out")
	require.Positive(t, validity, "no decision says how long it holds")
	require.Positive(t, indefinitely, "no decision holds indefinitely")
	r := rand.New(rand.NewPCG(2026, 12))
	for i, d := range ds {
		perturb(r, d, true)
		requireAsBefore(t, "odd "+names[i], d)
	}
}

// TestPlainPrefix: plainPrefix stops at the first byte that is not plain,
// whatever its value and place in a word, and whatever bytes follow it.
func TestPlainPrefix(t *testing.T) {
	for c := range 256 {
		for p := range 20 {
			for _, after := range []byte{'a', 0, '"', 0xff} {
				s := []byte(strings.Repeat("x", 20))
				s[p] = byte(c)
				for i := p + 1; i < len(s); i++ {
					s[i] = after
				}
				want := p
				if plainByte[c] {
					want = p + 1
					for want < len(s) && plainByte[s[want]] {
						want++
					}
				}
				require.Equal(t, want, plainPrefix(s), "byte %#x at %d, then %#x", c, p, after)
				require.Equal(t, want, plainPrefix(string(s)), "byte %#x at %d, then %#x", c, p, after)
			}
		}
	}
}

// TestFillAsBefore: explain wordings are filled in as strings.Replacer
// did, for every template made of placeholders, near misses and text.
func TestFillAsBefore(t *testing.T) {
	pieces := []string{"{observed}", "{required}", "{shortfall}", "{missing}", "{title}",
		"{", "}", "{observd}", "{title", "x", " ", "é", "\xff"}
	d, err := actoEngine(t).Evaluate(context.Background(), fullApplicant(t), AsOf(fixtureAsOf))
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(1, 2))
	for _, q := range d.Requirements() {
		q.Missing = []string{"a", "b"}
		for range 50 {
			var t0 strings.Builder
			for range r.IntN(8) {
				t0.WriteString(pieces[r.IntN(len(pieces))])
			}
			tmpl := t0.String()
			require.Equal(t, oldFill(q, tmpl), string(q.appendFill(nil, tmpl)), "%q", tmpl)
		}
	}
}

// TestAppendJSONAllocs: into a buffer with room, AppendJSON allocates
// nothing, for the benchmarks' population and for the same decisions
// with odd texts (escapes, invalid UTF-8, explain wordings to fill);
// fewer than one allocation per decision, that is: rules.Value.AppendJSON
// allocates for a date value, and for a text value it escapes, which
// perturb here leaves alone.
func TestAppendJSONAllocs(t *testing.T) {
	if raceDetector {
		t.Skip("the race detector allocates")
	}
	e := actoEngine(t)
	var ds []*Decision
	for _, a := range benchPopulation(t)[:200] {
		d, err := e.Evaluate(context.Background(), a, AsOf(benchDate), WithValidity())
		require.NoError(t, err)
		ds = append(ds, d)
	}
	buf := make([]byte, 0, 1<<20)
	// writeAll is the allocations per decision of writing each of ds.
	writeAll := func() float64 {
		i := 0
		return testing.AllocsPerRun(len(ds), func() {
			var err error
			if buf, err = ds[i%len(ds)].AppendJSON(buf[:0]); err != nil {
				t.Fatal(err)
			}
			i++
		})
	}
	// Not explained yet, each decision's requirements are explained into
	// reused memory as they are written (streamJSON).
	if allocs := writeAll(); allocs != 0 {
		t.Errorf("streamed: %.2f allocations per decision, want none", allocs)
	}
	for _, d := range ds {
		d.Requirements() // explained before, not while, AppendJSON is measured
	}
	for _, odd := range []bool{false, true} {
		if odd {
			r := rand.New(rand.NewPCG(3, 4))
			for _, d := range ds {
				perturb(r, d, false)
			}
		}
		if allocs := writeAll(); allocs != 0 {
			t.Errorf("odd texts %v: %.2f allocations per decision, want none", odd, allocs)
		}
	}
}
