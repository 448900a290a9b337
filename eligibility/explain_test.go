package eligibility

import (
	"bytes"
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eligo-dev/eligo/eligibility/internal/snapshot"
)

// scramble changes every part of a the rules read: every list entry, every
// section, every date, in place, and then the lists themselves.
func scramble(r *rand.Rand, a *Applicant) {
	later := func(t *time.Time) {
		if t != nil {
			*t = t.AddDate(-1-r.IntN(5), 0, 0)
		}
	}
	a.Kind = "organisation"
	for i := range a.Qualifications {
		q := &a.Qualifications[i]
		q.Level, q.Field, q.Verified = "certificate", "other", !q.Verified
		later(q.Awarded)
	}
	for i := range a.Registrations {
		a.Registrations[i].Body, a.Registrations[i].Verified = "other", !a.Registrations[i].Verified
		later(a.Registrations[i].Expires)
	}
	for i := range a.OnlineTraining {
		c := &a.OnlineTraining[i]
		c.Hours, c.Provider, c.Verified = c.Hours*3+7, "nobody", !c.Verified
		for k := range c.Formats {
			c.Formats[k] = "email"
		}
		later(c.Completed)
	}
	for i := range a.CPD {
		a.CPD[i].Hours, a.CPD[i].Online = a.CPD[i].Hours+11, !a.CPD[i].Online
		later(a.CPD[i].Date)
	}
	if a.Insurance != nil {
		a.Insurance.ProfessionalIndemnity, a.Insurance.Verified = !a.Insurance.ProfessionalIndemnity, !a.Insurance.Verified
		later(a.Insurance.Expires)
	}
	if a.Practice != nil {
		a.Practice.OnlineClientHours += 500
		a.Practice.OnlineSupervisees += 3
	}
	if a.Supervision != nil {
		a.Supervision.OnlineTrainedSupervisor = !a.Supervision.OnlineTrainedSupervisor
	}
	if a.References != nil {
		a.References.SafeOnlinePractice = !a.References.SafeOnlinePractice
	}
	if a.Portfolio != nil {
		a.Portfolio.CaseStudyWords += 3000
	}
	if a.CoreNet != nil {
		later(a.CoreNet.TestPassed)
	}
	if a.ACTO != nil {
		later(a.ACTO.ProfessionalMemberSince)
	}
	a.Qualifications = append(a.Qualifications, Qualification{Title: "added", Level: "doctorate", Field: "psychology", Delivery: "face-to-face", Verified: true})
	a.CPD = a.CPD[:0]
}

// TestExplainedFromTheCopy: a decision's explanations, asked for after
// the applicant has changed in every part rules read, are those of the
// applicant as it was evaluated: the same as a decision explained at once
// of an untouched clone of it (requirement by requirement, and as JSON).
// They are also those a fresh evaluation of the clone gives, so nothing
// of the applicant's later state reaches them.
func TestExplainedFromTheCopy(t *testing.T) {
	e := actoEngine(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(21, 12))
	for i := range 300 {
		a := genApplicantNoLater(r, testAsOf)
		mutateClaims(r, a)
		pristine := cloneApplicant(a)
		d, err := e.Evaluate(ctx, a, AsOf(testAsOf))
		require.NoError(t, err)
		statuses := append([]RequirementStatus(nil), d.Statuses()...)
		scramble(r, a)
		want, err := e.Evaluate(ctx, pristine, AsOf(testAsOf))
		require.NoError(t, err)
		wantJSON := marshal(t, want)
		if got := marshal(t, d); !bytes.Equal(got, wantJSON) {
			t.Fatalf("applicant %d: explained after the applicant changed:\n got %s\nwant %s", i, got, wantJSON)
		}
		require.Len(t, d.Requirements(), len(statuses))
		for k, res := range d.Requirements() {
			if res.ID != statuses[k].ID || res.Status != statuses[k].Status {
				t.Fatalf("applicant %d: requirement %d explained as %s %s, decided %s %s", i, k, res.ID, res.Status, statuses[k].ID, statuses[k].Status)
			}
			if s, ok := d.Status(res.ID); !ok || s != res.Status {
				t.Fatalf("applicant %d: Status(%s) = %s, %v; explained %s", i, res.ID, s, ok, res.Status)
			}
		}
		assert.True(t, d.Equal(want), "applicant %d: Equal", i)
	}
}

