package eligibility

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// sameOutcomes reports whether every level, category and course has the
// same outcome in a and b.
func sameOutcomes(a, b *Decision) bool {
	for _, g := range [][2][]AwardResult{{a.Levels(), b.Levels()}, {a.Categories(), b.Categories()}, {a.Courses(), b.Courses()}} {
		for i := range g[0] {
			if g[0][i].Outcome != g[1][i].Outcome {
				return false
			}
		}
	}
	return true
}

// bruteValidity decides a on every day after asOf up to horizon days on
// and returns the first on which some outcome differs from d's, or zero.
func bruteValidity[T any](t *testing.T, e *EngineOf[T], a *T, d *Decision, horizon int) time.Time {
	t.Helper()
	var later *Decision
	for k := 1; k <= horizon; k++ {
		day := d.AsOf.AddDate(0, 0, k)
		var err error
		later, err = e.Evaluate(context.Background(), a, AsOf(day), Reusing(later))
		if err != nil {
			t.Fatalf("%s on %s: %v", d.Applicant, day.Format(time.DateOnly), err)
		}
		if !sameOutcomes(d, later) {
			return day
		}
	}
	return time.Time{}
}

// checkValidity compares d's validity with the brute force's first
// differing day within horizon days; "" when they agree.
func checkValidity(d *Decision, first time.Time, horizon int) string {
	end := d.AsOf.AddDate(0, 0, horizon)
	switch {
	case !first.IsZero() && d.ValidUntil == nil:
		return fmt.Sprintf("holds indefinitely, but an outcome differs on %s", first.Format(time.DateOnly))
	case !first.IsZero() && !d.ValidUntil.Equal(first.AddDate(0, 0, -1)):
		return fmt.Sprintf("valid until %s, but an outcome first differs on %s", d.ValidUntil, first.Format(time.DateOnly))
	case first.IsZero() && d.ValidUntil != nil && !d.ValidUntil.After(end.AddDate(0, 0, -1)) && d.ValidUntil.Before(end):
		return fmt.Sprintf("valid until %s, but no outcome differs up to %s", d.ValidUntil, end.Format(time.DateOnly))
	case first.IsZero() && d.ValidUntil == nil && !d.Indefinitely:
		return "no validity computed"
	case d.ValidUntil != nil && (d.Changes == nil || !d.Changes.Checked):
		return fmt.Sprintf("valid until %s without a checked change: %+v", d.ValidUntil, d.Changes)
	}
	return ""
}

// TestValidityBruteForce: for generated ACTO applicants, ValidUntil is the
// day before the first day on which any level, category or course is
// decided differently, checked by deciding every day of a two-year
// horizon; "indefinitely" (or a ValidUntil past the horizon) only when no
// day in it differs. ELIGO_VALIDITY_N sets the number of applicants.
func TestValidityBruteForce(t *testing.T) {
	n := envUint(t, "ELIGO_VALIDITY_N", 1000)
	if testing.Short() || raceDetector {
		n = min(n, 100)
	}
	const horizon = 731
	e := actoEngine(t)
	var (
		mu                        sync.Mutex
		failures, indefinite, in2 int
		wg                        sync.WaitGroup
	)
	jobs := make(chan int)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				a, asOf := oracleApplicant(7, i)
				d, err := e.Evaluate(context.Background(), a, AsOf(asOf), WithValidity())
				if err != nil {
					t.Errorf("applicant %d: %v", i, err)
					continue
				}
				first := bruteValidity(t, e, a, d, horizon)
				msg := checkValidity(d, first, horizon)
				mu.Lock()
				if d.Indefinitely {
					indefinite++
				}
				if !first.IsZero() {
					in2++
				}
				if msg != "" {
					failures++
					if failures <= 5 {
						t.Errorf("applicant %d (seed 7) as of %s: %s\n%s", i, asOf.Format(time.DateOnly), msg, applicantYAML(a))
					}
				}
				mu.Unlock()
			}
		}()
	}
	for i := range int(n) {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	t.Logf("%d applicants: %d change within two years, %d hold indefinitely, %d wrong", n, in2, indefinite, failures)
}

// BenchmarkEvaluateValidity is BenchmarkEvaluate with WithValidity: the
// decision and how long it holds.
func BenchmarkEvaluateValidity(b *testing.B) {
	e, err := actoDefault()
	if err != nil {
		b.Fatal(err)
	}
	pop := benchPopulation(b)
	ctx := context.Background()
	cycle(b, len(pop), func(k int) error {
		_, err := e.Evaluate(ctx, pop[k], AsOf(benchDate), WithValidity())
		return err
	})
}

// TestValidityReported: ValidUntil and Changes in the JSON and the text
// report, "indefinitely" too, and nothing without WithValidity.
func TestValidityReported(t *testing.T) {
	e := actoEngine(t)
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	a := &Applicant{ID: "app-1",
		Qualifications: []Qualification{{Title: "Diploma", Level: "diploma", Field: "counselling", Delivery: "face-to-face",
			Awarded: ptr(time.Date(2015, 7, 1, 0, 0, 0, 0, time.UTC)), Verified: true}},
		Insurance: &Insurance{ProfessionalIndemnity: true, Expires: ptr(time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)), Verified: true},
	}
	d, err := e.Evaluate(context.Background(), a, AsOf(asOf), WithValidity())
	if err != nil {
		t.Fatal(err)
	}
	if d.ValidUntil == nil || d.ValidUntil.String() != "2027-01-31" || d.Changes == nil {
		t.Fatalf("valid until %v, changes %+v; want 2027-01-31", d.ValidUntil, d.Changes)
	}
	if d.Changes.Requirement != "insured" || d.Changes.Evidence != "insurance.expires 2027-01-31 passes" {
		t.Errorf("changes %+v", d.Changes)
	}
	js, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"validUntil":"2027-01-31"`, `"changes":{"on":"2027-02-01"`, `"requirement":"insured"`} {
		if !strings.Contains(string(js), want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	if text := d.Text(); !strings.Contains(text, "Holds until 2027-01-31: insured: met -> unmet, insurance.expires 2027-01-31 passes (professional undetermined -> refused)\n") {
		t.Errorf("text lacks the validity:\n%s", text)
	}
	// Without an expiry, nothing that can change: indefinitely.
	a.Insurance = nil
	d, err = e.Evaluate(context.Background(), a, AsOf(asOf), WithValidity())
	if err != nil {
		t.Fatal(err)
	}
	if !d.Indefinitely || d.ValidUntil != nil {
		t.Errorf("indefinitely %v, valid until %v", d.Indefinitely, d.ValidUntil)
	}
	if text := d.Text(); !strings.Contains(text, "Holds indefinitely on this evidence") {
		t.Errorf("text lacks indefinitely:\n%s", text)
	}
	d, err = e.Evaluate(context.Background(), a, AsOf(asOf))
	if err != nil {
		t.Fatal(err)
	}
	js, _ = json.Marshal(d)
	if d.Indefinitely || d.ValidUntil != nil || strings.Contains(string(js), "validUntil") || strings.Contains(d.Text(), "Holds") {
		t.Errorf("validity without WithValidity")
	}
}
