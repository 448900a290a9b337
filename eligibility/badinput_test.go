package eligibility

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules"
)

// A catalogue of bad input. Each case says why it exists; each must give a
// clear error of a known type (errors.As), of the right kind (errors.Is)
// where the type has kinds, naming the field at fault where there is one, and
// no decision: nothing is granted on bad input.

// badApplicant is one bad applicant: a document (decoded as name) or an
// applicant built in Go, and what Evaluate must say about it.
type badApplicant struct {
	name  string // the file name; its extension picks JSON or YAML
	why   string
	doc   string                  // the document, or
	build func(a *Applicant)      // a change to goodApplicant
	kind  error                   // the *InputError's kind: ErrSyntax, ErrType, ...
	path  string                  // a field error at this path
	check func(*testing.T, error) // more checks
}

// goodApplicant returns a valid Level 2 applicant to spoil.
func goodApplicant(t *testing.T) *Applicant {
	t.Helper()
	return decode(t, professionalDoc)
}

var badApplicants = []badApplicant{
	// Not well-formed.
	{name: "unclosed.json", why: "malformed JSON", doc: `{"id": "x", "practising": true`, kind: ErrSyntax},
	{name: "bare-word.json", why: "malformed JSON: a bare word", doc: `{"id": "x", "practising": tru}`, kind: ErrSyntax},
	{name: "unclosed.yaml", why: "malformed YAML", doc: "id: x\nqualifications: [{title: D\n", kind: ErrSyntax},
	{name: "tabs.yaml", why: "malformed YAML: a tab in the indentation", doc: "id: x\ninsurance:\n\texpires: 2027-01-01\n", kind: ErrSyntax},
	{name: "empty.yaml", why: "an empty document", doc: "", kind: ErrSyntax},
	{name: "two.yaml", why: "two documents where one applicant is expected", doc: "id: a\n---\nid: b\n", kind: ErrSyntax},
	{name: "dup-key.yaml", why: "a key given twice", doc: "id: x\nid: y\n", kind: ErrSyntax, path: "id"},
	// Wrong types.
	{name: "hours-text.yaml", why: "text where hours belong", doc: "id: x\nonlineTraining: [{hours: eighty}]\n", kind: ErrType, path: "onlineTraining[0].hours"},
	{name: "section-list.yaml", why: "a list where a section belongs", doc: "id: x\ninsurance: []\n", kind: ErrType, path: "insurance"},
	{name: "list-scalar.yaml", why: "a scalar where a list belongs", doc: "id: x\nqualifications: diploma\n", kind: ErrType, path: "qualifications"},
	{name: "bool-text.yaml", why: "yes is not a boolean in the applicant document", doc: "id: x\npractising: yes\n", kind: ErrType, path: "practising"},
	{name: "id-number.json", why: "a number where text belongs", doc: `{"id": 42}`, kind: ErrType, path: "id"},
	{name: "words-fraction.yaml", why: "a fraction where a whole number belongs", doc: "id: x\nportfolio: {caseStudyWords: 2500.5}\n", kind: ErrType, path: "portfolio.caseStudyWords"},
	{name: "date-format.yaml", why: "a date not written YYYY-MM-DD", doc: "id: x\nqualifications: [{awarded: 01/07/2015}]\n", kind: ErrType, path: "qualifications[0].awarded"},
	{name: "date-calendar.yaml", why: "a date the calendar does not have", doc: "id: x\ncpd: [{date: 2021-02-29}]\n", kind: ErrType, path: "cpd[0].date"},
	{name: "null-entry.yaml", why: "a null list entry", doc: "id: x\ncpd: [null]\n", kind: ErrType, path: "cpd[0]"},
	{name: "root-list.yaml", why: "a list where an applicant belongs", doc: "- id: x\n", kind: ErrType},
	// Numbers that are not finite.
	{name: "inf.yaml", why: "infinite hours", doc: "id: x\ncpd: [{hours: .inf}]\n", kind: ErrType, path: "cpd[0].hours"},
	{name: "nan.yaml", why: "hours that are not a number", doc: "id: x\ncpd: [{hours: .nan}]\n", kind: ErrType, path: "cpd[0].hours"},
	{name: "overflow.json", why: "a JSON number beyond float64", doc: `{"id": "x", "practice": {"onlineClientHours": 1e400}}`, kind: ErrType, path: "practice.onlineClientHours"},
	{name: "go-nan", why: "NaN hours built in Go, past the decoder", build: func(a *Applicant) { a.CPD[0].Hours = math.NaN() },
		kind: ErrInvalid, path: "cpd[0].hours"},
	{name: "go-inf", why: "infinite hours built in Go", build: func(a *Applicant) { a.OnlineTraining[0].Hours = math.Inf(1) },
		kind: ErrInvalid, path: "onlineTraining[0].hours"},
	// Unknown keys.
	{name: "unknown-key.yaml", why: "a key the document does not define", doc: "id: x\nqualification: []\n", kind: ErrUnknownField, path: "qualification"},
	{name: "unknown-nested.yaml", why: "a misspelt key inside an entry", doc: "id: x\ncpd: [{hours: 1, onLine: true}]\n", kind: ErrUnknownField, path: "cpd[0].onLine"},
	// Values out of range.
	{name: "negative-hours.yaml", why: "negative hours", doc: "id: x\nonlineTraining: [{level: cpd, hours: -80}]\n", kind: ErrInvalid, path: "onlineTraining[0].hours"},
	{name: "negative-cpd.yaml", why: "negative CPD hours", doc: "id: x\ncpd: [{hours: -1}]\n", kind: ErrInvalid, path: "cpd[0].hours"},
	{name: "negative-words.yaml", why: "negative words", doc: "id: x\nportfolio: {caseStudyWords: -1}\n", kind: ErrInvalid, path: "portfolio.caseStudyWords"},
	{name: "negative-supervisees.yaml", why: "negative supervisees", doc: "id: x\npractice: {onlineSupervisees: -1}\n", kind: ErrInvalid, path: "practice.onlineSupervisees"},
	{name: "missing-id.yaml", why: "no id", doc: "practising: true\n", kind: ErrInvalid, path: "id"},
	// Dates against the evaluation date and each other.
	// (Event dates after the evaluation date are no bad input: the
	// decision leaves them out; see asof_test.go.)
	{name: "completed-before-enrolled.yaml", why: "a course completed before it began", kind: ErrInvalid, path: "onlineTraining[0].completed",
		doc: "id: x\nonlineTraining: [{level: cpd, enrolled: 2024-03-01, completed: 2024-02-29}]\n"},
	{name: "go-time-of-day", why: "a date with a time of day, built in Go", kind: ErrInvalid, path: "qualifications[0].awarded",
		build: func(a *Applicant) {
			t := time.Date(2015, 7, 1, 13, 0, 0, 0, time.UTC)
			a.Qualifications[0].Awarded = &t
		}},
	{name: "zero-date.yaml", why: "the zero time written out is not \"no date\": absence is a missing key", kind: ErrInvalid, path: "qualifications[0].awarded",
		doc: "id: x\nqualifications: [{level: diploma, field: counselling, delivery: blended, awarded: 0001-01-01}]\n"},
	{name: "pre-1900.yaml", why: "a date before 1900-01-01", kind: ErrInvalid, path: "registrations[0].expires",
		doc: "id: x\nregistrations: [{body: BACP, expires: 1899-12-31}]\n"},
	{name: "go-zero-time", why: "&time.Time{} built in Go is not \"no date\" (nil is)", kind: ErrInvalid, path: "insurance.expires",
		build: func(a *Applicant) { a.Insurance.Expires = &time.Time{} }},
	{name: "go-year-10000", why: "an expiry after 9999-12-31, built in Go (an expiry may otherwise lie ahead)", kind: ErrInvalid, path: "registrations[0].expires",
		build: func(a *Applicant) { a.Registrations[0].Expires = ptr(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)) }},
	// Unknown enum values.
	{name: "level.yaml", why: "an unknown qualification level", doc: "id: x\nqualifications: [{level: phd, field: counselling, delivery: blended}]\n",
		kind: ErrInvalid, path: "qualifications[0].level"},
	{name: "body.yaml", why: "an unknown professional body", doc: "id: x\nregistrations: [{body: ACA}]\n", kind: ErrInvalid, path: "registrations[0].body"},
	{name: "format.yaml", why: "an unknown course format", doc: "id: x\nonlineTraining: [{level: cpd, formats: [video, fax]}]\n",
		kind: ErrInvalid, path: "onlineTraining[0].formats[1]"},
	{name: "kind.yaml", why: "an unknown kind of applicant", doc: "id: x\nkind: company\n", kind: ErrInvalid, path: "kind"},
	{name: "role.yaml", why: "an unknown allied role", doc: "id: x\nallied: {role: nurse}\n", kind: ErrInvalid, path: "allied.role"},
	{name: "country.yaml", why: "UK is not an ISO 3166-1 code (GB is)", doc: "id: x\ncountry: UK\n", kind: ErrInvalid, path: "country"},
	{name: "enum-case.yaml", why: "enums are case-sensitive: Diploma is not diploma", doc: "id: x\nqualifications: [{level: Diploma, field: counselling, delivery: blended}]\n",
		kind: ErrInvalid, path: "qualifications[0].level"},
	// Size.
	{name: "go-100000-courses", why: "100,000 training entries: refused at once, before any rule runs", kind: ErrInvalid, path: "onlineTraining",
		build: func(a *Applicant) {
			c := a.OnlineTraining[0]
			a.OnlineTraining = make([]Course, 100_000)
			for i := range a.OnlineTraining {
				a.OnlineTraining[i] = c
			}
		}},
	{name: "go-formats", why: "a course listing 17 formats", kind: ErrInvalid, path: "onlineTraining[0].formats",
		build: func(a *Applicant) {
			a.OnlineTraining[0].Formats = strings.Fields(strings.Repeat("video ", 17))
		}},
	{name: "many-errors.yaml", why: "every entry wrong: the errors are capped, the rest counted", kind: ErrInvalid, path: "cpd[0].hours",
		doc: "id: x\ncpd:\n" + strings.Repeat("  - {hours: -1}\n", 300),
		check: func(t *testing.T, err error) {
			var in *InputError
			errors.As(err, &in)
			if len(in.Errors) != maxErrors || in.Dropped != 300-maxErrors {
				t.Errorf("%d errors kept, %d dropped; want %d and %d", len(in.Errors), in.Dropped, maxErrors, 300-maxErrors)
			}
		}},
}

