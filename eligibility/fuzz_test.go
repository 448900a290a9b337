package eligibility

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// Fuzz targets for applicant input. `go test` runs their seed corpora (the
// fixtures, testdata/applicants, generated applicants and the regressions in
// testdata/fuzz); to fuzz, one target at a time:
//
//	go test ./eligibility -run '^$' -fuzz '^FuzzApplicantInput$' -fuzztime 5m -parallel 1
//	go test ./eligibility -run '^$' -fuzz '^FuzzEvaluate$' -fuzztime 5m -parallel 1

// fuzzSeeds adds every applicant document of the repository, and a few
// generated ones, to f's corpus.
func fuzzSeeds(f *testing.F, add func(data []byte)) {
	for _, pattern := range []string{
		"testdata/applicants/*", "testdata/applicants/batches/*",
		"../examples/applicants/*.yaml", "../examples/applicants-invalid/*.yaml",
	} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, path := range files {
			if data, err := os.ReadFile(path); err == nil {
				add(data)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 8 {
		add([]byte(applicantYAML(genApplicantNoLater(r, fuzzDate))))
	}
	for _, doc := range []string{
		"", "null", "[]", "id: x\n", "{}", `{"id": "x", "onlineTraining": [{"hours": 1e400}]}`,
		"id: x\nqualifications: [{level: diploma, awarded: 2099-01-01}]\n",
		"id: x\nonlineTraining: [{level: cpd, enrolled: 2020-02-02, completed: 2020-02-01, formats: [fax]}]\n",
		"id: x\ncpd: [{hours: -1, date: 2020-02-30}]\n",
	} {
		add([]byte(doc))
	}
}

var fuzzDate = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// FuzzApplicantInput decodes and then validates a document. Whatever the
// input, nothing panics and every problem comes back as an *InputError whose
// field errors have a kind; a field error names a path of the document that
// the applicant model has, except for syntax errors and a root that is not a
// mapping (the whole document is at fault).
func FuzzApplicantInput(f *testing.F) {
	fuzzSeeds(f, func(data []byte) { f.Add(data) })
	v, err := newApplicantValidator()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := decodeApplicant("fuzz.yaml", data)
		if err != nil {
			if a != nil {
				t.Fatal("an applicant returned with an error")
			}
			checkInputError(t, data, err, false)
			return
		}
		if err := v.validate(a, fuzzDate); err != nil {
			checkInputError(t, data, err, true)
		}
		// A batch of one never panics either; its paths start with the index.
		if _, err := decodeApplicants("fuzz.yaml", data); err != nil {
			var in *InputError
			if !errors.As(err, &in) {
				t.Fatalf("DecodeApplicants: %T, not an *InputError: %v", err, err)
			}
		}
	})
}

// checkInputError checks an error from decoding (validated false) or
// validation (validated true).
func checkInputError(t *testing.T, data []byte, err error, validated bool) {
	t.Helper()
	var in *InputError
	if !errors.As(err, &in) {
		t.Fatalf("error is %T, not an *InputError: %v", err, err)
	}
	if len(in.Errors) == 0 {
		t.Fatalf("an *InputError without field errors: %v", err)
	}
	_ = in.Error()
	for _, fe := range in.Errors {
		kinds := 0
		for _, k := range []error{ErrUnknownField, ErrType, ErrInvalid, ErrSyntax} {
			if errors.Is(fe, k) {
				kinds++
			}
		}
		if kinds != 1 {
			t.Fatalf("field error of %d kinds: %v", kinds, fe)
		}
		if fe.Msg == "" {
			t.Errorf("field error without a message: %#v", fe)
		}
		if validated {
			if !errors.Is(fe, ErrInvalid) {
				t.Errorf("validation error of kind %v: %v", fe.Err, fe)
			}
			if err := modelPath(fe.Path); err != nil {
				t.Errorf("validation error at %q: %v: %v", fe.Path, err, fe)
			}
			continue
		}
		switch {
		case errors.Is(fe, ErrSyntax):
			// The document as a whole, or a key (duplicate, merge, not plain).
		case errors.Is(fe, ErrUnknownField):
			// The path ends in the unknown key, which may be anything, even
			// empty (`{""}`) or null (`~: 1`): then the message names it.
			if fe.Path == "" && !strings.Contains(fe.Msg, `unknown field ""`) && !strings.Contains(fe.Msg, "unknown field null") {
				t.Errorf("unknown field without a path: %v", fe)
			}
		case fe.Path == "" && !rootIsMapping(data):
			// The document is not a mapping: the whole of it is at fault.
		default:
			if err := modelPath(fe.Path); err != nil {
				t.Errorf("%v at %q: %v", fe.Err, fe.Path, err)
			}
		}
		if !errors.Is(fe, ErrSyntax) && (fe.Line < 1 || fe.Column < 1) {
			t.Errorf("decoding error without a position: %v", fe)
		}
	}
}

