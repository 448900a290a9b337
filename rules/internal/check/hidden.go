package check

import (
	"fmt"
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
// every comparison of one as a whole (comparable), and returns whether
// there was none. Their text would show every field of it, those rules do
// not see (personal data, fields without a name for rules) among them,
// and a decision would rest on data rules may not read. An argument whose
// type does not tell (an element of a list literal) is refused while
// rules run instead.
func (env *Env) unshown(c *Checked) bool {
	ok := true
	ast.Walk(&c.Tree.Node, visitor(func(n *ast.Node) {
		if cmp, isBinary := (*n).(*ast.BinaryNode); isBinary {
			if !env.comparable(c, cmp) {
				ok = false
			}
			return
		}
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

// comparable reports, and returns false for, a comparison (==, !=, in)
// of a section or a list entry with another: it compares every field,
// those rules do not see among them, so two entries that differ only in
// a personal field would compare unequal. A comparison with nil or a
// literal (is it there? is it empty?) is allowed.
func (env *Env) comparable(c *Checked, b *ast.BinaryNode) bool {
	switch b.Operator {
	case "==", "!=", "in", "not in":
	default:
		return true
	}
	for _, side := range []ast.Node{b.Left, b.Right} {
		switch side.(type) {
		case *ast.NilNode, *ast.ArrayNode, *ast.MapNode:
			return true // is it there, is it empty: literals hold no entry of the applicant's
		}
	}
	left := b.Left.Type()
	if left == nil || !HoldsStruct(left) {
		return true
	}
	env.Report(c, b, file.ErrForbidden, "%s: %s compares %s, a section or a list entry, as a whole: that compares the fields rules do not see (personal data among them) too; compare its fields",
		c.What, b.Operator, c.Text(b.Left))
	return false
}

// tracked reports whether n is the applicant's field or a section reached
// along its fields (cover, cover.terms): what a clause needs present
// (Needs), so that an optional value read from it makes the clause unknown
// when absent.
func (env *Env) tracked(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		_, field := env.appNames[x.Value]
		return field
	case *ast.MemberNode:
		if _, named := x.Property.(*ast.StringNode); !named {
			return false // an index: a list's entry
		}
		t := x.Node.Type()
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		return t != nil && t.Kind() == reflect.Struct && env.tracked(x.Node)
	}
	return false
}

// absentInEntries reports every read of an optional value of a list's
// entry (a nil-able pointer to a truth value, number or text: a
// nullable field) in a condition on the entries (any, none, all, count,
// filter...), or of an entry reached otherwise (periods[0].hours,
// first(periods).hours, a let's or a fact's entry), that neither gives a
// default (.active ?? true) nor compares it with nil, and returns whether
// there was none. Only a read along the applicant's own fields and
// sections (hours, cover.hours) is made unknown when absent. At the top level an
// absent optional value makes its clause unknown; within a list's
// condition it would compare as nil, false for == true, so that
// none(sanctions, .active == true) would hold for a sanction whose state
// is unknown. The rule must say what absence means.
func (env *Env) absentInEntries(c *Checked) bool {
	said := map[ast.Node]bool{} // the operands whose absence the rule handles
	// nilTest is the operand x of x == nil (op "==") or x != nil.
	nilTest := func(n ast.Node, op string) ast.Node {
		b, ok := n.(*ast.BinaryNode)
		if !ok || b.Operator != op {
			return nil
		}
		if _, isNil := b.Right.(*ast.NilNode); isNil {
			return b.Left
		}
		if _, isNil := b.Left.(*ast.NilNode); isNil {
			return b.Right
		}
		return nil
	}
	// guard marks x's reads in n said: n runs only when x is present.
	guard := func(x, n ast.Node) {
		text := c.Text(x)
		ast.Walk(&n, visitor(func(m *ast.Node) {
			if mm, ok := (*m).(*ast.MemberNode); ok && c.Text(mm) == text {
				said[mm] = true
			}
		}))
	}
	ast.Walk(&c.Tree.Node, visitor(func(n *ast.Node) {
		b, ok := (*n).(*ast.BinaryNode)
		if !ok {
			return
		}
		switch b.Operator {
		case "??":
			said[b.Left] = true
		case "==", "!=":
			if x := nilTest(b, b.Operator); x != nil {
				said[x] = true
			}
		case "&&", "and": // x != nil && ... x ...
			if x := nilTest(b.Left, "!="); x != nil {
				guard(x, b.Right)
			}
		case "||", "or": // x == nil || ... x ...
			if x := nilTest(b.Left, "=="); x != nil {
				guard(x, b.Right)
			}
		}
	}))
	ok := true
	ast.Walk(&c.Tree.Node, visitor(func(n *ast.Node) {
		m, isMember := (*n).(*ast.MemberNode)
		if !isMember || said[m] {
			return
		}
		if env.tracked(m.Node) {
			return // a section's or the applicant's own: absent, its clause is unknown
		}
		t := m.Type()
		if t == nil || t.Kind() != reflect.Pointer {
			return
		}
		switch t.Elem().Kind() {
		case reflect.Struct, reflect.Slice, reflect.Map, reflect.Array, reflect.Interface:
			return // a section, a date: the library and the checker say what absence means
		}
		field := c.Text(m)
		how := fmt.Sprintf("%s ?? true (counts as true) or %s != nil && %s == true (counts as false)", field, field, field)
		switch k := t.Elem().Kind(); {
		case k == reflect.String:
			how = fmt.Sprintf("%s ?? \"\" (counts as empty) or a test that %s != nil first", field, field)
		case k != reflect.Bool:
			how = fmt.Sprintf("%s ?? 0 (counts as 0) or a test that %s != nil first", field, field)
		}
		env.Report(c, m, file.ErrType, "%s: %s of a list's entry may be absent (nullable), and read from an entry absence is not unknown but nil, which == true and the like take for false: say what an absent %s means, as in %s",
			c.What, field, field, how)
		ok = false
	}))
	return ok
}
