package eligibility

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// day parses a YYYY-MM-DD date for test data.
func day(t testing.TB, s string) *time.Time {
	t.Helper()
	d, err := time.Parse(dateLayout, s)
	require.NoError(t, err)
	return &d
}

func ptr[T any](v T) *T { return &v }

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "applicants", name))
	require.NoError(t, err)
	return data
}

// fullApplicant is the DOMAIN.md §2 example as a Go value.
func fullApplicant(t testing.TB) *Applicant {
	return &Applicant{
		ID:         "app-0042",
		Kind:       "individual",
		Name:       "Jo Bloggs",
		Country:    "GB",
		Practising: ptr(true),
		Allied:     &Allied{Role: "trainer", Verified: true},
		Qualifications: []Qualification{{
			Title: "Diploma in Counselling", Level: "diploma", Field: "counselling",
			Delivery: "face-to-face", Awarded: day(t, "2015-07-01"), Verified: true,
		}},
		Registrations: []Registration{{Body: "BACP", Number: "123456", Expires: day(t, "2027-03-31"), Verified: true}},
		Insurance:     &Insurance{ProfessionalIndemnity: true, Expires: day(t, "2027-01-31"), Verified: true},
		OnlineTraining: []Course{{
			Provider: "olt", Course: "Diploma in Online Therapeutic Counselling", Level: "diploma",
			Hours: 300, Formats: []string{"video", "audio", "email", "chat"},
			TutorLed: true, SkillsAssessed: true, ReflectiveWork: true, Supervision: false,
			Enrolled: day(t, "2024-01-10"), Completed: day(t, "2024-07-01"), Verified: true,
		}},
		CPD:            []CPD{{Title: "Working with text-based clients", Hours: 6, Date: day(t, "2026-03-01"), Online: true, Verified: true}},
		Practice:       &Practice{OnlineClientHours: 120, OnlineSupervisees: 0, Verified: true},
		Supervision:    &Supervision{OnlineTrainedSupervisor: true, Verified: true},
		References:     &References{SafeOnlinePractice: true, Verified: true},
		Portfolio:      &Portfolio{CaseStudyWords: 2600, CaseStudyClients: 2, EssayWords: 1600, SupervisorReport: true, Verified: true},
		CoreNet:        &CoreNet{TrainingCompleted: true, TestPassed: day(t, "2026-05-01"), Verified: true},
		ACTO:           &ACTOMembership{ProfessionalMemberSince: day(t, "2019-04-01"), Verified: true},
		Organisation:   &Organisation{OffersCounselling: true, Verified: true},
		OfferedCourses: []Course{},
	}
}

// values returns a copy of a: the same values, without the document
// positions decoding recorded for a itself.
func values(a *Applicant) *Applicant {
	c := *a
	return &c
}

func TestDecodeApplicantFullExample(t *testing.T) {
	want := fullApplicant(t)
	for _, file := range []string{
		"full.yaml", // the DOMAIN.md §2 example verbatim, comments and all
		"full.json", // the same document in JSON: JSON must parse as YAML to the same value
	} {
		t.Run(file, func(t *testing.T) {
			got, err := decodeApplicant(file, readTestdata(t, file))
			require.NoError(t, err)
			require.NotNil(t, positionsAt(unsafe.Pointer(got)), "a decoded applicant knows where its values stand")
			assert.Equal(t, want, values(got))
		})
	}
}

// TestDecodeApplicantTestdata decodes every single-applicant file in testdata, so that a
// fixture added there cannot rot.
func TestDecodeApplicantTestdata(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "applicants", "*"))
	require.NoError(t, err)
	v, err := newApplicantValidator()
	require.NoError(t, err)
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for _, path := range files {
		if info, err := os.Stat(path); err != nil || info.IsDir() {
			continue
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			a, err := decodeApplicant(filepath.Base(path), readTestdata(t, filepath.Base(path)))
			require.NoError(t, err)
			assert.NoError(t, v.validate(a, asOf))
		})
	}
}

