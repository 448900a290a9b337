package eligibility

import (
	"time"
	"unicode"
	"unicode/utf8"
)

// The oracle: the ACTO rules of DOMAIN.md (revision 2) §2–§8 written by hand in plain Go,
// from the specification and not from rules/acto/*.yaml, so that the
// differential test (TestOracle) can hold the engine and the rule files to
// the specification. It is also the "hand-written Go" baseline the engine's
// benchmarks compare against: it allocates nothing but the granted lists and
// reads each section of the applicant directly.
//
// Where DOMAIN.md leaves a choice open, the oracle takes the reading below;
// each is stated where it is made.
//   - Levels, categories other than organisational and training-provider, and
//     courses are for individuals (kind "" or individual).
//   - An absent section is unknown; a requirement that can be settled without
//     it (the known CPD hours already reach the threshold) is settled.
//   - A requirement's status compares the verified view of the applicant
//     (list entries and sections with verified: true) with the full view:
//     met on verified evidence is met, met only on the full view is
//     unverified, otherwise the full view's status stands (DOMAIN §8).
//   - Evidence dated after the evaluation date is left out (DOMAIN §2): an
//     entry whose own start (a course's enrolled, a CPD entry's date) is
//     later is left out whole, offered courses included; a later completed,
//     awarded, testPassed or professionalMemberSince is read as absent. A
//     list whose entries are all left out stays present, with no entries.
//   - "Next level" (DOMAIN §5): the first rung of the ladder above the
//     applicant's level (from the first, with no level; none at the top)
//     open to the applicant. Member and the rungs above are open to all;
//     associate and student only when the applicant's own evidence (the
//     full view: a claim, verified or not) points there: an allied role,
//     or an enrolment on an approved provider's course or a core-field
//     qualification in progress. So with no level it is member unless the
//     evidence points to associate or student (both: the lower rung,
//     associate), and an associate's next is member unless enrolled.

// oracleReq numbers the requirements the ACTO levels, categories and courses
// are built from. The ids are those of rules/acto, so that statuses can be
// compared one by one; the conditions are DOMAIN.md's.
type oracleReq uint8

const (
	oIndividual oracleReq = iota
	oIsOrganisation
	oIsTrainingProvider
	oCoreTraining
	oCounsellingCoreTraining
	oPostDiploma
	oInCoreTraining
	oExperienced
	oRegistered
	oInsured
	oReference
	oQualifyingCourse
	oSeniorCourse
	oEnrolledOnline
	oApprovedCourseTaken
	oApprovedCertificateOrDiploma
	oSupervisionCourse
	oOnlineCPD
	oHasOnlineSupervisees
	oOnlineTrainedSupervisor
	oCaseStudy
	oGrandparentingHours
	oAlliedRole
	oFormerProfessional
	oNotPractising
	oOffersCounselling
	oProviderCourseCriteria
	oCoreNetTest
	oracleNumReqs
)

var oracleReqIDs = [oracleNumReqs]string{
	oIndividual:                   "individual",
	oIsOrganisation:               "is-organisation",
	oIsTrainingProvider:           "is-training-provider",
	oCoreTraining:                 "core-training",
	oCounsellingCoreTraining:      "counselling-core-training",
	oPostDiploma:                  "post-diploma",
	oInCoreTraining:               "in-core-training",
	oExperienced:                  "experienced",
	oRegistered:                   "registered",
	oInsured:                      "insured",
	oReference:                    "reference",
	oQualifyingCourse:             "qualifying-course",
	oSeniorCourse:                 "senior-course",
	oEnrolledOnline:               "enrolled-online",
	oApprovedCourseTaken:          "approved-course-taken",
	oApprovedCertificateOrDiploma: "approved-certificate-or-diploma",
	oSupervisionCourse:            "supervision-course",
	oOnlineCPD:                    "online-cpd",
	oHasOnlineSupervisees:         "has-online-supervisees",
	oOnlineTrainedSupervisor:      "online-trained-supervisor",
	oCaseStudy:                    "case-study",
	oGrandparentingHours:          "grandparenting-hours",
	oAlliedRole:                   "allied-role",
	oFormerProfessional:           "former-professional",
	oNotPractising:                "not-practising",
	oOffersCounselling:            "offers-counselling",
	oProviderCourseCriteria:       "provider-course-criteria",
	oCoreNetTest:                  "core-net-test",
}

