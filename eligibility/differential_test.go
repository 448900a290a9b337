package eligibility

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/eligo-dev/eligo/rules"
)

// oracleDates are the evaluation dates of the differential test: an ordinary
// day, a leap day, month ends (29, 30, 31; whose month-long windows end on
// shorter months), a year end, the day the fees changed, the 28 February
// that completes whole years from a 29 February (DOMAIN §4), and the rule
// set's first day in force (§5).
var oracleDates = []time.Time{
	time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
	time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
	time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC),
	time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC),
	time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC),
	time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC),
	time.Date(2025, 4, 30, 0, 0, 0, 0, time.UTC),
	time.Date(2023, 2, 28, 0, 0, 0, 0, time.UTC),
	time.Date(2020, 10, 6, 0, 0, 0, 0, time.UTC),
}

// oracleBeforeInForce are evaluation dates before the rule set is in force
// (DOMAIN §5), on which TestOracle also decides some applicants: the day
// before and a leap day before.
var oracleBeforeInForce = []time.Time{
	time.Date(2020, 10, 5, 0, 0, 0, 0, time.UTC),
	time.Date(2020, 2, 29, 0, 0, 0, 0, time.UTC),
}

// oracleSeed seeds the differential test; ELIGO_ORACLE_SEED changes it and
// ELIGO_ORACLE_N the number of applicants, for longer runs:
//
//	ELIGO_ORACLE_SEED=7 ELIGO_ORACLE_N=1000000 go test ./eligibility -run TestOracle
const oracleSeed = 20201006

func envUint(t *testing.T, name string, def uint64) uint64 {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, s, err)
	}
	return v
}

// oracleApplicant returns the i-th applicant of the differential test's
// population for seed, and its evaluation date. Applicant i depends on
// (seed, i) alone, so one failure can be replayed by itself.
func oracleApplicant(seed uint64, i int) (*Applicant, time.Time) {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	asOf := oracleDates[i%len(oracleDates)]
	return genApplicant(r, asOf), asOf
}

// oracleApplicantNoLater is oracleApplicant's applicant as it stood on its
// evaluation date (asItStood): for the tests of an engine that, as under
// revision 1, rejects evidence dated after the evaluation date.
func oracleApplicantNoLater(seed uint64, i int) (*Applicant, time.Time) {
	a, asOf := oracleApplicant(seed, i)
	return asItStood(a, asOf), asOf
}

// TestOracle decides at least 10,000 generated applicants with the engine and
// with the hand-written oracle, and requires the same granted level,
// categories and courses, the same outcome for every level, category and
// course, the same status for every requirement and the same next level;
// and, on dates before the rule set is in force, an error. A disagreement
// prints the applicant and the first differing requirement, one applicant
// for each kind of first difference; decide from DOMAIN.md which side is
// wrong.
func TestOracle(t *testing.T) {
	e := actoEngine(t)
	seed := envUint(t, "ELIGO_ORACLE_SEED", oracleSeed)
	n := int(envUint(t, "ELIGO_ORACLE_N", 10_000))
	checkOracleCoversRuleSet(t, e)

	cov := oracleCoverage{}
	firstDiffs := map[string]int{}
	failures := 0
	ctx := context.Background()
	fail := func(i int, asOf time.Time, a *Applicant, diff []oracleDifference) {
		failures++
		if firstDiffs[diff[0].what]++; firstDiffs[diff[0].what] == 1 {
			t.Errorf("applicant %d (seed %d, asOf %s): engine and oracle disagree; first difference: %s\n"+
				"all differences:\n  %s\napplicant:\n%s",
				i, seed, asOf.Format(time.DateOnly), diff[0], joinDiffs(diff), applicantYAML(a))
		}
	}
	for i := range n {
		a, asOf := oracleApplicant(seed, i)
		// Now and then the applicant as it stood on a date before the rule
		// set is in force: an error, never a decision (DOMAIN §5).
		if i%20 == 0 {
			early := oracleBeforeInForce[(i/20)%len(oracleBeforeInForce)]
			b := asItStood(a, early)
			want := oracleDecide(b, early)
			if !want.NotInForce {
				t.Fatalf("the oracle decides as of %s, before the rule set is in force", early.Format(time.DateOnly))
			}
			cov.notInForce++
			if d, err := e.Evaluate(ctx, b, AsOf(early)); err == nil {
				fail(i, early, b, oracleDiff(d, &want))
			}
		}
		want := oracleDecide(a, asOf)
		cov.add(&want)
		d, err := e.Evaluate(ctx, a, AsOf(asOf))
		if err != nil {
			// Revision 2 leaves evidence dated after the evaluation date
			// out (DOMAIN §2); revision 1 rejects it as an input error.
			var in *InputError
			if errors.As(err, &in) && hasLaterEvidence(a, asOf) {
				fail(i, asOf, a, []oracleDifference{{"evidence after the evaluation date", "input error: " + err.Error(), "left out"}})
				continue
			}
			t.Fatalf("applicant %d (seed %d): %v\n%s", i, seed, err, applicantYAML(a))
		}
		if diff := oracleDiff(d, &want); len(diff) > 0 {
			fail(i, asOf, a, diff)
		}
	}
	cov.check(t)
	if failures > 0 {
		t.Fatalf("%d decisions of %d applicants (and %d of them before the rule set is in force) differ; first differences: %v",
			failures, n, cov.notInForce, firstDiffs)
	}
	t.Logf("%d applicants (seed %d) decided alike; grants: %v", n, seed, cov.granted)
}

