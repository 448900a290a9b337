package eligibility

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Dates are present (a non-nil *time.Time) or absent (nil), never a magic
// value: a date outside 1900-01-01..9999-12-31, the zero time.Time
// included, is an input error wherever it comes from, and so is such an
// evaluation date.

// TestDocumentDatesOutOfRange: a document date before 1900 is an input
// error at its path, line and column, from the validator and the quick
// validator alike, never "no date".
func TestDocumentDatesOutOfRange(t *testing.T) {
	e := actoEngine(t)
	for _, tc := range []struct {
		why, doc, path string
		line, col      int
		msg            string
	}{
		{"the zero time written out", "id: x\nqualifications:\n  - {level: diploma, field: counselling, delivery: blended, awarded: 0001-01-01}\n",
			"qualifications[0].awarded", 3, 70, "want a date from 1900-01-01 to 9999-12-31, got 0001-01-01"},
		{"the day before 1900", "id: x\ncpd:\n  - {hours: 1, date: 1899-12-31}\n",
			"cpd[0].date", 3, 22, "want a date from 1900-01-01 to 9999-12-31, got 1899-12-31"},
		{"an expiry date, which may otherwise lie ahead", "id: x\ninsurance: {expires: 0999-01-01}\n",
			"insurance.expires", 2, 22, "want a date from 1900-01-01 to 9999-12-31, got 0999-01-01"},
	} {
		t.Run(tc.why, func(t *testing.T) {
			a, err := decodeApplicant("d.yaml", []byte(tc.doc))
			require.NoError(t, err, "decoding checks shape; the range is a validation rule")
			assert.False(t, e.quick.valid(a, testAsOf), "the quick validator must not clear it")
			d, err := e.Evaluate(context.Background(), a, AsOf(testAsOf))
			assert.Nil(t, d)
			var in *InputError
			require.ErrorAs(t, err, &in)
			require.Len(t, in.Errors, 1, "%v", err)
			fe := in.Errors[0]
			assert.Equal(t, FieldError{Path: tc.path, Line: tc.line, Column: tc.col, Err: ErrInvalid, Msg: tc.msg}, *fe)
		})
	}
	// 1900-01-01 and 9999-12-31 themselves are dates (an expiry may lie ahead).
	a, err := decodeApplicant("d.yaml", []byte("id: x\ncpd: [{hours: 1, date: 1900-01-01}]\ninsurance: {expires: 9999-12-31}\n"))
	require.NoError(t, err)
	assert.True(t, e.quick.valid(a, testAsOf))
	_, err = e.Evaluate(context.Background(), a, AsOf(testAsOf))
	assert.NoError(t, err)
}

// TestGoDatesOutOfRange: an applicant built in Go with &time.Time{} (or any
// date outside the range) gets the same input error as the document.
func TestGoDatesOutOfRange(t *testing.T) {
	e := actoEngine(t)
	for _, tc := range []struct {
		why  string
		date time.Time
		msg  string
	}{
		{"&time.Time{}", time.Time{}, "want a date from 1900-01-01 to 9999-12-31, got 0001-01-01"},
		{"1899-12-31", time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC), "want a date from 1900-01-01 to 9999-12-31, got 1899-12-31"},
		{"after 9999", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "want a date from 1900-01-01 to 9999-12-31, got 10000-01-01"},
	} {
		t.Run(tc.why, func(t *testing.T) {
			a := goodApplicant(t)
			a = values(a) // a copy, as if built in Go: no positions
			a.Registrations[0].Expires = &tc.date
			assert.False(t, e.quick.valid(a, testAsOf), "the quick validator must not clear it")
			d, err := e.Evaluate(context.Background(), a, AsOf(testAsOf))
			assert.Nil(t, d)
			var in *InputError
			require.ErrorAs(t, err, &in)
			require.Len(t, in.Errors, 1, "%v", err)
			assert.Equal(t, FieldError{Path: "registrations[0].expires", Err: ErrInvalid, Msg: tc.msg}, *in.Errors[0])
		})
	}
}

// TestAsOfOutOfRange: AsOf with the zero time or a date outside the range
// is an error matching ErrEvaluationDate from Evaluate and from both batch
// calls, never "today".
func TestAsOfOutOfRange(t *testing.T) {
	e := actoEngine(t)
	a := goodApplicant(t)
	ctx := context.Background()
	for _, date := range []time.Time{
		{},
		time.Date(1899, 12, 31, 23, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		t.Run(date.String(), func(t *testing.T) {
			d, err := e.Evaluate(ctx, a, AsOf(date))
			assert.Nil(t, d)
			assert.ErrorIs(t, err, ErrEvaluationDate)
			for _, r := range e.EvaluateAll(ctx, []*Applicant{a, a}, AsOf(date)) {
				assert.Nil(t, r.Decision)
				assert.ErrorIs(t, r.Err, ErrEvaluationDate)
			}
			for _, workers := range []int{1, 2} {
				n := 0
				for _, r := range e.Decisions(ctx, slices.Values([]*Applicant{a, a}), AsOf(date), Workers(workers)) {
					n++
					assert.Nil(t, r.Decision)
					assert.ErrorIs(t, r.Err, ErrEvaluationDate)
				}
				assert.Equal(t, 2, n, "every applicant gets its result")
			}
		})
	}
	// The first and last days of the range are evaluation dates: ACTO's
	// rules are not in force on the first, and decide on the last.
	_, err := e.Evaluate(ctx, decode(t, "id: a\n"), AsOf(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)))
	assert.False(t, errors.Is(err, ErrEvaluationDate), "1900-01-01: %v", err)
	assert.ErrorIs(t, err, ErrNotInForce, "1900-01-01")
	_, err = e.Evaluate(ctx, decode(t, "id: a\n"), AsOf(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)))
	assert.NoError(t, err, "9999-12-31")
}

// TestDateOfMidnight: dateOf's shortcut for a time at midnight UTC gives
// what working out the calendar date gives, bit for bit, on both sides of
// 1970 and across the dates documents may hold.
func TestDateOfMidnight(t *testing.T) {
	for _, d := range []time.Time{
		time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC).In(time.UTC),
		time.Date(2026, 11, 23, 0, 0, 0, 1, time.UTC), time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 23, 0, 0, 0, 0, time.FixedZone("x", 3600)),
	} {
		y, m, day := d.Date()
		if want := time.Date(y, m, day, 0, 0, 0, 0, time.UTC); dateOf(d) != want {
			t.Errorf("dateOf(%v) = %#v, want %#v", d, dateOf(d), want)
		}
	}
}
