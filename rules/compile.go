package rules

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/check"
	"github.com/eligo-dev/eligo/rules/internal/fast"
	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/expr-lang/expr/ast"
	exprcompiler "github.com/expr-lang/expr/compiler"
	exprparser "github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// Safety limits applied by Compile unless changed with an Option.
const (
	// DefaultMaxNodes caps the size of one expression, in syntax-tree nodes.
	DefaultMaxNodes = 2000
	// DefaultMemoryBudget caps the memory one expression may allocate while
	// it runs, in expr's units (roughly, elements of lists built).
	DefaultMemoryBudget = 1_000_000
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

type factProgram struct {
	fact   *Fact
	field  int // env field holding the value
	pos    int // index in Program.facts
	fast   fast.Fn
	zero   fast.Val // its value in the fast evaluator before it is computed
	size   float64  // the most entries it can have, if a list (cost.go)
	prog   *vm.Program
	needs  []need
	deps   []int // facts to compute first, in order
	typ    reflect.Type
	params []string
	reads  []string // applicant fields read, directly or through facts
}

type reqProgram struct {
	req     *Requirement
	fast    bool     // every part runs on the fast evaluator
	reads   []string // applicant fields read, directly or through facts
	clauses []*clause
	review  *clause
	unknown *clause
}

// clause is one conjunct of a condition, compiled to explain itself.
type clause struct {
	text  string
	needs []need
	facts []int    // facts to compute first, in dependency order
	names []string // facts and parameters it reads, for explanations
	prog  *vm.Program
	op    string      // comparison operator, when the clause is one
	left  *vm.Program // its sides
	right *vm.Program
	// rightNeeds is what the right side alone reads, so that an unknown
	// comparison can still show its threshold.
	rightNeeds []need
	rightFree  bool        // the right side reads no facts
	arg        *vm.Program // a library call's first argument, shown as observed
	list       *listClause

	// The same for the fast evaluator; fastOK when all it needs compiled.
	fprog, fleft, fright, farg fast.Fn
	fbool                      fast.BoolFn // fprog as a condition
	fastOK                     bool
	factPos                    []int      // facts, as positions in Program.facts
	refs                       []valueRef // names, resolved
}

// valueRef is a name an explanation shows: parameter param, or fact fact.
type valueRef struct {
	name  string
	param int // -1 for a fact
	fact  int
}

// listClause explains any(list, cond && ...) and all(list, ...) clauses
// entry by entry.
type listClause struct {
	builtin string
	path    string      // document path of the list, when it is an applicant field
	detail  *vm.Program // per entry, each condition's items (explaining a failed clause)
	find    *vm.Program // any(): [findIndex(list, predicate), list] (naming the entry that meets it)
	conds   []cond

	// The fast evaluator's list, and per condition its items as detail
	// has them (a comparison's two sides; a call and its argument; else
	// the condition).
	flist  fast.Fn
	fitems []fast.Fn
	fconds []fast.BoolFn // each condition, as one
	fastOK bool
	paths  []string // path[i] for the first entries
}

type cond struct {
	text string
	op   string // "" when not a comparison; otherwise the detail row holds both sides
	call bool   // a library call: the detail row holds its result, then its first argument
}

// need is optional applicant data a clause reads: if it is absent, the
// clause is unknown rather than false.
type need struct {
	path  string
	index []int     // env field, then struct fields, dereferencing pointers between
	at    fast.Path // the same in the applicant's memory (fast evaluator)
}
type compiler struct {
	set   *Set
	c     *file.Errors
	cfg   config
	env   *check.Env
	facts map[string]*factProgram
	order []*factProgram
	fc    *fast.Compiler
	// budget.go and cost.go: the positions at which a rule's work was
	// reported as over budget.
	overWork map[Position]bool
}

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

type visitor func(*ast.Node)

func (v visitor) Visit(n *ast.Node) { v(n) }

// compileFacts checks the facts in dependency order (check.Env.Facts) and,
// when they all checked, compiles each.
func (cp *compiler) compileFacts() {
	for _, f := range cp.env.Facts() {
		fp := &factProgram{fact: f.Fact, field: f.Field, pos: f.Pos, typ: f.Type, needs: needsOf(f.Needs),
			deps: f.Deps, params: f.Params, reads: f.Reads}
		cp.facts[f.Fact.Name] = fp
		cp.order = append(cp.order, fp)
	}
	for _, fp := range cp.order {
		p := cp.env.Fact(fp.fact.Name).Checked
		if p == nil {
			continue
		}
		fp.prog = cp.program(p, p.Tree.Node)
		fp.size = (&estimator{cp: cp, lets: map[string]letSize{}}).size(p.Tree.Node, nil)
		if fast.FactType(fp.typ) {
			fp.fast = cp.fast(p.Tree.Node, 0, nil)
			if fp.fast != nil {
				cp.fc.AddFact(fp.fact.Name, fp.pos)
			}
		}
	}
}

// needsOf is what check found a part reads, for the evaluators.
func needsOf(ns []check.Need) []need {
	out := make([]need, len(ns))
	for i, n := range ns {
		out[i] = need{path: n.Path, index: n.Index}
	}
	return out
}

// program compiles node, p's tree or a part of it, for expr's VM, once it
// is within the step budget.
func (cp *compiler) program(p *check.Checked, node ast.Node) *vm.Program {
	if !cp.withinBudget(p, node) {
		return nil
	}
	undo := instrument(&node)
	defer undo()
	prog, err := exprcompiler.Compile(&exprparser.Tree{Node: node, Source: p.Tree.Source}, cp.env.Config())
	if err != nil {
		cp.env.ExprError(p, err, ErrType)
		return nil
	}
	return prog
}

func (cp *compiler) compileRequirement(r *Requirement) *reqProgram {
	rp := &reqProgram{req: r}
	what := "requirement " + r.ID
	if p := cp.env.Condition(r.When, what+" when"); p != nil {
		rp.reads = p.Reads(rp.reads)
		for _, n := range conjuncts(p.Tree.Node) {
			rp.clauses = append(rp.clauses, cp.compileClause(p, n))
		}
	}
	for _, alt := range []struct {
		e    Expr
		key  string
		dest **clause
	}{{r.Review, "review", &rp.review}, {r.Unknown, "unknown", &rp.unknown}} {
		if alt.e.IsZero() {
			continue
		}
		p := cp.env.Condition(alt.e, what+" "+alt.key)
		if p == nil {
			continue
		}
		rp.reads = p.Reads(rp.reads)
		cl := &clause{text: strings.TrimSpace(alt.e.Source)}
		u := p.Uses(p.Tree.Node)
		cl.needs, cl.facts = needsOf(u.Needs), u.Facts
		cl.prog = cp.program(p, p.Tree.Node)
		cl.fprog, cl.fbool = cp.fast(p.Tree.Node, 0, nil), cp.fastBool(p.Tree.Node, 0, nil)
		cl.fastOK = cl.fprog != nil && cl.fbool != nil
		*alt.dest = cl
	}
	return rp
}

// conjuncts splits a && b && c into its parts.
func conjuncts(n ast.Node) []ast.Node {
	if b, ok := n.(*ast.BinaryNode); ok && (b.Operator == "&&" || b.Operator == "and") {
		return append(conjuncts(b.Left), conjuncts(b.Right)...)
	}
	return []ast.Node{n}
}

var comparisons = map[string]bool{"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true, "in": true}

func (cp *compiler) compileClause(p *check.Checked, n ast.Node) *clause {
	cl := &clause{text: p.Text(n)}
	u := p.Uses(n)
	cl.needs, cl.facts = needsOf(u.Needs), u.Facts
	params := u.Params
	for _, fi := range cl.facts {
		for _, fp := range cp.order {
			if fp.field == fi {
				cl.names = append(cl.names, fp.fact.Name)
			}
		}
	}
	for _, pn := range params {
		cl.names = append(cl.names, paramName+"."+pn)
	}
	if b, ok := n.(*ast.BinaryNode); ok && comparisons[b.Operator] {
		cl.op = b.Operator
		cl.left = cp.program(p, b.Left)
		cl.right = cp.program(p, b.Right)
		ru := p.Uses(b.Right)
		cl.rightNeeds = needsOf(ru.Needs)
		cl.rightFree = len(ru.Facts) == 0
		cl.fleft, cl.fright = cp.fast(b.Left, 0, nil), cp.fast(b.Right, 0, nil)
		cl.fastOK = cl.fleft != nil && cl.fright != nil
		return cl
	}
	cl.prog = cp.program(p, n)
	cl.fprog, cl.fbool = cp.fast(n, 0, nil), cp.fastBool(n, 0, nil)
	cl.fastOK = cl.fprog != nil && cl.fbool != nil
	if arg := libraryArg(n); arg != nil {
		cl.arg = cp.program(p, arg)
		cl.farg = cp.fast(arg, 0, nil)
		cl.fastOK = cl.fastOK && cl.farg != nil
	}
	if bn, ok := n.(*ast.BuiltinNode); ok && (bn.Name == "any" || bn.Name == "all") && len(bn.Arguments) == 2 {
		if pred, ok := bn.Arguments[1].(*ast.PredicateNode); ok {
			cl.list = cp.compileList(p, bn, pred)
			cl.fastOK = cl.fastOK && (cl.list == nil || cl.list.fastOK)
		}
	}
	return cl
}

// libraryArg returns the first argument of a call to a library function
// taking a value to check (approved(.provider), done(.completed), ...), so
// that a failed call can show what it was given; nil for anything else.
func libraryArg(n ast.Node) ast.Node {
	call, ok := n.(*ast.CallNode)
	if !ok || len(call.Arguments) == 0 {
		return nil
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok {
		return nil
	}
	if f := lib.ByName(id.Value); f != nil && f.Shows > 0 && len(call.Arguments) >= f.Shows {
		return call.Arguments[f.Shows-1]
	}
	return nil
}

// compileList builds map(list, [#, cond1 or its two sides, ...]) so that a
// failed any() or all() can say, entry by entry, which conditions failed.
func (cp *compiler) compileList(p *check.Checked, bn *ast.BuiltinNode, pred *ast.PredicateNode) *listClause {
	lc := &listClause{builtin: bn.Name}
	if chain := check.MemberChain(bn.Arguments[0]); len(chain) > 0 {
		if _, ok := cp.env.AppField(chain[0]); ok {
			lc.path = strings.Join(chain, ".")
		}
	}
	if lc.path == "" {
		lc.path = p.Text(bn.Arguments[0])
	}
	items := []ast.Node{&ast.PointerNode{}}
	lc.fastOK = true
	var elem *fast.Type
	if fn, shape, err := cp.fc.Compile(bn.Arguments[0], 0, nil); err == nil {
		lc.flist, elem = fn, fast.ElemShape(shape)
	} else {
		lc.fastOK = false
	}
	item := func(n ast.Node) {
		fn := cp.fast(n, 1, []*fast.Type{elem})
		lc.fitems = append(lc.fitems, fn)
		lc.fastOK = lc.fastOK && fn != nil
	}
	for i := range maxListPaths {
		lc.paths = append(lc.paths, fmt.Sprintf("%s[%d]", lc.path, i))
	}
	for _, c := range conjuncts(pred.Node) {
		cd := cond{text: p.Text(c)}
		fc := cp.fastBool(c, 1, []*fast.Type{elem})
		lc.fconds = append(lc.fconds, fc)
		lc.fastOK = lc.fastOK && fc != nil
		if b, ok := c.(*ast.BinaryNode); ok && comparisons[b.Operator] {
			cd.op = b.Operator
			items = append(items, b.Left, b.Right)
			item(b.Left)
			item(b.Right)
		} else if arg := libraryArg(c); arg != nil {
			cd.call = true
			items = append(items, c, arg)
			// The VM's explanation evaluates the argument twice, the fast
			// one once: their steps would differ.
			lc.fastOK = lc.fastOK && !countsSteps(arg)
			item(c)
			item(arg)
		} else {
			items = append(items, c)
			item(c)
		}
		lc.conds = append(lc.conds, cd)
	}
	detail := &ast.BuiltinNode{Name: "map", Arguments: []ast.Node{bn.Arguments[0], &ast.PredicateNode{Node: &ast.ArrayNode{Nodes: items}}}}
	detail.SetLocation(bn.Location())
	if cp.env.Node(p, detail) == nil {
		return nil
	}
	lc.detail = cp.program(p, detail)
	if bn.Name == "any" {
		// findIndex stops where any() stops, so it fails only where any() would.
		fi := &ast.BuiltinNode{Name: "findIndex", Arguments: []ast.Node{bn.Arguments[0], pred}}
		fi.SetLocation(bn.Location())
		find := &ast.ArrayNode{Nodes: []ast.Node{fi, bn.Arguments[0]}}
		find.SetLocation(bn.Location())
		if cp.env.Node(p, find) == nil {
			return nil
		}
		lc.find = cp.program(p, find)
	}
	return lc
}
