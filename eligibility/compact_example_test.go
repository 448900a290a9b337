package eligibility_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
)

// A decision stored compactly, with the digests of its rule set and its
// applicant, is expanded back to the full decision from the same
// applicant; a changed applicant is refused.
func ExampleEngineOf_Expand() {
	engine, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	a, err := engine.Decode("app-0042.yaml", []byte(applicantYAML))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	d, err := engine.Evaluate(ctx, a, eligibility.AsOf(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		log.Fatal(err)
	}
	c, err := engine.Compact(d, a)
	if err != nil {
		log.Fatal(err)
	}
	// Outcomes are one letter each, in the rule set's order: granted,
	// refused, undetermined...
	fmt.Println(c.Level, c.Levels, c.Shortfalls["qualifying-course"], c.Settle["grandparenting-hours"])

	full, err := engine.Expand(ctx, c, a)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(full.Level, full.Next.Level, full.Next.Outcome)

	changed, err := engine.Decode("app-0042.yaml", []byte(strings.Replace(applicantYAML, "hours: 6,", "hours: 7,", 1)))
	if err != nil {
		log.Fatal(err)
	}
	_, err = engine.Expand(ctx, c, changed)
	fmt.Println(errors.Is(err, eligibility.ErrApplicantMismatch))
	// Output:
	// member xxgux [20 2] [portfolio]
	// member professional undetermined
	// true
}
