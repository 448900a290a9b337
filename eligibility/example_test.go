package eligibility_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
)

const applicantYAML = `
id: app-0042
name: Jo Bloggs
practising: true
qualifications:
  - {title: Diploma in Counselling, level: diploma, field: counselling, delivery: face-to-face, awarded: 2015-07-01, verified: true}
registrations:
  - {body: BACP, number: "123456", expires: 2027-03-31, verified: true}
insurance: {professionalIndemnity: true, expires: 2027-01-31, verified: true}
onlineTraining:
  - {provider: OLT, course: Certificate in Online Counselling, level: certificate, hours: 60,
     formats: [video, chat], tutorLed: true, skillsAssessed: true, reflectiveWork: true,
     enrolled: 2025-01-10, completed: 2025-04-01, verified: true}
cpd:
  - {title: Working with text-based clients, hours: 6, date: 2026-03-01, online: true, verified: true}
references: {safeOnlinePractice: true, verified: true}
`

func ExampleEngine_Evaluate() {
	engine, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	a, err := engine.Decode("app-0042.yaml", []byte(applicantYAML))
	if err != nil {
		log.Fatal(err)
	}
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	d, err := engine.Evaluate(context.Background(), a, eligibility.AsOf(asOf))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("level:", d.Level)
	fmt.Println("next:", d.Next.Level, d.Next.Outcome)
	for _, u := range d.Next.Unmet {
		fmt.Println("  missing:", u.ID, u.Status)
	}
	fmt.Println("fee:", d.FeeTotal)
	// Output:
	// level: member
	// next: professional undetermined
	//   missing: grandparenting-hours unknown
	// fee: 40
}

// The award lists are made on the first call of Levels, Categories,
// Courses or Gates, each award with its outcome, the route it comes from,
// that route's requirements and what would settle it;
// GrantedCourses reads the outcomes without making them.
func ExampleDecision_Levels() {
	engine, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	a, err := engine.Decode("app-0042.yaml", []byte(applicantYAML))
	if err != nil {
		log.Fatal(err)
	}
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	d, err := engine.Evaluate(context.Background(), a, eligibility.AsOf(asOf))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("courses:", d.GrantedCourses())
	for _, l := range d.Levels() {
		fmt.Printf("%s: %s (route %s, %d requirements)\n", l.ID, l.Outcome, l.Route, len(l.Requirements))
		for _, s := range l.Settle {
			fmt.Println("  to settle:", s)
		}
	}
	// Output:
	// courses: [academy-general-certificate academy-diploma relate-online oti-online-therapy ocst-certificated olt-general-certificate olt-diploma-counselling]
	// associate: refused (route standard, 2 requirements)
	// student: refused (route online-course, 2 requirements)
	// member: granted (route standard, 3 requirements)
	// professional: undetermined (route grandparenting, 6 requirements)
	//   to settle: supply portfolio
	//   to settle: judge for route grandparenting
	// senior: refused (route standard, 8 requirements)
}

// Each requirement explains itself: the values observed against those
// required, and for a list condition the entry that came closest.
func ExampleRequirementResult_Explain() {
	engine, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	a, err := engine.Decode("app-0042.yaml", []byte(applicantYAML))
	if err != nil {
		log.Fatal(err)
	}
	d, err := engine.Evaluate(context.Background(), a, eligibility.AsOf(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		log.Fatal(err)
	}
	r, _ := d.Requirement("qualifying-course")
	fmt.Println(r.ID, r.Status, "-", r.Source)
	for _, line := range r.Explain() {
		fmt.Println(" ", line)
	}
	// The same facts, structured, for programs:
	g := r.Clauses[0].Closest
	fmt.Println(g.Path, g.Label, g.Failed[0].Observed, g.Failed[0].Required)
	// Output:
	// qualifying-course unmet - ACTO minimum course criteria (acto.org.uk)
	//   any(onlineTraining, approved(.provider) && done(.completed) && .hours >= param.qualifying_course_hours && len(uniq(filter(.formats, # in param.course_formats))) >= param.min_formats && .tutorLed && .skillsAssessed && .reflectiveWork): does not hold
	//   closest: onlineTraining[0] (Certificate in Online Counselling), 5 of 7 conditions hold; fails .hours >= param.qualifying_course_hours (60, needs >= 80; 20 short); len(uniq(filter(.formats, # in param.course_formats))) >= param.min_formats (2, needs >= 4; 2 short)
	// onlineTraining[0] Certificate in Online Counselling 60 80
}

// A decision is made from the requirements' statuses; their explanations
// are worked out when first asked for (Requirements, Requirement, the JSON
// and the text), from the decision's own copy of the applicant as it was
// evaluated.
func ExampleDecision_Requirements() {
	engine, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	a, err := engine.Decode("app-0042.yaml", []byte(applicantYAML))
	if err != nil {
		log.Fatal(err)
	}
	d, err := engine.Evaluate(context.Background(), a, eligibility.AsOf(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		log.Fatal(err)
	}
	s, _ := d.Status("online-cpd") // the status alone: nothing to explain
	fmt.Println("online-cpd:", s)

	r, _ := d.Requirement("online-cpd") // explained now, once for all requirements
	c := r.Clauses[0]
	fmt.Println(c.Text+":", c.Observed, c.Op, c.Required)
	fmt.Println(len(d.Requirements()), "requirements explained")
	// Output:
	// online-cpd: met
	// cpdWindowHours >= param.member_cpd_hours: 66 >= 20
	// 28 requirements explained
}

// An invalid applicant gets no decision: every problem is reported at once
// by its document path.
func ExampleEngine_Decode_error() {
	engine, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	_, err = engine.Decode("bad.yaml", []byte(`
id: app-1
onlineTraining:
  - {provider: olt, course: Cert, hourz: 60}
insurance: {professionalIndemnity: yes please}
`))
	var in *eligibility.InputError
	if errors.As(err, &in) {
		for _, fe := range in.Errors {
			fmt.Println(fe.Path, "-", errors.Is(fe, eligibility.ErrUnknownField))
		}
	}
	fmt.Println(err)
	// Output:
	// onlineTraining[0].hourz - true
	// insurance.professionalIndemnity - false
	// bad.yaml:4:35: onlineTraining[0].hourz: unknown field "hourz"; did you mean "hours"?
	// bad.yaml:5:36: insurance.professionalIndemnity: want true or false, got "yes please"
}
