package fast

import (
	"reflect"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/expr-lang/expr/ast"
)

// Typed closures reading texts, numbers, lists and dates straight from
// memory (see typed.go).

// compileStr compiles a node certainly of type string, or returns nil.
func (fc *Compiler) compileStr(node ast.Node, depth int, scopes []*Type) (strFn, error) {
	if s, ok := node.(*ast.StringNode); ok {
		v := s.Value
		return func(*Frame) string { return v }, nil
	}
	if fc.typeOf(node, depth, scopes) != stringRT {
		return nil, nil
	}
	if pn, ok := node.(*ast.PointerNode); ok && pn.Name == "" && depth > 0 {
		gen, _, err := fc.compile(node, depth, scopes)
		if err != nil {
			return nil, err
		}
		d := depth - 1
		return func(f *Frame) string {
			if s := &f.scope[d]; s.k == String {
				return s.Str()
			}
			return needText(gen(f))
		}, nil
	}
	p, ok := fc.fieldAddr(node, depth, scopes)
	if !ok {
		return nil, nil
	}
	gen, _, err := fc.compile(node, depth, scopes)
	if err != nil {
		return nil, err
	}
	return inPlace(p, func(f *Frame) string { return needText(gen(f)) }), nil
}

func needText(v Val) string {
	if v.k != String || v.ptr {
		fallback("a text that is not")
	}
	return v.Str()
}

// compileNum compiles a node certainly of type int or float64.
func (fc *Compiler) compileNum(node ast.Node, depth int, scopes []*Type) (numFn, error) {
	switch n := node.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		gen, _, err := fc.compile(node, depth, scopes)
		if err != nil {
			return numFn{}, err
		}
		v := gen(nil)
		if v.k == Int {
			i := v.n
			return numFn{i: func(*Frame) int { return i }}, nil
		}
		x := v.Float()
		return numFn{f: func(*Frame) float64 { return x }}, nil
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok || fc.isLet(id.Value) {
			return numFn{}, nil
		}
		fn := lib.ByName(id.Value)
		if fn == nil || fn.DateCount == nil || len(n.Arguments) != fn.Arity() {
			return numFn{}, nil
		}
		date, err := fc.compileDate(n.Arguments[0], depth, scopes)
		if err != nil || date == nil {
			return numFn{}, err
		}
		asOf, err := fc.asOfArg(n.Arguments[1], depth, scopes)
		if err != nil || asOf == nil {
			return numFn{}, err
		}
		count, s := fn.DateCount, fc.site(fn, n)
		c := &countCall{date: date, asOf: asOf, site: s}
		return numFn{count: c, f: func(f *Frame) float64 {
			t, set := dateSet(date(f))
			a := dateOr(asOf(f))
			if f.tracking {
				f.note(s.fn.CountChange(t, set, a), s, t, set)
			}
			return count(t, set, a)
		}}, nil
	case *ast.BuiltinNode:
		return fc.numLen(n, depth, scopes)
	}
	t := fc.typeOf(node, depth, scopes)
	if t != intRT && t != floatRT {
		return numFn{}, nil
	}
	if id, ok := node.(*ast.IdentifierNode); ok && !fc.isLet(id.Value) {
		if pos, ok := fc.facts[id.Value]; ok {
			return factNum(pos, t == intRT), nil
		}
	}
	p, ok := fc.fieldAddr(node, depth, scopes)
	if !ok {
		return numFn{}, nil
	}
	gen, _, err := fc.compile(node, depth, scopes)
	if err != nil {
		return numFn{}, err
	}
	if t == intRT {
		return numFn{i: inPlace(p, func(f *Frame) int {
			v := gen(f)
			if v.k != Int || v.ptr {
				fallback("an int that is not")
			}
			return v.n
		})}, nil
	}
	return numFn{f: inPlace(p, func(f *Frame) float64 {
		v := gen(f)
		if v.k != Float || v.ptr {
			fallback("a float that is not")
		}
		return v.Float()
	})}, nil
}

