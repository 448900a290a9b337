package fast

import (
	"cmp"
	"math"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

// The operations on values. Each names the helper of expr's
// vm/runtime package (or the VM opcode) whose semantics it must have;
// where it cannot tell that it would agree, it falls back. The pairs are
// table-tested against expr in reference_test.go.

// equal is runtime.Equal (OpEqual): numbers of either kind compare by
// value, dates with time.Time.Equal, nil equals a nil list, and other
// pairs of different kinds are unequal (reflect.DeepEqual).
func equal(a, b Val) bool {
	switch a.k {
	case Int:
		switch b.k {
		case Int:
			return a.n == b.n
		case Float:
			return float64(a.n) == b.Float()
		}
	case Float:
		switch b.k {
		case Int:
			return a.Float() == float64(b.n)
		case Float:
			return a.Float() == b.Float()
		}
	case String:
		if b.k == String {
			return a.Str() == b.Str()
		}
	case Bool:
		if b.k == Bool {
			return a.b == b.b
		}
	case Time:
		if b.k == Time {
			return a.Time().Equal(b.Time())
		}
	}
	if a.IsNil() && b.IsNil() {
		return true
	}
	// reflect.DeepEqual of two values: nil and a value that is not nil, or
	// two scalars of different types, are never equal; lists and structs go
	// to the VM.
	if a.k == Nil || b.k == Nil || isScalar(a.k) && isScalar(b.k) {
		return false
	}
	fallback("compare lists or structs")
	return false
}

func isScalar(k Kind) bool {
	switch k {
	case Bool, Int, Float, String, Time:
		return true
	}
	return false
}

// in is runtime.In (OpIn) over a list, with equal for its elements.
func in(needle, list Val) bool {
	switch list.k {
	case Nil:
		return false
	case Slice, List:
		if needle.k == String {
			// Text in a list of texts: runtime.Equal is ==.
			var strs []string
			if list.k == Slice && list.t.elem.kind == tString {
				strs = unsafe.Slice((*string)(list.p), list.n)
			} else if list.k == List && list.t != nil && list.t.strs != nil {
				strs = list.t.strs
			}
			if strs != nil {
				s := needle.Str()
				for _, x := range strs {
					if x == s {
						return true
					}
				}
				return false
			}
		}
		for i := 0; i < list.n; i++ {
			if equal(list.At(i), needle) {
				return true
			}
		}
		return false
	}
	fallback("in over a non-list")
	return false
}

// Op is a comparison operator, resolved from its text once (OpOf), so
// that a run switches on a number rather than on the text.
type Op uint8

// The comparison operators; OpNone is any other text.
const (
	OpNone Op = iota
	OpEq      // ==
	OpNe      // !=
	OpIn      // in
	OpLt      // <
	OpLe      // <=
	OpGt      // >
	OpGe      // >=
)

// OpOf is the operator op, written as in expressions.
func OpOf(op string) Op {
	switch op {
	case "==":
		return OpEq
	case "!=":
		return OpNe
	case "in":
		return OpIn
	case "<":
		return OpLt
	case "<=":
		return OpLe
	case ">":
		return OpGt
	case ">=":
		return OpGe
	}
	return OpNone
}

// order compares a and b for <, <=, > and >= as runtime.Less and its
// siblings do; ok is false where they would panic.
func order(op Op, a, b Val) (result, ok bool) {
	var c int
	switch {
	case a.k == Int && b.k == Int:
		c = cmp.Compare(a.n, b.n)
	case (a.k == Int || a.k == Float) && (b.k == Int || b.k == Float):
		x, y := a.Float(), b.Float()
		if a.k == Int {
			x = float64(a.n)
		}
		if b.k == Int {
			y = float64(b.n)
		}
		// NaN compares false every way, as in Go.
		switch op {
		case OpLt:
			return x < y, true
		case OpLe:
			return x <= y, true
		case OpGt:
			return x > y, true
		case OpGe:
			return x >= y, true
		}
		return false, false
	case a.k == String && b.k == String:
		c = strings.Compare(a.Str(), b.Str())
	case a.k == Time && b.k == Time:
		x, y := a.Time(), b.Time()
		switch op {
		case OpLt:
			return x.Before(y), true
		case OpLe:
			return x.Before(y) || x.Equal(y), true
		case OpGt:
			return x.After(y), true
		case OpGe:
			return x.After(y) || x.Equal(y), true
		}
		return false, false
	default:
		return false, false
	}
	switch op {
	case OpLt:
		return c < 0, true
	case OpLe:
		return c <= 0, true
	case OpGt:
		return c > 0, true
	case OpGe:
		return c >= 0, true
	}
	return false, false
}

// arith is runtime.Add, runtime.Subtract, runtime.Multiply, runtime.Divide
// and runtime.Modulo on numbers. A result that is not finite falls back:
// the VM's metered programs fail it (rules/internal/compile/meter.go, fnResult).
// op is the operator's one character, which a run switches on faster than
// on its text.
func arith(op byte, a, b Val) Val {
	if a.k == Int && b.k == Int {
		switch op {
		case '+', '-', '*':
			n, ok := IntArith(op, a.n, b.n)
			if !ok {
				fallback("integer overflow") // the VM's metered programs fail it
			}
			return Val{k: Int, n: n}
		case '/':
			return floatVal(finite(float64(a.n) / float64(b.n)))
		case '%':
			if b.n == 0 {
				fallback("modulo by zero")
			}
			return Val{k: Int, n: a.n % b.n}
		}
	}
	if (a.k == Int || a.k == Float) && (b.k == Int || b.k == Float) && op != '%' {
		x, y := a.Float(), b.Float()
		if a.k == Int {
			x = float64(a.n)
		}
		if b.k == Int {
			y = float64(b.n)
		}
		switch op {
		case '+':
			return floatVal(finite(x + y))
		case '-':
			return floatVal(finite(x - y))
		case '*':
			return floatVal(finite(x * y))
		case '/':
			return floatVal(finite(x / y))
		}
	}
	fallback("arithmetic on " + string(op))
	return Val{}
}

// IntArith is x op y, op '+', '-' or '*', and whether it is exact: false
// when it overflows int, where Go's arithmetic would wrap (and a rule
// comparing the wrapped number would decide on a number nobody wrote).
func IntArith(op byte, x, y int) (int, bool) {
	switch op {
	case '+':
		r := x + y
		return r, (x >= 0) != (y >= 0) || (r >= 0) == (x >= 0)
	case '-':
		r := x - y
		return r, (x >= 0) == (y >= 0) || (r >= 0) == (x >= 0)
	case '*':
		if x == 0 || y == 0 {
			return 0, true
		}
		r := x * y
		return r, r/y == x && !(y == -1 && x == math.MinInt)
	}
	return 0, false
}

// length is runtime.Len, expr's len builtin, on lists and texts.
func length(v Val) Val {
	switch v.k {
	case Slice, List:
		return Val{k: Int, n: v.n}
	case String:
		return Val{k: Int, n: utf8.RuneCountInString(v.Str())}
	}
	fallback("len of a non-list")
	return Val{}
}

// needBool is the bool expr's jumps and loops insist on (OpJumpIfFalse
// and the predicates' casts to bool panic on anything else).
func needBool(v Val) bool {
	if v.k != Bool || v.ptr {
		fallback("a condition that is not true or false")
	}
	return v.b
}

// zeroVal is the value of an environment field of type rt that was never
// set: a fact skipped because data it needs is absent.
func zeroVal(rt reflect.Type, tt Types) Val {
	switch rt {
	case boolRT:
		return vFalse
	case intRT:
		return Val{k: Int}
	case floatRT:
		return floatVal(0)
	case stringRT:
		return strVal("")
	case timeRT:
		return Val{k: Time, p: unsafe.Pointer(&zeroTime)}
	case anysRT:
		return Val{k: List}
	}
	if rt.Kind() == reflect.Interface {
		return Val{}
	}
	return Val{k: Nil}
}

var zeroTime time.Time

// Compare applies a clause's comparison operator (==, !=, in, <, <=, >,
// >=) as rules' compare does with runtime.Equal, runtime.In, runtime.Less
// and its siblings: an order against nil is false.
func Compare(op Op, a, b Val) bool {
	switch op {
	case OpEq:
		return equal(a, b)
	case OpNe:
		return !equal(a, b)
	case OpIn:
		return in(a, b)
	}
	if a.k == Nil || b.k == Nil {
		return false
	}
	res, ok := order(op, a, b)
	if !ok {
		fallback("cannot compare")
	}
	return res
}

// FactType reports whether the fast evaluator can hold a fact of
// environment type t as the VM's environment would.
func FactType(t reflect.Type) bool {
	switch t {
	case boolRT, intRT, floatRT, stringRT, timeRT, anysRT:
		return true
	}
	return t.Kind() == reflect.Interface && t.NumMethod() == 0
}

// FactKind is the environment type of a fact, as FactValue converts to
// it, resolved once (FactKindOf): comparing reflect.Types costs a call
// each, and every fact of every run is converted.
type FactKind uint8

// The kinds of facts; FactAny holds any value as it is.
const (
	FactAny FactKind = iota
	FactFloat
	FactInt
	FactBool
	FactString
	FactTime
	FactList
)

// FactKindOf is the kind of a fact of environment type typ.
func FactKindOf(typ reflect.Type) FactKind {
	switch typ {
	case floatRT:
		return FactFloat
	case intRT:
		return FactInt
	case boolRT:
		return FactBool
	case stringRT:
		return FactString
	case timeRT:
		return FactTime
	case anysRT:
		return FactList
	}
	return FactAny
}

// FactValue is the value the VM's environment would hold for a fact of
// environment type kind (FactKindOf) whose expression gave v: assigned or
// converted to it (zero for nil).
func FactValue(v Val, kind FactKind, zero Val) Val {
	if v.ptr {
		fallback("a fact that is a pointer")
	}
	if v.k == Nil {
		return zero
	}
	switch kind {
	case FactFloat:
		switch v.k {
		case Float:
			return v
		case Int:
			return floatVal(float64(v.n))
		}
	case FactInt:
		switch v.k {
		case Int:
			return v
		case Float:
			return Val{k: Int, n: int(v.Float())}
		}
	case FactBool:
		if v.k == Bool {
			return v
		}
	case FactString:
		if v.k == String {
			return v
		}
	case FactTime:
		if v.k == Time {
			return v
		}
	case FactList:
		if v.k == List {
			return v
		}
	default:
		return v
	}
	fallback("a fact of another type")
	return Val{}
}
