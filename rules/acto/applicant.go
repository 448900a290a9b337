package acto

import "time"

// Applicant is ACTO's applicant document as a Go type: a person, an organisation or a
// training provider asking what they qualify for. Package eligibility decides it
// (eligibility.NewFor[acto.Applicant]) and decodes documents into it
// (eligibility.DecodeFor[acto.Applicant], ReadFor and their batch forms); its
// validate tags use eligibility's custom tags (date, not_before, finite) beside
// go-playground/validator's own.
//
// A nil pointer or nil slice means the section was absent from the document, which rules
// read as unknown, never as false or none. An empty list in the document (`[]`) decodes
// to a non-nil empty slice, which means "none". JSON encoding keeps that distinction
// (slices use omitzero); YAML encoding omits empty lists as well as absent ones.
//
// encoding/json writes an Applicant as an applicant document: the types holding dates
// have MarshalJSON methods that write them YYYY-MM-DD, so the JSON decodes back, with
// eligibility.DecodeFor or ReadFor, to an equal Applicant. A time.Time that is not
// a document's date (not midnight UTC) keeps its RFC 3339 form and does not decode back.
//
// Each list entry and each section behind a pointer carries Verified: an
// administrator has checked the evidence. One without verified: true is an
// unverified claim, which the verified view leaves out (an entry as if not
// listed, a section as if absent), so what rests on it alone is unverified
// and its award provisional. Kind and Practising only ever stop a grant,
// so they carry no flag.
//
// Rules see each field under its expr tag, which equals the document key; Applicant has
// no methods, so rules see nothing else. Dates are date-only values at midnight UTC,
// from 1900-01-01 to 9999-12-31; a nil *time.Time is an absent date. A date outside that
// range, the zero time.Time (&time.Time{}) included, is not "no date" but invalid.
//
// A decision as of a date rests on the evidence as it stood then. The dates of events
// carry eligibility's eligo tags: a list entry whose start (eligo:"start": a course's
// Enrolled, a CPD activity's Date, a practice period's From) lies after the evaluation
// date is left out whole; any other event date (eligo:"event": Awarded, Completed, To,
// TestPassed, ProfessionalMemberSince) lying after it is as if absent. Neither is an
// input error, and the decision lists what it left out. Expiry dates may lie ahead.
//
// To bound the work one applicant can cause, each list holds at most 1,000 entries and
// a course lists at most 16 formats; validation rejects a larger applicant.
type Applicant struct {
	// ID names the applicant; it is required and unique within a batch.
	ID string `json:"id,omitempty" yaml:"id,omitempty" expr:"id" validate:"required" eligo:"id"`
	// Kind is individual, organisation or training-provider; empty means individual.
	Kind string `json:"kind,omitempty" yaml:"kind,omitempty" expr:"kind" validate:"omitempty,oneof=individual organisation training-provider"`
	// Name is personal data: rules never see it and decisions never copy it.
	Name string `json:"name,omitempty" yaml:"name,omitempty" expr:"-"`
	// Country is where the applicant practises, as an ISO 3166-1 alpha-2 code such as GB.
	Country string `json:"country,omitempty" yaml:"country,omitempty" expr:"country" validate:"omitempty,iso3166_1_alpha2"`
	// Practising says whether the applicant currently sees clients; nil means unknown.
	Practising *bool `json:"practising,omitempty" yaml:"practising,omitempty" expr:"practising"`
	// Allied is the evidence for associate membership: a role allied to online
	// therapy. Absent, the applicant claims no allied role.
	Allied *Allied `json:"allied,omitempty" yaml:"allied,omitempty" expr:"allied"`
	// Qualifications lists core (face-to-face) training and later qualifications.
	Qualifications []Qualification `json:"qualifications,omitzero" yaml:"qualifications,omitempty" expr:"qualifications" validate:"max=1000,dive"`
	// Registrations lists the applicant's professional-body registrations.
	Registrations []Registration `json:"registrations,omitzero" yaml:"registrations,omitempty" expr:"registrations" validate:"max=1000,dive"`
	// Insurance is the applicant's professional indemnity insurance.
	Insurance *Insurance `json:"insurance,omitempty" yaml:"insurance,omitempty" expr:"insurance"`
	// OnlineTraining lists online-therapy courses taken or in progress.
	OnlineTraining []Course `json:"onlineTraining,omitzero" yaml:"onlineTraining,omitempty" expr:"onlineTraining" validate:"max=1000,dive"`
	// CPD lists continuing professional development activities other than courses.
	CPD []CPD `json:"cpd,omitzero" yaml:"cpd,omitempty" expr:"cpd" validate:"max=1000,dive"`
	// Practice describes the applicant's online practice.
	Practice *Practice `json:"practice,omitempty" yaml:"practice,omitempty" expr:"practice"`
	// Supervision describes the supervision the applicant receives.
	Supervision *Supervision `json:"supervision,omitempty" yaml:"supervision,omitempty" expr:"supervision"`
	// References records the references the applicant has received.
	References *References `json:"references,omitempty" yaml:"references,omitempty" expr:"references"`
	// Portfolio is evidence for the grandparenting route and for Level 3.
	Portfolio *Portfolio `json:"portfolio,omitempty" yaml:"portfolio,omitempty" expr:"portfolio"`
	// CoreNet records the applicant's CORE-Net training and test.
	CoreNet *CoreNet `json:"coreNet,omitempty" yaml:"coreNet,omitempty" expr:"coreNet"`
	// ACTO records the applicant's history with ACTO itself.
	ACTO *ACTOMembership `json:"acto,omitempty" yaml:"acto,omitempty" expr:"acto"`
	// Organisation describes an organisation applying for membership.
	Organisation *Organisation `json:"organisation,omitempty" yaml:"organisation,omitempty" expr:"organisation"`
	// OfferedCourses lists a training provider's own courses, in the shape of
	// OnlineTraining entries.
	OfferedCourses []Course `json:"offeredCourses,omitzero" yaml:"offeredCourses,omitempty" expr:"offeredCourses" validate:"max=1000,dive"`
}

