package eligibility

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// laterApplicant is fullApplicant with evidence dated after 2026-11-23
// that would otherwise grant: a second qualifying course enrolled later,
// a CPD entry dated later worth 40 hours, a course completion, a CORE-Net
// test and an ACTO membership later; and an unverified CPD entry dated
// later, which must not be listed as a claim to verify.
func laterApplicant(t testing.TB) *Applicant {
	a := fullApplicant(t)
	a.OnlineTraining[0].Completed = day(t, "2027-01-15") // enrolled 2024-01-10: in progress
	a.OnlineTraining = append(a.OnlineTraining, Course{
		Provider: "olt", Course: "Later diploma", Level: "diploma", Hours: 300,
		Formats: []string{"video", "audio", "email", "chat"}, TutorLed: true, SkillsAssessed: true, ReflectiveWork: true,
		Enrolled: day(t, "2026-12-01"), Completed: day(t, "2026-12-20"), Verified: true,
	})
	a.CPD = append(a.CPD,
		CPD{Title: "Later summit", Hours: 40, Date: day(t, "2026-12-02"), Online: true, Verified: true},
		CPD{Title: "Later webinar", Hours: 40, Date: day(t, "2026-12-03"), Online: true})
	a.CoreNet.TestPassed = day(t, "2027-02-01")
	a.ACTO.ProfessionalMemberSince = day(t, "2026-11-24")
	a.Registrations[0].Expires = day(t, "2030-03-31") // an expiry ahead: kept
	return a
}

// TestLaterEvidenceLeftOut: evidence dated after the evaluation date is
// left out of both views, listed in the decision, and grants nothing; an
// expiry date ahead stands.
func TestLaterEvidenceLeftOut(t *testing.T) {
	e := actoEngine(t)
	a := laterApplicant(t)
	d, err := e.Evaluate(context.Background(), a, AsOf(asOfTestDate))
	require.NoError(t, err)
	want := []LeftOut{
		{Path: "onlineTraining[0]", Field: "completed", Date: Date{*day(t, "2027-01-15")}, Why: DatedLater},
		{Path: "onlineTraining[1]", Field: "enrolled", Date: Date{*day(t, "2026-12-01")}, Why: StartsLater},
		{Path: "cpd[1]", Field: "date", Date: Date{*day(t, "2026-12-02")}, Why: StartsLater},
		{Path: "cpd[2]", Field: "date", Date: Date{*day(t, "2026-12-03")}, Why: StartsLater},
		{Path: "coreNet", Field: "testPassed", Date: Date{*day(t, "2027-02-01")}, Why: DatedLater},
		{Path: "acto", Field: "professionalMemberSince", Date: Date{*day(t, "2026-11-24")}, Why: DatedLater},
	}
	assert.Equal(t, want, d.LeftOut)

	status := func(id string) Status {
		r, ok := d.Requirement(id)
		require.True(t, ok, id)
		return r.Status
	}
	// A later completion leaves the course in progress; the course
	// enrolled later is not listed at all.
	assert.Equal(t, Unmet, status("qualifying-course"))
	assert.Equal(t, Met, status("enrolled-online"))
	// The CPD window holds the 6 hours of 2026-03-01 alone: neither the
	// verified nor the unverified later entry counts, in either view.
	assert.Equal(t, Unmet, status("online-cpd"))
	r, _ := d.Requirement("online-cpd")
	assert.Empty(t, r.Unverified, "a left-out entry is no claim to verify")
	// A section's later date is as if absent.
	assert.Equal(t, Unknown, status("core-net-test"))
	assert.Equal(t, Unknown, status("former-professional"))
	// An expiry ahead is no event: the registration is current.
	assert.Equal(t, Met, status("registered"))
	assert.Equal(t, "student", d.Level, "enrolled in 2024, the course is in progress")
	for _, aw := range slices.Concat(d.Levels(), d.Categories(), d.Courses()) {
		for _, s := range aw.Settle {
			assert.NotContains(t, []string{"cpd[1]", "cpd[2]", "onlineTraining[1]"}, s.Item, "%s: %s", aw.ID, s)
		}
	}

	// The same applicant without the later evidence gets the same decision,
	// but for LeftOut.
	b := fullApplicant(t)
	b.OnlineTraining[0].Completed = nil
	b.CoreNet.TestPassed, b.ACTO.ProfessionalMemberSince = nil, nil
	b.Registrations[0].Expires = day(t, "2030-03-31")
	db, err := e.Evaluate(context.Background(), b, AsOf(asOfTestDate))
	require.NoError(t, err)
	assert.Empty(t, db.LeftOut)
	d.LeftOut = nil
	assert.Equal(t, mustJSON(t, db), mustJSON(t, d))
}

