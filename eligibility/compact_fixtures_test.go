package eligibility_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
)

// TestCompactACTOFixtures: for every ACTO fixture, the compact form fits
// in 2 KB and, written as JSON and read back, expands to the original
// decision; the fixture's document as JSON has the same input digest as
// its YAML.
func TestCompactACTOFixtures(t *testing.T) {
	e, err := eligibility.Default()
	if err != nil {
		t.Fatal(err)
	}
	fixtures, err := eligibilitytest.Load("../examples/applicants")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var compact, full []int
	for _, f := range fixtures {
		data, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		a, err := e.Decode(f.Path, data)
		if err != nil {
			t.Fatal(err)
		}
		asOf, err := time.Parse(time.DateOnly, f.Want.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		d, err := e.Evaluate(ctx, a, eligibility.AsOf(asOf))
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		c, err := e.Compact(d, a)
		if err != nil {
			t.Fatalf("%s: Compact: %v", f.Name, err)
		}
		cj, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back eligibility.CompactDecision
		if err := json.Unmarshal(cj, &back); err != nil {
			t.Fatal(err)
		}
		got, err := e.Expand(ctx, &back, a)
		if err != nil {
			t.Fatalf("%s: Expand: %v\n%s", f.Name, err, cj)
		}
		want, _ := json.Marshal(d)
		have, _ := json.Marshal(got)
		if string(want) != string(have) {
			t.Errorf("%s: the expanded decision differs\n want %s\n got  %s", f.Name, want, have)
		}
		if len(cj) > 2048 {
			t.Errorf("%s: compact form of %d bytes, over 2 KB:\n%s", f.Name, len(cj), cj)
		}
		compact, full = append(compact, len(cj)), append(full, len(want))

		// The same document as JSON: the same digest.
		var m any
		if err := yaml.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		dj, err := json.MarshalIndent(jsonable(m), "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		ja, err := e.Decode("applicant.json", dj)
		if err != nil {
			t.Fatalf("%s as JSON: %v\n%s", f.Name, err, dj)
		}
		yd, _ := e.InputDigest(a)
		jd, _ := e.InputDigest(ja)
		if yd != jd || yd != c.Input {
			t.Errorf("%s: input digests differ: YAML %s, JSON %s, compact %s", f.Name, yd, jd, c.Input)
		}
	}
	slices.Sort(compact)
	slices.Sort(full)
	mid := len(compact) / 2
	t.Logf("%d ACTO fixtures: compact JSON min/median/max %d/%d/%d bytes; full JSON %d/%d/%d",
		len(compact), compact[0], compact[mid], compact[len(compact)-1], full[0], full[mid], full[len(full)-1])
}

// jsonable turns what yaml decodes into a value encoding/json writes as
// the same document: timestamps as dates.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonable(e)
		}
	case []any:
		for i, e := range x {
			x[i] = jsonable(e)
		}
	case time.Time:
		return x.Format(time.DateOnly)
	}
	return v
}