// DOMAIN.md's figures. The rule set keeps them as parameters; the oracle
// writes them down, as a programmer coding the rules by hand would.
const (
	oQualifyingHours      = 80   // qualifying_course_hours
	oSeniorHours          = 200  // senior_course_hours
	oMinFormats           = 4    // min_formats
	oMemberCPDHours       = 20   // member_cpd_hours (assumed)
	oCPDWindowMonths      = 36   // "within the last 36 months"
	oExperiencedYears     = 1    // experienced_years (assumed)
	oCaseStudyWords       = 2500 // Level 3 case study
	oGrandparentingMin    = 80
	oGrandparentingEssay  = 1500
	oGrandparentingCases  = 2
	oRetiredMemberYears   = 3
	oMinOnlineSupervisees = 1
)

// oracleInForce is the first day the rule set is in force (DOMAIN §5: the
// three-level scheme's start); evaluating as of an earlier date is an error.
var oracleInForce = time.Date(2020, 10, 6, 0, 0, 0, 0, time.UTC)

// oracleStatus is a requirement's status on one view of the applicant.
type oracleStatus uint8

const (
	osUnmet oracleStatus = iota
	osMet
	osUnknown
	osReview
)

// Requirement statuses and outcomes as DOMAIN §8 names them.
const (
	oracleMet        = "met"
	oracleUnmet      = "unmet"
	oracleUnknown    = "unknown"
	oracleUnverified = "unverified"
	oracleReview     = "review"

	oracleRefused      = "refused"
	oracleUndetermined = "undetermined"
	oracleReferred     = "referred"
	oracleProvisional  = "provisional"
	oracleGranted      = "granted"
)

// oracleAward is a level, category or course: shared requirements and,
// optionally, alternative routes (one of which must hold).
type oracleAward struct {
	id       string
	requires []oracleReq
	routes   []oracleRoute
}

type oracleRoute struct {
	requires []oracleReq
	review   bool // assessed by a panel: referred at best
}

// DOMAIN §5: the ladder for individuals, lowest first.
var oracleLevels = [...]oracleAward{
	{id: "associate", requires: []oracleReq{oIndividual, oAlliedRole}},
	{id: "student", requires: []oracleReq{oIndividual}, routes: []oracleRoute{
		{requires: []oracleReq{oEnrolledOnline}},
		{requires: []oracleReq{oInCoreTraining}},
	}},
	{id: "member", requires: []oracleReq{oIndividual, oCoreTraining, oOnlineCPD}},
	{id: "professional", requires: []oracleReq{oIndividual, oCoreTraining, oRegistered, oInsured, oReference}, routes: []oracleRoute{
		{requires: []oracleReq{oQualifyingCourse}},
		{requires: []oracleReq{oGrandparentingHours}, review: true},
	}},
	{id: "senior", requires: []oracleReq{oIndividual, oCoreTraining, oRegistered, oInsured, oReference,
		oQualifyingCourse, oSeniorCourse, oCaseStudy}},
}

// DOMAIN §5: categories outside the ladder.
var oracleCategories = [...]oracleAward{
	{id: "retired", requires: []oracleReq{oIndividual, oFormerProfessional, oNotPractising}},
	{id: "organisational", requires: []oracleReq{oIsOrganisation, oOffersCounselling}, routes: []oracleRoute{
		{review: true}, // criteria unpublished: review
	}},
	{id: "training-provider", requires: []oracleReq{oIsTrainingProvider, oProviderCourseCriteria}},
}