// checkOracleCoversRuleSet makes the oracle keep up with the rule set: a
// requirement, level, category or course it does not know fails the test at
// once. One the oracle has and the rule set lacks (a course DOMAIN.md adds
// before the rule files do) fails it too, but lets the differential run go
// on, where it shows as "(absent)" in the engine's decisions.
func checkOracleCoversRuleSet(t *testing.T, e *EngineOf[Applicant]) {
	t.Helper()
	set := e.RuleSet()
	unknown := false
	for _, r := range set.Requirements {
		if !slices.Contains(oracleReqIDs[:], r.ID) {
			t.Errorf("the oracle does not know requirement %s", r.ID)
			unknown = true
		}
	}
	for _, tc := range []struct {
		what   string
		awards []oracleAward
		ids    []string
	}{
		{"level", oracleLevels[:], awardIDs(set.Levels)},
		{"category", oracleCategories[:], awardIDs(set.Categories)},
		{"course", oracleCourses[:], awardIDs(set.Courses)},
	} {
		var have []string
		for _, aw := range tc.awards {
			have = append(have, aw.id)
		}
		if slices.Equal(have, tc.ids) {
			continue
		}
		for _, id := range tc.ids {
			if !slices.Contains(have, id) {
				unknown = true
			}
		}
		// The rule set's awards must come in the oracle's order.
		common := slices.DeleteFunc(slices.Clone(have), func(id string) bool { return !slices.Contains(tc.ids, id) })
		if !slices.Equal(common, tc.ids) {
			unknown = true
		}
		t.Errorf("%ss: the oracle has %v, the rule set %v", tc.what, have, tc.ids)
	}
	if unknown {
		t.FailNow()
	}
}

// rulesAtRevision2 reports whether a rule set has DOMAIN.md revision 2's
// course table (OCST's certificated training, §6): until the rule files
// have it they are at revision 1 and disagree with the oracle, which TestOracle
// shows; tests that only use the oracle as a cross-check (FuzzEvaluate)
// skip that check meanwhile.
func rulesAtRevision2(set *rules.Set) bool {
	return slices.Contains(awardIDs(set.Courses), "ocst-certificated")
}

// awardIDs lists the ids of a rule set's levels, categories or courses.
func awardIDs(as []*rules.Award) []string {
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	return ids
}

// oracleCoverage counts what the oracle decided over the population, so
// that the differential test fails when the population no longer reaches
// every grant, refusal and interesting status: a differential test over
// applicants that all get nothing proves little. It counts the oracle's
// decisions, not only those the engine agrees with, so that it stays
// meaningful while the two disagree.
type oracleCoverage struct {
	granted, refused map[string]int
	statuses         map[string]int
	next             map[string]int // next level of applicants with no level
	notInForce       int
}

func (c *oracleCoverage) add(d *oracleDecision) {
	if c.granted == nil {
		c.granted, c.refused, c.statuses, c.next = map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	}
	c.granted["level "+d.Level]++
	for _, id := range d.Categories {
		c.granted["category "+id]++
	}
	for _, id := range d.Courses {
		c.granted["course "+id]++
	}
	for _, x := range []struct {
		kind     string
		awards   []oracleAward
		outcomes []string
	}{
		{"level", oracleLevels[:], d.LevelOutcomes[:]},
		{"category", oracleCategories[:], d.CategoryOutcomes[:]},
		{"course", oracleCourses[:], d.CourseOutcomes[:]},
	} {
		for i, aw := range x.awards {
			if x.outcomes[i] == oracleRefused {
				c.refused[x.kind+" "+aw.id]++
			}
		}
	}
	for r, id := range oracleReqIDs {
		c.statuses[id+" "+d.Status[r]]++
	}
	if d.Level == "" {
		c.next[d.Next]++
	}
}