// TestBadApplicants decides each bad applicant and checks the error.
func TestBadApplicants(t *testing.T) {
	e := actoEngine(t)
	for _, tc := range badApplicants {
		t.Run(tc.name, func(t *testing.T) {
			var a *Applicant
			var err error
			if tc.build != nil {
				a = goodApplicant(t)
				tc.build(a)
			} else {
				a, err = decodeApplicant(tc.name, []byte(tc.doc))
				if a != nil && err != nil {
					t.Fatalf("%s: an applicant and an error", tc.why)
				}
			}
			var d *Decision
			if err == nil {
				d, err = e.Evaluate(context.Background(), a, AsOf(testDate))
			}
			if d != nil || err == nil {
				t.Fatalf("%s: decided (level %q), error %v", tc.why, d.Level, err)
			}
			var in *InputError
			if !errors.As(err, &in) {
				t.Fatalf("%s: %T, not an *InputError: %v", tc.why, err, err)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("%s: not of kind %v: %v", tc.why, tc.kind, err)
			}
			if tc.path != "" && !inputErrorAt(in, tc.path, tc.kind) {
				t.Errorf("%s: no %v at %s in:\n%v", tc.why, tc.kind, tc.path, err)
			}
			if tc.check != nil {
				tc.check(t, err)
			}
		})
	}
}

