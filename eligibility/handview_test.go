package eligibility

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/view"
	"github.com/stretchr/testify/require"
)

// This is the verified view as it was written by hand for Applicant, before
// internal/view built it for any model: the oracle TestViewMatchesHandWritten
// compares the compiled view with.

// handViewBuffers holds the lists of a verified view (see its handVerifiedView) between
// evaluations, so that an applicant with unverified claims costs no
// allocation for its view once the buffers have grown. One goroutine uses
// them at a time.
type handViewBuffers struct {
	view           Applicant
	practice       Practice
	qualifications []Qualification
	registrations  []Registration
	onlineTraining []Course
	cpd            []CPD
	offeredCourses []Course
	log            []PracticePeriod
}

// handVerifiedView returns the applicant as its verified evidence alone shows
// it, built in the buffers and valid until the next call. The engine judges
// the verified view first and the full view second: a requirement met only
// in the full view rests on unverified claims.
//
// The view is a shallow copy of a in which every list of evidence
// (qualifications, registrations, onlineTraining, cpd, offeredCourses,
// practice.log) keeps only its verified entries, and every unverified
// section (allied, insurance, practice, supervision, references,
// portfolio, coreNet, acto, organisation) becomes nil. A list with no unverified entries is a's own slice, so a
// fully verified applicant costs no allocation. A list that was present but
// keeps no entries is a non-nil empty slice: the section was given, so it
// stays known (none verified) rather than becoming absent. Verified
// sections are shared with a unchanged. The view shares memory with
// a: neither may be modified while the other is in use.
//
// It also returns the set of Applicant fields (bit i for field i) in which
// the view differs from a: a requirement that reads none of them gets the
// same result on both views.
func (vb *handViewBuffers) handVerifiedView(a *Applicant) (*Applicant, handFieldSet) {
	dst := &vb.view
	*dst = *a
	dst.Qualifications = handKeepVerifiedIn(&vb.qualifications, a.Qualifications, func(q *Qualification) bool { return q.Verified })
	dst.Registrations = handKeepVerifiedIn(&vb.registrations, a.Registrations, func(r *Registration) bool { return r.Verified })
	if a.Insurance != nil && !a.Insurance.Verified {
		dst.Insurance = nil
	}
	dst.OnlineTraining = handKeepVerifiedIn(&vb.onlineTraining, a.OnlineTraining, handCourseVerified)
	dst.CPD = handKeepVerifiedIn(&vb.cpd, a.CPD, func(c *CPD) bool { return c.Verified })
	dst.OfferedCourses = handKeepVerifiedIn(&vb.offeredCourses, a.OfferedCourses, handCourseVerified)
	if a.Practice != nil && !a.Practice.Verified {
		dst.Practice = nil
	} else if a.Practice != nil {
		log := handKeepVerifiedIn(&vb.log, a.Practice.Log, func(p *PracticePeriod) bool { return p.Verified })
		if len(log) != len(a.Practice.Log) {
			vb.practice = *a.Practice
			vb.practice.Log = log
			dst.Practice = &vb.practice
		}
	}
	if a.Allied != nil && !a.Allied.Verified {
		dst.Allied = nil
	}
	if a.Organisation != nil && !a.Organisation.Verified {
		dst.Organisation = nil
	}
	if a.Supervision != nil && !a.Supervision.Verified {
		dst.Supervision = nil
	}
	if a.References != nil && !a.References.Verified {
		dst.References = nil
	}
	if a.Portfolio != nil && !a.Portfolio.Verified {
		dst.Portfolio = nil
	}
	if a.CoreNet != nil && !a.CoreNet.Verified {
		dst.CoreNet = nil
	}
	if a.ACTO != nil && !a.ACTO.Verified {
		dst.ACTO = nil
	}
	var diff handFieldSet
	for _, f := range handViewFields {
		if f.differs(dst, a) {
			diff |= 1 << f.index
		}
	}
	return dst, diff
}

// handFieldSet is a set of Applicant fields, bit i for field i.
type handFieldSet uint64

// handViewField is a field of Applicant that handVerifiedView may change.
type handViewField struct {
	index   int
	differs func(view, a *Applicant) bool
}

