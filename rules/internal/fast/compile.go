package fast

import (
	"errors"
	"reflect"
	"unsafe"

	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/expr-lang/expr/ast"
)

var errUnsupported = errors.New("rules: not supported by the fast evaluator")

// Compiler turns checked expr trees into Fns and BoolFns. It is not safe
// for concurrent use; the closures it returns are, each run with its own
// Frame.
type Compiler struct {
	types        Types
	model        *Type
	app          map[string]int // applicant field name -> model field index
	params       *Type
	facts        map[string]int // fact name -> position, for facts compiled
	cat          lib.Catalogues
	nvars        int
	lets         []letVar
	chain        int
	lists        map[*Type]*Type // list shapes by element type
	constantList func(items []any) any
}

type letVar struct {
	name  string
	slot  int
	shape *Type
}

// Config is what a Compiler compiles against.
type Config struct {
	Model  reflect.Type   // the applicant struct
	Fields map[string]int // applicant field names in rules -> Model field index
	Params reflect.Type   // the parameter struct (param)
	// Catalogues are the catalogues lookups search.
	Catalogues lib.Catalogues
	// ConstantList makes a constant list's elements (bool, int, float64 or
	// string) into its value for explanations, once per list; it is
	// Type.Constant of the list. Nil leaves Constant nil.
	ConstantList func(items []any) any
}

// NewCompiler returns a compiler for expressions checked against c.
func NewCompiler(c Config) *Compiler {
	fc := &Compiler{types: Types{}, app: map[string]int{}, facts: map[string]int{}, cat: c.Catalogues,
		lists: map[*Type]*Type{}, constantList: c.ConstantList}
	fc.model = fc.types.of(c.Model)
	for name, i := range c.Fields {
		fc.app[name] = i
	}
	fc.params = fc.types.of(c.Params)
	return fc
}

// AddFact makes fact name, whose value a Frame holds at position pos
// (Frame.SetFact), visible to expressions compiled after.
func (fc *Compiler) AddFact(name string, pos int) { fc.facts[name] = pos }

// Vars is how many let variables the expressions compiled so far declare
// (Layout.Vars).
func (fc *Compiler) Vars() int { return fc.nvars }

// Zero is the value of an environment field of type rt that was never
// set: a fact skipped because data it needs is absent (Layout.Facts).
func (fc *Compiler) Zero(rt reflect.Type) Val { return zeroVal(rt, fc.types) }

// Load is the value of rv, which must be addressable and stay where it is
// while the value is used.
func (fc *Compiler) Load(rv reflect.Value) Val {
	return load(rv.Addr().UnsafePointer(), fc.types.of(rv.Type()))
}

// Compile compiles node, an expression checked by expr's checker, at
// predicate depth depth (0 outside any predicate); scopes are the shapes
// of the enclosing predicates' elements (ElemShape). It returns the
// function, the shape of its value when known, or an error when the fast
// evaluator does not run node.
func (fc *Compiler) Compile(node ast.Node, depth int, scopes []*Type) (Fn, *Type, error) {
	return fc.compile(node, depth, scopes)
}

// CompileBool compiles node as a condition (a value that must be true or
// false), as Compile does.
func (fc *Compiler) CompileBool(node ast.Node, depth int, scopes []*Type) (BoolFn, error) {
	return fc.compileBool(node, depth, scopes)
}

// ParamsOnly reports whether node's value depends on nothing but the
// parameters in force: a literal, a list of literals, or a parameter
// (param.x). Its closure then gives one value for a whole run of one
// parameter period, and takes no steps.
func (fc *Compiler) ParamsOnly(node ast.Node) bool {
	switch n := node.(type) {
	case *ast.NilNode, *ast.BoolNode, *ast.StringNode, *ast.IntegerNode, *ast.FloatNode:
		return true
	case *ast.ArrayNode:
		for _, m := range n.Nodes {
			switch m.(type) {
			case *ast.StringNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NilNode:
			default:
				return false
			}
		}
		return true
	case *ast.MemberNode:
		id, ok := n.Node.(*ast.IdentifierNode)
		_, named := n.Property.(*ast.StringNode)
		return ok && named && !n.Method && id.Value == lib.Param && !fc.isLet(lib.Param)
	}
	return false
}

