package eligibility

import (
	"reflect"
	"strings"
)

// viewBuffers holds the lists of a verified view (see its verifiedView) between
// evaluations, so that an applicant with unverified claims costs no
// allocation for its view once the buffers have grown. One goroutine uses
// them at a time.
type viewBuffers struct {
	view           Applicant
	practice       Practice
	qualifications []Qualification
	registrations  []Registration
	onlineTraining []Course
	cpd            []CPD
	offeredCourses []Course
	log            []PracticePeriod
}

// verifiedView returns the applicant as its verified evidence alone shows
// it, built in the buffers and valid until the next call. The engine judges
// the verified view first and the full view second: a requirement met only
// in the full view rests on unverified claims.
//
// The view is a shallow copy of a in which every list of evidence
// (qualifications, registrations, onlineTraining, cpd, offeredCourses,
// practice.log) keeps only its verified entries, and unverified insurance
// becomes nil. A list with no unverified entries is a's own slice, so a
// fully verified applicant costs no allocation. A list that was present but
// keeps no entries is a non-nil empty slice: the section was given, so it
// stays known (none verified) rather than becoming absent. Sections without
// a verified flag are shared with a unchanged. The view shares memory with
// a: neither may be modified while the other is in use.
//
// It also returns the set of Applicant fields (bit i for field i) in which
// the view differs from a: a requirement that reads none of them gets the
// same result on both views.
func (vb *viewBuffers) verifiedView(a *Applicant) (*Applicant, fieldSet) {
	dst := &vb.view
	*dst = *a
	dst.Qualifications = keepVerifiedIn(&vb.qualifications, a.Qualifications, func(q *Qualification) bool { return q.Verified })
	dst.Registrations = keepVerifiedIn(&vb.registrations, a.Registrations, func(r *Registration) bool { return r.Verified })
	if a.Insurance != nil && !a.Insurance.Verified {
		dst.Insurance = nil
	}
	dst.OnlineTraining = keepVerifiedIn(&vb.onlineTraining, a.OnlineTraining, courseVerified)
	dst.CPD = keepVerifiedIn(&vb.cpd, a.CPD, func(c *CPD) bool { return c.Verified })
	dst.OfferedCourses = keepVerifiedIn(&vb.offeredCourses, a.OfferedCourses, courseVerified)
	if a.Practice != nil {
		log := keepVerifiedIn(&vb.log, a.Practice.Log, func(p *PracticePeriod) bool { return p.Verified })
		if len(log) != len(a.Practice.Log) {
			vb.practice = *a.Practice
			vb.practice.Log = log
			dst.Practice = &vb.practice
		}
	}
	var diff fieldSet
	for _, f := range viewFields {
		if f.differs(dst, a) {
			diff |= 1 << f.index
		}
	}
	return dst, diff
}

// fieldSet is a set of Applicant fields, bit i for field i.
type fieldSet uint64

// viewField is a field of Applicant that verifiedView may change.
type viewField struct {
	index   int
	differs func(view, a *Applicant) bool
}

// viewFields lists them, each with how to tell whether the view changed it
// (a list of another length, or another pointer).
var viewFields = []viewField{
	{fieldIndex("Qualifications"), func(v, a *Applicant) bool {
		return len(v.Qualifications) != len(a.Qualifications) || (v.Qualifications == nil) != (a.Qualifications == nil)
	}},
	{fieldIndex("Registrations"), func(v, a *Applicant) bool {
		return len(v.Registrations) != len(a.Registrations) || (v.Registrations == nil) != (a.Registrations == nil)
	}},
	{fieldIndex("Insurance"), func(v, a *Applicant) bool { return v.Insurance != a.Insurance }},
	{fieldIndex("OnlineTraining"), func(v, a *Applicant) bool {
		return len(v.OnlineTraining) != len(a.OnlineTraining) || (v.OnlineTraining == nil) != (a.OnlineTraining == nil)
	}},
	{fieldIndex("CPD"), func(v, a *Applicant) bool { return len(v.CPD) != len(a.CPD) || (v.CPD == nil) != (a.CPD == nil) }},
	{fieldIndex("OfferedCourses"), func(v, a *Applicant) bool {
		return len(v.OfferedCourses) != len(a.OfferedCourses) || (v.OfferedCourses == nil) != (a.OfferedCourses == nil)
	}},
	{fieldIndex("Practice"), func(v, a *Applicant) bool { return v.Practice != a.Practice }},
}

func fieldIndex(name string) int {
	f, ok := reflect.TypeFor[Applicant]().FieldByName(name)
	if !ok || len(f.Index) != 1 || f.Index[0] >= 64 {
		panic("eligibility: Applicant has no field " + name)
	}
	return f.Index[0]
}

// readSet is the set of Applicant fields whose rule names are in reads.
func readSet(reads []string) fieldSet {
	var s fieldSet
	t := reflect.TypeFor[Applicant]()
	for _, name := range reads {
		for i := 0; i < t.NumField() && i < 64; i++ {
			if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("expr"), ","); tag == name {
				s |= 1 << i
			}
		}
	}
	return s
}

// keepVerifiedIn returns the entries of list that are verified: list itself
// when all are, nil when list is nil, and otherwise *buf holding the
// verified entries, non-nil even when empty.
func keepVerifiedIn[T any](buf *[]T, list []T, verified func(*T) bool) []T {
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

func courseVerified(c *Course) bool { return c.Verified }