// handViewFields lists them, each with how to tell whether the view changed it
// (a list of another length, or another pointer).
var handViewFields = []handViewField{
	{handFieldIndex("Qualifications"), func(v, a *Applicant) bool {
		return len(v.Qualifications) != len(a.Qualifications) || (v.Qualifications == nil) != (a.Qualifications == nil)
	}},
	{handFieldIndex("Registrations"), func(v, a *Applicant) bool {
		return len(v.Registrations) != len(a.Registrations) || (v.Registrations == nil) != (a.Registrations == nil)
	}},
	{handFieldIndex("Insurance"), func(v, a *Applicant) bool { return v.Insurance != a.Insurance }},
	{handFieldIndex("OnlineTraining"), func(v, a *Applicant) bool {
		return len(v.OnlineTraining) != len(a.OnlineTraining) || (v.OnlineTraining == nil) != (a.OnlineTraining == nil)
	}},
	{handFieldIndex("CPD"), func(v, a *Applicant) bool { return len(v.CPD) != len(a.CPD) || (v.CPD == nil) != (a.CPD == nil) }},
	{handFieldIndex("OfferedCourses"), func(v, a *Applicant) bool {
		return len(v.OfferedCourses) != len(a.OfferedCourses) || (v.OfferedCourses == nil) != (a.OfferedCourses == nil)
	}},
	{handFieldIndex("Practice"), func(v, a *Applicant) bool { return v.Practice != a.Practice }},
	{handFieldIndex("Allied"), func(v, a *Applicant) bool { return v.Allied != a.Allied }},
	{handFieldIndex("Organisation"), func(v, a *Applicant) bool { return v.Organisation != a.Organisation }},
	{handFieldIndex("Supervision"), func(v, a *Applicant) bool { return v.Supervision != a.Supervision }},
	{handFieldIndex("References"), func(v, a *Applicant) bool { return v.References != a.References }},
	{handFieldIndex("Portfolio"), func(v, a *Applicant) bool { return v.Portfolio != a.Portfolio }},
	{handFieldIndex("CoreNet"), func(v, a *Applicant) bool { return v.CoreNet != a.CoreNet }},
	{handFieldIndex("ACTO"), func(v, a *Applicant) bool { return v.ACTO != a.ACTO }},
}

func handFieldIndex(name string) int {
	f, ok := reflect.TypeFor[Applicant]().FieldByName(name)
	if !ok || len(f.Index) != 1 || f.Index[0] >= 64 {
		panic("eligibility: Applicant has no field " + name)
	}
	return f.Index[0]
}

// handKeepVerifiedIn returns the entries of list that are verified: list itself
// when all are, nil when list is nil, and otherwise *buf holding the
// verified entries, non-nil even when empty.
func handKeepVerifiedIn[T any](buf *[]T, list []T, verified func(*T) bool) []T {
	n := 0
	for i := range list {
		if verified(&list[i]) {
			n++
		}
	}
	if n == len(list) {
		return list
	}
	kept := (*buf)[:0]
	if kept == nil {
		kept = make([]T, 0, len(list))
	}
	for i := range list {
		if verified(&list[i]) {
			kept = append(kept, list[i])
		}
	}
	*buf = kept
	return kept[:len(kept):len(kept)]
}

func handCourseVerified(c *Course) bool { return c.Verified }

// applicantViewBuffers returns buffers for the verified view of Applicant.
func applicantViewBuffers(tb testing.TB) *view.Buffers {
	tb.Helper()
	p, err := view.New(reflect.TypeFor[Applicant]())
	if err != nil {
		tb.Fatal(err)
	}
	return p.NewBuffers()
}

// verifiedView is the compiled verified view of a, built in vb.
func verifiedView(vb *view.Buffers, a *Applicant) (*Applicant, view.Fields) {
	v, diff := vb.Verified(unsafe.Pointer(a))
	return (*Applicant)(v), diff
}

// TestViewMatchesHandWritten: on generated applicants, with practice logs
// and lists absent, empty or with nothing verified, the compiled view
// equals the hand-written one, shares with the applicant what it shares,
// and differs from it in the same fields; both reuse their buffers
// throughout.
func TestViewMatchesHandWritten(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 13))
	vb := applicantViewBuffers(t)
	var hb handViewBuffers
	for i := range 3000 {
		a := genApplicant(r, testAsOf)
		mutateClaims(r, a)
		got, gotDiff := verifiedView(vb, a)
		want, wantDiff := hb.handVerifiedView(a)
		require.Equal(t, uint64(wantDiff), uint64(gotDiff), "applicant %d: fields that differ", i)
		require.True(t, reflect.DeepEqual(want, got), "applicant %d:\nwant %+v\ngot  %+v", i, want, got)
		av, gv, wv := reflect.ValueOf(a).Elem(), reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
		for f := 0; f < av.NumField(); f++ {
			shared := func(v reflect.Value) bool {
				x := av.Field(f)
				switch x.Kind() {
				case reflect.Slice:
					return v.Field(f).Pointer() == x.Pointer() && v.Field(f).Len() == x.Len() && v.Field(f).IsNil() == x.IsNil()
				case reflect.Pointer:
					return v.Field(f).Pointer() == x.Pointer()
				}
				return true
			}
			require.Equal(t, shared(wv), shared(gv), "applicant %d: field %s shared", i, av.Type().Field(f).Name)
		}
	}
}

// mutateClaims gives a a practice log and, now and then, a list absent,
// empty or with nothing verified: what genApplicant does not make.
func mutateClaims(r *rand.Rand, a *Applicant) {
	if a.Practice != nil && r.IntN(2) == 0 {
		n := r.IntN(4)
		if r.IntN(4) > 0 || n > 0 {
			a.Practice.Log = make([]PracticePeriod, n)
		}
		for k := range a.Practice.Log {
			a.Practice.Log[k] = PracticePeriod{ClientHours: float64(k), Verified: r.IntN(3) > 0}
		}
	}
	switch r.IntN(6) {
	case 0:
		a.CPD = nil
	case 1:
		a.OnlineTraining = []Course{}
	case 2:
		for k := range a.Qualifications {
			a.Qualifications[k].Verified = false
		}
	}
}
