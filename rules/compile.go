// This file is over 600 lines until issue 16 splits it into
// rules/internal/check (parse and check in rule-file coordinates) and
// rules/internal/compile (the plan); see /work/shared/LAYOUT.md.

package rules

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/fast"
	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	exprcompiler "github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	exprfile "github.com/expr-lang/expr/file"
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
	asOfName  = lib.AsOf
	paramName = lib.Param
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
	params    *paramTable
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
	set      *Set
	c        *file.Errors
	cfg      config
	model    reflect.Type
	fields   []reflect.StructField // env fields so far
	appNames map[string]reflect.Type
	appIndex map[string]int // applicant field name -> env field
	params   *paramTable
	facts    map[string]*factProgram
	order    []*factProgram
	cat      lib.Catalogues
	names    []string // every name rules may use, for suggestions
	fc       *fast.Compiler
	// The last expr configuration made, for an environment of cfgFields fields.
	cfgCache  *conf.Config
	cfgFields int
	// budget.go and cost.go: where the environment holds the meter; the
	// positions at which a rule's work was reported as over budget.
	meterOff uintptr
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
	cp := &compiler{set: set, c: &file.Errors{}, cfg: cfg, model: mt, appNames: map[string]reflect.Type{},
		appIndex: map[string]int{}, facts: map[string]*factProgram{}, cat: catalogueIndex(set.Catalogues)}
	for _, f := range set.Files() {
		cp.c.AddSource(f)
	}
	prog := &Program{set: set, model: mt, budget: cfg.memoryBudget, steps: cfg.stepBudget, reqIndex: map[string]int{}}
	if err := cp.envBase(prog); err != nil {
		return nil, err
	}
	cp.fc = cp.fastCompiler()
	cp.compileFacts()
	for i, r := range set.Requirements {
		prog.reqIndex[r.ID] = i
		prog.reqs = append(prog.reqs, cp.compileRequirement(r))
	}
	if err := cp.c.Err(MaxErrors); err != nil {
		return nil, err
	}
	prog.envType = reflect.StructOf(cp.fields)
	prog.params = cp.params
	prog.facts = cp.order
	cp.finishFast(prog)
	return prog, nil
}

// envBase lays out the environment: the applicant's fields, asOf and param.
func (cp *compiler) envBase(prog *Program) error {
	for i := 0; i < cp.model.NumField(); i++ {
		f := cp.model.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("expr"); ok {
			name, _, _ = strings.Cut(tag, ",")
		}
		if name == "-" || name == "" {
			continue
		}
		if name == asOfName || name == paramName {
			return fmt.Errorf("rules: applicant field %s is named %q, which rules reserve", f.Name, name)
		}
		cp.appIndex[name] = len(cp.fields)
		cp.appNames[name] = f.Type
		prog.appFields = append(prog.appFields, i)
		cp.fields = append(cp.fields, reflect.StructField{Name: fmt.Sprintf("A%d", i), Type: f.Type,
			Tag: reflect.StructTag(fmt.Sprintf(`expr:%q`, name))})
		cp.names = append(cp.names, name)
	}
	prog.asOfField = len(cp.fields)
	cp.fields = append(cp.fields, reflect.StructField{Name: "AsOf", Type: reflect.TypeOf(time.Time{}), Tag: `expr:"asOf"`})
	cp.params = newParamTable(cp.set.Parameters)
	prog.parField = len(cp.fields)
	cp.fields = append(cp.fields, reflect.StructField{Name: "Param", Type: reflect.PointerTo(cp.params.typ), Tag: `expr:"param"`})
	cp.addMeterField(prog)
	cp.names = append(cp.names, asOfName, paramName)
	for _, f := range cp.set.Facts {
		cp.names = append(cp.names, f.Name)
	}
	cp.names = append(cp.names, FunctionNames()...)
	return nil
}

// exprConfig returns an expr configuration for the environment as laid out
// so far: the same one until the environment grows, for building one costs
// more than compiling a requirement.
func (cp *compiler) exprConfig() *conf.Config {
	if cp.cfgCache != nil && cp.cfgFields == len(cp.fields) {
		return cp.cfgCache
	}
	defer func() { cp.cfgFields = len(cp.fields) }()
	env := reflect.New(reflect.StructOf(cp.fields)).Interface()
	c := conf.CreateNew()
	opts := append([]expr.Option{expr.Env(env), expr.DisableBuiltin("now"), expr.MaxNodes(cp.cfg.maxNodes)},
		lib.Options(cp.cat)...)
	opts = append(opts, cp.meterFunctions()...)
	for _, o := range opts {
		o(c)
	}
	for name := range c.Disabled {
		delete(c.Builtins, name)
	}
	c.Check()
	cp.cfgCache = c
	return c
}