func (c *oracleCoverage) check(t *testing.T) {
	t.Helper()
	var missing []string
	for _, l := range oracleLevels {
		if c.granted["level "+l.id] == 0 {
			missing = append(missing, "level "+l.id)
		}
	}
	if c.granted["level "] == 0 {
		missing = append(missing, "no level")
	}
	for _, x := range []struct {
		kind   string
		awards []oracleAward
	}{{"level", oracleLevels[:]}, {"category", oracleCategories[:]}, {"course", oracleCourses[:]}} {
		for _, aw := range x.awards {
			key := x.kind + " " + aw.id
			if x.kind != "level" && aw.id != "organisational" && c.granted[key] == 0 { // organisational is referred at best
				missing = append(missing, key+" granted")
			}
			if c.refused[key] == 0 {
				missing = append(missing, key+" refused")
			}
		}
	}
	for _, id := range oracleReqIDs {
		for _, s := range []string{oracleMet, oracleUnmet} {
			if c.statuses[id+" "+s] == 0 {
				missing = append(missing, id+" "+s)
			}
		}
	}
	for _, s := range []string{
		"registered review", "registered unknown", "registered unverified",
		"insured unknown", "insured unverified", "online-cpd unknown", "online-cpd unverified",
		"grandparenting-hours unknown", "core-training unverified", "qualifying-course unverified",
		"core-training unknown", "former-professional unknown", "not-practising unknown",
		// An unverified claim of every kind (DOMAIN §2, revision 2).
		"allied-role unverified", "reference unverified", "case-study unverified",
		"has-online-supervisees unverified", "online-trained-supervisor unverified",
		"former-professional unverified", "offers-counselling unverified",
		"core-net-test unverified", "provider-course-criteria unverified",
		"grandparenting-hours unverified", "experienced unverified", "enrolled-online unverified",
	} {
		if c.statuses[s] == 0 {
			missing = append(missing, s)
		}
	}
	// DOMAIN §5: the next level of applicants with no level.
	for _, l := range []string{"associate", "student", "member"} {
		if c.next[l] == 0 {
			missing = append(missing, "next "+l+" with no level")
		}
	}
	if c.notInForce == 0 {
		missing = append(missing, "a date before the rule set is in force")
	}
	if len(missing) > 0 {
		t.Errorf("the generated population never reached: %s", strings.Join(missing, ", "))
	}
}

// oracleDifference is one way the engine's decision differs from the oracle's.
type oracleDifference struct {
	what           string // e.g. "requirement insured", "level", "course proreal"
	engine, oracle string
}

func (d oracleDifference) String() string {
	return fmt.Sprintf("%s: engine %q, oracle %q", d.what, d.engine, d.oracle)
}

func joinDiffs(ds []oracleDifference) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return strings.Join(s, "\n  ")
}

