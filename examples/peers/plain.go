package peers

import "slices"

// DecidePlain decides a in plain Go: the baseline the other engines are
// measured against, written the way one would write this policy by hand.
func DecidePlain(a *Applicant) Outcome {
	// Derived facts.
	var coreQualified, postDiploma, approvedDiploma bool
	for _, q := range a.Qualifications {
		if !coreField(q.Field) {
			continue
		}
		switch q.Level {
		case "diploma", "degree":
			coreQualified = true
		case "post-diploma", "masters", "doctorate":
			coreQualified, postDiploma = true, true
		}
	}
	var approvedCPD float64
	for _, t := range a.Trainings {
		if t.ApprovedProvider && t.Completed {
			approvedCPD += t.CPDHours
			if t.CPDHours >= 300 {
				approvedDiploma = true
			}
		}
	}

	// Requirements, by level, in table order.
	senior := []bool{coreQualified, approvedDiploma, a.OnlineClientHours >= 250, a.OnlineSupervision, a.YearsQualified >= 3}
	professional := []bool{coreQualified, approvedCPD >= 80, a.OnlineClientHours >= 50, a.OnlineSupervision}
	member := []bool{coreQualified, approvedCPD >= 20}

	var out Outcome
	switch {
	case allTrue(senior):
		out.Level = Senior
	case allTrue(professional):
		out.Level, out.Missing = Professional, failing(seniorReqs, senior)
	case allTrue(member):
		out.Level, out.Missing = Member, failing(professionalReqs, professional)
	default:
		switch {
		case a.AlliedProfessional:
			out.Level = Associate
		case a.Student:
			out.Level = StudentLevel
		default:
			out.Level = None
		}
		out.Missing = failing(memberReqs, member)
	}

	if coreQualified {
		out.Courses = append(out.Courses, CourseGeneralCertificate)
		if a.YearsQualified >= 1 {
			out.Courses = append(out.Courses, CourseDiploma)
		}
	}
	if postDiploma {
		out.Courses = append(out.Courses, CourseProReal)
	}
	if allTrue(professional) && a.YearsQualified >= 3 {
		out.Courses = append(out.Courses, CourseSupervision)
	}
	slices.Sort(out.Courses)
	return out
}

func coreField(f string) bool {
	return f == "counselling" || f == "psychotherapy" || f == "psychology"
}

func allTrue(held []bool) bool {
	for _, h := range held {
		if !h {
			return false
		}
	}
	return true
}

// failing returns the ids whose requirement does not hold, in order.
func failing(ids []string, held []bool) []string {
	var out []string
	for i, h := range held {
		if !h {
			out = append(out, ids[i])
		}
	}
	return out
}