func TestDecodeApplicantPracticeLog(t *testing.T) {
	// The practice.log extension decodes like any other list, with open-ended periods.
	a, err := decodeApplicant("practice-log.yaml", readTestdata(t, "practice-log.yaml"))
	require.NoError(t, err)
	assert.Equal(t, &Practice{
		OnlineClientHours: 40.5,
		OnlineSupervisees: 1,
		Log: []PracticePeriod{
			{From: day(t, "2021-01-01"), To: day(t, "2021-12-31"), ClientHours: 150, SupervisionHours: 15.5, Supervised: true, Verified: true},
			{From: day(t, "2022-01-01"), ClientHours: 80, SupervisionHours: 8, Supervised: true, Online: true},
		},
	}, a.Practice)
}

func TestDecodeApplicantAbsentVersusEmpty(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		check func(t *testing.T, a *Applicant)
	}{
		{
			name: "an absent list is nil: unknown",
			doc:  "id: a",
			check: func(t *testing.T, a *Applicant) {
				assert.Nil(t, a.Qualifications)
				assert.Nil(t, a.OfferedCourses)
				assert.Nil(t, a.Insurance)
				assert.Nil(t, a.Practising)
			},
		},
		{
			name: "an empty list is non-nil: known to be none",
			doc:  "id: a\nqualifications: []\npractising: false",
			check: func(t *testing.T, a *Applicant) {
				assert.NotNil(t, a.Qualifications)
				assert.Empty(t, a.Qualifications)
				assert.Equal(t, ptr(false), a.Practising)
			},
		},
		{
			name: "an empty JSON array is non-nil too",
			doc:  `{"id": "a", "cpd": [], "onlineTraining": [{"formats": []}]}`,
			check: func(t *testing.T, a *Applicant) {
				assert.NotNil(t, a.CPD)
				require.Len(t, a.OnlineTraining, 1)
				assert.NotNil(t, a.OnlineTraining[0].Formats)
				assert.Nil(t, a.OnlineTraining[0].Completed, "no completion date: in progress")
			},
		},
		{
			name: "null and an empty YAML value mean absent",
			doc:  "id: a\nqualifications: null\ninsurance: ~\npractice:\npractising: null",
			check: func(t *testing.T, a *Applicant) {
				assert.Nil(t, a.Qualifications)
				assert.Nil(t, a.Insurance)
				assert.Nil(t, a.Practice)
				assert.Nil(t, a.Practising)
			},
		},
		{
			name: "an empty section is present, with zero values",
			doc:  "id: a\ninsurance: {}\nportfolio: {}",
			check: func(t *testing.T, a *Applicant) {
				assert.Equal(t, &Insurance{}, a.Insurance)
				assert.Equal(t, &Portfolio{}, a.Portfolio)
			},
		},
		{
			name: "null for a plain field leaves its zero value, as encoding/json does",
			doc:  "id: a\ncountry:\ninsurance: {verified: null}",
			check: func(t *testing.T, a *Applicant) {
				assert.Equal(t, "", a.Country)
				assert.Equal(t, &Insurance{}, a.Insurance)
			},
		},
		{
			name: "YAML aliases expand to what they name",
			doc:  "id: a\ninsurance: &ins {professionalIndemnity: true}\nqualifications:\n  - &q {title: T, level: diploma}\n  - *q",
			check: func(t *testing.T, a *Applicant) {
				assert.Equal(t, []Qualification{{Title: "T", Level: "diploma"}, {Title: "T", Level: "diploma"}}, a.Qualifications)
				assert.True(t, a.Insurance.ProfessionalIndemnity)
			},
		},
		{
			// Decimal only: 0x10 and 020 are refused (TestDecodeNumbersAreDecimal).
			name: "numbers in YAML's other decimal notations",
			doc:  "id: a\nportfolio: {essayWords: +16, caseStudyWords: 2600.0}\npractice: {onlineClientHours: 1e2}",
			check: func(t *testing.T, a *Applicant) {
				assert.Equal(t, &Portfolio{EssayWords: 16, CaseStudyWords: 2600}, a.Portfolio)
				assert.Equal(t, 100.0, a.Practice.OnlineClientHours)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := decodeApplicant("test.yaml", []byte(tt.doc))
			require.NoError(t, err)
			tt.check(t, a)
		})
	}
}