// DOMAIN §6: courses, all that hold are granted. Every listed course is
// only open to trained and experienced therapists, so each requires
// experienced on top of the table's requirements.
var oracleCourses = [...]oracleAward{
	{id: "academy-general-certificate", requires: []oracleReq{oIndividual, oCoreTraining, oExperienced}},
	{id: "academy-diploma", requires: []oracleReq{oIndividual, oCoreTraining, oRegistered, oExperienced}},
	{id: "proreal", requires: []oracleReq{oIndividual, oPostDiploma, oExperienced}},
	{id: "proreal-online", requires: []oracleReq{oIndividual, oPostDiploma, oApprovedCourseTaken, oExperienced}},
	{id: "relate-online", requires: []oracleReq{oIndividual, oCoreTraining, oExperienced}},
	{id: "oti-online-therapy", requires: []oracleReq{oIndividual, oCoreTraining, oExperienced}},
	{id: "ocst-certificated", requires: []oracleReq{oIndividual, oCoreTraining, oExperienced}},
	{id: "olt-general-certificate", requires: []oracleReq{oIndividual, oCoreTraining, oExperienced}},
	{id: "olt-diploma-counselling", requires: []oracleReq{oIndividual, oCoreTraining, oExperienced}},
	{id: "olt-diploma-supervision", requires: []oracleReq{oIndividual, oCounsellingCoreTraining,
		oApprovedCertificateOrDiploma, oHasOnlineSupervisees, oOnlineTrainedSupervisor, oExperienced}},
}

// oracleDecision is what the oracle decides for one applicant.
type oracleDecision struct {
	// NotInForce says the evaluation date is before the rule set is in
	// force (DOMAIN §5): there is no decision, only an error; the other
	// fields are empty.
	NotInForce bool
	Level      string   // the highest granted level, or ""
	Next       string   // the next level (DOMAIN §5), or "" at the top
	Categories []string // granted categories, in table order
	Courses    []string // granted courses, in table order
	// Status holds each requirement's status, indexed by oracleReq (ids in
	// oracleReqIDs).
	Status [oracleNumReqs]string
	// Outcomes of every level, category and course, in table order.
	LevelOutcomes    [len(oracleLevels)]string
	CategoryOutcomes [len(oracleCategories)]string
	CourseOutcomes   [len(oracleCourses)]string
}

// oracleDecide decides a (valid) applicant on the evaluation date asOf.
func oracleDecide(a *Applicant, asOf time.Time) oracleDecision {
	y, m, dd := asOf.Date()
	asOf = time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	if asOf.Before(oracleInForce) {
		return oracleDecision{NotInForce: true}
	}
	// Which courses come from approved providers, worked out once.
	var approved uint64
	for i := range min(len(a.OnlineTraining), 64) {
		if oracleApprovedProvider(a.OnlineTraining[i].Provider) {
			approved |= 1 << i
		}
	}
	verified := newOracleView(a, asOf, true, approved)
	full := newOracleView(a, asOf, false, approved)
	var d oracleDecision
	for r := range oracleNumReqs {
		if verified.status(r) == osMet {
			d.Status[r] = oracleMet
			continue
		}
		switch full.status(r) {
		case osMet:
			d.Status[r] = oracleUnverified
		case osReview:
			d.Status[r] = oracleReview
		case osUnknown:
			d.Status[r] = oracleUnknown
		default:
			d.Status[r] = oracleUnmet
		}
	}
	top := -1
	for i := range oracleLevels {
		d.LevelOutcomes[i] = oracleAwardOutcome(&oracleLevels[i], &d.Status)
		if d.LevelOutcomes[i] == oracleGranted {
			top = i // the ladder is lowest first: the last granted wins
		}
	}
	if top >= 0 {
		d.Level = oracleLevels[top].id
	}
	d.Next = oracleNext(top, &d.Status)
	for i := range oracleCategories {
		d.CategoryOutcomes[i] = oracleAwardOutcome(&oracleCategories[i], &d.Status)
		if d.CategoryOutcomes[i] == oracleGranted {
			d.Categories = append(d.Categories, oracleCategories[i].id)
		}
	}
	for i := range oracleCourses {
		d.CourseOutcomes[i] = oracleAwardOutcome(&oracleCourses[i], &d.Status)
		if d.CourseOutcomes[i] == oracleGranted {
			d.Courses = append(d.Courses, oracleCourses[i].id)
		}
	}
	return d
}

