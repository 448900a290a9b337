package ruleset

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/lib"
	"go.yaml.in/yaml/v3"
)

// The sections of a rule file, each parsed into the Set.

func (p *parser) parameters(n *yaml.Node) {
	for _, f := range p.mapping(n, "parameters", nil, nil) {
		name := f.key.Value
		if !p.define("parameter", f.key, name, identRE) || !p.unreserved("parameter", f.key, name) {
			continue
		}
		what := "parameter " + name
		par := &Parameter{Name: name, Pos: p.src.Pos(f.key)}
		fields := p.mapping(f.val, what, []string{"value", "values", "source", "description", "assumed", "lint"}, []string{"source"})
		var hasValue bool
		for _, g := range fields {
			switch g.key.Value {
			case "value":
				hasValue = true
				if v, ok := p.paramValue(g.val, what); ok {
					par.Values = []DatedValue{{Value: v, Pos: p.src.Pos(g.val)}}
				}
			case "values":
				hasValue = true
				par.Values = p.datedValues(g.val, what)
			case "source":
				par.Source = p.str(g.val, what+" source")
			case "description":
				par.Description = p.str(g.val, what+" description")
			case "lint":
				par.Ignore = p.lint(g.val, what)
			case "assumed":
				if g.val.Tag != "!!bool" {
					p.errorf(g.val, file.ErrValue, "%s assumed: want true or false, got %s", what, file.Describe(g.val))
				} else {
					par.Assumed = g.val.Value == "true"
				}
			}
		}
		if fields != nil && !hasValue {
			p.errorf(f.val, file.ErrValue, "%s: give either value or values", what)
		}
		if fields != nil && hasValue && len(fields) > 0 && has(fields, "value") && has(fields, "values") {
			p.errorf(f.val, file.ErrValue, "%s: give value or values, not both", what)
		}
		if strings.HasPrefix(strings.ToLower(par.Source), "assumed") {
			par.Assumed = true
		}
		p.set.Parameters = append(p.set.Parameters, par)
	}
}

func has(fields []field, key string) bool {
	for _, f := range fields {
		if f.key.Value == key {
			return true
		}
	}
	return false
}

// paramValue decodes a parameter value: a number, boolean, date, text or a
// list of texts.
func (p *parser) paramValue(n *yaml.Node, what string) (any, bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				p.errorf(n, file.ErrValue, "%s: want a finite number, got %q", what, n.Value)
				return nil, false
			}
			return f, true
		case "!!bool":
			return n.Value == "true", true
		case "!!timestamp":
			t, err := time.Parse(dateLayout, n.Value)
			if err != nil {
				p.errorf(n, file.ErrValue, "%s: want a date YYYY-MM-DD, got %q", what, n.Value)
				return nil, false
			}
			return t, true
		case "!!str":
			return n.Value, true
		}
	case yaml.SequenceNode:
		return p.strs(n, what), true
	}
	p.errorf(n, file.ErrValue, "%s: want a number, true/false, a date, text or a list of texts, got %s", what, file.Describe(n))
	return nil, false
}

func (p *parser) datedValues(n *yaml.Node, what string) []DatedValue {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.errorf(n, file.ErrValue, "%s values: want a non-empty list of {from, value}, got %s", what, file.Describe(n))
		return nil
	}
	var out []DatedValue
	for _, e := range n.Content {
		var dv DatedValue
		dv.Pos = p.src.Pos(e)
		ok := true
		fields := p.mapping(e, what+" values", []string{"from", "value"}, []string{"from", "value"})
		if fields == nil {
			continue
		}
		for _, g := range fields {
			switch g.key.Value {
			case "from":
				dv.From = p.date(g.val, what+" from")
				ok = ok && !dv.From.IsZero()
			case "value":
				var vok bool
				dv.Value, vok = p.paramValue(g.val, what)
				ok = ok && vok
			}
		}
		if !ok || len(fields) < 2 {
			continue
		}
		if k := len(out); k > 0 {
			if dv.From.Equal(out[k-1].From) {
				p.c.Add(dv.Pos, file.ErrDuplicate, "%s: two values from %s; each dated value needs a date of its own",
					what, dv.From.Format(dateLayout))
				continue
			}
			if !dv.From.After(out[k-1].From) {
				p.c.Add(dv.Pos, file.ErrValue, "%s: value from %s must come after the one from %s (list dated values in date order)",
					what, dv.From.Format(dateLayout), out[k-1].From.Format(dateLayout))
				continue
			}
			if kindOf(dv.Value) != kindOf(out[k-1].Value) {
				p.c.Add(dv.Pos, file.ErrValue, "%s: value is %s but the earlier value is %s", what, kindOf(dv.Value), kindOf(out[k-1].Value))
				continue
			}
		}
		out = append(out, dv)
	}
	return out
}