// TestLaterUnverifiedEntryNamedByItsPlace: a claim to verify after an
// entry left out is named by its place in the applicant.
func TestLaterUnverifiedEntryNamedByItsPlace(t *testing.T) {
	e := actoEngine(t)
	a := fullApplicant(t)
	a.OnlineTraining = []Course{} // its hours would count as CPD
	a.CPD = []CPD{
		{Title: "Later", Hours: 30, Date: day(t, "2026-12-01"), Online: true},
		{Title: "Earlier", Hours: 30, Date: day(t, "2026-10-01"), Online: true},
	}
	d, err := e.Evaluate(context.Background(), a, AsOf(asOfTestDate))
	require.NoError(t, err)
	r, _ := d.Requirement("online-cpd")
	require.Equal(t, Unverified, r.Status)
	require.Len(t, r.Unverified, 1)
	assert.Equal(t, "cpd[1]", r.Unverified[0].Item)
	assert.Equal(t, "Earlier", r.Unverified[0].Label)
}

// TestLaterEvidenceOnTheDateItself: an event on the evaluation date is
// evidence of that date, whatever the time of day asked for.
func TestLaterEvidenceOnTheDateItself(t *testing.T) {
	e := actoEngine(t)
	a := fullApplicant(t)
	a.CPD[0].Date = day(t, "2026-11-23")
	a.CoreNet.TestPassed = day(t, "2026-11-23")
	d, err := e.Evaluate(context.Background(), a, AsOf(time.Date(2026, 11, 23, 23, 59, 0, 0, time.UTC)))
	require.NoError(t, err)
	assert.Empty(t, d.LeftOut)
	d, err = e.Evaluate(context.Background(), a, AsOf(time.Date(2026, 11, 22, 23, 59, 0, 0, time.UTC)))
	require.NoError(t, err)
	assert.Equal(t, []string{"cpd[0] dated 2026-11-23, after the evaluation date",
		"coreNet.testPassed dated 2026-11-23, after the evaluation date"}, leftOutStrings(d))
}

// TestLaterEvidenceCallerUnchanged: Evaluate never changes the caller's
// applicant, left-out entries and nil'd dates included.
func TestLaterEvidenceCallerUnchanged(t *testing.T) {
	e := actoEngine(t)
	a := laterApplicant(t)
	before := mustJSON(t, a)
	lists := []any{a.OnlineTraining, a.CPD, a.Qualifications}
	coreNet, completed := a.CoreNet, a.OnlineTraining[0].Completed
	for range 3 {
		_, err := e.Evaluate(context.Background(), a, AsOf(asOfTestDate))
		require.NoError(t, err)
	}
	assert.Equal(t, before, mustJSON(t, a))
	assert.Equal(t, lists, []any{a.OnlineTraining, a.CPD, a.Qualifications}, "the same slices")
	assert.Same(t, coreNet, a.CoreNet)
	assert.Same(t, completed, a.OnlineTraining[0].Completed)
}

