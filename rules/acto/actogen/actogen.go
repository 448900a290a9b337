// Package actogen generates ACTO applicants, seeded and reproducible, for
// examples, benchmarks and load tests of whole memberships: impact runs of
// a rule change (package eligibility/impact), throughput and memory
// figures. It is a port of the population the eligibility package's own
// differential tests draw from, which aims at the edges of the ACTO rules:
// thresholds hit exactly and either side (course hours, CPD hours, words,
// clients), dates around the evaluation date, unverified claims, absent
// sections and empty lists, every kind of applicant, and a fair share of
// applicants aiming at the upper levels.
//
// Every applicant it makes is valid on the evaluation date it is made for
// (some hold evidence dated after it, which the engine leaves out).
package actogen

import (
	"encoding/json"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/rules/acto"
)

type (
	Applicant      = acto.Applicant
	Allied         = acto.Allied
	Organisation   = acto.Organisation
	Qualification  = acto.Qualification
	Registration   = acto.Registration
	Insurance      = acto.Insurance
	Course         = acto.Course
	CPD            = acto.CPD
	Practice       = acto.Practice
	Supervision    = acto.Supervision
	References     = acto.References
	Portfolio      = acto.Portfolio
	CoreNet        = acto.CoreNet
	ACTOMembership = acto.ACTOMembership
)

const (
	KindIndividual       = acto.KindIndividual
	KindOrganisation     = acto.KindOrganisation
	KindTrainingProvider = acto.KindTrainingProvider
)

// Applicants yields n applicants for the evaluation date asOf, the same
// ones for the same seed, n and date. Applicant i's id is "gen-" and i in
// eight hex digits, so ids are unique. Each applicant is a fresh value,
// the caller's.
func Applicants(seed uint64, n int, asOf time.Time) iter.Seq[*acto.Applicant] {
	return func(yield func(*acto.Applicant) bool) {
		r := rand.New(rand.NewPCG(seed, 0x61637430))
		for i := range n {
			a := Generate(r, asOf)
			a.ID = fmt.Sprintf("gen-%08x", i)
			if !yield(a) {
				return
			}
		}
	}
}

// Documents yields Applicants' applicants as JSON applicant documents,
// each with a file name ("gen-00000000.json", ...) that names the
// applicant and says the format, as eligibility's Decode takes them.
func Documents(seed uint64, n int, asOf time.Time) iter.Seq2[string, []byte] {
	return func(yield func(string, []byte) bool) {
		for a := range Applicants(seed, n, asOf) {
			data, err := json.Marshal(a)
			if err != nil {
				panic("actogen: " + err.Error()) // an acto.Applicant always marshals
			}
			if !yield(a.ID+".json", data) {
				return
			}
		}
	}
}

// Generate makes one random valid applicant for the evaluation date asOf,
// reproducibly from r: the same r state gives the same applicant, with an
// id of its own (Applicants numbers them instead). Its evidence aims at
// the edges of the ACTO rules (thresholds hit exactly and either side,
// date windows' first days, 29 February, unverified and absent sections,
// evidence dated after asOf) rather than at typical applicants.
func Generate(r *rand.Rand, asOf time.Time) *Applicant {
	y, m, d := asOf.Date()
	g := &applicantGen{r: r, asOf: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	// quality is how likely each piece of evidence is good: a population of
	// mostly weak applicants never reaches Level 3.
	g.quality = []float64{0.35, 0.7, 0.9, 0.97}[r.IntN(4)]
	g.verified = []float64{0.5, 0.85, 1}[r.IntN(3)]
	// Most applicants have nothing dated after asOf; the others have a
	// fair share of it.
	g.later = []float64{0, 0, 0, 0.15}[r.IntN(4)]
	return g.applicant()
}

// Entries makes single entries of good, verified evidence dated on or
// before its evaluation date, for tests that add evidence to an
// applicant; each from the same kinds of edge Generate aims at.
type Entries struct{ g applicantGen }

// NewEntries returns Entries drawing from r for the evaluation date asOf.
func NewEntries(r *rand.Rand, asOf time.Time) *Entries {
	y, m, d := asOf.Date()
	return &Entries{applicantGen{r: r, asOf: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), quality: 0.9, verified: 1}}
}

