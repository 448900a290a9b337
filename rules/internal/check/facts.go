package check

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/ruleset"
	"github.com/expr-lang/expr/ast"
)

// Fact is a fact that checked, with its place in the environment.
type Fact struct {
	Fact   *ruleset.Fact
	Field  int          // env field holding its value
	Pos    int          // its index in the order Facts returns
	Type   reflect.Type // the env field's type (see factType)
	Needs  []Need       // optional applicant data it reads, directly or through facts
	Deps   []int        // env fields of the facts it names, in order (Uses.Facts adds theirs)
	Params []string     // parameters it reads
	Reads  []string     // applicant fields it reads, directly or through facts
	Paths  []string     // applicant data it reads, as dotted member chains (see Env.paths)
	// Checked is the fact checked against the complete environment; nil
	// when any fact failed to check, which leaves the facts uncompiled.
	Checked *Checked
}

// Facts orders the rule set's facts by their dependencies, reports cycles
// and names taken by the applicant or reserved, and checks each fact
// against an environment holding the facts before it that it names,
// adding a field for it. It returns the facts that checked, in dependency order. Call it once,
// before checking what reads facts.
func (env *Env) Facts() []*Fact {
	cfg := env.Config()
	byName := map[string]*ruleset.Fact{}
	trees := map[string]*Checked{}
	for _, f := range env.set.Facts {
		byName[f.Name] = f
		if _, clash := env.appNames[f.Name]; clash || f.Name == AsOfName || f.Name == ParamName {
			env.errs.Add(f.Expr.Pos, file.ErrDuplicate, "fact %s: the name is already an applicant field or reserved", f.Name)
			continue
		}
		if p := env.parse(f.Expr, "fact "+f.Name, cfg); p != nil {
			trees[f.Name] = p
		}
	}
	deps := map[string][]string{}
	for name, p := range trees {
		deps[name] = identifiers(p.Tree.Node, byName)
	}
	// Depth-first ordering; a grey node met again closes a cycle.
	state := map[string]int{}
	var stack []string
	var order []string
	var visit func(string)
	visit = func(n string) {
		switch state[n] {
		case 1:
			i := 0
			for stack[i] != n {
				i++
			}
			cyc := append(append([]string{}, stack[i:]...), n)
			// Point at n's use of the next fact in the cycle.
			at := byName[n].Expr.Pos
			bound := letBound(trees[n].Tree.Node)
			ast.Walk(&trees[n].Tree.Node, visitor(func(node *ast.Node) {
				if id, ok := (*node).(*ast.IdentifierNode); ok && id.Value == cyc[1] && !bound[id] && at == byName[n].Expr.Pos {
					at = trees[n].Position(id.Location().From)
				}
			}))
			env.errs.Add(at, file.ErrCycle, "fact %s depends on itself: %s", n, strings.Join(cyc, " -> "))
			return
		case 2:
			return
		}
		state[n] = 1
		stack = append(stack, n)
		for _, d := range deps[n] {
			if _, ok := trees[d]; ok {
				visit(d)
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = 2
		order = append(order, n)
	}
	for _, f := range env.set.Facts {
		if _, ok := trees[f.Name]; ok {
			visit(f.Name)
		}
	}
	// Facts in a cycle, or using a fact that failed, fail to check below
	// with an unknown name, which ExprError leaves unreported; the others
	// still report their own faults.
	//
	// Each fact is checked against the facts before it that it names (as
	// a name or a let's variable): what it does not name cannot change how
	// it checks, and an environment of every fact before it would make the
	// work quadratic in the number of facts.
	base := len(env.fields)
	for _, name := range order {
		p := trees[name]
		cfg := env.configWith(cfg, base, env.namedFacts(p.Tree.Node))
		// Re-parse: a tree checked against one environment is not reused
		// against another.
		p = env.parse(p.Expr, p.What, cfg)
		if p == nil {
			continue
		}
		t := env.check(p, p.Tree.Node, cfg)
		if t == nil || !env.unshown(p) || !env.absentInEntries(p) {
			continue
		}
		ft := factType(t)
		f := &Fact{Fact: byName[name], Field: len(env.fields), Pos: len(env.order), Type: ft}
		env.fields = append(env.fields, reflect.StructField{Name: fmt.Sprintf("F%d", len(env.order)), Type: ft,
			Tag: reflect.StructTag(fmt.Sprintf(`expr:%q`, name))})
		u, named := env.usesNamed(p.Tree.Node)
		f.Needs, f.Params = u.Needs, u.Params
		for field := range named {
			f.Deps = append(f.Deps, field)
		}
		slices.Sort(f.Deps)
		f.Reads = env.reads(p.Tree.Node, nil)
		f.Paths = env.paths(p.Tree.Node, nil)
		env.facts[name] = f
		env.byField[f.Field] = f
		env.order = append(env.order, f)
	}
	if env.errs.Len() > 0 {
		return env.order
	}
	// Check every fact against the complete environment, as it compiles.
	cfg = env.Config()
	for _, f := range env.order {
		p := env.parse(f.Fact.Expr, "fact "+f.Fact.Name, cfg)
		if p == nil {
			continue
		}
		if p.Type = env.check(p, p.Tree.Node, cfg); p.Type != nil {
			f.Checked = p
		}
	}
	return env.order
}

// factType is the environment type that holds a fact's value. expr builds
// lists as []any whatever their static element type, so list facts are
// held as []any; other kinds keep their static type.
func factType(t reflect.Type) reflect.Type {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return reflect.TypeOf([]any(nil))
	case reflect.Map:
		return reflect.TypeOf(map[string]any(nil))
	}
	return t
}

// Fact returns the fact called name, if it checked.
func (env *Env) Fact(name string) *Fact { return env.facts[name] }

// namedFacts returns the environment fields of the facts checked so far
// that node names, as an identifier or a let's variable, in the order of
// env.fields.
func (env *Env) namedFacts(node ast.Node) []int {
	var fields []int
	add := func(name string) {
		if f := env.facts[name]; f != nil {
			fields = append(fields, f.Field)
		}
	}
	ast.Walk(&node, visitor(func(n *ast.Node) {
		switch x := (*n).(type) {
		case *ast.IdentifierNode:
			add(x.Value)
		case *ast.VariableDeclaratorNode:
			add(x.Name)
		}
	}))
	slices.Sort(fields)
	return slices.Compact(fields)
}

// identifiers returns the facts named in node, in order of first use. A
// name a let binds is not a fact within the let's body (expr then refuses
// the let, for the name is the fact's: "cannot redeclare"); the name in
// the bound value is.
func identifiers(node ast.Node, facts map[string]*ruleset.Fact) []string {
	var out []string
	seen := map[string]bool{}
	bound := letBound(node)
	ast.Walk(&node, visitor(func(n *ast.Node) {
		if id, ok := (*n).(*ast.IdentifierNode); ok && facts[id.Value] != nil && !seen[id.Value] && !bound[id] {
			seen[id.Value] = true
			out = append(out, id.Value)
		}
	}))
	return out
}

// letBound returns the identifiers of node that name a let's variable: a
// use of the name within the let's body (let NAME = value; body). They are
// the only names expr resolves otherwise than in the environment: a
// predicate's element and accumulator are pointers (#, #acc, .field), not
// identifiers.
func letBound(node ast.Node) map[*ast.IdentifierNode]bool {
	var bound map[*ast.IdentifierNode]bool
	ast.Walk(&node, visitor(func(n *ast.Node) {
		v, ok := (*n).(*ast.VariableDeclaratorNode)
		if !ok {
			return
		}
		if bound == nil {
			bound = map[*ast.IdentifierNode]bool{}
		}
		ast.Walk(&v.Expr, visitor(func(m *ast.Node) {
			if id, ok := (*m).(*ast.IdentifierNode); ok && id.Value == v.Name {
				bound[id] = true
			}
		}))
	}))
	return bound
}
