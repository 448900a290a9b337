package compile

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/check"
	"github.com/eligo-dev/eligo/rules/internal/fast"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm/runtime"
)

// This file is the VM's side of the step budget (package rules documents
// the budgets; fast.Meter counts them for both evaluators).
//
// A step is one evaluation of a predicate (one entry of any, all, filter,
// map, sum, reduce, ...) or one list element walked by an operation without
// a predicate (in, uniq, count and sum of a list, join, sort, ...). expr's
// VM has no hook for either, so the tree of every program is patched, just
// before it compiles to bytecode, with calls of functions that no rule can
// name (their names are not identifiers) and that reach the run's meter
// through the environment; the fast evaluator counts at the same places.

// MeterType is the type of the environment field through which the
// patched programs reach the run's meter: check.Options.Hidden.
var MeterType = reflect.TypeFor[*fast.Meter]()

// Names of the metering functions in the expression environment: not
// identifiers, so no rule can call them.
const (
	fnStep    = "eligo step"    // (env, value): one step, then value
	fnWalk    = "eligo walk"    // (env, list): a step per element, then list
	fnResult  = "eligo result"  // (env, value): text counted, numbers checked
	fnRepeat  = "eligo repeat"  // (env, text, n): repeat, within the budget
	fnReplace = "eligo replace" // (env, text, old, new[, n]): replace, within the budget
	fnArith   = "eligo arith"   // (env, op, a, b): a op b, integers checked for overflow
	fnDeep    = "eligo deep"    // (env, value): a step per element at any depth, then value
	fnShown   = "eligo shown"   // (env, value): fnDeep's, for string and toJSON: no struct in value
)

// ErrShowsStruct is the error of string() or toJSON() of a value holding
// a section or a list entry (a struct): their text would show the fields
// rules do not see, personal data among them. The checker refuses such an
// argument when its type says so; this is for one whose type does not
// (an element of a list or map literal).
// It wraps file.ErrForbidden.
var ErrShowsStruct = fmt.Errorf("%w: string() and toJSON() cannot show a section or a list entry, which holds fields rules do not see; use its fields", file.ErrForbidden)

var (
	meterFuncType = reflect.TypeOf(func(...any) (any, error) { return nil, nil })
	anyRT         = reflect.TypeFor[any]()
)

// MeterFunctions returns check.Options.Functions for the patched programs:
// the functions they call, reaching the run's meter at offset off of the
// environment (the MeterType field). A number computed that is not finite
// fails with nonFinite.
func MeterFunctions(nonFinite error) func(off uintptr) []expr.Option {
	return func(off uintptr) []expr.Option { return meterFunctions(off, nonFinite) }
}