// decodeErrorCases are documents that must fail, with every error they must yield.
// FuzzDecodeApplicant uses their documents as seeds.
var decodeErrorCases = []struct {
	name string
	doc  string
	want []FieldError
}{
	{
		name: "unknown key in a list entry: path, position and a suggestion",
		doc:  "id: a\nonlineTraining:\n  - hours: 3\n  - hourz: 4\n",
		want: []FieldError{{Path: "onlineTraining[1].hourz", Line: 4, Column: 5, Err: ErrUnknownField, Msg: `unknown field "hourz"; did you mean "hours"?`}},
	},
	{
		name: "unknown key with nothing near it: no suggestion",
		doc:  "id: a\nfavouriteColour: blue\n",
		want: []FieldError{{Path: "favouriteColour", Line: 2, Column: 1, Err: ErrUnknownField, Msg: `unknown field "favouriteColour"`}},
	},
	{
		name: "snake_case and wrong case are suggested whatever the edit distance",
		doc:  "id: a\ninsurance: {professional_indemnity: true, Verified: true}\n",
		want: []FieldError{
			{Path: "insurance.professional_indemnity", Line: 2, Column: 13, Err: ErrUnknownField, Msg: `unknown field "professional_indemnity"; did you mean "professionalIndemnity"?`},
			{Path: "insurance.Verified", Line: 2, Column: 43, Err: ErrUnknownField, Msg: `unknown field "Verified"; did you mean "verified"?`},
		},
	},
	{
		name: "a date not written YYYY-MM-DD",
		doc:  "id: a\nqualifications:\n  - awarded: July 2015\n",
		want: []FieldError{{Path: "qualifications[0].awarded", Line: 3, Column: 14, Err: ErrType, Msg: `want a date YYYY-MM-DD, got "July 2015"`}},
	},
	{
		name: "a date that is not on the calendar, quoted as JSON writes it",
		doc:  `{"id": "a", "coreNet": {"testPassed": "2023-02-29"}}`,
		want: []FieldError{{Path: "coreNet.testPassed", Line: 1, Column: 39, Err: ErrType, Msg: `want a date YYYY-MM-DD, got "2023-02-29": not a calendar date`}},
	},
	{
		name: "a timestamp is not a date",
		doc:  "id: a\nacto: {professionalMemberSince: 2019-04-01T10:00:00Z}\n",
		want: []FieldError{{Path: "acto.professionalMemberSince", Line: 2, Column: 33, Err: ErrType, Msg: `want a date YYYY-MM-DD, got "2019-04-01T10:00:00Z"`}},
	},
	{
		name: "an unquoted number where text belongs: told to quote it",
		doc:  "id: a\nregistrations:\n  - number: 123456\n",
		want: []FieldError{{Path: "registrations[0].number", Line: 3, Column: 13, Err: ErrType, Msg: `want a string, got 123456 (quote it: "123456")`}},
	},
	{
		name: "YAML 1.1 yes is not a boolean",
		doc:  "id: a\nreferences: {safeOnlinePractice: yes}\n",
		want: []FieldError{{Path: "references.safeOnlinePractice", Line: 2, Column: 34, Err: ErrType, Msg: `want true or false, got "yes"`}},
	},
	{
		name: "a quoted number is text, not a number",
		doc:  `{"id": "a", "practice": {"onlineClientHours": "120"}}`,
		want: []FieldError{{Path: "practice.onlineClientHours", Line: 1, Column: 47, Err: ErrType, Msg: `want a number, got "120"`}},
	},
	{
		name: "numbers must be finite",
		doc:  "id: a\ncpd:\n  - hours: .nan\n  - hours: -.inf\n",
		want: []FieldError{
			{Path: "cpd[0].hours", Line: 3, Column: 12, Err: ErrType, Msg: `want a finite number, got .nan`},
			{Path: "cpd[1].hours", Line: 4, Column: 12, Err: ErrType, Msg: `want a finite number, got -.inf`},
		},
	},
	{
		name: "words and counts are whole numbers",
		doc:  "id: a\nportfolio: {essayWords: 1500.5}\n",
		want: []FieldError{{Path: "portfolio.essayWords", Line: 2, Column: 25, Err: ErrType, Msg: `want a whole number, got 1500.5`}},
	},
	{
		name: "a mapping where a list belongs",
		doc:  "id: a\nqualifications: {title: T}\n",
		want: []FieldError{{Path: "qualifications", Line: 2, Column: 17, Err: ErrType, Msg: `want a list, got a mapping`}},
	},
	{
		name: "a scalar where a section belongs",
		doc:  "id: a\ninsurance: true\n",
		want: []FieldError{{Path: "insurance", Line: 2, Column: 12, Err: ErrType, Msg: `want a mapping, got true`}},
	},
	{
		name: "a list where a string belongs, inside a list",
		doc:  "id: a\nonlineTraining: [{formats: [video, [audio]]}]\n",
		want: []FieldError{{Path: "onlineTraining[0].formats[1]", Line: 2, Column: 36, Err: ErrType, Msg: `want a string, got a list`}},
	},
	{
		name: "a null list entry is a mistake, not an empty entry",
		doc:  "id: a\ncpd: [{hours: 1}, null]\nonlineTraining: [{formats: [~]}]\n",
		want: []FieldError{
			{Path: "cpd[1]", Line: 2, Column: 19, Err: ErrType, Msg: `want a mapping, got null`},
			{Path: "onlineTraining[0].formats[0]", Line: 3, Column: 29, Err: ErrType, Msg: `want a string, got null`},
		},
	},
	{
		name: "duplicate key in YAML",
		doc:  "id: a\nkind: individual\nkind: organisation\n",
		want: []FieldError{{Path: "kind", Line: 3, Column: 1, Err: ErrSyntax, Msg: `duplicate key (first at 2:1)`}},
	},
	{
		name: "duplicate keys out of the fields' order, and in a list entry",
		doc:  "kind: individual\nid: a\nname: X\nkind: organisation\ncpd: [{hours: 1, title: x, hours: 2}]\nid: b\n",
		want: []FieldError{
			{Path: "kind", Line: 4, Column: 1, Err: ErrSyntax, Msg: `duplicate key (first at 1:1)`},
			{Path: "cpd[0].hours", Line: 5, Column: 28, Err: ErrSyntax, Msg: `duplicate key (first at 5:8)`},
			{Path: "id", Line: 6, Column: 1, Err: ErrSyntax, Msg: `duplicate key (first at 2:1)`},
		},
	},
	{
		name: "a duplicate unknown key",
		doc:  "id: a\nbogus: 1\nbogus: 2\n",
		want: []FieldError{
			{Path: "bogus", Line: 2, Column: 1, Err: ErrUnknownField, Msg: `unknown field "bogus"`},
			{Path: "bogus", Line: 3, Column: 1, Err: ErrSyntax, Msg: `duplicate key (first at 2:1)`},
		},
	},
	{
		name: "duplicate key in JSON, which the YAML parser accepts",
		doc:  `{"id": "a", "id": "b"}`,
		want: []FieldError{{Path: "id", Line: 1, Column: 13, Err: ErrSyntax, Msg: `duplicate key (first at 1:2)`}},
	},
	{
		name: "a second YAML document",
		doc:  "id: a\n---\nid: b\n",
		want: []FieldError{{Line: 2, Column: 1, Err: ErrSyntax, Msg: `a second YAML document starts here: a file holds one applicant`}},
	},
	{
		name: "empty input",
		doc:  "",
		want: []FieldError{{Line: 1, Column: 1, Err: ErrSyntax, Msg: `empty document: want an applicant`}},
	},
	{
		name: "only a comment is empty too",
		doc:  "# nothing here\n",
		want: []FieldError{{Line: 1, Column: 1, Err: ErrSyntax, Msg: `empty document: want an applicant`}},
	},
	{
		name: "a null document",
		doc:  "null\n",
		want: []FieldError{{Line: 1, Column: 1, Err: ErrType, Msg: `want an applicant (a mapping), got null`}},
	},
	{
		name: "a list of applicants is for DecodeApplicants",
		doc:  "- id: a\n",
		want: []FieldError{{Line: 1, Column: 1, Err: ErrType, Msg: `want a mapping, got a list`}},
	},
	{
		// The parser stops at the end (line 3), where the list's next
		// entry or its ']' should stand; it prints the line 0-based.
		name: "YAML syntax error: where the parser stopped",
		doc:  "id: a\nqualifications: [\n",
		want: []FieldError{{Line: 3, Column: 1, Err: ErrSyntax, Msg: `did not find expected node content`}},
	},
	{
		name: "JSON syntax error: position from encoding/json",
		doc:  "{\"id\": \"a\"\n \"kind\": \"individual\"}",
		want: []FieldError{{Line: 2, Column: 2, Err: ErrSyntax, Msg: `invalid character '"' after object key:value pair`}},
	},
	{
		name: "truncated JSON",
		doc:  `{"id": "a"`,
		want: []FieldError{{Line: 1, Column: 11, Err: ErrSyntax, Msg: `unexpected end of JSON input`}},
	},
	{
		name: "a control character: position found by scanning",
		doc:  "id: a\nname: \"\x01\"\n",
		want: []FieldError{{Line: 2, Column: 8, Err: ErrSyntax, Msg: `control characters are not allowed`}},
	},
	{
		name: "merge keys are refused rather than half-supported",
		doc:  "id: a\ninsurance:\n  <<: {verified: true}\n",
		want: []FieldError{{Path: "insurance", Line: 3, Column: 3, Err: ErrSyntax, Msg: `YAML merge keys (<<) are not supported: write the keys out`}},
	},
	{
		name: "every error is reported, in document order",
		doc:  "kind: individual\nqualifications:\n  - title: T\n    awarded: 2015\n    levle: diploma\ninsurance: [1]\nid: 7\n",
		want: []FieldError{
			{Path: "qualifications[0].awarded", Line: 4, Column: 14, Err: ErrType, Msg: `want a date YYYY-MM-DD, got 2015`},
			{Path: "qualifications[0].levle", Line: 5, Column: 5, Err: ErrUnknownField, Msg: `unknown field "levle"; did you mean "level"?`},
			{Path: "insurance", Line: 6, Column: 12, Err: ErrType, Msg: `want a mapping, got a list`},
			{Path: "id", Line: 7, Column: 5, Err: ErrType, Msg: `want a string, got 7 (quote it: "7")`},
		},
	},
}

