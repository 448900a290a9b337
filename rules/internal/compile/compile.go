package compile

import (
	"fmt"
	"strings"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/check"
	"github.com/eligo-dev/eligo/rules/internal/fast"
	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/eligo-dev/eligo/rules/ruleset"
	"github.com/expr-lang/expr/ast"
	exprcompiler "github.com/expr-lang/expr/compiler"
	exprparser "github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// This file compiles the plan from the checked expressions: facts,
// requirements, their clauses and the explanations of list clauses, for
// expr's VM (and, in fast.go, for the fast evaluator).

type compiler struct {
	c     *file.Errors
	opts  Options
	env   *check.Env
	facts map[string]*Fact
	order []*Fact
	fc    *fast.Compiler
	// cost.go: the positions at which a rule's work was reported as over
	// budget.
	overWork map[file.Position]bool
	// The worst case of every expression estimated so far, together, and
	// whether it was reported as over the budget.
	allSteps float64
	allOver  bool
	// The parts of parameters and literals numbered so far (Plan.Consts).
	consts int
}

// compileFacts checks the facts in dependency order (check.Env.Facts) and,
// when they all checked, compiles each.
func (cp *compiler) compileFacts() {
	for _, f := range cp.env.Facts() {
		fp := &Fact{Fact: f.Fact, Field: f.Field, Pos: f.Pos, Type: f.Type, Needs: needsOf(f.Needs),
			Deps: f.Deps, Params: f.Params, Reads: f.Reads}
		cp.facts[f.Fact.Name] = fp
		cp.order = append(cp.order, fp)
	}
	for _, fp := range cp.order {
		p := cp.env.Fact(fp.Fact.Name).Checked
		if p == nil {
			continue
		}
		fp.VM = cp.program(p, p.Tree.Node)
		fp.Size = (&estimator{cp: cp, lets: map[string]letSize{}}).size(p.Tree.Node, nil)
		if fast.FactType(fp.Type) {
			fp.Fast = cp.fast(p.Tree.Node, 0, nil)
			if fp.Fast != nil {
				cp.fc.AddFact(fp.Fact.Name, fp.Pos)
			}
		}
	}
}

// needsOf is what check found a part reads, for the evaluators.
func needsOf(ns []check.Need) []Need {
	out := make([]Need, len(ns))
	for i, n := range ns {
		out[i] = Need{Path: n.Path, Index: n.Index}
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
		cp.env.ExprError(p, err, file.ErrType)
		return nil
	}
	return prog
}

func (cp *compiler) compileRequirement(r *ruleset.Requirement) *Requirement {
	rp := &Requirement{Req: r}
	what := "requirement " + r.ID
	var p *check.Checked
	if !r.When.IsZero() { // zero only in a set with faults (ruleset.ExprCheck)
		p = cp.env.Condition(r.When, what+" when")
	}
	if p != nil {
		rp.Reads = p.Reads(rp.Reads)
		rp.Paths = p.Paths(rp.Paths)
		for _, n := range conjuncts(p.Tree.Node) {
			rp.Clauses = append(rp.Clauses, cp.compileClause(p, n))
		}
	}
	for _, alt := range []struct {
		e    ruleset.Expr
		key  string
		dest **Clause
	}{{r.Review, "review", &rp.Review}, {r.Unknown, "unknown", &rp.Unknown}} {
		if alt.e.IsZero() {
			continue
		}
		p := cp.env.Condition(alt.e, what+" "+alt.key)
		if p == nil {
			continue
		}
		rp.Reads = p.Reads(rp.Reads)
		rp.Paths = p.Paths(rp.Paths)
		cl := &Clause{Text: strings.TrimSpace(alt.e.Source)}
		cl.Fast.RightPos = -1
		u := p.Uses(p.Tree.Node)
		cl.Needs, cl.Facts = needsOf(u.Needs), u.Facts
		cl.VM.Prog = cp.program(p, p.Tree.Node)
		cl.Fast.Prog, cl.Fast.Bool = cp.fast(p.Tree.Node, 0, nil), cp.fastBool(p.Tree.Node, 0, nil)
		cl.Fast.OK = cl.Fast.Prog != nil && cl.Fast.Bool != nil
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

func (cp *compiler) compileClause(p *check.Checked, n ast.Node) *Clause {
	cl := &Clause{Text: p.Text(n)}
	cl.Fast.RightPos = -1
	u := p.Uses(n)
	cl.Needs, cl.Facts = needsOf(u.Needs), u.Facts
	params := u.Params
	for _, fi := range cl.Facts {
		for _, fp := range cp.order {
			if fp.Field == fi {
				cl.Names = append(cl.Names, fp.Fact.Name)
			}
		}
	}
	for _, pn := range params {
		cl.Names = append(cl.Names, check.ParamName+"."+pn)
	}
	if b, ok := n.(*ast.BinaryNode); ok && comparisons[b.Operator] {
		cl.Op = b.Operator
		cl.Fast.Op = fast.OpOf(b.Operator)
		cl.VM.Left = cp.program(p, b.Left)
		cl.VM.Right = cp.program(p, b.Right)
		ru := p.Uses(b.Right)
		cl.RightNeeds = needsOf(ru.Needs)
		cl.RightFree = len(ru.Facts) == 0
		cl.Fast.Left, cl.Fast.Right = cp.fast(b.Left, 0, nil), cp.fast(b.Right, 0, nil)
		cl.Fast.OK = cl.Fast.Left != nil && cl.Fast.Right != nil
		if cl.Fast.Right != nil && cp.fc.ParamsOnly(b.Right) {
			cl.Fast.RightPos = cp.consts
			cp.consts++
		}
		// The whole comparison, for change tracking only: a count compared
		// with a threshold changes it only on reaching the threshold.
		cl.Fast.Bool = cp.fastBool(n, 0, nil)
		if k, err := cp.fc.CompileCompare(b); err == nil {
			cl.Fast.Status = k
		}
		return cl
	}
	cl.VM.Prog = cp.program(p, n)
	cl.Fast.Prog, cl.Fast.Bool = cp.fast(n, 0, nil), cp.fastBool(n, 0, nil)
	cl.Fast.OK = cl.Fast.Prog != nil && cl.Fast.Bool != nil
	if arg := libraryArg(n); arg != nil {
		cl.VM.Arg = cp.program(p, arg)
		cl.Fast.Arg = cp.fast(arg, 0, nil)
		cl.Fast.OK = cl.Fast.OK && cl.Fast.Arg != nil
	}
	if bn, ok := n.(*ast.BuiltinNode); ok && (bn.Name == "any" || bn.Name == "all" || bn.Name == "none") && len(bn.Arguments) == 2 {
		if pred, ok := bn.Arguments[1].(*ast.PredicateNode); ok {
			cl.List = cp.compileList(p, bn, pred)
			cl.Fast.OK = cl.Fast.OK && (cl.List == nil || cl.List.Fast.OK)
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
// failed any() or all() can say, entry by entry, which conditions failed;
// and for any() and none(), [findIndex(list, predicate), list], so that a
// met any() and a failed none() can name the entry that decides them.
func (cp *compiler) compileList(p *check.Checked, bn *ast.BuiltinNode, pred *ast.PredicateNode) *ListClause {
	lc := &ListClause{Builtin: bn.Name}
	if chain := check.MemberChain(bn.Arguments[0]); len(chain) > 0 {
		if _, ok := cp.env.AppField(chain[0]); ok {
			lc.Path = strings.Join(chain, ".")
		}
	}
	if lc.Path == "" {
		lc.Path = p.Text(bn.Arguments[0])
	}
	items := []ast.Node{&ast.PointerNode{}}
	lc.Fast.OK = true
	var elem *fast.Type
	if fn, shape, err := cp.fc.Compile(bn.Arguments[0], 0, nil); err == nil {
		lc.Fast.List, elem = fn, fast.ElemShape(shape)
	} else {
		lc.Fast.OK = false
	}
	item := func(n ast.Node) {
		fn := cp.fast(n, 1, []*fast.Type{elem})
		lc.Fast.Items = append(lc.Fast.Items, fn)
		lc.Fast.OK = lc.Fast.OK && fn != nil
		pos := -1
		// Not a list of literals: an item runs within the explanation's
		// evaluation, whose memory a list literal counts against.
		if _, list := n.(*ast.ArrayNode); fn != nil && !list && cp.fc.ParamsOnly(n) {
			pos = cp.consts
			cp.consts++
		}
		lc.Fast.ItemPos = append(lc.Fast.ItemPos, pos)
	}
	for i := range MaxListPaths {
		lc.Paths = append(lc.Paths, fmt.Sprintf("%s[%d]", lc.Path, i))
	}
	for _, c := range conjuncts(pred.Node) {
		cd := Cond{Text: p.Text(c)}
		fc := cp.fastBool(c, 1, []*fast.Type{elem})
		lc.Fast.Conds = append(lc.Fast.Conds, fc)
		lc.Fast.OK = lc.Fast.OK && fc != nil
		if b, ok := c.(*ast.BinaryNode); ok && comparisons[b.Operator] {
			cd.Op = b.Operator
			items = append(items, b.Left, b.Right)
			item(b.Left)
			item(b.Right)
		} else if arg := libraryArg(c); arg != nil {
			cd.Call = true
			items = append(items, c, arg)
			// The VM's explanation evaluates the argument twice, the fast
			// one once: their steps would differ.
			lc.Fast.OK = lc.Fast.OK && !countsSteps(arg)
			item(c)
			item(arg)
		} else {
			items = append(items, c)
			item(c)
		}
		lc.Conds = append(lc.Conds, cd)
	}
	if lc.Fast.OK && bn.Name != "all" {
		if find, findList, err := cp.fc.Find(bn.Arguments[0], lc.Fast.Conds); err == nil {
			lc.Fast.Find, lc.Fast.FindList = find, findList
		}
	}
	if bn.Name != "none" {
		// A failed none() is explained by the entry that meets its
		// condition (Find), never entry by entry.
		detail := &ast.BuiltinNode{Name: "map", Arguments: []ast.Node{bn.Arguments[0], &ast.PredicateNode{Node: &ast.ArrayNode{Nodes: items}}}}
		detail.SetLocation(bn.Location())
		if cp.env.Node(p, detail) == nil {
			return nil
		}
		lc.VM.Detail = cp.program(p, detail)
	}
	if bn.Name == "any" || bn.Name == "none" {
		// findIndex stops where any() and none() stop, so it fails only
		// where they would.
		fi := &ast.BuiltinNode{Name: "findIndex", Arguments: []ast.Node{bn.Arguments[0], pred}}
		fi.SetLocation(bn.Location())
		find := &ast.ArrayNode{Nodes: []ast.Node{fi, bn.Arguments[0]}}
		find.SetLocation(bn.Location())
		if cp.env.Node(p, find) == nil {
			return nil
		}
		lc.VM.Find = cp.program(p, find)
	}
	return lc
}
