package compile

import (
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/check"
	"github.com/expr-lang/expr/ast"
)

// This file estimates, when a rule compiles, the most steps (see
// meter.go) one run of an expression can take, and rejects the rules whose
// worst case is unbounded or over the step budget. Like cel-go's cost
// estimate it works from the sizes of the lists an expression walks:
//
//   - an applicant list holds at most the N of its field's validate:"max=N"
//     tag (or len=N), else MaxListLen entries;
//   - a parameter's list, or a literal list, has its length;
//   - a range a..b of constants has b-a+1 elements; any other range has no
//     bound, and walking it is unbounded work;
//   - filter, map, uniq, sort and the like are no longer than their list;
//     a fact is as long as its expression;
//   - any other list is one built while the expression runs, which the
//     memory budget bounds.
//
// A predicate builtin over a list of n entries costs n steps plus n times
// its predicate's cost; in and the builtins that walk a list cost its
// length. A fact is its own expression run; reading it costs nothing.

// withinBudget reports whether the expression node of p stays within the
// step budget, reporting an error once per position if not.
func (cp *compiler) withinBudget(p *check.Checked, node ast.Node) bool {
	e := &estimator{cp: cp, lets: map[string]letSize{}}
	steps := e.cost(node, nil)
	budget := float64(cp.opts.Steps)
	if steps <= budget {
		// An evaluation runs every expression (and explaining it, their
		// explanations' programs): together they must fit the budget too,
		// else a rule set of many expressions each within it, facts
		// splitting one computation say, would be unbounded work.
		cp.allSteps += steps
		if cp.allSteps <= AllStepsFactor*budget || cp.allOver {
			return true
		}
		cp.allOver = true
		cp.c.Add(p.Position(firstFrom(node)), file.ErrLimit, "%s: with this expression the rule set's expressions may take %.0f steps in all on one applicant, more than %d times the step budget of %d: each is within it, but deciding an applicant runs them all",
			p.What, cp.allSteps, AllStepsFactor, cp.opts.Steps)
		return false
	}
	at := node
	if e.unbounded != nil {
		at = e.unbounded
	}
	pos := p.Position(firstFrom(at))
	if cp.overWork == nil {
		cp.overWork = map[file.Position]bool{}
	}
	if !cp.overWork[pos] {
		cp.overWork[pos] = true
		if math.IsInf(steps, 1) {
			cp.c.Add(pos, file.ErrLimit, "%s: a range whose bounds are not constants makes the work of this expression unbounded; "+
				"use constants, or a list of the applicant's", p.What)
		} else {
			cp.c.Add(pos, file.ErrLimit, "%s: this expression may take %.0f steps, more than the step budget of %d",
				p.What, steps, cp.opts.Steps)
		}
	}
	return false
}

// AllStepsFactor is how many step budgets the worst cases of a rule set's
// expressions, together, may take: an evaluation runs them all.
const AllStepsFactor = 10

type estimator struct {
	cp        *compiler
	lets      map[string]letSize
	unbounded ast.Node // a range without constant bounds that is walked
	lastInf   ast.Node // the range that made the last size unbounded
}

// letSize is a let variable's size, and the range that makes it unbounded.
type letSize struct {
	size float64
	rng  ast.Node
}

// built is the bound on a list built while an expression runs, or of a
// value the estimate cannot follow.
func (e *estimator) built() float64 {
	return float64(max(e.cp.opts.Memory, e.cp.opts.MaxListLen))
}

// cost is the most steps evaluating n takes; elems are the sizes of the
// elements of the enclosing predicates' lists (for a # that is a list).
func (e *estimator) cost(n ast.Node, elems []float64) float64 {
	switch x := n.(type) {
	case nil:
		return 0
	case *ast.BuiltinNode:
		var total float64
		pred := -1
		for i, a := range x.Arguments {
			if _, ok := a.(*ast.PredicateNode); ok && pred < 0 {
				pred = i
			}
		}
		if pred > 0 {
			list := x.Arguments[0]
			size := e.walked(list, elems)
			total += e.cost(list, elems)
			inner := append(append([]float64(nil), elems...), e.elemSize(list))
			body := e.cost(x.Arguments[pred].(*ast.PredicateNode).Node, inner)
			total += size * (1 + body)
			for i, a := range x.Arguments[1:] {
				if i+1 != pred {
					total += e.cost(a, elems)
				}
			}
			return total
		}
		walks := (x.Name == "count" || x.Name == "sum") && len(x.Arguments) == 1 || walkingBuiltins[x.Name]
		for _, a := range x.Arguments {
			total += e.cost(a, elems)
			if walks && isListLike(a) {
				total += e.walked(a, elems)
			}
		}
		return total
	case *ast.BinaryNode:
		total := e.cost(x.Left, elems) + e.cost(x.Right, elems)
		if x.Operator == "in" && isListLike(x.Right) && !isMapType(x.Right) {
			total += e.walked(x.Right, elems)
		}
		return total
	case *ast.VariableDeclaratorNode:
		return e.cost(x.Value, elems) + e.inLet(x, elems, e.cost)
	}
	var total float64
	for _, c := range children(n) {
		total += e.cost(c, elems)
	}
	return total
}