// factNum reads the number fact at position pos (an int with isInt),
// computed before the expression runs (Frame.SetFact).
func factNum(pos int, isInt bool) numFn {
	if isInt {
		return numFn{i: func(f *Frame) int {
			v := f.facts[pos]
			if v.k != Int || v.ptr {
				fallback("an int that is not")
			}
			return v.n
		}}
	}
	return numFn{f: func(f *Frame) float64 {
		v := f.facts[pos]
		if v.k != Float || v.ptr {
			fallback("a float that is not")
		}
		return v.Float()
	}}
}

// numLen compiles len() of a list of texts or structs read from memory, and
// the course formats' idiom len(uniq(filter(texts, cond))).
func (fc *Compiler) numLen(n *ast.BuiltinNode, depth int, scopes []*Type) (numFn, error) {
	if n.Name != "len" || len(n.Arguments) != 1 {
		return numFn{}, nil
	}
	arg := n.Arguments[0]
	if strs, err := fc.compileStrs(arg, depth, scopes); err != nil || strs != nil {
		if err != nil {
			return numFn{}, err
		}
		return numFn{i: func(f *Frame) int { return len(strs(f)) }}, nil
	}
	uniq, ok := arg.(*ast.BuiltinNode)
	if !ok || uniq.Name != "uniq" || len(uniq.Arguments) != 1 || uniq.Map != nil {
		return numFn{}, nil
	}
	filter, ok := uniq.Arguments[0].(*ast.BuiltinNode)
	if !ok || filter.Name != "filter" || len(filter.Arguments) != 2 || filter.Map != nil || depth >= maxDepth {
		return numFn{}, nil
	}
	pred, ok := filter.Arguments[1].(*ast.PredicateNode)
	if !ok {
		return numFn{}, nil
	}
	strs, err := fc.compileStrs(filter.Arguments[0], depth, scopes)
	if err != nil || strs == nil {
		return numFn{}, err
	}
	inner := append(append([]*Type(nil), scopes...), fc.types.of(stringRT))
	p, err := fc.compileBool(pred.Node, depth+1, inner)
	if err != nil {
		return numFn{}, err
	}
	d := depth
	return numFn{i: func(f *Frame) int {
		list := strs(f)
		var seen [16]string
		kept, distinct := 0, 0
		var more []string
	next:
		for i, s := range list {
			f.Step()
			f.scope[d] = strVal(s)
			f.index[d] = i
			if !p(f) {
				continue
			}
			kept++
			for _, u := range seen[:min(distinct, len(seen))] {
				if u == s {
					continue next
				}
			}
			for _, u := range more {
				if u == s {
					continue next
				}
			}
			if distinct < len(seen) {
				seen[distinct] = s
			} else {
				more = append(more, s)
			}
			distinct++
		}
		// The VM builds both lists: count them against the budget as it does;
		// uniq walks the first.
		f.Grow(kept)
		f.Grow(distinct)
		f.steps(kept)
		return distinct
	}}, nil
}

// compileStrs compiles a node certainly of type []string read from memory
// (a parameter, a field), or a constant list of texts.
func (fc *Compiler) compileStrs(node ast.Node, depth int, scopes []*Type) (strsFn, error) {
	if arr, ok := node.(*ast.ArrayNode); ok {
		var strs []string
		for _, m := range arr.Nodes {
			s, ok := m.(*ast.StringNode)
			if !ok {
				return nil, nil
			}
			strs = append(strs, s.Value)
		}
		size := len(strs)
		return func(f *Frame) []string {
			f.Grow(size)
			return strs
		}, nil
	}
	if fc.typeOf(node, depth, scopes) != stringsRT {
		return nil, nil
	}
	p, ok := fc.fieldAddr(node, depth, scopes)
	if !ok {
		return nil, nil
	}
	gen, _, err := fc.compile(node, depth, scopes)
	if err != nil {
		return nil, err
	}
	return inPlace(p, func(f *Frame) []string {
		v := deref(gen(f))
		if v.k != Slice || v.t.rt != stringsRT {
			fallback("texts that are not")
		}
		return unsafe.Slice((*string)(v.p), v.n)
	}), nil
}