func kindOf(v any) string {
	switch v.(type) {
	case float64:
		return "a number"
	case bool:
		return "true/false"
	case time.Time:
		return "a date"
	case string:
		return "text"
	case []string:
		return "a list of texts"
	}
	return "unknown"
}

func (p *parser) catalogues(n *yaml.Node) {
	for _, f := range p.mapping(n, "catalogue", nil, nil) {
		name := f.key.Value
		if !p.define("catalogue", f.key, name, identRE) || !p.unreserved("catalogue", f.key, name) {
			continue
		}
		cat := &Catalogue{Name: name, Pos: p.src.Pos(f.key)}
		entries := f.val
		if f.val.Kind == yaml.MappingNode {
			entries = nil
			for _, g := range p.mapping(f.val, "catalogue "+name, []string{"entries", "lint"}, []string{"entries"}) {
				switch g.key.Value {
				case "entries":
					entries = g.val
				case "lint":
					cat.Ignore = p.lint(g.val, "catalogue "+name)
				}
			}
			if entries == nil {
				continue
			}
		}
		if entries.Kind != yaml.SequenceNode {
			p.errorf(entries, file.ErrValue, "catalogue %s: want a list of entries, got %s", name, file.Describe(entries))
			continue
		}
		claims := map[string]catalogueClaim{} // each name matched, normalised: the entry that has it
		for _, e := range entries.Content {
			var ent CatalogueEntry
			ent.Pos = p.src.Pos(e)
			what := "catalogue " + name + " entry"
			var names []catalogueClaim // the entry's id, name and aliases, to claim
			for _, g := range p.mapping(e, what, []string{"id", "name", "aliases", "lint"}, []string{"id", "name"}) {
				switch g.key.Value {
				case "id":
					ent.ID = p.str(g.val, what+" id")
					if ent.ID != "" && p.define("catalogue "+name+" entry", g.val, ent.ID, idRE) {
						names = append(names, catalogueClaim{what: "the id", node: g.val})
					}
				case "name":
					ent.Name = p.str(g.val, what+" name")
					names = append(names, catalogueClaim{what: "the name", node: g.val})
				case "aliases":
					ent.Aliases = p.strs(g.val, what+" aliases")
					if g.val.Kind == yaml.SequenceNode {
						for _, a := range g.val.Content {
							names = append(names, catalogueClaim{what: "an alias", node: resolveAlias(a)})
						}
					}
				case "lint":
					ent.Ignore = p.lint(g.val, what)
				}
			}
			if ent.ID != "" {
				p.claimCatalogueNames(name, ent.ID, names, claims)
				cat.Entries = append(cat.Entries, ent)
			}
		}
		p.set.Catalogues = append(p.set.Catalogues, cat)
	}
}

// catalogueClaim is a name of a catalogue entry: which of the entry's
// names it is and where it stands, and the entry's id.
type catalogueClaim struct {
	what string // "the id", "the name" or "an alias"
	node *yaml.Node
	id   string
}

