package rules

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/check"
	"github.com/eligo-dev/eligo/rules/internal/fast"
	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/expr-lang/expr/ast"
	exprcompiler "github.com/expr-lang/expr/compiler"
	exprparser "github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// This file compiles the plan of a Program from the checked expressions:
// facts, requirements, their clauses and the explanations of list clauses,
// for expr's VM (and, in compile_fast.go, for the fast evaluator).

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