// TestExplainConcurrently: many goroutines ask one decision for its
// explanations at once; under -race any unsynchronised write shows, and
// every goroutine sees the same results, made once.
func TestExplainConcurrently(t *testing.T) {
	e := actoEngine(t)
	r := rand.New(rand.NewPCG(5, 6))
	for range 20 {
		d, err := e.Evaluate(context.Background(), genApplicantNoLater(r, testAsOf), AsOf(testAsOf))
		require.NoError(t, err)
		const readers = 8
		got := make([][]RequirementResult, readers)
		var wg sync.WaitGroup
		for g := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if g%2 == 0 {
					_ = d.Text()
				}
				got[g] = d.Requirements()
			}()
		}
		wg.Wait()
		for g := 1; g < readers; g++ {
			require.Same(t, &got[0][0], &got[g][0], "reader %d got other results", g)
		}
	}
}

// TestExplainError: a requirement whose explanation fails keeps the
// status it was decided with, has no clauses, says why in Error, and
// reads back from JSON so. Here every explanation fails: the run cannot
// be bound on a date before the rule set's parameters have values (which
// Evaluate would have refused: a failure Evaluate cannot meet, to reach
// the path a rule failing only while explaining would take).
func TestExplainError(t *testing.T) {
	e := actoEngine(t)
	a := genApplicantNoLater(rand.New(rand.NewPCG(1, 2)), testAsOf)
	d, err := e.Evaluate(context.Background(), a, AsOf(testAsOf))
	require.NoError(t, err)
	broken := *d
	broken.expl = &explanation{e: &e.engine, app: d.expl.app, asOf: time.Date(1901, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), codes: d.expl.codes}
	res := broken.Requirements()
	require.Len(t, res, len(d.Statuses()))
	for i, r := range res {
		assert.Equal(t, d.Statuses()[i], RequirementStatus{ID: r.ID, Status: r.Status})
		assert.NotEmpty(t, r.Error, r.ID)
		assert.Empty(t, r.Clauses, r.ID)
	}
	var back Decision
	require.NoError(t, back.UnmarshalJSON(marshal(t, &broken)))
	assert.True(t, back.Equal(&broken), "the errors read back")
	assert.Equal(t, res[0].Error, back.Requirements()[0].Error)
}

// TestCopyLeavesOutHiddenFields: the copy a decision keeps holds what
// rules and eligo's views read, never a field hidden from rules (ACTO's
// Name, personal data); the id and the verification flags stay.
func TestCopyLeavesOutHiddenFields(t *testing.T) {
	e := actoEngine(t)
	a := genApplicantNoLater(rand.New(rand.NewPCG(3, 4)), testAsOf)
	a.Name = "Jo Bloggs"
	d, err := e.Evaluate(context.Background(), a, AsOf(testAsOf))
	require.NoError(t, err)
	kept := new(Applicant)
	var m snapshot.Mem
	m.Init(make([]snapshot.Slab, len(e.snap.Types())))
	e.snap.Unpack(unsafe.Pointer(kept), d.expl.app, &m)
	assert.Empty(t, kept.Name)
	assert.Equal(t, a.ID, kept.ID)
	want := cloneApplicant(a)
	want.Name = ""
	assert.Equal(t, want, kept)
}

// TestStreamedJSON: a decision's JSON written before its requirements are
// explained (each explained into reused memory as it is written) is byte
// for byte the JSON written from its explained requirements, for
// decisions of every kind, made one after another on the same goroutine.
func TestStreamedJSON(t *testing.T) {
	e := actoEngine(t)
	r := rand.New(rand.NewPCG(8, 8))
	for i := range 300 {
		a := genApplicantNoLater(r, testAsOf)
		mutateClaims(r, a)
		d, err := e.Evaluate(context.Background(), a, AsOf(testAsOf))
		require.NoError(t, err)
		streamed, err := d.AppendJSON(nil)
		require.NoError(t, err)
		require.Nil(t, d.expl.ready(), "writing the JSON explained the decision for good, or made its award lists")
		d.Requirements()
		explained, err := d.AppendJSON(nil)
		require.NoError(t, err)
		if !bytes.Equal(streamed, explained) {
			t.Fatalf("applicant %d: streamed JSON differs:\n%s\n%s", i, streamed, explained)
		}
	}
}