// TestLaterEvidenceLeftOutOwned: a decision's LeftOut is its own: later
// evaluations, which build their views in the same buffers, do not change it.
func TestLaterEvidenceLeftOutOwned(t *testing.T) {
	e := actoEngine(t)
	d, err := e.Evaluate(context.Background(), laterApplicant(t), AsOf(asOfTestDate))
	require.NoError(t, err)
	want := slices.Clone(d.LeftOut)
	wantJSON := mustJSON(t, d)
	other := fullApplicant(t)
	other.CPD = []CPD{{Title: "x", Hours: 1, Date: day(t, "2027-06-01")}, {Title: "y", Hours: 1, Date: day(t, "2027-06-02")}}
	other.Qualifications[0].Awarded = day(t, "2028-01-01")
	for range 20 {
		d2, err := e.Evaluate(context.Background(), other, AsOf(asOfTestDate))
		require.NoError(t, err)
		require.NotEmpty(t, d2.LeftOut)
	}
	assert.Equal(t, want, d.LeftOut)
	assert.Equal(t, wantJSON, mustJSON(t, d))
}

// TestLaterEvidenceDeclaredLikeGoType: ACTO's declared model, whose dates
// say event: true and event: start, decides the later evidence as the Go
// type with its eligo tags does, in JSON and text.
func TestLaterEvidenceDeclaredLikeGoType(t *testing.T) {
	declared, err := Default()
	require.NoError(t, err)
	a := laterApplicant(t)
	doc, err := declared.Decode("a.json", []byte(mustJSON(t, a)))
	require.NoError(t, err)
	gd, err := actoEngine(t).Evaluate(context.Background(), a, AsOf(asOfTestDate))
	require.NoError(t, err)
	dd, err := declared.Evaluate(context.Background(), doc, AsOf(asOfTestDate))
	require.NoError(t, err)
	require.Len(t, dd.LeftOut, 6)
	assert.Equal(t, mustJSON(t, gd), mustJSON(t, dd))
	assert.Equal(t, gd.Text(), dd.Text())
}

func TestLeftOutJSONAndText(t *testing.T) {
	e := actoEngine(t)
	a := fullApplicant(t)
	d, err := e.Evaluate(context.Background(), a, AsOf(asOfTestDate))
	require.NoError(t, err)
	assert.NotContains(t, mustJSON(t, d), "leftOut", "omitted when empty")
	assert.NotContains(t, d.Text(), "Left out")

	a.CPD = append(a.CPD, CPD{Title: "Later", Hours: 3, Date: day(t, "2026-12-02"), Verified: true})
	a.Qualifications[0].Awarded = day(t, "2027-07-01")
	d, err = e.Evaluate(context.Background(), a, AsOf(asOfTestDate))
	require.NoError(t, err)
	js := mustJSON(t, d)
	assert.Contains(t, js, `"asOf":"2026-11-23","leftOut":[`+
		`{"path":"qualifications[0]","field":"awarded","date":"2027-07-01","why":"dated-later"},`+
		`{"path":"cpd[1]","field":"date","date":"2026-12-02","why":"starts-later"}],"level":`)
	text := d.Text()
	assert.Contains(t, text, "\nLeft out: qualifications[0].awarded dated 2027-07-01, after the evaluation date\n")
	assert.Contains(t, text, "\nLeft out: cpd[1] dated 2026-12-02, after the evaluation date\n")
}