func inputErrorAt(in *InputError, path string, kind error) bool {
	for _, fe := range in.Errors {
		if fe.Path == path && errors.Is(fe, kind) {
			return true
		}
	}
	return false
}

// TestBadApplicantLargeDocument decodes a document of 100,000 training
// entries: decoding takes time in proportion to its size, and evaluation
// refuses it at once (at most 1,000 entries a list).
func TestBadApplicantLargeDocument(t *testing.T) {
	if testing.Short() {
		t.Skip("a 2.5 MB document")
	}
	var b strings.Builder
	b.WriteString("id: big\nonlineTraining:\n")
	for i := range 100_000 {
		fmt.Fprintf(&b, "- {provider: olt, hours: %d}\n", i%100)
	}
	start := time.Now()
	a, err := decodeApplicant("big.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	decoded := time.Since(start)
	d, err := actoEngine(t).Evaluate(context.Background(), a, AsOf(testDate))
	var in *InputError
	if d != nil || !errors.As(err, &in) || !inputErrorAt(in, "onlineTraining", ErrInvalid) {
		t.Fatalf("100,000 entries: decision %v, error %v", d != nil, err)
	}
	t.Logf("%d bytes decoded in %v, refused in %v", b.Len(), decoded, time.Since(start)-decoded)
}

// TestBadBatch: ids must be unique in a batch (DOMAIN §2).
func TestBadBatch(t *testing.T) {
	_, err := decodeApplicants("batch.yaml", []byte("- {id: a1}\n- {id: a2}\n- {id: a1}\n"))
	var in *InputError
	if !errors.As(err, &in) || !inputErrorAt(in, "[2].id", ErrInvalid) {
		t.Fatalf("a repeated id: %v", err)
	}
}

// badRuleBase is a valid one-requirement rule file; %s is the condition.
const badRuleBase = `ruleset: bad
version: "1"
requirements:
  r:
    title: R
    source: test
    when: %s
levels:
  - {id: member, title: Member, requires: [r]}
`

// TestBadRules: rule files that must not load, each with a positioned error
// of the right kind, so that no engine (and no decision) comes of them.
func TestBadRules(t *testing.T) {
	for _, tc := range []struct {
		name, why, when string
		kind            error
	}{
		{"nested", "a deeply nested expression", `"` + strings.Repeat("-(", 5000) + "1" + strings.Repeat(")", 5000) + ` > 0"`, rules.ErrLimit},
		{"nested-not", "a long chain of negations", strings.Repeat("not ", 5000) + "true", rules.ErrLimit},
		{"huge", "a huge expression", strings.Repeat("1 + ", 5000) + "1 > 0", rules.ErrLimit},
		{"method", "a method of a Go value", "insurance.expires.Year() > 2000", rules.ErrForbidden},
		{"clock", "reading the clock", "now() > asOf", rules.ErrForbidden},
		{"env", "the whole environment", "$env != nil", rules.ErrForbidden},
		{"unknown-function", "a function outside the library", "sprintf(\"%%d\", 1) == \"1\"", rules.ErrUnknownReference},
		{"unknown-field", "a field the applicant model lacks", "salary > 0", rules.ErrUnknownReference},
		{"not-boolean", "a condition that is not true or false", "len(cpd)", rules.ErrType},
		{"syntax", "an expression that does not parse", "(1 + ", rules.ErrSyntax},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := fmt.Sprintf(badRuleBase, tc.when)
			set, err := rules.Parse("bad.yaml", []byte(src))
			var e *EngineOf[Applicant]
			if err == nil {
				e, err = newACTO(set)
			}
			if e != nil || err == nil {
				t.Fatalf("%s: loaded", tc.why)
			}
			var list *rules.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("%s: %T, not a *rules.ErrorList: %v", tc.why, err, err)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("%s: not of kind %v: %v", tc.why, tc.kind, err)
			}
			for _, re := range list.Errors {
				if re.Pos.File != "bad.yaml" || re.Pos.Line != 7 {
					t.Errorf("%s: error at %s, want bad.yaml:7: %v", tc.why, re.Pos, re)
				}
			}
		})
	}
	t.Run("too-large", func(t *testing.T) {
		src := fmt.Sprintf(badRuleBase, "true") + strings.Repeat("# padding\n", rules.MaxFileSize/10+1)
		_, err := rules.Parse("bad.yaml", []byte(src))
		if !errors.Is(err, rules.ErrLimit) {
			t.Fatalf("a rule file over %d bytes: %v", rules.MaxFileSize, err)
		}
	})
	t.Run("parentheses", func(t *testing.T) {
		// Parentheses add no nodes, but expr's parser recurses per pair
		// (100,000 pairs took 0.3 GB): past rules.MaxNesting they are
		// refused at load, in the rule file's coordinates.
		when := strings.Repeat("(", 100_000) + "len(cpd) > 0" + strings.Repeat(")", 100_000)
		set, err := rules.Parse("deep.yaml", []byte(fmt.Sprintf(badRuleBase, when)))
		if err != nil {
			t.Fatal(err)
		}
		var re *rules.Error
		if _, err := newACTO(set); !errors.As(err, &re) || !errors.Is(err, rules.ErrLimit) || re.Pos.Line != 7 {
			t.Fatalf("100,000 parentheses: %.200v; want rules.ErrLimit at deep.yaml:7", err)
		}
		// Up to the limit they compile and mean what the expression inside means.
		when = strings.Repeat("(", rules.MaxNesting-1) + "len(cpd) > 0" + strings.Repeat(")", rules.MaxNesting-1)
		set, err = rules.Parse("deep.yaml", []byte(fmt.Sprintf(badRuleBase, when)))
		if err != nil {
			t.Fatal(err)
		}
		e, err := newACTO(set)
		if err != nil {
			t.Fatal(err)
		}
		d, err := e.Evaluate(context.Background(), decode(t, "id: a\ncpd: []\n"), AsOf(testDate))
		if err != nil || d.Level != "" {
			t.Fatalf("level %q, error %v", d.Level, err)
		}
	})
}