// parsed is an expression parsed in its rule file's coordinates.
type parsed struct {
	e    Expr
	what string
	tree *exprparser.Tree
	src  []rune
	pos  []Position // file position of each character
}

func (cp *compiler) parse(e Expr, what string, cfg *conf.Config) *parsed {
	if !cp.withinBounds(e, what) {
		return nil
	}
	p := &parsed{e: e, what: what, src: []rune(e.Source)}
	p.pos = e.Positions()
	tree, err := exprparser.ParseWithConfig(e.Source, cfg)
	if err != nil {
		cp.exprError(p, err, ErrSyntax)
		return nil
	}
	p.tree = tree
	ok := true
	ast.Walk(&tree.Node, visitor(func(n *ast.Node) {
		switch x := (*n).(type) {
		case *ast.IdentifierNode:
			if x.Value == "$env" {
				cp.at(p, x, ErrForbidden, "%s: $env is not available in rules; name the field you need", what)
				ok = false
			}
		case *ast.BuiltinNode:
			if x.Name == "now" {
				cp.at(p, x, ErrForbidden, "%s: now() is not available in rules; use asOf, the evaluation date", what)
				ok = false
			}
		case *ast.CallNode:
			switch callee := x.Callee.(type) {
			case *ast.MemberNode:
				cp.at(p, x, ErrForbidden, "%s: method calls are not allowed in rules; use the library's functions", what)
				ok = false
			case *ast.IdentifierNode:
				if callee.Value == "now" {
					cp.at(p, x, ErrForbidden, "%s: now() is not available in rules; use asOf, the evaluation date", what)
					ok = false
				}
			}
		case *ast.MemberNode:
			if id, isID := x.Node.(*ast.IdentifierNode); isID && id.Value == paramName {
				if s, isStr := x.Property.(*ast.StringNode); isStr {
					if _, known := cp.params.index[s.Value]; !known {
						msg := fmt.Sprintf("%s: unknown parameter %q", what, s.Value)
						if sug := file.Suggest(s.Value, cp.params.names); sug != "" {
							msg += fmt.Sprintf("; did you mean %q?", sug)
						}
						cp.at(p, x.Property, ErrUnknownReference, "%s", msg)
						ok = false
					}
				}
			}
		}
	}))
	if !ok || !cp.utcOnly(p, what) {
		return nil
	}
	lib.AddAsOf(&p.tree.Node)
	dateInUTC(&p.tree.Node)
	return p
}

type visitor func(*ast.Node)

func (v visitor) Visit(n *ast.Node) { v(n) }

// check type-checks a (sub)tree; it reports errors and returns nil on failure.
func (cp *compiler) check(p *parsed, node ast.Node, cfg *conf.Config) reflect.Type {
	t, err := checker.Check(&exprparser.Tree{Node: node, Source: p.tree.Source}, cfg)
	if err != nil {
		cp.exprError(p, err, ErrType)
		return nil
	}
	if t == nil {
		t = reflect.TypeOf((*any)(nil)).Elem()
	}
	return t
}

func (cp *compiler) program(p *parsed, node ast.Node, cfg *conf.Config) *vm.Program {
	if !cp.withinBudget(p, node) {
		return nil
	}
	undo := instrument(&node)
	defer undo()
	prog, err := exprcompiler.Compile(&exprparser.Tree{Node: node, Source: p.tree.Source}, cfg)
	if err != nil {
		cp.exprError(p, err, ErrType)
		return nil
	}
	return prog
}

// at reports an error at node n of expression p.
func (cp *compiler) at(p *parsed, n ast.Node, kind error, format string, args ...any) {
	cp.c.Add(p.position(n.Location().From), kind, format, args...)
}

func (p *parsed) position(from int) Position {
	if p.pos == nil {
		return p.e.Pos
	}
	if from < 0 {
		from = 0
	}
	if from >= len(p.pos) {
		from = len(p.pos) - 1
	}
	return p.pos[from]
}