// listShape is the shape of a list built from elements of shape elem.
func (fc *Compiler) listShape(elem *Type) *Type {
	if elem == nil {
		return nil
	}
	if s, ok := fc.lists[elem]; ok {
		return s
	}
	s := &Type{kind: tSlice, elem: elem, label: -1}
	fc.lists[elem] = s
	return s
}

// structShape is the struct a value of shape s is, through pointers.
func structShape(s *Type) *Type {
	for s != nil && s.kind == tPtr {
		s = s.elem
	}
	if s != nil && s.kind == tStruct {
		return s
	}
	return nil
}

// ElemShape is the shape of the elements of a list of shape s, or nil.
func ElemShape(s *Type) *Type {
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
func (fc *Compiler) compile(node ast.Node, depth int, scopes []*Type) (Fn, *Type, error) {
	switch n := node.(type) {
	case *ast.NilNode:
		return func(*Frame) Val { return Val{} }, nil, nil
	case *ast.BoolNode:
		v := boolVal(n.Value)
		return func(*Frame) Val { return v }, nil, nil
	case *ast.StringNode:
		v := strVal(n.Value)
		return func(*Frame) Val { return v }, nil, nil
	case *ast.IntegerNode:
		v, ok := intLiteral(n)
		if !ok {
			return nil, nil, errUnsupported
		}
		return func(*Frame) Val { return v }, nil, nil
	case *ast.FloatNode:
		if n.Type().Kind() != reflect.Float64 {
			return nil, nil, errUnsupported
		}
		v := floatVal(n.Value)
		return func(*Frame) Val { return v }, nil, nil
	case *ast.IdentifierNode:
		return fc.identifier(n)
	case *ast.PointerNode:
		if depth == 0 {
			return nil, nil, errUnsupported
		}
		d := depth - 1
		switch n.Name {
		case "":
			return func(f *Frame) Val { return f.scope[d] }, scopes[d], nil
		case "index":
			return func(f *Frame) Val { return Val{k: Int, n: f.index[d]} }, nil, nil
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
		return func(f *Frame) Val {
			v := inner(f)
			if v.short || v.IsNil() {
				return Val{}
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
		return func(f *Frame) Val {
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
		return func(f *Frame) Val {
			f.vars[slot] = value(f)
			return body(f)
		}, bshape, nil
	case *ast.SequenceNode:
		var fns []Fn
		var shape *Type
		for _, m := range n.Nodes {
			fn, s, err := fc.compile(m, depth, scopes)
			if err != nil {
				return nil, nil, err
			}
			fns = append(fns, fn)
			shape = s
		}
		return func(f *Frame) Val {
			var v Val
			for _, fn := range fns {
				v = fn(f)
			}
			return v
		}, shape, nil
	}
	return nil, nil, errUnsupported
}

func intLiteral(n *ast.IntegerNode) (Val, bool) {
	t := n.Type()
	if t == nil {
		return Val{k: Int, n: n.Value}, true
	}
	switch t.Kind() {
	case reflect.Int, reflect.Interface:
		return Val{k: Int, n: n.Value}, true
	case reflect.Float64:
		return floatVal(float64(n.Value)), true
	}
	return Val{}, false
}

func (fc *Compiler) identifier(n *ast.IdentifierNode) (Fn, *Type, error) {
	for i := len(fc.lets) - 1; i >= 0; i-- {
		if lv := fc.lets[i]; lv.name == n.Value {
			slot := lv.slot
			return func(f *Frame) Val { return f.vars[slot] }, lv.shape, nil
		}
	}
	switch n.Value {
	case lib.AsOf:
		return func(f *Frame) Val { f.readAsOf(); return Val{k: Time, p: unsafe.Pointer(&f.asOf)} }, nil, nil
	case lib.Param:
		pt := fc.params
		return func(f *Frame) Val { return Val{k: Struct, p: f.params, t: pt, ptr: true} }, pt, nil
	}
	if i, ok := fc.app[n.Value]; ok {
		fi := fc.model.fields[i]
		off, t := fi.off, fi.t
		if t.kind == tUnsupported {
			return nil, nil, errUnsupported
		}
		return appLoad(off, t), t, nil
	}
	if pos, ok := fc.facts[n.Value]; ok {
		return func(f *Frame) Val { return f.facts[pos] }, nil, nil
	}
	return nil, nil, errUnsupported
}

// appLoad reads the applicant field of type t at offset off. A list (any()
// over qualifications) and a text (kind) are read without load's switch:
// load is not inlined, and these are read by most requirements.
func appLoad(off uintptr, t *Type) Fn {
	switch t.kind {
	case tSlice:
		return func(f *Frame) Val {
			data, n := sliceAt(unsafe.Add(f.app, off))
			return Val{k: Slice, p: data, n: n, t: t}
		}
	case tString:
		return func(f *Frame) Val { return strVal(*(*string)(unsafe.Add(f.app, off))) }
	}
	return func(f *Frame) Val { return load(unsafe.Add(f.app, off), t) }
}

func (fc *Compiler) member(n *ast.MemberNode, depth int, scopes []*Type) (Fn, *Type, error) {
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
		return func(f *Frame) Val {
			b := base(f)
			if b.short {
				return b
			}
			if optional && b.IsNil() {
				return Val{k: Nil, short: true}
			}
			return indexed(deref(b), deref(index(f)))
		}, ElemShape(bshape), nil
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
		return func(f *Frame) Val { return member(base(f), name, optional) }, nil, nil
	}
	ft, off := st.fields[idx].t, st.fields[idx].off
	if ft.kind == tUnsupported {
		return nil, nil, errUnsupported
	}
	// The two commonest bases read their struct in place: a predicate's
	// element (.hours) and the parameters (param.min_hours).
	if pn, ok := n.Node.(*ast.PointerNode); ok && pn.Name == "" && depth > 0 {
		d := depth - 1
		return func(f *Frame) Val {
			if s := &f.scope[d]; s.k == Struct && s.t == st {
				return load(unsafe.Add(s.p, off), ft)
			}
			return member(f.scope[d], name, optional)
		}, ft, nil
	}
	if id, ok := n.Node.(*ast.IdentifierNode); ok && id.Value == lib.Param && st == fc.params && !fc.isLet(lib.Param) {
		return func(f *Frame) Val { return load(unsafe.Add(f.params, off), ft) }, ft, nil
	}
	// A section of the applicant (insurance.expires, practice.hours) is
	// read in place, through its pointer if it has one, as base and field
	// would read it.
	if id, ok := n.Node.(*ast.IdentifierNode); ok {
		if sec, ok := fc.appField(id); ok {
			at, t := sec.off, sec.t
			switch {
			case t == st:
				return func(f *Frame) Val { return load(unsafe.Add(f.app, at+off), ft) }, ft, nil
			case t.kind == tPtr && t.elem == st:
				return func(f *Frame) Val {
					if q := *(*unsafe.Pointer)(unsafe.Add(f.app, at)); q != nil {
						return load(unsafe.Add(q, off), ft)
					}
					return member(Val{k: Nil, ptr: true}, name, optional)
				}, ft, nil
			}
		}
	}
	return func(f *Frame) Val {
		b := base(f)
		if b.k == Struct && b.t == st {
			return b.field(idx)
		}
		return member(b, name, optional)
	}, ft, nil
}

// member is a field of b found at run time (runtime.Fetch), or the end of
// an optional chain.
func member(b Val, name string, optional bool) Val {
	if b.short {
		return b
	}
	if optional && b.IsNil() {
		return Val{k: Nil, short: true}
	}
	return b.fetch(name)
}

func (fc *Compiler) isLet(name string) bool {
	for _, lv := range fc.lets {
		if lv.name == name {
			return true
		}
	}
	return false
}

// indexed is runtime.Fetch of a list element.
func indexed(list, index Val) Val {
	var i int
	switch index.k {
	case Int:
		i = index.n
	case Float:
		i = int(index.Float())
	default:
		fallback("a list index that is not a number")
	}
	if list.k != Slice && list.k != List {
		fallback("index into a non-list")
	}
	if i < 0 {
		i += list.n
	}
	if i < 0 || i >= list.n {
		fallback("index out of range")
	}
	return list.At(i)
}

func (fc *Compiler) unary(n *ast.UnaryNode, depth int, scopes []*Type) (Fn, *Type, error) {
	x, _, err := fc.compile(n.Node, depth, scopes)
	if err != nil {
		return nil, nil, err
	}
	switch n.Operator {
	case "!", "not":
		return func(f *Frame) Val { return boolVal(!needBool(deref(x(f)))) }, nil, nil
	case "+":
		return func(f *Frame) Val { return deref(x(f)) }, nil, nil
	case "-":
		return func(f *Frame) Val {
			v := deref(x(f))
			switch v.k {
			case Int:
				return Val{k: Int, n: -v.n}
			case Float:
				return floatVal(-v.Float())
			}
			fallback("negate a non-number")
			return Val{}
		}, nil, nil
	}
	return nil, nil, errUnsupported
}

func (fc *Compiler) binary(n *ast.BinaryNode, depth int, scopes []*Type) (Fn, *Type, error) {
	switch n.Operator {
	case "==", "!=", "<", "<=", ">", ">=", "in":
		if b, err, ok := fc.boolBinary(n, depth, scopes); ok {
			if err != nil {
				return nil, nil, err
			}
			return func(f *Frame) Val { return boolVal(b(f)) }, nil, nil
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
		return func(f *Frame) Val {
			a := deref(l(f))
			if !needBool(a) {
				return a
			}
			return deref(r(f))
		}, nil, nil
	case "||", "or":
		return func(f *Frame) Val {
			a := deref(l(f))
			if needBool(a) {
				return a
			}
			return deref(r(f))
		}, nil, nil
	case "==":
		return func(f *Frame) Val { return boolVal(equal(deref(l(f)), deref(r(f)))) }, nil, nil
	case "!=":
		return func(f *Frame) Val { return boolVal(!equal(deref(l(f)), deref(r(f)))) }, nil, nil
	case "<", "<=", ">", ">=":
		o := OpOf(op)
		return func(f *Frame) Val {
			res, ok := order(o, deref(l(f)), deref(r(f)))
			if !ok {
				fallback("invalid comparison")
			}
			return boolVal(res)
		}, nil, nil
	case "+", "-", "*", "/", "%":
		o := op[0]
		return func(f *Frame) Val { return arith(o, deref(l(f)), deref(r(f))) }, nil, nil
	case "in":
		return func(f *Frame) Val {
			a, list := deref(l(f)), deref(r(f))
			if list.k == Slice || list.k == List {
				f.steps(list.n) // in walks the list
			}
			return boolVal(in(a, list))
		}, nil, nil
	case "??":
		shape := lshape
		if !emptyOrNil(n.Right) && rshape != lshape {
			shape = nil
		}
		return func(f *Frame) Val {
			a := deref(l(f))
			if !a.IsNil() {
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

func (fc *Compiler) array(n *ast.ArrayNode, depth int, scopes []*Type) (Fn, *Type, error) {
	var fns []Fn
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
		vals := make([]Val, size)
		for i, fn := range fns {
			vals[i] = fn(nil)
		}
		// A constant list is made a value once, for explanations that show it.
		info := &Type{strs: []string{}}
		if fc.constantList != nil {
			items := make([]any, size)
			for i, v := range vals {
				items[i] = v.constant()
			}
			info.Constant = fc.constantList(items)
		}
		for _, v := range vals {
			if v.k != String {
				info.strs = nil
				break
			}
			info.strs = append(info.strs, v.Str())
		}
		list := Val{k: List, p: unsafe.Pointer(&emptyList[0]), t: info}
		if size > 0 {
			list.p, list.n = unsafe.Pointer(&vals[0]), size
		}
		return func(f *Frame) Val {
			f.Grow(size)
			return list
		}, nil, nil
	}
	const maxArray = 8
	if size > maxArray {
		return nil, nil, errUnsupported
	}
	return func(f *Frame) Val {
		var buf [maxArray]Val
		for i, fn := range fns {
			buf[i] = fn(f)
		}
		f.Grow(size)
		return f.newList(buf[:size])
	}, nil, nil
}
