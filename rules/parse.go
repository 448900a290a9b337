package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/rules/file"
	"go.yaml.in/yaml/v3"
)

// Limits that apply while parsing. They are on for every load.
const (
	// MaxFileSize is the largest rule file accepted, in bytes.
	MaxFileSize = 1 << 20
	// MaxErrors is how many errors an *ErrorList keeps; the rest are counted
	// in its Dropped field.
	MaxErrors = 50
)

const dateLayout = "2006-01-02"

// Parse parses one rule file. name is used in error positions. The file must
// hold a complete rule set; use Load for a rule set split over several files.
//
// Every problem found is reported at once, as an *ErrorList.
func Parse(name string, data []byte) (*Set, error) {
	c := &file.Errors{}
	p := newParser(c)
	p.file(name, data)
	return p.finish()
}

// Load parses every rule file in fsys matching the glob patterns (by default
// "*.yaml" and "*.yml") and merges them into one rule set: sections are
// combined, ids must be unique across files, and the header (ruleset,
// version, title, effective) must be given once, or identically.
//
// Every problem in every file is reported at once, as an *ErrorList.
func Load(fsys fs.FS, patterns ...string) (*Set, error) {
	if len(patterns) == 0 {
		patterns = []string{"*.yaml", "*.yml"}
	}
	seen := map[string]bool{}
	var names []string
	for _, pat := range patterns {
		m, err := fs.Glob(fsys, pat)
		if err != nil {
			return nil, fmt.Errorf("rules: bad pattern %q: %w", pat, err)
		}
		for _, n := range m {
			if !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("rules: no rule files match %s", strings.Join(patterns, ", "))
	}
	sort.Strings(names)
	c := &file.Errors{}
	p := newParser(c)
	for _, n := range names {
		info, err := fs.Stat(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		if info.Size() > MaxFileSize {
			c.Add(Position{File: n}, ErrLimit, "file is %d bytes; the limit is %d", info.Size(), MaxFileSize)
			continue
		}
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		p.file(n, data)
	}
	return p.finish()
}

type parser struct {
	c      *file.Errors
	set    *Set
	src    *file.Source // the file being parsed
	header map[string]Position
	ids    map[string]map[string]Position // section -> id -> first definition
	digest []byte
	refPos map[refKey]Position // where each reference in a list stands
	broken bool                // some file is not YAML or empty: skip whole-set checks
}

func newParser(c *file.Errors) *parser {
	return &parser{c: c, set: &Set{}, header: map[string]Position{}, ids: map[string]map[string]Position{}, refPos: map[refKey]Position{}}
}

// field is one key of a mapping with its value.
type field struct {
	key, val *yaml.Node
}

func (p *parser) errorf(n *yaml.Node, kind error, format string, args ...any) {
	p.c.Add(p.src.Pos(n), kind, format, args...)
}

func (p *parser) file(name string, data []byte) {
	p.src = file.NewSource(name, data)
	p.c.AddSource(p.src)
	p.set.files = append(p.set.files, p.src)
	h := sha256.New()
	fmt.Fprintf(h, "%d:%s\n%d:", len(name), name, len(data))
	h.Write(data)
	p.digest = h.Sum(p.digest)
	if len(data) > MaxFileSize {
		p.c.Add(Position{File: name, Line: 1, Column: 1}, ErrLimit, "file is %d bytes; the limit is %d", len(data), MaxFileSize)
		return
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p.c.Add(p.src.YAMLErrorPos(err), file.YAMLErrorKind(err), "%s", file.YAMLErrorMsg(err))
		p.broken = true
		return
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.c.Add(Position{File: name, Line: 1, Column: 1}, ErrValue, "empty rule file")
		p.broken = true
		return
	}
	root := doc.Content[0]
	fields := p.mapping(root, "rule file", []string{"ruleset", "version", "title", "effective", "description",
		"parameters", "catalogue", "facts", "requirements", "benefits", "levels", "categories", "courses"}, nil)
	if fields == nil {
		return
	}
	for _, f := range fields {
		switch f.key.Value {
		case "ruleset", "version", "title", "effective":
			p.headerField(f)
		case "description":
			p.str(f.val, "description")
		case "parameters":
			p.parameters(f.val)
		case "catalogue":
			p.catalogues(f.val)
		case "facts":
			p.facts(f.val)
		case "requirements":
			p.requirements(f.val)
		case "benefits":
			p.benefits(f.val)
		case "levels":
			p.set.Levels = append(p.set.Levels, p.awards(f.val, "level")...)
		case "categories":
			p.set.Categories = append(p.set.Categories, p.awards(f.val, "category")...)
		case "courses":
			p.set.Courses = append(p.set.Courses, p.awards(f.val, "course")...)
		}
	}
}

// mapping checks that n is a mapping and returns its fields in order,
// reporting duplicate keys and keys not in known (nil known: any key).
// Keys in required that are missing are reported at n.
func (p *parser) mapping(n *yaml.Node, what string, known, required []string) []field {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		p.errorf(n, ErrValue, "%s: want a mapping, got %s", what, file.Describe(n))
		return nil
	}
	var out []field
	seen := map[string]bool{}
	suggested := map[string]bool{} // required keys a misspelt key already names
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, ErrValue, "%s: keys must be plain names", what)
			continue
		}
		if k.Value == "<<" {
			p.errorf(k, ErrValue, "%s: merge keys (<<) are not supported; repeat the keys", what)
			continue
		}
		if seen[k.Value] {
			p.errorf(k, ErrDuplicate, "%s: key %q given twice", what, k.Value)
			continue
		}
		seen[k.Value] = true
		if known != nil && !contains(known, k.Value) {
			msg := fmt.Sprintf("%s: unknown key %q", what, k.Value)
			if s := file.Suggest(k.Value, known); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
				suggested[s] = true
			}
			p.errorf(k, ErrUnknownKey, "%s", msg)
			continue
		}
		out = append(out, field{k, v})
	}
	for _, r := range required {
		if !seen[r] && !suggested[r] {
			p.errorf(n, ErrValue, "%s: missing required key %q", what, r)
		}
	}
	return out
}