func TestDecodeApplicantErrors(t *testing.T) {
	for _, tt := range decodeErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			a, err := decodeApplicant("test.yaml", []byte(tt.doc))
			assert.Nil(t, a)
			var inErr *InputError
			require.ErrorAs(t, err, &inErr)
			assert.Equal(t, "test.yaml", inErr.Source)
			got := make([]FieldError, len(inErr.Errors))
			for i, fe := range inErr.Errors {
				got[i] = *fe
			}
			assert.Equal(t, tt.want, got)
			for _, fe := range tt.want {
				assert.ErrorIs(t, err, fe.Err)
			}
		})
	}
}

func TestDecodeApplicantCapsErrors(t *testing.T) {
	// A document with 150 unknown keys reports the first 100 and counts the rest.
	var doc strings.Builder
	doc.WriteString("id: a\n")
	for i := range 150 {
		doc.WriteString("unknown")
		doc.WriteString(strings.Repeat("x", i))
		doc.WriteString(": 1\n")
	}
	_, err := decodeApplicant("many.yaml", []byte(doc.String()))
	var inErr *InputError
	require.ErrorAs(t, err, &inErr)
	assert.Len(t, inErr.Errors, 100)
	assert.Equal(t, 50, inErr.Dropped)
	assert.Equal(t, 2, inErr.Errors[0].Line, "the first error comes first")
	lines := strings.Split(err.Error(), "\n")
	assert.Len(t, lines, 101)
	assert.Equal(t, "many.yaml: and 50 more errors", lines[100])
}

