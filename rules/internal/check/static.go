package check

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/eligo-dev/eligo/rules/ruleset"
	"github.com/expr-lang/expr/ast"
)

// This file finds faults that expr's checker does not, or reports
// obscurely, and that need no applicant to find: a catalogue that does not
// exist, a parameter that is not a valid regular expression for matches, a
// parameter of the wrong kind in arithmetic, a misspelt field. Without
// them each would only show while rules run, blamed on an applicant.

// static reports the faults of node n of p that need no types; it returns
// false when it reported one.
func (env *Env) static(p *Checked, n ast.Node) bool {
	switch x := n.(type) {
	case *ast.CallNode:
		id, ok := x.Callee.(*ast.IdentifierNode)
		if !ok {
			return true
		}
		f := lib.ByName(id.Value)
		if f == nil || f.Lookup == nil {
			return true
		}
		if f.Lookup.Catalogue != "" {
			if _, ok := env.cat[f.Lookup.Catalogue]; !ok {
				env.Report(p, x, file.ErrUnknownReference, "%s: %s() looks names up in the %q catalogue, which the rule set does not define",
					p.What, f.Name, f.Lookup.Catalogue)
				return false
			}
			return true
		}
		if len(x.Arguments) == 0 {
			return true
		}
		return env.catalogueArg(p, f.Name, x.Arguments[0])
	case *ast.BinaryNode:
		if x.Operator == "matches" {
			return env.patternArg(p, x.Right)
		}
		return env.arithmetic(p, x)
	}
	return true
}

// catalogueArg checks the catalogue a listed() or canonical() call names:
// a text literal or a text parameter, naming a catalogue of the rule set.
func (env *Env) catalogueArg(p *Checked, fn string, arg ast.Node) bool {
	var names []string
	switch a := arg.(type) {
	case *ast.StringNode:
		names = []string{a.Value}
	default:
		par := env.paramOf(arg)
		if par < 0 {
			env.Report(p, arg, file.ErrValue, "%s: %s() takes the catalogue's name as text written in the rule (%s(\"providers\", ...)) or a text parameter, so that it can be checked before the rules run",
				p.What, fn, fn)
			return false
		}
		for _, v := range env.params.Params[par].Values {
			s, ok := v.Value.(string)
			if !ok {
				return true // the checker reports the type
			}
			names = append(names, s)
		}
	}
	for _, name := range names {
		if _, ok := env.cat[name]; ok {
			continue
		}
		msg := fmt.Sprintf("%s: unknown catalogue %q", p.What, name)
		if s := file.Suggest(name, env.catalogueNames()); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		env.Report(p, arg, file.ErrUnknownReference, "%s", msg)
		return false
	}
	return true
}

func (env *Env) catalogueNames() []string {
	names := make([]string, 0, len(env.set.Catalogues))
	for _, c := range env.set.Catalogues {
		names = append(names, c.Name)
	}
	return names
}

// patternArg checks the right side of matches when it is a parameter:
// each of its values must be a regular expression. (expr's checker
// compiles a literal pattern itself.)
func (env *Env) patternArg(p *Checked, arg ast.Node) bool {
	par := env.paramOf(arg)
	if par < 0 {
		return true
	}
	for _, v := range env.params.Params[par].Values {
		s, ok := v.Value.(string)
		if !ok {
			continue // the checker reports the type
		}
		if _, err := regexp.Compile(s); err != nil {
			msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
			env.Report(p, arg, file.ErrValue, "%s: parameter %s is not a valid regular expression for matches (%s): %s",
				p.What, env.params.Names[par], v.Pos, msg)
			return false
		}
	}
	return true
}

// arithmeticOps are the operators that take numbers only (- also takes
// two dates, or a date and a duration).
var arithmeticOps = map[string]bool{"-": true, "*": true, "/": true, "%": true, "**": true, "^": true}

// arithmetic reports a parameter that is not a number used in arithmetic:
// text, true/false or a list (a date only with -).
func (env *Env) arithmetic(p *Checked, b *ast.BinaryNode) bool {
	if !arithmeticOps[b.Operator] {
		return true
	}
	for _, side := range []ast.Node{b.Left, b.Right} {
		par := env.paramOf(side)
		if par < 0 || len(env.params.Params[par].Values) == 0 {
			continue
		}
		v := env.params.Params[par].Values[0]
		switch v.Value.(type) {
		case float64:
			continue
		case time.Time:
			if b.Operator == "-" {
				continue
			}
		}
		env.Report(p, side, file.ErrType, "%s: parameter %s is %s (%s), not a number: %s takes numbers",
			p.What, env.params.Names[par], kindOf(v.Value), v.Pos, b.Operator)
		return false
	}
	return true
}