// Applicant kinds. An empty Kind means [KindIndividual].
const (
	KindIndividual       = "individual"
	KindOrganisation     = "organisation"
	KindTrainingProvider = "training-provider"
)

// Allied is the evidence for associate membership.
type Allied struct {
	// Role is the role that makes a non-practitioner eligible for associate
	// membership: trainer, researcher, retired-therapist or allied-professional;
	// empty means none.
	Role string `json:"role,omitempty" yaml:"role,omitempty" expr:"role" validate:"omitempty,oneof=trainer researcher retired-therapist allied-professional"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

// Organisation describes an organisation applying for membership.
type Organisation struct {
	// OffersCounselling says the organisation offers counselling.
	OffersCounselling bool `json:"offersCounselling,omitempty" yaml:"offersCounselling,omitempty" expr:"offersCounselling"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

// Qualification is a qualification in counselling or a related field, awarded or still
// in training.
type Qualification struct {
	// Title is the qualification's name as on the certificate.
	Title string `json:"title,omitempty" yaml:"title,omitempty" expr:"title" eligo:"label"`
	// Level is certificate, diploma, post-diploma, degree, masters or doctorate.
	Level string `json:"level,omitempty" yaml:"level,omitempty" expr:"level" validate:"oneof=certificate diploma post-diploma degree masters doctorate"`
	// Field is counselling, psychotherapy, psychology or other.
	Field string `json:"field,omitempty" yaml:"field,omitempty" expr:"field" validate:"oneof=counselling psychotherapy psychology other"`
	// Delivery is how the training was given: face-to-face, blended, online or distance.
	Delivery string `json:"delivery,omitempty" yaml:"delivery,omitempty" expr:"delivery" validate:"oneof=face-to-face blended online distance"`
	// Awarded is the award date; nil means the applicant is still in training.
	Awarded *time.Time `json:"awarded,omitempty" yaml:"awarded,omitempty" expr:"awarded" validate:"omitempty,date" eligo:"event"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

// Registration is a registration with a professional body.
type Registration struct {
	// Body is BACP, UKCP, BPC, BPS, BABCP, NCS or other.
	Body string `json:"body,omitempty" yaml:"body,omitempty" expr:"body" eligo:"label" validate:"oneof=BACP UKCP BPC BPS BABCP NCS other"`
	// Number is the registration or membership number.
	Number string `json:"number,omitempty" yaml:"number,omitempty" expr:"number"`
	// Expires is the last day the registration is current; nil means its currency is
	// unknown.
	Expires *time.Time `json:"expires,omitempty" yaml:"expires,omitempty" expr:"expires" validate:"omitempty,date"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

// Insurance is professional indemnity insurance.
type Insurance struct {
	// ProfessionalIndemnity says professional indemnity cover is held.
	ProfessionalIndemnity bool `json:"professionalIndemnity,omitempty" yaml:"professionalIndemnity,omitempty" expr:"professionalIndemnity"`
	// Expires is the last day of cover; nil means unknown.
	Expires *time.Time `json:"expires,omitempty" yaml:"expires,omitempty" expr:"expires" validate:"omitempty,date"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

// Course is an online-therapy training course: one the applicant took or is taking
// (Applicant.OnlineTraining), or one a training provider offers (Applicant.OfferedCourses).
type Course struct {
	// Provider names the training provider: a catalogue id or any catalogue alias,
	// compared without regard to case and spacing.
	Provider string `json:"provider,omitempty" yaml:"provider,omitempty" expr:"provider"`
	// Course is the course's name.
	Course string `json:"course,omitempty" yaml:"course,omitempty" expr:"course" eligo:"label"`
	// Level is cpd, certificate or diploma.
	Level string `json:"level,omitempty" yaml:"level,omitempty" expr:"level" validate:"oneof=cpd certificate diploma"`
	// Hours is the number of certified hours on the certificate.
	Hours float64 `json:"hours,omitempty" yaml:"hours,omitempty" expr:"hours" validate:"finite,gte=0"`
	// Formats lists the online formats the course covers: video, audio, email, chat.
	Formats []string `json:"formats,omitzero" yaml:"formats,omitempty" expr:"formats" validate:"max=16,dive,oneof=video audio email chat"`
	// TutorLed says the course is led by a tutor.
	TutorLed bool `json:"tutorLed,omitempty" yaml:"tutorLed,omitempty" expr:"tutorLed"`
	// SkillsAssessed says the course assesses practical skills.
	SkillsAssessed bool `json:"skillsAssessed,omitempty" yaml:"skillsAssessed,omitempty" expr:"skillsAssessed"`
	// ReflectiveWork says the course includes reflective work.
	ReflectiveWork bool `json:"reflectiveWork,omitempty" yaml:"reflectiveWork,omitempty" expr:"reflectiveWork"`
	// Supervision says this is a course in online supervision.
	Supervision bool `json:"supervision,omitempty" yaml:"supervision,omitempty" expr:"supervision"`
	// Enrolled is the enrolment date; nil means unknown.
	Enrolled *time.Time `json:"enrolled,omitempty" yaml:"enrolled,omitempty" expr:"enrolled" validate:"omitempty,date" eligo:"start"`
	// Completed is the completion date; nil means the course is in progress.
	Completed *time.Time `json:"completed,omitempty" yaml:"completed,omitempty" expr:"completed" validate:"omitempty,date,not_before=Enrolled" eligo:"event"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

// CPD is a continuing professional development activity other than a course.
type CPD struct {
	// Title names the activity.
	Title string `json:"title,omitempty" yaml:"title,omitempty" expr:"title" eligo:"label"`
	// Hours is the activity's length in hours.
	Hours float64 `json:"hours,omitempty" yaml:"hours,omitempty" expr:"hours" validate:"finite,gte=0"`
	// Date is when the activity took place.
	Date *time.Time `json:"date,omitempty" yaml:"date,omitempty" expr:"date" validate:"omitempty,date" eligo:"start"`
	// Online says the activity is about online therapy.
	Online bool `json:"online,omitempty" yaml:"online,omitempty" expr:"online"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

// Practice describes the applicant's online practice.
type Practice struct {
	// OnlineClientHours is the total of hours spent with clients online.
	OnlineClientHours float64 `json:"onlineClientHours,omitempty" yaml:"onlineClientHours,omitempty" expr:"onlineClientHours" validate:"finite,gte=0"`
	// OnlineSupervisees is the number of supervisees the applicant supervises online.
	OnlineSupervisees int `json:"onlineSupervisees,omitempty" yaml:"onlineSupervisees,omitempty" expr:"onlineSupervisees" validate:"gte=0"`
	// Log lists periods of practice. ACTO's rules do not read it; it is there
	// so that other bodies' rule sets over this model can count supervised
	// practice hours by period.
	Log []PracticePeriod `json:"log,omitzero" yaml:"log,omitempty" expr:"log" validate:"max=1000,dive"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

// PracticePeriod is one period of practice in [Practice.Log].
type PracticePeriod struct {
	// From is the first day of the period.
	From *time.Time `json:"from,omitempty" yaml:"from,omitempty" expr:"from" validate:"omitempty,date" eligo:"start"`
	// To is the last day of the period; nil means the period is ongoing or its end is
	// unknown.
	To *time.Time `json:"to,omitempty" yaml:"to,omitempty" expr:"to" validate:"omitempty,date,not_before=From" eligo:"event"`
	// ClientHours is the number of client hours in the period.
	ClientHours float64 `json:"clientHours,omitempty" yaml:"clientHours,omitempty" expr:"clientHours" validate:"finite,gte=0"`
	// SupervisionHours is the number of hours of supervision received in the period.
	SupervisionHours float64 `json:"supervisionHours,omitempty" yaml:"supervisionHours,omitempty" expr:"supervisionHours" validate:"finite,gte=0"`
	// Supervised says the practice in the period was supervised.
	Supervised bool `json:"supervised,omitempty" yaml:"supervised,omitempty" expr:"supervised"`
	// Online says the practice in the period was online.
	Online bool `json:"online,omitempty" yaml:"online,omitempty" expr:"online"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

// Supervision describes the supervision the applicant receives.
type Supervision struct {
	// OnlineTrainedSupervisor says the applicant's own supervisor is trained in online work.
	OnlineTrainedSupervisor bool `json:"onlineTrainedSupervisor,omitempty" yaml:"onlineTrainedSupervisor,omitempty" expr:"onlineTrainedSupervisor"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

// References records the references the applicant has received.
type References struct {
	// SafeOnlinePractice says a reference on safe, ethical online work was received.
	SafeOnlinePractice bool `json:"safeOnlinePractice,omitempty" yaml:"safeOnlinePractice,omitempty" expr:"safeOnlinePractice"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

// Portfolio is the written evidence for the grandparenting route and for Level 3.
type Portfolio struct {
	// CaseStudyWords is the length of the case study in words.
	CaseStudyWords int `json:"caseStudyWords,omitempty" yaml:"caseStudyWords,omitempty" expr:"caseStudyWords" validate:"gte=0"`
	// CaseStudyClients is the number of clients the case study covers.
	CaseStudyClients int `json:"caseStudyClients,omitempty" yaml:"caseStudyClients,omitempty" expr:"caseStudyClients" validate:"gte=0"`
	// EssayWords is the length of the essay in words.
	EssayWords int `json:"essayWords,omitempty" yaml:"essayWords,omitempty" expr:"essayWords" validate:"gte=0"`
	// SupervisorReport says a report from the applicant's supervisor was received.
	SupervisorReport bool `json:"supervisorReport,omitempty" yaml:"supervisorReport,omitempty" expr:"supervisorReport"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

// CoreNet records the applicant's CORE-Net (outcome measurement) training and test.
type CoreNet struct {
	// TrainingCompleted says the CORE-Net training is complete.
	TrainingCompleted bool `json:"trainingCompleted,omitempty" yaml:"trainingCompleted,omitempty" expr:"trainingCompleted"`
	// TestPassed is the date the CORE-Net test was passed; nil means not passed or unknown.
	TestPassed *time.Time `json:"testPassed,omitempty" yaml:"testPassed,omitempty" expr:"testPassed" validate:"omitempty,date" eligo:"event"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

// ACTOMembership records the applicant's history with ACTO.
type ACTOMembership struct {
	// ProfessionalMemberSince is the date the applicant became a professional member of
	// ACTO; nil means never or unknown.
	ProfessionalMemberSince *time.Time `json:"professionalMemberSince,omitempty" yaml:"professionalMemberSince,omitempty" expr:"professionalMemberSince" validate:"omitempty,date" eligo:"event"`
	// Verified says an administrator has checked the evidence.
	Verified bool `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}
