package eligibility

import (
	"math"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testAsOf = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func TestValidateAcceptsTheFullExample(t *testing.T) {
	v, err := newApplicantValidator()
	require.NoError(t, err)
	assert.NoError(t, v.validate(fullApplicant(t), testAsOf))
}

func TestValidate(t *testing.T) {
	type want struct{ path, msg string }
	tests := []struct {
		name   string
		modify func(t *testing.T, a *Applicant)
		want   []want
	}{
		{
			name:   "id is required",
			modify: func(t *testing.T, a *Applicant) { a.ID = "" },
			want:   []want{{"id", "is required"}},
		},
		{
			name:   "empty kind means individual and is accepted",
			modify: func(t *testing.T, a *Applicant) { a.Kind = "" },
		},
		{
			name:   "kind outside its enum",
			modify: func(t *testing.T, a *Applicant) { a.Kind = "person" },
			want:   []want{{"kind", `want one of individual, organisation, training-provider, got "person"`}},
		},
		{
			name:   "UK is not an ISO 3166-1 code; GB is",
			modify: func(t *testing.T, a *Applicant) { a.Country = "UK" },
			want:   []want{{"country", `want an ISO 3166-1 alpha-2 country code such as "GB", got "UK"`}},
		},
		{
			name:   "allied.role accepts empty and its listed roles only",
			modify: func(t *testing.T, a *Applicant) { a.Allied = &Allied{Role: "volunteer"} },
			want:   []want{{"allied.role", `want one of trainer, researcher, retired-therapist, allied-professional, got "volunteer"`}},
		},
		{
			name: "the enums inside list entries, with the entries' paths",
			modify: func(t *testing.T, a *Applicant) {
				a.Qualifications[0].Level = "phd"
				a.Qualifications[0].Field = "social work"
				a.Qualifications[0].Delivery = ""
				a.Registrations[0].Body = "GMC"
				a.OnlineTraining[0].Level = "masters"
				a.OnlineTraining[0].Formats[2] = "fax"
				a.OfferedCourses = []Course{{Level: "cpd", Formats: []string{"VIDEO"}}}
			},
			want: []want{
				{"qualifications[0].level", `want one of certificate, diploma, post-diploma, degree, masters, doctorate, got "phd"`},
				{"qualifications[0].field", `want one of counselling, psychotherapy, psychology, other, got "social work"`},
				{"qualifications[0].delivery", `want one of face-to-face, blended, online, distance, got ""`},
				{"registrations[0].body", `want one of BACP, UKCP, BPC, BPS, BABCP, NCS, other, got "GMC"`},
				{"onlineTraining[0].level", `want one of cpd, certificate, diploma, got "masters"`},
				{"onlineTraining[0].formats[2]", `want one of video, audio, email, chat, got "fax"`},
				{"offeredCourses[0].formats[0]", `want one of video, audio, email, chat, got "VIDEO"`},
			},
		},
		{
			name: "hours, words and counts are not negative; hours are finite",
			modify: func(t *testing.T, a *Applicant) {
				a.OnlineTraining = append(a.OnlineTraining, Course{Level: "cpd", Hours: -3})
				a.CPD[0].Hours = math.NaN()
				a.Practice.OnlineClientHours = math.Inf(1)
				a.Practice.OnlineSupervisees = -1
				a.Portfolio.CaseStudyWords = -2600
			},
			want: []want{
				{"onlineTraining[1].hours", "must be at least 0, got -3"},
				{"cpd[0].hours", "want a finite number, got NaN"},
				{"practice.onlineClientHours", "want a finite number, got +Inf"},
				{"practice.onlineSupervisees", "must be at least 0, got -1"},
				{"portfolio.caseStudyWords", "must be at least 0, got -2600"},
			},
		},
		{
			// ACTO's event dates are tagged eligo:"event" or eligo:"start":
			// the engine leaves a later one out rather than refuse the
			// applicant (see asof_test.go).
			name: "event dates after the evaluation date are no input error",
			modify: func(t *testing.T, a *Applicant) {
				a.Qualifications[0].Awarded = day(t, "2026-11-24")
				a.CPD[0].Date = day(t, "2027-01-01")
				a.CoreNet.TestPassed = day(t, "2027-01-01")
				a.ACTO.ProfessionalMemberSince = day(t, "2027-01-01")
				a.OnlineTraining[0].Completed = day(t, "2027-01-01")
			},
		},
		{
			name: "an event on the evaluation date itself is fine, and expiry dates may lie ahead",
			modify: func(t *testing.T, a *Applicant) {
				a.Qualifications[0].Awarded = day(t, "2026-11-23")
				a.Registrations[0].Expires = day(t, "2099-12-31")
				a.Insurance.Expires = day(t, "2099-12-31")
			},
		},
		{
			name: "a course completed before it began; enrolment in the future is no fault",
			modify: func(t *testing.T, a *Applicant) {
				a.OnlineTraining[0].Enrolled = day(t, "2024-08-01")
				a.OnlineTraining = append(a.OnlineTraining, Course{Level: "cpd", Enrolled: day(t, "2027-01-01")})
			},
			want: []want{
				{"onlineTraining[0].completed", "2024-07-01 is before enrolled 2024-08-01"},
			},
		},
		{
			name: "a practice period that ends before it begins; one that begins in the future is no fault",
			modify: func(t *testing.T, a *Applicant) {
				a.Practice.Log = []PracticePeriod{
					{From: day(t, "2022-01-01"), To: day(t, "2021-12-31")},
					{From: day(t, "2027-01-01"), SupervisionHours: -1},
				}
			},
			want: []want{
				{"practice.log[0].to", "2021-12-31 is before from 2022-01-01"},
				{"practice.log[1].supervisionHours", "must be at least 0, got -1"},
			},
		},
		{
			name: "dates built in Go must be dates: midnight UTC",
			modify: func(t *testing.T, a *Applicant) {
				a.Qualifications[0].Awarded = ptr(time.Date(2015, 7, 1, 9, 30, 0, 0, time.UTC))
			},
			want: []want{{"qualifications[0].awarded", "want a date (midnight UTC), got 2015-07-01T09:30:00Z"}},
		},
	}
	v, err := newApplicantValidator()
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := fullApplicant(t)
			tt.modify(t, a)
			err := v.validate(a, testAsOf)
			if len(tt.want) == 0 {
				assert.NoError(t, err)
				return
			}
			var inErr *InputError
			require.ErrorAs(t, err, &inErr)
			assert.Equal(t, a.ID, inErr.Source)
			var got []want
			for _, fe := range inErr.Errors {
				got = append(got, want{fe.Path, fe.Msg})
				assert.ErrorIs(t, fe, ErrInvalid)
				assert.Zero(t, fe.Line, "a Go value has no position")
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestValidateEvaluationDateIsADate(t *testing.T) {
	// not_after_as_of, the strict alternative to an event tag: an
	// evaluation date late on 2026-11-23 still treats an event on that date
	// as past, and the validator can be shared by concurrent validations
	// with different dates.
	v, err := newModelValidator(reflect.TypeFor[ownMember]())
	require.NoError(t, err)
	m := &ownMember{Ref: "m-1", Checked: day(t, "2026-11-23")}
	check := func(asOf time.Time) error { return v.check(m, unsafe.Pointer(m), asOf, false) }
	late := time.Date(2026, 11, 23, 23, 59, 0, 0, time.UTC)
	early := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	done := make(chan error)
	go func() { done <- check(early) }()
	assert.NoError(t, check(late))
	err = <-done
	assert.EqualError(t, err, "m-1: checked: 2026-11-23 is after the evaluation date 2026-11-22")
}

func TestValidateNilApplicant(t *testing.T) {
	v, err := newApplicantValidator()
	require.NoError(t, err)
	assert.ErrorIs(t, v.validate(nil, testAsOf), ErrInvalid)
}

func TestValidateCapsErrors(t *testing.T) {
	// Every failing field is reported, up to 100; the rest are counted.
	v, err := newApplicantValidator()
	require.NoError(t, err)
	a := &Applicant{ID: "many"}
	for range 120 {
		a.CPD = append(a.CPD, CPD{Hours: -1})
	}
	var inErr *InputError
	require.ErrorAs(t, v.validate(a, testAsOf), &inErr)
	assert.Len(t, inErr.Errors, 100)
	assert.Equal(t, 20, inErr.Dropped)
	assert.Equal(t, "cpd[99].hours", inErr.Errors[99].Path)
}

// TestValidationErrorsHavePositions: an applicant decoded from a document
// remembers where its values stand, so validation errors found later carry
// the line and column of the value (or, for a missing one, of its
// section), in single documents and batches alike; an applicant built in
// Go has none.
func TestValidationErrorsHavePositions(t *testing.T) {
	type pos struct {
		path      string
		line, col int
	}
	positions := func(err error) []pos {
		t.Helper()
		var in *InputError
		require.ErrorAs(t, err, &in)
		var out []pos
		for _, fe := range in.Errors {
			out = append(out, pos{fe.Path, fe.Line, fe.Column})
		}
		return out
	}
	av, err := newApplicantValidator()
	require.NoError(t, err)
	const doc = `id: app-1
kind: individual
qualifications:
  - title: Diploma
    level: diplomma
    field: counselling
    delivery: face-to-face
    awarded: 2016-07-15
insurance:
  professionalIndemnity: true
cpd:
  - {title: Ethics, hours: -1.5, date: 2026-04-01}
`
	a, err := decodeApplicant("a.yaml", []byte(doc))
	require.NoError(t, err)
	assert.Equal(t, []pos{
		{"qualifications[0].level", 5, 12},
		{"cpd[0].hours", 12, 28},
	}, positions(av.validate(a, testDate)))

	as, err := decodeApplicants("batch.yaml", []byte("- {id: a, kind: individual}\n- id: b\n  cpd:\n    - {title: T, hours: -2, date: 2026-01-01}\n"))
	require.NoError(t, err)
	assert.Equal(t, []pos{{"cpd[0].hours", 4, 25}}, positions(av.validate(as[1], testDate)))

	a = values(a) // a copy, as if built in Go: no positions
	for _, p := range positions(av.validate(a, testDate)) {
		assert.Zero(t, p.line, p.path)
	}
}

func TestDocPositionsFind(t *testing.T) {
	p := &docPositions{entries: []pathPos{{Path: "", Line: 1, Column: 1}, {Path: "insurance", Line: 9, Column: 3}, {Path: "qualifications", Line: 3, Column: 3},
		{Path: "qualifications[0]", Line: 4, Column: 5}, {Path: "qualifications[0].level", Line: 5, Column: 12}}}
	for _, tc := range []struct {
		path      string
		line, col int
		ok        bool
	}{
		{"qualifications[0].level", 5, 12, true},
		{"qualifications[0].awarded", 4, 5, true}, // missing: its entry
		{"qualifications[3]", 3, 3, true},         // missing: its list
		{"insurance.expires", 9, 3, true},
		{"id", 0, 0, false}, // missing at the top: no position
	} {
		line, col, ok := p.find(tc.path)
		assert.Equal(t, []any{tc.line, tc.col, tc.ok}, []any{line, col, ok}, tc.path)
	}
	_, _, ok := (*docPositions)(nil).find("id")
	assert.False(t, ok)
}
