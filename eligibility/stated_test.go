package eligibility_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// statedRules declares a body's numbers and booleans required (a document
// must give them: false and 0 are values) or nullable (absent is unknown).
const statedRules = `ruleset: stated
version: "1"
model:
  id: {type: text, id: true, required: true}
  struckOff: {type: boolean, required: true}
  hours: {type: number, nullable: true, min: 0}
  sessions: {type: integer, nullable: true, max: 50}
  periods:
    type: list
    verified: true
    fields:
      supervised: {type: boolean, required: true}
levels:
  - {id: member, title: Member, requires: [not-struck-off, hours, supervised]}
requirements:
  not-struck-off: {title: Not struck off, source: test, when: '!struckOff'}
  hours: {title: Ten hours, source: test, when: 'hours >= 10'}
  supervised: {title: Supervised, source: test, when: 'any(periods, .supervised)'}
`

// TestStatedScalarsDecide: a required boolean left out of a document, or
// given null, is an input error at its path, in JSON and YAML alike, where
// it used to read as false and grant on '!struckOff'; given false it is a
// value. A nullable number left out makes its requirement unknown, never
// granted.
func TestStatedScalarsDecide(t *testing.T) {
	e := declaredEngine(t, "stated.yaml", statedRules)
	decide := func(name, doc string) (*eligibility.Decision, error) {
		t.Helper()
		a, err := e.Decode(name, []byte(doc))
		if err != nil {
			return nil, err
		}
		return e.Evaluate(t.Context(), a, eligibility.AsOf(shapeAsOf))
	}

	d, err := decide("ok.json", `{"id":"a","struckOff":false,"hours":12,"periods":[{"supervised":true,"verified":true}]}`)
	require.NoError(t, err)
	assert.Equal(t, "member", d.Level)

	for name, c := range map[string]struct{ doc, path string }{
		"absent.json":         {`{"id":"a","hours":12,"periods":[{"supervised":true,"verified":true}]}`, "struckOff"},
		"null.json":           {`{"id":"a","struckOff":null,"hours":12,"periods":[{"supervised":true,"verified":true}]}`, "struckOff"},
		"entry.json":          {`{"id":"a","struckOff":false,"hours":12,"periods":[{"verified":true}]}`, "periods[0].supervised"},
		"absent.yaml":         {"id: a\nhours: 12\nperiods: [{supervised: true, verified: true}]\n", "struckOff"},
		"entry-null.yaml":     {"id: a\nstruckOff: false\nhours: 12\nperiods: [{supervised: null, verified: true}]\n", "periods[0].supervised"},
		"negative-hours.json": {`{"id":"a","struckOff":false,"hours":-1,"periods":[{"supervised":true,"verified":true}]}`, "hours"},
	} {
		d, err := decide(name, c.doc)
		assert.Nil(t, d, name)
		var ie *eligibility.InputError
		if assert.True(t, errors.As(err, &ie), "%s: %v", name, err) && assert.Len(t, ie.Errors, 1, name) {
			assert.Equal(t, c.path, ie.Errors[0].Path, name)
		}
	}

	_, err = decide("sessions.json", `{"id":"a","struckOff":false,"hours":12,"sessions":51,"periods":[{"supervised":true,"verified":true}]}`)
	var ie *eligibility.InputError
	if assert.ErrorAs(t, err, &ie) && assert.Len(t, ie.Errors, 1) {
		assert.Equal(t, "sessions", ie.Errors[0].Path)
		assert.Equal(t, "must be at most 50, got 51", ie.Errors[0].Msg)
	}

	d, err = decide("no-hours.json", `{"id":"a","struckOff":false,"periods":[{"supervised":true,"verified":true}]}`)
	require.NoError(t, err)
	assert.Empty(t, d.Level, "absent hours grant nothing")
	s, _ := d.Status("hours")
	assert.Equal(t, eligibility.Unknown, s)
}

// TestStatedScalarsSchema: the document schema says a required boolean
// must be given and is no null, a nullable number may be left out or null.
func TestStatedScalarsSchema(t *testing.T) {
	e := declaredEngine(t, "stated.yaml", statedRules)
	var s struct {
		Required   []string `json:"required"`
		Properties map[string]struct {
			Type  any `json:"type"`
			Items struct {
				Required []string `json:"required"`
			} `json:"items"`
		} `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(e.DocumentSchema(), &s))
	assert.Contains(t, s.Required, "struckOff")
	assert.NotContains(t, s.Required, "hours")
	assert.Equal(t, "boolean", s.Properties["struckOff"].Type)
	assert.Equal(t, []any{"number", "null"}, s.Properties["hours"].Type)
	assert.Equal(t, []string{"supervised"}, s.Properties["periods"].Items.Required)
}

// insured is a service's own type whose boolean documents must state.
type insured struct {
	ID      string `json:"id"`
	Insured bool   `json:"insured" eligo:"required"`
}

// TestStatedOwnType: a bool of the caller's type tagged eligo:"required"
// must be given in documents DecodeFor reads; false is a value.
func TestStatedOwnType(t *testing.T) {
	a, err := eligibility.DecodeFor[insured]("a.yaml", []byte("id: a\ninsured: false\n"))
	require.NoError(t, err)
	assert.False(t, a.Insured)

	_, err = eligibility.DecodeFor[insured]("b.yaml", []byte("id: b\n"))
	var ie *eligibility.InputError
	require.ErrorAs(t, err, &ie)
	require.Len(t, ie.Errors, 1)
	fe := ie.Errors[0]
	assert.Equal(t, "insured", fe.Path)
	assert.Equal(t, "is required", fe.Msg)
	assert.Equal(t, 1, fe.Line)
	assert.ErrorIs(t, fe, eligibility.ErrInvalid)
	assert.Equal(t, "b.yaml:1:1: insured: is required", err.Error())
}

// TestStatedOwnTypeRefused: DecodeFor refuses, before reading, a type
// whose eligo:"required" field is no bool or number, as NewFor does.
func TestStatedOwnTypeRefused(t *testing.T) {
	type named struct {
		Name string `json:"name" eligo:"required"`
	}
	type flagged struct {
		Flag *bool `json:"flag" eligo:"required"`
	}
	for _, err := range []error{
		func() error { _, err := eligibility.DecodeFor[named]("t.yaml", []byte("name: x\n")); return err }(),
		func() error {
			_, err := eligibility.DecodeAllFor[flagged]("t.yaml", []byte("- flag: true\n"))
			return err
		}(),
	} {
		assert.ErrorIs(t, err, eligibility.ErrModel)
		assert.ErrorContains(t, err, `eligo:"required" marks a boolean or number`)
	}
}
