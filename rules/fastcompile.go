// This file is over 600 lines until issue 16 moves the closure evaluator
// to rules/internal/fast, where it splits by concern.

package rules

import (
	"errors"
	"reflect"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/expr-lang/expr/ast"
)

// evalFn is a compiled expression of the fast evaluator.
type evalFn func(*frame) val

// maxDepth is the deepest nesting of predicates the fast evaluator runs.
const maxDepth = 8

// frame is the state of one fast evaluation: the applicant, the date, the
// parameters in force, computed facts, and scratch memory reused from one
// applicant to the next.
type frame struct {
	app    unsafe.Pointer // the applicant struct
	params unsafe.Pointer // the parameter struct of the period in force
	asOf   time.Time
	scope  [maxDepth]val // the current element of each enclosing predicate
	index  [maxDepth]int
	vars   []val // let variables
	facts  []val // fact values, by factProgram.pos
	lists  []val // lists built while evaluating; reset for each applicant
	tmp    [maxDepth + 1][]val
	mem    uint // list elements built in the current evaluation
	budget uint
	meter  meter // steps, and the run's context (budget.go)
	// names looked up in catalogues for this applicant: a provider's name
	// is looked up by every requirement about courses.
	looked []lookedUp
}

type lookedUp struct {
	cat  map[string]string
	name string
	id   string
}

// lookup is lib.Catalogue.ID, remembered for the run.
func (f *frame) lookup(cat map[string]string, name string) string {
	for i := range f.looked {
		l := &f.looked[i]
		if len(l.name) == len(name) && unsafe.StringData(l.name) == unsafe.StringData(name) && sameMap(l.cat, cat) {
			return l.id
		}
	}
	id := lib.Catalogue(cat).ID(name)
	if len(f.looked) < 32 {
		f.looked = append(f.looked, lookedUp{cat, name, id})
	}
	return id
}

// sameMap reports whether a and b are the same map (not merely equal ones).
func sameMap(a, b map[string]string) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// top runs fn as one evaluation, as one run of an expr program would be.
func (f *frame) top(fn evalFn) val {
	f.begin()
	return fn(f)
}

// topBool runs a condition as one evaluation.
func (f *frame) topBool(fn boolFn) bool {
	f.begin()
	return fn(f)
}

// grow accounts for n list elements, as expr's memory budget does. The fast
// evaluator leaves any evaluation near the budget to the VM, which reports
// exceeding it in its own words.
func (f *frame) grow(n int) {
	f.mem += uint(n)
	if f.mem*2 >= f.budget {
		fallback("near the memory budget")
	}
}

var emptyList [1]val

// newList copies vals into the run's list arena.
func (f *frame) newList(vals []val) val {
	if len(vals) == 0 {
		return val{k: kList, p: unsafe.Pointer(&emptyList[0])}
	}
	start := len(f.lists)
	f.lists = append(f.lists, vals...)
	return val{k: kList, p: unsafe.Pointer(&f.lists[start]), n: len(vals)}
}

var errUnsupported = errors.New("rules: not supported by the fast evaluator")

// fastCompiler turns checked expr trees into evalFns.
type fastCompiler struct {
	types  typeTable
	model  *typeInfo
	app    map[string]int // applicant field name -> model field index
	params *typeInfo
	facts  map[string]*factProgram
	cat    lib.Catalogues
	nvars  int
	lets   []letVar
	chain  int
	lists  map[*typeInfo]*typeInfo // list shapes by element type
}

type letVar struct {
	name  string
	slot  int
	shape *typeInfo
}

func newFastCompiler(cp *compiler, params reflect.Type) *fastCompiler {
	fc := &fastCompiler{types: typeTable{}, app: map[string]int{}, facts: cp.facts, cat: cp.cat,
		lists: map[*typeInfo]*typeInfo{}}
	fc.model = fc.types.of(cp.model)
	for name := range cp.appIndex {
		if i, _, ok := exprField(cp.model, name); ok {
			fc.app[name] = i
		}
	}
	fc.params = fc.types.of(params)
	return fc
}

