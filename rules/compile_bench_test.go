package rules

import (
	"fmt"
	"strings"
	"testing"
)

// fiftyRequirements returns a rule file with 50 requirements of the shapes
// rule authors write: list predicates with library calls, comparisons with
// parameters, facts and optional sections.
func fiftyRequirements() []byte {
	var b strings.Builder
	b.WriteString(`ruleset: fifty
version: "1"
effective: 2020-01-01
parameters:
  course_hours: {value: 80, source: bench}
  cpd_hours: {value: 20, source: bench}
  core_fields: {value: [counselling, psychotherapy, psychology], source: bench}
catalogue:
  providers:
    - {id: olt, name: "Online Training for Counsellors Ltd", aliases: [OLT]}
facts:
  approvedHours: sum(filter(onlineTraining, approved(.provider) && done(.completed)), .hours)
  onlineCpdHours: sum(filter(cpd, .online && within(.date, 36)), .hours) + approvedHours
requirements:
`)
	shapes := []string{
		`any(qualifications, .level == "diploma" && .field in param.core_fields && done(.awarded))`,
		`any(onlineTraining, approved(.provider) && done(.completed) && .hours >= param.course_hours + %d && len(.formats) >= 4)`,
		`onlineCpdHours >= param.cpd_hours + %d`,
		`insurance.professionalIndemnity && current(insurance.expires)`,
		`portfolio.caseStudyWords >= 2000 + %d`,
	}
	var ids []string
	for i := range 50 {
		id := fmt.Sprintf("req-%02d", i)
		ids = append(ids, id)
		shape := shapes[i%len(shapes)]
		when := shape
		if strings.Contains(shape, "%d") {
			when = fmt.Sprintf(shape, i)
		}
		fmt.Fprintf(&b, "  %s:\n    title: Requirement %d\n    source: bench\n    when: %s\n", id, i, when)
	}
	fmt.Fprintf(&b, "levels:\n  - id: one\n    title: One\n    requires: [%s]\n", strings.Join(ids[:25], ", "))
	fmt.Fprintf(&b, "  - id: two\n    title: Two\n    requires: [%s]\n", strings.Join(ids[25:], ", "))
	return []byte(b.String())
}

// BenchmarkCompileFifty parses and compiles a 50-requirement rule set
// against the test model: the cost a service pays once at start-up.
func BenchmarkCompileFifty(b *testing.B) {
	data := fiftyRequirements()
	b.ReportAllocs()
	for b.Loop() {
		set, err := Parse("fifty.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Compile(set, testApplicant{}); err != nil {
			b.Fatal(err)
		}
	}
}
