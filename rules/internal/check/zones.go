package check

import (
	"time"

	"github.com/eligo-dev/eligo/rules/file"

	"github.com/expr-lang/expr/ast"
)

// Rules must decide the same way on every host, so they cannot use the
// host's time zone. Of expr's builtins, date() and timezone() take a
// location by name (now() is removed; duration() takes none):
//
//   - a location named in a rule must be the literal "UTC"; "Local", any
//     other zone, and a location computed from data are refused at load,
//     with ErrForbidden (fail closed: a computed name could be "Local");
//   - date() without a location parses in UTC: expr's own default reads a
//     zone abbreviation ("CET") with the host zone's offset when the host
//     zone uses it.

// utcOnly reports, at the argument, every location rules name other than
// the literal "UTC", and returns whether there was none.
func (env *Env) utcOnly(p *Checked) bool {
	ok := true
	ast.Walk(&p.Tree.Node, visitor(func(n *ast.Node) {
		b, isBuiltin := (*n).(*ast.BuiltinNode)
		if !isBuiltin {
			return
		}
		var tz ast.Node
		switch {
		case b.Name == "timezone" && len(b.Arguments) == 1:
			tz = b.Arguments[0]
		case b.Name == "date":
			args := b.Arguments
			if len(args) > 0 && isTimezoneCall(args[0]) {
				args = args[1:] // date(timezone("UTC"), ...): the call is checked on its own
			}
			if len(args) == 3 {
				tz = args[2]
			}
		}
		if tz == nil {
			return
		}
		if s, isStr := tz.(*ast.StringNode); isStr && s.Value == "UTC" {
			return
		}
		env.Report(p, tz, file.ErrForbidden, "%s: rules must decide the same way on every host, so the only time zone they may name is \"UTC\", written as it is", p.What)
		ok = false
	}))
	return ok
}

func isTimezoneCall(n ast.Node) bool {
	b, ok := n.(*ast.BuiltinNode)
	return ok && b.Name == "timezone"
}

// dateInUTC gives every date() call that names no location UTC as its
// location, as expr's WithTimezone patcher would, so that it never falls
// back on the host's zone.
func dateInUTC(node *ast.Node) {
	ast.Walk(node, visitor(func(n *ast.Node) {
		b, ok := (*n).(*ast.BuiltinNode)
		if !ok || b.Name != "date" || len(b.Arguments) == 0 || isTimezoneCall(b.Arguments[0]) {
			return
		}
		if c, isConst := b.Arguments[0].(*ast.ConstantNode); isConst {
			if _, isLoc := c.Value.(*time.Location); isLoc {
				return // already given one (a tree parsed once, patched twice)
			}
		}
		utc := &ast.ConstantNode{Value: time.UTC}
		utc.SetLocation(b.Location())
		b.Arguments = append([]ast.Node{utc}, b.Arguments...)
	}))
}