// listShape is the shape of a list built from elements of shape elem.
func (fc *fastCompiler) listShape(elem *typeInfo) *typeInfo {
	if elem == nil {
		return nil
	}
	if s, ok := fc.lists[elem]; ok {
		return s
	}
	s := &typeInfo{kind: tSlice, elem: elem, label: -1}
	fc.lists[elem] = s
	return s
}

// structShape is the struct a value of shape s is, through pointers.
func structShape(s *typeInfo) *typeInfo {
	for s != nil && s.kind == tPtr {
		s = s.elem
	}
	if s != nil && s.kind == tStruct {
		return s
	}
	return nil
}

func elemShape(s *typeInfo) *typeInfo {
	for s != nil && s.kind == tPtr {
		s = s.elem
	}
	if s != nil && s.kind == tSlice {
		return s.elem
	}
	return nil
}

// compile compiles node at predicate depth depth; scopes are the shapes of
// the enclosing predicates' elements. It returns the function, the shape of
// its value when known (the Go type it reads, used to resolve fields
// without a lookup), or errUnsupported.
func (fc *fastCompiler) compile(node ast.Node, depth int, scopes []*typeInfo) (evalFn, *typeInfo, error) {
	switch n := node.(type) {
	case *ast.NilNode:
		return func(*frame) val { return val{} }, nil, nil
	case *ast.BoolNode:
		v := boolVal(n.Value)
		return func(*frame) val { return v }, nil, nil
	case *ast.StringNode:
		v := strVal(n.Value)
		return func(*frame) val { return v }, nil, nil
	case *ast.IntegerNode:
		v, ok := intLiteral(n)
		if !ok {
			return nil, nil, errUnsupported
		}
		return func(*frame) val { return v }, nil, nil
	case *ast.FloatNode:
		if n.Type().Kind() != reflect.Float64 {
			return nil, nil, errUnsupported
		}
		v := floatVal(n.Value)
		return func(*frame) val { return v }, nil, nil
	case *ast.IdentifierNode:
		return fc.identifier(n)
	case *ast.PointerNode:
		if depth == 0 {
			return nil, nil, errUnsupported
		}
		d := depth - 1
		switch n.Name {
		case "":
			return func(f *frame) val { return f.scope[d] }, scopes[d], nil
		case "index":
			return func(f *frame) val { return val{k: kInt, n: f.index[d]} }, nil, nil
		}
		return nil, nil, errUnsupported
	case *ast.MemberNode:
		return fc.member(n, depth, scopes)
	case *ast.ChainNode:
		fc.chain++
		inner, shape, err := fc.compile(n.Node, depth, scopes)
		fc.chain--
		if err != nil {
			return nil, nil, err
		}
		return func(f *frame) val {
			v := inner(f)
			if v.short || v.isNil() {
				return val{}
			}
			return v
		}, shape, nil
	case *ast.UnaryNode:
		return fc.unary(n, depth, scopes)
	case *ast.BinaryNode:
		return fc.binary(n, depth, scopes)
	case *ast.BuiltinNode:
		return fc.builtin(n, depth, scopes)
	case *ast.CallNode:
		return fc.call(n, depth, scopes)
	case *ast.ArrayNode:
		return fc.array(n, depth, scopes)
	case *ast.ConditionalNode:
		cond, _, err := fc.compile(n.Cond, depth, scopes)
		if err != nil {
			return nil, nil, err
		}
		a, _, err := fc.compile(n.Exp1, depth, scopes)
		if err != nil {
			return nil, nil, err
		}
		b, _, err := fc.compile(n.Exp2, depth, scopes)
		if err != nil {
			return nil, nil, err
		}
		return func(f *frame) val {
			if needBool(deref(cond(f))) {
				return a(f)
			}
			return b(f)
		}, nil, nil
	case *ast.VariableDeclaratorNode:
		value, shape, err := fc.compile(n.Value, depth, scopes)
		if err != nil {
			return nil, nil, err
		}
		slot := fc.nvars
		fc.nvars++
		fc.lets = append(fc.lets, letVar{name: n.Name, slot: slot, shape: shape})
		body, bshape, err := fc.compile(n.Expr, depth, scopes)
		fc.lets = fc.lets[:len(fc.lets)-1]
		if err != nil {
			return nil, nil, err
		}
		return func(f *frame) val {
			f.vars[slot] = value(f)
			return body(f)
		}, bshape, nil
	case *ast.SequenceNode:
		var fns []evalFn
		var shape *typeInfo
		for _, m := range n.Nodes {
			fn, s, err := fc.compile(m, depth, scopes)
			if err != nil {
				return nil, nil, err
			}
			fns = append(fns, fn)
			shape = s
		}
		return func(f *frame) val {
			var v val
			for _, fn := range fns {
				v = fn(f)
			}
			return v
		}, shape, nil
	}
	return nil, nil, errUnsupported
}

