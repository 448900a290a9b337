package eligibility

import (
	"context"
	"errors"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ACTO's rule set is in force from 2020-10-06 (its effective key).
var (
	actoEffective = time.Date(2020, 10, 6, 0, 0, 0, 0, time.UTC)
	actoDayBefore = actoEffective.AddDate(0, 0, -1)
)

const notInForceMsg = "eligibility: rule set acto 2020.10 is in force from 2020-10-06; evaluation date 2020-10-05"

// checkNotInForce checks that err is the error for ACTO's rules on
// 2020-10-05.
func checkNotInForce(t *testing.T, err error, what string) {
	t.Helper()
	require.ErrorIs(t, err, ErrNotInForce, what)
	var nf *NotInForceError
	require.ErrorAs(t, err, &nf, what)
	assert.Equal(t, NotInForceError{RuleSet: "acto", Version: "2020.10", Effective: actoEffective, AsOf: actoDayBefore}, *nf, what)
	assert.EqualError(t, err, notInForceMsg, what)
	assert.False(t, errors.Is(err, ErrEvaluationDate), "%s: a date in range", what)
	var in *InputError
	assert.False(t, errors.As(err, &in), "%s: not the applicant's fault", what)
}

func TestNotInForceEvaluate(t *testing.T) {
	e := actoEngine(t)
	ctx := context.Background()
	a := decode(t, "id: a\n")
	d, err := e.Evaluate(ctx, a, AsOf(actoDayBefore))
	assert.Nil(t, d)
	checkNotInForce(t, err, "Evaluate")
	// The calendar date counts: late on the day before is still before.
	_, err = e.Evaluate(ctx, a, AsOf(actoDayBefore.Add(23*time.Hour+59*time.Minute)))
	checkNotInForce(t, err, "Evaluate at 23:59")

	// On the effective date itself the rules decide.
	d, err = e.Evaluate(ctx, a, AsOf(actoEffective))
	require.NoError(t, err)
	assert.Equal(t, "2020-10-06", d.AsOf.Format(time.DateOnly))
	// In another location, the date in that location counts.
	_, err = e.Evaluate(ctx, a, AsOf(time.Date(2020, 10, 6, 0, 30, 0, 0, time.FixedZone("+01", 3600))))
	assert.NoError(t, err, "2020-10-06 in +01 is in force")
}

func TestNotInForceDocumentEngine(t *testing.T) {
	e, err := Default()
	require.NoError(t, err)
	doc, err := e.Decode("a.yaml", []byte("id: a\n"))
	require.NoError(t, err)
	d, err := e.Evaluate(context.Background(), doc, AsOf(actoDayBefore))
	assert.Nil(t, d)
	checkNotInForce(t, err, "Engine.Evaluate")
	checkNotInForce(t, e.Validate(doc, actoDayBefore), "Engine.Validate")
	assert.NoError(t, e.Validate(doc, actoEffective))
	for _, r := range e.EvaluateAll(context.Background(), []*Document{doc}, AsOf(actoDayBefore)) {
		checkNotInForce(t, r.Err, "Engine.EvaluateAll")
	}
}

func TestNotInForceValidate(t *testing.T) {
	e := actoEngine(t)
	checkNotInForce(t, e.Validate(decode(t, "id: a\n"), actoDayBefore), "Validate")
	assert.NoError(t, e.Validate(decode(t, "id: a\n"), actoEffective))
	// An invalid applicant on such a date: the date is reported, as
	// Evaluate reports it, not the applicant's faults.
	bad := decode(t, "id: a\ncpd: [{hours: -1}]\n")
	checkNotInForce(t, e.Validate(bad, actoDayBefore), "Validate of an invalid applicant")
	_, err := e.Evaluate(context.Background(), bad, AsOf(actoDayBefore))
	checkNotInForce(t, err, "Evaluate of an invalid applicant")
	// A nil applicant is an input error whatever the date.
	var in *InputError
	assert.ErrorAs(t, e.Validate(nil, actoDayBefore), &in)
}

func TestNotInForceBatches(t *testing.T) {
	e := actoEngine(t)
	ctx := context.Background()
	apps := []*Applicant{decode(t, "id: a\n"), decode(t, "id: b\n")}
	for _, workers := range []int{1, 2} {
		n := 0
		for _, r := range e.EvaluateAll(ctx, apps, AsOf(actoDayBefore), Workers(workers)) {
			n++
			assert.Nil(t, r.Decision)
			checkNotInForce(t, r.Err, "EvaluateAll")
		}
		assert.Equal(t, 2, n)
		n = 0
		for _, r := range e.Decisions(ctx, slices.Values(apps), AsOf(actoDayBefore), Workers(workers)) {
			n++
			assert.Nil(t, r.Decision)
			checkNotInForce(t, r.Err, "Decisions")
		}
		assert.Equal(t, 2, n, "every applicant gets its result")
		keyed := func(yield func(string, *Applicant) bool) {
			for _, a := range apps {
				if !yield(a.ID, a) {
					return
				}
			}
		}
		n = 0
		for _, r := range KeyedDecisions(ctx, e, iter.Seq2[string, *Applicant](keyed), AsOf(actoDayBefore), Workers(workers)) {
			n++
			checkNotInForce(t, r.Err, "KeyedDecisions")
		}
		assert.Equal(t, 2, n)
		for _, r := range e.EvaluateAll(ctx, apps, AsOf(actoEffective), Workers(workers)) {
			assert.NoError(t, r.Err, "EvaluateAll on the effective date")
		}
	}
}

func TestInForce(t *testing.T) {
	e := actoEngine(t)
	checkNotInForce(t, e.InForce(actoDayBefore), "InForce")
	assert.NoError(t, e.InForce(actoEffective))
	assert.NoError(t, e.InForce(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)))
	assert.ErrorIs(t, e.InForce(time.Time{}), ErrEvaluationDate)
}

// A rule set without an effective date is in force on every date.
func TestNoEffectiveNoLimit(t *testing.T) {
	set, err := rules.Parse("test.yaml", []byte(kindsRules))
	require.NoError(t, err)
	require.True(t, set.Effective.IsZero(), "the test needs a rule set with no effective date")
	e, err := newACTO(set)
	require.NoError(t, err)
	first := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err = e.Evaluate(context.Background(), decode(t, "id: a\n"), AsOf(first))
	assert.NoError(t, err)
	assert.NoError(t, e.Validate(decode(t, "id: a\n"), first))
	assert.NoError(t, e.InForce(first))
}