// Qualification returns a new qualification entry.
func (e *Entries) Qualification() acto.Qualification { return e.g.qualification() }

// Registration returns a new registration entry.
func (e *Entries) Registration() acto.Registration { return e.g.registration() }

// Course returns a new course entry, as taken or offered.
func (e *Entries) Course() acto.Course { return e.g.course() }

// CPD returns a new CPD entry.
func (e *Entries) CPD() acto.CPD { return e.g.cpd() }

type applicantGen struct {
	r        *rand.Rand
	asOf     time.Time
	quality  float64 // chance that a piece of evidence is good
	verified float64 // chance that a claim is verified
	later    float64 // chance that an event is dated after asOf
}

func (g *applicantGen) chance(p float64) bool { return g.r.Float64() < p }
func (g *applicantGen) good() bool            { return g.chance(g.quality) }
func (g *applicantGen) isVerified() bool      { return g.chance(g.verified) }

func genPick[T any](g *applicantGen, xs ...T) T { return xs[g.r.IntN(len(xs))] }

func (g *applicantGen) date(t time.Time) *time.Time { return &t }

// edge returns t, or a day either side of it.
func (g *applicantGen) edge(t time.Time) time.Time { return t.AddDate(0, 0, g.r.IntN(3)-1) }

// past returns an event date, never after the evaluation date: often on an
// edge the rules care about, otherwise some time in the last ten years.
func (g *applicantGen) past() time.Time {
	var t time.Time
	switch g.r.IntN(9) {
	case 0:
		t = g.edge(g.asOf)
	case 1:
		t = g.edge(genYearsBefore(g.asOf, 1)) // experienced
	case 2:
		t = g.edge(genMonthsBefore(g.asOf, 36)) // the CPD window's first day
	case 3:
		t = g.edge(genYearsBefore(g.asOf, 3)) // retired member
	case 4:
		t = g.leapDay()
	default:
		t = g.asOf.AddDate(0, 0, -g.r.IntN(10*366))
	}
	if t.After(g.asOf) {
		t = g.asOf
	}
	return t
}

// leapDay returns a 29 February before the evaluation date, often a whole
// number of years before it give or take a day (DOMAIN §4: from 2024-02-29 a
// year is complete on 2025-02-28).
func (g *applicantGen) leapDay() time.Time {
	y := g.asOf.Year()
	if g.asOf.Month() < time.March {
		y--
	}
	for y%4 != 0 || (y%100 == 0 && y%400 != 0) {
		y--
	}
	y -= 4 * g.r.IntN(3)
	return time.Date(y, time.February, 29, 0, 0, 0, 0, time.UTC)
}

// eventDate returns an event's date: usually past(), and with the
// generator's chance of later evidence a date after the evaluation date
// (the next day, or up to two years on).
func (g *applicantGen) eventDate() time.Time {
	if g.chance(g.later) {
		return g.future()
	}
	return g.past()
}

func (g *applicantGen) future() time.Time {
	if g.chance(0.5) {
		return g.asOf.AddDate(0, 0, 1)
	}
	return g.asOf.AddDate(0, 0, 2+g.r.IntN(730))
}

// genMonthsBefore is the date n calendar months before t, on the same day
// number or the month's last day where that month is shorter.
func genMonthsBefore(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month()-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, min(t.Day(), first.AddDate(0, 1, -1).Day())-1)
}

// genYearsBefore is genMonthsBefore(t, 12*n): from 29 February, 28 February.
func genYearsBefore(t time.Time, n int) time.Time { return genMonthsBefore(t, 12*n) }

// expiry returns an expiry date: around the evaluation date, or well before
// or after it.
func (g *applicantGen) expiry() *time.Time {
	switch g.r.IntN(10) {
	case 0:
		return nil
	case 1, 2, 3:
		return g.date(g.edge(g.asOf))
	case 4:
		return g.date(g.asOf.AddDate(0, 0, -g.r.IntN(1000)-2))
	}
	if g.good() {
		return g.date(g.asOf.AddDate(0, 0, g.r.IntN(1000)+2))
	}
	return g.date(g.asOf.AddDate(0, 0, -g.r.IntN(1000)-2))
}

