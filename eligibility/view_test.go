package eligibility

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sameSlice reports whether two slices share their backing array and length.
func sameSlice[T any](a, b []T) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0]
}

func TestVerifiedView(t *testing.T) {
	tests := []struct {
		name   string
		modify func(t *testing.T, a *Applicant)
		check  func(t *testing.T, a, view *Applicant)
	}{
		{
			name:   "fully verified: every list is the original slice",
			modify: func(t *testing.T, a *Applicant) {},
			check: func(t *testing.T, a, view *Applicant) {
				assert.Equal(t, a, view)
				assert.True(t, sameSlice(a.Qualifications, view.Qualifications))
				assert.True(t, sameSlice(a.OnlineTraining, view.OnlineTraining))
				assert.Same(t, a.Insurance, view.Insurance)
				assert.Same(t, a.Practice, view.Practice)
			},
		},
		{
			name: "unverified entries are dropped, verified ones kept in order",
			modify: func(t *testing.T, a *Applicant) {
				a.CPD = []CPD{{Title: "a", Verified: true}, {Title: "b"}, {Title: "c", Verified: true}}
				a.OfferedCourses = []Course{{Course: "x"}, {Course: "y", Verified: true}}
			},
			check: func(t *testing.T, a, view *Applicant) {
				assert.Equal(t, []CPD{{Title: "a", Verified: true}, {Title: "c", Verified: true}}, view.CPD)
				assert.Equal(t, []Course{{Course: "y", Verified: true}}, view.OfferedCourses)
				assert.Len(t, a.CPD, 3, "the applicant itself is untouched")
			},
		},
		{
			name: "a present list with nothing verified stays present: empty, not nil",
			modify: func(t *testing.T, a *Applicant) {
				a.Qualifications[0].Verified = false
				a.Registrations[0].Verified = false
			},
			check: func(t *testing.T, a, view *Applicant) {
				require.NotNil(t, view.Qualifications)
				assert.Empty(t, view.Qualifications)
				require.NotNil(t, view.Registrations)
				assert.Empty(t, view.Registrations)
			},
		},
		{
			name: "absent lists stay absent and empty ones stay empty",
			modify: func(t *testing.T, a *Applicant) {
				a.Qualifications = nil
				a.CPD = []CPD{}
			},
			check: func(t *testing.T, a, view *Applicant) {
				assert.Nil(t, view.Qualifications)
				assert.NotNil(t, view.CPD)
				assert.NotNil(t, view.OfferedCourses)
			},
		},
		{
			name:   "unverified insurance is absent from the view",
			modify: func(t *testing.T, a *Applicant) { a.Insurance.Verified = false },
			check: func(t *testing.T, a, view *Applicant) {
				assert.Nil(t, view.Insurance)
				assert.NotNil(t, a.Insurance)
			},
		},
		{
			name: "unverified sections are absent from the view",
			modify: func(t *testing.T, a *Applicant) {
				a.Supervision.Verified = false
				a.References.Verified = false
				a.Portfolio.Verified = false
				a.CoreNet.Verified = false
				a.ACTO.Verified = false
				a.Allied.Verified = false
				a.Organisation.Verified = false
			},
			check: func(t *testing.T, a, view *Applicant) {
				assert.Nil(t, view.Allied)
				assert.Nil(t, view.Organisation)
				assert.Nil(t, view.Supervision)
				assert.Nil(t, view.References)
				assert.Nil(t, view.Portfolio)
				assert.Nil(t, view.CoreNet)
				assert.Nil(t, view.ACTO)
				assert.Same(t, a.Practice, view.Practice)
				assert.NotNil(t, a.References)
			},
		},
		{
			name: "an unverified practice is absent, verified periods and all",
			modify: func(t *testing.T, a *Applicant) {
				a.Practice.Verified = false
				a.Practice.Log = []PracticePeriod{{ClientHours: 10, Verified: true}, {ClientHours: 20}}
			},
			check: func(t *testing.T, a, view *Applicant) {
				assert.Nil(t, view.Practice)
				assert.Len(t, a.Practice.Log, 2)
			},
		},
		{
			name: "an unverified practice period copies Practice, leaving the original alone",
			modify: func(t *testing.T, a *Applicant) {
				a.Practice.Log = []PracticePeriod{{ClientHours: 10, Verified: true}, {ClientHours: 20}}
			},
			check: func(t *testing.T, a, view *Applicant) {
				assert.NotSame(t, a.Practice, view.Practice)
				assert.Equal(t, []PracticePeriod{{ClientHours: 10, Verified: true}}, view.Practice.Log)
				assert.Equal(t, a.Practice.OnlineClientHours, view.Practice.OnlineClientHours)
				assert.Len(t, a.Practice.Log, 2)
			},
		},
		{
			name: "a verified practice log shares Practice",
			modify: func(t *testing.T, a *Applicant) {
				a.Practice.Log = []PracticePeriod{{ClientHours: 10, Verified: true}}
			},
			check: func(t *testing.T, a, view *Applicant) { assert.Same(t, a.Practice, view.Practice) },
		},
		{
			name:   "absent sections stay absent",
			modify: func(t *testing.T, a *Applicant) { a.Insurance, a.Practice = nil, nil },
			check: func(t *testing.T, a, view *Applicant) {
				assert.Nil(t, view.Insurance)
				assert.Nil(t, view.Practice)
			},
		},
	}
	vb := applicantViewBuffers(t) // shared: each view is built in the buffers of the one before
	var buffered *Applicant       // where the buffers build the view
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := fullApplicant(t)
			tt.modify(t, a)
			view, diff := verifiedView(vb, a)
			if diff == 0 {
				assert.Same(t, a, view, "a view that leaves nothing out is the applicant")
			} else {
				if buffered == nil {
					buffered = view
				}
				assert.Same(t, buffered, view)
				assert.NotSame(t, a, view)
			}
			tt.check(t, a, view)
		})
	}
}

func TestVerifiedViewAllocatesNothingWhenAllIsVerified(t *testing.T) {
	a := fullApplicant(t)
	a.Practice.Log = []PracticePeriod{{Verified: true}}
	vb := applicantViewBuffers(t)
	allocs := testing.AllocsPerRun(100, func() { verifiedView(vb, a) })
	assert.Zero(t, allocs)
}

func BenchmarkVerifiedView(b *testing.B) {
	a := fullApplicant(b)
	a.CPD = append(a.CPD, CPD{Title: "unverified"})
	vb := applicantViewBuffers(b)
	b.ReportAllocs()
	for b.Loop() {
		verifiedView(vb, a)
	}
}

func TestEffectiveKind(t *testing.T) {
	assert.Equal(t, KindIndividual, effectiveKind(&Applicant{}), "empty means individual")
	assert.Equal(t, KindOrganisation, effectiveKind(&Applicant{Kind: KindOrganisation}))
}