// meterFunctions are the functions the patched programs call, reaching
// the run's meter at offset off of the environment (the field
// check.Options.Hidden adds).
func meterFunctions(off uintptr, nonFinite error) []expr.Option {
	at := func(env any) *fast.Meter {
		if m := fast.MeterAt(env, off); m != nil {
			return m
		}
		return fast.Unbounded() // not reached: every run binds one
	}
	return []expr.Option{
		expr.Function(fnStep, func(args ...any) (any, error) {
			if err := at(args[0]).Step(); err != nil {
				return nil, err
			}
			return args[1], nil
		}),
		expr.Function(fnWalk, func(args ...any) (any, error) {
			if n := walkLen(args[1]); n > 0 {
				if err := at(args[0]).Charge(n); err != nil {
					return nil, err
				}
			}
			return args[1], nil
		}),
		expr.Function(fnResult, func(args ...any) (any, error) {
			switch x := args[1].(type) {
			case string:
				return x, at(args[0]).Grow(len(x))
			case float64:
				if math.IsInf(x, 0) || math.IsNaN(x) {
					return nil, nonFinite
				}
			case float32:
				if math.IsInf(float64(x), 0) || math.IsNaN(float64(x)) {
					return nil, nonFinite
				}
			case []string:
				return x, at(args[0]).Grow(len(x))
			case []any:
				return x, at(args[0]).Grow(len(x))
			}
			return args[1], nil
		}),
		expr.Function(fnArith, func(args ...any) (any, error) {
			op, a, b := args[1].(string), Deref(args[2]), Deref(args[3])
			var r any
			switch op {
			case "+":
				r = runtime.Add(a, b)
			case "-":
				r = runtime.Subtract(a, b)
			default:
				r = runtime.Multiply(a, b)
			}
			if isInt(a) && isInt(b) {
				// Exact in int, and the result's own type holds it: Go's
				// arithmetic wraps silently where it is not.
				exact, ok := fast.IntArith(op[0], runtime.ToInt(a), runtime.ToInt(b))
				if !ok || !fitsInt(a) || !fitsInt(b) || !isInt(r) || !fitsInt(r) || runtime.ToInt(r) != exact {
					return nil, nonFinite
				}
			}
			return r, nil
		}),
		expr.Function(fnDeep, func(args ...any) (any, error) {
			return args[1], chargeDeep(at(args[0]), args[1], nil)
		}),
		expr.Function(fnShown, func(args ...any) (any, error) {
			structs := false
			if err := chargeDeep(at(args[0]), args[1], &structs); err != nil {
				return nil, err
			}
			if structs {
				return nil, ErrShowsStruct
			}
			return args[1], nil
		}),
		expr.Function(fnRepeat, func(args ...any) (any, error) {
			s, ok := Deref(args[1]).(string)
			if !ok {
				return nil, fmt.Errorf("repeat of %T", args[1])
			}
			n := runtime.ToInt(Deref(args[2]))
			if n < 0 {
				return nil, fmt.Errorf("invalid argument for repeat (expected positive integer, got %d)", n)
			}
			m := at(args[0])
			if len(s) > 0 && n > int(m.Memory())/len(s) {
				return nil, fast.ErrText
			}
			return strings.Repeat(s, n), m.Grow(len(s) * n)
		}),
		expr.Function(fnReplace, func(args ...any) (any, error) {
			var strs [3]string
			for i := range strs {
				s, ok := Deref(args[i+1]).(string)
				if !ok {
					return nil, fmt.Errorf("replace of %T", args[i+1])
				}
				strs[i] = s
			}
			s, old, repl := strs[0], strs[1], strs[2]
			n := -1
			if len(args) == 5 {
				n = runtime.ToInt(Deref(args[4]))
			}
			count := strings.Count(s, old)
			if n >= 0 && n < count {
				count = n
			}
			m := at(args[0])
			if size := len(s) + count*(len(repl)-len(old)); count > 0 && len(repl) > len(old) &&
				(count > int(m.Memory())/(len(repl)-len(old)) || size > int(m.Memory())) {
				return nil, fast.ErrText
			}
			out := strings.Replace(s, old, repl, n)
			return out, m.Grow(len(out))
		}),
	}
}

// walkLen is how many steps walking v costs: its length if it is a list,
// else nothing.
func walkLen(v any) int {
	switch x := v.(type) {
	case nil:
		return 0
	case []any:
		return len(x)
	case []string:
		return len(x)
	case []int:
		return len(x)
	case []float64:
		return len(x)
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return rv.Len()
	}
	return 0
}

// chargeDeep charges m for v's elements at any depth (deepLen), failing
// when they are more than its memory budget; with structs, it sets
// *structs when v holds a struct other than a time.
func chargeDeep(m *fast.Meter, v any, structs *bool) error {
	limit := int(min(m.Memory(), uint(math.MaxInt/2)))
	n := deepLen(v, limit, structs)
	if n > limit {
		return fast.ErrText // what it makes would be larger still
	}
	if n > 0 {
		return m.Charge(n)
	}
	return nil
}

