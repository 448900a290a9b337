package peers

import "slices"

// The requirements the expr and cel-go engines evaluate, one compiled
// program each, indexed by these constants.
const (
	iCoreQualified = iota
	iApprovedDiploma
	iOnlineHours250
	iOnlineSupervision
	iYears3
	iCPD80
	iOnlineHours50
	iCPD20
	iAllied
	iStudent
	iYears1
	iPostDiploma
	numRequirements
)

// requirementIDs are the policy's ids of the requirements, by index.
var requirementIDs = [numRequirements]string{
	iCoreQualified:     ReqCoreQualified,
	iApprovedDiploma:   ReqApprovedDiploma,
	iOnlineHours250:    ReqOnlineHours250,
	iOnlineSupervision: ReqOnlineSuper,
	iYears3:            ReqYears3,
	iCPD80:             ReqCPD80,
	iOnlineHours50:     ReqOnlineHours50,
	iCPD20:             ReqCPD20,
	iAllied:            ReqAllied,
	iStudent:           ReqStudent,
	iYears1:            ReqYears1,
	iPostDiploma:       ReqPostDiploma,
}

// The main levels' and the supervision diploma's requirements, by index,
// in table order.
var (
	seniorIdx       = []int{iCoreQualified, iApprovedDiploma, iOnlineHours250, iOnlineSupervision, iYears3}
	professionalIdx = []int{iCoreQualified, iCPD80, iOnlineHours50, iOnlineSupervision}
	memberIdx       = []int{iCoreQualified, iCPD20}
)

// decideHeld is the ladder, the courses and the missing list, from which
// requirements hold: the part of the policy the expr and cel-go engines
// leave to Go, as their users would.
func decideHeld(held *[numRequirements]bool) Outcome {
	all := func(idx []int) bool {
		for _, i := range idx {
			if !held[i] {
				return false
			}
		}
		return true
	}
	missing := func(idx []int) []string {
		var out []string
		for _, i := range idx {
			if !held[i] {
				out = append(out, requirementIDs[i])
			}
		}
		return out
	}
	var out Outcome
	switch {
	case all(seniorIdx):
		out.Level = Senior
	case all(professionalIdx):
		out.Level, out.Missing = Professional, missing(seniorIdx)
	case all(memberIdx):
		out.Level, out.Missing = Member, missing(professionalIdx)
	default:
		switch {
		case held[iAllied]:
			out.Level = Associate
		case held[iStudent]:
			out.Level = StudentLevel
		default:
			out.Level = None
		}
		out.Missing = missing(memberIdx)
	}
	if held[iCoreQualified] {
		out.Courses = append(out.Courses, CourseGeneralCertificate)
		if held[iYears1] {
			out.Courses = append(out.Courses, CourseDiploma)
		}
	}
	if held[iPostDiploma] {
		out.Courses = append(out.Courses, CourseProReal)
	}
	if all(professionalIdx) && held[iYears3] {
		out.Courses = append(out.Courses, CourseSupervision)
	}
	slices.Sort(out.Courses)
	return out
}