// compileStructs compiles a node certainly a slice of structs read from
// memory, returning its data and length, and the element type.
func (fc *Compiler) compileStructs(node ast.Node, depth int, scopes []*Type) (func(*Frame) (unsafe.Pointer, int), *Type, error) {
	t := fc.typeOf(node, depth, scopes)
	if t == nil || t.Kind() != reflect.Slice || t.Elem().Kind() != reflect.Struct || t.Elem() == timeRT {
		return nil, nil, nil
	}
	p, ok := fc.fieldAddr(node, depth, scopes)
	if !ok {
		return nil, nil, nil
	}
	gen, _, err := fc.compile(node, depth, scopes)
	if err != nil {
		return nil, nil, err
	}
	elem := fc.types.of(t.Elem())
	if elem.kind != tStruct {
		return nil, nil, nil
	}
	at := p.direct()
	return func(f *Frame) (unsafe.Pointer, int) {
		if a := at(f); a != nil {
			return sliceAt(a)
		}
		v := deref(gen(f))
		if v.k != Slice || v.t.rt != t {
			fallback("a list that is not")
		}
		return v.p, v.n
	}, elem, nil
}

// compileDate compiles a node certainly a date: a time.Time or *time.Time
// field, or asOf. The closure returns nil for no date.
func (fc *Compiler) compileDate(node ast.Node, depth int, scopes []*Type) (dateFn, error) {
	if fc.isAsOf(node) {
		return func(f *Frame) *time.Time { f.readAsOf(); return &f.asOf }, nil
	}
	t := fc.typeOf(node, depth, scopes)
	if t != timeRT && t != datePtrRT {
		return nil, nil
	}
	p, ok := fc.fieldAddr(node, depth, scopes)
	if !ok {
		return nil, nil
	}
	gen, _, err := fc.compile(node, depth, scopes)
	if err != nil {
		return nil, err
	}
	general := func(f *Frame) *time.Time {
		v := gen(f)
		switch v.k {
		case Nil:
			return nil
		case Time:
			return (*time.Time)(v.p)
		}
		fallback("a date that is not")
		return nil
	}
	if t == timeRT {
		at := p.direct()
		return func(f *Frame) *time.Time {
			if a := at(f); a != nil {
				return (*time.Time)(a)
			}
			return general(f)
		}, nil
	}
	return inPlace(p, general), nil
}

// sumFilter compiles sum(filter(list, cond), mapper) over a list of structs
// read from memory (list may be "field ?? []"), without building the
// filtered list: the facts that add up hours.
func (fc *Compiler) sumFilter(n *ast.BuiltinNode, depth int, scopes []*Type) (Fn, bool, error) {
	if n.Name != "sum" || len(n.Arguments) != 2 || n.Map != nil || depth >= maxDepth {
		return nil, false, nil
	}
	filter, ok := n.Arguments[0].(*ast.BuiltinNode)
	if !ok || filter.Name != "filter" || len(filter.Arguments) != 2 || filter.Map != nil {
		return nil, false, nil
	}
	pred, ok1 := filter.Arguments[1].(*ast.PredicateNode)
	mapper, ok2 := n.Arguments[1].(*ast.PredicateNode)
	if !ok1 || !ok2 || usesIndex(pred) || usesIndex(mapper) {
		return nil, false, nil
	}
	listNode := filter.Arguments[0]
	if b, ok := listNode.(*ast.BinaryNode); ok && b.Operator == "??" {
		if arr, ok := b.Right.(*ast.ArrayNode); !ok || len(arr.Nodes) != 0 {
			return nil, false, nil
		}
		listNode = b.Left // nil ?? [] is an empty list: no entries either way
	}
	list, elem, err := fc.compileStructs(listNode, depth, scopes)
	if err != nil || list == nil {
		return nil, false, err
	}
	inner := append(append([]*Type(nil), scopes...), elem)
	cond, err := fc.compileBool(pred.Node, depth+1, inner)
	if err != nil {
		return nil, false, err
	}
	num, err := fc.compileNum(mapper.Node, depth+1, inner)
	if err != nil {
		return nil, false, err
	}
	var gen Fn
	if !num.ok() {
		if gen, _, err = fc.compile(mapper.Node, depth+1, inner); err != nil {
			return nil, false, err
		}
	}
	d, size := depth, elem.size
	return func(f *Frame) Val {
		data, count := list(f)
		kept := 0
		// expr's sum starts from the int 0 and adds each item to it:
		// ints stay ints, a float makes the sum a float.
		acc := Val{k: Int}
		accF, accI, floats := 0.0, 0, false
		for i := 0; i < count; i++ {
			f.Step()
			f.scope[d] = Val{k: Struct, p: unsafe.Add(data, uintptr(i)*size), t: elem}
			f.index[d] = i
			if !cond(f) {
				continue
			}
			f.Step() // sum's predicate, on the filtered list
			kept++
			switch {
			case num.f != nil:
				accF, floats = num.f(f)+accF, true
			case num.i != nil:
				accI += num.i(f)
			default:
				e := gen(f)
				if e.ptr {
					fallback("sum of pointers")
				}
				acc = arith('+', e, acc)
			}
		}
		f.Grow(kept)
		switch {
		case floats:
			return floatVal(finite(accF))
		case num.i != nil:
			return Val{k: Int, n: accI}
		}
		return acc
	}, true, nil
}