// deepLen is how many elements v holds at any depth, lists in lists and
// the entries of maps, counted until the count passes limit: a list that
// holds the same list twice, level after level, holds exponentially many,
// which flatten, toJSON and string would make before anything counted
// them. With structs, it sets *structs when it meets a struct other than
// a time, or a list or map of them.
func deepLen(v any, limit int, structs *bool) int {
	n := 0
	var walk func(v any)
	walk = func(v any) {
		if n > limit {
			return
		}
		switch x := v.(type) {
		case nil, string, bool, int, float64:
			return
		case []any:
			n += len(x)
			for _, e := range x {
				if walk(e); n > limit {
					return
				}
			}
			return
		}
		rv := reflect.ValueOf(v)
		for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
			if rv.IsNil() {
				return
			}
			rv = rv.Elem()
		}
		if structs != nil && check.HoldsStruct(rv.Type()) {
			*structs = true
		}
		switch rv.Kind() {
		case reflect.Slice, reflect.Array:
			n += rv.Len()
			if k := rv.Type().Elem().Kind(); k == reflect.Interface || k == reflect.Slice || k == reflect.Array || k == reflect.Map || k == reflect.Pointer {
				for i := 0; i < rv.Len() && n <= limit; i++ {
					walk(rv.Index(i).Interface())
				}
			}
		case reflect.Map:
			n += rv.Len()
			for it := rv.MapRange(); it.Next() && n <= limit; {
				walk(it.Value().Interface())
			}
		}
	}
	walk(v)
	return n
}

// deepBuiltins walk their argument at every depth: each argument costs
// its elements at any depth in steps (deepLen), and more than the memory
// budget fails.
var deepBuiltins = map[string]bool{"flatten": true, "toJSON": true, "string": true}

// Builtins that walk a list argument without a predicate: each of their
// arguments costs its length in steps.
var walkingBuiltins = map[string]bool{
	"uniq": true, "join": true, "sort": true, "reverse": true, "concat": true, "flatten": true,
	"mean": true, "median": true, "max": true, "min": true, "keys": true, "values": true,
	"toPairs": true, "fromPairs": true, "toJSON": true, "string": true, "take": true,
}

// Builtins whose result may be text or a list the VM does not count, or a
// number that may have stopped being finite.
var resultBuiltins = map[string]bool{
	"join": true, "upper": true, "lower": true, "trim": true, "trimPrefix": true, "trimSuffix": true,
	"string": true, "toJSON": true, "fromJSON": true, "toBase64": true, "fromBase64": true,
	"split": true, "splitAfter": true, "keys": true, "values": true, "toPairs": true,
	"sum": true, "mean": true, "median": true, "float": true, "max": true, "min": true, "abs": true,
}