// TestBadRuleAtRunTime: a rule that fails while it runs for one applicant is
// an error for that applicant (an *rules.EvalError naming the rule, and no
// decision), while other applicants are decided as usual.
func TestBadRuleAtRunTime(t *testing.T) {
	for _, tc := range []struct {
		name, why, src string
		rule           string
	}{
		{"index", "an index beyond the list", fmt.Sprintf(badRuleBase, `qualifications[0].level == "diploma"`), "requirement r"},
		{"budget", "a list beyond the memory budget", fmt.Sprintf(badRuleBase, `"len(qualifications) == 0 && len(map(1..10000000, 1)) > len(qualifications)"`), "requirement r"},
		{"fact", "a fact that fails", `ruleset: bad
version: "1"
facts:
  firstLevel: qualifications[0].level
requirements:
  r: {title: R, source: test, when: firstLevel == "diploma"}
levels:
  - {id: member, title: Member, requires: [r]}
`, "fact firstLevel"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, err := rules.Parse("fragile.yaml", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			e, err := newACTO(set)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			ok := decode(t, "id: ok\nqualifications: [{level: diploma, field: counselling, delivery: blended, verified: true}]\n")
			bad := decode(t, "id: bad\nqualifications: []\n")
			before, err := e.Evaluate(ctx, ok, AsOf(testDate))
			if err != nil {
				t.Fatalf("the good applicant: %v", err)
			}
			d, err := e.Evaluate(ctx, bad, AsOf(testDate))
			var ee *rules.EvalError
			if d != nil || !errors.As(err, &ee) {
				t.Fatalf("%s: decision %v, error %T %v", tc.why, d != nil, err, err)
			}
			// A fact fails inside the requirement that reads it: both are named.
			if !strings.Contains(err.Error(), tc.rule) || !strings.Contains(err.Error(), "applicant bad") {
				t.Errorf("%s: error does not name %q and the applicant: %v", tc.why, tc.rule, err)
			}
			if tc.name == "budget" {
				if !errors.Is(err, rules.ErrLimit) {
					t.Errorf("%s: %v, want rules.ErrLimit", tc.why, err)
				}
				return // its rule, unlike the others, does not grant the good applicant a level
			}
			after, err := e.Evaluate(ctx, ok, AsOf(testDate))
			if err != nil || after.Level != before.Level || after.Level != "member" {
				t.Fatalf("the good applicant after the bad one: level %q (before %q), error %v", after.Level, before.Level, err)
			}
		})
	}
}

