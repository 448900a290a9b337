package eligibility

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// TestAwardListsMadeOnce: the award lists are made once, whichever
// goroutine asks first, and every call returns the same slices; each list
// is capped, so that appending to one leaves its neighbours alone.
func TestAwardListsMadeOnce(t *testing.T) {
	e := actoEngine(t)
	for _, a := range benchPopulation(t)[:50] {
		d, err := e.Evaluate(context.Background(), a, AsOf(benchDate))
		require.NoError(t, err)
		var wg sync.WaitGroup
		got := make([][]AwardResult, 8)
		for g := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				switch g % 4 {
				case 0:
					got[g] = d.Levels()
				case 1:
					d.Gates()
					got[g] = d.Levels()
				case 2:
					d.Courses()
					got[g] = d.Levels()
				default:
					got[g] = d.Levels()
				}
			}()
		}
		wg.Wait()
		for _, l := range got {
			require.Same(t, &got[0][0], &l[0], "%s: Levels gave two slices", a.ID)
		}
		require.Len(t, d.Levels(), len(e.levels))
		require.Len(t, d.Categories(), len(e.categories))
		require.Len(t, d.Courses(), len(e.courses))
		for _, list := range [][]AwardResult{d.Levels(), d.Categories(), d.Courses()} {
			require.Equal(t, len(list), cap(list))
			for _, aw := range list {
				require.Equal(t, len(aw.Requirements), cap(aw.Requirements), "%s: %s", a.ID, aw.ID)
				require.Equal(t, len(aw.Routes), cap(aw.Routes), "%s: %s", a.ID, aw.ID)
				require.Equal(t, len(aw.Settle), cap(aw.Settle), "%s: %s", a.ID, aw.ID)
			}
		}
	}
}

// TestAwardListsFromStatuses: every award's outcome, route and
// requirement list agree with the decision's own statuses, and Level and
// the granted lists with the outcomes, for decisions whose lists are made
// after the fact.
func TestAwardListsFromStatuses(t *testing.T) {
	e := actoEngine(t)
	for _, a := range benchPopulation(t) {
		d, err := e.Evaluate(context.Background(), a, AsOf(benchDate))
		require.NoError(t, err)
		granted := func(list []AwardResult) []string {
			out := []string{}
			for _, aw := range list {
				if aw.Granted() {
					out = append(out, aw.ID)
				}
			}
			return out
		}
		// Asked before the lists are made, then after.
		courses, categories := d.GrantedCourses(), d.GrantedCategories()
		require.Equal(t, granted(d.Courses()), courses, a.ID)
		require.Equal(t, granted(d.Categories()), categories, a.ID)
		level := ""
		for _, l := range d.Levels() {
			if l.Granted() {
				level = l.ID
			}
			for _, r := range l.Requirements {
				s, ok := d.Status(r.ID)
				require.True(t, ok)
				require.Equal(t, s, r.Status, "%s: %s: %s", a.ID, l.ID, r.ID)
			}
		}
		require.Equal(t, level, d.Level, a.ID)
	}
}

// TestOutcomeOfRank: a decision keeps each award's outcome as its rank;
// the rank gives the outcome back.
func TestOutcomeOfRank(t *testing.T) {
	for _, o := range []Outcome{Refused, Undetermined, Referred, Provisional, Granted} {
		require.Equal(t, o, outcomeOfRank[o.rank()])
	}
	require.Equal(t, rankGranted, Granted.rank())
}

// TestMasksAsCodes: the masks decide every route, and every award's best
// route, as combineCodes does, whatever the statuses (an unknown code
// fails closed), for the rule sets of at most 64 requirements they serve.
func TestMasksAsCodes(t *testing.T) {
	e := actoEngine(t)
	r := rand.New(rand.NewPCG(5, 8))
	codes := make([]statusByte, len(e.reqs))
	for range 2000 {
		for i := range codes {
			codes[i] = statusByte(r.IntN(6)) // 5 is no status
			if r.IntN(3) > 0 {
				codes[i] = codeMet
			}
		}
		m := maskOf(codes)
		for _, group := range e.groups() {
			for _, aw := range group {
				for k := range aw.routes {
					rt := &aw.routes[k]
					want, _ := combineCodes(codes, rt.reqs, rt.review)
					require.Equal(t, want, outcomeOfRank[m.rank(rt)], "%s route %s, codes %v", aw.a.ID, rt.name, codes)
				}
				wk, wo := best(aw, codes)
				gk, gr := m.best(aw)
				gO := outcomeOfRank[gr]
				require.Equal(t, wk, gk, aw.a.ID)
				require.Equal(t, wo, gO, aw.a.ID)
			}
		}
	}
}