func (g *applicantGen) applicant() *Applicant {
	a := &Applicant{
		ID:      fmt.Sprintf("gen-%08x", g.r.Uint32()),
		Name:    "Generated Applicant",
		Country: genPick(g, "", "GB", "GB", "IE"),
	}
	switch n := g.r.IntN(20); {
	case n < 2:
		return g.organisation(a)
	case n < 4:
		return g.trainingProvider(a)
	case n < 6:
		a.Kind = KindIndividual
	}
	if !g.chance(0.1) {
		p := !g.chance(0.15)
		a.Practising = &p
	}
	if g.chance(0.15) {
		a.Allied = &Allied{Role: genPick(g, "", "trainer", "researcher", "retired-therapist", "allied-professional"),
			Verified: g.isVerified()}
	}
	a.Qualifications = genList(g, 3, g.qualification)
	a.Registrations = genList(g, 2, g.registration)
	if !g.chance(0.12) {
		a.Insurance = &Insurance{ProfessionalIndemnity: g.good(), Expires: g.expiry(), Verified: g.isVerified()}
	}
	a.OnlineTraining = genList(g, 3, g.course)
	a.CPD = genList(g, 4, g.cpd)
	if !g.chance(0.15) {
		a.Practice = &Practice{
			OnlineClientHours: genPick(g, 0, 40, 60, 79, 79.5, 80, 80.5, 120, g.r.Float64()*200),
			OnlineSupervisees: genPick(g, 0, 0, 1, 1, 2),
			Verified:          g.isVerified(),
		}
	}
	if !g.chance(0.15) {
		a.Supervision = &Supervision{OnlineTrainedSupervisor: g.good(), Verified: g.isVerified()}
	}
	if !g.chance(0.12) {
		a.References = &References{SafeOnlinePractice: g.good(), Verified: g.isVerified()}
	}
	if !g.chance(0.2) {
		a.Portfolio = &Portfolio{
			CaseStudyWords:   genPick(g, 0, 1200, 2499, 2500, 2501, 3000),
			CaseStudyClients: genPick(g, 0, 1, 2, 3),
			EssayWords:       genPick(g, 0, 1499, 1500, 1501, 2000),
			SupervisorReport: g.good(),
			Verified:         g.isVerified(),
		}
	}
	if g.chance(0.5) {
		cn := &CoreNet{TrainingCompleted: g.good(), Verified: g.isVerified()}
		if g.chance(0.7) {
			cn.TestPassed = g.date(g.eventDate())
		}
		a.CoreNet = cn
	}
	if g.chance(0.3) {
		m := &ACTOMembership{Verified: g.isVerified()}
		if g.chance(0.9) {
			m.ProfessionalMemberSince = g.date(g.eventDate())
		}
		a.ACTO = m
	}
	if g.chance(0.3) {
		g.aimHigh(a)
	}
	return a
}