// oracleDiff lists the differences between the engine's decision and the
// oracle's, requirements first (in the oracle's order), then outcomes, then
// grants.
func oracleDiff(d *Decision, want *oracleDecision) []oracleDifference {
	var out []oracleDifference
	if want.NotInForce {
		// Not in force (DOMAIN §5): a decision at all is the difference.
		return append(out, oracleDifference{"in force", "decided as of " + d.AsOf.String(), "not in force: an error"})
	}
	for r, id := range oracleReqIDs {
		got, ok := d.Requirement(id)
		if !ok {
			out = append(out, oracleDifference{"requirement " + id, "(absent)", want.Status[r]})
		} else if string(got.Status) != want.Status[r] {
			out = append(out, oracleDifference{"requirement " + id, string(got.Status), want.Status[r]})
		}
	}
	// An award the engine does not decide at all (a course DOMAIN.md has and
	// the rule files do not yet) is listed last, so that the first
	// difference shows what else differs; the granted lists leave it out.
	var absent []oracleDifference
	decided := func(got []AwardResult, id string) bool {
		return slices.ContainsFunc(got, func(g AwardResult) bool { return g.ID == id })
	}
	outcomes := func(kind string, got []AwardResult, awards []oracleAward, want []string) {
		for i, aw := range awards {
			o := "(absent)"
			for _, g := range got {
				if g.ID == aw.id {
					o = string(g.Outcome)
				}
			}
			switch {
			case o == "(absent)":
				absent = append(absent, oracleDifference{kind + " " + aw.id, o, want[i]})
			case o != want[i]:
				out = append(out, oracleDifference{kind + " " + aw.id, o, want[i]})
			}
		}
	}
	outcomes("level", d.Levels(), oracleLevels[:], want.LevelOutcomes[:])
	outcomes("category", d.Categories(), oracleCategories[:], want.CategoryOutcomes[:])
	outcomes("course", d.Courses(), oracleCourses[:], want.CourseOutcomes[:])
	if d.Level != want.Level {
		out = append(out, oracleDifference{"granted level", d.Level, want.Level})
	}
	granted := func(what string, got []AwardResult, gotIDs, w []string) {
		w = slices.DeleteFunc(slices.Clone(w), func(id string) bool { return !decided(got, id) })
		if !slices.Equal(gotIDs, w) && (len(gotIDs) > 0 || len(w) > 0) {
			out = append(out, oracleDifference{what, fmt.Sprint(gotIDs), fmt.Sprint(w)})
		}
	}
	granted("granted categories", d.Categories(), d.GrantedCategories(), want.Categories)
	granted("granted courses", d.Courses(), d.GrantedCourses(), want.Courses)
	next := ""
	if d.Next != nil {
		next = d.Next.Level
	}
	if next != want.Next {
		out = append(out, oracleDifference{"next level", next, want.Next})
	}
	return append(out, absent...)
}

// applicantYAML renders an applicant as an applicant document, for failure
// messages: paste it into a file and run the CLI on it.
func applicantYAML(a *Applicant) string {
	out, err := yaml.Marshal(a)
	if err != nil {
		return fmt.Sprintf("(cannot render: %v) %+v", err, a)
	}
	// yaml writes a time.Time as a timestamp; the document wants a date.
	return strings.ReplaceAll(string(out), "T00:00:00Z", "")
}

// TestOracleSelfChecks pins the oracle's own date and name arithmetic, which
// the differential test relies on.
func TestOracleSelfChecks(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		asOf string
		n    int
		want string
	}{
		{"2026-11-23", 36, "2023-11-23"},
		{"2024-02-29", 36, "2021-02-28"},
		{"2025-03-31", 1, "2025-02-28"},
		{"2024-03-31", 1, "2024-02-29"},
		{"2025-01-31", 2, "2024-11-30"},
	} {
		if got := oracleMonthsBefore(day(tc.asOf), tc.n).Format(time.DateOnly); got != tc.want {
			t.Errorf("%d months before %s: %s, want %s", tc.n, tc.asOf, got, tc.want)
		}
	}
	for _, tc := range []struct {
		from, asOf string
		want       int
	}{
		{"2015-07-01", "2016-07-01", 1},
		{"2015-07-01", "2016-06-30", 0},
		// Calendar-based across 29 February (DOMAIN §4, revision 2).
		{"2020-02-29", "2021-02-27", 0},
		{"2020-02-29", "2021-02-28", 1},
		{"2020-02-29", "2021-03-01", 1},
		{"2024-02-29", "2025-02-28", 1},
		{"2020-02-29", "2023-02-28", 3},
		{"2020-02-29", "2024-02-28", 3},
		{"2020-02-29", "2024-02-29", 4},
		{"2026-11-24", "2026-11-23", -1},
	} {
		if got := oracleWholeYears(day(tc.from), day(tc.asOf)); got != tc.want {
			t.Errorf("whole years %s to %s: %d, want %d", tc.from, tc.asOf, got, tc.want)
		}
	}
	for name, want := range map[string]bool{
		"olt": true, "  olt4c ": true, "OLT4C": true, "Online  Therapy\tInstitute": true,
		"online therapy institute ": true, "OLT 4C": false, "olt4": false, "": false,
		"Online Therapy Institut": false, "Online Therapy Institutes": false, "x olt": false,
		// ProReal is a course under the Academy's entry, not a provider
		// (DOMAIN §3, revision 2).
		"proreal": false, "ProReal": false, " PRO REAL": false, "academy": true, "PWT  Academy": true,
	} {
		if got := oracleApprovedProvider(name); got != want {
			t.Errorf("approved(%q) = %v, want %v", name, got, want)
		}
	}
	checkOracleRevision2(t, day)
	// Keys sorted for a stable message.
	keys := make([]string, 0, len(oracleReqIDs))
	for _, id := range oracleReqIDs {
		keys = append(keys, id)
	}
	sort.Strings(keys)
	if len(slices.Compact(keys)) != int(oracleNumReqs) {
		t.Errorf("oracle requirement ids repeat: %v", keys)
	}
}