// scalarValue returns the text of mapping n's scalar value for key, or "",
// for naming a mapping in messages before its keys are checked.
func scalarValue(n *yaml.Node, key string) string {
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; k.Value == key && v.Kind == yaml.ScalarNode {
			return v.Value
		}
	}
	return ""
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// str returns a scalar's text, reporting anything else.
func (p *parser) str(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, ErrValue, "%s: want text, got %s", what, file.Describe(n))
		return ""
	}
	return n.Value
}

// strs returns a list of scalars' texts.
func (p *parser) strs(n *yaml.Node, what string) []string {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, ErrValue, "%s: want a list, got %s", what, file.Describe(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, e := range n.Content {
		if s := p.str(resolveAlias(e), what); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) date(n *yaml.Node, what string) time.Time {
	s := p.str(n, what)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		p.errorf(n, ErrValue, "%s: want a date YYYY-MM-DD, got %q", what, s)
	}
	return t
}

func (p *parser) expr(n *yaml.Node, what string) Expr {
	s := p.str(n, what)
	if strings.TrimSpace(s) == "" {
		if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
			p.errorf(n, ErrValue, "%s: empty expression", what)
		}
		return Expr{}
	}
	return Expr{Source: s, Pos: p.src.Pos(n), node: n, file: p.src}
}

var idRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// define records id in a section's namespace, reporting duplicates and bad ids.
func (p *parser) define(section string, n *yaml.Node, id string, re *regexp.Regexp) bool {
	if !re.MatchString(id) {
		p.errorf(n, ErrValue, "%s id %q: use letters, digits, '-', '_' or '.', starting with a letter", section, id)
		return false
	}
	m := p.ids[section]
	if m == nil {
		m = map[string]Position{}
		p.ids[section] = m
	}
	if first, dup := m[id]; dup {
		p.errorf(n, ErrDuplicate, "%s %q is already defined at %s", section, id, first)
		return false
	}
	m[id] = p.src.Pos(n)
	return true
}

func (p *parser) headerField(f field) {
	key := f.key.Value
	pos := p.src.Pos(f.key)
	var val string
	switch key {
	case "effective":
		if t := p.date(f.val, key); !t.IsZero() {
			val = t.Format(dateLayout)
		}
	default:
		val = p.str(f.val, key)
	}
	if val == "" {
		return
	}
	if first, ok := p.header[key]; ok {
		old := map[string]string{"ruleset": p.set.Name, "version": p.set.Version, "title": p.set.Title,
			"effective": p.set.Effective.Format(dateLayout)}[key]
		if old != val {
			p.c.Add(pos, ErrDuplicate, "%s %q differs from %q given at %s", key, val, old, first)
		}
		return
	}
	p.header[key] = pos
	switch key {
	case "ruleset":
		p.set.Name = val
	case "version":
		p.set.Version = val
	case "title":
		p.set.Title = val
	case "effective":
		p.set.Effective, _ = time.Parse(dateLayout, val)
	}
}

