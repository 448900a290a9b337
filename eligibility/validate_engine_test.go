package eligibility

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Validate gives exactly the error Evaluate gives an applicant that decodes
// but is invalid, and nil for one Evaluate decides.
func TestValidateAsEvaluate(t *testing.T) {
	e := actoEngine(t)
	ctx := context.Background()
	checked := 0
	for _, tc := range badApplicants {
		var a *Applicant
		if tc.build != nil {
			a = goodApplicant(t)
			tc.build(a)
		} else {
			var err error
			if a, err = decodeApplicant(tc.name, []byte(tc.doc)); err != nil {
				continue // a decoding error: nothing to validate
			}
		}
		_, evalErr := e.Evaluate(ctx, a, AsOf(testDate))
		var in *InputError
		if !errors.As(evalErr, &in) {
			continue // not a validation error, such as a rule failing
		}
		err := e.Validate(a, testDate)
		assert.Equal(t, evalErr, err, "%s: %s", tc.name, tc.why)
		checked++
	}
	require.Greater(t, checked, 10, "too few invalid applicants checked")
	assert.NoError(t, e.Validate(goodApplicant(t), testDate))
}

// Over generated applicants and evaluation dates before, on and after their
// evidence, Validate fails exactly when Evaluate gives an *InputError, with
// the same error.
func TestValidateAsEvaluateGenerated(t *testing.T) {
	e := actoEngine(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(propSeed, 10))
	invalid := 0
	for i := range 300 {
		a := genApplicantNoLater(r, testAsOf)
		if i%7 == 0 {
			a.CPD = append(a.CPD, CPD{Hours: -1})
		}
		for _, asOf := range []time.Time{testAsOf, testAsOf.AddDate(-3, 0, 0), testAsOf.AddDate(0, 0, -40)} {
			_, evalErr := e.Evaluate(ctx, a, AsOf(asOf))
			err := e.Validate(a, asOf)
			var in *InputError
			if errors.As(evalErr, &in) {
				invalid++
				assert.Equal(t, evalErr, err, "applicant %d as of %s", i, asOf.Format(dateLayout))
			} else {
				assert.NoError(t, err, "applicant %d as of %s: Evaluate: %v", i, asOf.Format(dateLayout), evalErr)
			}
		}
	}
	require.Positive(t, invalid, "no invalid applicant generated: the test checks nothing")
}

func TestValidateErrors(t *testing.T) {
	e := actoEngine(t)
	t.Run("positions of a decoded applicant", func(t *testing.T) {
		a, err := decodeApplicant("a.yaml", []byte("id: a-1\ncpd:\n  - {title: T, hours: -1}\n"))
		require.NoError(t, err)
		err = e.Validate(a, testDate)
		var in *InputError
		require.ErrorAs(t, err, &in)
		require.Len(t, in.Errors, 1)
		fe := in.Errors[0]
		assert.Equal(t, [3]any{"cpd[0].hours", 3, 23}, [3]any{fe.Path, fe.Line, fe.Column})
		assert.ErrorIs(t, err, ErrInvalid)
	})
	t.Run("an event date after the evaluation date is no input error", func(t *testing.T) {
		// ACTO's event dates are left out when later, not refused.
		a, err := decodeApplicant("a.yaml", []byte("id: a-1\ncpd: [{hours: 1, date: 2026-11-24}]\n"))
		require.NoError(t, err)
		assert.NoError(t, e.Validate(a, time.Date(2026, 11, 24, 23, 59, 0, 0, time.UTC)))
		assert.NoError(t, e.Validate(a, time.Date(2026, 11, 23, 23, 59, 0, 0, time.UTC)))
	})
	t.Run("an unusable evaluation date: no verdict", func(t *testing.T) {
		a := goodApplicant(t)
		for _, d := range []time.Time{{}, time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)} {
			err := e.Validate(a, d)
			assert.ErrorIs(t, err, ErrEvaluationDate, "%v", d)
			var in *InputError
			assert.False(t, errors.As(err, &in), "not the applicant's fault")
		}
		assert.EqualError(t, e.Validate(a, time.Time{}), "eligibility: Validate(zero time.Time): "+ErrEvaluationDate.Error())
	})
	t.Run("nil", func(t *testing.T) {
		var in *InputError
		assert.ErrorAs(t, e.Validate(nil, testDate), &in)
		assert.ErrorAs(t, e.Validate(nil, time.Time{}), &in, "as Evaluate: a nil applicant first")
	})
}
