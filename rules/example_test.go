package rules_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"testing/fstest"
	"time"

	"github.com/eligo-dev/eligo/rules"
)

const exampleRules = `
ruleset: example
version: "1"
parameters:
  cpd_hours: {value: 20, source: "Membership criteria, 2024"}
requirements:
  cpd:
    title: Enough CPD this year
    source: "Membership criteria, 2024"
    when: sum(cpd, .hours) >= param.cpd_hours
  insured:
    title: Professional indemnity insurance
    source: "Membership criteria, 2024"
    when: current(insuranceExpires)
levels:
  - id: member
    title: Member
    requires: [cpd]
  - id: professional
    title: Professional member
    requires: [cpd, insured]
`

// Applicant is the applicant model rules are compiled against; rules see
// its fields by their expr tags.
type Applicant struct {
	Name             string     `expr:"-"` // hidden from rules
	CPD              []Activity `expr:"cpd"`
	InsuranceExpires *time.Time `expr:"insuranceExpires"`
}

type Activity struct {
	Hours float64 `expr:"hours"`
}

func ExampleParse() {
	set, err := rules.Parse("example.yaml", []byte(exampleRules))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(set.Name, set.Version)
	for _, l := range set.Levels {
		fmt.Printf("%s (%s) requires %v\n", l.ID, l.Title, l.Requires)
	}
	// Output:
	// example 1
	// member (Member) requires [cpd]
	// professional (Professional member) requires [cpd insured]
}

func ExampleCompile() {
	set, err := rules.Parse("example.yaml", []byte(exampleRules))
	if err != nil {
		log.Fatal(err)
	}
	prog, err := rules.Compile(set, Applicant{})
	if err != nil {
		log.Fatal(err)
	}
	a := &Applicant{Name: "A. Person", CPD: []Activity{{Hours: 6}, {Hours: 7.5}}}
	run, err := prog.NewRun(a, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		log.Fatal(err)
	}
	for _, id := range []string{"cpd", "insured"} {
		i, _ := prog.Requirement(id)
		res, err := run.Requirement(i)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(id, res.Status)
		for _, c := range res.Clauses {
			if c.Op != "" {
				fmt.Printf("  %s: observed %v, required %s %v\n", c.Text, c.Observed, c.Op, c.Required)
			}
			if len(c.Missing) > 0 {
				fmt.Printf("  %s: missing %v\n", c.Text, c.Missing)
			}
		}
	}
	// Output:
	// cpd unmet
	//   sum(cpd, .hours) >= param.cpd_hours: observed 13.5, required >= 20
	// insured unknown
	//   current(insuranceExpires): missing [insuranceExpires]
}

// Statuses decides every requirement without explaining any: what a
// program that grades many applicants needs first.
func ExampleRun_Statuses() {
	set, err := rules.Parse("example.yaml", []byte(exampleRules))
	if err != nil {
		log.Fatal(err)
	}
	prog, err := rules.Compile(set, Applicant{})
	if err != nil {
		log.Fatal(err)
	}
	a := &Applicant{Name: "A. Person", CPD: []Activity{{Hours: 12}, {Hours: 9}}}
	run, err := prog.NewRun(a, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		log.Fatal(err)
	}
	statuses := make([]rules.Status, prog.NumRequirements())
	if err := run.Statuses(statuses); err != nil {
		log.Fatal(err)
	}
	for i, s := range statuses {
		fmt.Println(set.Requirements[i].ID, s)
	}
	// Output:
	// cpd met
	// insured unknown
}

func ExampleParse_error() {
	const broken = `ruleset: example
version: "1"
requirements:
  cpd:
    title: Enough CPD this year
    source: "Membership criteria, 2024"
    when: sum(cpd, .hours) >= param.cpd_hours
levels:
  - id: member
    title: Member
    requires: [cdp]
`
	_, err := rules.Parse("broken.yaml", []byte(broken))
	fmt.Println(err)

	var e *rules.Error
	if errors.As(err, &e) {
		fmt.Println("at line", e.Pos.Line, "column", e.Pos.Column)
	}
	fmt.Println("unknown reference:", errors.Is(err, rules.ErrUnknownReference))
	// Output:
	// broken.yaml:11:16: level member requires: unknown requirement "cdp"; did you mean "cpd"?
	//         requires: [cdp]
	//                    ^
	// at line 11 column 16
	// unknown reference: true
}

func ExampleLoad() {
	fsys := fstest.MapFS{
		"requirements.yaml": {Data: []byte(`ruleset: example
version: "1"
requirements:
  cpd:
    title: Enough CPD this year
    source: "Membership criteria, 2024"
    when: sum(cpd, .hours) >= param.cpd_hours
`)},
		"levels.yaml": {Data: []byte(`parameters:
  cpd_hours: {value: 20, source: "Membership criteria, 2024"}
levels:
  - id: member
    title: Member
    requires: [cpd]
`)},
	}
	set, err := rules.Load(fsys)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(set.Name, len(set.Requirements), "requirement,", len(set.Levels), "level")
	fmt.Println("requirement cpd is defined at", set.Requirements[0].Pos)
	fmt.Println("level member is defined at", set.Levels[0].Pos)
	// Output:
	// example 1 requirement, 1 level
	// requirement cpd is defined at requirements.yaml:4:3
	// level member is defined at levels.yaml:4:5
}

// A Value is what an explanation observed: it keeps its Go kind, prints
// for people and marshals to JSON. It is a copy: changing the list it was
// made from changes nothing in it.
func ExampleValue() {
	hours := []float64{7, 8.5}
	v := rules.ValueOf(hours)
	hours[0] = 100
	fmt.Println(v.Kind(), v.Len(), v)
	j, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(j))
	day := rules.ValueOf(time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC))
	fmt.Println(day.Kind(), day, day.Date().Weekday())
	// Output:
	// list 2 [7, 8.5]
	// {"type":"list","items":[{"type":"number","value":7},{"type":"number","value":8.5}]}
	// date 2027-01-31 Sunday
}
