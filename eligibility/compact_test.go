package eligibility

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/acto"
)

// roundTrip compacts d, a's decision, writes the compact form as JSON,
// reads it back and expands it; it returns the compact JSON and fails
// the test unless the expanded decision's JSON and text equal d's.
func roundTrip[T any](t *testing.T, e *EngineOf[T], d *Decision, a *T, name string) []byte {
	t.Helper()
	c, err := e.Compact(d, a)
	if err != nil {
		t.Fatalf("%s: Compact: %v", name, err)
	}
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back CompactDecision
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&back); err != nil {
		t.Fatalf("%s: the compact form does not read back: %v\n%s", name, err, data)
	}
	got, err := e.Expand(context.Background(), &back, a)
	if err != nil {
		t.Fatalf("%s: Expand: %v\n%s", name, err, data)
	}
	want, _ := json.Marshal(d)
	have, _ := json.Marshal(got)
	if string(want) != string(have) {
		t.Fatalf("%s: the expanded decision differs\n want %s\n got  %s", name, want, have)
	}
	if d.Text() != got.Text() {
		t.Fatalf("%s: the expanded decision's text differs", name)
	}
	return data
}

// TestCompactGenerated: for a few thousand generated applicants, as Go
// values and as Documents of ACTO's declared model, the compact form
// expands to the original decision, fits in 2 KB, and is the same from
// both engines (the input digest does not depend on the type).
func TestCompactGenerated(t *testing.T) {
	goType := actoEngine(t)
	declared, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	n := 3000
	if raceEnabled || testing.Short() {
		n /= 10
	}
	ctx := context.Background()
	var sizes, full []int
	for i := range n {
		a, asOf := oracleApplicant(oracleSeed, i)
		d, err := goType.Evaluate(ctx, a, AsOf(asOf))
		if err != nil {
			continue // not in force on some of the dates
		}
		data := roundTrip(t, goType, d, a, a.ID)
		sizes = append(sizes, len(data))
		fj, _ := json.Marshal(d)
		full = append(full, len(fj))
		if len(data) > 2048 {
			t.Errorf("applicant %d: compact form of %d bytes\n%s", i, len(data), data)
		}
		if i%10 != 0 {
			continue
		}
		aj, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := declared.Decode("a.json", aj)
		if err != nil {
			t.Fatal(err)
		}
		dd, err := declared.Evaluate(ctx, doc, AsOf(asOf))
		if err != nil {
			t.Fatal(err)
		}
		if ddata := roundTrip(t, declared, dd, doc, a.ID); string(ddata) != string(data) {
			t.Fatalf("applicant %d: compact forms differ between the Go type and the declared model\n Go type:  %s\n declared: %s", i, data, ddata)
		}
	}
	if len(sizes) < n/2 {
		t.Fatalf("only %d of %d applicants decided", len(sizes), n)
	}
	lo, med, hi := spread(sizes)
	flo, fmed, fhi := spread(full)
	t.Logf("%d generated decisions: compact JSON min/median/max %d/%d/%d bytes; full JSON %d/%d/%d", len(sizes), lo, med, hi, flo, fmed, fhi)
}

// TestExpandRefuses: Expand refuses a changed applicant, another
// applicant, another rule set, another version of the form and a compact
// form the rules no longer agree with; a changed name, personal data,
// changes nothing.
func TestExpandRefuses(t *testing.T) {
	e := actoEngine(t)
	ctx := context.Background()
	a, asOf := oracleApplicantNoLater(oracleSeed, 3)
	d, err := e.Evaluate(ctx, a, AsOf(asOf))
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Compact(d, a)
	if err != nil {
		t.Fatal(err)
	}
	refused := func(name string, c *CompactDecision, a *Applicant, e *EngineOf[Applicant], want error) {
		t.Helper()
		got, err := e.Expand(ctx, c, a)
		var ce *CompactError
		if got != nil || !errors.Is(err, want) || !errors.As(err, &ce) {
			t.Errorf("%s: Expand = %v, %v; want no decision and a *CompactError wrapping %v", name, got != nil, err, want)
		}
	}

	changed := cloneApplicant(a)
	changed.CPD = append(changed.CPD, CPD{Title: "one more", Hours: 1})
	refused("a CPD entry added", c, changed, e, ErrApplicantMismatch)
	unverified := cloneApplicant(a)
	unverified.Practising = new(bool)
	refused("practising changed", c, unverified, e, ErrApplicantMismatch)
	other := cloneApplicant(a)
	other.ID = "someone-else"
	refused("another id", c, other, e, ErrApplicantMismatch)
	if _, err := e.Compact(d, other); !errors.Is(err, ErrApplicantMismatch) {
		t.Errorf("Compact of another applicant's decision: %v", err)
	}

	renamed := cloneApplicant(a)
	renamed.Name = "A. N. Other"
	if got, err := e.Expand(ctx, c, renamed); err != nil || got == nil {
		t.Errorf("a changed name (personal, unseen by rules): Expand: %v", err)
	}

	refused("another rule set", c, a, otherACTO(t), ErrRuleSetMismatch)

	v2 := *c
	v2.Version = 2
	refused("another version", &v2, a, e, ErrCompactForm)
	badDate := *c
	badDate.AsOf = "23/11/2026"
	refused("an unreadable date", &badDate, a, e, ErrCompactForm)
	tampered := *c
	tampered.Requirements = strings.Repeat("m", len(c.Requirements))
	refused("statuses the rules do not give", &tampered, a, e, ErrDecisionMismatch)
	later := *c
	later.AsOf = "2026-11-24"
	refused("another date", &later, a, e, ErrDecisionMismatch)
}

// otherACTO is an engine of ACTO's rules with another version: another
// digest.
func otherACTO(t *testing.T) *EngineOf[Applicant] {
	t.Helper()
	files := fstest.MapFS{}
	err := fs.WalkDir(acto.Files(), ".", func(path string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		data, err := fs.ReadFile(acto.Files(), path)
		if path == "ruleset.yaml" {
			data = []byte(strings.Replace(string(data), `version: "2020.10"`, `version: "2020.10-b"`, 1))
		}
		files[path] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.Load(files, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := newACTO(set)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := acto.Rules(); d.Digest == set.Digest {
		t.Fatal("the changed rule set has the same digest")
	}
	return e
}

// spread returns the least, the median and the greatest of xs.
func spread(xs []int) (lo, med, hi int) {
	if len(xs) == 0 {
		return 0, 0, 0
	}
	s := slices.Sorted(slices.Values(xs))
	return s[0], s[len(s)/2], s[len(s)-1]
}
