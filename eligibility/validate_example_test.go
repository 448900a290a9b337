package eligibility_test

import (
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
)

// Validation on its own, say as a form is submitted, long before the
// applicant is decided: every problem at its path, line and column.
func ExampleEngine_Validate() {
	engine, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	doc := `id: app-0043
cpd:
  - {title: Text work, hours: -6, date: 2026-03-01}
qualifications:
  - {title: Doctorate, level: phd, field: counselling, delivery: face-to-face}
`
	a, err := engine.Read("form", strings.NewReader(doc), eligibility.YAML)
	if err != nil {
		log.Fatal(err)
	}
	err = engine.Validate(a, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	var ie *eligibility.InputError
	if errors.As(err, &ie) {
		for _, fe := range ie.Errors {
			fmt.Printf("%d:%d %s (%v): %s\n", fe.Line, fe.Column, fe.Path, fe.Err, fe.Msg)
		}
	}
	// Output:
	// 3:31 cpd[0].hours (invalid value): must be at least 0, got -6
	// 5:31 qualifications[0].level (invalid value): want one of certificate, diploma, post-diploma, degree, masters, doctorate, got "phd"
}
