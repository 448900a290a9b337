package eligibility

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/eligo-dev/eligo/rules"
)

// oddRules is nursing.yaml with titles, sources, clause texts, award
// titles and route names a JSON string must escape.
const oddRules = `ruleset: "odd \" \\ <>&"
version: "1"
model:
  ref: {type: text, id: true, required: true}
  body: {type: text, enum: [NMC, NMBI], required: true}
  registration:
    type: section
    verified: true
    fields:
      pin: {type: text, required: true}
      revalidation: {type: date, required: true}
  backgroundCheck: {type: date, description: "DBS check"}
  supervisedHours:
    type: list
    verified: true
    label: quarter
    fields:
      quarter: {type: text, required: true}
      hours: {type: number, min: 0, max: 2000}
parameters:
  quarter_hours: {value: 50, source: "Handbook \"3\" <b>"}
requirements:
  registered:
    title: "Registration \"revalidated\" <now> & \\ \t\u0001 \u2028 \u2029 é"
    source: "Handbook \u007f 1 </script>"
    when: registration != nil && current(registration.revalidation) && registration.pin != "a\"<>&\u2028\\"
  background-check:
    title: "Background\ncheck"
    source: "\u0000"
    when: within(backgroundCheck, 36) || body == "<&>\" \\ \u2029"
  supervised:
    title: Supervised hours in a quarter
    source: Handbook 3
    when: any(supervisedHours, .hours >= param.quarter_hours && .quarter != "\"'<>")
levels:
  - {id: nurse, title: "Nurse <\"&\">\u2028", requires: [registered, background-check]}
  - id: mentor
    title: "Mentor \\ \u0007"
    requires: [registered]
    routes:
      "route <\"1\"> & \u2028": [background-check]
      "panel\\\t": {requires: [supervised], review: true}
`

var oddDocs = []string{
	"ref: N-1\nbody: NMC\nregistration: {pin: 12A3456B, revalidation: 2026-03-31, verified: true}\nbackgroundCheck: 2024-01-15\nsupervisedHours:\n  - {quarter: 2025Q1, hours: 40, verified: true}\n  - {quarter: 2025Q2, hours: 60, verified: true}\n",
	"ref: N-2\nbody: NMBI\nregistration: {pin: 99Z, revalidation: 2026-01-31}\nsupervisedHours:\n  - {quarter: 2025Q1, hours: 55}\n",
	"ref: N-3\nbody: NMC\n",
	"ref: N-4\nbody: NMC\nregistration: {pin: '1', revalidation: 2020-01-31, verified: true}\nbackgroundCheck: 2010-01-15\n",
}

// TestOddRuleSetJSON: a rule set whose own strings need escaping
// writes decisions as the encoder before the heads did, streamed and
// explained, and as encoding/json reads them; read back and written again,
// the same bytes.
func TestOddRuleSetJSON(t *testing.T) {
	set, err := rules.Parse("odd.yaml", []byte(oddRules))
	require.NoError(t, err)
	e, err := newForModel(set, nil)
	require.NoError(t, err)
	ctx := context.Background()
	for _, doc := range oddDocs {
		for _, validity := range []bool{false, true} {
			a, err := e.Decode("a.yaml", []byte(doc))
			require.NoError(t, err)
			opts := []EvalOption{AsOf(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))}
			if validity {
				opts = append(opts, WithValidity())
			}
			d, err := e.Evaluate(ctx, a, opts...)
			require.NoError(t, err)
			streamed, err := d.AppendJSON(nil)
			require.NoError(t, err)
			require.True(t, json.Valid(streamed), "%s", streamed)
			requireAsBefore(t, doc, d)
			// The bytes hold the rule set's strings, decoded back.
			var generic map[string]any
			require.NoError(t, json.Unmarshal(streamed, &generic))
			reqs := generic["requirements"].([]any)
			require.Equal(t, set.Requirements[0].Title, reqs[0].(map[string]any)["title"])
			require.Equal(t, set.Requirements[1].Source, reqs[1].(map[string]any)["source"])
			levels := generic["levels"].([]any)
			require.Equal(t, set.Levels[0].Title, levels[0].(map[string]any)["title"])
			// Read back and written again.
			var back Decision
			require.NoError(t, json.Unmarshal(streamed, &back))
			again, err := back.AppendJSON(nil)
			require.NoError(t, err)
			if !bytes.Equal(streamed, again) {
				i := 0
				for i < len(again) && i < len(streamed) && again[i] == streamed[i] {
					i++
				}
				t.Fatalf("read back and written again differs at %d:\n%q\n%q", i, streamed[max(0, i-80):min(len(streamed), i+80)], again[max(0, i-80):min(len(again), i+80)])
			}
			// And through json.Marshal (which escapes HTML).
			m, err := json.Marshal(d)
			require.NoError(t, err)
			var c bytes.Buffer
			json.HTMLEscape(&c, streamed)
			require.Equal(t, c.String(), string(m))
		}
	}
}