// paramOf returns the index of the parameter n reads (param.NAME), or -1.
func (env *Env) paramOf(n ast.Node) int {
	chain := MemberChain(n)
	if len(chain) != 2 || chain[0] != ParamName {
		return -1
	}
	if i, ok := env.params.Index[chain[1]]; ok {
		return i
	}
	return -1
}

func kindOf(v any) string {
	switch x := v.(type) {
	case float64:
		return "a number"
	case bool:
		return "true/false"
	case time.Time:
		return "a date"
	case string:
		return fmt.Sprintf("text (%q)", x)
	case []string:
		return "a list of texts"
	}
	return fmt.Sprintf("%T", v)
}

// fieldHint rewrites expr's "type T has no field F" for the member node
// at from: the field's name, what it was looked for in, and a suggestion
// among the fields there. ok is false when from is no such node.
func (p *Checked) fieldHint(from int) (msg string, ok bool) {
	var found *ast.MemberNode
	Walk(&p.Tree.Node, func(n *ast.Node) {
		if m, isMember := (*n).(*ast.MemberNode); isMember && found == nil {
			if m.Location().From == from || m.Property.Location().From == from {
				found = m
			}
		}
	})
	if found == nil {
		return "", false
	}
	name, isStr := found.Property.(*ast.StringNode)
	if !isStr {
		return "", false
	}
	msg = fmt.Sprintf("unknown field %q", name.Value)
	if chain := MemberChain(found.Node); chain != nil {
		msg += fmt.Sprintf(" in %s", strings.Join(chain, "."))
	}
	t := found.Node.Type()
	for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		t = t.Elem()
	}
	if t != nil && t.Kind() == reflect.Struct {
		if s := file.Suggest(name.Value, exprNames(t)); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
	}
	return msg, true
}

// exprNames lists the names expr sees for struct type t's fields.
func exprNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		n := f.Name
		if tag, ok := f.Tag.Lookup("expr"); ok {
			n, _, _ = strings.Cut(tag, ",")
		}
		if n != "-" && n != "" {
			out = append(out, n)
		}
	}
	return out
}

// paramHint is what to add to expr's message about a type mismatch at
// from when a parameter takes part: what the parameter is, and for a
// number where expr wants an integer, what to write.
func (p *Checked) paramHint(from int, msg string) string {
	hint := ""
	Walk(&p.Tree.Node, func(n *ast.Node) {
		if hint != "" {
			return
		}
		var sides []ast.Node
		op := ""
		switch x := (*n).(type) {
		case *ast.BinaryNode:
			if x.Location().From == from {
				sides, op = []ast.Node{x.Left, x.Right}, x.Operator
			}
		case *ast.MemberNode:
			if x.Property.Location().From == from || x.Location().From == from {
				sides = []ast.Node{x.Property}
			}
		case *ast.SliceNode:
			if x.Location().From <= from {
				sides = []ast.Node{x.From, x.To}
			}
		}
		for _, s := range sides {
			par := p.env.paramOf(s)
			if par < 0 {
				continue
			}
			name, v := p.env.params.Names[par], firstValue(p.env.params.Params[par].Values)
			switch _, num := v.(float64); {
			case !num && v != nil:
				hint = fmt.Sprintf("; param.%s is %s (%s)", name, kindOf(v), p.env.params.Params[par].Values[0].Pos)
			case num && op == "..":
				hint = fmt.Sprintf("; a range's bounds must be integer constants, and param.%s is a parameter, a number (float64): write the range with literals, such as 1..5", name)
			case num && strings.Contains(msg, "int"):
				hint = fmt.Sprintf("; parameters are numbers (float64), never integers: write int(param.%s) where an integer is wanted", name)
			default:
				continue
			}
			return
		}
	})
	return hint
}

func firstValue(vals []ruleset.DatedValue) any {
	if len(vals) == 0 {
		return nil
	}
	return vals[0].Value
}