// TestLaterEvidenceNeverGrants: adding evidence dated after the evaluation
// date to generated applicants (a qualifying course enrolled later, CPD
// dated later, later completions, awards, tests and memberships where
// there were none) changes nothing in their decisions but LeftOut.
func TestLaterEvidenceNeverGrants(t *testing.T) {
	e := actoEngine(t)
	r := rand.New(rand.NewPCG(7, 11))
	ctx := context.Background()
	n := 300
	if raceEnabled {
		n = 30
	}
	for i := range n {
		a := genApplicantNoLater(r, asOfTestDate)
		d, err := e.Evaluate(ctx, a, AsOf(asOfTestDate))
		require.NoError(t, err)
		require.Empty(t, d.LeftOut, "the applicant has no later evidence yet")
		want := mustJSON(t, d)

		later := func(days int) *time.Time { t := asOfTestDate.AddDate(0, 0, 1+r.IntN(days)); return &t }
		b := *a
		b.OnlineTraining = slices.Clone(a.OnlineTraining)
		for k := range b.OnlineTraining {
			if b.OnlineTraining[k].Completed == nil {
				b.OnlineTraining[k].Completed = later(400)
			}
		}
		// Entries are added to lists given, at their ends: a list given
		// with only later entries is known to hold none, no longer unknown.
		if a.OnlineTraining != nil {
			b.OnlineTraining = append(b.OnlineTraining, Course{Provider: "olt", Course: "Later", Level: "diploma", Hours: 300,
				Formats: []string{"video", "audio", "email", "chat"}, TutorLed: true, SkillsAssessed: true, ReflectiveWork: true,
				Supervision: true, Enrolled: later(30), Verified: r.IntN(2) == 0})
		}
		if a.CPD != nil {
			b.CPD = append(slices.Clone(a.CPD), CPD{Title: "Later", Hours: 100, Date: later(30), Online: true, Verified: true})
		}
		b.Qualifications = slices.Clone(a.Qualifications)
		for k := range b.Qualifications {
			if b.Qualifications[k].Awarded == nil {
				b.Qualifications[k].Awarded = later(400)
			}
		}
		if a.CoreNet != nil && a.CoreNet.TestPassed == nil {
			c := *a.CoreNet
			c.TestPassed = later(10)
			b.CoreNet = &c
		}
		if a.ACTO != nil && a.ACTO.ProfessionalMemberSince == nil {
			m := *a.ACTO
			m.ProfessionalMemberSince = later(10)
			b.ACTO = &m
		}
		db, err := e.Evaluate(ctx, &b, AsOf(asOfTestDate))
		require.NoError(t, err)
		db.LeftOut = nil
		if got := mustJSON(t, db); got != want {
			t.Fatalf("applicant %d: later evidence changed the decision\nwithout: %s\n   with: %s\napplicant: %s", i, want, got, applicantYAML(&b))
		}
	}
}

// TestEntryPathsInTheApplicant: the entry an explanation names is named by
// its place in the applicant, whatever the as-of and the verified view
// left out before it.
func TestEntryPathsInTheApplicant(t *testing.T) {
	e := actoEngine(t)
	good := fullApplicant(t).OnlineTraining[0] // a verified qualifying course
	weak := good
	weak.Hours, weak.Verified, weak.Course = 1, false, "Weak"
	later := good
	later.Enrolled, later.Completed, later.Course = day(t, "2027-01-01"), nil, "Later"
	closest := func(a *Applicant, req string) (Status, string) {
		t.Helper()
		d, err := e.Evaluate(context.Background(), a, AsOf(asOfTestDate))
		require.NoError(t, err)
		r, _ := d.Requirement(req)
		require.NotNil(t, r.Clauses[0].Closest, req)
		return r.Status, r.Clauses[0].Closest.Path
	}
	for _, c := range []struct {
		name    string
		courses []Course
		status  Status
		path    string
	}{
		{"after an unverified entry", []Course{weak, good}, Met, "onlineTraining[1]"},
		{"after an entry left out", []Course{later, good}, Met, "onlineTraining[1]"},
		{"after both", []Course{later, weak, good}, Met, "onlineTraining[2]"},
		{"after both, the other way round", []Course{weak, later, good}, Met, "onlineTraining[2]"},
		{"the closest of a failed any()", []Course{later, weak}, Unmet, "onlineTraining[1]"},
	} {
		a := fullApplicant(t)
		a.OnlineTraining = c.courses
		status, path := closest(a, "qualifying-course")
		assert.Equal(t, c.status, status, c.name)
		assert.Equal(t, c.path, path, c.name)
	}
}
