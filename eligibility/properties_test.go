package eligibility

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"time"

	"github.com/eligo-dev/eligo/rules/acto/actogen"
)

// Properties every decision must have, checked over generated applicants
// (genApplicant) and changes to them. Each property names the change that
// broke it and prints the applicant before and after.

// propSeed seeds the property tests' population, apart from TestOracle's.
const propSeed = 4

// propN is how many generated applicants each property visits.
const propN = 1500

// propCount is propN, or a fifth of it under -short or the race detector.
func propCount() int {
	if testing.Short() || raceDetector {
		return propN / 5
	}
	return propN
}

// cloneApplicant copies a deeply, so that a change to the copy leaves a alone.
func cloneApplicant(a *Applicant) *Applicant {
	c := *a
	c.Practising = clonePtr(a.Practising)
	c.Allied = clonePtr(a.Allied)
	c.Organisation = clonePtr(a.Organisation)
	c.Qualifications = slices.Clone(a.Qualifications)
	for i := range c.Qualifications {
		c.Qualifications[i].Awarded = clonePtr(c.Qualifications[i].Awarded)
	}
	c.Registrations = slices.Clone(a.Registrations)
	for i := range c.Registrations {
		c.Registrations[i].Expires = clonePtr(c.Registrations[i].Expires)
	}
	if a.Insurance != nil {
		ins := *a.Insurance
		ins.Expires = clonePtr(ins.Expires)
		c.Insurance = &ins
	}
	c.OnlineTraining = cloneCourses(a.OnlineTraining)
	c.OfferedCourses = cloneCourses(a.OfferedCourses)
	c.CPD = slices.Clone(a.CPD)
	for i := range c.CPD {
		c.CPD[i].Date = clonePtr(c.CPD[i].Date)
	}
	if a.Practice != nil {
		p := *a.Practice
		p.Log = slices.Clone(p.Log)
		for i := range p.Log {
			p.Log[i].From, p.Log[i].To = clonePtr(p.Log[i].From), clonePtr(p.Log[i].To)
		}
		c.Practice = &p
	}
	c.Supervision = clonePtr(a.Supervision)
	c.References = clonePtr(a.References)
	c.Portfolio = clonePtr(a.Portfolio)
	if a.CoreNet != nil {
		cn := *a.CoreNet
		cn.TestPassed = clonePtr(cn.TestPassed)
		c.CoreNet = &cn
	}
	if a.ACTO != nil {
		m := *a.ACTO
		m.ProfessionalMemberSince = clonePtr(m.ProfessionalMemberSince)
		c.ACTO = &m
	}
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneCourses(cs []Course) []Course {
	out := slices.Clone(cs)
	for i := range out {
		out[i].Formats = slices.Clone(out[i].Formats)
		out[i].Enrolled = clonePtr(out[i].Enrolled)
		out[i].Completed = clonePtr(out[i].Completed)
	}
	return out
}

// grants is what a decision grants: the level's place on the ladder (-1 for
// none), the categories and the courses.
type grants struct {
	level      int
	categories []string
	courses    []string
}

func grantsOf(d *Decision) grants {
	g := grants{level: -1, categories: d.GrantedCategories(), courses: d.GrantedCourses()}
	for i, l := range d.Levels() {
		if l.ID == d.Level {
			g.level = i
		}
	}
	return g
}

// covers reports whether g grants at least what h grants.
func (g grants) covers(h grants) bool {
	if g.level < h.level {
		return false
	}
	for _, c := range h.categories {
		if !slices.Contains(g.categories, c) {
			return false
		}
	}
	for _, c := range h.courses {
		if !slices.Contains(g.courses, c) {
			return false
		}
	}
	return true
}

// change is one way of changing an applicant; it reports false when it does
// not apply (nothing to verify, no section to delete).
type change struct {
	name  string
	apply func(a *Applicant, r *rand.Rand, asOf time.Time) bool
}

// appendVerifiedCopy appends to *list a verified copy of one of its entries,
// chosen by r; false when the list is empty.
func appendVerifiedCopy[T any](list *[]T, r *rand.Rand, verify func(*T)) bool {
	if len(*list) == 0 {
		return false
	}
	e := (*list)[r.IntN(len(*list))]
	verify(&e)
	*list = append(*list, e)
	return true
}

// evidenceChanges add evidence: none of them may take a grant away.
var evidenceChanges = []change{
	{"verify a claim", func(a *Applicant, r *rand.Rand, _ time.Time) bool {
		flags := verifiedFlags(a, false)
		if len(flags) == 0 {
			return false
		}
		*flags[r.IntN(len(flags))] = true
		return true
	}},
	{"add a verified copy of an entry", func(a *Applicant, r *rand.Rand, _ time.Time) bool {
		switch r.IntN(4) {
		case 0:
			return appendVerifiedCopy(&a.Qualifications, r, func(q *Qualification) { q.Verified = true })
		case 1:
			return appendVerifiedCopy(&a.Registrations, r, func(reg *Registration) { reg.Verified = true })
		case 2:
			return appendVerifiedCopy(&a.OnlineTraining, r, func(c *Course) { c.Verified = true })
		default:
			return appendVerifiedCopy(&a.CPD, r, func(c *CPD) { c.Verified = true })
		}
	}},
	{"add a new verified entry", func(a *Applicant, r *rand.Rand, asOf time.Time) bool {
		g := actogen.NewEntries(r, asOf)
		switch r.IntN(5) {
		case 0:
			a.Qualifications = append(a.Qualifications, g.Qualification())
		case 1:
			a.Registrations = append(a.Registrations, g.Registration())
		case 2:
			a.OnlineTraining = append(a.OnlineTraining, g.Course())
		case 3:
			a.CPD = append(a.CPD, g.CPD())
		case 4:
			a.OfferedCourses = append(a.OfferedCourses, g.Course())
		}
		return true
	}},
	{"add hours", func(a *Applicant, r *rand.Rand, _ time.Time) bool {
		more := []float64{0.5, 1, 20, 100}[r.IntN(4)]
		var hours []*float64
		for i := range a.OnlineTraining {
			hours = append(hours, &a.OnlineTraining[i].Hours)
		}
		for i := range a.OfferedCourses {
			hours = append(hours, &a.OfferedCourses[i].Hours)
		}
		for i := range a.CPD {
			hours = append(hours, &a.CPD[i].Hours)
		}
		if a.Practice != nil {
			hours = append(hours, &a.Practice.OnlineClientHours)
		}
		if len(hours) == 0 {
			return false
		}
		*hours[r.IntN(len(hours))] += more
		return true
	}},
	{"add words, clients or supervisees", func(a *Applicant, r *rand.Rand, _ time.Time) bool {
		var counts []*int
		if p := a.Portfolio; p != nil {
			counts = append(counts, &p.CaseStudyWords, &p.EssayWords, &p.CaseStudyClients)
		}
		if a.Practice != nil {
			counts = append(counts, &a.Practice.OnlineSupervisees)
		}
		if len(counts) == 0 {
			return false
		}
		*counts[r.IntN(len(counts))] += []int{1, 10, 1000}[r.IntN(3)]
		return true
	}},
	{"extend an expiry", func(a *Applicant, r *rand.Rand, _ time.Time) bool {
		var dates []*time.Time
		for i := range a.Registrations {
			if a.Registrations[i].Expires != nil {
				dates = append(dates, a.Registrations[i].Expires)
			}
		}
		if a.Insurance != nil && a.Insurance.Expires != nil {
			dates = append(dates, a.Insurance.Expires)
		}
		if len(dates) == 0 {
			return false
		}
		d := dates[r.IntN(len(dates))]
		*d = d.AddDate(0, 0, []int{1, 30, 400}[r.IntN(3)])
		return true
	}},
}

// weakeningChanges take evidence away: none of them may add a grant.
var weakeningChanges = []change{
	{"unverify a claim", func(a *Applicant, r *rand.Rand, _ time.Time) bool {
		flags := verifiedFlags(a, true)
		if len(flags) == 0 {
			return false
		}
		*flags[r.IntN(len(flags))] = false
		return true
	}},
	{"delete a section", func(a *Applicant, r *rand.Rand, _ time.Time) bool {
		sections := []func() bool{
			func() bool { ok := a.Qualifications != nil; a.Qualifications = nil; return ok },
			func() bool { ok := a.Registrations != nil; a.Registrations = nil; return ok },
			func() bool { ok := a.Insurance != nil; a.Insurance = nil; return ok },
			func() bool { ok := a.OnlineTraining != nil; a.OnlineTraining = nil; return ok },
			func() bool { ok := a.CPD != nil; a.CPD = nil; return ok },
			func() bool { ok := a.Practice != nil; a.Practice = nil; return ok },
			func() bool { ok := a.Supervision != nil; a.Supervision = nil; return ok },
			func() bool { ok := a.References != nil; a.References = nil; return ok },
			func() bool { ok := a.Portfolio != nil; a.Portfolio = nil; return ok },
			func() bool { ok := a.CoreNet != nil; a.CoreNet = nil; return ok },
			func() bool { ok := a.ACTO != nil; a.ACTO = nil; return ok },
			func() bool { ok := a.OfferedCourses != nil; a.OfferedCourses = nil; return ok },
			func() bool { ok := a.Practising != nil; a.Practising = nil; return ok },
			func() bool { ok := a.Allied != nil; a.Allied = nil; return ok },
			func() bool { ok := a.Organisation != nil; a.Organisation = nil; return ok },
		}
		return sections[r.IntN(len(sections))]()
	}},
	{"delete an entry", func(a *Applicant, r *rand.Rand, _ time.Time) bool {
		del := func(n int) (int, bool) {
			if n == 0 {
				return 0, false
			}
			return r.IntN(n), true
		}
		switch r.IntN(5) {
		case 0:
			if i, ok := del(len(a.Qualifications)); ok {
				a.Qualifications = slices.Delete(a.Qualifications, i, i+1)
				return true
			}
		case 1:
			if i, ok := del(len(a.Registrations)); ok {
				a.Registrations = slices.Delete(a.Registrations, i, i+1)
				return true
			}
		case 2:
			if i, ok := del(len(a.OnlineTraining)); ok {
				a.OnlineTraining = slices.Delete(a.OnlineTraining, i, i+1)
				return true
			}
		case 3:
			if i, ok := del(len(a.CPD)); ok {
				a.CPD = slices.Delete(a.CPD, i, i+1)
				return true
			}
		case 4:
			if i, ok := del(len(a.OfferedCourses)); ok {
				a.OfferedCourses = slices.Delete(a.OfferedCourses, i, i+1)
				return true
			}
		}
		return false
	}},
}

// verifiedFlags returns the verified flags of a's claims that are set to
// value.
func verifiedFlags(a *Applicant, value bool) []*bool {
	var out []*bool
	add := func(f *bool) {
		if *f == value {
			out = append(out, f)
		}
	}
	for i := range a.Qualifications {
		add(&a.Qualifications[i].Verified)
	}
	for i := range a.Registrations {
		add(&a.Registrations[i].Verified)
	}
	if a.Allied != nil {
		add(&a.Allied.Verified)
	}
	if a.Insurance != nil {
		add(&a.Insurance.Verified)
	}
	if a.Organisation != nil {
		add(&a.Organisation.Verified)
	}
	if a.Practice != nil {
		add(&a.Practice.Verified)
		for i := range a.Practice.Log {
			add(&a.Practice.Log[i].Verified)
		}
	}
	if a.Supervision != nil {
		add(&a.Supervision.Verified)
	}
	if a.References != nil {
		add(&a.References.Verified)
	}
	if a.Portfolio != nil {
		add(&a.Portfolio.Verified)
	}
	if a.CoreNet != nil {
		add(&a.CoreNet.Verified)
	}
	if a.ACTO != nil {
		add(&a.ACTO.Verified)
	}
	for i := range a.OnlineTraining {
		add(&a.OnlineTraining[i].Verified)
	}
	for i := range a.CPD {
		add(&a.CPD[i].Verified)
	}
	for i := range a.OfferedCourses {
		add(&a.OfferedCourses[i].Verified)
	}
	return out
}

// checkChanges applies each change, several times over, to propN generated
// applicants and calls ok with the grants before and after.
func checkChanges(t *testing.T, changes []change, ok func(before, after grants) bool, want string) {
	e := actoEngine(t)
	ctx := context.Background()
	applied := map[string]int{}
	n := propCount()
	for i := range n {
		a, asOf := oracleApplicantNoLater(propSeed, i)
		before, err := e.Evaluate(ctx, a, AsOf(asOf))
		if err != nil {
			t.Fatalf("applicant %d: %v", i, err)
		}
		r := rand.New(rand.NewPCG(propSeed, uint64(i)+1<<32))
		for _, ch := range changes {
			for range 3 {
				b := cloneApplicant(a)
				// Up to three changes of the same kind in a row.
				n := 0
				for range 1 + r.IntN(3) {
					if ch.apply(b, r, asOf) {
						n++
					}
				}
				if n == 0 {
					continue
				}
				applied[ch.name]++
				after, err := e.Evaluate(ctx, b, AsOf(asOf))
				if err != nil {
					t.Fatalf("applicant %d after %q: %v\n%s", i, ch.name, err, applicantYAML(b))
				}
				if g, h := grantsOf(before), grantsOf(after); !ok(g, h) {
					t.Fatalf("applicant %d (asOf %s): after %q %s\nbefore: level %q, categories %v, courses %v\n"+
						"after:  level %q, categories %v, courses %v\n--- before:\n%s--- after:\n%s",
						i, asOf.Format(time.DateOnly), ch.name, want,
						before.Level, g.categories, g.courses, after.Level, h.categories, h.courses,
						applicantYAML(a), applicantYAML(b))
				}
			}
		}
	}
	for _, ch := range changes {
		if applied[ch.name] < n/10 {
			t.Errorf("change %q applied only %d times", ch.name, applied[ch.name])
		}
	}
	t.Logf("changes applied: %v", applied)
}

// TestMonotonicity: more verified evidence, more hours or a later expiry
// never lowers the granted level nor takes away a granted category or course.
func TestMonotonicity(t *testing.T) {
	checkChanges(t, evidenceChanges, func(before, after grants) bool { return after.covers(before) },
		"a grant was taken away")
}

// TestFailClosed: turning a verified claim into an unverified one, deleting a
// section or deleting an entry never adds a grant.
func TestFailClosed(t *testing.T) {
	checkChanges(t, weakeningChanges, func(before, after grants) bool { return before.covers(after) },
		"a grant was added")
}

// TestDeterminism: the same applicant gets the same decision, byte for byte
// in JSON, from the same engine, from another engine, from a deep copy, and
// from the applicant written out as a document and read back.
func TestDeterminism(t *testing.T) {
	e1, e2 := actoEngine(t), actoEngine(t)
	ctx := context.Background()
	decide := func(e *EngineOf[Applicant], a *Applicant, asOf time.Time) []byte {
		t.Helper()
		d, err := e.Evaluate(ctx, a, AsOf(asOf))
		if err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for i := range propCount() {
		a, asOf := oracleApplicantNoLater(propSeed, i)
		want := decide(e1, a, asOf)
		doc, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		doc = rfc3339Midnight.ReplaceAll(doc, []byte(`"$1"`))
		reread, err := decodeApplicant("again.json", doc)
		if err != nil {
			t.Fatalf("applicant %d does not read back: %v\n%s", i, err, doc)
		}
		for what, got := range map[string][]byte{
			"the same engine again": decide(e1, a, asOf),
			"another engine":        decide(e2, a, asOf),
			"a deep copy":           decide(e1, cloneApplicant(a), asOf),
			"the document re-read":  decide(e2, reread, asOf),
			// The evaluation date is a day: the time of day is ignored.
			"a later time of day": decide(e1, a, asOf.Add(23*time.Hour+59*time.Minute)),
		} {
			if !bytes.Equal(got, want) {
				t.Fatalf("applicant %d: decision from %s differs\nwant %s\n got %s", i, what, want, got)
			}
		}
	}
}

// TestLadderConsistency: a granted Level 3 comes with Level 2 granted by the
// standard route and every Level 2 requirement met; any granted level,
// category or course has every requirement of its route met; and the decided
// level is the highest granted.
func TestLadderConsistency(t *testing.T) {
	e := actoEngine(t)
	ctx := context.Background()
	seniors, n := 0, 4*propCount()
	for i := range n {
		a, asOf := oracleApplicantNoLater(propSeed+1, i)
		d, err := e.Evaluate(ctx, a, AsOf(asOf))
		if err != nil {
			t.Fatal(err)
		}
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("applicant %d: %s\n%s", i, fmt.Sprintf(format, args...), applicantYAML(a))
		}
		highest := ""
		for _, l := range d.Levels() {
			if l.Granted() {
				highest = l.ID
			}
		}
		if d.Level != highest {
			fail("level %q, but the highest granted is %q", d.Level, highest)
		}
		for _, list := range [][]AwardResult{d.Levels(), d.Categories(), d.Courses()} {
			for _, aw := range list {
				if !aw.Granted() {
					continue
				}
				for _, r := range aw.Requirements {
					if r.Status != Met {
						fail("%s granted with requirement %s %s", aw.ID, r.ID, r.Status)
					}
				}
				if len(aw.Settle) > 0 {
					fail("%s granted with something to settle: %v", aw.ID, aw.Settle)
				}
			}
		}
		if d.Level != "senior" {
			continue
		}
		seniors++
		var professional AwardResult
		for _, l := range d.Levels() {
			if l.ID == "professional" {
				professional = l
			}
		}
		if !professional.Granted() || professional.Route != "standard" {
			fail("senior granted, professional %s by route %q", professional.Outcome, professional.Route)
		}
		for _, id := range []string{"individual", "core-training", "registered", "insured", "reference", "qualifying-course"} {
			if r, _ := d.Requirement(id); r.Status != Met {
				fail("senior granted with professional requirement %s %s", id, r.Status)
			}
		}
	}
	if seniors < n/100 {
		t.Errorf("only %d seniors among %d applicants: the property was hardly tested", seniors, n)
	}
	t.Logf("%d seniors", seniors)
}

// TestSettleFromExplanations: what settles an award that is neither granted
// nor refused is what its best route's requirements' explanations say, in
// the route's order: each unverified requirement's claims to verify, each
// unknown one's missing data (or the requirement, when its explanation
// names none), a judgement for each for review, then the panel's for a
// route under review. A decision finds them from its copy of the applicant
// when first asked; they must be those the applicant had, with evidence
// dated later left out.
func TestSettleFromExplanations(t *testing.T) {
	e := actoEngine(t)
	ctx := context.Background()
	settled := 0
	for i := range 2 * propCount() {
		a, asOf := oracleApplicant(propSeed+2, i)
		d, err := e.Evaluate(ctx, a, AsOf(asOf))
		if err != nil {
			t.Fatal(err)
		}
		for _, list := range [][]AwardResult{d.Levels(), d.Categories(), d.Courses()} {
			for _, aw := range list {
				if aw.Outcome == Granted || aw.Outcome == Refused {
					require.Empty(t, aw.Settle, "applicant %d: %s", i, aw.ID)
					continue
				}
				var want []Action
				for _, s := range aw.Requirements {
					r, _ := d.Requirement(s.ID)
					switch s.Status {
					case Unverified:
						want = append(want, r.Unverified...)
					case Unknown:
						for _, m := range r.Missing {
							want = append(want, Action{Kind: Supply, Requirement: s.ID, Item: m})
						}
						if len(r.Missing) == 0 {
							want = append(want, Action{Kind: Supply, Requirement: s.ID})
						}
					case Review:
						want = append(want, Action{Kind: Judge, Requirement: s.ID})
					}
				}
				got := aw.Settle
				if n := len(got); n == len(want)+1 && got[n-1].Kind == Judge {
					got = got[:n-1] // the panel's judgement of a route under review
				}
				if len(want) == 0 {
					require.Empty(t, got, "applicant %d: %s", i, aw.ID)
					continue
				}
				settled++
				require.Equal(t, want, got, "applicant %d: %s on %s\n%s", i, aw.ID, asOf.Format(time.DateOnly), applicantYAML(a))
			}
		}
	}
	if settled < propCount() {
		t.Errorf("only %d awards with something to settle: the property was hardly tested", settled)
	}
	t.Logf("%d awards with something to settle", settled)
}
