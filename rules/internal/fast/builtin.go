package fast

import (
	"reflect"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/expr-lang/expr/ast"
)

// The builtins (any, all, filter, map, count, sum, len, uniq) and the
// library functions (lib), compiled to Vals. Their typed forms are in
// typed.go.

func (fc *Compiler) builtin(n *ast.BuiltinNode, depth int, scopes []*Type) (Fn, *Type, error) {
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
			return func(f *Frame) Val { return length(deref(x(f))) }, nil, nil
		}
		d := depth
		return func(f *Frame) Val {
			list := deref(x(f))
			if list.k != Slice && list.k != List {
				fallback("uniq of a non-list")
			}
			f.steps(list.n)
			buf := f.tmp[d][:0]
		next:
			for i := 0; i < list.n; i++ {
				e := list.At(i)
				for _, u := range buf {
					if equal(e, u) {
						continue next
					}
				}
				buf = append(buf, e)
			}
			f.tmp[d] = buf
			f.Grow(len(buf))
			return f.newList(buf)
		}, fc.listShape(ElemShape(shape)), nil
	case "any", "all", "none", "one", "filter", "map", "count", "sum":
	default:
		return nil, nil, errUnsupported
	}
	if b, err, ok := fc.boolBuiltin(n, depth, scopes); ok {
		if err != nil {
			return nil, nil, err
		}
		return func(f *Frame) Val { return boolVal(b(f)) }, nil, nil
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
	elem := ElemShape(lshape)
	var pred Fn
	var cond BoolFn // the predicate as a condition, for the builtins that test it
	if len(n.Arguments) == 2 {
		p, ok := n.Arguments[1].(*ast.PredicateNode)
		if !ok {
			return nil, nil, errUnsupported
		}
		inner := append(append([]*Type(nil), scopes...), elem)
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
		return func(f *Frame) Val {
			l := deref(list(f))
			size := l.IterLen()
			for i := 0; i < size; i++ {
				f.Step()
				f.scope[d], f.index[d] = l.At(i), i
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
		return func(f *Frame) Val {
			l := deref(list(f))
			size, count := l.IterLen(), 0
			for i := 0; i < size; i++ {
				f.Step()
				f.scope[d], f.index[d] = l.At(i), i
				if cond(f) {
					count++
				}
			}
			return boolVal(count == 1)
		}, nil, nil
	case "count":
		return func(f *Frame) Val {
			l := deref(list(f))
			size, count := l.IterLen(), 0
			if cond == nil {
				f.steps(size) // the VM walks the list
			}
			for i := 0; i < size; i++ {
				e := l.At(i)
				f.scope[d], f.index[d] = e, i
				if cond != nil {
					f.Step()
					if cond(f) {
						count++
					}
				} else if needBool(e) {
					count++
				}
			}
			return Val{k: Int, n: count}
		}, nil, nil
	case "sum":
		return func(f *Frame) Val {
			l := deref(list(f))
			size := l.IterLen()
			acc := Val{k: Int}
			if pred == nil {
				f.steps(size) // the VM walks the list
			}
			for i := 0; i < size; i++ {
				e := l.At(i)
				f.scope[d], f.index[d] = e, i
				if pred != nil {
					f.Step()
					e = pred(f)
				}
				if e.ptr {
					fallback("sum of pointers")
				}
				acc = arith('+', e, acc)
			}
			return acc
		}, nil, nil
	case "filter", "map":
		keep := n.Name == "filter"
		var shape *Type
		if keep {
			shape = fc.listShape(elem)
		}
		return func(f *Frame) Val {
			l := deref(list(f))
			size := l.IterLen()
			buf := f.tmp[d][:0]
			for i := 0; i < size; i++ {
				f.Step()
				e := l.At(i)
				f.scope[d], f.index[d] = e, i
				if !keep {
					buf = append(buf, pred(f))
				} else if cond(f) {
					buf = append(buf, e)
				}
			}
			f.tmp[d] = buf
			f.Grow(len(buf))
			return f.newList(buf)
		}, shape, nil
	}
	return nil, nil, errUnsupported
}

// call compiles a call of a library function.
func (fc *Compiler) call(n *ast.CallNode, depth int, scopes []*Type) (Fn, *Type, error) {
	if b, err, ok := fc.boolCall(n, depth, scopes); ok {
		if err != nil {
			return nil, nil, err
		}
		return func(f *Frame) Val { return boolVal(b(f)) }, nil, nil
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
	args := make([]Fn, len(n.Arguments))
	libFn := lib.ByName(id.Value)
	for i, a := range n.Arguments {
		if libFn != nil && libFn.AsOf && i == len(n.Arguments)-1 && fc.isAsOf(a) {
			// The date function's own change kernel notes, not asOf.
			args[i] = func(f *Frame) Val { return Val{k: Time, p: unsafe.Pointer(&f.asOf)} }
			continue
		}
		fn, _, err := fc.compile(a, depth, scopes)
		if err != nil {
			return nil, nil, err
		}
		// expr dereferences a pointer argument for a parameter that is not
		// a pointer (compiler.derefParam).
		if at := a.Type(); at != nil && at.Kind() == reflect.Pointer && ft.In(i).Kind() != reflect.Pointer {
			inner := fn
			fn = func(f *Frame) Val { return deref(inner(f)) }
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
	return fc.dateCall(fn, args, fc.site(fn, n)), nil, nil
}

// lookupCall compiles a catalogue lookup.
func (fc *Compiler) lookupCall(l *lib.Lookup, args []Fn) (Fn, *Type, error) {
	wantID := l.ID
	result := func(id string) Val {
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
		a, key := args[0], catKey(m)
		return func(f *Frame) Val { return result(f.lookup(m, key, text(a(f)))) }, nil, nil
	}
	cat, a := args[0], args[1]
	idx := fc.cat
	return func(f *Frame) Val {
		m, ok := idx[text(cat(f))]
		if !ok {
			fallback("no such catalogue")
		}
		return result(f.lookup(m, catKey(m), text(a(f))))
	}, nil, nil
}

// text is a string argument of a library function.
func text(v Val) string {
	if v.k != String || v.ptr {
		fallback("a library function given something other than text")
	}
	return v.Str()
}

// dateOf is dateArg: a date argument and whether it is set.
func dateOf(v Val) (time.Time, bool) {
	switch v.k {
	case Time:
		return v.Time(), true
	case Nil:
		return time.Time{}, false
	}
	fallback("a date function given something other than a date")
	return time.Time{}, false
}

func number(v Val) float64 {
	switch {
	case v.ptr:
	case v.k == Float:
		return v.Float()
	case v.k == Int:
		return float64(v.n)
	}
	fallback("a date function given something other than a number")
	return 0
}

// dateCall compiles a call of a date function, fn's kernel over the
// arguments' values.
func (fc *Compiler) dateCall(fn *lib.Function, args []Fn, s *site) Fn {
	date, asOfArg := args[0], args[len(args)-1]
	asOf := func(f *Frame) time.Time {
		v := asOfArg(f)
		if v.k != Time || v.ptr {
			return time.Time{}
		}
		return v.Time()
	}
	switch {
	case fn.DateTest != nil:
		test, change := fn.DateTest, fn.TestChange
		return func(f *Frame) Val {
			t, set := dateOf(date(f))
			a := asOf(f)
			if f.tracking {
				f.note(change(t, set, a), s, t, set)
			}
			return boolVal(test(t, set, a))
		}
	case fn.DateWithin != nil:
		within, change, months := fn.DateWithin, fn.WithinChange, args[1]
		return func(f *Frame) Val {
			t, set := dateOf(date(f))
			m := number(months(f))
			a := asOf(f)
			if f.tracking {
				f.note(change(t, set, m, a), s, t, set)
			}
			return boolVal(within(t, set, m, a))
		}
	case fn.DateSpan != nil:
		span, change, to := fn.DateSpan, fn.SpanChange, args[1]
		return func(f *Frame) Val {
			t, set := dateOf(date(f))
			end, endSet := dateOf(to(f))
			a := asOf(f)
			if f.tracking {
				f.note(change(t, set, end, endSet, a), s, t, set)
			}
			return floatVal(span(t, set, end, endSet, a))
		}
	case fn.DateCount != nil:
		count := fn.DateCount
		return func(f *Frame) Val {
			t, set := dateOf(date(f))
			a := asOf(f)
			if f.tracking {
				f.note(s.fn.CountChange(t, set, a), s, t, set)
			}
			return floatVal(count(t, set, a))
		}
	}
	return func(*Frame) Val {
		fallback("unknown function " + fn.Name)
		return Val{}
	}
}