// aimHigh gives an applicant most of what Level 3 takes, each piece with a
// fair chance of being missing, unverified or on a threshold, so that the
// upper levels are reached often enough to be tested.
func (g *applicantGen) aimHigh(a *Applicant) {
	if g.chance(0.9) {
		q := Qualification{Title: "Diploma", Level: genPick(g, "diploma", "masters", "post-diploma"),
			Field: genPick(g, "counselling", "psychotherapy"), Delivery: "face-to-face", Verified: g.isVerified()}
		q.Awarded = g.date(genPick(g, g.asOf.AddDate(-6, 0, 0), g.edge(genYearsBefore(g.asOf, 1)), g.leapDay()))
		if g.chance(g.later) {
			q.Awarded = g.date(g.future())
		}
		a.Qualifications = append(a.Qualifications, q)
	}
	if g.chance(0.9) {
		exp := genPick(g, g.asOf.AddDate(1, 0, 0), g.edge(g.asOf))
		a.Registrations = append(a.Registrations,
			Registration{Body: genPick(g, "BACP", "UKCP", "NCS"), Number: "0001", Expires: &exp, Verified: g.isVerified()})
	}
	if g.chance(0.9) {
		exp := genPick(g, g.asOf.AddDate(0, 6, 0), g.edge(g.asOf))
		a.Insurance = &Insurance{ProfessionalIndemnity: true, Expires: &exp, Verified: g.isVerified()}
	}
	if g.chance(0.9) {
		a.References = &References{SafeOnlinePractice: true, Verified: g.isVerified()}
	}
	if g.chance(0.9) {
		completed := g.edge(genMonthsBefore(g.asOf, genPick(g, 1, 35, 36, 40)))
		if completed.After(g.asOf) || g.chance(g.later) {
			completed = g.future()
		}
		enrolled := completed.AddDate(0, -6, 0)
		a.OnlineTraining = append(a.OnlineTraining, Course{
			Provider: g.providerName(), Course: "Diploma", Level: genPick(g, "diploma", "certificate", "cpd"),
			Hours: genPick(g, 80, 199.5, 200, 300), Formats: slices.Clone(genFormats),
			TutorLed: true, SkillsAssessed: true, ReflectiveWork: g.chance(0.95),
			Enrolled: &enrolled, Completed: &completed, Verified: g.isVerified(),
		})
	}
	if g.chance(0.9) {
		a.Portfolio = &Portfolio{CaseStudyWords: genPick(g, 2499, 2500, 3000), CaseStudyClients: 2,
			EssayWords: 1500, SupervisorReport: true, Verified: g.isVerified()}
	}
}

// genList returns nil (an absent section), an empty list, or up to max
// entries made by entry.
func genList[T any](g *applicantGen, max int, entry func() T) []T {
	switch g.r.IntN(12) {
	case 0:
		return nil
	case 1:
		return []T{}
	}
	n := 1 + g.r.IntN(max)
	out := make([]T, n)
	for i := range out {
		out[i] = entry()
	}
	return out
}

func (g *applicantGen) organisation(a *Applicant) *Applicant {
	a.Kind = KindOrganisation
	if !g.chance(0.15) {
		a.Organisation = &Organisation{OffersCounselling: g.good(), Verified: g.isVerified()}
	}
	// Organisations rarely have personal evidence; when they do, it must not
	// earn them a level or a course.
	if g.chance(0.2) {
		a.Qualifications = genList(g, 2, g.qualification)
		a.OnlineTraining = genList(g, 2, g.course)
		a.CPD = genList(g, 2, g.cpd)
	}
	return a
}

func (g *applicantGen) trainingProvider(a *Applicant) *Applicant {
	a.Kind = KindTrainingProvider
	a.OfferedCourses = genList(g, 3, g.course)
	if g.chance(0.1) {
		a.Organisation = &Organisation{OffersCounselling: g.good(), Verified: g.isVerified()}
	}
	return a
}

func (g *applicantGen) qualification() Qualification {
	q := Qualification{Title: "Qualification", Verified: g.isVerified()}
	if g.good() {
		q.Level = genPick(g, "diploma", "diploma", "post-diploma", "degree", "masters", "doctorate")
		q.Field = genPick(g, "counselling", "counselling", "psychotherapy", "psychology")
		q.Delivery = genPick(g, "face-to-face", "face-to-face", "blended")
	} else {
		q.Level = genPick(g, "certificate", "diploma", "post-diploma", "degree", "masters", "doctorate")
		q.Field = genPick(g, "counselling", "psychotherapy", "psychology", "other")
		q.Delivery = genPick(g, "face-to-face", "blended", "online", "distance")
	}
	if !g.chance(0.15) { // else still in training
		q.Awarded = g.date(g.eventDate())
	}
	return q
}

func (g *applicantGen) registration() Registration {
	reg := Registration{Number: "123456", Expires: g.expiry(), Verified: g.isVerified()}
	if g.good() {
		reg.Body = genPick(g, "BACP", "BACP", "UKCP", "BPC", "BPS", "BABCP", "NCS")
	} else {
		reg.Body = genPick(g, "BACP", "other", "other")
	}
	return reg
}

