package lint_test

import (
	"fmt"

	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/lint"
)

func Example() {
	set, err := rules.Parse("club.yaml", []byte(`ruleset: club
version: "1"
parameters:
  min_age: {value: 18, source: "Club rules, section 2"}
  max_age:
    value: 99
    source: assumed
    lint: {ignore: {unused-parameter: "read from 2027, when the age cap comes in"}}
requirements:
  adult: {title: Adult, source: "Club rules, section 2", when: age >= param.min_age}
  local: {title: Lives nearby, source: "Club rules, section 3", when: distance < 10}
levels:
  - {id: member, title: Member, requires: [adult]}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	findings := lint.Run(set)
	for _, f := range findings {
		fmt.Println(f)
	}
	fmt.Println(len(findings), "findings")
	// Output:
	// club.yaml:5:3: assumed-undescribed: parameter max_age: it is assumed (its source is "assumed") but has no description saying why the value was chosen
	//       max_age:
	//       ^
	// club.yaml:11:3: unused-requirement: requirement local: no level, category, course, benefit or gate needs it
	//       local: {title: Lives nearby, source: "Club rules, section 3", when: distance < 10}
	//       ^
	// 2 findings
}
