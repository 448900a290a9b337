package fast

import (
	"reflect"
	"slices"
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
// Val. Anything else goes through the Val closures (compile.go), whose
// result is checked as the VM checks it. The semantics are the VM's; the
// differential tests in rules/fast_test.go and reference_test.go hold
// both to it.

type (
	BoolFn func(*Frame) bool
	strFn  func(*Frame) string
	dateFn func(*Frame) *time.Time // nil: no date
	strsFn func(*Frame) []string
)

// numFn is a number of static type int or float64: exactly one is set.
type numFn struct {
	i func(*Frame) int
	f func(*Frame) float64
	// count is set for a call of yearsSince or monthsSince, which a
	// comparison with a threshold tracks by the threshold (compareCount).
	count *countCall
}

// countCall is a call of a count (yearsSince, monthsSince).
type countCall struct {
	date, asOf dateFn
	site       *site
}

// compareCount compiles a comparison of a count c with a number k (the
// count on the left when left): with change tracking on, it notes the day
// the count reaches the next value at which the comparison may change,
// not each step it takes.
func compareCount(op string, c *countCall, k func(*Frame) float64, left bool) BoolFn {
	count := c.site.fn.DateCount
	return func(f *Frame) bool {
		t, set := dateSet(c.date(f))
		a := dateOr(c.asOf(f))
		v, x := count(t, set, a), k(f)
		if f.tracking {
			f.note(c.site.fn.CountNext(t, set, v, x), c.site, t, set)
		}
		if left {
			return floatOrder(op, v, x)
		}
		return floatOrder(op, x, v)
	}
}

// isAsOf reports whether node reads asOf, the evaluation date.
func (fc *Compiler) isAsOf(node ast.Node) bool {
	id, ok := node.(*ast.IdentifierNode)
	return ok && id.Value == lib.AsOf && !fc.isLet(lib.AsOf)
}

// asOfArg compiles the asOf argument the compiler gives a date function:
// read without a note of its own (the function's change kernel notes).
func (fc *Compiler) asOfArg(node ast.Node, depth int, scopes []*Type) (dateFn, error) {
	if fc.isAsOf(node) {
		return func(f *Frame) *time.Time { return &f.asOf }, nil
	}
	return fc.compileDate(node, depth, scopes)
}

// site is the note of change tracking for the call n of fn.
func (fc *Compiler) site(fn *lib.Function, n *ast.CallNode) *site {
	arg := ""
	if len(n.Arguments) > 0 {
		arg = n.Arguments[0].String()
	}
	return &site{fn: fn, arg: arg}
}

func (n numFn) ok() bool { return n.i != nil || n.f != nil }

func (n numFn) asFloat() func(*Frame) float64 {
	if n.f != nil {
		return n.f
	}
	i := n.i
	return func(f *Frame) float64 { return float64(i(f)) }
}

var (
	stringsRT = reflect.TypeFor[[]string]()
	datePtrRT = reflect.TypeFor[*time.Time]()
)

// compileBool compiles a condition: a node whose value expr requires to be
// true or false (a clause, a predicate, an operand of &&, || or !).
func (fc *Compiler) compileBool(node ast.Node, depth int, scopes []*Type) (BoolFn, error) {
	switch n := node.(type) {
	case *ast.BoolNode:
		b := n.Value
		return func(*Frame) bool { return b }, nil
	case *ast.UnaryNode:
		if n.Operator == "!" || n.Operator == "not" {
			x, err := fc.compileBool(n.Node, depth, scopes)
			if err != nil {
				return nil, err
			}
			return func(f *Frame) bool { return !x(f) }, nil
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
				return inPlace(p, func(f *Frame) bool { return needBool(gen(f)) }), nil
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
	return func(f *Frame) bool { return needBool(gen(f)) }, nil
}

func (fc *Compiler) boolBinary(n *ast.BinaryNode, depth int, scopes []*Type) (BoolFn, error, bool) {
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
			return func(f *Frame) bool { return l(f) && r(f) }, nil, true
		}
		return func(f *Frame) bool { return l(f) || r(f) }, nil, true
	case "in":
		ls, err := fc.compileStr(n.Left, depth, scopes)
		if err != nil || ls == nil {
			return nil, err, err != nil
		}
		rs, err := fc.compileStrs(n.Right, depth, scopes)
		if err != nil || rs == nil {
			return nil, err, err != nil
		}
		if off, ok := fc.paramAt(n.Right, depth, scopes, stringsRT); ok {
			// A parameter's list (.level in param.core_levels), read here.
			return func(f *Frame) bool {
				return f.in(ls(f), *(*[]string)(unsafe.Add(f.params, off)))
			}, nil, true
		}
		return func(f *Frame) bool {
			s := ls(f)
			return f.in(s, rs(f))
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
		if lit, ok := n.Right.(*ast.StringNode); ok && (op == "==" || op == "!=") {
			// A text against a literal (.field == "counselling").
			v := lit.Value
			return func(f *Frame) bool { return (ls(f) == v) != neg }, nil, true
		}
		if rs != nil {
			return ordered(op, ls, rs), nil, true
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
			return fc.compareNums(n, depth, scopes, ln, rn, numFn.asFloat), nil, true
		}
	}
	// A date against nil: runtime.Equal of the dereferenced date.
	if _, isNil := n.Right.(*ast.NilNode); isNil && (op == "==" || op == "!=") {
		ld, err := fc.compileDate(n.Left, depth, scopes)
		if err != nil {
			return nil, err, true
		}
		if ld != nil {
			return func(f *Frame) bool { return (ld(f) == nil) != neg }, nil, true
		}
	}
	// Anything against nil: runtime.Equal(x, nil) is whether x is nil,
	// whatever x is (equal never falls back for it). The unknown conditions
	// test sections so: (cpd ?? nil) == nil, where x ?? nil is nil when x
	// is.
	if op == "==" || op == "!=" {
		x := n.Left
		if _, isNil := x.(*ast.NilNode); isNil {
			x = n.Right
		} else if _, isNil := n.Right.(*ast.NilNode); !isNil {
			return nil, nil, false
		}
		if b, ok := x.(*ast.BinaryNode); ok && b.Operator == "??" {
			if _, isNil := b.Right.(*ast.NilNode); isNil {
				x = b.Left
			}
		}
		gen, _, err := fc.compile(x, depth, scopes)
		if err != nil {
			return nil, err, true
		}
		return func(f *Frame) bool { return gen(f).IsNil() != neg }, nil, true
	}
	return nil, nil, false
}

// ordered compiles a comparison of two texts or two numbers of one type,
// the operator chosen once: Go's operators agree with runtime.Less and its
// siblings (strings.Compare, cmp.Compare of ints; floats compare as in Go,
// NaN false every way), and both sides run, left first, as in the VM.
func ordered[T int | float64 | string](op string, l, r func(*Frame) T) BoolFn {
	switch op {
	case "==":
		return func(f *Frame) bool { return l(f) == r(f) }
	case "!=":
		return func(f *Frame) bool { return l(f) != r(f) }
	case "<":
		return func(f *Frame) bool { return l(f) < r(f) }
	case "<=":
		return func(f *Frame) bool { return l(f) <= r(f) }
	case ">":
		return func(f *Frame) bool { return l(f) > r(f) }
	}
	return func(f *Frame) bool { return l(f) >= r(f) }
}

// orderedParam is ordered of l and the number parameter at offset off of
// the parameters (.hours >= param.qualifying_course_hours), read in the
// closure itself.
func orderedParam(op string, l func(*Frame) float64, off uintptr) BoolFn {
	switch op {
	case "==":
		return func(f *Frame) bool { return l(f) == *(*float64)(unsafe.Add(f.params, off)) }
	case "!=":
		return func(f *Frame) bool { return l(f) != *(*float64)(unsafe.Add(f.params, off)) }
	case "<":
		return func(f *Frame) bool { return l(f) < *(*float64)(unsafe.Add(f.params, off)) }
	case "<=":
		return func(f *Frame) bool { return l(f) <= *(*float64)(unsafe.Add(f.params, off)) }
	case ">":
		return func(f *Frame) bool { return l(f) > *(*float64)(unsafe.Add(f.params, off)) }
	}
	return func(f *Frame) bool { return l(f) >= *(*float64)(unsafe.Add(f.params, off)) }
}

// paramAt is the offset in the parameters of the parameter node reads
// (param.x), when it reads one of type rt in place.
func (fc *Compiler) paramAt(node ast.Node, depth int, scopes []*Type, rt reflect.Type) (uintptr, bool) {
	if fc.typeOf(node, depth, scopes) != rt {
		return 0, false
	}
	a, ok := fc.fieldAddr(node, depth, scopes)
	return a.off, ok && a.base == baseParams
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
func (fc *Compiler) boolCall(n *ast.CallNode, depth int, scopes []*Type) (BoolFn, error, bool) {
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
		asOf, err := fc.asOfArg(n.Arguments[fn.Args], depth, scopes)
		if err != nil || asOf == nil {
			return nil, err, err != nil
		}
		s := fc.site(fn, n)
		if test := fn.DateTest; test != nil {
			change := fn.TestChange
			return func(f *Frame) bool {
				t, set := dateSet(date(f))
				a := dateOr(asOf(f))
				if f.tracking {
					f.note(change(t, set, a), s, t, set)
				}
				return test(t, set, a)
			}, nil, true
		}
		months, err := fc.compileNum(n.Arguments[1], depth, scopes)
		if err != nil || !months.ok() {
			return nil, err, err != nil
		}
		m, within, change := months.asFloat(), fn.DateWithin, fn.WithinChange
		return func(f *Frame) bool {
			t, set := dateSet(date(f))
			mm := m(f)
			a := dateOr(asOf(f))
			if f.tracking {
				f.note(change(t, set, mm, a), s, t, set)
			}
			return within(t, set, mm, a)
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
		key := catKey(m)
		return func(f *Frame) bool { return f.lookup(m, key, name(f)) != "" }, nil, true
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
func (fc *Compiler) boolBuiltin(n *ast.BuiltinNode, depth int, scopes []*Type) (BoolFn, error, bool) {
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
	inner := append(append([]*Type(nil), scopes...), elem)
	p, err := fc.compileBool(pred.Node, depth+1, inner)
	if err != nil {
		return nil, err, true
	}
	d, size := depth, elem.size
	stopOn, negate := n.Name == "any", n.Name == "none"
	return func(f *Frame) bool {
		data, count := list(f)
		for i := 0; i < count; i++ {
			f.Step()
			f.scope[d] = Val{k: Struct, p: unsafe.Add(data, uintptr(i)*size), t: elem}
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
func (fc *Compiler) typeOf(node ast.Node, depth int, scopes []*Type) reflect.Type {
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

// inPlace reads a T where a finds one in memory; where it finds none
// (a nil pointer on the way, say) the value comes from general. A field of
// the applicant, of one of its sections, of the parameters or of a
// predicate's element is read in one closure: these are most of the reads
// of every condition.
func inPlace[T any](a addr, general func(*Frame) T) func(*Frame) T {
	off := a.off
	switch a.base {
	case baseApp:
		return func(f *Frame) T { return *(*T)(unsafe.Add(f.app, off)) }
	case baseParams:
		return func(f *Frame) T { return *(*T)(unsafe.Add(f.params, off)) }
	case baseSection:
		at := a.at
		return func(f *Frame) T {
			if q := *(*unsafe.Pointer)(unsafe.Add(f.app, at)); q != nil {
				return *(*T)(unsafe.Add(q, off))
			}
			return general(f)
		}
	case baseScope:
		d, st := a.d, a.st
		return func(f *Frame) T {
			if s := &f.scope[d]; s.k == Struct && s.t == st {
				return *(*T)(unsafe.Add(s.p, off))
			}
			return general(f)
		}
	}
	fn := a.fn
	return func(f *Frame) T {
		if p := fn(f); p != nil {
			return *(*T)(p)
		}
		return general(f)
	}
}

// addr is a field's address, compiled (fieldAddr): fn returns it, or nil
// when the struct is not where the compiler expected it. base says when
// the struct is one the frame holds, or a section of the applicant, the
// field then at offset off of it.
type addr struct {
	fn   func(*Frame) unsafe.Pointer
	base addrBase
	d    int     // baseScope: the predicate's depth
	st   *Type   // baseScope: the shape of its element
	at   uintptr // baseSection: the offset of the section's pointer in the applicant
	off  uintptr
}

type addrBase uint8

const (
	baseOther   addrBase = iota
	baseApp              // the applicant (a section held by value included)
	baseParams           // the parameters
	baseSection          // a section of the applicant, through its pointer at at
	baseScope            // a predicate's element (#), when of shape st
)

// direct is a's address in one closure, as fn finds it.
func (a addr) direct() func(*Frame) unsafe.Pointer {
	off := a.off
	switch a.base {
	case baseApp:
		return func(f *Frame) unsafe.Pointer { return unsafe.Add(f.app, off) }
	case baseParams:
		return func(f *Frame) unsafe.Pointer { return unsafe.Add(f.params, off) }
	case baseSection:
		at := a.at
		return func(f *Frame) unsafe.Pointer {
			if q := *(*unsafe.Pointer)(unsafe.Add(f.app, at)); q != nil {
				return unsafe.Add(q, off)
			}
			return nil
		}
	case baseScope:
		d, st := a.d, a.st
		return func(f *Frame) unsafe.Pointer {
			if s := &f.scope[d]; s.k == Struct && s.t == st {
				return unsafe.Add(s.p, off)
			}
			return nil
		}
	}
	return a.fn
}

// fieldAddr compiles a field access (or an applicant field) to the field's
// address, which is nil when the struct is not where the compiler
// expected it (a nil section, another shape); callers then take the Val
// closure.
func (fc *Compiler) fieldAddr(node ast.Node, depth int, scopes []*Type) (addr, bool) {
	switch n := node.(type) {
	case *ast.IdentifierNode:
		if fc.isLet(n.Value) {
			return addr{}, false
		}
		i, ok := fc.app[n.Value]
		if !ok {
			return addr{}, false
		}
		off := fc.model.fields[i].off
		return addr{fn: func(f *Frame) unsafe.Pointer { return unsafe.Add(f.app, off) }, base: baseApp, off: off}, true
	case *ast.MemberNode:
		prop, ok := n.Property.(*ast.StringNode)
		if !ok || n.Method || n.Optional {
			return addr{}, false
		}
		st, base := fc.structAddr(n.Node, depth, scopes)
		if base == nil {
			return addr{}, false
		}
		i, ok := st.static[prop.Value]
		if t := n.Node.Type(); t == nil || t.Kind() == reflect.Interface {
			i, ok = st.dynamic[prop.Value]
		}
		if !ok || i < 0 || st.embedded {
			return addr{}, false
		}
		off := st.fields[i].off
		a := addr{fn: func(f *Frame) unsafe.Pointer {
			if p := base(f); p != nil {
				return unsafe.Add(p, off)
			}
			return nil
		}, off: off}
		// The bases structAddr reads from the frame itself, and the
		// applicant's sections.
		switch b := n.Node.(type) {
		case *ast.PointerNode:
			a.base, a.d, a.st = baseScope, depth-1, st
		case *ast.IdentifierNode:
			if b.Value == lib.Param && !fc.isLet(lib.Param) {
				a.base = baseParams
			} else if sec, ok := fc.appField(b); ok {
				switch {
				case sec.t == st:
					a.base, a.off = baseApp, sec.off+off
				case sec.t.kind == tPtr && sec.t.elem == st:
					a.base, a.at = baseSection, sec.off
				}
			}
		}
		return a, true
	}
	return addr{}, false
}

// appField is the applicant field id reads, when it reads one (not a let
// variable, asOf or param).
func (fc *Compiler) appField(id *ast.IdentifierNode) (fieldInfo, bool) {
	if fc.isLet(id.Value) || id.Value == lib.AsOf || id.Value == lib.Param {
		return fieldInfo{}, false
	}
	i, ok := fc.app[id.Value]
	if !ok {
		return fieldInfo{}, false
	}
	return fc.model.fields[i], true
}

// structAddr compiles a node whose value is a struct (or a pointer to one)
// to a closure returning the struct's address, nil when it is nil or not
// of the shape returned.
func (fc *Compiler) structAddr(node ast.Node, depth int, scopes []*Type) (*Type, func(*Frame) unsafe.Pointer) {
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
		return st, func(f *Frame) unsafe.Pointer {
			if s := &f.scope[d]; s.k == Struct && s.t == st {
				return s.p
			}
			return nil
		}
	case *ast.IdentifierNode:
		if n.Value == lib.Param && !fc.isLet(lib.Param) {
			return fc.params, func(f *Frame) unsafe.Pointer { return f.params }
		}
	}
	a, ok := fc.fieldAddr(node, depth, scopes)
	if !ok {
		return nil, nil
	}
	addr := a.fn
	t := node.Type()
	if t == nil {
		return nil, nil
	}
	switch {
	case t.Kind() == reflect.Struct && t != timeRT:
		return fc.types.of(t), addr
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && t.Elem() != timeRT:
		return fc.types.of(t.Elem()), func(f *Frame) unsafe.Pointer {
			if p := addr(f); p != nil {
				return *(*unsafe.Pointer)(p)
			}
			return nil
		}
	}
	return nil, nil
}

// in reports whether s is in list, counting the steps of walking it.
func (f *Frame) in(s string, list []string) bool {
	f.steps(len(list))
	return slices.Contains(list, s)
}

// CompileCompare compiles the comparison n (==, !=, <, <=, >, >=, in) as
// the status of a clause needs it (rules.Run.Status): the typed closure
// compileBool gives it, where both sides are texts, a text and a list of
// texts, or numbers read as such, and where a number that is not finite
// falls back, as showing it in the clause's explanation would. It returns
// nil for any other comparison, which the caller decides from its sides.
//
// A number parameter on the right (param.x, of type float64) is read in
// place and not checked: the caller checks such a constant side once per
// parameter period.
func (fc *Compiler) CompileCompare(n *ast.BinaryNode) (BoolFn, error) {
	op := n.Operator
	switch op {
	case "in":
		ls, err := fc.compileStr(n.Left, 0, nil)
		if err != nil || ls == nil {
			return nil, err
		}
		if rs, err := fc.compileStrs(n.Right, 0, nil); err != nil || rs == nil {
			return nil, err
		}
		fn, err, _ := fc.boolBinary(n, 0, nil)
		return fn, err
	case "==", "!=", "<", "<=", ">", ">=":
	default:
		return nil, nil
	}
	if ls, err := fc.compileStr(n.Left, 0, nil); err != nil || ls != nil {
		if err != nil {
			return nil, err
		}
		if _, lit := n.Right.(*ast.StringNode); !lit {
			if rs, err := fc.compileStr(n.Right, 0, nil); err != nil || rs == nil {
				return nil, err
			}
		}
		fn, err, _ := fc.boolBinary(n, 0, nil)
		return fn, err
	}
	ln, err := fc.compileNum(n.Left, 0, nil)
	if err != nil || !ln.ok() {
		return nil, err
	}
	rn, err := fc.compileNum(n.Right, 0, nil)
	if err != nil || !rn.ok() {
		return nil, err
	}
	return fc.compareNums(n, 0, nil, ln, rn, numFn.finiteFloat), nil
}

// compareNums compiles the comparison n of two numbers, ln and rn: two
// ints compare as ints, else as floats (runtime.Less), each side read as
// a float by float (asFloat, or finiteFloat to fall back on a number that
// is not finite); a count (yearsSince...) against a threshold is tracked
// by the threshold (compareCount), and a number parameter on the right is
// read in place, unchecked (orderedParam).
func (fc *Compiler) compareNums(n *ast.BinaryNode, depth int, scopes []*Type, ln, rn numFn, float func(numFn) func(*Frame) float64) BoolFn {
	op := n.Operator
	switch {
	case ln.count != nil && rn.count == nil:
		return compareCount(op, ln.count, float(rn), true)
	case rn.count != nil && ln.count == nil:
		return compareCount(op, rn.count, float(ln), false)
	case ln.i != nil && rn.i != nil:
		return ordered(op, ln.i, rn.i)
	}
	if off, ok := fc.paramAt(n.Right, depth, scopes, floatRT); ok {
		return orderedParam(op, float(ln), off)
	}
	return ordered(op, float(ln), float(rn))
}

// finiteFloat is asFloat, falling back on a number that is not finite.
func (n numFn) finiteFloat() func(*Frame) float64 {
	x := n.asFloat()
	return func(f *Frame) float64 {
		v := x(f)
		if v-v != 0 { // ±Inf and NaN
			fallback("a number that is not finite")
		}
		return v
	}
}