func TestDecodeApplicantAliasBomb(t *testing.T) {
	// Aliases that expand a 12 KB document into millions of values stop with an error.
	var doc strings.Builder
	doc.WriteString("id: a\nonlineTraining:\n  - &c {formats: [video")
	doc.WriteString(strings.Repeat(", video", 1000))
	doc.WriteString("]}\n")
	doc.WriteString(strings.Repeat("  - *c\n", 1000))
	_, err := decodeApplicant("bomb.yaml", []byte(doc.String()))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrSyntax)
	assert.Contains(t, err.Error(), "document too large after expanding YAML aliases")
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{
			name: "everything known",
			err: &InputError{Source: "a.yaml", Errors: []*FieldError{
				{Path: "qualifications[0].awarded", Line: 12, Column: 14, Err: ErrType, Msg: `want a date YYYY-MM-DD, got "July 2015"`},
			}},
			want: `a.yaml:12:14: qualifications[0].awarded: want a date YYYY-MM-DD, got "July 2015"`,
		},
		{
			name: "no position, as in validation: source and path only",
			err:  &InputError{Source: "app-1", Errors: []*FieldError{{Path: "id", Err: ErrInvalid, Msg: "is required"}}},
			want: `app-1: id: is required`,
		},
		{
			name: "no column and no path, as in some YAML syntax errors; several lines; dropped",
			err: &InputError{Source: "b.yaml", Dropped: 3, Errors: []*FieldError{
				{Line: 3, Err: ErrSyntax, Msg: "did not find expected key"},
				{Path: "id", Line: 4, Column: 1, Err: ErrSyntax, Msg: "duplicate key (first at 1:1)"},
			}},
			want: "b.yaml:3: did not find expected key\nb.yaml:4:1: id: duplicate key (first at 1:1)\nb.yaml: and 3 more errors",
		},
		{
			name: "a FieldError alone has no source",
			err:  &FieldError{Path: "cpd[0].hours", Line: 2, Column: 5, Err: ErrType, Msg: "want a number"},
			want: `2:5: cpd[0].hours: want a number`,
		},
		{
			name: "an empty source",
			err:  &InputError{Errors: []*FieldError{{Path: "id", Err: ErrInvalid, Msg: "is required"}}},
			want: `id: is required`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
		})
	}
}

