package eligibility

// verifiedView fills *dst with the applicant as its verified evidence alone shows it,
// and returns dst. The engine judges the verified view first and the full view second:
// a requirement met only in the full view rests on unverified claims.
//
// The view is a shallow copy of a in which every list of evidence (qualifications,
// registrations, onlineTraining, cpd, offeredCourses, practice.log) keeps only its
// verified entries, and unverified insurance becomes nil. A list with no unverified
// entries is a's own slice, so a fully verified applicant costs no allocation. A list
// that was present but keeps no entries is a non-nil empty slice: the section was given,
// so it stays known (none verified) rather than becoming absent. Sections without a
// verified flag are shared with a unchanged. The view shares memory with a: neither may
// be modified while the other is in use.
func verifiedView(dst, a *Applicant) *Applicant {
	*dst = *a
	dst.Qualifications = keepVerified(a.Qualifications, func(q *Qualification) bool { return q.Verified })
	dst.Registrations = keepVerified(a.Registrations, func(r *Registration) bool { return r.Verified })
	if a.Insurance != nil && !a.Insurance.Verified {
		dst.Insurance = nil
	}
	dst.OnlineTraining = keepVerified(a.OnlineTraining, courseVerified)
	dst.CPD = keepVerified(a.CPD, func(c *CPD) bool { return c.Verified })
	dst.OfferedCourses = keepVerified(a.OfferedCourses, courseVerified)
	if a.Practice != nil {
		log := keepVerified(a.Practice.Log, func(p *PracticePeriod) bool { return p.Verified })
		if len(log) != len(a.Practice.Log) {
			practice := *a.Practice
			practice.Log = log
			dst.Practice = &practice
		}
	}
	return dst
}

func courseVerified(c *Course) bool { return c.Verified }

// keepVerified returns the entries of list that are verified: list itself when all are,
// nil when list is nil, and otherwise a new slice, non-nil even when empty.
func keepVerified[T any](list []T, verified func(*T) bool) []T {
	n := 0
	for i := range list {
		if verified(&list[i]) {
			n++
		}
	}
	if n == len(list) {
		return list
	}
	kept := make([]T, 0, n)
	for i := range list {
		if verified(&list[i]) {
			kept = append(kept, list[i])
		}
	}
	return kept
}