func (p *parser) parameters(n *yaml.Node) {
	for _, f := range p.mapping(n, "parameters", nil, nil) {
		name := f.key.Value
		if !p.define("parameter", f.key, name, identRE) || !p.unreserved("parameter", f.key, name) {
			continue
		}
		what := "parameter " + name
		par := &Parameter{Name: name, Pos: p.src.Pos(f.key)}
		fields := p.mapping(f.val, what, []string{"value", "values", "source", "description", "assumed"}, []string{"source"})
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
			case "assumed":
				if g.val.Tag != "!!bool" {
					p.errorf(g.val, ErrValue, "%s assumed: want true or false, got %s", what, file.Describe(g.val))
				} else {
					par.Assumed = g.val.Value == "true"
				}
			}
		}
		if fields != nil && !hasValue {
			p.errorf(f.val, ErrValue, "%s: give either value or values", what)
		}
		if fields != nil && hasValue && len(fields) > 0 && has(fields, "value") && has(fields, "values") {
			p.errorf(f.val, ErrValue, "%s: give value or values, not both", what)
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
				p.errorf(n, ErrValue, "%s: want a finite number, got %q", what, n.Value)
				return nil, false
			}
			return f, true
		case "!!bool":
			return n.Value == "true", true
		case "!!timestamp":
			t, err := time.Parse(dateLayout, n.Value)
			if err != nil {
				p.errorf(n, ErrValue, "%s: want a date YYYY-MM-DD, got %q", what, n.Value)
				return nil, false
			}
			return t, true
		case "!!str":
			return n.Value, true
		}
	case yaml.SequenceNode:
		return p.strs(n, what), true
	}
	p.errorf(n, ErrValue, "%s: want a number, true/false, a date, text or a list of texts, got %s", what, file.Describe(n))
	return nil, false
}

func (p *parser) datedValues(n *yaml.Node, what string) []DatedValue {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.errorf(n, ErrValue, "%s values: want a non-empty list of {from, value}, got %s", what, file.Describe(n))
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
			if !dv.From.After(out[k-1].From) {
				p.c.Add(dv.Pos, ErrValue, "%s: value from %s must come after the one from %s (list dated values in date order)",
					what, dv.From.Format(dateLayout), out[k-1].From.Format(dateLayout))
				continue
			}
			if kindOf(dv.Value) != kindOf(out[k-1].Value) {
				p.c.Add(dv.Pos, ErrValue, "%s: value is %s but the earlier value is %s", what, kindOf(dv.Value), kindOf(out[k-1].Value))
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
		if f.val.Kind != yaml.SequenceNode {
			p.errorf(f.val, ErrValue, "catalogue %s: want a list of entries, got %s", name, file.Describe(f.val))
			continue
		}
		for _, e := range f.val.Content {
			var ent CatalogueEntry
			ent.Pos = p.src.Pos(e)
			what := "catalogue " + name + " entry"
			for _, g := range p.mapping(e, what, []string{"id", "name", "aliases"}, []string{"id", "name"}) {
				switch g.key.Value {
				case "id":
					ent.ID = p.str(g.val, what+" id")
					if ent.ID != "" {
						p.define("catalogue "+name+" entry", g.val, ent.ID, idRE)
					}
				case "name":
					ent.Name = p.str(g.val, what+" name")
				case "aliases":
					ent.Aliases = p.strs(g.val, what+" aliases")
				}
			}
			if ent.ID != "" {
				cat.Entries = append(cat.Entries, ent)
			}
		}
		p.set.Catalogues = append(p.set.Catalogues, cat)
	}
}