func intLiteral(n *ast.IntegerNode) (val, bool) {
	t := n.Type()
	if t == nil {
		return val{k: kInt, n: n.Value}, true
	}
	switch t.Kind() {
	case reflect.Int, reflect.Interface:
		return val{k: kInt, n: n.Value}, true
	case reflect.Float64:
		return floatVal(float64(n.Value)), true
	}
	return val{}, false
}

func (fc *fastCompiler) identifier(n *ast.IdentifierNode) (evalFn, *typeInfo, error) {
	for i := len(fc.lets) - 1; i >= 0; i-- {
		if lv := fc.lets[i]; lv.name == n.Value {
			slot := lv.slot
			return func(f *frame) val { return f.vars[slot] }, lv.shape, nil
		}
	}
	switch n.Value {
	case asOfName:
		return func(f *frame) val { return val{k: kTime, p: unsafe.Pointer(&f.asOf)} }, nil, nil
	case paramName:
		pt := fc.params
		return func(f *frame) val { return val{k: kStruct, p: f.params, t: pt, ptr: true} }, pt, nil
	}
	if i, ok := fc.app[n.Value]; ok {
		fi := fc.model.fields[i]
		off, t := fi.off, fi.t
		if t.kind == tUnsupported {
			return nil, nil, errUnsupported
		}
		return func(f *frame) val { return load(unsafe.Add(f.app, off), t) }, t, nil
	}
	if fp := fc.facts[n.Value]; fp != nil && fp.fast != nil {
		pos := fp.pos
		return func(f *frame) val { return f.facts[pos] }, nil, nil
	}
	return nil, nil, errUnsupported
}

func (fc *fastCompiler) member(n *ast.MemberNode, depth int, scopes []*typeInfo) (evalFn, *typeInfo, error) {
	if n.Method {
		return nil, nil, errUnsupported
	}
	base, bshape, err := fc.compile(n.Node, depth, scopes)
	if err != nil {
		return nil, nil, err
	}
	optional := n.Optional && fc.chain > 0
	prop, ok := n.Property.(*ast.StringNode)
	if !ok {
		index, _, err := fc.compile(n.Property, depth, scopes)
		if err != nil {
			return nil, nil, err
		}
		return func(f *frame) val {
			b := base(f)
			if b.short {
				return b
			}
			if optional && b.isNil() {
				return val{k: kNil, short: true}
			}
			return indexed(deref(b), deref(index(f)))
		}, elemShape(bshape), nil
	}
	name := prop.Value
	st := structShape(bshape)
	idx := -1
	if st != nil {
		// The checker resolves a field of a struct it knows by tag, else by
		// Go name; a field of a value it does not know is found at run time
		// by runtime.Fetch's rule.
		names := st.dynamic
		if t := n.Node.Type(); t != nil && t.Kind() != reflect.Interface {
			names = st.static
		}
		if i, ok := names[name]; ok && i >= 0 && !st.embedded {
			idx = i
		}
	}
	if idx < 0 {
		return func(f *frame) val { return member(base(f), name, optional) }, nil, nil
	}
	ft, off := st.fields[idx].t, st.fields[idx].off
	if ft.kind == tUnsupported {
		return nil, nil, errUnsupported
	}
	// The two commonest bases read their struct in place: a predicate's
	// element (.hours) and the parameters (param.min_hours).
	if pn, ok := n.Node.(*ast.PointerNode); ok && pn.Name == "" && depth > 0 {
		d := depth - 1
		return func(f *frame) val {
			if s := &f.scope[d]; s.k == kStruct && s.t == st {
				return load(unsafe.Add(s.p, off), ft)
			}
			return member(f.scope[d], name, optional)
		}, ft, nil
	}
	if id, ok := n.Node.(*ast.IdentifierNode); ok && id.Value == paramName && st == fc.params && !fc.isLet(paramName) {
		return func(f *frame) val { return load(unsafe.Add(f.params, off), ft) }, ft, nil
	}
	return func(f *frame) val {
		b := base(f)
		if b.k == kStruct && b.t == st {
			return b.field(idx)
		}
		return member(b, name, optional)
	}, ft, nil
}