// exprError reports an error from expr's parser, checker or compiler in the
// rule file's coordinates.
func (cp *compiler) exprError(p *parsed, err error, kind error) {
	var fe *exprfile.Error
	msg, from := err.Error(), 0
	if errors.As(err, &fe) {
		msg, from = fe.Message, fe.From
	}
	switch {
	case strings.Contains(msg, "maximum allowed nodes"):
		// The whole expression is too big; where the parser gave up is
		// arbitrary, so point at its start.
		kind, from = ErrLimit, 0
		msg = fmt.Sprintf("expression is larger than the limit of %d nodes", cp.cfg.maxNodes)
	case strings.HasPrefix(msg, "unknown name "):
		kind = ErrUnknownReference
		name := strings.TrimPrefix(msg, "unknown name ")
		if cp.isFact(name) {
			return // a fact that did not compile: its own error says why
		}
		if s := file.Suggest(name, cp.names); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
	case strings.Contains(msg, "has no field"), strings.Contains(msg, "unknown func"), strings.Contains(msg, "undefined"):
		kind = ErrUnknownReference
	}
	cp.c.Add(p.position(from), kind, "%s: %s", p.what, msg)
}

// isFact reports whether the rule set defines a fact called name.
func (cp *compiler) isFact(name string) bool {
	for _, f := range cp.set.Facts {
		if f.Name == name {
			return true
		}
	}
	return false
}

