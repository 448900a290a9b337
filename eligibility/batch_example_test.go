package eligibility_test

import (
	"context"
	"fmt"
	"log"
	"maps"
	"slices"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
)

// A batch decides many applicants on all cores, each result in its input
// position; an invalid applicant gets an error and the others are decided.
func ExampleEngine_EvaluateAll() {
	engine, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	applicants, err := engine.DecodeAll("batch.yaml", []byte(applicantYAML+`---
id: org-7
kind: organisation
organisation: {offersCounselling: true, verified: true}
---
id: bad-1
kind: person
`))
	if err != nil {
		log.Fatal(err)
	}

	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for i, r := range engine.EvaluateAll(context.Background(), applicants, eligibility.AsOf(asOf)) {
		if r.Err != nil {
			fmt.Printf("%d: error: %v\n", i, r.Err)
			continue
		}
		fmt.Printf("%d: %s: level %q, next %s\n", i, r.Decision.Applicant, r.Decision.Level, r.Decision.Next.Level)
	}
	// Output:
	// 0: app-0042: level "member", next professional
	// 1: org-7: level "", next member
	// 2: error: bad-1:23:7: kind: want one of individual, organisation, training-provider, got "person"
}

// Decisions streams a batch of any size: it holds only the decisions in
// flight and yields them in input order.
func ExampleEngine_Decisions() {
	engine, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	jo, err := engine.Decode("app-0042.yaml", []byte(applicantYAML))
	if err != nil {
		log.Fatal(err)
	}
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	levels := map[string]int{}
	for _, r := range engine.Decisions(context.Background(), slices.Values([]*eligibility.Document{jo, jo, jo}),
		eligibility.AsOf(asOf), eligibility.Workers(2)) {
		if r.Err != nil {
			log.Fatal(r.Err)
		}
		levels[r.Decision.Level]++
	}
	fmt.Println(levels)
	// Output:
	// map[member:3]
}

// Applicants keyed by the caller's own names, here file names, come back
// with their keys, in input order: no slice beside the results is needed.
func ExampleKeyedDecisions() {
	engine, err := eligibility.Default()
	if err != nil {
		log.Fatal(err)
	}
	files := map[string]string{ // as read from a directory
		"jo.yaml":  applicantYAML,
		"org.json": `{"id": "org-7", "kind": "organisation", "organisation": {"offersCounselling": true, "verified": true}}`,
		"bad.yaml": "id: bad-1\nkind: person\n",
	}
	names := slices.Sorted(maps.Keys(files))
	applicants := func(yield func(string, *eligibility.Document) bool) {
		for _, name := range names {
			a, err := engine.Decode(name, []byte(files[name]))
			if err != nil {
				log.Fatal(err)
			}
			if !yield(name, a) {
				return
			}
		}
	}
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for name, r := range eligibility.KeyedDecisions(context.Background(), engine, applicants,
		eligibility.AsOf(asOf), eligibility.Workers(2)) {
		if r.Err != nil {
			fmt.Printf("%s: error: %v\n", name, r.Err)
			continue
		}
		fmt.Printf("%s: %s: level %q\n", name, r.Decision.Applicant, r.Decision.Level)
	}
	// Output:
	// bad.yaml: error: bad-1:2:7: kind: want one of individual, organisation, training-provider, got "person"
	// jo.yaml: app-0042: level "member"
	// org.json: org-7: level ""
}
