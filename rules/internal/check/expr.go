package check

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/eligo-dev/eligo/rules/ruleset"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/conf"
	exprfile "github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
)

// Checked is an expression parsed and type-checked in its rule file's
// coordinates. Its tree is typed, with the library's asOf arguments and
// date()'s UTC location added; compiling a part of it (a clause, a side of
// a comparison) needs no further check.
type Checked struct {
	Expr ruleset.Expr
	What string       // what it is, as errors name it: "fact NAME", "requirement ID when", ...
	Tree *parser.Tree // the typed tree
	Type reflect.Type // the type of its value; interface{} when expr cannot tell

	env *Env
	src []rune
	pos []file.Position // file position of each character
}

// Expr parses and type-checks e against the environment as laid out so
// far; what names it in errors. It returns nil, having reported why, when
// e does not check.
func (env *Env) Expr(e ruleset.Expr, what string) *Checked {
	cfg := env.Config()
	c := env.parse(e, what, cfg)
	if c == nil {
		return nil
	}
	if c.Type = env.check(c, c.Tree.Node, cfg); c.Type == nil || !env.unshown(c) || !env.absentInEntries(c) {
		return nil
	}
	return c
}

// Condition is Expr for an expression that must be true or false.
func (env *Env) Condition(e ruleset.Expr, what string) *Checked {
	c := env.Expr(e, what)
	if c == nil {
		return nil
	}
	if !isBoolish(c.Type) {
		env.Report(c, c.Tree.Node, file.ErrType, "%s: a condition must be true or false, but this is %s", what, c.Type)
		return nil
	}
	return c
}

var boolType = reflect.TypeOf(true)

func isBoolish(t reflect.Type) bool { return t == boolType || t.Kind() == reflect.Interface }

// Node type-checks node, a tree built from parts of c (the explanation of
// a list clause), against the complete environment; it reports errors and
// returns nil on failure.
func (env *Env) Node(c *Checked, node ast.Node) reflect.Type {
	return env.check(c, node, env.Config())
}

// parse parses e and refuses what rules may not use.
func (env *Env) parse(e ruleset.Expr, what string, cfg *conf.Config) *Checked {
	if !env.withinBounds(e, what) {
		return nil
	}
	p := &Checked{Expr: e, What: what, env: env, src: []rune(e.Source)}
	p.pos = e.Positions()
	tree, err := parser.ParseWithConfig(e.Source, cfg)
	if err != nil {
		env.ExprError(p, err, file.ErrSyntax)
		return nil
	}
	p.Tree = tree
	if !env.allowed(p) || !env.utcOnly(p) {
		return nil
	}
	lib.AddAsOf(&p.Tree.Node)
	dateInUTC(&p.Tree.Node)
	return p
}

// allowed reports every forbidden construct of p, and unknown parameters,
// and returns whether there was none.
func (env *Env) allowed(p *Checked) bool {
	what := p.What
	ok := true
	ast.Walk(&p.Tree.Node, visitor(func(n *ast.Node) {
		if ok && !env.static(p, *n) {
			ok = false
		}
		switch x := (*n).(type) {
		case *ast.IdentifierNode:
			if x.Value == "$env" {
				env.Report(p, x, file.ErrForbidden, "%s: $env is not available in rules; name the field you need", what)
				ok = false
			}
		case *ast.BuiltinNode:
			if x.Name == "now" {
				env.Report(p, x, file.ErrForbidden, "%s: now() is not available in rules; use asOf, the evaluation date", what)
				ok = false
			}
		case *ast.CallNode:
			switch callee := x.Callee.(type) {
			case *ast.MemberNode:
				env.Report(p, x, file.ErrForbidden, "%s: method calls are not allowed in rules; use the library's functions", what)
				ok = false
			case *ast.IdentifierNode:
				if callee.Value == "now" {
					env.Report(p, x, file.ErrForbidden, "%s: now() is not available in rules; use asOf, the evaluation date", what)
					ok = false
				}
			}
		case *ast.MemberNode:
			if id, isID := x.Node.(*ast.IdentifierNode); isID && id.Value == ParamName {
				if s, isStr := x.Property.(*ast.StringNode); isStr {
					if _, known := env.params.Index[s.Value]; !known {
						msg := fmt.Sprintf("%s: unknown parameter %q", what, s.Value)
						if sug := file.Suggest(s.Value, env.params.Names); sug != "" {
							msg += fmt.Sprintf("; did you mean %q?", sug)
						}
						env.Report(p, x.Property, file.ErrUnknownReference, "%s", msg)
						ok = false
					}
				}
			}
		}
	}))
	return ok
}

type visitor func(*ast.Node)

func (v visitor) Visit(n *ast.Node) { v(n) }

// Walk calls f for every node under *root, root included, as ast.Walk
// does: children first.
func Walk(root *ast.Node, f func(*ast.Node)) { ast.Walk(root, visitor(f)) }

