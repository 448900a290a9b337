package eligibility

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"time"

	"github.com/eligo-dev/eligo/rules/acto/actogen"
)

// genApplicant makes a random valid applicant for the evaluation date asOf,
// reproducibly from r. The population it draws from aims at the edges of the
// ACTO rules (DOMAIN.md §4–§6) rather than at typical applicants:
//   - thresholds hit exactly, just above and just below (course hours 80 and
//     200, CPD 20 hours, grandparenting 80 hours, 2500 and 1500 words, two
//     clients, one supervisee);
//   - dates on, a day before and a day after the evaluation date, one year
//     after a core-training award, three years of ACTO membership and the
//     36-month CPD window;
//   - unverified claims and absent sections (nil) as well as empty lists;
//   - individuals, organisations, training providers, students, associates,
//     retired members, and every course's entry requirements;
//   - approved providers by id, name and alias in odd case and spacing, and
//     providers that are not approved, ProReal among them (DOMAIN §3,
//     revision 2: a course under the Academy's entry, not a provider);
//     the Academy's ProReal course and OCST's certificated training;
//   - revision 2's date edges (DOMAIN §4): CPD on the 36-month window's
//     first day and the day before, also from month ends and 29 February;
//     core awards and ACTO membership from 29 February, a whole number of
//     years before a 28 February;
//   - evidence dated after the evaluation date, of every kind DOMAIN §2
//     leaves out: courses enrolled later (taken and offered), later
//     completions, awards, CPD, CORE-Net tests and ACTO membership;
//   - applicants with no level whose evidence points to associate, student,
//     both or neither (DOMAIN §5's next level).
//
// Every applicant it makes passes revision 2's validation on asOf; one with
// evidence dated after asOf is an input error under revision 1's, so tests
// of an engine that still rejects it take genApplicantNoLater's.
//
// It is package actogen's generator (actogen.Generate), which services and
// examples reach too; the tests draw from it through this name.
func genApplicant(r *rand.Rand, asOf time.Time) *Applicant {
	return actogen.Generate(r, asOf)
}

// genApplicantNoLater is genApplicant's applicant as it stood on asOf: with
// the evidence dated after asOf left out as DOMAIN §2 says (asItStood), so
// valid under revision 1's validation too. Tests of the engine other than
// TestOracle use it until the engine leaves later evidence out itself.
func genApplicantNoLater(r *rand.Rand, asOf time.Time) *Applicant {
	return asItStood(genApplicant(r, asOf), asOf)
}

// asItStood returns a copy of a as it stood on asOf (DOMAIN §2): an entry
// whose own start (a course's enrolled, a CPD entry's or practice period's
// date) lies after asOf is left out whole; a later completed, awarded,
// testPassed, professionalMemberSince or period end is removed. Lists stay
// present, if with no entries. a itself is left alone.
func asItStood(a *Applicant, asOf time.Time) *Applicant {
	c := cloneApplicant(a)
	later := func(t *time.Time) bool { return t != nil && t.After(asOf) }
	clear := func(t **time.Time) {
		if later(*t) {
			*t = nil
		}
	}
	for i := range c.Qualifications {
		clear(&c.Qualifications[i].Awarded)
	}
	courses := func(cs []Course) []Course {
		if cs == nil {
			return nil
		}
		out := cs[:0:0]
		for _, x := range cs {
			if later(x.Enrolled) {
				continue
			}
			clear(&x.Completed)
			out = append(out, x)
		}
		return out
	}
	c.OnlineTraining = courses(c.OnlineTraining)
	c.OfferedCourses = courses(c.OfferedCourses)
	if c.CPD != nil {
		c.CPD = slices.DeleteFunc(c.CPD, func(x CPD) bool { return later(x.Date) })
	}
	if c.Practice != nil && c.Practice.Log != nil {
		c.Practice.Log = slices.DeleteFunc(c.Practice.Log, func(p PracticePeriod) bool { return later(p.From) })
		for i := range c.Practice.Log {
			clear(&c.Practice.Log[i].To)
		}
	}
	if c.CoreNet != nil {
		clear(&c.CoreNet.TestPassed)
	}
	if c.ACTO != nil {
		clear(&c.ACTO.ProfessionalMemberSince)
	}
	return c
}

// hasLaterEvidence reports whether a holds evidence dated after asOf, which
// DOMAIN §2 (revision 2) leaves out and revision 1 rejects.
func hasLaterEvidence(a *Applicant, asOf time.Time) bool {
	return !reflect.DeepEqual(a, asItStood(a, asOf))
}