// oracleNext is the next level (DOMAIN §5) for an applicant whose highest
// granted level is oracleLevels[top] (top -1: none): the first rung above
// it open to the applicant. Associate is open only to an allied role,
// student only to an enrolment on an approved provider's course or a
// core-field qualification in progress, each a claim, verified or not (a
// status met or unverified); the professional rungs to all.
func oracleNext(top int, st *[oracleNumReqs]string) string {
	claimed := func(r oracleReq) bool { return st[r] == oracleMet || st[r] == oracleUnverified }
	for _, l := range oracleLevels[top+1:] {
		switch {
		case l.id == "associate" && !claimed(oAlliedRole):
		case l.id == "student" && !claimed(oEnrolledOnline) && !claimed(oInCoreTraining):
		default:
			return l.id
		}
	}
	return ""
}

// oracleAwardOutcome is the award's outcome: with routes, the best route's.
func oracleAwardOutcome(aw *oracleAward, st *[oracleNumReqs]string) string {
	if len(aw.routes) == 0 {
		return oracleOutcome(st, aw.requires, nil, false)
	}
	best := oracleRefused
	for _, rt := range aw.routes {
		if o := oracleOutcome(st, aw.requires, rt.requires, rt.review); oracleOutcomeRank(o) > oracleOutcomeRank(best) {
			best = o
		}
	}
	return best
}

// oracleOutcome applies DOMAIN §8, first match wins: refused if any
// requirement is unmet, undetermined if any is unknown, referred if any needs
// review (or the route is a panel's), provisional if any is unverified,
// otherwise granted.
func oracleOutcome(st *[oracleNumReqs]string, shared, own []oracleReq, review bool) string {
	var unknown, referred, unverified bool
	for _, reqs := range [2][]oracleReq{shared, own} {
		for _, r := range reqs {
			switch st[r] {
			case oracleUnmet:
				return oracleRefused
			case oracleUnknown:
				unknown = true
			case oracleReview:
				referred = true
			case oracleUnverified:
				unverified = true
			}
		}
	}
	switch {
	case unknown:
		return oracleUndetermined
	case referred || review:
		return oracleReferred
	case unverified:
		return oracleProvisional
	}
	return oracleGranted
}

func oracleOutcomeRank(o string) int {
	switch o {
	case oracleGranted:
		return 4
	case oracleProvisional:
		return 3
	case oracleReferred:
		return 2
	case oracleUndetermined:
		return 1
	}
	return 0
}

// oracleView is the applicant as one view shows it: with verifiedOnly, only
// the list entries and the sections an administrator has verified count; an
// unverified section is as if absent. A list present in the document stays
// present (possibly with no entries) in the verified view.
type oracleView struct {
	a            *Applicant
	asOf         time.Time
	verifiedOnly bool
	approved     uint64 // bit i: onlineTraining[i] is from an approved provider (i < 64)

	// The sections the view shows: nil when absent or, with verifiedOnly,
	// unverified.
	allied       *Allied
	insurance    *Insurance
	practice     *Practice
	supervision  *Supervision
	references   *References
	portfolio    *Portfolio
	coreNet      *CoreNet
	acto         *ACTOMembership
	organisation *Organisation
}

// newOracleView returns the view of a on asOf: the verified view with
// verifiedOnly, else the full view.
func newOracleView(a *Applicant, asOf time.Time, verifiedOnly bool, approved uint64) oracleView {
	v := oracleView{a: a, asOf: asOf, verifiedOnly: verifiedOnly, approved: approved}
	if a.Allied != nil && v.counts(a.Allied.Verified) {
		v.allied = a.Allied
	}
	if a.Insurance != nil && v.counts(a.Insurance.Verified) {
		v.insurance = a.Insurance
	}
	if a.Practice != nil && v.counts(a.Practice.Verified) {
		v.practice = a.Practice
	}
	if a.Supervision != nil && v.counts(a.Supervision.Verified) {
		v.supervision = a.Supervision
	}
	if a.References != nil && v.counts(a.References.Verified) {
		v.references = a.References
	}
	if a.Portfolio != nil && v.counts(a.Portfolio.Verified) {
		v.portfolio = a.Portfolio
	}
	if a.CoreNet != nil && v.counts(a.CoreNet.Verified) {
		v.coreNet = a.CoreNet
	}
	if a.ACTO != nil && v.counts(a.ACTO.Verified) {
		v.acto = a.ACTO
	}
	if a.Organisation != nil && v.counts(a.Organisation.Verified) {
		v.organisation = a.Organisation
	}
	return v
}

