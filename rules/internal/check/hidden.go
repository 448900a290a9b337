package check

import (
	"reflect"
	"time"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/expr-lang/expr/ast"
)

// HoldsStruct reports whether a value of type t is or holds, through
// pointers, lists and maps, a struct other than a time.Time: a section or
// a list entry, whose fields rules do not all see.
func HoldsStruct(t reflect.Type) bool {
	for {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			t = t.Elem()
		case reflect.Map:
			return HoldsStruct(t.Key()) || HoldsStruct(t.Elem())
		case reflect.Struct:
			return t != reflect.TypeFor[time.Time]()
		default:
			return false
		}
	}
}

// unshown reports every string() and toJSON() of c's typed tree whose
// argument's type holds a section or a list entry (HoldsStruct), and
// returns whether there was none. Their text would show every field of
// it, those rules do not see (personal data, fields without a name for
// rules) among them, and a decision would rest on data rules may not
// read. An argument whose type does not tell (an element of a list
// literal) is refused while rules run instead.
func (env *Env) unshown(c *Checked) bool {
	ok := true
	ast.Walk(&c.Tree.Node, visitor(func(n *ast.Node) {
		b, isBuiltin := (*n).(*ast.BuiltinNode)
		if !isBuiltin || b.Name != "string" && b.Name != "toJSON" || len(b.Arguments) == 0 {
			return
		}
		arg := b.Arguments[0]
		if t := arg.Type(); t != nil && HoldsStruct(t) {
			env.Report(c, b, file.ErrForbidden, "%s: %s(%s) is not allowed in rules: %s holds a section or a list entry, whose text would show the fields rules do not see (personal data among them); use its fields",
				c.What, b.Name, c.Text(arg), c.Text(arg))
			ok = false
		}
	}))
	return ok
}
