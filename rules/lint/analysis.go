package lint

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/check"
	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/eligo-dev/eligo/rules/ruleset"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

type linter struct {
	set   *ruleset.Set
	found []Finding
	gates map[string]bool
	// periods holds the parameters' values in each period between the
	// dates on which a dated value takes effect (absent: no value yet).
	periods []map[string]any
	// constFalse maps each constant-false requirement to its finding.
	constFalse map[string]bool
	// facts are the rule set's facts by name.
	facts map[string]*ruleset.Fact
	// unsaid lists the declared model's numbers, integers and booleans
	// that are neither required nor nullable, outside lists: what a
	// document may leave out, read as 0 or false (absenceGrants).
	unsaid []unsaidField
}

// unsaidField is a model field whose absence reads as its zero value.
type unsaidField struct {
	chain []string // as rules read it: "insurance", "professionalIndemnity"
	zero  any      // its value when absent, as fold gives values: false or 0.0
}

type group struct {
	section string
	awards  []*ruleset.Award
}

func (l *linter) groups() []group {
	s := l.set
	return []group{{"level", s.Levels}, {"category", s.Categories}, {"course", s.Courses}}
}

func newLinter(set *ruleset.Set) *linter {
	l := &linter{set: set, gates: map[string]bool{}, constFalse: map[string]bool{}}
	for _, g := range set.Gates {
		l.gates[g] = true
	}
	l.periods = periods(set.Parameters)
	if set.Model != nil {
		l.unsaid = unsaidFields(set.Model.Fields, nil, nil)
	}
	l.facts = map[string]*ruleset.Fact{}
	for _, f := range set.Facts {
		l.facts[f.Name] = f
	}
	return l
}

// unsaidFields appends to out the fields, at the top level or in sections
// (under chain), that a document may leave out to be read as 0 or false.
func unsaidFields(fields []*ruleset.ModelField, chain []string, out []unsaidField) []unsaidField {
	for _, f := range fields {
		c := append(slices.Clone(chain), f.Name)
		switch {
		case f.Required || f.Nullable:
		case f.Min != nil && *f.Min > 0 || f.Max != nil && *f.Max < 0:
			// 0 is out of bounds: a document leaving it out is invalid
		case f.Type == ruleset.TypeBoolean:
			out = append(out, unsaidField{c, false})
		case f.Type == ruleset.TypeNumber || f.Type == ruleset.TypeInteger:
			out = append(out, unsaidField{c, 0.0})
		case f.Type == ruleset.TypeSection:
			out = unsaidFields(f.Fields, c, out)
		}
	}
	return out
}

func (l *linter) add(code string, pos file.Position, item string, ignore []ruleset.Suppression, format string, args ...any) {
	l.found = append(l.found, Finding{Code: code, Severity: severity(code), Pos: pos, Item: item,
		Message: item + ": " + fmt.Sprintf(format, args...), ignore: ignore})
}

