package impact_test

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"log"
	"strings"
	"testing/fstest"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/impact"
	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/acto"
	"github.com/eligo-dev/eligo/rules/acto/actogen"
)

// An impact run of a rule change: ACTO's Level 1 CPD threshold raised from
// 20 hours to 30, over 2,000 generated applicants' JSON documents.
func ExampleRunDocuments() {
	oldEngine, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	// A rule set is data: the change is an edit of a copy of its YAML.
	files := fstest.MapFS{}
	fs.WalkDir(acto.Files(), ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := fs.ReadFile(acto.Files(), path)
			if path == "parameters.yaml" {
				data = []byte(strings.Replace(string(data), "member_cpd_hours:\n    value: 20", "member_cpd_hours:\n    value: 30", 1))
			}
			files[path] = &fstest.MapFile{Data: data}
		}
		return err
	})
	set, err := rules.Load(files)
	if err != nil {
		log.Fatal(err)
	}
	newEngine, err := eligibility.New(set)
	if err != nil {
		log.Fatal(err)
	}

	date := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	docs := actogen.Documents(1, 2000, date) // names and JSON bytes
	report, err := impact.RunDocuments(context.Background(), oldEngine, newEngine, docs,
		impact.AsOf(date), impact.KeepAffected(1))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d of %d changed, %d changed level\n", report.Changed, report.Applicants, report.LevelChanged)
	for _, t := range report.Transitions() {
		if t.From != t.To {
			fmt.Printf("%s → %s: %d\n", cmp.Or(t.From, "none"), cmp.Or(t.To, "none"), t.Applicants)
		}
	}
	top := report.Attribution[0]
	fmt.Printf("top: %s %s → %s, %d applicants\n", top.Requirement, top.Old, top.New, top.Applicants)
	fmt.Print(report.Affected[0].Diff)
	// Output:
	// 114 of 2000 changed, 73 changed level
	// member → none: 40
	// member → associate: 4
	// member → student: 29
	// top: online-cpd met → unmet, 67 applicants
	// gen-00000013: level member → student
	//   level member: granted → refused (online-cpd)
	//   online-cpd: met → unmet
	//       cpdWindowHours >= param.member_cpd_hours: met → unmet; observed 20; required 20 → 30
}
