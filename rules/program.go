package rules

import (
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"
	"time"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/check"
	"github.com/eligo-dev/eligo/rules/internal/fast"
)

// This file is the facade of compiling: options, Program and Compile, which
// checks every expression (rules/internal/check) and compiles the plan
// from what checked (compile.go).

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
	set       *Set
	model     reflect.Type // the applicant struct type
	envType   reflect.Type // the expression environment (a struct)
	appFields []int        // env field i mirrors model field appFields[i]
	asOfField int
	parField  int
	params    *check.Params
	facts     []*factProgram // in dependency order
	reqs      []*reqProgram
	reqIndex  map[string]int
	budget    uint
	// The step budget and where the environment holds the run's meter
	// (budget.go).
	steps      uint
	meterField int

	// The fast evaluator (rules/internal/fast): per parameter period, its
	// fields' Values and its lists; what a fast.Frame needs to run the
	// program; how many evaluations it handed back to the VM (for tests).
	periodValues [][]Value
	periodLists  [][]paramList
	layout       fast.Layout
	fallbacks    atomic.Int64
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
func (p *Program) Reads(i int) []string { return p.reqs[i].reads }

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
	cp := &compiler{set: set, c: &file.Errors{}, cfg: cfg, facts: map[string]*factProgram{}}
	for _, f := range set.Files() {
		cp.c.AddSource(f)
	}
	env, err := check.New(set, mt, cp.c, check.Options{MaxNodes: cfg.maxNodes, Hidden: reflect.TypeFor[*fast.Meter](),
		Functions: meterFunctions})
	if err != nil {
		return nil, err
	}
	cp.env = env
	layout := env.Layout()
	prog := &Program{set: set, model: mt, budget: cfg.memoryBudget, steps: cfg.stepBudget, reqIndex: map[string]int{},
		appFields: layout.AppFields, asOfField: layout.AsOf, parField: layout.Param, meterField: layout.Hidden,
		params: env.Params()}
	cp.fc = cp.fastCompiler()
	cp.compileFacts()
	for i, r := range set.Requirements {
		prog.reqIndex[r.ID] = i
		prog.reqs = append(prog.reqs, cp.compileRequirement(r))
	}
	if err := cp.c.Err(MaxErrors); err != nil {
		return nil, err
	}
	prog.envType = env.Type()
	prog.facts = cp.order
	cp.finishFast(prog)
	return prog, nil
}

// dateLayout is how rule files write dates.
const dateLayout = time.DateOnly

// Param returns the value of parameter name in force on date: a float64,
// bool, string, time.Time or []string.
func (p *Program) Param(name string, date time.Time) (any, error) {
	return p.params.Value(name, date)
}