// TestBadCalls: a done context, a nil applicant and a nil rule set give
// errors, never a panic or a decision.
func TestBadCalls(t *testing.T) {
	e := actoEngine(t)
	a := goodApplicant(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	for _, tc := range []struct {
		why  string
		ctx  context.Context
		a    *Applicant
		want error
	}{
		{"a cancelled context", cancelled, a, context.Canceled},
		{"a context past its deadline", expired, a, context.DeadlineExceeded},
		{"a nil applicant", context.Background(), nil, nil},
	} {
		d, err := e.Evaluate(tc.ctx, tc.a, AsOf(testDate))
		if d != nil || err == nil {
			t.Errorf("%s: decision %v, error %v", tc.why, d != nil, err)
		}
		if tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.why, err, tc.want)
		}
	}
	var in *InputError
	if _, err := e.Evaluate(context.Background(), nil); !errors.As(err, &in) || !errors.Is(err, ErrInvalid) {
		t.Errorf("a nil applicant: %v, want an *InputError of kind ErrInvalid", err)
	}
	if rs := e.EvaluateAll(context.Background(), []*Applicant{nil, a}, AsOf(testDate)); !errors.As(rs[0].Err, &in) || rs[1].Err != nil {
		t.Errorf("EvaluateAll of a nil and a good applicant: errors %v, %v", rs[0].Err, rs[1].Err)
	}
	if e, err := newACTO(nil); e != nil || err == nil {
		t.Errorf("newACTO(nil): engine %v, error %v", e != nil, err)
	}
}