func TestErrorKindsAreReachable(t *testing.T) {
	_, err := decodeApplicant("x.yaml", []byte("id: a\nhourz: 1\n"))
	assert.ErrorIs(t, err, ErrUnknownField)
	assert.NotErrorIs(t, err, ErrType)
	var fe *FieldError
	require.ErrorAs(t, err, &fe, "errors.As reaches a FieldError inside the InputError")
	assert.Equal(t, "hourz", fe.Path)
}

func TestDecodeApplicants(t *testing.T) {
	t.Run("a list", func(t *testing.T) {
		as, err := decodeApplicants("list.yaml", readTestdata(t, "batches/list.yaml"))
		require.NoError(t, err)
		require.Len(t, as, 2)
		assert.Equal(t, "app-0201", as[0].ID)
		assert.Equal(t, "OLT4C", as[1].OfferedCourses[0].Provider)
	})
	t.Run("a stream of documents", func(t *testing.T) {
		as, err := decodeApplicants("stream.yaml", readTestdata(t, "batches/stream.yaml"))
		require.NoError(t, err)
		require.Len(t, as, 2)
		assert.Equal(t, "app-0302", as[1].ID)
		assert.Equal(t, day(t, "2015-02-01"), as[1].ACTO.ProfessionalMemberSince)
	})
	t.Run("a single applicant is a batch of one", func(t *testing.T) {
		as, err := decodeApplicants("full.json", readTestdata(t, "full.json"))
		require.NoError(t, err)
		require.Len(t, as, 1)
		assert.Equal(t, fullApplicant(t), values(as[0]))
	})
	t.Run("paths in a list start with the entry's index", func(t *testing.T) {
		_, err := decodeApplicants("list.json", []byte(`[{"id": "a"}, {"id": "b", "cpd": [{"hours": "x"}]}, null]`))
		var inErr *InputError
		require.ErrorAs(t, err, &inErr)
		assert.Equal(t, []string{"[1].cpd[0].hours", "[2]"}, []string{inErr.Errors[0].Path, inErr.Errors[1].Path})
	})
	t.Run("empty", func(t *testing.T) {
		_, err := decodeApplicants("none.yaml", nil)
		assert.ErrorIs(t, err, ErrSyntax)
	})
}