// providerNames are ways applicants write providers: the catalogue's ids,
// names and aliases, and names that are not approved.
var (
	genApproved = []string{
		"academy", "The Academy for Online Counselling & Psychotherapy",
		"Academy for Online Counselling and Psychotherapy", "PWT Academy",
		"relate", "Relate",
		"oti", "The Online Therapy Institute", "Online Therapy Institute",
		"ocst", "OCST Online Counselling Services & Training", "Online Counselling Services and Training",
		"olt", "Online Training for Counsellors Ltd", "OLT", "OLT4C",
	}
	genNotApproved = []string{
		"", "Acme Online Therapy", "OLT 4C", "OLT4", "Online Therapy", "Academy",
		"ProReal Ltd", "The Relate", "Online Training for Counsellors", "oti.org",
		// ProReal is a course, not a provider (DOMAIN §3, revision 2).
		"proreal", "ProReal", "PROREAL", "proreal", "ProReal",
	}
)

// providerName writes an approved provider's name, perhaps in odd case and
// spacing, or an unapproved one.
func (g *applicantGen) providerName() string {
	if !g.good() {
		return genPick(g, genNotApproved...)
	}
	name := genPick(g, genApproved...)
	switch g.r.IntN(6) {
	case 0:
		name = strings.ToUpper(name)
	case 1:
		name = strings.ToLower(name)
	case 2:
		name = "  " + name + " "
	case 3:
		name = strings.ReplaceAll(name, " ", "  \t")
	}
	return name
}

var genFormats = []string{"video", "audio", "email", "chat"}

// courseName names a course as its provider lists it: the Academy's ProReal
// avatar therapy course (DOMAIN §3) and OCST's certificated training (§6)
// among others. The rules read no course name; it is there to show the
// applicants the tests are about.
func (g *applicantGen) courseName(provider string) string {
	p := strings.ToLower(provider)
	switch {
	case strings.Contains(p, "academy") && g.chance(0.5):
		return "ProReal avatar therapy course"
	case strings.Contains(p, "ocst") || strings.Contains(p, "online counselling services"):
		return genPick(g, "OCST certificated online training", "OCST workshop")
	case strings.Contains(p, "proreal"):
		return "ProReal avatar therapy course"
	}
	return "Online course"
}

func (g *applicantGen) course() Course {
	provider := g.providerName()
	c := Course{
		Provider:       provider,
		Course:         g.courseName(provider),
		Level:          genPick(g, "cpd", "certificate", "diploma"),
		Hours:          genPick(g, 0, 6, 12, 19.5, 20, 48, 79, 79.5, 80, 80.5, 120, 199.5, 200, 200.5, 300, float64(g.r.IntN(400))),
		TutorLed:       g.good(),
		SkillsAssessed: g.good(),
		ReflectiveWork: g.good(),
		Supervision:    g.chance(0.2),
		Verified:       g.isVerified(),
	}
	switch {
	case g.chance(0.1):
		// no formats
	case g.good():
		c.Formats = append([]string(nil), genFormats...)
		g.r.Shuffle(len(c.Formats), func(i, j int) { c.Formats[i], c.Formats[j] = c.Formats[j], c.Formats[i] })
	default:
		// Some formats, repeats included: three formats listed four times
		// are still three formats.
		n := 1 + g.r.IntN(4)
		for range n {
			c.Formats = append(c.Formats, genPick(g, genFormats...))
		}
	}
	if g.chance(0.85) {
		c.Enrolled = g.date(g.eventDate())
	}
	if !g.chance(0.25) { // else in progress
		done := g.eventDate()
		if c.Enrolled != nil && done.Before(*c.Enrolled) {
			done = *c.Enrolled
		}
		c.Completed = g.date(done)
	}
	return c
}

func (g *applicantGen) cpd() CPD {
	c := CPD{
		Title:    "CPD activity",
		Hours:    genPick(g, 0, 1, 2.5, 6, 10, 14, 19.5, 20, 20.5, 40, 80, float64(g.r.IntN(30))),
		Online:   g.good(),
		Verified: g.isVerified(),
	}
	if !g.chance(0.08) {
		c.Date = g.date(g.eventDate())
	}
	return c
}