// member is a field of b found at run time (runtime.Fetch), or the end of
// an optional chain.
func member(b val, name string, optional bool) val {
	if b.short {
		return b
	}
	if optional && b.isNil() {
		return val{k: kNil, short: true}
	}
	return b.fetch(name)
}

func (fc *fastCompiler) isLet(name string) bool {
	for _, lv := range fc.lets {
		if lv.name == name {
			return true
		}
	}
	return false
}

// indexed is runtime.Fetch of a list element.
func indexed(list, index val) val {
	var i int
	switch index.k {
	case kInt:
		i = index.n
	case kFloat:
		i = int(index.float())
	default:
		fallback("a list index that is not a number")
	}
	if list.k != kSlice && list.k != kList {
		fallback("index into a non-list")
	}
	if i < 0 {
		i += list.n
	}
	if i < 0 || i >= list.n {
		fallback("index out of range")
	}
	return list.at(i)
}

func (fc *fastCompiler) unary(n *ast.UnaryNode, depth int, scopes []*typeInfo) (evalFn, *typeInfo, error) {
	x, _, err := fc.compile(n.Node, depth, scopes)
	if err != nil {
		return nil, nil, err
	}
	switch n.Operator {
	case "!", "not":
		return func(f *frame) val { return boolVal(!needBool(deref(x(f)))) }, nil, nil
	case "+":
		return func(f *frame) val { return deref(x(f)) }, nil, nil
	case "-":
		return func(f *frame) val {
			v := deref(x(f))
			switch v.k {
			case kInt:
				return val{k: kInt, n: -v.n}
			case kFloat:
				return floatVal(-v.float())
			}
			fallback("negate a non-number")
			return val{}
		}, nil, nil
	}
	return nil, nil, errUnsupported
}

func (fc *fastCompiler) binary(n *ast.BinaryNode, depth int, scopes []*typeInfo) (evalFn, *typeInfo, error) {
	switch n.Operator {
	case "==", "!=", "<", "<=", ">", ">=", "in":
		if b, err, ok := fc.boolBinary(n, depth, scopes); ok {
			if err != nil {
				return nil, nil, err
			}
			return func(f *frame) val { return boolVal(b(f)) }, nil, nil
		}
	}
	l, lshape, err := fc.compile(n.Left, depth, scopes)
	if err != nil {
		return nil, nil, err
	}
	r, rshape, err := fc.compile(n.Right, depth, scopes)
	if err != nil {
		return nil, nil, err
	}
	switch op := n.Operator; op {
	case "&&", "and":
		return func(f *frame) val {
			a := deref(l(f))
			if !needBool(a) {
				return a
			}
			return deref(r(f))
		}, nil, nil
	case "||", "or":
		return func(f *frame) val {
			a := deref(l(f))
			if needBool(a) {
				return a
			}
			return deref(r(f))
		}, nil, nil
	case "==":
		return func(f *frame) val { return boolVal(valEqual(deref(l(f)), deref(r(f)))) }, nil, nil
	case "!=":
		return func(f *frame) val { return boolVal(!valEqual(deref(l(f)), deref(r(f)))) }, nil, nil
	case "<", "<=", ">", ">=":
		return func(f *frame) val {
			res, ok := valOrder(op, deref(l(f)), deref(r(f)))
			if !ok {
				fallback("invalid comparison")
			}
			return boolVal(res)
		}, nil, nil
	case "+", "-", "*", "/", "%":
		return func(f *frame) val { return valArith(op, deref(l(f)), deref(r(f))) }, nil, nil
	case "in":
		return func(f *frame) val {
			a, list := deref(l(f)), deref(r(f))
			if list.k == kSlice || list.k == kList {
				f.steps(list.n) // in walks the list
			}
			return boolVal(valIn(a, list))
		}, nil, nil
	case "??":
		shape := lshape
		if !emptyOrNil(n.Right) && rshape != lshape {
			shape = nil
		}
		return func(f *frame) val {
			a := deref(l(f))
			if !a.isNil() {
				return a
			}
			return deref(r(f))
		}, shape, nil
	}
	return nil, nil, errUnsupported
}