func rootIsMapping(data []byte) bool {
	var n yaml.Node
	if yaml.Unmarshal(data, &n) != nil || len(n.Content) == 0 {
		return false
	}
	root := n.Content[0]
	for root.Kind == yaml.AliasNode && root.Alias != nil {
		root = root.Alias
	}
	return root.Kind == yaml.MappingNode
}

var pathSegment = regexp.MustCompile(`^([A-Za-z]+)((?:\[\d+\])*)$`)

// modelPath reports whether path, such as "onlineTraining[1].formats[0]",
// names a field of the applicant model by its document keys, with indexes
// only on lists.
func modelPath(path string) error {
	if path == "" {
		return errors.New("no path")
	}
	t := reflect.TypeFor[Applicant]()
	for seg := range strings.SplitSeq(path, ".") {
		m := pathSegment.FindStringSubmatch(seg)
		if m == nil {
			return errors.New("malformed segment " + strconv.Quote(seg))
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return errors.New(strconv.Quote(seg) + " inside a " + t.Kind().String())
		}
		found := false
		for i := range t.NumField() {
			if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name == m[1] {
				t, found = t.Field(i).Type, true
				break
			}
		}
		if !found {
			return errors.New("no field " + strconv.Quote(m[1]))
		}
		for range strings.Count(m[2], "[") {
			if t.Kind() != reflect.Slice {
				return errors.New("index on " + strconv.Quote(m[1]) + ", which is not a list")
			}
			t = t.Elem()
		}
	}
	return nil
}

// FuzzEvaluate decodes a document and decides it on a date near 2026-11-23.
// Whatever the input, nothing panics; an applicant is either invalid (an
// *InputError naming model paths), refused a decision because the date
// lies before the rule set's effective date (ErrNotInForce), or decided;
// and a decided applicant gets the hand-written oracle's decision (see
// TestOracle; only once the rule files are at DOMAIN.md's revision 2, as
// the oracle is), renders as text and
// JSON, and is granted nothing short of every requirement met.
func FuzzEvaluate(f *testing.F) {
	fuzzSeeds(f, func(data []byte) { f.Add(data, int16(0)) })
	f.Add([]byte(applicantYAML(genApplicantNoLater(rand.New(rand.NewPCG(3, 4)), fuzzDate))), int16(-1000))
	f.Add([]byte("id: x\nregistrations: [{body: BACP, expires: 2026-11-22, verified: true}]\n"), int16(-1))
	f.Add([]byte("id: x\n"), int16(-3000)) // 2018: before the rule set is in force
	// Sections with and without their own flag, and a verified practice
	// with an unverified period.
	f.Add([]byte("id: x\nreferences: {safeOnlinePractice: true}\nportfolio: {caseStudyWords: 2600, verified: true}\n"), int16(0))
	f.Add([]byte("id: x\npractice: {onlineClientHours: 90, verified: true, log: [{clientHours: 3}]}\nacto: {professionalMemberSince: 2019-04-01}\n"), int16(0))
	f.Add([]byte("id: x\npractising: false\nallied: {role: trainer}\n"), int16(0))
	f.Add([]byte("id: x\nkind: organisation\norganisation: {offersCounselling: true}\n"), int16(0))
	e, err := actoDefault()
	if err != nil {
		f.Fatal(err)
	}
	againstOracle := rulesAtRevision2(e.RuleSet())
	f.Fuzz(func(t *testing.T, data []byte, day int16) {
		a, err := decodeApplicant("fuzz.yaml", data)
		if err != nil {
			return // FuzzApplicantInput's business
		}
		asOf := fuzzDate.AddDate(0, 0, int(day))
		d, err := e.Evaluate(context.Background(), a, AsOf(asOf))
		if err != nil {
			if d != nil {
				t.Fatal("a decision returned with an error")
			}
			if errors.Is(err, ErrNotInForce) {
				if !asOf.Before(e.RuleSet().Effective) {
					t.Fatalf("not in force as of %s: %v", asOf.Format(time.DateOnly), err)
				}
				return
			}
			checkInputError(t, data, err, true)
			return
		}
		want := oracleDecide(a, asOf)
		if diff := oracleDiff(d, &want); againstOracle && len(diff) > 0 {
			t.Fatalf("engine and oracle disagree (asOf %s); first difference: %s\nall:\n  %s",
				asOf.Format(time.DateOnly), diff[0], joinDiffs(diff))
		}
		for _, list := range [][]AwardResult{d.Levels(), d.Categories(), d.Courses()} {
			for _, aw := range list {
				for _, r := range aw.Requirements {
					if aw.Granted() && r.Status != Met {
						t.Fatalf("%s granted with %s %s", aw.ID, r.ID, r.Status)
					}
				}
			}
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatal(err)
		}
		_ = d.Text()
	})
}
