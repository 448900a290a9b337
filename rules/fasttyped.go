// This file is over 600 lines until issue 16 moves the closure evaluator
// to rules/internal/fast, where it splits by concern.

package rules

import (
	"cmp"
	"reflect"
	"strings"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/expr-lang/expr/ast"
)

// Typed closures. Where the checker knows a node's Go type and the node is
// one whose value the fast evaluator reads straight from memory (a field, a
// parameter, a comparison, a library call), the conditions that run most —
// a requirement's clauses and the predicates of any() and all() — compile
// to closures returning a bool, a number, a text or a date instead of a
// val. Anything else goes through the val closures (fastcompile.go), whose
// result is checked as the VM checks it. The semantics are the VM's; the
// differential tests in fast_test.go hold both to it.

type (
	boolFn func(*frame) bool
	strFn  func(*frame) string
	dateFn func(*frame) *time.Time // nil: no date
	strsFn func(*frame) []string
)

// numFn is a number of static type int or float64: exactly one is set.
type numFn struct {
	i func(*frame) int
	f func(*frame) float64
}

func (n numFn) ok() bool { return n.i != nil || n.f != nil }

func (n numFn) float() func(*frame) float64 {
	if n.f != nil {
		return n.f
	}
	i := n.i
	return func(f *frame) float64 { return float64(i(f)) }
}

var (
	stringsRT = reflect.TypeFor[[]string]()
	datePtrRT = reflect.TypeFor[*time.Time]()
)

// compileBool compiles a condition: a node whose value expr requires to be
// true or false (a clause, a predicate, an operand of &&, || or !).
func (fc *fastCompiler) compileBool(node ast.Node, depth int, scopes []*typeInfo) (boolFn, error) {
	switch n := node.(type) {
	case *ast.BoolNode:
		b := n.Value
		return func(*frame) bool { return b }, nil
	case *ast.UnaryNode:
		if n.Operator == "!" || n.Operator == "not" {
			x, err := fc.compileBool(n.Node, depth, scopes)
			if err != nil {
				return nil, err
			}
			return func(f *frame) bool { return !x(f) }, nil
		}
	case *ast.BinaryNode:
		if fn, err, ok := fc.boolBinary(n, depth, scopes); ok {
			return fn, err
		}
	case *ast.MemberNode, *ast.IdentifierNode:
		if fc.typeOf(node, depth, scopes) == boolRT {
			if p, ok := fc.fieldAddr(node, depth, scopes); ok {
				gen, _, err := fc.compile(node, depth, scopes)
				if err != nil {
					return nil, err
				}
				return inPlace(p, func(f *frame) bool { return needBool(gen(f)) }), nil
			}
		}
	case *ast.CallNode:
		if fn, err, ok := fc.boolCall(n, depth, scopes); ok {
			return fn, err
		}
	case *ast.BuiltinNode:
		if fn, err, ok := fc.boolBuiltin(n, depth, scopes); ok {
			return fn, err
		}
	}
	gen, _, err := fc.compile(node, depth, scopes)
	if err != nil {
		return nil, err
	}
	return func(f *frame) bool { return needBool(gen(f)) }, nil
}

