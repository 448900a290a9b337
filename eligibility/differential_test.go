package eligibility

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// oracleDates are the evaluation dates of the differential test: an ordinary
// day, a leap day, month ends (whose month-long windows end on shorter
// months), a year end, and the day the fees changed.
var oracleDates = []time.Time{
	time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
	time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
	time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC),
	time.Date(2025, 2, 28, 0, 0, 0, 0, time.UTC),
	time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC),
	time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC),
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
// course, and the same status for every requirement. A disagreement prints
// the applicant and the first differing requirement; decide from DOMAIN.md
// which side is wrong.
func TestOracle(t *testing.T) {
	e := actoEngine(t)
	seed := envUint(t, "ELIGO_ORACLE_SEED", oracleSeed)
	n := int(envUint(t, "ELIGO_ORACLE_N", 10_000))
	checkOracleCoversRuleSet(t, e)

	granted := map[string]int{}
	statuses := map[string]int{}
	firstDiffs := map[string]int{}
	failures := 0
	ctx := context.Background()
	for i := range n {
		a, asOf := oracleApplicant(seed, i)
		d, err := e.Evaluate(ctx, a, AsOf(asOf))
		if err != nil {
			t.Fatalf("applicant %d (seed %d): %v\n%s", i, seed, err, applicantYAML(a))
		}
		want := oracleDecide(a, asOf)
		if diff := oracleDiff(d, &want); len(diff) > 0 {
			failures++
			firstDiffs[diff[0].what]++
			if failures <= 3 {
				t.Errorf("applicant %d (seed %d, asOf %s): engine and oracle disagree; first difference: %s\n"+
					"all differences:\n  %s\napplicant:\n%s",
					i, seed, asOf.Format(time.DateOnly), diff[0], joinDiffs(diff), applicantYAML(a))
			}
			continue
		}
		granted["level "+d.Level]++
		for _, c := range d.GrantedCategories() {
			granted["category "+c]++
		}
		for _, c := range d.GrantedCourses() {
			granted["course "+c]++
		}
		for _, r := range d.Requirements {
			statuses[r.ID+" "+string(r.Status)]++
		}
	}
	if failures > 0 {
		t.Fatalf("%d of %d applicants decided differently; first differences: %v", failures, n, firstDiffs)
	}
	checkOracleCoverage(t, granted, statuses)
	t.Logf("%d applicants (seed %d) decided alike; grants: %v", n, seed, granted)
}

// checkOracleCoversRuleSet makes the oracle keep up with the rule set: a
// requirement, level, category or course it does not know fails the test.
func checkOracleCoversRuleSet(t *testing.T, e *EngineOf[Applicant]) {
	t.Helper()
	known := func(ids []string, id string) bool { return slices.Contains(ids, id) }
	set := e.RuleSet()
	for _, r := range set.Requirements {
		if !known(oracleReqIDs[:], r.ID) {
			t.Errorf("the oracle does not know requirement %s", r.ID)
		}
	}
	for _, tc := range []struct {
		what   string
		awards []oracleAward
		ids    []string
	}{
		{"level", oracleLevels[:], nil},
		{"category", oracleCategories[:], nil},
		{"course", oracleCourses[:], nil},
	} {
		var have []string
		for _, aw := range tc.awards {
			have = append(have, aw.id)
		}
		var rs []string
		switch tc.what {
		case "level":
			for _, a := range set.Levels {
				rs = append(rs, a.ID)
			}
		case "category":
			for _, a := range set.Categories {
				rs = append(rs, a.ID)
			}
		case "course":
			for _, a := range set.Courses {
				rs = append(rs, a.ID)
			}
		}
		if !slices.Equal(have, rs) {
			t.Errorf("%ss: the oracle has %v, the rule set %v", tc.what, have, rs)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// checkOracleCoverage fails when the generated population no longer reaches
// every grant and every interesting status: a differential test over
// applicants that all get nothing proves little.
func checkOracleCoverage(t *testing.T, granted, statuses map[string]int) {
	t.Helper()
	var missing []string
	for _, l := range oracleLevels {
		if granted["level "+l.id] == 0 {
			missing = append(missing, "level "+l.id)
		}
	}
	if granted["level "] == 0 {
		missing = append(missing, "no level")
	}
	for _, c := range oracleCategories {
		if c.id != "organisational" && granted["category "+c.id] == 0 { // organisational is referred at best
			missing = append(missing, "category "+c.id)
		}
	}
	for _, c := range oracleCourses {
		if granted["course "+c.id] == 0 {
			missing = append(missing, "course "+c.id)
		}
	}
	for _, id := range oracleReqIDs {
		for _, s := range []string{oracleMet, oracleUnmet} {
			if statuses[id+" "+s] == 0 {
				missing = append(missing, id+" "+s)
			}
		}
	}
	for _, s := range []string{
		"registered review", "registered unknown", "registered unverified",
		"insured unknown", "insured unverified", "online-cpd unknown", "online-cpd unverified",
		"grandparenting-hours unknown", "core-training unverified", "qualifying-course unverified",
		"core-training unknown", "former-professional unknown", "not-practising unknown",
	} {
		if statuses[s] == 0 {
			missing = append(missing, s)
		}
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
	for r, id := range oracleReqIDs {
		got, ok := d.Requirement(id)
		if !ok {
			out = append(out, oracleDifference{"requirement " + id, "(absent)", want.Status[r]})
		} else if string(got.Status) != want.Status[r] {
			out = append(out, oracleDifference{"requirement " + id, string(got.Status), want.Status[r]})
		}
	}
	outcomes := func(kind string, got []AwardResult, awards []oracleAward, want []string) {
		for i, aw := range awards {
			o := "(absent)"
			for _, g := range got {
				if g.ID == aw.id {
					o = string(g.Outcome)
				}
			}
			if o != want[i] {
				out = append(out, oracleDifference{kind + " " + aw.id, o, want[i]})
			}
		}
	}
	outcomes("level", d.Levels, oracleLevels[:], want.LevelOutcomes[:])
	outcomes("category", d.Categories, oracleCategories[:], want.CategoryOutcomes[:])
	outcomes("course", d.Courses, oracleCourses[:], want.CourseOutcomes[:])
	if d.Level != want.Level {
		out = append(out, oracleDifference{"granted level", d.Level, want.Level})
	}
	if got, w := d.GrantedCategories(), want.Categories; !slices.Equal(got, w) && (len(got) > 0 || len(w) > 0) {
		out = append(out, oracleDifference{"granted categories", fmt.Sprint(got), fmt.Sprint(w)})
	}
	if got, w := d.GrantedCourses(), want.Courses; !slices.Equal(got, w) && (len(got) > 0 || len(w) > 0) {
		out = append(out, oracleDifference{"granted courses", fmt.Sprint(got), fmt.Sprint(w)})
	}
	return out
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
		{"2020-02-29", "2021-02-28", 0},
		{"2020-02-29", "2021-03-01", 1},
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
	} {
		if got := oracleApprovedProvider(name); got != want {
			t.Errorf("approved(%q) = %v, want %v", name, got, want)
		}
	}
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
