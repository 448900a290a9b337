package check

import (
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/expr-lang/expr/ast"
)

// Need is optional applicant data an expression reads: if it is absent,
// a clause reading it is unknown rather than false.
type Need struct {
	Path  string // its document path, e.g. "licence.expires"
	Index []int  // env field, then struct fields, dereferencing pointers between
}

// Uses is what a part of an expression reads.
type Uses struct {
	Needs  []Need   // optional applicant data, but for what ?? gives a default
	Facts  []int    // env fields of the facts to compute first, with their own dependencies, in order
	Params []string // names of the parameters
}

// Uses returns what node, c's tree or a part of it, reads.
func (c *Checked) Uses(node ast.Node) Uses { return c.env.uses(node) }

// Reads adds to list the applicant fields c reads, directly or through
// facts, keeping the applicant type's field order.
func (c *Checked) Reads(list []string) []string { return c.env.reads(c.Tree.Node, list) }

// Paths adds to list the applicant data c reads, directly or through
// facts, as dotted member chains (see Env.paths).
func (c *Checked) Paths(list []string) []string { return c.env.paths(c.Tree.Node, list) }

// uses is what node reads, with the facts to compute first, those it
// names and theirs.
func (env *Env) uses(node ast.Node) Uses {
	u, named := env.usesNamed(node)
	u.Facts = env.closure(named)
	return u
}

// usesNamed is what node reads, but for Uses.Facts; with the facts it
// names.
func (env *Env) usesNamed(node ast.Node) (Uses, map[int]*Fact) {
	needSet := map[string]Need{}
	var params []string
	named := map[int]*Fact{}
	addFact := func(f *Fact) {
		if named[f.Field] != nil {
			return
		}
		for _, n := range f.Needs {
			needSet[n.Path] = n
		}
		named[f.Field] = f
	}
	defaulted := defaultedNodes(node)
	ast.Walk(&node, visitor(func(n *ast.Node) {
		if defaulted[*n] {
			// The left side of ??: the rule says what absence means.
			if id, ok := (*n).(*ast.IdentifierNode); ok {
				if f := env.facts[id.Value]; f != nil {
					addFact(f)
				}
			}
			return
		}
		switch x := (*n).(type) {
		case *ast.IdentifierNode:
			if f := env.facts[x.Value]; f != nil {
				addFact(f)
			}
			if _, ok := env.appIndex[x.Value]; ok {
				env.addNeeds(needSet, []string{x.Value})
			}
		case *ast.MemberNode:
			if chain := MemberChain(x); len(chain) > 0 {
				if _, ok := env.appIndex[chain[0]]; ok {
					env.addNeeds(needSet, chain)
				}
				if chain[0] == ParamName && len(chain) > 1 && !slices.Contains(params, chain[1]) {
					params = append(params, chain[1])
				}
			}
		}
	}))
	needs := make([]Need, 0, len(needSet))
	for _, n := range needSet {
		needs = append(needs, n)
	}
	sort.Slice(needs, func(i, j int) bool {
		if len(needs[i].Index) != len(needs[j].Index) {
			return len(needs[i].Index) < len(needs[j].Index)
		}
		return needs[i].Path < needs[j].Path
	})
	return Uses{Needs: needs, Params: params}, named
}

// closure returns the env fields of the facts named and of those they
// depend on, in dependency order (the order of their fields). It costs
// the facts it returns, not every fact.
func (env *Env) closure(named map[int]*Fact) []int {
	if len(named) == 0 {
		return nil
	}
	seen := make(map[int]bool, len(named))
	var facts []int
	var stack []*Fact
	for _, f := range named {
		seen[f.Field] = true
		stack = append(stack, f)
	}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		facts = append(facts, f.Field)
		for _, d := range f.Deps {
			if !seen[d] {
				seen[d] = true
				stack = append(stack, env.byField[d])
			}
		}
	}
	slices.Sort(facts)
	return facts
}

// reads adds to list the applicant fields node reads, directly or through
// facts, keeping the applicant type's field order.
func (env *Env) reads(node ast.Node, list []string) []string {
	set := map[string]bool{}
	for _, n := range list {
		set[n] = true
	}
	ast.Walk(&node, visitor(func(n *ast.Node) {
		if id, ok := (*n).(*ast.IdentifierNode); ok {
			if _, app := env.appIndex[id.Value]; app {
				set[id.Value] = true
			}
			if f := env.facts[id.Value]; f != nil {
				for _, r := range f.Reads {
					set[r] = true
				}
			}
		}
	}))
	out := list[:0]
	for name := range set {
		out = append(out, name)
	}
	sort.Slice(out, func(i, j int) bool { return env.appIndex[out[i]] < env.appIndex[out[j]] })
	return out
}

// paths adds to list the applicant data node reads, directly or through
// facts, as member chains rooted at an applicant field, joined by dots
// ("supervision.sessions", "kind"): the longest chain of constant names at
// each place, which reads everything under it. The list comes back sorted
// and without repeats.
func (env *Env) paths(node ast.Node, list []string) []string {
	set := map[string]bool{}
	for _, p := range list {
		set[p] = true
	}
	// inner: the bases of longer chains, which are not read whole there.
	inner := map[ast.Node]bool{}
	ast.Walk(&node, visitor(func(n *ast.Node) {
		if m, ok := (*n).(*ast.MemberNode); ok && MemberChain(m) != nil {
			inner[m.Node] = true
		}
	}))
	ast.Walk(&node, visitor(func(n *ast.Node) {
		if id, ok := (*n).(*ast.IdentifierNode); ok {
			if f := env.facts[id.Value]; f != nil {
				for _, p := range f.Paths {
					set[p] = true
				}
			}
		}
		if inner[*n] {
			return
		}
		if chain := MemberChain(*n); len(chain) > 0 {
			if _, app := env.appIndex[chain[0]]; app {
				set[strings.Join(chain, ".")] = true
			}
		}
	}))
	out := list[:0]
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// defaultedNodes returns the nodes on the left of a ?? operator: data the
// rule gives a default for (cpd ?? []), which is then not needed.
func defaultedNodes(node ast.Node) map[ast.Node]bool {
	out := map[ast.Node]bool{}
	ast.Walk(&node, visitor(func(n *ast.Node) {
		if b, ok := (*n).(*ast.BinaryNode); ok && b.Operator == "??" {
			left := b.Left
			ast.Walk(&left, visitor(func(m *ast.Node) { out[*m] = true }))
		}
	}))
	return out
}

// MemberChain returns a.b.c for a member expression rooted at an
// identifier with constant property names, or nil.
func MemberChain(n ast.Node) []string {
	switch x := n.(type) {
	case *ast.IdentifierNode:
		return []string{x.Value}
	case *ast.MemberNode:
		s, ok := x.Property.(*ast.StringNode)
		if !ok {
			return nil
		}
		if base := MemberChain(x.Node); base != nil {
			return append(base, s.Value)
		}
	}
	return nil
}

// addNeeds records every prefix of an applicant chain whose value can be
// absent (a nil pointer, slice or map).
func (env *Env) addNeeds(set map[string]Need, chain []string) {
	t := env.appNames[chain[0]]
	index := []int{env.appIndex[chain[0]]}
	for i := 0; ; i++ {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			path := strings.Join(chain[:i+1], ".")
			set[path] = Need{Path: path, Index: append([]int(nil), index...)}
		}
		if i+1 >= len(chain) {
			return
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		fi, ft, ok := FieldByExprName(t, chain[i+1])
		if !ok {
			return
		}
		index = append(index, fi)
		t = ft
	}
}