func (fc *fastCompiler) boolBinary(n *ast.BinaryNode, depth int, scopes []*typeInfo) (boolFn, error, bool) {
	op := n.Operator
	switch op {
	case "&&", "and", "||", "or":
		l, err := fc.compileBool(n.Left, depth, scopes)
		if err != nil {
			return nil, err, true
		}
		r, err := fc.compileBool(n.Right, depth, scopes)
		if err != nil {
			return nil, err, true
		}
		if op == "&&" || op == "and" {
			return func(f *frame) bool { return l(f) && r(f) }, nil, true
		}
		return func(f *frame) bool { return l(f) || r(f) }, nil, true
	case "in":
		ls, err := fc.compileStr(n.Left, depth, scopes)
		if err != nil || ls == nil {
			return nil, err, err != nil
		}
		rs, err := fc.compileStrs(n.Right, depth, scopes)
		if err != nil || rs == nil {
			return nil, err, err != nil
		}
		return func(f *frame) bool {
			s := ls(f)
			list := rs(f)
			f.steps(len(list)) // in walks the list
			for _, x := range list {
				if x == s {
					return true
				}
			}
			return false
		}, nil, true
	case "==", "!=", "<", "<=", ">", ">=":
	default:
		return nil, nil, false
	}
	neg := op == "!="
	// Texts.
	if ls, err := fc.compileStr(n.Left, depth, scopes); err != nil {
		return nil, err, true
	} else if ls != nil {
		rs, err := fc.compileStr(n.Right, depth, scopes)
		if err != nil {
			return nil, err, true
		}
		if rs != nil {
			return func(f *frame) bool { return orderBool(op, strings.Compare(ls(f), rs(f))) }, nil, true
		}
	}
	// Numbers: two ints compare as ints, else as floats (runtime.Less).
	ln, err := fc.compileNum(n.Left, depth, scopes)
	if err != nil {
		return nil, err, true
	}
	if ln.ok() {
		rn, err := fc.compileNum(n.Right, depth, scopes)
		if err != nil {
			return nil, err, true
		}
		if rn.ok() {
			if ln.i != nil && rn.i != nil {
				li, ri := ln.i, rn.i
				return func(f *frame) bool { return orderBool(op, cmp.Compare(li(f), ri(f))) }, nil, true
			}
			lf, rf := ln.float(), rn.float()
			return func(f *frame) bool { return floatOrder(op, lf(f), rf(f)) }, nil, true
		}
	}
	// A date against nil: runtime.Equal of the dereferenced date.
	if _, isNil := n.Right.(*ast.NilNode); isNil && (op == "==" || op == "!=") {
		ld, err := fc.compileDate(n.Left, depth, scopes)
		if err != nil {
			return nil, err, true
		}
		if ld != nil {
			return func(f *frame) bool { return (ld(f) == nil) != neg }, nil, true
		}
	}
	return nil, nil, false
}

