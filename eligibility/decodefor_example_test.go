package eligibility_test

import (
	"context"
	"fmt"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
)

// DecodeFor decodes a document into the caller's own type, by its json
// tags here, strictly; the problems the engine finds
// later still name the line and column. The second coach's document has a
// misspelt key, the third a negative number of hours.
func ExampleDecodeFor() {
	set, err := rules.Parse("coaching.yaml", []byte(coachingRules))
	if err != nil {
		fmt.Println(err)
		return
	}
	engine, err := eligibility.NewFor[Coach](set)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, asOf := context.Background(), eligibility.AsOf(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	for i, doc := range []string{
		"id: c-17\nsessions:\n  - {client: Acme, hours: 21, verified: true}\ninsurance: {expires: 2027-03-31, verified: true}\n",
		"id: c-18\nsesions: []\n",
		"id: c-19\nsessions:\n  - {client: Cato, hours: -3}\n",
	} {
		c, err := eligibility.DecodeFor[Coach](fmt.Sprintf("coach%d.yaml", i+1), []byte(doc))
		if err != nil {
			fmt.Println(err)
			continue
		}
		d, err := engine.Evaluate(ctx, c, asOf)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(d.Applicant, d.Level)
	}
	// Output:
	// c-17 coach
	// coach2.yaml:2:1: sesions: unknown field "sesions"; did you mean "sessions"?
	// c-19:3:27: sessions[0].hours: must be at least 0, got -3
}
