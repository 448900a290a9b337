package rules

import (
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"
	"time"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/check"
	"github.com/eligo-dev/eligo/rules/internal/compile"
	"github.com/eligo-dev/eligo/rules/internal/fast"
)

// This file is the facade of compiling: options, Program and Compile, which
// checks every expression (rules/internal/check) and compiles the plan
// from what checked (rules/internal/compile).

// Safety limits applied by Compile unless changed with an Option.
const (
	// DefaultMaxNodes caps the size of one expression, in syntax-tree nodes.
	DefaultMaxNodes = 2000
	// DefaultMemoryBudget caps the memory one expression may allocate while
	// it runs, in expr's units (roughly, elements of lists built).
	DefaultMemoryBudget = 1_000_000
)

// Limits on the shape of one expression, checked before expr parses it.
const (
	// MaxNesting is the deepest an expression may nest: each open bracket
	// ( [ { and each prefix operator (!, not, unary - and +) still in force
	// counts one level. expr's parser recurses once per level before it
	// counts nodes, so a deeper expression is refused, with ErrLimit,
	// before it reaches the parser.
	MaxNesting = 100
	// TokensPerNode bounds the length of an expression in tokens (names,
	// literals, operators, brackets): at most TokensPerNode times the
	// node limit (DefaultMaxNodes, or MaxNodes). expr reads every token of
	// an expression before it counts nodes, so a longer expression is
	// refused, with ErrLimit, before it reaches the parser.
	TokensPerNode = 8
)

// The limits are rules/internal/check's, which applies them; these
// constants fail to compile if the two disagree.
const (
	_ = uint(MaxNesting-check.MaxNesting) + uint(check.MaxNesting-MaxNesting)
	_ = uint(TokensPerNode-check.TokensPerNode) + uint(check.TokensPerNode-TokensPerNode)
)

// Option changes how Compile works. Options report bad values as errors.
type Option func(*config) error

type config struct {
	maxNodes     uint
	memoryBudget uint
	stepBudget   uint // budget.go
	maxListLen   uint
}

// MaxNodes sets the largest expression accepted, in syntax-tree nodes.
func MaxNodes(n uint) Option {
	return func(c *config) error {
		if n == 0 {
			return errors.New("rules: MaxNodes must be at least 1")
		}
		c.maxNodes = n
		return nil
	}
}

// MemoryBudget sets how much memory one expression may allocate while it
// runs: list elements, as expr's memory budget counts them, and, apart,
// bytes of text built. An expression over budget fails with an error.
func MemoryBudget(n uint) Option {
	return func(c *config) error {
		if n == 0 {
			return errors.New("rules: MemoryBudget must be at least 1")
		}
		c.memoryBudget = n
		return nil
	}
}

// Reserved names in the expression environment.
const (
	paramName = check.ParamName
)

// Program is a rule set compiled against an applicant type. It is immutable
// and safe for concurrent use: each evaluation keeps its state in a Run.
//
// A date in the applicant is absent only when it is nil: model an optional
// date as *time.Time. Any other date is present, the zero time.Time
// (1 January of year 1) included; no date value stands for "none".
type Program struct {
	set      *Set
	plan     *compile.Plan
	facts    []*compile.Fact        // plan.Facts, in dependency order
	reqs     []*compile.Requirement // plan.Reqs
	reqIndex map[string]int
	kernels  [][]kernel // per requirement, its clauses for its status (kernel.go)

	// For explanations on the fast evaluator: each parameter's values
	// (by parameter, then index in its Values), each made into a Value
	// once, and per parameter period, its lists, sharing those Values.
	paramValues [][]Value
	periodLists [][]paramList
	// Per parameter period, the parts that read nothing but parameters
	// and literals (compile.Plan.Consts), computed once, when a run first
	// uses the period.
	periodConsts []periodConsts
	// How many evaluations the fast evaluator handed back to the VM (for
	// tests).
	fallbacks atomic.Int64
}

// paramList is a parameter's list and its Value: explanations that show
// the list share the Value.
type paramList struct {
	list  fast.Val
	value Value
}

// Set returns the rule set the program was compiled from.
func (p *Program) Set() *Set { return p.set }

// Requirement returns the index of requirement id for Run.Requirement.
func (p *Program) Requirement(id string) (int, bool) {
	i, ok := p.reqIndex[id]
	return i, ok
}

// Reads returns the applicant fields (by their names in rules) that
// requirement i reads, directly or through facts, in the model's field order.
func (p *Program) Reads(i int) []string { return p.reqs[i].Reads }