// instrument patches the checked tree at *root for expr's VM: each
// predicate evaluation counts a step, each list an operation walks counts
// its length, texts built count against the memory budget, and numbers
// computed are checked to be finite. It returns a function undoing the
// patch: the tree is shared with the fast compiler and explanations.
func instrument(root *ast.Node) (undo func()) {
	type change struct {
		slot *ast.Node
		old  ast.Node
	}
	var changes []change
	seen := map[ast.Node]bool{}
	mine := map[ast.Node]bool{}
	// replace puts a call of fn at slot, in place of the node there, with
	// the environment and args: the slot's old node among them to wrap it.
	replace := func(fn string, slot *ast.Node, args ...ast.Node) {
		old := *slot
		callee := &ast.IdentifierNode{Value: fn}
		callee.SetType(meterFuncType)
		env := &ast.IdentifierNode{Value: "$env"}
		env.SetType(anyRT)
		call := &ast.CallNode{Callee: callee, Arguments: append([]ast.Node{env}, args...)}
		call.SetLocation(old.Location())
		call.SetNature(*old.Nature())
		mine[call], mine[callee], mine[env] = true, true, true
		changes = append(changes, change{slot, old})
		*slot = call
	}
	wrap := func(fn string, slot *ast.Node) { replace(fn, slot, *slot) }
	check.Walk(root, func(slot *ast.Node) {
		n := *slot
		if mine[n] || seen[n] {
			return
		}
		seen[n] = true
		switch x := n.(type) {
		case *ast.PredicateNode:
			wrap(fnStep, &x.Node)
		case *ast.BinaryNode:
			switch x.Operator {
			case "in", "not in":
				wrap(fnWalk, &x.Right)
			case "+", "-", "*":
				if mayBeInt(x) {
					op := &ast.StringNode{Value: x.Operator}
					op.SetType(reflect.TypeFor[string]())
					mine[op] = true
					replace(fnArith, slot, op, x.Left, x.Right)
					if mayBeTextOrFloat(x) {
						wrap(fnResult, slot)
					}
					return
				}
				if mayBeTextOrFloat(x) {
					wrap(fnResult, slot)
				}
			case "/", "%", "**", "^":
				if mayBeTextOrFloat(x) {
					wrap(fnResult, slot)
				}
			}
		case *ast.BuiltinNode:
			switch {
			case x.Name == "repeat" && (len(x.Arguments) == 2):
				replace(fnRepeat, slot, x.Arguments...)
				return
			case x.Name == "replace" && (len(x.Arguments) == 3 || len(x.Arguments) == 4):
				replace(fnReplace, slot, x.Arguments...)
				return
			}
			if (x.Name == "count" || x.Name == "sum") && len(x.Arguments) == 1 || walkingBuiltins[x.Name] {
				walk := fnWalk
				switch {
				case x.Name == "string" || x.Name == "toJSON":
					walk = fnShown
				case deepBuiltins[x.Name]:
					walk = fnDeep
				}
				for i := range x.Arguments {
					if _, pred := x.Arguments[i].(*ast.PredicateNode); !pred {
						wrap(walk, &x.Arguments[i])
					}
				}
			}
			if resultBuiltins[x.Name] && mayBeTextOrFloat(x) {
				wrap(fnResult, slot)
			}
		}
	})
	return func() {
		for i := len(changes) - 1; i >= 0; i-- {
			*changes[i].slot = changes[i].old
		}
	}
}

// mayBeInt reports whether node's value may be an integer: what fnArith
// checks.
func mayBeInt(n ast.Node) bool {
	t := n.Type()
	if t == nil {
		return true
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr, reflect.Interface:
		return true
	}
	return false
}

// isInt reports whether v is an integer of any Go integer type.
func isInt(v any) bool {
	switch v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, uintptr:
		return true
	}
	return false
}

// fitsInt reports whether the integer v is an int's value too: a uint64
// above math.MaxInt is not, and runtime.ToInt would wrap it.
func fitsInt(v any) bool {
	switch x := v.(type) {
	case uint:
		return x <= math.MaxInt
	case uint64:
		return x <= math.MaxInt
	case uintptr:
		return x <= math.MaxInt
	}
	return true
}

// mayBeTextOrFloat reports whether node's value may be a text, a list or a
// float: what fnResult checks.
func mayBeTextOrFloat(n ast.Node) bool {
	t := n.Type()
	if t == nil {
		return true
	}
	switch t.Kind() {
	case reflect.String, reflect.Float64, reflect.Float32, reflect.Interface, reflect.Slice:
		return true
	}
	return false
}

// countsSteps reports whether evaluating n counts steps.
func countsSteps(n ast.Node) bool {
	found := false
	check.Walk(&n, func(m *ast.Node) {
		switch x := (*m).(type) {
		case *ast.PredicateNode:
			found = true
		case *ast.BinaryNode:
			found = found || x.Operator == "in"
		case *ast.BuiltinNode:
			found = found || walkingBuiltins[x.Name] || x.Name == "count" || x.Name == "sum"
		}
	})
	return found
}

// Deref is v, or what it points at (nil for a nil pointer): a value as
// the VM gave it, as explanations and metering see it.
func Deref(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		return rv.Elem().Interface()
	}
	return v
}