// walked is size(n), noting an unbounded range that is walked.
func (e *estimator) walked(n ast.Node, elems []float64) float64 {
	e.lastInf = nil
	s := e.size(n, elems)
	if math.IsInf(s, 1) && e.unbounded == nil {
		e.unbounded = n
		if e.lastInf != nil {
			e.unbounded = e.lastInf
		}
	}
	return s
}

// inLet is f of the body of let x, with x's variable bound to the size of
// its value.
func (e *estimator) inLet(x *ast.VariableDeclaratorNode, elems []float64, f func(ast.Node, []float64) float64) float64 {
	old, had := e.lets[x.Name]
	e.lets[x.Name] = e.letSize(x.Value, elems)
	defer func() {
		if had {
			e.lets[x.Name] = old
		} else {
			delete(e.lets, x.Name)
		}
	}()
	return f(x.Expr, elems)
}

func (e *estimator) letSize(n ast.Node, elems []float64) letSize {
	e.lastInf = nil
	return letSize{e.size(n, elems), e.lastInf}
}

// size is the most elements the list n can have; +Inf when unbounded.
func (e *estimator) size(n ast.Node, elems []float64) float64 {
	switch x := n.(type) {
	case *ast.NilNode:
		return 0
	case *ast.ArrayNode:
		return float64(len(x.Nodes))
	case *ast.BinaryNode:
		switch x.Operator {
		case "..":
			lo, hi, ok := constRange(x)
			if !ok {
				if e.lastInf == nil {
					e.lastInf = x
				}
				return math.Inf(1)
			}
			return math.Max(0, float64(hi)-float64(lo)+1)
		case "??":
			return math.Max(e.size(x.Left, elems), e.size(x.Right, elems))
		}
	case *ast.ConditionalNode:
		return math.Max(e.size(x.Exp1, elems), e.size(x.Exp2, elems))
	case *ast.ChainNode:
		return e.size(x.Node, elems)
	case *ast.VariableDeclaratorNode:
		return e.inLet(x, elems, e.size)
	case *ast.PointerNode:
		if x.Name == "" && len(elems) > 0 {
			return elems[len(elems)-1]
		}
	case *ast.IdentifierNode:
		if s, ok := e.lets[x.Value]; ok {
			if e.lastInf == nil {
				e.lastInf = s.rng
			}
			return s.size
		}
		if fp := e.cp.facts[x.Value]; fp != nil && fp.Size > 0 {
			return fp.Size
		}
		if _, ok := e.cp.env.AppField(x.Value); ok {
			if _, f, ok := exprStructField(e.cp.env.Model(), x.Value); ok {
				return e.fieldBound(f)
			}
		}
	case *ast.MemberNode:
		prop, ok := x.Property.(*ast.StringNode)
		if !ok {
			break
		}
		if id, ok := x.Node.(*ast.IdentifierNode); ok && id.Value == check.ParamName && !e.shadowed(check.ParamName) {
			if i, ok := e.cp.env.Params().Index[prop.Value]; ok {
				longest := 0
				for _, dv := range e.cp.env.Params().Params[i].Values {
					if f := reflect.ValueOf(dv.Value); f.Kind() == reflect.Slice || f.Kind() == reflect.Array {
						longest = max(longest, f.Len())
					}
				}
				return float64(longest)
			}
		}
		t := x.Node.Type()
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t != nil && t.Kind() == reflect.Struct {
			if _, f, ok := exprStructField(t, prop.Value); ok {
				return e.fieldBound(f)
			}
		}
	case *ast.BuiltinNode:
		switch x.Name {
		case "filter", "map", "uniq", "sort", "sortBy", "reverse", "take":
			if len(x.Arguments) > 0 {
				return e.size(x.Arguments[0], elems)
			}
		case "concat":
			var total float64
			for _, a := range x.Arguments {
				total += e.size(a, elems)
			}
			return total
		}
	}
	return e.built()
}