// ReadPaths returns the applicant data requirement i reads, directly or
// through facts, as member chains from the applicant by the names rules
// see, joined by dots and sorted: "kind", "supervision.sessions". Each is
// the longest chain of field names at a place the rules read, and stands
// for everything under it: a list's entries, a section's fields. A rule
// that reads a whole section (has(supervision), a let of it) gives the
// section's name alone.
func (p *Program) ReadPaths(i int) []string { return p.reqs[i].Paths }

// ClauseTexts returns the source texts of requirement i's clauses, in
// order: the Text of each of the Clauses its results hold. The slice is
// new, the caller's.
func (p *Program) ClauseTexts(i int) []string {
	cls := p.reqs[i].Clauses
	out := make([]string, len(cls))
	for j, cl := range cls {
		out[j] = cl.Text
	}
	return out
}

// NumRequirements is the number of requirements; indexes run from 0 in the
// order of Set().Requirements.
func (p *Program) NumRequirements() int { return len(p.reqs) }

// Compile type-checks and compiles every expression of the rule set against
// the applicant type of model (a struct, or a pointer to one; its value is
// not used). Fields are visible to rules by their `expr` tag, else their Go
// name; a field tagged `expr:"-"` is hidden.
//
// Besides the applicant's fields, expressions see asOf (the evaluation
// date), param.NAME (parameters as of asOf), facts by name, and the library
// functions (see FunctionNames). Every problem is reported at once as an
// *ErrorList in the rule files' coordinates.
func Compile(set *Set, model any, opts ...Option) (*Program, error) {
	if set == nil {
		return nil, errors.New("rules: Compile of a nil rule set")
	}
	mt := reflect.TypeOf(model)
	for mt != nil && mt.Kind() == reflect.Pointer {
		mt = mt.Elem()
	}
	if mt == nil || mt.Kind() != reflect.Struct {
		return nil, fmt.Errorf("rules: the applicant model must be a struct or a pointer to one, not %T", model)
	}
	cfg := config{maxNodes: DefaultMaxNodes, memoryBudget: DefaultMemoryBudget, stepBudget: DefaultStepBudget,
		maxListLen: DefaultMaxListLen}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	errs := &file.Errors{Max: MaxErrors} // past it, errors are counted, not kept
	for _, f := range set.Files() {
		errs.AddSource(f)
	}
	env, err := check.New(set, mt, errs, check.Options{MaxNodes: cfg.maxNodes, Hidden: compile.MeterType,
		Functions: compile.MeterFunctions(ErrNonFinite)})
	if err != nil {
		return nil, err
	}
	plan := compile.New(env, compile.Options{Memory: cfg.memoryBudget, Steps: cfg.stepBudget, MaxListLen: cfg.maxListLen,
		ConstantList: constantList})
	if err := errs.Err(MaxErrors); err != nil {
		return nil, err
	}
	prog := &Program{set: set, plan: plan, facts: plan.Facts, reqs: plan.Reqs, reqIndex: map[string]int{}}
	for i, r := range set.Requirements {
		prog.reqIndex[r.ID] = i
	}
	prog.kernels = kernelsOf(plan.Reqs)
	for _, p := range plan.Params.Params {
		values := make([]Value, len(p.Values))
		for j, dv := range p.Values {
			values[j] = ValueOf(dv.Value)
		}
		prog.paramValues = append(prog.paramValues, values)
	}
	prog.periodLists = make([][]paramList, len(plan.PeriodLists))
	for per, ls := range plan.PeriodLists {
		for _, l := range ls {
			v := prog.paramValues[l.Field][plan.Params.ValueIndex(per, l.Field)]
			prog.periodLists[per] = append(prog.periodLists[per], paramList{list: l.List, value: v})
		}
	}
	prog.periodConsts = make([]periodConsts, plan.Params.NumPeriods())
	return prog, nil
}

// constantList is a constant list of an expression as explanations show
// it, made once when the rules compile (compile.Options.ConstantList).
func constantList(items []any) any {
	values := make([]Value, len(items))
	for i, x := range items {
		values[i] = ValueOf(x)
	}
	return listValue(values)
}

// dateLayout is how rule files write dates.
const dateLayout = time.DateOnly

// Param returns the value of parameter name in force on date: a float64,
// bool, string, time.Time or []string.
func (p *Program) Param(name string, date time.Time) (any, error) {
	return p.plan.Params.Value(name, date)
}