// check type-checks a (sub)tree; it reports errors and returns nil on failure.
func (env *Env) check(p *Checked, node ast.Node, cfg *conf.Config) reflect.Type {
	t, err := checker.Check(&parser.Tree{Node: node, Source: p.Tree.Source}, cfg)
	if err != nil {
		env.ExprError(p, err, file.ErrType)
		return nil
	}
	if t == nil {
		t = reflect.TypeOf((*any)(nil)).Elem()
	}
	return t
}

// Report reports an error at node n of expression p.
func (env *Env) Report(p *Checked, n ast.Node, kind error, format string, args ...any) {
	env.errs.Add(p.Position(n.Location().From), kind, format, args...)
}

// Position is where in the rule file the expression's character from
// (a rune index, as expr's locations count) is.
func (p *Checked) Position(from int) file.Position {
	if p.pos == nil {
		return p.Expr.Pos
	}
	if from < 0 {
		from = 0
	}
	if from >= len(p.pos) {
		from = len(p.pos) - 1
	}
	return p.pos[from]
}

// ExprError reports an error from expr's parser, checker or compiler in the
// rule file's coordinates, as an error of the given kind unless its message
// says it is of another.
func (env *Env) ExprError(p *Checked, err error, kind error) {
	var fe *exprfile.Error
	msg, from := err.Error(), 0
	if errors.As(err, &fe) {
		msg, from = fe.Message, fe.From
	}
	switch {
	case strings.Contains(msg, "maximum allowed nodes"):
		// The whole expression is too big; where the parser gave up is
		// arbitrary, so point at its start.
		kind, from = file.ErrLimit, 0
		msg = fmt.Sprintf("expression is larger than the limit of %d nodes", env.opts.MaxNodes)
	case strings.HasPrefix(msg, "unknown name "):
		kind = file.ErrUnknownReference
		name := strings.TrimPrefix(msg, "unknown name ")
		if env.isFact(name) {
			return // a fact that did not compile: its own error says why
		}
		s := file.Suggest(name, env.names)
		if _, field := env.appIndex[s]; field || (s == "" && p.isMemberBase(from)) {
			msg = fmt.Sprintf("unknown field %q", name)
		}
		if s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
	case strings.Contains(msg, "has no field"):
		kind = file.ErrUnknownReference
		if m, ok := p.fieldHint(from); ok {
			msg = m
		}
	case strings.HasPrefix(msg, "error parsing regexp: "):
		kind = file.ErrValue
		msg = "not a valid regular expression for matches: " + strings.TrimPrefix(msg, "error parsing regexp: ")
	case strings.Contains(msg, "unknown func"), strings.Contains(msg, "undefined"):
		kind = file.ErrUnknownReference
	case kind == file.ErrType:
		msg += p.paramHint(from, msg)
	}
	env.errs.Add(p.Position(from), kind, "%s: %s", p.What, msg)
}

// isMemberBase reports whether the identifier at from is the base of a
// member expression (x in x.y): a field, not a fact or a function.
func (p *Checked) isMemberBase(from int) bool {
	found := false
	Walk(&p.Tree.Node, func(n *ast.Node) {
		if m, ok := (*n).(*ast.MemberNode); ok {
			if id, ok := m.Node.(*ast.IdentifierNode); ok && id.Location().From == from {
				found = true
			}
		}
	})
	return found
}

// Text returns the source text of node n: from its first token to its last,
// with the closing brackets its tokens leave open.
func (p *Checked) Text(n ast.Node) string {
	from, to := len(p.src), 0
	ast.Walk(&n, visitor(func(m *ast.Node) {
		l := (*m).Location()
		if l.From >= 0 && l.From < from && l.To > 0 {
			from = l.From
		}
		if l.To > to {
			to = l.To
		}
	}))
	if to > len(p.src) {
		to = len(p.src)
	}
	if from >= to {
		return ""
	}
	depth := 0
	inStr := rune(0)
	for _, r := range p.src[from:to] {
		switch {
		case inStr != 0:
			if r == inStr {
				inStr = 0
			}
		case r == '"' || r == '\'':
			inStr = r
		case r == '(' || r == '[' || r == '{':
			depth++
		case r == ')' || r == ']' || r == '}':
			depth--
		}
	}
	for to < len(p.src) && depth > 0 {
		switch p.src[to] {
		case ')', ']', '}':
			depth--
		case '"', '\'':
			// A closing quote of a string the tokens started.
		}
		to++
	}
	// Brackets the tokens close but do not open, as in (a ?? false) == true,
	// whose first token is a.
opening:
	for depth < 0 {
		k := from - 1
		for k >= 0 && unicode.IsSpace(p.src[k]) {
			k--
		}
		if k < 0 {
			break
		}
		switch p.src[k] {
		case '(', '[', '{':
			depth++
			from = k
		default:
			break opening
		}
	}
	return strings.Join(strings.Fields(string(p.src[from:to])), " ")
}