func (e *estimator) shadowed(name string) bool {
	_, ok := e.lets[name]
	return ok
}

// elemSize is the most elements an element of the list n can have, when
// the elements are lists.
func (e *estimator) elemSize(n ast.Node) float64 {
	t := n.Type()
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		switch t.Elem().Kind() {
		case reflect.Slice, reflect.Array, reflect.Interface, reflect.Map:
		default:
			return 0
		}
	}
	return e.built()
}

// fieldBound is the most entries of a list field: its validate tag's
// max=N or len=N (before dive, which starts the rules for its entries),
// else MaxListLen.
func (e *estimator) fieldBound(f reflect.StructField) float64 {
	for _, rule := range strings.Split(f.Tag.Get("validate"), ",") {
		if rule == "dive" {
			break
		}
		for _, key := range []string{"max=", "len="} {
			if v, ok := strings.CutPrefix(rule, key); ok {
				if n, err := strconv.ParseUint(v, 10, 31); err == nil {
					return float64(n)
				}
			}
		}
	}
	switch f.Type.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Pointer, reflect.Interface:
		return float64(e.cp.opts.MaxListLen)
	}
	return 0
}

// exprStructField is check.FieldByExprName, returning the field itself.
func exprStructField(t reflect.Type, name string) (int, reflect.StructField, bool) {
	i, _, ok := check.FieldByExprName(t, name)
	if !ok {
		return 0, reflect.StructField{}, false
	}
	return i, t.Field(i), true
}

// constRange returns the bounds of a..b when both are integer constants.
func constRange(b *ast.BinaryNode) (lo, hi int, ok bool) {
	lo, ok1 := constInt(b.Left)
	hi, ok2 := constInt(b.Right)
	return lo, hi, ok1 && ok2
}

func constInt(n ast.Node) (int, bool) {
	switch x := n.(type) {
	case *ast.IntegerNode:
		return x.Value, true
	case *ast.UnaryNode:
		if v, ok := constInt(x.Node); ok && x.Operator == "-" {
			return -v, true
		}
	}
	return 0, false
}

// isListLike reports whether n's value may be a list (or a map) that an
// operation walks.
func isListLike(n ast.Node) bool {
	t := n.Type()
	if t == nil {
		return true
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Interface:
		return true
	case reflect.Pointer:
		k := t.Elem().Kind()
		return k == reflect.Slice || k == reflect.Array
	}
	return false
}

func isMapType(n ast.Node) bool {
	t := n.Type()
	return t != nil && t.Kind() == reflect.Map
}

// firstFrom is where the first token of n is.
func firstFrom(n ast.Node) int {
	from := n.Location().From
	check.Walk(&n, func(m *ast.Node) {
		if l := (*m).Location(); l.From >= 0 && l.From < from {
			from = l.From
		}
	})
	return from
}

// children are the nodes directly under n.
func children(n ast.Node) []ast.Node {
	switch x := n.(type) {
	case *ast.UnaryNode:
		return []ast.Node{x.Node}
	case *ast.BinaryNode:
		return []ast.Node{x.Left, x.Right}
	case *ast.ChainNode:
		return []ast.Node{x.Node}
	case *ast.MemberNode:
		return []ast.Node{x.Node, x.Property}
	case *ast.SliceNode:
		return []ast.Node{x.Node, x.From, x.To}
	case *ast.CallNode:
		return append([]ast.Node{x.Callee}, x.Arguments...)
	case *ast.BuiltinNode:
		return x.Arguments
	case *ast.PredicateNode:
		return []ast.Node{x.Node}
	case *ast.VariableDeclaratorNode:
		return []ast.Node{x.Value, x.Expr}
	case *ast.SequenceNode:
		return x.Nodes
	case *ast.ConditionalNode:
		return []ast.Node{x.Cond, x.Exp1, x.Exp2}
	case *ast.ArrayNode:
		return x.Nodes
	case *ast.MapNode:
		return x.Pairs
	case *ast.PairNode:
		return []ast.Node{x.Key, x.Value}
	}
	return nil
}