// claimCatalogueNames records the names of entry id of catalogue cat in
// claims, reporting each that another entry already has, once matched as
// rules match them (lib.Normalise): a value with that name would match
// the earlier entry only.
func (p *parser) claimCatalogueNames(cat, id string, names []catalogueClaim, claims map[string]catalogueClaim) {
	for _, c := range names {
		if c.node.Kind != yaml.ScalarNode || c.node.Tag == "!!null" {
			continue // reported as not text
		}
		k := lib.Normalise(c.node.Value)
		if k == "" {
			continue
		}
		first, taken := claims[k]
		switch {
		case !taken:
			c.id = id
			claims[k] = c
		case first.id != id:
			p.errorf(c.node, file.ErrDuplicate, "catalogue %s entry %s: %s %q is already %s of entry %s at %s; a value %q would match entry %s only (names match ignoring case and runs of white space)",
				cat, id, strings.TrimPrefix(strings.TrimPrefix(c.what, "the "), "an "), c.node.Value, first.what, first.id, p.src.Pos(first.node), c.node.Value, first.id)
		}
	}
}

func (p *parser) facts(n *yaml.Node) {
	for _, f := range p.mapping(n, "facts", nil, nil) {
		name := f.key.Value
		if !p.define("fact", f.key, name, identRE) || !p.unreserved("fact", f.key, name) {
			continue
		}
		fact := &Fact{Name: name, Pos: p.src.Pos(f.key)}
		what := "fact " + name
		if f.val.Kind == yaml.MappingNode {
			for _, g := range p.mapping(f.val, what, []string{"expr", "description", "lint"}, []string{"expr"}) {
				switch g.key.Value {
				case "lint":
					fact.Ignore = p.lint(g.val, what)
				case "expr":
					fact.Expr = p.expr(g.val, what)
				case "description":
					fact.Description = p.str(g.val, what+" description")
				}
			}
		} else {
			fact.Expr = p.expr(f.val, what)
		}
		if !fact.Expr.IsZero() {
			p.set.Facts = append(p.set.Facts, fact)
		}
	}
}

var explainKeys = []string{"met", "unmet", "unknown", "review", "unverified"}

func (p *parser) requirements(n *yaml.Node) {
	for _, f := range p.mapping(n, "requirements", nil, nil) {
		id := f.key.Value
		if !p.define("requirement", f.key, id, idRE) {
			continue
		}
		r := &Requirement{ID: id, Pos: p.src.Pos(f.key)}
		what := "requirement " + id
		for _, g := range p.mapping(f.val, what, []string{"title", "source", "description", "when", "review", "unknown", "explain", "lint"},
			[]string{"title", "source", "when"}) {
			switch g.key.Value {
			case "title":
				r.Title = p.str(g.val, what+" title")
			case "source":
				r.Source = p.str(g.val, what+" source")
			case "description":
				r.Description = p.str(g.val, what+" description")
			case "when":
				r.When = p.expr(g.val, what+" when")
			case "review":
				r.Review = p.expr(g.val, what+" review")
			case "unknown":
				r.Unknown = p.expr(g.val, what+" unknown")
			case "lint":
				r.Ignore = p.lint(g.val, what)
			case "explain":
				r.Explain = map[string]string{}
				for _, h := range p.mapping(g.val, what+" explain", explainKeys, nil) {
					r.Explain[h.key.Value] = p.str(h.val, what+" explain "+h.key.Value)
					p.placeholders(h.val, what+" explain "+h.key.Value)
				}
			}
		}
		p.set.Requirements = append(p.set.Requirements, r)
	}
}

// Placeholders are the names an explain wording may hold in braces:
// eligibility fills them in from the requirement's result.
var Placeholders = []string{"observed", "required", "shortfall", "missing", "title"}