// compileFacts orders facts by their dependencies, reports cycles, and
// compiles each against an environment holding the facts before it.
func (cp *compiler) compileFacts() {
	cfg := cp.exprConfig()
	byName := map[string]*Fact{}
	trees := map[string]*parsed{}
	for _, f := range cp.set.Facts {
		byName[f.Name] = f
		if _, clash := cp.appNames[f.Name]; clash || f.Name == asOfName || f.Name == paramName {
			cp.c.Add(f.Expr.Pos, ErrDuplicate, "fact %s: the name is already an applicant field or reserved", f.Name)
			continue
		}
		if p := cp.parse(f.Expr, "fact "+f.Name, cfg); p != nil {
			trees[f.Name] = p
		}
	}
	deps := map[string][]string{}
	for name, p := range trees {
		deps[name] = identifiers(p.tree.Node, byName)
	}
	// Depth-first ordering; a grey node met again closes a cycle.
	state := map[string]int{}
	var stack []string
	var order []string
	var visit func(string)
	visit = func(n string) {
		switch state[n] {
		case 1:
			i := 0
			for stack[i] != n {
				i++
			}
			cyc := append(append([]string{}, stack[i:]...), n)
			// Point at n's use of the next fact in the cycle.
			at := byName[n].Expr.Pos
			ast.Walk(&trees[n].tree.Node, visitor(func(node *ast.Node) {
				if id, ok := (*node).(*ast.IdentifierNode); ok && id.Value == cyc[1] && at == byName[n].Expr.Pos {
					at = trees[n].position(id.Location().From)
				}
			}))
			cp.c.Add(at, ErrCycle, "fact %s depends on itself: %s", n, strings.Join(cyc, " -> "))
			return
		case 2:
			return
		}
		state[n] = 1
		stack = append(stack, n)
		for _, d := range deps[n] {
			if _, ok := trees[d]; ok {
				visit(d)
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = 2
		order = append(order, n)
	}
	for _, f := range cp.set.Facts {
		if _, ok := trees[f.Name]; ok {
			visit(f.Name)
		}
	}
	// Facts in a cycle, or using a fact that failed, fail to check below
	// with an unknown name, which exprError leaves unreported; the others
	// still report their own faults.
	for _, name := range order {
		cfg := cp.exprConfig()
		p := trees[name]
		// Re-parse: a tree checked against one environment is not reused
		// against another.
		p = cp.parse(p.e, p.what, cfg)
		if p == nil {
			continue
		}
		t := cp.check(p, p.tree.Node, cfg)
		if t == nil {
			continue
		}
		ft := factType(t)
		fp := &factProgram{fact: byName[name], field: len(cp.fields), pos: len(cp.order), typ: ft}
		cp.fields = append(cp.fields, reflect.StructField{Name: fmt.Sprintf("F%d", len(cp.order)), Type: ft,
			Tag: reflect.StructTag(fmt.Sprintf(`expr:%q`, name))})
		fp.needs, fp.deps, fp.params = cp.analyse(p.tree.Node)
		fp.reads = cp.reads(p.tree.Node, nil)
		cp.facts[name] = fp
		cp.order = append(cp.order, fp)
	}
	if cp.c.Len() > 0 {
		return
	}
	// Compile every fact against the complete environment.
	cfg = cp.exprConfig()
	for _, fp := range cp.order {
		p := cp.parse(fp.fact.Expr, "fact "+fp.fact.Name, cfg)
		if p == nil || cp.check(p, p.tree.Node, cfg) == nil {
			continue
		}
		fp.prog = cp.program(p, p.tree.Node, cfg)
		fp.size = (&estimator{cp: cp, lets: map[string]letSize{}}).size(p.tree.Node, nil)
		if fast.FactType(fp.typ) {
			fp.fast = cp.fast(p.tree.Node, 0, nil)
			if fp.fast != nil {
				cp.fc.AddFact(fp.fact.Name, fp.pos)
			}
		}
	}
}

// factType is the environment type that holds a fact's value. expr builds
// lists as []any whatever their static element type, so list facts are
// held as []any; other kinds keep their static type.
func factType(t reflect.Type) reflect.Type {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return reflect.TypeOf([]any(nil))
	case reflect.Map:
		return reflect.TypeOf(map[string]any(nil))
	}
	return t
}

// identifiers returns the facts named in node, in order of first use.
func identifiers(node ast.Node, facts map[string]*Fact) []string {
	var out []string
	seen := map[string]bool{}
	ast.Walk(&node, visitor(func(n *ast.Node) {
		if id, ok := (*n).(*ast.IdentifierNode); ok && facts[id.Value] != nil && !seen[id.Value] {
			seen[id.Value] = true
			out = append(out, id.Value)
		}
	}))
	return out
}

// analyse returns what node reads: optional applicant data (needs), facts
// to compute first (with their own dependencies, in order), and the names
// of parameters.
func (cp *compiler) analyse(node ast.Node) ([]need, []int, []string) {
	needSet := map[string]need{}
	var params []string
	factSet := map[int]bool{}
	var addFact func(fp *factProgram)
	addFact = func(fp *factProgram) {
		for _, n := range fp.needs {
			needSet[n.path] = n
		}
		for _, d := range fp.deps {
			factSet[d] = true
		}
		factSet[fp.field] = true
	}
	defaulted := defaultedNodes(node)
	ast.Walk(&node, visitor(func(n *ast.Node) {
		if defaulted[*n] {
			// The left side of ??: the rule says what absence means.
			if id, ok := (*n).(*ast.IdentifierNode); ok {
				if fp := cp.facts[id.Value]; fp != nil {
					addFact(fp)
				}
			}
			return
		}
		switch x := (*n).(type) {
		case *ast.IdentifierNode:
			if fp := cp.facts[x.Value]; fp != nil {
				addFact(fp)
			}
			if _, ok := cp.appIndex[x.Value]; ok {
				cp.addNeeds(needSet, []string{x.Value})
			}
		case *ast.MemberNode:
			if chain := memberChain(x); len(chain) > 0 {
				if _, ok := cp.appIndex[chain[0]]; ok {
					cp.addNeeds(needSet, chain)
				}
				if chain[0] == paramName && len(chain) > 1 && !slices.Contains(params, chain[1]) {
					params = append(params, chain[1])
				}
			}
		}
	}))
	needs := make([]need, 0, len(needSet))
	for _, n := range needSet {
		needs = append(needs, n)
	}
	sort.Slice(needs, func(i, j int) bool {
		if len(needs[i].index) != len(needs[j].index) {
			return len(needs[i].index) < len(needs[j].index)
		}
		return needs[i].path < needs[j].path
	})
	var facts []int
	for _, fp := range cp.order {
		if factSet[fp.field] {
			facts = append(facts, fp.field)
		}
	}
	return needs, facts, params
}

// reads adds to list the applicant fields node reads, directly or through
// facts, keeping the applicant type's field order.
func (cp *compiler) reads(node ast.Node, list []string) []string {
	set := map[string]bool{}
	for _, n := range list {
		set[n] = true
	}
	ast.Walk(&node, visitor(func(n *ast.Node) {
		if id, ok := (*n).(*ast.IdentifierNode); ok {
			if _, app := cp.appIndex[id.Value]; app {
				set[id.Value] = true
			}
			if fp := cp.facts[id.Value]; fp != nil {
				for _, r := range fp.reads {
					set[r] = true
				}
			}
		}
	}))
	out := list[:0]
	for name := range set {
		out = append(out, name)
	}
	sort.Slice(out, func(i, j int) bool { return cp.appIndex[out[i]] < cp.appIndex[out[j]] })
	return out
}

// defaultedNodes returns the nodes on the left of a ?? operator: data the
// rule gives a default for (cpd ?? []), which is then not needed.
func defaultedNodes(node ast.Node) map[ast.Node]bool {
	out := map[ast.Node]bool{}
	ast.Walk(&node, visitor(func(n *ast.Node) {
		if b, ok := (*n).(*ast.BinaryNode); ok && b.Operator == "??" {
			left := b.Left
			ast.Walk(&left, visitor(func(m *ast.Node) { out[*m] = true }))
		}
	}))
	return out
}

// memberChain returns a.b.c for a member expression rooted at an
// identifier with constant property names, or nil.
func memberChain(n ast.Node) []string {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		return []string{x.Value}
	case *ast.MemberNode:
		s, ok := x.Property.(*ast.StringNode)
		if !ok {
			return nil
		}
		if base := memberChain(x.Node); base != nil {
			return append(base, s.Value)
		}
	}
	return nil
}