// checkOracleRevision2 pins the oracle's decisions on the rules DOMAIN.md's
// revision 2 added or changed, one small applicant at a time.
func checkOracleRevision2(t *testing.T, day func(string) time.Time) {
	t.Helper()
	at := func(s string) *time.Time { d := day(s); return &d }
	yes := true
	// A trained applicant: a verified face-to-face counselling diploma.
	trained := func(awarded string) *Applicant {
		return &Applicant{ID: "r2", Practising: &yes, Qualifications: []Qualification{{
			Level: "diploma", Field: "counselling", Delivery: "face-to-face", Awarded: at(awarded), Verified: true}}}
	}
	status := func(a *Applicant, asOf string, r oracleReq) string {
		return oracleDecide(a, day(asOf)).Status[r]
	}
	course := func(a *Applicant, asOf, id string) string {
		d := oracleDecide(a, day(asOf))
		for i, c := range oracleCourses {
			if c.id == id {
				return d.CourseOutcomes[i]
			}
		}
		t.Fatalf("no course %s", id)
		return ""
	}
	check := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %s, want %s", what, got, want)
		}
	}

	// §4: the CPD window includes its first day, also from a 29 February.
	for _, tc := range []struct{ asOf, date, want string }{
		{"2026-11-23", "2023-11-23", oracleMet},
		{"2026-11-23", "2023-11-22", oracleUnmet},
		{"2024-02-29", "2021-02-28", oracleMet},
		{"2024-02-29", "2021-02-27", oracleUnmet},
		{"2025-04-30", "2022-04-30", oracleMet},
		{"2025-04-30", "2022-04-29", oracleUnmet},
	} {
		a := trained("2015-07-01")
		a.OnlineTraining = []Course{}
		a.CPD = []CPD{{Hours: 20, Date: at(tc.date), Online: true, Verified: true}}
		check("online-cpd as of "+tc.asOf+" with 20 hours on "+tc.date, status(a, tc.asOf, oOnlineCPD), tc.want)
	}

	// §4 and §6: experienced, calendar-based, is required by every course,
	// OCST's certificated training among them.
	for _, tc := range []struct{ awarded, asOf, want string }{
		{"2024-02-29", "2025-02-28", oracleGranted},
		{"2024-02-29", "2025-02-27", oracleRefused},
		{"2015-07-01", "2026-11-23", oracleGranted},
	} {
		a := trained(tc.awarded)
		for _, id := range []string{"academy-general-certificate", "relate-online", "oti-online-therapy",
			"ocst-certificated", "olt-general-certificate", "olt-diploma-counselling"} {
			check(id+" awarded "+tc.awarded+" as of "+tc.asOf, course(a, tc.asOf, id), tc.want)
		}
	}
	post := trained("2024-02-29")
	post.Qualifications[0].Level = "masters"
	check("proreal, a year short of a day", course(post, "2025-02-27", "proreal"), oracleRefused)
	check("proreal, a whole year", course(post, "2025-02-28", "proreal"), oracleGranted)

	// §3: a ProReal course from "proreal" is from no approved provider; the
	// Academy's ProReal course is.
	for provider, want := range map[string]string{"ProReal": oracleUnmet, "proreal": oracleUnmet, "academy": oracleMet} {
		a := trained("2015-07-01")
		a.OnlineTraining = []Course{{Provider: provider, Course: "ProReal avatar therapy course", Level: "cpd",
			Enrolled: at("2026-01-01"), Verified: true}}
		check("approved-course-taken from "+provider, status(a, "2026-11-23", oApprovedCourseTaken), want)
		check("enrolled-online from "+provider, status(a, "2026-11-23", oEnrolledOnline), want)
	}

	// §2: evidence dated after the evaluation date is left out.
	a := trained("2026-11-24")
	a.OnlineTraining = []Course{
		{Provider: "olt", Level: "diploma", Hours: 300, Enrolled: at("2026-11-24"), Verified: true},
	}
	a.CPD = []CPD{{Hours: 40, Date: at("2026-11-24"), Online: true, Verified: true}}
	a.CoreNet = &CoreNet{TrainingCompleted: true, TestPassed: at("2026-11-24"), Verified: true}
	a.ACTO = &ACTOMembership{ProfessionalMemberSince: at("2026-11-24"), Verified: true}
	for _, tc := range []struct {
		r    oracleReq
		want string
	}{
		{oCoreTraining, oracleUnmet}, {oInCoreTraining, oracleMet}, // a later award: in training
		{oEnrolledOnline, oracleUnmet}, {oApprovedCourseTaken, oracleUnmet}, // a later enrolment: left out whole
		{oOnlineCPD, oracleUnmet},                                           // later CPD: left out
		{oCoreNetTest, oracleUnknown}, {oFormerProfessional, oracleUnknown}, // as if absent
	} {
		check("later evidence: "+oracleReqIDs[tc.r], status(a, "2026-11-23", tc.r), tc.want)
		// A day later the same evidence is in view and counts.
		check("the same evidence in view: "+oracleReqIDs[tc.r]+" as before",
			fmt.Sprint(status(a, "2026-11-24", tc.r) == tc.want), "false")
	}
	a.OnlineTraining[0].Enrolled = at("2026-11-01")
	a.OnlineTraining[0].Completed = at("2026-11-24")
	check("a later completion: in progress", status(a, "2026-11-23", oEnrolledOnline), oracleMet)

	// §5: not in force before 2020-10-06.
	check("in force on 2020-10-05", fmt.Sprint(!oracleDecide(trained("2015-07-01"), day("2020-10-05")).NotInForce), "false")
	check("in force on 2020-10-06", fmt.Sprint(!oracleDecide(trained("2015-07-01"), day("2020-10-06")).NotInForce), "true")

	// §5: the next level of an applicant with no level.
	for _, tc := range []struct {
		what string
		a    *Applicant
		want string
	}{
		{"nothing", &Applicant{ID: "n"}, "member"},
		{"an allied role, unverified", &Applicant{ID: "n", Allied: &Allied{Role: "trainer"}}, "associate"},
		{"an approved course in progress", &Applicant{ID: "n", OnlineTraining: []Course{{Provider: "olt", Level: "cpd"}}}, "student"},
		{"a ProReal course in progress", &Applicant{ID: "n", OnlineTraining: []Course{{Provider: "proreal", Level: "cpd"}}}, "member"},
		{"a core qualification in progress", &Applicant{ID: "n", Qualifications: []Qualification{{Level: "masters", Field: "psychology"}}}, "student"},
		{"both (the lower rung)", &Applicant{ID: "n", Allied: &Allied{Role: "researcher"},
			Qualifications: []Qualification{{Level: "masters", Field: "psychology"}}}, "associate"},
	} {
		check("next level with "+tc.what, oracleDecide(tc.a, day("2026-11-23")).Next, tc.want)
	}
	check("next level of an associate", oracleDecide(&Applicant{ID: "m", Allied: &Allied{Role: "trainer", Verified: true}}, day("2026-11-23")).Next, "member")
	check("next level of an associate in core training", oracleDecide(&Applicant{ID: "m", Allied: &Allied{Role: "trainer", Verified: true},
		Qualifications: []Qualification{{Level: "masters", Field: "psychology"}}}, day("2026-11-23")).Next, "student")
}

// TestOracleLeavesOutLaterEvidence: the oracle decides an applicant as it
// decides the same applicant as it stood on the evaluation date (DOMAIN §2:
// evidence dated later is left out), over the differential test's
// population; asItStood leaves it out by editing a copy, the oracle as it
// reads.
func TestOracleLeavesOutLaterEvidence(t *testing.T) {
	later := 0
	for i := range 3000 {
		a, asOf := oracleApplicant(oracleSeed, i)
		b := asItStood(a, asOf)
		if reflect.DeepEqual(a, b) {
			continue
		}
		later++
		if got, want := oracleDecide(a, asOf), oracleDecide(b, asOf); !reflect.DeepEqual(got, want) {
			t.Fatalf("applicant %d (asOf %s): decided %+v, as it stood %+v\n%s",
				i, asOf.Format(time.DateOnly), got, want, applicantYAML(a))
		}
	}
	if later < 100 {
		t.Errorf("only %d of 3000 applicants have evidence dated after the evaluation date", later)
	}
}