func (p *parser) facts(n *yaml.Node) {
	for _, f := range p.mapping(n, "facts", nil, nil) {
		name := f.key.Value
		if !p.define("fact", f.key, name, identRE) || !p.unreserved("fact", f.key, name) {
			continue
		}
		fact := &Fact{Name: name}
		what := "fact " + name
		if f.val.Kind == yaml.MappingNode {
			for _, g := range p.mapping(f.val, what, []string{"expr", "description"}, []string{"expr"}) {
				switch g.key.Value {
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
		for _, g := range p.mapping(f.val, what, []string{"title", "source", "description", "when", "review", "unknown", "explain"},
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
			case "explain":
				r.Explain = map[string]string{}
				for _, h := range p.mapping(g.val, what+" explain", explainKeys, nil) {
					r.Explain[h.key.Value] = p.str(h.val, what+" explain "+h.key.Value)
				}
			}
		}
		p.set.Requirements = append(p.set.Requirements, r)
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
			for _, g := range p.mapping(f.val, what, []string{"title", "source", "requires", "fee"}, []string{"title"}) {
				switch g.key.Value {
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
func (p *parser) refs(n *yaml.Node, what string) []string {
	out := p.strs(n, what)
	if n.Kind == yaml.SequenceNode {
		for i, e := range n.Content {
			if i < len(out) {
				p.refPos[refKey{what, out[i]}] = p.src.Pos(e)
			}
		}
	}
	return out
}

// awards parses levels, categories or courses: a list of mappings.
func (p *parser) awards(n *yaml.Node, section string) []*Award {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, ErrValue, "%s list: want a list, got %s", section, file.Describe(n))
		return nil
	}
	if len(n.Content) == 0 && section == "level" {
		p.errorf(n, ErrValue, "levels: the ladder is empty; list at least one level")
	}
	var out []*Award
	for _, e := range n.Content {
		a := &Award{Pos: p.src.Pos(e)}
		fields := p.mapping(e, strings.TrimSpace(section+" "+scalarValue(e, "id")), []string{"id", "title", "source", "description", "requires", "routes", "benefits", "fee"},
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

func (p *parser) routes(n *yaml.Node, what string) []*Route {
	var out []*Route
	fields := p.mapping(n, what+" routes", nil, nil)
	if fields != nil && len(fields) == 0 {
		p.errorf(n, ErrValue, "%s routes: list at least one route, or leave routes out", what)
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
						p.errorf(g.val, ErrValue, "%s review: want true or false, got %s", rwhat, file.Describe(g.val))
					}
					r.Review = g.val.Value == "true"
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// finish merges, checks references and returns the set or every error.
func (p *parser) finish() (*Set, error) {
	s := p.set
	for _, key := range []string{"ruleset", "version"} {
		if _, ok := p.header[key]; !ok && !p.broken {
			name := ""
			if len(s.files) > 0 {
				name = s.files[0].Name()
			}
			p.c.Add(Position{File: name, Line: 1, Column: 1}, ErrValue, "missing required key %q (the rule set's %s)", key, key)
		}
	}
	if _, ok := p.ids["award"]; !ok || len(s.Levels) == 0 {
		if len(s.Levels) == 0 && !p.reportedEmptyLadder() && !p.broken {
			name := ""
			if len(s.files) > 0 {
				name = s.files[0].Name()
			}
			p.c.Add(Position{File: name, Line: 1, Column: 1}, ErrValue, "no levels: a rule set needs a ladder of at least one level")
		}
	}
	if !p.broken {
		p.checkRefs()
	}
	if err := p.c.Err(MaxErrors); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(p.digest)
	s.Digest = "sha256:" + hex.EncodeToString(sum[:])
	return s, nil
}

func (p *parser) reportedEmptyLadder() bool {
	for _, e := range p.c.Recorded() {
		if strings.Contains(e.Msg, "the ladder is empty") {
			return true
		}
	}
	return false
}

// refKey names a reference: where it is made and what it names.
type refKey struct{ where, id string }

// checkRefs reports references to requirements, benefits and fee parameters
// that no file defines.
func (p *parser) checkRefs() {
	reqs, bens, pars := p.ids["requirement"], p.ids["benefit"], p.ids["parameter"]
	check := func(where, id string, ids map[string]Position, kind string) {
		if _, ok := ids[id]; ok {
			return
		}
		msg := fmt.Sprintf("%s: unknown %s %q", where, kind, id)
		if s := file.Suggest(id, keys(ids)); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		p.c.Add(p.refPos[refKey{where, id}], ErrUnknownReference, "%s", msg)
	}
	for _, group := range []struct {
		section string
		awards  []*Award
	}{{"level", p.set.Levels}, {"category", p.set.Categories}, {"course", p.set.Courses}} {
		for _, a := range group.awards {
			what := group.section + " " + a.ID
			for _, r := range a.Requires {
				check(what+" requires", r, reqs, "requirement")
			}
			for _, rt := range a.Routes {
				for _, r := range rt.Requires {
					check(what+" route "+rt.Name, r, reqs, "requirement")
				}
			}
			for _, b := range a.Benefits {
				check(what+" benefits", b, bens, "benefit")
			}
			if a.Fee != "" {
				check(what+" fee", a.Fee, pars, "parameter")
			}
		}
	}
	for _, b := range p.set.Benefits {
		for _, r := range b.Requires {
			check("benefit "+b.ID+" requires", r, reqs, "requirement")
		}
		if b.Fee != "" {
			check("benefit "+b.ID+" fee", b.Fee, pars, "parameter")
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
