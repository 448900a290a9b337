package rules

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A model whose numbers, integers and booleans say what their absence
// means: required (a document must give them) or nullable (absent is
// unknown).
const statedModel = `ruleset: stated
version: "1"
model:
  id: {type: text, id: true, required: true}
  struckOff: {type: boolean, required: true}
  hours: {type: number, nullable: true, min: 0}
  sessions: {type: integer, required: true, max: 50}
  years: {type: integer, nullable: true}
  score: {type: number, required: true, nullable: false}
  periods:
    type: list
    fields:
      supervised: {type: boolean, required: true}
      clientHours: {type: number, required: true, min: 0}
levels:
  - {id: m, title: M, requires: [r]}
requirements:
  r:
    title: R
    source: test
    when: '!struckOff && hours >= 10 && sessions > 0 && any(periods, .supervised && .clientHours > 5)'
`

// TestModelStatedScalars: a nullable number, integer or boolean is a
// pointer, nil when a document leaves it out, its checks passing a nil; a
// required one is its value, tagged eligo:"required" for the decoder,
// which alone can tell it was left out.
func TestModelStatedScalars(t *testing.T) {
	set, err := Parse("stated.yaml", []byte(statedModel))
	require.NoError(t, err)
	typ, err := ModelType(set)
	require.NoError(t, err)
	periods, _ := typ.FieldByName("Periods")
	for _, c := range []struct {
		st               reflect.Type
		name, typ        string
		tag, eligo, json string
	}{
		{typ, "StruckOff", "bool", "", "required", "struckOff"},
		{typ, "Hours", "*float64", "omitempty,finite,gte=0", "", "hours,omitempty"},
		{typ, "Sessions", "int", "lte=50", "required", "sessions"},
		{typ, "Years", "*int", "", "", "years,omitempty"},
		{typ, "Score", "float64", "finite", "required", "score"},
		{periods.Type.Elem(), "Supervised", "bool", "", "required", "supervised"},
		{periods.Type.Elem(), "ClientHours", "float64", "finite,gte=0", "required", "clientHours"},
	} {
		sf, ok := c.st.FieldByName(c.name)
		require.True(t, ok, c.name)
		assert.Equal(t, c.typ, sf.Type.String(), c.name)
		assert.Equal(t, c.tag, sf.Tag.Get("validate"), c.name)
		assert.Equal(t, c.eligo, sf.Tag.Get("eligo"), c.name)
		assert.Equal(t, c.json, sf.Tag.Get("json"), c.name)
	}

	v := testValidator(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	val := func(doc string) error {
		p := reflect.New(typ)
		require.NoError(t, json.Unmarshal([]byte(doc), p.Interface()))
		return v.Struct(p.Interface())
	}
	// A nullable field left out passes its checks; given, it is checked.
	assert.NoError(t, val(`{"id":"a","periods":[{}]}`))
	assert.NoError(t, val(`{"id":"a","hours":0,"years":3}`))
	err = val(`{"id":"a","hours":-1}`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "'Hours' failed on the 'gte' tag")
	err = val(`{"id":"a","sessions":51}`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "'Sessions' failed on the 'lte' tag")
}