// FuzzDecodeApplicant checks that decoding never panics and that every error is an
// InputError of known kinds, positioned unless it is a syntax error.
func FuzzDecodeApplicant(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "applicants", "*"))
	require.NoError(f, err)
	for _, path := range files {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	for _, tt := range decodeErrorCases {
		f.Add([]byte(tt.doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := decodeApplicant("fuzz.yaml", data)
		if err == nil {
			require.NotNil(t, a)
			// A decoded applicant survives a JSON round trip, absent and empty lists
			// included, once time.Time's RFC 3339 dates are written back as dates.
			encoded, err := json.Marshal(a)
			require.NoError(t, err)
			encoded = rfc3339Midnight.ReplaceAll(encoded, []byte(`"$1"`))
			again, err := decodeApplicant("again.json", encoded)
			require.NoError(t, err, "%s", encoded)
			if !bytes.Contains(data, []byte("T00:00:00Z")) && !bytes.Contains(encoded, []byte(`\ufffd`)) && utf8.Valid(data) {
				assert.Equal(t, values(a), values(again))
			}
			return
		}
		assert.Nil(t, a)
		var inErr *InputError
		require.ErrorAs(t, err, &inErr)
		require.NotEmpty(t, inErr.Errors)
		assert.LessOrEqual(t, len(inErr.Errors), maxErrors)
		for _, fe := range inErr.Errors {
			require.True(t, errors.Is(fe, ErrUnknownField) || errors.Is(fe, ErrType) || errors.Is(fe, ErrSyntax), "kind %v", fe.Err)
			assert.NotEmpty(t, fe.Msg)
			if fe.Err != ErrSyntax {
				assert.Positive(t, fe.Line, "%v", fe)
				assert.Positive(t, fe.Column, "%v", fe)
			}
		}
	})
}

// rfc3339Midnight matches a date as encoding/json writes a time.Time.
var rfc3339Midnight = regexp.MustCompile(`"(\d{4}-\d{2}-\d{2})T00:00:00Z"`)

// A file named .json must be JSON: YAML's leniency (trailing commas, single
// quotes, comments, a second value) is a syntax error at the exact position.
func TestDecodeStrictJSON(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{`{"id": "x-1", "practising": true,}`, "a.json:1:34: invalid character '}' looking for beginning of object key string"},
		{`{'id': 'x-3'}`, `a.json:1:2: invalid character '\'' looking for beginning of object key string`},
		{"{\"id\": \"a-1\"}\n{\"id\": \"b-1\"}", "a.json:2:1: data after the JSON value"},
		{"{\"id\": \"a-1\"} # note", "a.json:1:15: data after the JSON value"},
		{"id: a-1\n", "a.json:1:1: invalid character 'i' looking for beginning of value"},
		{"", "a.json:1:1: empty document: want an applicant"},
		// JSON, but no document's.
		{"{\"id\": \"x-1\",\n \"name\": \"\\ud83d\"}", `a.json:2:11: an escaped UTF-16 surrogate (\ud83d) that is not half of a pair, so no character`},
		{"{\"id\": \"x-1\",\n \"name\": \"\\ude00\\ud83d\"}", `a.json:2:11: an escaped UTF-16 surrogate (\ude00) that is not half of a pair, so no character`},
		{"{\"id\": \"x-1\",\n \"name\": \"ab\xffc\"}", "a.json:2:13: invalid UTF-8"},
		{strings.Repeat("[", 1002) + strings.Repeat("]", 1002), "a.json:1:1002: nested more than 1000 deep"},
	}
	for _, c := range cases {
		_, err := decodeApplicant("a.json", []byte(c.in))
		var ie *InputError
		require.ErrorAs(t, err, &ie, "%q", c.in)
		require.Len(t, ie.Errors, 1, "%q", c.in)
		assert.ErrorIs(t, ie.Errors[0], ErrSyntax)
		assert.Equal(t, c.want, strings.SplitN(err.Error(), "\n", 2)[0], "%q", c.in)
	}
	// The same flow mapping is fine as YAML.
	_, err := decodeApplicant("a.yaml", []byte(`{'id': 'x-3'}`))
	require.NoError(t, err)
}

// Ids are unique in a batch: the second use is an error naming the first.
func TestDecodeApplicantsDuplicateID(t *testing.T) {
	for _, name := range []string{"b.yaml", "b.json"} {
		_, err := decodeApplicants(name, []byte(`[{"id": "a-1"}, {"id": "b-1"}, {"id": "a-1"}]`))
		var ie *InputError
		require.ErrorAs(t, err, &ie, name)
		require.Len(t, ie.Errors, 1)
		fe := ie.Errors[0]
		assert.Equal(t, "[2].id", fe.Path)
		assert.Equal(t, 1, fe.Line)
		assert.Equal(t, 39, fe.Column)
		assert.ErrorIs(t, fe, ErrInvalid)
		assert.Contains(t, fe.Error(), `duplicate applicant id "a-1": [0].id has it already`)
	}
}
