package peers

// Applicant is acto-bench-v1's input: one applicant for membership, with
// the facts the policy reads and nothing else. Every engine decides the same
// *Applicant. The struct tags name fields for each engine: expr tags for
// eligo and expr, cel tags for cel-go, json for people.
//
// Qualifications and Trainings are never nil: an empty list is none. (To
// eligo, a nil list is unknown evidence, which would leave the levels that
// read it undetermined rather than refused.)
type Applicant struct {
	// ID names the applicant in eligo's decisions; no rule reads it.
	ID string `json:"id" expr:"id" cel:"id" eligo:"id"`
	// Student: enrolled on a recognised counselling or psychotherapy
	// training course.
	Student bool `json:"student" expr:"student" cel:"student"`
	// AlliedProfessional: works in an allied mental-health field (trainer,
	// researcher, retired therapist).
	AlliedProfessional bool `json:"alliedProfessional" expr:"alliedProfessional" cel:"alliedProfessional"`
	// YearsQualified is the whole years since the first core qualification.
	YearsQualified int `json:"yearsQualified" expr:"yearsQualified" cel:"yearsQualified"`
	// OnlineClientHours is the hours of online client work.
	OnlineClientHours float64 `json:"onlineClientHours" expr:"onlineClientHours" cel:"onlineClientHours"`
	// OnlineSupervision: supervised by a supervisor trained in online work.
	OnlineSupervision bool `json:"onlineSupervision" expr:"onlineSupervision" cel:"onlineSupervision"`
	// Qualifications are the applicant's qualifications, in any order.
	//
	// The eligo tag: eligo treats a list of entries as claims, each with a
	// Verified flag, and refuses a type whose granting rules read a list
	// without one. This policy has no notion of verification (all evidence
	// is taken as given): the tag says the lists are trusted records.
	Qualifications []Qualification `json:"qualifications" expr:"qualifications" cel:"qualifications" eligo:"trusted"`
	// Trainings are the trainings taken, in the order listed: approved CPD
	// hours are summed in this order.
	Trainings []Training `json:"trainings" expr:"trainings" cel:"trainings" eligo:"trusted"`
}

// Qualification is one qualification held.
type Qualification struct {
	// Level is one of certificate, diploma, post-diploma, degree, masters,
	// doctorate.
	Level string `json:"level" expr:"level" cel:"level"`
	// Field is one of counselling, psychotherapy, psychology, other.
	Field string `json:"field" expr:"field" cel:"field"`
}

// Training is one training taken.
type Training struct {
	Provider         string  `json:"provider" expr:"provider" cel:"provider" eligo:"label"`
	Course           string  `json:"course" expr:"course" cel:"course"`
	ApprovedProvider bool    `json:"approvedProvider" expr:"approvedProvider" cel:"approvedProvider"`
	CPDHours         float64 `json:"cpdHours" expr:"cpdHours" cel:"cpdHours"`
	Completed        bool    `json:"completed" expr:"completed" cel:"completed"`
}

// Outcome is what every engine must agree on for each applicant.
type Outcome struct {
	// Level is senior, professional, member, associate, student or none.
	Level string
	// Courses are the granted course ids, sorted; nil when none.
	Courses []string
	// Missing are the ids of the failing requirements of the next level
	// above Level (member for associate, student and none), in the
	// policy's table order; nil for senior.
	Missing []string
}

// Level ids, highest first.
const (
	Senior       = "senior"
	Professional = "professional"
	Member       = "member"
	Associate    = "associate"
	StudentLevel = "student"
	None         = "none"
)

// Requirement ids, as the policy names them.
const (
	ReqCoreQualified   = "core-qualified"
	ReqApprovedDiploma = "approved-diploma"
	ReqOnlineHours250  = "online-hours-250"
	ReqOnlineSuper     = "online-supervision"
	ReqYears3          = "years-3"
	ReqCPD80           = "cpd-80"
	ReqOnlineHours50   = "online-hours-50"
	ReqCPD20           = "cpd-20"
	ReqAllied          = "allied"
	ReqStudent         = "student"
	ReqYears1          = "years-1"
	ReqPostDiploma     = "post-diploma"
)

// Course ids.
const (
	CourseGeneralCertificate = "general-certificate"
	CourseDiploma            = "diploma"
	CourseProReal            = "proreal"
	CourseSupervision        = "supervision-diploma"
)

// The ladder the missing list is read from: each main level's
// requirements, in table order. Shared by the expr and cel-go engines,
// which evaluate requirements and leave the ladder to Go.
var (
	seniorReqs       = []string{ReqCoreQualified, ReqApprovedDiploma, ReqOnlineHours250, ReqOnlineSuper, ReqYears3}
	professionalReqs = []string{ReqCoreQualified, ReqCPD80, ReqOnlineHours50, ReqOnlineSuper}
	memberReqs       = []string{ReqCoreQualified, ReqCPD20}
)
