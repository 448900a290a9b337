// Package compile builds the plan of a compiled rule set from its checked
// expressions (rules/internal/check): the facts in dependency order, the
// requirements split into clauses that explain themselves, the entry by
// entry explanations of list clauses, and each part compiled twice, for
// expr's VM (with the step metering patched in, meter.go) and for the fast
// evaluator (rules/internal/fast). It also estimates, before compiling, the
// most work each expression can do (cost.go), and rejects what is over the
// step budget.
//
// A Plan is immutable once New returns it; package rules wraps it in a
// Program and runs it. Every problem is added to the check.Env's
// *file.Errors.
package compile

import (
	"reflect"

	"github.com/eligo-dev/eligo/rules/internal/check"
	"github.com/eligo-dev/eligo/rules/internal/fast"
	"github.com/eligo-dev/eligo/rules/ruleset"
	"github.com/expr-lang/expr/vm"
)

// Plan is a rule set compiled against an applicant type: where the
// environment holds what, and every fact and requirement ready to run on
// either evaluator.
type Plan struct {
	Model     reflect.Type // the applicant struct type
	Env       reflect.Type // the expression environment (a struct)
	AppFields []int        // env field i mirrors model field AppFields[i]
	AsOf      int          // env field holding the evaluation date
	Param     int          // env field holding the parameters in force
	Meter     int          // env field holding the run's meter (meter.go)
	Params    *check.Params
	Facts     []*Fact        // in dependency order
	Reqs      []*Requirement // in the order of the rule set's requirements
	Memory    uint           // the memory budget of one expression run (expr's VM)

	// The fast evaluator: what a fast.Frame needs to run the plan, and per
	// parameter period, its lists (for explanations to recognise).
	Layout      fast.Layout
	PeriodLists [][]ParamList
	// Consts counts the parts that read nothing but parameters and
	// literals, which a run computes once per parameter period: the right
	// sides of comparisons (Clause.Fast.RightPos) and the items of list
	// conditions (ListClause.Fast.ItemPos).
	Consts int
}

// Fact is a fact compiled: where its value goes, what it reads and its
// programs.
type Fact struct {
	Fact   *ruleset.Fact
	Field  int // env field holding the value
	Pos    int // index in Plan.Facts
	Type   reflect.Type
	Needs  []Need
	Deps   []int // env fields of the facts its expression names (not theirs: check.Env.closure makes those)
	Params []string
	Reads  []string // applicant fields read, directly or through facts
	Size   float64  // the most entries it can have, if a list (cost.go)

	VM   *vm.Program
	Fast fast.Fn       // nil when the fast evaluator cannot run it
	Zero fast.Val      // its value in the fast evaluator before it is computed
	Kind fast.FactKind // Type, as the fast evaluator converts to it
}

// Requirement is a requirement compiled: its when condition split into
// clauses, and its review and unknown conditions whole.
type Requirement struct {
	Req     *ruleset.Requirement
	Fast    bool     // every part runs on the fast evaluator
	Reads   []string // applicant fields read, directly or through facts
	Paths   []string // applicant data read, directly or through facts, as dotted member chains
	Clauses []*Clause
	Review  *Clause
	Unknown *Clause
}

// Clause is one conjunct of a condition, compiled to explain itself.
type Clause struct {
	Text  string
	Needs []Need
	Facts []int    // env fields of the facts to compute first, in dependency order
	Names []string // facts and parameters it reads, for explanations
	Op    string   // comparison operator, when the clause is one
	// RightNeeds is what the right side alone reads, so that an unknown
	// comparison can still show its threshold.
	RightNeeds []Need
	RightFree  bool // the right side reads no facts
	List       *ListClause

	FactPos []int      // Facts, as positions in Plan.Facts
	Refs    []ValueRef // Names, resolved

	// VM holds the clause for expr's VM: the whole condition (not for a
	// comparison), a comparison's sides, and a library call's first
	// argument, shown as observed.
	VM struct{ Prog, Left, Right, Arg *vm.Program }
	// Fast holds the same for the fast evaluator, and the condition as a
	// BoolFn; OK when everything it needs compiled.
	Fast struct {
		Prog, Left, Right, Arg fast.Fn
		Bool                   fast.BoolFn
		// Status is a comparison as its status needs it, with typed
		// sides (fast.Compiler.CompileCompare); nil where the run
		// decides it from Left and Right.
		Status fast.BoolFn
		OK     bool
		Op     fast.Op // Op, resolved
		// RightPos numbers, among the plan's Consts, a comparison whose
		// right side reads nothing but parameters and literals (a
		// threshold, a list of values), so that a run can compute it once
		// per parameter period; it is -1 for any other clause.
		RightPos int
	}
}