// usesIndex reports whether a predicate reads #index or #acc, which differ
// between a list and its filtered copy.
func usesIndex(n ast.Node) bool {
	found := false
	ast.Walk(&n, visitor(func(m *ast.Node) {
		if p, ok := (*m).(*ast.PointerNode); ok && p.Name != "" {
			found = true
		}
	}))
	return found
}

// visitor is an ast.Visitor calling a function on every node.
type visitor func(*ast.Node)

func (v visitor) Visit(n *ast.Node) { v(n) }

// FindFn is the index of the first entry of a list that meets every one
// of a predicate's conditions, -1 for none, run as one evaluation.
type FindFn func(*Frame) int

// FindListFn is a FindFn that also returns the list, as Run of the list
// would give it.
type FindListFn func(*Frame) (Val, int)

// Find compiles the search of any() and none() over node, a list of
// structs read from memory, for conditions conds compiled at depth 1: as
// one evaluation, it counts the list's entries against the memory budget,
// then takes a step for each entry it enters (#) and runs the conditions
// up to the first that fails, as Run of the list followed by the same
// loop over its Val would, without making the list a Val and each entry
// one through At; and the same search returning the list too, for
// explanations (FindListFn). Both are nil when node is not such a list.
func (fc *Compiler) Find(node ast.Node, conds []BoolFn) (FindFn, FindListFn, error) {
	for _, c := range conds {
		if c == nil {
			return nil, nil, nil
		}
	}
	list, elem, err := fc.compileStructs(node, 0, nil)
	if err != nil || list == nil {
		return nil, nil, err
	}
	size, st := elem.size, fc.types.of(fc.typeOf(node, 0, nil))
	findList := func(f *Frame) (Val, int) {
		f.Begin()
		data, n := list(f)
		f.Grow(n)
		return Val{k: Slice, p: data, n: n, t: st}, findIn(f, data, n, size, elem, conds)
	}
	return func(f *Frame) int {
		f.Begin()
		data, n := list(f)
		f.Grow(n)
		return findIn(f, data, n, size, elem, conds)
	}, findList, nil
}

// findIn is Find's search over the n entries at data, of shape elem.
func findIn(f *Frame, data unsafe.Pointer, n int, size uintptr, elem *Type, conds []BoolFn) int {
entries:
	for i := 0; i < n; i++ {
		f.Step()
		f.scope[0] = Val{k: Struct, p: unsafe.Add(data, uintptr(i)*size), t: elem}
		f.index[0] = i
		for _, c := range conds {
			if !c(f) {
				continue entries
			}
		}
		return i
	}
	return -1
}