// approvedCourse reports whether onlineTraining[i] is from an approved provider.
func (v *oracleView) approvedCourse(i int) bool {
	if i < 64 {
		return v.approved&(1<<i) != 0
	}
	return oracleApprovedProvider(v.a.OnlineTraining[i].Provider)
}

func (v *oracleView) counts(verified bool) bool { return verified || !v.verifiedOnly }

// done reports whether an event date is set and not after the evaluation
// date: a later one is left out, as if absent (DOMAIN §2).
func (v *oracleView) done(t *time.Time) bool { return t != nil && !t.After(v.asOf) }

// later reports whether an entry's own start date lies after the evaluation
// date, which leaves the entry out whole (DOMAIN §2).
func (v *oracleView) later(start *time.Time) bool { return start != nil && start.After(v.asOf) }

// current reports whether an expiry date is set and on or after the evaluation date.
func (v *oracleView) current(t *time.Time) bool { return t != nil && !t.Before(v.asOf) }

// status evaluates one requirement on the view.
func (v *oracleView) status(r oracleReq) oracleStatus {
	a := v.a
	switch r {
	case oIndividual:
		return oracleBool(a.Kind == "" || a.Kind == KindIndividual)
	case oIsOrganisation:
		return oracleBool(a.Kind == KindOrganisation)
	case oIsTrainingProvider:
		return oracleBool(a.Kind == KindTrainingProvider)
	case oCoreTraining, oCounsellingCoreTraining, oPostDiploma, oInCoreTraining, oExperienced:
		return v.qualification(r)
	case oRegistered:
		return v.registered()
	case oInsured:
		ins := v.insurance
		if ins == nil {
			return osUnknown
		}
		if !ins.ProfessionalIndemnity {
			return osUnmet
		}
		if ins.Expires == nil {
			return osUnknown
		}
		return oracleBool(v.current(ins.Expires))
	case oReference:
		if v.references == nil {
			return osUnknown
		}
		return oracleBool(v.references.SafeOnlinePractice)
	case oQualifyingCourse, oSeniorCourse, oEnrolledOnline, oApprovedCourseTaken,
		oApprovedCertificateOrDiploma, oSupervisionCourse:
		return v.onlineCourse(r)
	case oOnlineCPD:
		return v.onlineCPD()
	case oHasOnlineSupervisees:
		if v.practice == nil {
			return osUnknown
		}
		return oracleBool(v.practice.OnlineSupervisees >= oMinOnlineSupervisees)
	case oOnlineTrainedSupervisor:
		if v.supervision == nil {
			return osUnknown
		}
		return oracleBool(v.supervision.OnlineTrainedSupervisor)
	case oCaseStudy:
		if v.portfolio == nil {
			return osUnknown
		}
		return oracleBool(v.portfolio.CaseStudyWords >= oCaseStudyWords)
	case oGrandparentingHours:
		return v.grandparenting()
	case oAlliedRole:
		// An absent allied section claims no role: unmet, not unknown
		// (DOMAIN §5: "allied.role set").
		if v.allied == nil {
			return osUnmet
		}
		switch v.allied.Role {
		case "trainer", "researcher", "retired-therapist", "allied-professional":
			return osMet
		}
		return osUnmet
	case oFormerProfessional:
		// A later professionalMemberSince is as if absent (DOMAIN §2).
		if v.acto == nil || !v.done(v.acto.ProfessionalMemberSince) {
			return osUnknown
		}
		return oracleBool(oracleWholeYears(*v.acto.ProfessionalMemberSince, v.asOf) >= oRetiredMemberYears)
	case oNotPractising:
		if a.Practising == nil {
			return osUnknown
		}
		return oracleBool(!*a.Practising)
	case oOffersCounselling:
		if v.organisation == nil {
			return osUnknown
		}
		return oracleBool(v.organisation.OffersCounselling)
	case oProviderCourseCriteria:
		if a.OfferedCourses == nil {
			return osUnknown
		}
		for i := range a.OfferedCourses {
			c := &a.OfferedCourses[i]
			if v.counts(c.Verified) && !v.later(c.Enrolled) && oracleCourseCriteria(c, oQualifyingHours) {
				return osMet
			}
		}
		return osUnmet
	case oCoreNetTest:
		cn := v.coreNet
		if cn == nil {
			return osUnknown
		}
		if !cn.TrainingCompleted {
			return osUnmet
		}
		// An absent testPassed is unknown; a later one leaves the test not
		// passed, as if absent (DOMAIN §2).
		if !v.done(cn.TestPassed) {
			return osUnknown
		}
		return osMet
	}
	return osUnmet
}

