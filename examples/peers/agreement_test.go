package peers

import (
	"context"
	"fmt"
	"testing"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// engines are the four deciders, by name, built once per test.
type engines struct {
	expr  *ExprPolicy
	cel   *CELPolicy
	eligo *EligoPolicy
}

func newEngines(t testing.TB) engines {
	t.Helper()
	x, err := NewExprPolicy()
	require.NoError(t, err)
	c, err := NewCELPolicy()
	require.NoError(t, err)
	e, err := NewEligoPolicy()
	require.NoError(t, err)
	return engines{expr: x, cel: c, eligo: e}
}

// decideAll returns each engine's outcome for a, by engine name.
func (es engines) decideAll(t testing.TB, a *Applicant) map[string]Outcome {
	t.Helper()
	x, err := es.expr.Decide(a)
	require.NoError(t, err, "expr")
	c, err := es.cel.Decide(a)
	require.NoError(t, err, "cel-go")
	e, err := es.eligo.Decide(context.Background(), a)
	require.NoError(t, err, "eligo")
	return map[string]Outcome{"plain": DecidePlain(a), "expr": x, "cel-go": c, "eligo": e}
}

// TestAgreement: all four engines give every applicant of the seeded
// population the same level, courses and missing list, and the population
// reaches every level and course, so agreement is not agreement on a few
// easy cases.
func TestAgreement(t *testing.T) {
	es := newEngines(t)
	pop := Population(Seed, Size)
	require.Len(t, pop, Size)
	levels, courses := map[string]int{}, map[string]int{}
	for _, a := range pop {
		got := es.decideAll(t, a)
		want := got["plain"]
		for name, o := range got {
			if !assert.Equal(t, want, o, "%s: %s disagrees with plain Go", a.ID, name) {
				t.FailNow()
			}
		}
		levels[want.Level]++
		for _, c := range want.Courses {
			courses[c]++
		}
	}
	t.Logf("levels %v, courses %v", levels, courses)
	for _, l := range []string{Senior, Professional, Member, Associate, StudentLevel, None} {
		assert.Positive(t, levels[l], "no applicant of the population is %s", l)
	}
	for _, c := range []string{CourseGeneralCertificate, CourseDiploma, CourseProReal, CourseSupervision} {
		assert.Positive(t, courses[c], "no applicant of the population gets %s", c)
	}
}

// TestPopulationSeeded: the same seed gives the same applicants, another
// seed others, and the draws stay within the policy's ranges.
func TestPopulationSeeded(t *testing.T) {
	a, b := Population(Seed, 50), Population(Seed, 50)
	assert.Equal(t, a, b)
	assert.NotEqual(t, a, Population(Seed+1, 50))
	for _, p := range Population(Seed, Size) {
		require.NotNil(t, p.Qualifications, p.ID)
		require.NotNil(t, p.Trainings, p.ID)
		assert.LessOrEqual(t, len(p.Qualifications), 4)
		assert.LessOrEqual(t, len(p.Trainings), 6)
		assert.True(t, p.YearsQualified >= 0 && p.YearsQualified <= 15)
		assert.True(t, p.OnlineClientHours >= 0 && p.OnlineClientHours <= 400)
		for _, tr := range p.Trainings {
			assert.True(t, tr.CPDHours >= 0 && tr.CPDHours <= 400)
		}
	}
}

func approved(hours float64) Training {
	return Training{Provider: "OLT", Course: "Online Counselling", ApprovedProvider: true, CPDHours: hours, Completed: true}
}

// TestEdgeCases: hand-made applicants with hand-written outcomes, each
// engine against them: empty lists, values exactly on and just under each
// threshold, evidence that must not count.
func TestEdgeCases(t *testing.T) {
	es := newEngines(t)
	coreDiploma := []Qualification{{Level: "diploma", Field: "counselling"}}
	seniorOnThresholds := func() *Applicant {
		return &Applicant{ID: "senior-exact", YearsQualified: 3, OnlineClientHours: 250, OnlineSupervision: true,
			Qualifications: coreDiploma, Trainings: []Training{approved(300)}}
	}
	cases := []struct {
		why  string
		a    *Applicant
		want Outcome
	}{
		{"empty lists, every flag false: none, member's requirements missing",
			&Applicant{ID: "empty", Qualifications: []Qualification{}, Trainings: []Training{}},
			Outcome{Level: None, Missing: []string{ReqCoreQualified, ReqCPD20}}},
		{"every senior threshold exactly met",
			seniorOnThresholds(),
			Outcome{Level: Senior, Courses: []string{CourseDiploma, CourseGeneralCertificate, CourseSupervision}}},
		{"a training of 299.5 hours is no diploma: professional, senior's diploma missing",
			func() *Applicant { a := seniorOnThresholds(); a.Trainings[0].CPDHours = 299.5; return a }(),
			Outcome{Level: Professional, Courses: []string{CourseDiploma, CourseGeneralCertificate, CourseSupervision},
				Missing: []string{ReqApprovedDiploma}}},
		{"249.5 online hours and 2 years: professional, two senior requirements missing, no supervision diploma",
			func() *Applicant {
				a := seniorOnThresholds()
				a.OnlineClientHours, a.YearsQualified = 249.5, 2
				return a
			}(),
			Outcome{Level: Professional, Courses: []string{CourseDiploma, CourseGeneralCertificate},
				Missing: []string{ReqOnlineHours250, ReqYears3}}},
		{"professional exactly: 80 CPD hours over two trainings, 50 online hours",
			&Applicant{ID: "professional-exact", YearsQualified: 1, OnlineClientHours: 50, OnlineSupervision: true,
				Qualifications: coreDiploma, Trainings: []Training{approved(40), approved(40)}},
			Outcome{Level: Professional, Courses: []string{CourseDiploma, CourseGeneralCertificate},
				Missing: []string{ReqApprovedDiploma, ReqOnlineHours250, ReqYears3}}},
		{"member exactly: 20 CPD hours, 79.5 short of professional, 49.5 online hours, years 0",
			&Applicant{ID: "member-exact", OnlineClientHours: 49.5, Qualifications: coreDiploma,
				Trainings: []Training{approved(20)}},
			Outcome{Level: Member, Courses: []string{CourseGeneralCertificate},
				Missing: []string{ReqCPD80, ReqOnlineHours50, ReqOnlineSuper}}},
		{"19.5 CPD hours: allied, so associate, cpd-20 missing",
			&Applicant{ID: "cpd-short", AlliedProfessional: true, Student: true, Qualifications: coreDiploma,
				Trainings: []Training{approved(10), approved(9.5)}},
			Outcome{Level: Associate, Courses: []string{CourseGeneralCertificate}, Missing: []string{ReqCPD20}}},
		{"unapproved and incomplete trainings count for nothing",
			&Applicant{ID: "not-counted", YearsQualified: 5, Qualifications: coreDiploma,
				Trainings: []Training{
					{Provider: "X", Course: "C", ApprovedProvider: false, CPDHours: 400, Completed: true},
					{Provider: "OLT", Course: "C", ApprovedProvider: true, CPDHours: 400, Completed: false},
				}},
			Outcome{Level: None, Courses: []string{CourseDiploma, CourseGeneralCertificate}, Missing: []string{ReqCPD20}}},
		{"a student with no core qualification (a certificate, an other-field masters)",
			&Applicant{ID: "student", Student: true,
				Qualifications: []Qualification{{Level: "certificate", Field: "counselling"}, {Level: "masters", Field: "other"}},
				Trainings:      []Training{approved(400)}},
			Outcome{Level: StudentLevel, Missing: []string{ReqCoreQualified}}},
		{"a psychology masters: core and post-diploma, proreal; years 1 exactly opens the diploma",
			&Applicant{ID: "masters", YearsQualified: 1,
				Qualifications: []Qualification{{Level: "masters", Field: "psychology"}}, Trainings: []Training{}},
			Outcome{Level: None, Courses: []string{CourseDiploma, CourseGeneralCertificate, CourseProReal},
				Missing: []string{ReqCPD20}}},
	}
	for _, c := range cases {
		t.Run(c.a.ID, func(t *testing.T) {
			for name, got := range es.decideAll(t, c.a) {
				assert.Equal(t, c.want, got, "%s: %s", name, c.why)
			}
		})
	}
}

// TestEligoExplains: the eligo row decides with explanations; a failed
// requirement says why, so the benchmark measures decisions a caller could
// show.
func TestEligoExplains(t *testing.T) {
	es := newEngines(t)
	a := &Applicant{ID: "short", Qualifications: []Qualification{{Level: "diploma", Field: "counselling"}},
		Trainings: []Training{approved(12.5)}}
	d, err := es.eligo.Engine.Evaluate(context.Background(), a, eligibility.AsOf(EligoAsOf))
	require.NoError(t, err)
	r, ok := d.Requirement(ReqCPD20)
	require.True(t, ok)
	assert.Equal(t, eligibility.Unmet, r.Status)
	text := d.Text()
	assert.Contains(t, text, "12.5", "the observed hours are explained")
	assert.Contains(t, text, fmt.Sprint(7.5), "and the shortfall")
}
