package rules

import (
	"github.com/eligo-dev/eligo/rules/internal/compile"
	"github.com/eligo-dev/eligo/rules/internal/fast"
)

// A kernel is a clause as its status needs it (clauseStatus), its parts
// resolved once, when the program compiles: how the clause is decided and
// only what that reads, so that a status takes no branch on the clause's
// shape and reads no part it does not need.
type kernel struct {
	kind  kernelKind
	needs []compile.Need // what must be present, else the clause is unknown
	facts []int          // the facts to compute first (compile.Clause.FactPos)
	shown []int          // the facts its explanation shows, checked finite
	fn    fast.BoolFn    // kTyped: Fast.Status; kBool: Fast.Bool
	arg   fast.Fn        // kBool: Fast.Arg, checked finite when the clause fails
	right int            // kTyped: Fast.RightPos
	cl    *compile.Clause
}

type kernelKind uint8

const (
	kCompare kernelKind = iota // a comparison decided from its sides (compareStatus)
	kTyped                     // a comparison with typed sides (Fast.Status)
	kAny                       // any(list, ...)
	kNone                      // none(list, ...)
	kBool                      // any other condition
)

// kernelsOf resolves the clauses of every requirement the fast evaluator
// runs into kernels, a non-nil slice even for no clauses (fastStatus
// explains when given nil); nil for the others.
func kernelsOf(reqs []*compile.Requirement) [][]kernel {
	out := make([][]kernel, len(reqs))
	for i, rp := range reqs {
		if !rp.Fast {
			continue
		}
		ks := make([]kernel, len(rp.Clauses))
		for j, cl := range rp.Clauses {
			ks[j] = kernelOf(cl)
		}
		out[i] = ks
	}
	return out
}

// kernelOf resolves clause cl, which the fast evaluator runs, into its
// kernel.
func kernelOf(cl *compile.Clause) kernel {
	k := kernel{needs: cl.Needs, facts: cl.FactPos, right: -1, cl: cl}
	for _, ref := range cl.Refs {
		if ref.Param < 0 {
			k.shown = append(k.shown, ref.Fact)
		}
	}
	switch {
	case cl.Op != "" && cl.Fast.Status != nil:
		k.kind, k.fn, k.right = kTyped, cl.Fast.Status, cl.Fast.RightPos
	case cl.Op != "":
		k.kind = kCompare
	case cl.List != nil && cl.List.Builtin == "any":
		k.kind = kAny
	case cl.List != nil && cl.List.Builtin == "none":
		k.kind = kNone
	default:
		k.kind, k.fn, k.arg = kBool, cl.Fast.Bool, cl.Fast.Arg
	}
	return k
}

// clauseStatus is fastClause's status of k's clause, without the
// explanation (fastStatus).
func (r *Run) clauseStatus(k *kernel) Status {
	if r.anyMissing(k.needs) {
		return Unknown
	}
	for _, p := range k.facts {
		r.fastFact(p)
	}
	var met bool
	switch k.kind {
	case kTyped:
		if k.right < 0 || r.consts[k.right].ok {
			met = r.fast.RunBool(k.fn) // a constant right side was checked when computed
		} else {
			met = r.compareStatus(k.cl)
		}
	case kCompare:
		met = r.compareStatus(k.cl)
	case kAny:
		met = r.anyFind(k.cl.List) >= 0
	case kNone:
		met = r.anyFind(k.cl.List) < 0
	default:
		met = r.fast.RunBool(k.fn)
		if !met && k.arg != nil {
			r.finite(r.fast.Run(k.arg).Deref())
		}
	}
	for _, f := range k.shown {
		r.finite(r.fast.Fact(f))
	}
	if met {
		return Met
	}
	return Unmet
}