// TestOutcomes: Outcomes yields what the award lists hold, in their
// order, for a decision made by the engine (before and after the lists
// are made) and for one read back from its JSON.
func TestOutcomes(t *testing.T) {
	e := actoEngine(t)
	type pair struct {
		id string
		o  Outcome
	}
	collect := func(d *Decision) (out []pair) {
		for id, o := range d.Outcomes() {
			out = append(out, pair{id, o})
		}
		return out
	}
	for _, a := range benchPopulation(t)[:100] {
		d, err := e.Evaluate(context.Background(), a, AsOf(benchDate))
		require.NoError(t, err)
		before := collect(d)
		var want []pair
		for _, list := range [][]AwardResult{d.Levels(), d.Categories(), d.Courses()} {
			for _, aw := range list {
				want = append(want, pair{aw.ID, aw.Outcome})
			}
		}
		require.Equal(t, want, before, a.ID)
		require.Equal(t, want, collect(d), a.ID)
		var read Decision
		require.NoError(t, json.Unmarshal(marshal(t, d), &read))
		require.Equal(t, want, collect(&read), a.ID)
		n := 0
		for range d.Outcomes() {
			if n++; n == 2 {
				break
			}
		}
		require.Equal(t, 2, n)
	}
}

// TestStatusIsTwoStrings: a gap's ids and statuses share memory
// (metAndUnmet), which holds only while a RequirementStatus is two strings
// and nothing else, an id then a Status that is a string.
func TestStatusIsTwoStrings(t *testing.T) {
	typ := reflect.TypeFor[RequirementStatus]()
	require.Equal(t, 2, typ.NumField())
	for i := range 2 {
		f := typ.Field(i)
		require.Equal(t, reflect.String, f.Type.Kind(), f.Name)
		require.Equal(t, uintptr(i)*unsafe.Sizeof(""), f.Offset, f.Name)
	}
	require.Equal(t, 2*unsafe.Sizeof(""), typ.Size())
}

// TestGapSharesStatuses: Met and Unmet come from one piece of the
// decision's memory, apart, each capped at its length, for every split of
// a route into met and unmet, in fresh and in reused memory.
func TestGapSharesStatuses(t *testing.T) {
	for route := 0; route <= 6; route++ {
		for met := 0; met <= route; met++ {
			unmet := route - met
			// Memory written before, as a reused decision's is.
			mem := make([]RequirementStatus, route)
			for i := range mem {
				mem[i] = RequirementStatus{ID: "stale", Status: Unknown}
			}
			var b block
			b.statuses.Use(mem)
			ids, sts := metAndUnmet(&b, met, unmet)
			require.NotNil(t, ids)
			require.NotNil(t, sts)
			require.Equal(t, met, cap(ids))
			require.Equal(t, unmet, cap(sts))
			for i := range met {
				ids = append(ids, fmt.Sprint("met", i))
			}
			for i := range unmet {
				sts = append(sts, RequirementStatus{ID: fmt.Sprint("unmet", i), Status: Unmet})
			}
			for i := range met {
				require.Equal(t, fmt.Sprint("met", i), ids[i])
			}
			for i := range unmet {
				require.Equal(t, RequirementStatus{ID: fmt.Sprint("unmet", i), Status: Unmet}, sts[i])
			}
			// Nothing stale in the memory the ids took, padding included.
			if n := (met + 1) / 2; n > 0 {
				all := unsafe.Slice((*string)(unsafe.Pointer(&ids[0])), 2*n)
				require.NotContains(t, all, "stale")
			}
			require.LessOrEqual(t, b.statuses.Need(), route)
		}
	}
}