func oracleBool(ok bool) oracleStatus {
	if ok {
		return osMet
	}
	return osUnmet
}

// qualification decides the requirements on qualifications (DOMAIN §4):
// core-training, its counselling-only form (olt-diploma-supervision),
// post-diploma, in-core-training and experienced.
func (v *oracleView) qualification(r oracleReq) oracleStatus {
	qs := v.a.Qualifications
	if qs == nil {
		return osUnknown
	}
	for i := range qs {
		q := &qs[i]
		if !v.counts(q.Verified) {
			continue
		}
		awarded := v.done(q.Awarded)
		var ok bool
		switch r {
		case oCoreTraining:
			ok = oracleCoreQualification(q) && awarded
		case oCounsellingCoreTraining:
			ok = oracleCoreQualification(q) && q.Field == "counselling" && awarded
		case oPostDiploma:
			ok = oracleCoreField(q.Field) && awarded &&
				(q.Level == "post-diploma" || q.Level == "masters" || q.Level == "doctorate")
		case oInCoreTraining:
			ok = oracleDiplomaOrAbove(q.Level) && oracleCoreField(q.Field) && !awarded
		case oExperienced:
			// "At least a whole year since the first core-training award": the
			// earliest award is the oldest, so any award old enough will do.
			ok = oracleCoreQualification(q) && awarded &&
				oracleWholeYears(*q.Awarded, v.asOf) >= oExperiencedYears
		}
		if ok {
			return osMet
		}
	}
	return osUnmet
}

// oracleCoreQualification: diploma level or above, in a core field, delivered
// face-to-face or blended (the award is checked by the caller).
func oracleCoreQualification(q *Qualification) bool {
	return oracleDiplomaOrAbove(q.Level) && oracleCoreField(q.Field) &&
		(q.Delivery == "face-to-face" || q.Delivery == "blended")
}

func oracleDiplomaOrAbove(level string) bool {
	switch level {
	case "diploma", "post-diploma", "degree", "masters", "doctorate":
		return true
	}
	return false
}

func oracleCoreField(field string) bool {
	return field == "counselling" || field == "psychotherapy" || field == "psychology"
}

// registered: a current registration with a recognised body is met. Failing
// that, "a registration with other makes this requirement review" (DOMAIN
// §4), unless it has expired: an expired registration registers no one.
// Failing that, a recognised registration without an expiry date leaves its
// currency unknown.
func (v *oracleView) registered() oracleStatus {
	regs := v.a.Registrations
	if regs == nil {
		return osUnknown
	}
	var noExpiry, other bool
	for i := range regs {
		reg := &regs[i]
		if !v.counts(reg.Verified) {
			continue
		}
		switch reg.Body {
		case "BACP", "UKCP", "BPC", "BPS", "BABCP", "NCS":
			if reg.Expires == nil {
				noExpiry = true
			} else if v.current(reg.Expires) {
				return osMet
			}
		case "other":
			if reg.Expires == nil || v.current(reg.Expires) {
				other = true
			}
		}
	}
	switch {
	case other:
		return osReview
	case noExpiry:
		return osUnknown
	}
	return osUnmet
}

