package eligibility

import (
	"math"
	"reflect"
	"slices"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/arena"
	"github.com/eligo-dev/eligo/rules"
)

// requirement evaluates requirement i on the verified view and on the full
// view, and explains it from the view its status comes from. A requirement
// that reads no field in which the views differ is evaluated once: the
// views give it the same input, so the same result.
func (e *engine) requirement(b *block, out *RequirementResult, i int, r *rules.Requirement, st *evalState, p unsafe.Pointer) error {
	*out = RequirementResult{ID: r.ID, Title: r.Title, Source: r.Source, explain: r.Explain}
	// The verified view matters only when the full view meets the
	// requirement (statusOf).
	fres, err := st.frun.Eval(i)
	if err != nil {
		return err
	}
	same := e.reads[i]&st.diff == 0 && !e.bothViews || fres.Status != rules.Met
	vres := fres
	if !same {
		if vres, err = st.vrun.Eval(i); err != nil {
			return err
		}
	}
	out.Status = statusOf(vres.Status, fres.Status)
	shown := vres
	if out.Status != Met {
		shown = fres
	}
	if out.Status == Unverified {
		// Claims are named by their places in the applicant, p: the
		// views' lists may have left entries out.
		u := unverifiedClaims(st.scratch[:0], r.ID, reflect.NewAt(e.model, p).Elem(), e.claims[i], st.dated, st.asOf)
		st.scratch = u[:0]
		if len(u) > 0 {
			out.Unverified = arena.Take(&b.actions, len(u))
			copy(out.Unverified, u)
		}
	}
	out.Clauses = clauses(b, shown)
	if st.diff != 0 || st.dated {
		// The views number the entries they keep afresh: name each entry
		// by its place in the applicant.
		fromVerified := !same && out.Status == Met
		for k := range out.Clauses {
			if g := out.Clauses[k].Closest; g != nil {
				if fromVerified {
					g.Path = st.view.Renumber(g.Path)
				}
				if st.dated {
					g.Path = st.events.Renumber(g.Path)
				}
			}
		}
	}
	if out.Status == Unknown {
		n := 0
		for _, c := range shown.Clauses {
			n += len(c.Missing)
		}
		if n > 0 {
			missing := appendMissing(arena.Take(&b.strs, n)[:0], shown.Clauses)
			out.Missing = missing[:len(missing):len(missing)]
		}
	}
	return nil
}

// clauses copies the rules' clause results into the decision's shapes.
func clauses(b *block, res rules.Result) []ClauseResult {
	out := arena.TakeEmpty(&b.clauses, len(res.Clauses))[:len(res.Clauses)]
	for k := range res.Clauses {
		// The slabs are zeroed: set only what is there, field by field,
		// rather than copying whole structs in.
		c, cr := &res.Clauses[k], &out[k]
		cr.Text, cr.Status, cr.Op = c.Text, clauseStatus(c.Status), c.Op
		cr.Observed, cr.Required = c.Observed, c.Required
		if len(c.Missing) > 0 {
			cr.Missing = arena.Take(&b.strs, len(c.Missing))
			copy(cr.Missing, c.Missing)
		}
		if c.Status == rules.Unmet {
			if s, ok := shortfall(c.Op, c.Observed, c.Required); ok {
				cr.Shortfall = b.float(s)
			}
		}
		if len(c.Values) > 0 {
			cr.Values = arena.Take(&b.values, len(c.Values))
			for j, v := range c.Values {
				cr.Values[j] = Value{Name: v.Name, Value: v.Value}
			}
		}
		if c.Closest != nil {
			g := &arena.Take(&b.entries, 1)[0]
			*g = EntryGap{Path: c.Closest.Path, Label: c.Closest.Label, Met: c.Closest.Met, Total: c.Closest.Total, Failed: []ConditionGap{}}
			if len(c.Closest.Failed) > 0 {
				g.Failed = arena.Take(&b.conds, len(c.Closest.Failed))
				for j := range c.Closest.Failed {
					f, gf := &c.Closest.Failed[j], &g.Failed[j]
					gf.Text, gf.Op, gf.Observed, gf.Required = f.Text, f.Op, f.Observed, f.Required
					if s, ok := shortfall(f.Op, f.Observed, f.Required); ok {
						gf.Shortfall = b.float(s)
					}
				}
			}
			cr.Closest = g
		}
	}
	return out
}

func clauseStatus(s rules.Status) Status {
	switch s {
	case rules.Met:
		return Met
	case rules.Unknown:
		return Unknown
	case rules.Review:
		return Review
	}
	return Unmet
}

// shortfall is how far a failed numeric comparison falls short.
func shortfall(op string, observed, required rules.Value) (float64, bool) {
	o, ok1 := observed.Number()
	r, ok2 := required.Number()
	if !ok1 || !ok2 {
		return 0, false
	}
	var s float64
	switch op {
	case ">=", ">":
		s = r - o
	case "<=", "<":
		s = o - r
	default:
		return 0, false
	}
	if s < 0 {
		return 0, false
	}
	// Hours and amounts are given to a few decimals: round away the
	// binary noise of sums such as 0.1+0.2 so "0.3 short" reads as such.
	return math.Round(s*1e6) / 1e6, true
}

// appendMissing appends to dst the document paths the clauses found
// missing, each once: a requirement's Missing.
func appendMissing(dst []string, clauses []rules.Clause) []string {
	lo := len(dst)
	for _, c := range clauses {
		for _, m := range c.Missing {
			if !slices.Contains(dst[lo:], m) {
				dst = append(dst, m)
			}
		}
	}
	return dst
}