var placeholderRE = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// placeholders reports each {name} in an explain wording that is not one
// of Placeholders, at its opening brace: it would be shown as written.
func (p *parser) placeholders(n *yaml.Node, what string) {
	if n.Kind != yaml.ScalarNode {
		return
	}
	var at []file.Position // the wording's characters in the file, mapped once
	var off, char int      // a byte offset in the wording, and its character
	for _, m := range placeholderRE.FindAllStringSubmatchIndex(n.Value, -1) {
		name := n.Value[m[2]:m[3]]
		if contains(Placeholders, name) {
			continue
		}
		msg := fmt.Sprintf("%s: unknown placeholder {%s}; the wording may use {%s}", what, name, strings.Join(Placeholders, "}, {"))
		if s := file.Suggest(name, Placeholders); s != "" {
			msg = fmt.Sprintf("%s: unknown placeholder {%s}; did you mean {%s}?", what, name, s)
		}
		if at == nil {
			at = p.src.ScalarMap(n)
		}
		char += utf8.RuneCountInString(n.Value[off:m[0]])
		off = m[0]
		p.c.Add(at[char], file.ErrUnknownReference, "%s", msg)
	}
}

// gates reads the gates: a list of requirement ids, each listed once
// across the rule set's files. Whether each names a requirement is checked
// with the other references, once every file is read (checkRefs).
func (p *parser) gates(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, file.ErrValue, "gates: want a list of requirement ids, got %s", file.Describe(n))
		return
	}
	for _, e := range n.Content {
		e = resolveAlias(e)
		id := p.str(e, "gates")
		if id == "" {
			continue
		}
		pos := p.src.Pos(e)
		if first, dup := p.gatePos[id]; dup {
			p.c.Add(pos, file.ErrDuplicate, "gates: requirement %q is already a gate at %s", id, first)
			continue
		}
		p.gatePos[id] = pos
		p.refPos[refKey{"gates", id}] = pos
		p.set.Gates = append(p.set.Gates, id)
	}
}

func (p *parser) benefits(n *yaml.Node) {
	for _, f := range p.mapping(n, "benefits", nil, nil) {
		id := f.key.Value
		if !p.define("benefit", f.key, id, idRE) {
			continue
		}
		b := &Benefit{ID: id, Pos: p.src.Pos(f.key)}
		what := "benefit " + id
		if f.val.Kind == yaml.ScalarNode && f.val.Tag == "!!str" {
			b.Title = f.val.Value
		} else {
			for _, g := range p.mapping(f.val, what, []string{"title", "source", "requires", "fee", "lint"}, []string{"title"}) {
				switch g.key.Value {
				case "lint":
					b.Ignore = p.lint(g.val, what)
				case "title":
					b.Title = p.str(g.val, what+" title")
				case "source":
					b.Source = p.str(g.val, what+" source")
				case "requires":
					b.Requires = p.refs(g.val, what+" requires")
				case "fee":
					b.Fee = p.str(g.val, what+" fee")
					p.refPos[refKey{what + " fee", b.Fee}] = p.src.Pos(g.val)
				}
			}
		}
		p.set.Benefits = append(p.set.Benefits, b)
	}
}

// refs reads a list of ids, keeping each id's position for later checks.
// An id listed twice is an error at the second, naming the first: a
// requirement or benefit counts once whatever the list says.
func (p *parser) refs(n *yaml.Node, what string) []string {
	if n.Kind != yaml.SequenceNode {
		return p.strs(n, what) // reports the error
	}
	out := make([]string, 0, len(n.Content))
	for _, e := range n.Content {
		e = resolveAlias(e)
		id := p.str(e, what)
		if id == "" {
			continue
		}
		pos := p.src.Pos(e)
		if first, dup := p.refPos[refKey{what, id}]; dup && slices.Contains(out, id) {
			p.c.Add(pos, file.ErrDuplicate, "%s: %q is listed twice (first at %s)", what, id, first)
			continue
		}
		p.refPos[refKey{what, id}] = pos
		out = append(out, id)
	}
	return out
}

