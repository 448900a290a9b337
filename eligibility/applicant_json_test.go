package eligibility

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonRoundTrip writes a with encoding/json and reads it back as a JSON
// applicant document.
func jsonRoundTrip(t *testing.T, a *Applicant) (*Applicant, []byte) {
	t.Helper()
	doc, err := json.Marshal(a)
	require.NoError(t, err)
	again, err := readApplicant("again.json", bytes.NewReader(doc), JSON)
	require.NoError(t, err, "%s", doc)
	return again, doc
}

// Property: an applicant encoding/json writes decodes back to an equal one:
// dates, absent and empty lists, absent sections and flags included.
func TestApplicantJSONRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(propSeed, 11))
	n := propCount()
	for i := range n {
		var a *Applicant
		switch i % 3 {
		case 0:
			a = genApplicant(r, testAsOf)
		case 1:
			a, _ = oracleApplicant(propSeed+11, i)
		default:
			a = kindsApplicant(r, i, testAsOf)
		}
		again, doc := jsonRoundTrip(t, a)
		require.Equal(t, values(a), values(again), "applicant %d:\n%s", i, doc)
	}
}

// Every date field of the model, present or not, takes part: a type that
// gains a date without a MarshalJSON writing it YYYY-MM-DD fails here, as
// its timestamp does not decode.
func TestApplicantJSONEveryField(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		var a Applicant
		fill(reflect.ValueOf(&a).Elem(), rand.New(rand.NewPCG(seed, 0)))
		again, doc := jsonRoundTrip(t, &a)
		assert.Equal(t, values(&a), values(again), "%s", doc)
		assert.NotContains(t, string(doc), "T00:00:00")
		assert.Contains(t, string(doc), `"professionalMemberSince":"`)
	}
}

// fill sets every exported field of v, recursively: dates to a random day,
// each list to one to three entries.
func fill(v reflect.Value, r *rand.Rand) {
	switch {
	case v.Type() == reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Date(1900+r.IntN(8000), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), r)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1+r.IntN(3), 3))
		for i := range v.Len() {
			fill(v.Index(i), r)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), r)
			}
		}
	case reflect.String:
		v.SetString("s" + strings.Repeat("x", r.IntN(3)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int:
		v.SetInt(int64(1 + r.IntN(100)))
	case reflect.Float64:
		v.SetFloat(float64(r.IntN(1000)) / 4)
	}
}

// A date is written YYYY-MM-DD; a time.Time that is no date of a document
// keeps its timestamp, so that it does not read back as a valid date.
func TestApplicantJSONDates(t *testing.T) {
	at := func(tm time.Time) *Applicant {
		return &Applicant{ID: "a-1", CPD: []CPD{{Hours: 1, Date: &tm}}}
	}
	doc, err := json.Marshal(at(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)))
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"a-1","cpd":[{"hours":1,"date":"2026-03-01"}]}`, string(doc))

	early, err := json.Marshal(at(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)))
	require.NoError(t, err)
	assert.Contains(t, string(early), `"date":"0001-01-01"`, "a date out of range is still a date: validation refuses it")

	for _, tm := range []time.Time{
		time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC),
		time.Date(2026, 3, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600)),
		time.Date(2026, 3, 1, 0, 0, 0, 1, time.UTC),
	} {
		doc, err := json.Marshal(at(tm))
		require.NoError(t, err)
		want, _ := tm.MarshalJSON()
		assert.Contains(t, string(doc), `"date":`+string(want))
		_, err = decodeApplicant("a.json", doc)
		var in *InputError
		require.ErrorAs(t, err, &in, "%s", doc)
		assert.True(t, inputErrorAt(in, "cpd[0].date", ErrType), "%v", err)
	}
}