// onlineCourse decides the requirements on the applicant's online courses.
func (v *oracleView) onlineCourse(r oracleReq) oracleStatus {
	cs := v.a.OnlineTraining
	if cs == nil {
		return osUnknown
	}
	for i := range cs {
		c := &cs[i]
		if !v.counts(c.Verified) || !v.approvedCourse(i) || v.later(c.Enrolled) {
			continue
		}
		completed := v.done(c.Completed)
		var ok bool
		switch r {
		case oQualifyingCourse:
			ok = completed && oracleCourseCriteria(c, oQualifyingHours)
		case oSeniorCourse:
			ok = completed && (c.Level == "certificate" || c.Level == "diploma") &&
				oracleCourseCriteria(c, oSeniorHours)
		case oEnrolledOnline:
			ok = !completed
		case oApprovedCourseTaken:
			ok = true
		case oApprovedCertificateOrDiploma:
			ok = completed && (c.Level == "certificate" || c.Level == "diploma")
		case oSupervisionCourse:
			ok = completed && c.Supervision
		}
		if ok {
			return osMet
		}
	}
	return osUnmet
}

// oracleCourseCriteria: ACTO's minimum course criteria with a minimum of hours.
func oracleCourseCriteria(c *Course, minHours float64) bool {
	if c.Hours < minHours || !c.TutorLed || !c.SkillsAssessed || !c.ReflectiveWork {
		return false
	}
	var seen uint8
	for _, f := range c.Formats {
		switch f {
		case "video":
			seen |= 1
		case "audio":
			seen |= 2
		case "email":
			seen |= 4
		case "chat":
			seen |= 8
		}
	}
	n := 0
	for ; seen != 0; seen &= seen - 1 {
		n++
	}
	return n >= oMinFormats
}

// onlineCPD: online CPD entries and completed approved courses within the
// last 36 months, at least 20 hours. The window includes its first day, 36
// months before the evaluation date (DOMAIN §4). What is known may reach
// the threshold already; otherwise an absent cpd or onlineTraining section
// leaves it unknown.
func (v *oracleView) onlineCPD() oracleStatus {
	from := oracleMonthsBefore(v.asOf, oCPDWindowMonths)
	within := func(t *time.Time) bool { return t != nil && !t.Before(from) && !t.After(v.asOf) }
	hours := 0.0
	for i := range v.a.CPD {
		c := &v.a.CPD[i]
		if v.counts(c.Verified) && c.Online && within(c.Date) {
			hours += c.Hours
		}
	}
	for i := range v.a.OnlineTraining {
		c := &v.a.OnlineTraining[i]
		if v.counts(c.Verified) && v.approvedCourse(i) && !v.later(c.Enrolled) && within(c.Completed) {
			hours += c.Hours
		}
	}
	switch {
	case hours >= oMemberCPDHours:
		return osMet
	case v.a.CPD == nil || v.a.OnlineTraining == nil:
		return osUnknown
	}
	return osUnmet
}

// grandparenting: online CPD hours, completed approved course hours and
// online client hours together reach 80, with a supervisor's report, an essay
// of 1500 words and a case study of two clients. DOMAIN sets no window and no
// date condition on these hours, so an online CPD activity counts whatever
// its date, unless that date is after the evaluation date (DOMAIN §2: left
// out). Unmet anywhere is unmet; otherwise absent data is unknown.
func (v *oracleView) grandparenting() oracleStatus {
	a := v.a
	hours := 0.0
	for i := range a.CPD {
		if c := &a.CPD[i]; v.counts(c.Verified) && c.Online && !v.later(c.Date) {
			hours += c.Hours
		}
	}
	for i := range a.OnlineTraining {
		if c := &a.OnlineTraining[i]; v.counts(c.Verified) && v.approvedCourse(i) && !v.later(c.Enrolled) && v.done(c.Completed) {
			hours += c.Hours
		}
	}
	if v.practice != nil {
		hours += v.practice.OnlineClientHours
	}
	hoursStatus := osMet
	if hours < oGrandparentingMin {
		hoursStatus = osUnmet
		if a.CPD == nil || a.OnlineTraining == nil || v.practice == nil {
			hoursStatus = osUnknown
		}
	}
	p := v.portfolio
	if p == nil {
		if hoursStatus == osUnmet {
			return osUnmet
		}
		return osUnknown
	}
	if !p.SupervisorReport || p.EssayWords < oGrandparentingEssay || p.CaseStudyClients < oGrandparentingCases {
		return osUnmet
	}
	return hoursStatus
}

