package eligibility

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestBatchEdgeErrorAsEvaluate: a result's error is as Evaluate would
// return it: with ctx done and an unusable evaluation date, ctx's error
// (Evaluate checks ctx first), as EvaluateAll's doc says for the
// applicants not yet decided.
func TestBatchEdgeErrorAsEvaluate(t *testing.T) {
	e := actoEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a := decode(t, professionalDoc)
	early := e.RuleSet().Effective.AddDate(0, 0, -1)
	for _, date := range []time.Time{{}, early} {
		_, want := e.Evaluate(ctx, a, AsOf(date))
		for _, r := range e.EvaluateAll(ctx, []*Applicant{a}, AsOf(date)) {
			if r.Err == nil || r.Err.Error() != want.Error() {
				t.Errorf("AsOf(%v), ctx done: EvaluateAll: %v; Evaluate: %v", date.Format(time.DateOnly), r.Err, want)
			}
		}
		for _, workers := range []int{1, 2} {
			for _, r := range e.Decisions(ctx, slices.Values([]*Applicant{a}), AsOf(date), Workers(workers)) {
				if r.Err == nil || r.Err.Error() != want.Error() {
					t.Errorf("AsOf(%v), ctx done, workers %d: Decisions: %v; Evaluate: %v", date.Format(time.DateOnly), workers, r.Err, want)
				}
			}
		}
	}
}
