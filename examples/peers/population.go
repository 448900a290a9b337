package peers

import (
	"fmt"
	"math/rand/v2"
)

// Seed and Size are acto-bench-v1's population: 1,000 applicants from seed 42.
const (
	Seed = 42
	Size = 1000
)

var (
	qualificationLevels = []string{"certificate", "diploma", "post-diploma", "degree", "masters", "doctorate"}
	qualificationFields = []string{"counselling", "psychotherapy", "psychology", "other"}
	providers           = []string{"OLT", "Academy", "ProReal", "Metanoia", "CPD Online", "Local College"}
	courses             = []string{"Online Counselling", "Text Therapy", "Video Practice", "Supervision Skills", "Ethics Online"}
)

// Population returns n applicants generated from seed with a PCG source
// (math/rand/v2, rand.NewPCG(seed, seed)): 0-4 qualifications with level
// and field drawn uniformly, 0-6 trainings, hours (online client hours and
// each training's CPD hours) 0-400 in half hours, years 0-15, every boolean
// a fair coin. The same seed gives the same applicants; lists are never nil.
func Population(seed uint64, n int) []*Applicant {
	r := rand.New(rand.NewPCG(seed, seed))
	hours := func() float64 { return float64(r.IntN(801)) / 2 } // 0, 0.5, ..., 400
	coin := func() bool { return r.IntN(2) == 1 }
	out := make([]*Applicant, n)
	for i := range out {
		a := &Applicant{
			ID:                 fmt.Sprintf("a%04d", i),
			Student:            coin(),
			AlliedProfessional: coin(),
			YearsQualified:     r.IntN(16),
			OnlineClientHours:  hours(),
			OnlineSupervision:  coin(),
			Qualifications:     make([]Qualification, r.IntN(5)),
			Trainings:          make([]Training, r.IntN(7)),
		}
		for j := range a.Qualifications {
			a.Qualifications[j] = Qualification{
				Level: qualificationLevels[r.IntN(len(qualificationLevels))],
				Field: qualificationFields[r.IntN(len(qualificationFields))],
			}
		}
		for j := range a.Trainings {
			a.Trainings[j] = Training{
				Provider:         providers[r.IntN(len(providers))],
				Course:           courses[r.IntN(len(courses))],
				ApprovedProvider: coin(),
				CPDHours:         hours(),
				Completed:        coin(),
			}
		}
		out[i] = a
	}
	return out
}