// ValueRef is a name an explanation shows: parameter Param, or fact Fact
// (a position in Plan.Facts).
type ValueRef struct {
	Name  string
	Param int // -1 for a fact
	Fact  int
}

// ListClause explains any(list, cond && ...), all(list, ...) and
// none(list, ...) clauses entry by entry.
type ListClause struct {
	Builtin string
	Path    string // document path of the list, when it is an applicant field
	Conds   []Cond
	Paths   []string // Path[i] for the first entries (MaxListPaths)

	// VM: per entry, each condition's items (explaining a failed any()
	// or all(); nil for none()); and for any() and none(),
	// [findIndex(list, predicate), list] (naming the entry that meets
	// the predicate: a met any()'s, a failed none()'s).
	VM struct{ Detail, Find *vm.Program }
	// Fast: the list, and per condition its items as Detail has them (a
	// comparison's two sides; a call and its argument; else the
	// condition), and each condition as one; OK when all compiled.
	Fast struct {
		List  fast.Fn
		Items []fast.Fn
		Conds []fast.BoolFn
		OK    bool
		// Find is any()'s and none()'s search for the first entry that
		// meets every condition, over a list of structs read from memory
		// (fast.Compiler.Find); nil for other lists, which run List.
		Find fast.FindFn
		// FindList is Find returning the list too, for explanations.
		FindList fast.FindListFn
		// ItemPos numbers, among the plan's Consts, each item that reads
		// nothing but parameters and scalar literals (the threshold of
		// .hours >= param.min_hours); -1 for the others.
		ItemPos []int
	}
}

// Cond is one condition on a list entry.
type Cond struct {
	Text string
	Op   string // "" when not a comparison; otherwise the detail row holds both sides
	Call bool   // a library call: the detail row holds its result, then its first argument
}

// Need is optional applicant data a clause reads: if it is absent, the
// clause is unknown rather than false.
type Need struct {
	Path  string
	Index []int     // env field, then struct fields, dereferencing pointers between
	At    fast.Path // the same in the applicant's memory (fast evaluator)
}

// ParamList is a parameter's list in one period, loaded for the fast
// evaluator: Field is the parameter's field in the parameter struct.
type ParamList struct {
	Field int
	List  fast.Val
}

// MaxListPaths is how many entry paths ("onlineTraining[3]") a list clause
// formats when it compiles, so that explaining one costs no formatting.
const MaxListPaths = 32

// Options are the limits and hooks of New.
type Options struct {
	Memory     uint // the memory budget of one expression run
	Steps      uint // the step budget of one expression run
	MaxListLen uint // the length cost.go assumes for an unbounded applicant list
	// ConstantList is fast.Config.ConstantList: a constant list's value
	// for explanations.
	ConstantList func(items []any) any
}

// New compiles the expressions of env's rule set into a plan. env must be
// fresh from check.New: New checks the facts (check.Env.Facts) and every
// requirement. It returns nil when anything, here or before, was reported
// to env.Errors().
func New(env *check.Env, opts Options) *Plan {
	cp := &compiler{env: env, c: env.Errors(), opts: opts, facts: map[string]*Fact{}}
	layout := env.Layout()
	plan := &Plan{Model: env.Model(), Memory: opts.Memory, AppFields: layout.AppFields, AsOf: layout.AsOf,
		Param: layout.Param, Meter: layout.Hidden, Params: env.Params()}
	cp.fc = cp.fastCompiler()
	cp.compileFacts()
	for _, r := range env.Set().Requirements {
		plan.Reqs = append(plan.Reqs, cp.compileRequirement(r))
	}
	if cp.c.Len() > 0 {
		return nil
	}
	plan.Env = env.Type()
	plan.Facts = cp.order
	plan.Consts = cp.consts
	cp.finishFast(plan)
	return plan
}