// emptyOrNil reports whether n is nil or [], which add no shape of their own.
func emptyOrNil(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.NilNode:
		return true
	case *ast.ArrayNode:
		return len(x.Nodes) == 0
	}
	return false
}

func (fc *fastCompiler) array(n *ast.ArrayNode, depth int, scopes []*typeInfo) (evalFn, *typeInfo, error) {
	var fns []evalFn
	constant := true
	for _, m := range n.Nodes {
		fn, _, err := fc.compile(m, depth, scopes)
		if err != nil {
			return nil, nil, err
		}
		fns = append(fns, fn)
		switch m.(type) {
		case *ast.StringNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NilNode:
		default:
			constant = false
		}
	}
	size := len(fns)
	if constant {
		vals := make([]val, size)
		for i, fn := range fns {
			vals[i] = fn(nil)
		}
		// A constant list is made a Value once, for explanations that show it.
		items := make([]Value, size)
		for i, v := range vals {
			items[i] = ValueOf(v.constant())
		}
		info := &typeInfo{constant: listValue(items), strs: []string{}}
		for _, v := range vals {
			if v.k != kString {
				info.strs = nil
				break
			}
			info.strs = append(info.strs, v.str())
		}
		list := val{k: kList, p: unsafe.Pointer(&emptyList[0]), t: info}
		if size > 0 {
			list.p, list.n = unsafe.Pointer(&vals[0]), size
		}
		return func(f *frame) val {
			f.grow(size)
			return list
		}, nil, nil
	}
	const maxArray = 8
	if size > maxArray {
		return nil, nil, errUnsupported
	}
	return func(f *frame) val {
		var buf [maxArray]val
		for i, fn := range fns {
			buf[i] = fn(f)
		}
		f.grow(size)
		return f.newList(buf[:size])
	}, nil, nil
}