// orderBool applies a comparison operator to the sign of a comparison.
func orderBool(op string, c int) bool {
	switch op {
	case "==":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

func floatOrder(op string, x, y float64) bool {
	switch op {
	case "==":
		return x == y
	case "!=":
		return x != y
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	}
	return x >= y
}

// boolCall compiles the library's conditions with typed arguments: the
// date tests (done, current), within, and the lookups in a fixed catalogue
// (approved).
func (fc *fastCompiler) boolCall(n *ast.CallNode, depth int, scopes []*typeInfo) (boolFn, error, bool) {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok || fc.isLet(id.Value) {
		return nil, nil, false
	}
	fn := lib.ByName(id.Value)
	switch {
	case fn == nil || len(n.Arguments) != fn.Arity():
		return nil, nil, false
	case fn.DateTest != nil || fn.DateWithin != nil:
		date, err := fc.compileDate(n.Arguments[0], depth, scopes)
		if err != nil || date == nil {
			return nil, err, err != nil
		}
		asOf, err := fc.compileDate(n.Arguments[fn.Args], depth, scopes)
		if err != nil || asOf == nil {
			return nil, err, err != nil
		}
		if test := fn.DateTest; test != nil {
			return func(f *frame) bool {
				t, set := dateSet(date(f))
				return test(t, set, dateOr(asOf(f)))
			}, nil, true
		}
		months, err := fc.compileNum(n.Arguments[1], depth, scopes)
		if err != nil || !months.ok() {
			return nil, err, err != nil
		}
		m, within := months.float(), fn.DateWithin
		return func(f *frame) bool {
			t, set := dateSet(date(f))
			mm := m(f)
			return within(t, set, mm, dateOr(asOf(f)))
		}, nil, true
	case fn.Lookup != nil && fn.Lookup.Catalogue != "" && !fn.Lookup.ID:
		m, ok := fc.cat[fn.Lookup.Catalogue]
		if !ok {
			return nil, nil, false
		}
		name, err := fc.compileStr(n.Arguments[0], depth, scopes)
		if err != nil || name == nil {
			return nil, err, err != nil
		}
		return func(f *frame) bool { return f.lookup(m, name(f)) != "" }, nil, true
	}
	return nil, nil, false
}

// dateSet is a date read from memory as the library's kernels take it: the
// date and whether it is set.
func dateSet(t *time.Time) (time.Time, bool) {
	if t == nil {
		return time.Time{}, false
	}
	return *t, true
}

func dateOr(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// boolBuiltin compiles any, all and none over a list read from memory.
func (fc *fastCompiler) boolBuiltin(n *ast.BuiltinNode, depth int, scopes []*typeInfo) (boolFn, error, bool) {
	if n.Name != "any" && n.Name != "all" && n.Name != "none" || len(n.Arguments) != 2 || depth >= maxDepth || n.Map != nil {
		return nil, nil, false
	}
	pred, ok := n.Arguments[1].(*ast.PredicateNode)
	if !ok {
		return nil, nil, false
	}
	list, elem, err := fc.compileStructs(n.Arguments[0], depth, scopes)
	if err != nil || list == nil {
		return nil, err, err != nil
	}
	inner := append(append([]*typeInfo(nil), scopes...), elem)
	p, err := fc.compileBool(pred.Node, depth+1, inner)
	if err != nil {
		return nil, err, true
	}
	d, size := depth, elem.size
	stopOn, negate := n.Name == "any", n.Name == "none"
	return func(f *frame) bool {
		data, count := list(f)
		for i := 0; i < count; i++ {
			f.step()
			f.scope[d] = val{k: kStruct, p: unsafe.Add(data, uintptr(i)*size), t: elem}
			f.index[d] = i
			if p(f) != negate == stopOn {
				return stopOn
			}
		}
		return !stopOn
	}, nil, true
}

// typeOf is the Go type of node's value when it is known: the checker's,
// or, for a field of a value the checker types as any (a predicate's
// element over "list ?? []"), the field's in the struct the compiler
// expects there (fieldAddr checks at run time that it is that struct).
func (fc *fastCompiler) typeOf(node ast.Node, depth int, scopes []*typeInfo) reflect.Type {
	t := node.Type()
	if t != nil && t.Kind() != reflect.Interface {
		return t
	}
	m, ok := node.(*ast.MemberNode)
	if !ok {
		return t
	}
	prop, ok := m.Property.(*ast.StringNode)
	if !ok || m.Method || m.Optional {
		return t
	}
	st, base := fc.structAddr(m.Node, depth, scopes)
	if base == nil || st.embedded {
		return t
	}
	names := st.static
	if bt := m.Node.Type(); bt == nil || bt.Kind() == reflect.Interface {
		names = st.dynamic
	}
	if i, ok := names[prop.Value]; ok && i >= 0 {
		return st.rt.Field(i).Type
	}
	return t
}

// inPlace reads a T where addr finds one in memory; where it finds none
// (a nil pointer on the way, say) the value comes from general.
func inPlace[T any](addr func(*frame) unsafe.Pointer, general func(*frame) T) func(*frame) T {
	return func(f *frame) T {
		if a := addr(f); a != nil {
			return *(*T)(a)
		}
		return general(f)
	}
}

// fieldAddr compiles a field access (or an applicant field) to a closure
// returning the field's address, nil when the struct is not where the
// compiler expected it (a nil section, another shape); callers then take
// the val closure.
func (fc *fastCompiler) fieldAddr(node ast.Node, depth int, scopes []*typeInfo) (func(*frame) unsafe.Pointer, bool) {
	switch n := node.(type) {
	case *ast.IdentifierNode:
		if fc.isLet(n.Value) {
			return nil, false
		}
		i, ok := fc.app[n.Value]
		if !ok {
			return nil, false
		}
		off := fc.model.fields[i].off
		return func(f *frame) unsafe.Pointer { return unsafe.Add(f.app, off) }, true
	case *ast.MemberNode:
		prop, ok := n.Property.(*ast.StringNode)
		if !ok || n.Method || n.Optional {
			return nil, false
		}
		st, base := fc.structAddr(n.Node, depth, scopes)
		if base == nil {
			return nil, false
		}
		i, ok := st.static[prop.Value]
		if t := n.Node.Type(); t == nil || t.Kind() == reflect.Interface {
			i, ok = st.dynamic[prop.Value]
		}
		if !ok || i < 0 || st.embedded {
			return nil, false
		}
		off := st.fields[i].off
		return func(f *frame) unsafe.Pointer {
			if p := base(f); p != nil {
				return unsafe.Add(p, off)
			}
			return nil
		}, true
	}
	return nil, false
}

// structAddr compiles a node whose value is a struct (or a pointer to one)
// to a closure returning the struct's address, nil when it is nil or not
// of the shape returned.
func (fc *fastCompiler) structAddr(node ast.Node, depth int, scopes []*typeInfo) (*typeInfo, func(*frame) unsafe.Pointer) {
	switch n := node.(type) {
	case *ast.PointerNode:
		if n.Name != "" || depth == 0 {
			return nil, nil
		}
		d := depth - 1
		st := structShape(scopes[d])
		if st == nil {
			return nil, nil
		}
		return st, func(f *frame) unsafe.Pointer {
			if s := &f.scope[d]; s.k == kStruct && s.t == st {
				return s.p
			}
			return nil
		}
	case *ast.IdentifierNode:
		if n.Value == paramName && !fc.isLet(paramName) {
			return fc.params, func(f *frame) unsafe.Pointer { return f.params }
		}
	}
	addr, ok := fc.fieldAddr(node, depth, scopes)
	if !ok {
		return nil, nil
	}
	t := node.Type()
	if t == nil {
		return nil, nil
	}
	switch {
	case t.Kind() == reflect.Struct && t != timeRT:
		return fc.types.of(t), addr
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && t.Elem() != timeRT:
		return fc.types.of(t.Elem()), func(f *frame) unsafe.Pointer {
			if p := addr(f); p != nil {
				return *(*unsafe.Pointer)(p)
			}
			return nil
		}
	}
	return nil, nil
}

// compileStr compiles a node certainly of type string, or returns nil.
func (fc *fastCompiler) compileStr(node ast.Node, depth int, scopes []*typeInfo) (strFn, error) {
	if s, ok := node.(*ast.StringNode); ok {
		v := s.Value
		return func(*frame) string { return v }, nil
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
		return func(f *frame) string {
			if s := &f.scope[d]; s.k == kString {
				return s.str()
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
	return inPlace(p, func(f *frame) string { return needText(gen(f)) }), nil
}

func needText(v val) string {
	if v.k != kString || v.ptr {
		fallback("a text that is not")
	}
	return v.str()
}

// compileNum compiles a node certainly of type int or float64.
func (fc *fastCompiler) compileNum(node ast.Node, depth int, scopes []*typeInfo) (numFn, error) {
	switch n := node.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		gen, _, err := fc.compile(node, depth, scopes)
		if err != nil {
			return numFn{}, err
		}
		v := gen(nil)
		if v.k == kInt {
			i := v.n
			return numFn{i: func(*frame) int { return i }}, nil
		}
		x := v.float()
		return numFn{f: func(*frame) float64 { return x }}, nil
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
		asOf, err := fc.compileDate(n.Arguments[1], depth, scopes)
		if err != nil || asOf == nil {
			return numFn{}, err
		}
		count := fn.DateCount
		return numFn{f: func(f *frame) float64 {
			t, set := dateSet(date(f))
			return count(t, set, dateOr(asOf(f)))
		}}, nil
	case *ast.BuiltinNode:
		return fc.numLen(n, depth, scopes)
	}
	t := fc.typeOf(node, depth, scopes)
	if t != intRT && t != floatRT {
		return numFn{}, nil
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
		return numFn{i: inPlace(p, func(f *frame) int {
			v := gen(f)
			if v.k != kInt || v.ptr {
				fallback("an int that is not")
			}
			return v.n
		})}, nil
	}
	return numFn{f: inPlace(p, func(f *frame) float64 {
		v := gen(f)
		if v.k != kFloat || v.ptr {
			fallback("a float that is not")
		}
		return v.float()
	})}, nil
}

// numLen compiles len() of a list of texts or structs read from memory, and
// the course formats' idiom len(uniq(filter(texts, cond))).
func (fc *fastCompiler) numLen(n *ast.BuiltinNode, depth int, scopes []*typeInfo) (numFn, error) {
	if n.Name != "len" || len(n.Arguments) != 1 {
		return numFn{}, nil
	}
	arg := n.Arguments[0]
	if strs, err := fc.compileStrs(arg, depth, scopes); err != nil || strs != nil {
		if err != nil {
			return numFn{}, err
		}
		return numFn{i: func(f *frame) int { return len(strs(f)) }}, nil
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
	inner := append(append([]*typeInfo(nil), scopes...), fc.types.of(stringRT))
	p, err := fc.compileBool(pred.Node, depth+1, inner)
	if err != nil {
		return numFn{}, err
	}
	d := depth
	return numFn{i: func(f *frame) int {
		list := strs(f)
		var seen [16]string
		kept, distinct := 0, 0
		var more []string
	next:
		for i, s := range list {
			f.step()
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
		f.grow(kept)
		f.grow(distinct)
		f.steps(kept)
		return distinct
	}}, nil
}

// compileStrs compiles a node certainly of type []string read from memory
// (a parameter, a field), or a constant list of texts.
func (fc *fastCompiler) compileStrs(node ast.Node, depth int, scopes []*typeInfo) (strsFn, error) {
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
		return func(f *frame) []string {
			f.grow(size)
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
	return inPlace(p, func(f *frame) []string {
		v := deref(gen(f))
		if v.k != kSlice || v.t.rt != stringsRT {
			fallback("texts that are not")
		}
		return unsafe.Slice((*string)(v.p), v.n)
	}), nil
}

// compileStructs compiles a node certainly a slice of structs read from
// memory, returning its data and length, and the element type.
func (fc *fastCompiler) compileStructs(node ast.Node, depth int, scopes []*typeInfo) (func(*frame) (unsafe.Pointer, int), *typeInfo, error) {
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
	return func(f *frame) (unsafe.Pointer, int) {
		if a := p(f); a != nil {
			return sliceAt(t, a)
		}
		v := deref(gen(f))
		if v.k != kSlice || v.t.rt != t {
			fallback("a list that is not")
		}
		return v.p, v.n
	}, elem, nil
}

// compileDate compiles a node certainly a date: a time.Time or *time.Time
// field, or asOf. The closure returns nil for no date.
func (fc *fastCompiler) compileDate(node ast.Node, depth int, scopes []*typeInfo) (dateFn, error) {
	if id, ok := node.(*ast.IdentifierNode); ok && id.Value == asOfName && !fc.isLet(asOfName) {
		return func(f *frame) *time.Time { return &f.asOf }, nil
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
	general := func(f *frame) *time.Time {
		v := gen(f)
		switch v.k {
		case kNil:
			return nil
		case kTime:
			return (*time.Time)(v.p)
		}
		fallback("a date that is not")
		return nil
	}
	if t == timeRT {
		return func(f *frame) *time.Time {
			if a := p(f); a != nil {
				return (*time.Time)(a)
			}
			return general(f)
		}, nil
	}
	return func(f *frame) *time.Time {
		if a := p(f); a != nil {
			return *(**time.Time)(a)
		}
		return general(f)
	}, nil
}

// sumFilter compiles sum(filter(list, cond), mapper) over a list of structs
// read from memory (list may be "field ?? []"), without building the
// filtered list: the facts that add up hours.
func (fc *fastCompiler) sumFilter(n *ast.BuiltinNode, depth int, scopes []*typeInfo) (evalFn, bool, error) {
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
	inner := append(append([]*typeInfo(nil), scopes...), elem)
	cond, err := fc.compileBool(pred.Node, depth+1, inner)
	if err != nil {
		return nil, false, err
	}
	num, err := fc.compileNum(mapper.Node, depth+1, inner)
	if err != nil {
		return nil, false, err
	}
	var gen evalFn
	if !num.ok() {
		if gen, _, err = fc.compile(mapper.Node, depth+1, inner); err != nil {
			return nil, false, err
		}
	}
	d, size := depth, elem.size
	return func(f *frame) val {
		data, count := list(f)
		kept := 0
		// expr's sum starts from the int 0 and adds each item to it:
		// ints stay ints, a float makes the sum a float.
		acc := val{k: kInt}
		accF, accI, floats := 0.0, 0, false
		for i := 0; i < count; i++ {
			f.step()
			f.scope[d] = val{k: kStruct, p: unsafe.Add(data, uintptr(i)*size), t: elem}
			f.index[d] = i
			if !cond(f) {
				continue
			}
			f.step() // sum's predicate, on the filtered list
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
				acc = valArith("+", e, acc)
			}
		}
		f.grow(kept)
		switch {
		case floats:
			return floatVal(finite(accF))
		case num.i != nil:
			return val{k: kInt, n: accI}
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