// periods returns the parameters' values before every date and from each
// date on which some dated value takes effect, leaving out the periods in
// which a parameter has no value yet: no evaluation can fall in them.
func periods(params []*ruleset.Parameter) []map[string]any {
	dates := map[time.Time]bool{}
	for _, p := range params {
		for _, v := range p.Values {
			if !v.From.IsZero() {
				dates[v.From] = true
			}
		}
	}
	starts := []time.Time{{}}
	for d := range dates {
		starts = append(starts, d)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	var out []map[string]any
	for k, start := range starts {
		env := map[string]any{}
		for _, p := range params {
			for _, v := range p.Values {
				if v.From.IsZero() || (k > 0 && !v.From.After(start)) {
					env[p.Name] = v.Value
				}
			}
		}
		if len(env) == len(params) {
			out = append(out, env)
		}
	}
	return out
}

// maxNodes is rules.DefaultMaxNodes: an expression over the shape limits
// it implies is not parsed, as compiling refuses it.
const maxNodes = 2000

// parse parses an expression for lint's analyses; nil when it does not
// parse, which compiling reports.
func parse(e ruleset.Expr) ast.Node {
	if e.IsZero() || !check.InBounds(e.Source, maxNodes) {
		return nil
	}
	tree, err := parser.Parse(e.Source)
	if err != nil {
		return nil
	}
	return tree.Node
}

type visitor func(*ast.Node)

func (v visitor) Visit(n *ast.Node) { v(n) }

func walk(n ast.Node, f func(ast.Node)) {
	ast.Walk(&n, visitor(func(p *ast.Node) { f(*p) }))
}

// reads records what an expression reads: parameters, facts and
// catalogues (all of them when a lookup names its catalogue by an
// expression rather than a literal).
type reads struct {
	params, facts, cats map[string]bool
	allCats             bool
}

func (r *reads) add(n ast.Node, self string) {
	walk(n, func(n ast.Node) {
		switch x := n.(type) {
		case *ast.IdentifierNode:
			if x.Value != self {
				r.facts[x.Value] = true
			}
		case *ast.MemberNode:
			if chain := check.MemberChain(x); len(chain) > 1 && chain[0] == lib.Param {
				r.params[chain[1]] = true
			}
		case *ast.CallNode:
			callee, ok := x.Callee.(*ast.IdentifierNode)
			if !ok {
				return
			}
			switch callee.Value {
			case "approved":
				r.cats[lib.Providers] = true
			case "listed", "canonical":
				if len(x.Arguments) > 0 {
					if s, ok := x.Arguments[0].(*ast.StringNode); ok {
						r.cats[s.Value] = true
						return
					}
				}
				r.allCats = true
			}
		}
	})
}

// unused reports requirements, facts, parameters, benefits and catalogues
// that nothing uses, and requirements whose condition is constant false.
func (l *linter) unused() {
	s := l.set
	r := &reads{params: map[string]bool{}, facts: map[string]bool{}, cats: map[string]bool{}}
	for _, f := range s.Facts {
		if n := parse(f.Expr); n != nil {
			r.add(n, f.Name)
		}
	}
	for _, q := range s.Requirements {
		for _, e := range []ruleset.Expr{q.When, q.Review, q.Unknown} {
			if n := parse(e); n != nil {
				r.add(n, "")
			}
		}
		l.constantFalse(q)
		l.absenceGrants(q)
	}
	reqs, bens := map[string]bool{}, map[string]bool{}
	for _, g := range s.Gates {
		reqs[g] = true
	}
	for _, g := range l.groups() {
		for _, a := range g.awards {
			for _, id := range slices.Concat(a.Requires, a.Entry) {
				reqs[id] = true
			}
			for _, rt := range a.Routes {
				for _, id := range rt.Requires {
					reqs[id] = true
				}
			}
			for _, b := range a.Benefits {
				bens[b] = true
			}
			r.params[a.Fee] = true
		}
	}
	for _, b := range s.Benefits {
		for _, id := range b.Requires {
			reqs[id] = true
		}
		r.params[b.Fee] = true
	}
	for _, q := range s.Requirements {
		if !reqs[q.ID] {
			l.add("unused-requirement", q.Pos, "requirement "+q.ID, q.Ignore,
				"no level, category, course, benefit or gate needs it")
		}
	}
	for _, f := range s.Facts {
		if !r.facts[f.Name] {
			l.add("unused-fact", f.Pos, "fact "+f.Name, f.Ignore, "no requirement or other fact reads it")
		}
	}
	for _, p := range s.Parameters {
		if !r.params[p.Name] {
			l.add("unused-parameter", p.Pos, "parameter "+p.Name, p.Ignore,
				"no expression reads param.%s and no award or benefit charges it as a fee", p.Name)
		}
	}
	for _, b := range s.Benefits {
		if !bens[b.ID] {
			l.add("unused-benefit", b.Pos, "benefit "+b.ID, b.Ignore, "no level, category or course unlocks it")
		}
	}
	for _, c := range s.Catalogues {
		if !r.cats[c.Name] && !r.allCats {
			how := fmt.Sprintf(`listed("%s", ...) or canonical("%s", ...)`, c.Name, c.Name)
			if c.Name == lib.Providers {
				how = "approved(...), " + how
			}
			l.add("unused-catalogue", c.Pos, "catalogue "+c.Name, c.Ignore, "no expression reads it; rules read it with %s", how)
		}
	}
}

// constantFalse reports a requirement whose when is false in every period
// of the parameters, at the first top-level clause that is.
func (l *linter) constantFalse(q *ruleset.Requirement) {
	n := parse(q.When)
	if n == nil || !l.alwaysFalse(n) {
		return
	}
	at := n
	for _, c := range conjuncts(n) {
		if l.alwaysFalse(c) {
			at = c
			break
		}
	}
	l.constFalse[q.ID] = true
	src := []rune(q.When.Source)
	from, to := span(at)
	clause := ""
	if 0 <= from && from < to && to <= len(src) {
		clause = string(src[from:to])
	}
	msg := "its condition is false for every applicant"
	if clause != "" && clause != strings.TrimSpace(q.When.Source) {
		msg = fmt.Sprintf("its condition is false for every applicant: %s is always false", clause)
	}
	if readsParams(at) {
		msg += ", with the parameters' values"
		if len(l.periods) > 1 {
			msg += " of every period"
		}
	}
	l.add("constant-false", q.When.PositionAt(from), "requirement "+q.ID, q.Ignore, "%s", msg)
}

// absenceGrants reports a top-level clause of a requirement's when that
// holds, in every period of the parameters, for a document that leaves
// out a number or boolean read in it (or in a fact it reads), which reads
// as 0 or false, while no other top-level clause fails on that absence: a
// clause such as !struckOff or hours <= param.max, granting on what a
// document does not say. One finding per clause.
func (l *linter) absenceGrants(q *ruleset.Requirement) {
	n := parse(q.When)
	if n == nil || len(l.unsaid) == 0 || len(l.periods) == 0 {
		return
	}
	clauses := conjuncts(n)
	budget := maxExpanded
	expanded := conjuncts(l.expand(parse(q.When), map[string]bool{}, &budget)) // facts put in
	src := []rune(q.When.Source)
	reported := map[int]bool{}
	for _, f := range l.unsaid {
		at := -1
		for i, c := range expanded {
			if readsField(c, f.chain) && l.alwaysWith(c, f, true) {
				at = i
				break
			}
		}
		if at < 0 || reported[at] || slices.ContainsFunc(expanded, func(c ast.Node) bool { return l.sometimesFalseWith(c, f) }) {
			continue
		}
		reported[at] = true
		from, to := span(clauses[at])
		clause := strings.TrimSpace(q.When.Source)
		if 0 <= from && from < to && to <= len(src) {
			clause = string(src[from:to])
		}
		name := strings.Join(f.chain, ".")
		what := "false"
		if f.zero != false {
			what = "0"
		}
		l.add("absence-grants", q.When.PositionAt(from), "requirement "+q.ID, q.Ignore,
			"%s holds for a document that leaves %s out, which reads as %s: declare it required: true (documents must give it) or nullable: true (absent is unknown)",
			clause, name, what)
	}
}

// maxExpanded bounds the nodes expand puts in for one expression.
const maxExpanded = 10_000

// expand returns n with each fact it names put in its place, as its
// expression, facts within it put in too; a fact in a cycle (on stack), or
// past budget nodes put in, stays a name, which fold does not fold.
func (l *linter) expand(n ast.Node, stack map[string]bool, budget *int) ast.Node {
	if n == nil {
		return nil
	}
	ast.Walk(&n, visitor(func(node *ast.Node) {
		id, ok := (*node).(*ast.IdentifierNode)
		if !ok || stack[id.Value] {
			return
		}
		f := l.facts[id.Value]
		if f == nil {
			return
		}
		t := parse(f.Expr)
		if t == nil {
			return
		}
		size := 0
		walk(t, func(ast.Node) { size++ })
		if *budget -= size; *budget < 0 {
			return
		}
		stack[id.Value] = true
		*node = l.expand(t, stack, budget)
		delete(stack, id.Value)
	}))
	return n
}

// readsField reports whether n reads the applicant's field chain.
func readsField(n ast.Node, chain []string) bool {
	found := false
	walk(n, func(m ast.Node) {
		if slices.Equal(check.MemberChain(m), chain) {
			found = true
		}
	})
	return found
}

// alwaysWith reports whether n folds to want in every period with field
// f absent.
func (l *linter) alwaysWith(n ast.Node, f unsaidField, want bool) bool {
	key := fieldKey(f.chain)
	for _, period := range l.periods {
		env := maps.Clone(period)
		env[key] = f.zero
		if v, ok := fold(n, env); !ok || v != want {
			return false
		}
	}
	return true
}

// sometimesFalseWith reports whether n folds to false in some period with
// field f absent: there, its requirement fails on the absence.
func (l *linter) sometimesFalseWith(n ast.Node, f unsaidField) bool {
	key := fieldKey(f.chain)
	for _, period := range l.periods {
		env := maps.Clone(period)
		env[key] = f.zero
		if v, ok := fold(n, env); ok && v == false {
			return true
		}
	}
	return false
}

// fieldKey is the key of an applicant field's value in fold's env, apart
// from parameters' names, which are identifiers.
func fieldKey(chain []string) string { return "@" + strings.Join(chain, ".") }

// alwaysFalse reports whether n folds to false in every period.
func (l *linter) alwaysFalse(n ast.Node) bool {
	for _, env := range l.periods {
		if v, ok := fold(n, env); !ok || v != false {
			return false
		}
	}
	return len(l.periods) > 0
}

// readsParams reports whether n reads a parameter.
func readsParams(n ast.Node) bool {
	found := false
	walk(n, func(m ast.Node) {
		if chain := check.MemberChain(m); len(chain) > 1 && chain[0] == lib.Param {
			found = true
		}
	})
	return found
}

// conjuncts splits n at its top-level &&.
func conjuncts(n ast.Node) []ast.Node {
	if b, ok := n.(*ast.BinaryNode); ok && (b.Operator == "&&" || b.Operator == "and") {
		return append(conjuncts(b.Left), conjuncts(b.Right)...)
	}
	return []ast.Node{n}
}

// span returns the characters n's subtree covers.
func span(n ast.Node) (from, to int) {
	from, to = -1, -1
	walk(n, func(m ast.Node) {
		loc := m.Location()
		if from < 0 || loc.From < from {
			from = loc.From
		}
		if loc.To > to {
			to = loc.To
		}
	})
	return max(from, 0), to
}

// fold evaluates n if it is a constant once parameters take their values
// in env: literals, param.NAME, applicant fields env gives a value
// (fieldKey), and !, -, &&, ||, comparisons, in, arithmetic, ?: and len
// over them. A && with a false side is false, and
// a || with a true side true, whatever the other side.
func fold(n ast.Node, env map[string]any) (any, bool) {
	switch x := n.(type) {
	case *ast.BoolNode:
		return x.Value, true
	case *ast.IntegerNode:
		return float64(x.Value), true
	case *ast.FloatNode:
		return x.Value, true
	case *ast.StringNode:
		return x.Value, true
	case *ast.NilNode:
		return nil, true
	case *ast.ArrayNode:
		out := make([]any, 0, len(x.Nodes))
		for _, e := range x.Nodes {
			v, ok := fold(e, env)
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	case *ast.IdentifierNode:
		v, ok := env[fieldKey([]string{x.Value})]
		return v, ok
	case *ast.ChainNode: // a?.b
		return fold(x.Node, env)
	case *ast.MemberNode:
		chain := check.MemberChain(x)
		if len(chain) > 0 && chain[0] != lib.Param {
			v, ok := env[fieldKey(chain)]
			return v, ok
		}
		if len(chain) != 2 {
			return nil, false
		}
		v, ok := env[chain[1]]
		if list, isList := v.([]string); isList {
			out := make([]any, len(list))
			for i, s := range list {
				out[i] = s
			}
			return out, ok
		}
		return v, ok
	case *ast.UnaryNode:
		v, ok := fold(x.Node, env)
		if !ok {
			return nil, false
		}
		switch x.Operator {
		case "!", "not":
			if b, isBool := v.(bool); isBool {
				return !b, true
			}
		case "-":
			if f, isNum := v.(float64); isNum {
				return -f, true
			}
		case "+":
			if f, isNum := v.(float64); isNum {
				return f, true
			}
		}
	case *ast.ConditionalNode:
		if c, ok := fold(x.Cond, env); ok {
			if b, isBool := c.(bool); isBool {
				if b {
					return fold(x.Exp1, env)
				}
				return fold(x.Exp2, env)
			}
		}
	case *ast.BuiltinNode:
		if x.Name == "len" && len(x.Arguments) == 1 {
			switch v, _ := fold(x.Arguments[0], env); v := v.(type) {
			case []any:
				return float64(len(v)), true
			case string:
				return float64(len([]rune(v))), true
			}
		}
	case *ast.BinaryNode:
		return foldBinary(x, env)
	}
	return nil, false
}

func foldBinary(x *ast.BinaryNode, env map[string]any) (any, bool) {
	a, aok := fold(x.Left, env)
	b, bok := fold(x.Right, env)
	switch x.Operator {
	case "&&", "and":
		if (aok && a == false) || (bok && b == false) {
			return false, true
		}
		if aok && bok && a == true && b == true {
			return true, true
		}
		return nil, false
	case "||", "or":
		if (aok && a == true) || (bok && b == true) {
			return true, true
		}
		if aok && bok && a == false && b == false {
			return false, true
		}
		return nil, false
	}
	if !aok || !bok {
		return nil, false
	}
	switch x.Operator {
	case "==", "!=":
		if !comparable(a) || !comparable(b) {
			return nil, false
		}
		return (a == b) == (x.Operator == "=="), true
	case "in", "not in":
		list, ok := b.([]any)
		if !ok || !comparable(a) {
			return nil, false
		}
		found := false
		for _, e := range list {
			if comparable(e) && e == a {
				found = true
			}
		}
		return found == (x.Operator == "in"), true
	}
	if fa, ok := a.(float64); ok {
		if fb, ok := b.(float64); ok {
			switch x.Operator {
			case "<":
				return fa < fb, true
			case "<=":
				return fa <= fb, true
			case ">":
				return fa > fb, true
			case ">=":
				return fa >= fb, true
			case "+":
				return fa + fb, true
			case "-":
				return fa - fb, true
			case "*":
				return fa * fb, true
			}
		}
	}
	if sa, ok := a.(string); ok {
		if sb, ok := b.(string); ok {
			switch x.Operator {
			case "<":
				return sa < sb, true
			case "<=":
				return sa <= sb, true
			case ">":
				return sa > sb, true
			case ">=":
				return sa >= sb, true
			}
		}
	}
	return nil, false
}

// comparable reports a value == compares as expr does: numbers, texts,
// truth values and nil.
func comparable(v any) bool {
	switch v.(type) {
	case nil, float64, string, bool:
		return true
	}
	return false
}

// routeReqs returns the requirements a route of a needs: the gates, the
// award's and the route's own, each once, sorted.
func (l *linter) routeReqs(a *ruleset.Award, r *ruleset.Route) []string {
	out := slices.Concat(l.set.Gates, a.Requires, r.Requires)
	slices.Sort(out)
	return slices.Compact(out)
}

// awards reports routes that need nothing, gates listed again, and awards
// that no route can grant.
func (l *linter) awards() {
	for _, g := range l.groups() {
		for _, a := range g.awards {
			item := g.section + " " + a.ID
			if rs := l.restated(a.Requires); len(rs) > 0 {
				l.add("gate-restated", a.Pos, item, a.Ignore, "requires %s, which %s: every award needs %s already",
					list(rs), gateWord(rs), them(rs))
			}
			never := len(a.Routes) > 0
			for _, r := range a.Routes {
				reqs := l.routeReqs(a, r)
				if rs := l.restated(r.Requires); len(rs) > 0 {
					l.add("gate-restated", r.Pos, item, a.Ignore, "route %s requires %s, which %s: every award needs %s already",
						r.Name, list(rs), gateWord(rs), them(rs))
				}
				if len(reqs) == 0 {
					what := "grants every applicant"
					if r.Review {
						what = "refers every applicant for review"
					}
					l.add("grants-everyone", r.Pos, item, a.Ignore, "route %s needs no requirement, so it %s", r.Name, what)
				}
				if !slices.ContainsFunc(reqs, func(id string) bool { return l.constFalse[id] }) {
					never = false
				}
			}
			if never {
				l.add("never-granted", a.Pos, item, a.Ignore, "every route needs a requirement whose condition is always false, so no applicant can get it")
			}
		}
	}
	for _, b := range l.set.Benefits {
		if rs := l.restated(b.Requires); len(rs) > 0 {
			l.add("gate-restated", b.Pos, "benefit "+b.ID, b.Ignore, "requires %s, which %s: the award that unlocks it needs %s already",
				list(rs), gateWord(rs), them(rs))
		}
	}
}

func (l *linter) restated(ids []string) []string {
	var out []string
	for _, id := range ids {
		if l.gates[id] && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func list(ids []string) string { return strings.Join(ids, ", ") }

func gateWord(ids []string) string {
	if len(ids) == 1 {
		return "is a gate"
	}
	return "are gates"
}

func them(ids []string) string {
	if len(ids) == 1 {
		return "it"
	}
	return "them"
}

// granting returns the requirement sets of a level's routes that grant
// (review: false), with the routes.
func (l *linter) granting(a *ruleset.Award) (sets [][]string, routes []*ruleset.Route) {
	for _, r := range a.Routes {
		if !r.Review {
			sets = append(sets, l.routeReqs(a, r))
			routes = append(routes, r)
		}
	}
	return sets, routes
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func missing(need, have []string) []string {
	var out []string
	for _, x := range need {
		if !slices.Contains(have, x) {
			out = append(out, x)
		}
	}
	return out
}

// ladder reports levels that can never be decided, and levels that do not
// include a lower level's requirements.
func (l *linter) ladder() {
	levels := l.set.Levels
	type rung struct {
		sets   [][]string
		routes []*ruleset.Route
	}
	rungs := make([]rung, len(levels))
	for i, a := range levels {
		rungs[i].sets, rungs[i].routes = l.granting(a)
	}
	// level-shadowed: every granting route of L is covered by a granting
	// route of some higher level needing a subset of its requirements.
	for i, a := range levels {
		if len(rungs[i].sets) == 0 {
			continue
		}
		var witness []string
		for k, r := range rungs[i].sets {
			found := ""
			for j := i + 1; j < len(levels) && found == ""; j++ {
				for m, h := range rungs[j].sets {
					if subset(h, r) {
						found = fmt.Sprintf("level %s's route %s needs only requirements that its route %s needs",
							levels[j].ID, rungs[j].routes[m].Name, rungs[i].routes[k].Name)
						break
					}
				}
			}
			if found == "" {
				witness = nil
				break
			}
			witness = append(witness, found)
		}
		if witness != nil {
			l.add("level-shadowed", a.Pos, "level "+a.ID, a.Ignore,
				"it can never be the decided level, for a higher level is granted whenever it is: %s",
				strings.Join(witness, "; "))
		}
	}
	// level-not-cumulative: every granting route of H includes every
	// requirement of some granting route of each lower level L on the
	// main track.
	for j, h := range levels {
		for i := 0; i < j; i++ {
			lo := levels[i]
			if len(lo.Entry) > 0 || len(rungs[i].sets) == 0 {
				continue
			}
			for m, hs := range rungs[j].sets {
				var best []string // of the route missing least
				for k, ls := range rungs[i].sets {
					if miss := missing(ls, hs); k == 0 || len(miss) < len(best) {
						best = miss
					}
				}
				if len(best) > 0 {
					route := ""
					if len(h.Routes) > 1 {
						route = fmt.Sprintf(" by route %s", rungs[j].routes[m].Name)
					}
					l.add("level-not-cumulative", h.Pos, "level "+h.ID, h.Ignore,
						"it can be granted%s without level %s's %s, so an applicant can hold it without qualifying for the level below",
						route, lo.ID, list(best))
					break
				}
			}
		}
	}
}

// parameters reports assumed parameters without a description.
func (l *linter) parameters() {
	for _, p := range l.set.Parameters {
		if p.Assumed && strings.TrimSpace(p.Description) == "" {
			l.add("assumed-undescribed", p.Pos, "parameter "+p.Name, p.Ignore,
				"it is assumed (its source is %q) but has no description saying why the value was chosen", p.Source)
		}
	}
}