func (fc *fastCompiler) builtin(n *ast.BuiltinNode, depth int, scopes []*typeInfo) (evalFn, *typeInfo, error) {
	if n.Map != nil || n.Threshold != nil {
		return nil, nil, errUnsupported
	}
	switch n.Name {
	case "len", "uniq":
		if len(n.Arguments) != 1 {
			return nil, nil, errUnsupported
		}
		x, shape, err := fc.compile(n.Arguments[0], depth, scopes)
		if err != nil {
			return nil, nil, err
		}
		if n.Name == "len" {
			return func(f *frame) val { return valLen(deref(x(f))) }, nil, nil
		}
		d := depth
		return func(f *frame) val {
			list := deref(x(f))
			if list.k != kSlice && list.k != kList {
				fallback("uniq of a non-list")
			}
			f.steps(list.n)
			buf := f.tmp[d][:0]
		next:
			for i := 0; i < list.n; i++ {
				e := list.at(i)
				for _, u := range buf {
					if valEqual(e, u) {
						continue next
					}
				}
				buf = append(buf, e)
			}
			f.tmp[d] = buf
			f.grow(len(buf))
			return f.newList(buf)
		}, fc.listShape(elemShape(shape)), nil
	case "any", "all", "none", "one", "filter", "map", "count", "sum":
	default:
		return nil, nil, errUnsupported
	}
	if b, err, ok := fc.boolBuiltin(n, depth, scopes); ok {
		if err != nil {
			return nil, nil, err
		}
		return func(f *frame) val { return boolVal(b(f)) }, nil, nil
	}
	if fn, ok, err := fc.sumFilter(n, depth, scopes); ok || err != nil {
		return fn, nil, err
	}
	if depth >= maxDepth || len(n.Arguments) < 1 || len(n.Arguments) > 2 {
		return nil, nil, errUnsupported
	}
	list, lshape, err := fc.compile(n.Arguments[0], depth, scopes)
	if err != nil {
		return nil, nil, err
	}
	elem := elemShape(lshape)
	var pred evalFn
	var cond boolFn // the predicate as a condition, for the builtins that test it
	if len(n.Arguments) == 2 {
		p, ok := n.Arguments[1].(*ast.PredicateNode)
		if !ok {
			return nil, nil, errUnsupported
		}
		inner := append(append([]*typeInfo(nil), scopes...), elem)
		if n.Name == "map" || n.Name == "sum" {
			pred, _, err = fc.compile(p.Node, depth+1, inner)
		} else {
			cond, err = fc.compileBool(p.Node, depth+1, inner)
		}
		if err != nil {
			return nil, nil, err
		}
	} else if n.Name != "count" && n.Name != "sum" {
		return nil, nil, errUnsupported
	}
	d := depth
	switch n.Name {
	case "any", "all", "none":
		// any stops at the first true, all and none at the first false.
		stopOn := n.Name == "any"
		negate := n.Name == "none"
		return func(f *frame) val {
			l := deref(list(f))
			size := l.iterLen()
			for i := 0; i < size; i++ {
				f.step()
				f.scope[d], f.index[d] = l.at(i), i
				ok := cond(f)
				if negate {
					ok = !ok
				}
				if ok == stopOn {
					return boolVal(stopOn)
				}
			}
			return boolVal(!stopOn)
		}, nil, nil
	case "one":
		return func(f *frame) val {
			l := deref(list(f))
			size, count := l.iterLen(), 0
			for i := 0; i < size; i++ {
				f.step()
				f.scope[d], f.index[d] = l.at(i), i
				if cond(f) {
					count++
				}
			}
			return boolVal(count == 1)
		}, nil, nil
	case "count":
		return func(f *frame) val {
			l := deref(list(f))
			size, count := l.iterLen(), 0
			if cond == nil {
				f.steps(size) // the VM walks the list
			}
			for i := 0; i < size; i++ {
				e := l.at(i)
				f.scope[d], f.index[d] = e, i
				if cond != nil {
					f.step()
					if cond(f) {
						count++
					}
				} else if needBool(e) {
					count++
				}
			}
			return val{k: kInt, n: count}
		}, nil, nil
	case "sum":
		return func(f *frame) val {
			l := deref(list(f))
			size := l.iterLen()
			acc := val{k: kInt}
			if pred == nil {
				f.steps(size) // the VM walks the list
			}
			for i := 0; i < size; i++ {
				e := l.at(i)
				f.scope[d], f.index[d] = e, i
				if pred != nil {
					f.step()
					e = pred(f)
				}
				if e.ptr {
					fallback("sum of pointers")
				}
				acc = valArith("+", e, acc)
			}
			return acc
		}, nil, nil
	case "filter", "map":
		keep := n.Name == "filter"
		var shape *typeInfo
		if keep {
			shape = fc.listShape(elem)
		}
		return func(f *frame) val {
			l := deref(list(f))
			size := l.iterLen()
			buf := f.tmp[d][:0]
			for i := 0; i < size; i++ {
				f.step()
				e := l.at(i)
				f.scope[d], f.index[d] = e, i
				if !keep {
					buf = append(buf, pred(f))
				} else if cond(f) {
					buf = append(buf, e)
				}
			}
			f.tmp[d] = buf
			f.grow(len(buf))
			return f.newList(buf)
		}, shape, nil
	}
	return nil, nil, errUnsupported
}