// addNeeds records every prefix of an applicant chain whose value can be
// absent (a nil pointer, slice or map).
func (cp *compiler) addNeeds(set map[string]need, chain []string) {
	t := cp.appNames[chain[0]]
	index := []int{cp.appIndex[chain[0]]}
	for i := 0; ; i++ {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			path := strings.Join(chain[:i+1], ".")
			set[path] = need{path: path, index: append([]int(nil), index...)}
		}
		if i+1 >= len(chain) {
			return
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		fi, ft, ok := exprField(t, chain[i+1])
		if !ok {
			return
		}
		index = append(index, fi)
		t = ft
	}
}

// exprField finds the field expr sees as name in struct type t.
func exprField(t reflect.Type, name string) (int, reflect.Type, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		n := f.Name
		if tag, ok := f.Tag.Lookup("expr"); ok {
			n, _, _ = strings.Cut(tag, ",")
		}
		if n == name && f.IsExported() {
			return i, f.Type, true
		}
	}
	return 0, nil, false
}

var boolType = reflect.TypeOf(true)

func (cp *compiler) compileRequirement(r *Requirement) *reqProgram {
	rp := &reqProgram{req: r}
	cfg := cp.exprConfig()
	what := "requirement " + r.ID
	if p := cp.parse(r.When, what+" when", cfg); p != nil {
		if t := cp.check(p, p.tree.Node, cfg); t != nil {
			if !isBoolish(t) {
				cp.at(p, p.tree.Node, ErrType, "%s when: a condition must be true or false, but this is %s", what, t)
			} else {
				rp.reads = cp.reads(p.tree.Node, rp.reads)
				for _, n := range conjuncts(p.tree.Node) {
					rp.clauses = append(rp.clauses, cp.compileClause(p, n, cfg))
				}
			}
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
		p := cp.parse(alt.e, what+" "+alt.key, cfg)
		if p == nil {
			continue
		}
		t := cp.check(p, p.tree.Node, cfg)
		if t == nil {
			continue
		}
		if !isBoolish(t) {
			cp.at(p, p.tree.Node, ErrType, "%s %s: a condition must be true or false, but this is %s", what, alt.key, t)
			continue
		}
		rp.reads = cp.reads(p.tree.Node, rp.reads)
		cl := &clause{text: strings.TrimSpace(alt.e.Source)}
		cl.needs, cl.facts, _ = cp.analyse(p.tree.Node)
		cl.prog = cp.program(p, p.tree.Node, cfg)
		cl.fprog, cl.fbool = cp.fast(p.tree.Node, 0, nil), cp.fastBool(p.tree.Node, 0, nil)
		cl.fastOK = cl.fprog != nil && cl.fbool != nil
		*alt.dest = cl
	}
	return rp
}

func isBoolish(t reflect.Type) bool { return t == boolType || t.Kind() == reflect.Interface }

// conjuncts splits a && b && c into its parts.
func conjuncts(n ast.Node) []ast.Node {
	if b, ok := n.(*ast.BinaryNode); ok && (b.Operator == "&&" || b.Operator == "and") {
		return append(conjuncts(b.Left), conjuncts(b.Right)...)
	}
	return []ast.Node{n}
}

var comparisons = map[string]bool{"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true, "in": true}

func (cp *compiler) compileClause(p *parsed, n ast.Node, cfg *conf.Config) *clause {
	cl := &clause{text: p.text(n)}
	var params []string
	cl.needs, cl.facts, params = cp.analyse(n)
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
		cl.left = cp.program(p, b.Left, cfg)
		cl.right = cp.program(p, b.Right, cfg)
		var rfacts []int
		cl.rightNeeds, rfacts, _ = cp.analyse(b.Right)
		cl.rightFree = len(rfacts) == 0
		cl.fleft, cl.fright = cp.fast(b.Left, 0, nil), cp.fast(b.Right, 0, nil)
		cl.fastOK = cl.fleft != nil && cl.fright != nil
		return cl
	}
	cl.prog = cp.program(p, n, cfg)
	cl.fprog, cl.fbool = cp.fast(n, 0, nil), cp.fastBool(n, 0, nil)
	cl.fastOK = cl.fprog != nil && cl.fbool != nil
	if arg := libraryArg(n); arg != nil {
		cl.arg = cp.program(p, arg, cfg)
		cl.farg = cp.fast(arg, 0, nil)
		cl.fastOK = cl.fastOK && cl.farg != nil
	}
	if bn, ok := n.(*ast.BuiltinNode); ok && (bn.Name == "any" || bn.Name == "all") && len(bn.Arguments) == 2 {
		if pred, ok := bn.Arguments[1].(*ast.PredicateNode); ok {
			cl.list = cp.compileList(p, bn, pred, cfg)
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
func (cp *compiler) compileList(p *parsed, bn *ast.BuiltinNode, pred *ast.PredicateNode, cfg *conf.Config) *listClause {
	lc := &listClause{builtin: bn.Name}
	if chain := memberChain(bn.Arguments[0]); len(chain) > 0 {
		if _, ok := cp.appIndex[chain[0]]; ok {
			lc.path = strings.Join(chain, ".")
		}
	}
	if lc.path == "" {
		lc.path = p.text(bn.Arguments[0])
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
		cd := cond{text: p.text(c)}
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
	if cp.check(p, detail, cfg) == nil {
		return nil
	}
	lc.detail = cp.program(p, detail, cfg)
	if bn.Name == "any" {
		// findIndex stops where any() stops, so it fails only where any() would.
		fi := &ast.BuiltinNode{Name: "findIndex", Arguments: []ast.Node{bn.Arguments[0], pred}}
		fi.SetLocation(bn.Location())
		find := &ast.ArrayNode{Nodes: []ast.Node{fi, bn.Arguments[0]}}
		find.SetLocation(bn.Location())
		if cp.check(p, find, cfg) == nil {
			return nil
		}
		lc.find = cp.program(p, find, cfg)
	}
	return lc
}

// text returns the source text of node n: from its first token to its last,
// with the closing brackets its tokens leave open.
func (p *parsed) text(n ast.Node) string {
	from, to := len(p.src), 0
	ast.Walk(&n, visitor(func(m *ast.Node) {
		l := (*m).Location()
		if l.From >= 0 && l.From < from && l.To > 0 {
			from = l.From
		}
		if l.To > to {
			to = l.To
		}
	}))
	if to > len(p.src) {
		to = len(p.src)
	}
	if from >= to {
		return ""
	}
	depth := 0
	inStr := rune(0)
	for _, r := range p.src[from:to] {
		switch {
		case inStr != 0:
			if r == inStr {
				inStr = 0
			}
		case r == '"' || r == '\'':
			inStr = r
		case r == '(' || r == '[' || r == '{':
			depth++
		case r == ')' || r == ']' || r == '}':
			depth--
		}
	}
	for to < len(p.src) && depth > 0 {
		switch p.src[to] {
		case ')', ']', '}':
			depth--
		case '"', '\'':
			// A closing quote of a string the tokens started.
		}
		to++
	}
	// Brackets the tokens close but do not open, as in (a ?? false) == true,
	// whose first token is a.
opening:
	for depth < 0 {
		k := from - 1
		for k >= 0 && unicode.IsSpace(p.src[k]) {
			k--
		}
		if k < 0 {
			break
		}
		switch p.src[k] {
		case '(', '[', '{':
			depth++
			from = k
		default:
			break opening
		}
	}
	return strings.Join(strings.Fields(string(p.src[from:to])), " ")
}