// oracleWholeYears is the number of whole years from t to asOf (-1 when t is
// after asOf), counted calendar-wise (DOMAIN §4): a year is complete on its
// anniversary, and where the anniversary does not exist (29 February in
// other years) on the month's last day, so that from 2024-02-29 one year is
// complete on 2025-02-28.
func oracleWholeYears(t, asOf time.Time) int {
	if t.After(asOf) {
		return -1
	}
	years := asOf.Year() - t.Year()
	if asOf.Before(oracleYearsAfter(t, years)) {
		years--
	}
	return years
}

// oracleYearsAfter is the date n calendar years after t: the same month and
// day, or the month's last day where that day does not exist.
func oracleYearsAfter(t time.Time, n int) time.Time {
	first := time.Date(t.Year()+n, t.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1)
}

// oracleMonthsBefore is the date n calendar months before asOf, on the same
// day of the month or, where that month is shorter, on its last day: 36
// months before 29 February 2024 is 28 February 2021. A date counts as
// within the last n months when it is on or after this one (DOMAIN §4: the
// window includes its first day).
func oracleMonthsBefore(asOf time.Time, n int) time.Time {
	first := time.Date(asOf.Year(), asOf.Month()-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(asOf.Day(), last)-1)
}

// The approved providers of DOMAIN §3: ids, names and aliases. ProReal is
// not one: its course is listed under the Academy's entry.
var oracleProviderNames = [...]string{
	"academy", "The Academy for Online Counselling & Psychotherapy",
	"Academy for Online Counselling and Psychotherapy", "PWT Academy",
	"relate", "Relate",
	"oti", "The Online Therapy Institute", "Online Therapy Institute",
	"ocst", "OCST Online Counselling Services & Training", "Online Counselling Services and Training",
	"olt", "Online Training for Counsellors Ltd", "OLT", "OLT4C",
}

// oracleApprovedProvider reports whether name is an approved provider's id,
// name or alias, ignoring case and spacing (leading, trailing and repeated
// white space). Anything else is not approved.
//
// An ASCII name is folded into a buffer on the stack and looked up with a
// switch; other names are compared rune by rune.
func oracleApprovedProvider(name string) bool {
	var buf [64]byte // longer than any approved name
	n, gap := 0, false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= utf8.RuneSelf:
			return oracleApprovedUnicode(name)
		case c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			gap = n > 0
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if gap {
			if n == len(buf) {
				return false
			}
			buf[n], n, gap = ' ', n+1, false
		}
		if n == len(buf) {
			return false
		}
		buf[n], n = c, n+1
	}
	switch string(buf[:n]) {
	case "academy", "the academy for online counselling & psychotherapy",
		"academy for online counselling and psychotherapy", "pwt academy",
		"relate",
		"oti", "the online therapy institute", "online therapy institute",
		"ocst", "ocst online counselling services & training", "online counselling services and training",
		"olt", "online training for counsellors ltd", "olt4c":
		return true
	}
	return false
}

// oracleApprovedUnicode is oracleApprovedProvider for names beyond ASCII.
func oracleApprovedUnicode(name string) bool {
	for _, known := range oracleProviderNames {
		if oracleSameName(name, known) {
			return true
		}
	}
	return false
}

// oracleSameName compares two names word by word, without regard to case
// or to the white space around and between the words.
func oracleSameName(a, b string) bool {
	for {
		a, b = oracleSkipSpace(a), oracleSkipSpace(b)
		if a == "" || b == "" {
			return a == b
		}
		// Compare one word of each.
		for a != "" && b != "" {
			ra, na := utf8.DecodeRuneInString(a)
			rb, nb := utf8.DecodeRuneInString(b)
			sa, sb := unicode.IsSpace(ra), unicode.IsSpace(rb)
			if sa || sb {
				if sa != sb {
					return false
				}
				break
			}
			if ra != rb && unicode.ToLower(ra) != unicode.ToLower(rb) {
				return false
			}
			a, b = a[na:], b[nb:]
		}
		if (a == "") != (b == "") && oracleSkipSpace(a) != oracleSkipSpace(b) {
			return false
		}
	}
}

func oracleSkipSpace(s string) string {
	for s != "" {
		r, n := utf8.DecodeRuneInString(s)
		if !unicode.IsSpace(r) {
			break
		}
		s = s[n:]
	}
	return s
}