// awards parses levels, categories or courses: a list of mappings.
func (p *parser) awards(n *yaml.Node, section string) []*Award {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, file.ErrValue, "%s list: want a list, got %s", section, file.Describe(n))
		return nil
	}
	if len(n.Content) == 0 && section == "level" {
		p.errorf(n, file.ErrValue, "levels: the ladder is empty; list at least one level")
		p.emptyLadder = true
	}
	var out []*Award
	for _, e := range n.Content {
		a := &Award{Pos: p.src.Pos(e)}
		fields := p.mapping(e, strings.TrimSpace(section+" "+scalarValue(e, "id")), []string{"id", "title", "source", "description", "requires", "routes", "benefits", "fee", "entry", "lint"},
			[]string{"id", "title"})
		if fields == nil {
			continue
		}
		for _, g := range fields {
			if g.key.Value == "id" {
				a.ID = p.str(g.val, section+" id")
				if a.ID != "" && !p.define("award", g.val, a.ID, idRE) {
					a.ID = ""
				}
			}
		}
		what := section + " " + a.ID
		for _, g := range fields {
			switch g.key.Value {
			case "title":
				a.Title = p.str(g.val, what+" title")
			case "source":
				a.Source = p.str(g.val, what+" source")
			case "description":
				a.Description = p.str(g.val, what+" description")
			case "requires":
				a.Requires = p.refs(g.val, what+" requires")
			case "benefits":
				a.Benefits = p.refs(g.val, what+" benefits")
			case "fee":
				a.Fee = p.str(g.val, what+" fee")
				p.refPos[refKey{what + " fee", a.Fee}] = p.src.Pos(g.val)
			case "routes":
				a.Routes = p.routes(g.val, what)
			case "entry":
				a.Entry = p.entry(g, section, what)
			case "lint":
				a.Ignore = p.lint(g.val, what)
			}
		}
		if len(a.Routes) == 0 {
			a.Routes = []*Route{{Name: "standard", Pos: a.Pos}}
		}
		if a.ID != "" {
			out = append(out, a)
		}
	}
	return out
}

// entry reads a level's entry key: a non-empty list of requirement ids,
// each listed once. Only levels take one: Next offers levels only. Whether
// each id names a requirement is checked with the other references
// (checkRefs).
func (p *parser) entry(f field, section, what string) []string {
	if section != "level" {
		p.errorf(f.key, file.ErrValue, "%s entry: only levels take an entry condition (it says when Next offers the level)", what)
		return nil
	}
	if f.val.Kind == yaml.SequenceNode && len(f.val.Content) == 0 {
		p.errorf(f.val, file.ErrValue, "%s entry: list at least one requirement, or leave entry out", what)
		return nil
	}
	ids := p.refs(f.val, what+" entry")
	seen := map[string]bool{}
	out := ids[:0]
	for i, id := range ids {
		if seen[id] {
			p.errorf(f.val.Content[i], file.ErrDuplicate, "%s entry: requirement %q is listed twice", what, id)
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

func (p *parser) routes(n *yaml.Node, what string) []*Route {
	var out []*Route
	fields := p.mapping(n, what+" routes", nil, nil)
	if fields != nil && len(fields) == 0 {
		p.errorf(n, file.ErrValue, "%s routes: list at least one route, or leave routes out", what)
	}
	for _, f := range fields {
		r := &Route{Name: f.key.Value, Pos: p.src.Pos(f.key)}
		rwhat := what + " route " + r.Name
		if f.val.Kind == yaml.SequenceNode {
			r.Requires = p.refs(f.val, rwhat)
		} else {
			for _, g := range p.mapping(f.val, rwhat, []string{"requires", "review"}, []string{"requires"}) {
				switch g.key.Value {
				case "requires":
					r.Requires = p.refs(g.val, rwhat)
				case "review":
					if g.val.Tag != "!!bool" {
						p.errorf(g.val, file.ErrValue, "%s review: want true or false, got %s", rwhat, file.Describe(g.val))
					}
					r.Review = g.val.Value == "true"
				}
			}
		}
		out = append(out, r)
	}
	return out
}
