package eligibility_test

import (
	"context"
	"fmt"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules"
)

// Coach is a coaching association's applicant: its own Go type, not ACTO's.
// Rules see each field by its expr tag; Sessions are claims, entries with
// a Verified flag, labelled by Client; Insurance is a claim as a whole.
type Coach struct {
	ID        string    `json:"id" expr:"id" validate:"required"`
	Sessions  []Session `json:"sessions" expr:"sessions" validate:"max=1000,dive"`
	Insurance *Cover    `json:"insurance,omitempty" expr:"insurance"`
}

// Session is one coaching session claimed.
type Session struct {
	Client   string  `json:"client" expr:"client" eligo:"label"`
	Hours    float64 `json:"hours" expr:"hours" validate:"finite,gte=0"`
	Verified bool    `json:"verified" expr:"verified"`
}

// Cover is the coach's insurance.
type Cover struct {
	Expires  *time.Time `json:"expires" expr:"expires" validate:"omitempty,date"`
	Verified bool       `json:"verified" expr:"verified"`
}

const coachingRules = `ruleset: coaching
version: "1"
parameters:
  coach_hours: {value: 20, source: "Handbook 3.1"}
  fee: {value: 60, source: "Fees 2026"}
requirements:
  insured:
    title: Insurance in force
    source: "Handbook 2.4"
    when: current(insurance.expires)
  coaching-hours:
    title: Coaching hours
    source: "Handbook 3.1"
    when: sum(sessions, .hours) >= param.coach_hours
levels:
  - {id: coach, title: Coach, requires: [insured, coaching-hours], fee: fee}
`

// A service decides its own type with NewFor: here a coach whose second
// session is not verified yet, then one whose document is invalid.
func ExampleNewFor() {
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
	expires := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	c := &Coach{
		ID:        "c-17",
		Sessions:  []Session{{Client: "Acme", Hours: 12, Verified: true}, {Client: "Brio", Hours: 9}},
		Insurance: &Cover{Expires: &expires, Verified: true},
	}
	d, err := engine.Evaluate(ctx, c, asOf)
	if err != nil {
		fmt.Println(err)
		return
	}
	coach := d.Levels()[0]
	fmt.Println(coach.ID, coach.Outcome)
	for _, a := range coach.Settle {
		fmt.Println(a.Kind, a.Item, a.Label)
	}

	_, err = engine.Evaluate(ctx, &Coach{ID: "c-18", Sessions: []Session{{Client: "Cato", Hours: -3}}}, asOf)
	fmt.Println(err)
	// Output:
	// coach provisional
	// verify sessions[1] Brio
	// c-18: sessions[0].hours: must be at least 0, got -3
}
