package eligibility

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// compileSchema compiles a generated schema with a maintained validator
// (santhosh-tekuri/jsonschema, a test dependency), formats asserted.
func compileSchema(t testing.TB, name string, schema []byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	require.NoError(t, c.AddResource(name, doc))
	s, err := c.Compile(name)
	require.NoError(t, err, "%s", schema)
	return s
}

// validateJSON validates JSON data against s.
func validateJSON(t testing.TB, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	return s.Validate(v)
}

// TestDecisionSchemaValidatesDecisions: the schema generated from the
// Decision type accepts the JSON of every fixture decision of the three
// example bodies and of generated ACTO applicants, and refuses JSON that
// strays from the types.
func TestDecisionSchemaValidatesDecisions(t *testing.T) {
	s := compileSchema(t, "decision.json", DecisionSchema())
	var sample []byte
	for name, d := range fixtureDecisions(t) {
		j, err := json.Marshal(d)
		require.NoError(t, err)
		require.NoError(t, validateJSON(t, s, j), name)
		if strings.HasSuffix(name, "professional-course-79-5-hours.yaml") {
			sample = j
		}
	}
	e := actoEngine(t)
	for i := range 300 {
		a, asOf := oracleApplicant(oracleSeed, i)
		d, err := e.Evaluate(context.Background(), a, AsOf(asOf), WithValidity()) // leftOut, validUntil, changes too
		require.NoError(t, err)
		j, err := json.Marshal(d)
		require.NoError(t, err)
		require.NoError(t, validateJSON(t, s, j), "applicant %d", i)
	}
	require.NotNil(t, sample)
	for _, bad := range []struct{ from, to string }{
		{`"schema":"eligo.decision/2"`, `"schema":"eligo.decision/3"`},
		{`"asOf":"2026-11-23"`, `"asOf":"23/11/2026"`},
		{`"status":"unmet"`, `"status":"failed"`},
		{`"outcome":"refused"`, `"outcome":"no"`},
		{`{"type":"number","value":79.5}`, `79.5`},
		{`{"type":"number","value":79.5}`, `{"type":"number","value":"79.5"}`},
		{`{"type":"number","value":79.5}`, `{"type":"money","value":79.5}`},
		{`"explain":[`, `"explanation":[`},
		{`"level":"member"`, `"level":"member","extra":1`},
	} {
		require.Contains(t, string(sample), bad.from)
		j := strings.Replace(string(sample), bad.from, bad.to, 1)
		assert.Error(t, validateJSON(t, s, []byte(j)), "%s -> %s", bad.from, bad.to)
	}
}

// documentJSON turns a YAML or JSON applicant document into JSON as a
// client would send it: dates as "YYYY-MM-DD".
func documentJSON(t testing.TB, data []byte) []byte {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal(data, &v))
	var conv func(any) any
	conv = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = conv(e)
			}
		case []any:
			for i, e := range x {
				x[i] = conv(e)
			}
		case time.Time:
			return x.Format(time.DateOnly)
		}
		return v
	}
	j, err := json.Marshal(conv(v))
	require.NoError(t, err)
	return j
}

// TestDocumentSchemaValidatesDocuments: the schema generated from each
// example body's applicant model accepts every fixture document the
// engine decodes, and refuses the invalid fixtures whose fault is their
// shape (a value outside its enumeration, a date not YYYY-MM-DD, an
// unknown field); a date after the evaluation date is no fault of shape.
func TestDocumentSchemaValidatesDocuments(t *testing.T) {
	shapeFaults := map[string]bool{
		"nursing/invalid-bad-enum.yaml":      true,
		"nursing/invalid-date-format.yaml":   true,
		"nursing/invalid-unknown-field.yaml": true,
	}
	for _, body := range fixtureBodies {
		e := fixtureEngine(t, body.rules)
		s := compileSchema(t, body.name+".json", e.DocumentSchema())
		for name, data := range fixtureDocuments(t, body.applicants) {
			key := body.name + "/" + name
			a, inputErr := e.Decode(name, data)
			if inputErr == nil {
				inputErr = e.Validate(a, fixtureAsOf)
			}
			err := validateJSON(t, s, documentJSON(t, data))
			switch {
			case shapeFaults[key]:
				require.Error(t, inputErr, key)
				assert.Error(t, err, "%s: the schema accepts it", key)
				delete(shapeFaults, key)
			case inputErr == nil:
				assert.NoError(t, err, key)
			}
		}
	}
	assert.Empty(t, shapeFaults, "fixtures not found")
	// Generated ACTO applicants, as documents, are valid too.
	e := fixtureEngine(t, "")
	s := compileSchema(t, "acto.json", e.DocumentSchema())
	n := 0
	for i := range 1000 {
		a, asOf := oracleApplicant(oracleSeed, i)
		doc := []byte(applicantYAML(a))
		if d, err := e.Decode("gen.yaml", doc); err != nil || e.Validate(d, asOf) != nil {
			continue
		}
		n++
		require.NoError(t, validateJSON(t, s, documentJSON(t, doc)), "applicant %d:\n%s", i, doc)
	}
	require.Greater(t, n, 900)
}

// TestDocumentSchemaNursing: the nursing model's schema says what the
// model declares: required keys, enumerations, dates, closed objects.
func TestDocumentSchemaNursing(t *testing.T) {
	e := fixtureEngine(t, "../examples/nursing")
	var s map[string]any
	require.NoError(t, json.Unmarshal(e.DocumentSchema(), &s))
	assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", s["$schema"])
	assert.Equal(t, false, s["additionalProperties"])
	assert.Contains(t, s["required"], "id")
	reg := s["properties"].(map[string]any)["registration"].(map[string]any)
	assert.Equal(t, []any{"object", "null"}, reg["type"])
	props := reg["properties"].(map[string]any)
	assert.Equal(t, []any{"adult", "mental-health", "learning-disabilities", "children"}, props["field"].(map[string]any)["enum"])
	assert.Equal(t, "date", props["revalidation"].(map[string]any)["format"])
	assert.ElementsMatch(t, []any{"pin", "field", "revalidation"}, reg["required"])
	assert.Equal(t, "The nurse's entry on the NMC register.", reg["description"])
	assert.Equal(t, "The field of nursing practice the registration is in.", props["field"].(map[string]any)["description"])
	mentoring := s["properties"].(map[string]any)["mentoring"].(map[string]any)
	entry := mentoring["items"].(map[string]any)["properties"].(map[string]any)
	assert.Contains(t, entry, "mentor")
}