// call compiles a call of a library function.
func (fc *fastCompiler) call(n *ast.CallNode, depth int, scopes []*typeInfo) (evalFn, *typeInfo, error) {
	if b, err, ok := fc.boolCall(n, depth, scopes); ok {
		if err != nil {
			return nil, nil, err
		}
		return func(f *frame) val { return boolVal(b(f)) }, nil, nil
	}
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		return nil, nil, errUnsupported
	}
	for _, lv := range fc.lets {
		if lv.name == id.Value {
			return nil, nil, errUnsupported
		}
	}
	ft := n.Callee.Type()
	if ft == nil || ft.Kind() != reflect.Func || ft.IsVariadic() || ft.NumIn() != len(n.Arguments) {
		return nil, nil, errUnsupported
	}
	args := make([]evalFn, len(n.Arguments))
	for i, a := range n.Arguments {
		fn, _, err := fc.compile(a, depth, scopes)
		if err != nil {
			return nil, nil, err
		}
		// expr dereferences a pointer argument for a parameter that is not
		// a pointer (compiler.derefParam).
		if at := a.Type(); at != nil && at.Kind() == reflect.Pointer && ft.In(i).Kind() != reflect.Pointer {
			inner := fn
			fn = func(f *frame) val { return deref(inner(f)) }
		}
		args[i] = fn
	}
	fn := lib.ByName(id.Value)
	if fn == nil || len(args) != fn.Arity() {
		return nil, nil, errUnsupported
	}
	if fn.Lookup != nil {
		return fc.lookupCall(fn.Lookup, args)
	}
	return fc.dateCall(fn, args), nil, nil
}

// lookupCall compiles a catalogue lookup.
func (fc *fastCompiler) lookupCall(l *lib.Lookup, args []evalFn) (evalFn, *typeInfo, error) {
	wantID := l.ID
	result := func(id string) val {
		if wantID {
			return strVal(id)
		}
		return boolVal(id != "")
	}
	if l.Catalogue != "" {
		m, ok := fc.cat[l.Catalogue]
		if !ok {
			return nil, nil, errUnsupported
		}
		a := args[0]
		return func(f *frame) val { return result(f.lookup(m, text(a(f)))) }, nil, nil
	}
	cat, a := args[0], args[1]
	idx := fc.cat
	return func(f *frame) val {
		m, ok := idx[text(cat(f))]
		if !ok {
			fallback("no such catalogue")
		}
		return result(f.lookup(m, text(a(f))))
	}, nil, nil
}

// text is a string argument of a library function.
func text(v val) string {
	if v.k != kString || v.ptr {
		fallback("a library function given something other than text")
	}
	return v.str()
}

// dateOf is dateArg: a date argument and whether it is set.
func dateOf(v val) (time.Time, bool) {
	switch v.k {
	case kTime:
		return v.time(), true
	case kNil:
		return time.Time{}, false
	}
	fallback("a date function given something other than a date")
	return time.Time{}, false
}

func number(v val) float64 {
	switch {
	case v.ptr:
	case v.k == kFloat:
		return v.float()
	case v.k == kInt:
		return float64(v.n)
	}
	fallback("a date function given something other than a number")
	return 0
}

// dateCall compiles a call of a date function, fn's kernel over the
// arguments' values.
func (fc *fastCompiler) dateCall(fn *lib.Function, args []evalFn) evalFn {
	date, asOfArg := args[0], args[len(args)-1]
	asOf := func(f *frame) time.Time {
		v := asOfArg(f)
		if v.k != kTime || v.ptr {
			return time.Time{}
		}
		return v.time()
	}
	switch {
	case fn.DateTest != nil:
		test := fn.DateTest
		return func(f *frame) val {
			t, set := dateOf(date(f))
			return boolVal(test(t, set, asOf(f)))
		}
	case fn.DateWithin != nil:
		within, months := fn.DateWithin, args[1]
		return func(f *frame) val {
			t, set := dateOf(date(f))
			m := number(months(f))
			return boolVal(within(t, set, m, asOf(f)))
		}
	case fn.DateSpan != nil:
		span, to := fn.DateSpan, args[1]
		return func(f *frame) val {
			t, set := dateOf(date(f))
			end, endSet := dateOf(to(f))
			return floatVal(span(t, set, end, endSet, asOf(f)))
		}
	case fn.DateCount != nil:
		count := fn.DateCount
		return func(f *frame) val {
			t, set := dateOf(date(f))
			return floatVal(count(t, set, asOf(f)))
		}
	}
	return func(*frame) val {
		fallback("unknown function " + fn.Name)
		return val{}
	}
}
