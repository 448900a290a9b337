package ruleset

import (
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/rules/file"
	"go.yaml.in/yaml/v3"
)

// Limits that apply while parsing. They are on for every load. Besides
// these, a file's aliases (*name, each read as a copy of its anchor's
// value) may repeat at most as much as the file holds, or 64 KiB for a
// smaller file, counting one per YAML node plus the length of its text; a
// file past that, or with an anchored value that holds an alias of itself,
// is refused with an ErrLimit error at the alias that passes the limit. A
// fault inside an aliased value is reported once, not once per alias.
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
// Every problem found is reported at once, as a *file.ErrorList.
func Parse(name string, data []byte) (*Set, error) { return ParseWith(name, data, nil) }

// ExprCheck checks the expressions of a rule set against the Go type of
// the applicant document it declares, adding what it finds to errs.
// ParseWith and LoadWith call it for a set with faults in its structure
// whose model has none, so that one pass reports the faults of both; the
// set may lack what was at fault (a requirement with no when, ...).
// Package rules passes its compiler's check.
type ExprCheck func(set *Set, model reflect.Type, errs *file.Errors)

// ParseWith is Parse, calling exprs (if not nil) as ExprCheck says.
func ParseWith(name string, data []byte, exprs ExprCheck) (*Set, error) {
	c := &file.Errors{Max: MaxErrors}
	p := newParser(c)
	p.exprs = exprs
	p.file(name, data)
	return p.finish()
}

// Load parses every rule file in fsys matching the glob patterns (by default
// "*.yaml" and "*.yml", in any letter case: "RULES.YAML" too) and merges
// them into one rule set: sections are
// combined, ids must be unique across files, and the header (ruleset,
// version, title, effective) must be given once, or identically.
//
// Every problem in every file is reported at once, as a *file.ErrorList.
func Load(fsys fs.FS, patterns ...string) (*Set, error) { return LoadWith(fsys, nil, patterns...) }

// LoadWith is Load, calling exprs (if not nil) as ExprCheck says.
func LoadWith(fsys fs.FS, exprs ExprCheck, patterns ...string) (*Set, error) {
	what := strings.Join(patterns, ", ")
	if len(patterns) == 0 {
		patterns = []string{"*.[yY][aA][mM][lL]", "*.[yY][mM][lL]"}
		what = "*.yaml, *.yml"
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
		return nil, fmt.Errorf("rules: no rule files match %s", what)
	}
	sort.Strings(names)
	c := &file.Errors{Max: MaxErrors}
	p := newParser(c)
	p.exprs = exprs
	for _, n := range names {
		info, err := fs.Stat(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("rules: %w", err)
		}
		switch {
		case info.IsDir():
			c.Add(file.Position{File: n}, file.ErrValue, "a directory, not a rule file")
		case !info.Mode().IsRegular():
			// A pipe or a device would block the read, or never end it.
			c.Add(file.Position{File: n}, file.ErrValue, "not a regular file (%s), not a rule file", info.Mode().Type())
		case info.Size() > MaxFileSize:
			c.Add(file.Position{File: n}, file.ErrLimit, "file is %d bytes; the limit is %d", info.Size(), MaxFileSize)
		default:
			data, err := readFile(fsys, n)
			if err != nil {
				return nil, fmt.Errorf("rules: %w", err)
			}
			p.file(n, data)
			continue
		}
		p.broken = true // the set lacks a file: skip whole-set checks
	}
	return p.finish()
}

// readFile reads the file n of fsys, at most one byte more than
// MaxFileSize (a file that grew since it was looked at: p.file refuses it).
func readFile(fsys fs.FS, n string) ([]byte, error) {
	f, err := fsys.Open(n)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}

type parser struct {
	c       *file.Errors
	set     *Set
	src     *file.Source // the file being parsed
	header  map[string]file.Position
	ids     map[string]map[string]file.Position // section -> id -> first definition
	digest  []byte
	refPos  map[refKey]file.Position // where each reference in a list stands
	gatePos map[string]file.Position // where each gate is first listed
	broken  bool                     // some file is not YAML or empty: skip whole-set checks
	// emptyLadder says a file's levels were reported as an empty list.
	emptyLadder bool
	// exprs checks the expressions of a set with structure faults
	// (ExprCheck); modelFaulty says the model has faults of its own.
	exprs       ExprCheck
	modelFaulty bool
	// shared marks the nodes of aliased values (checkAliases), whose
	// faults are reported once (repeat), not once per alias.
	shared     map[*yaml.Node]bool
	sharedErrs map[sharedErr]bool
}

func newParser(c *file.Errors) *parser {
	return &parser{c: c, set: &Set{}, header: map[string]file.Position{}, ids: map[string]map[string]file.Position{}, refPos: map[refKey]file.Position{},
		gatePos: map[string]file.Position{}}
}

// field is one key of a mapping with its value.
type field struct {
	key, val *yaml.Node
}

// errorf reports a fault at n; a fault at a node of an aliased value,
// once however many aliases read it.
func (p *parser) errorf(n *yaml.Node, kind error, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if p.repeat(n, kind, msg) {
		return
	}
	p.c.Add(p.src.Pos(n), kind, "%s", msg)
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
		p.c.Add(file.Position{File: name, Line: 1, Column: 1}, file.ErrLimit, "file is %d bytes; the limit is %d", len(data), MaxFileSize)
		p.broken = true
		return
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p.c.Add(p.src.YAMLErrorPos(err), file.YAMLErrorKind(err), "%s", file.YAMLErrorMsg(err))
		p.broken = true
		return
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.c.Add(file.Position{File: name, Line: 1, Column: 1}, file.ErrValue, "empty rule file")
		p.broken = true
		return
	}
	root := doc.Content[0]
	if a, cycle := p.checkAliases(root, len(data)); a != nil {
		p.aliasLimitError(a, len(data), cycle)
		p.broken = true
		return
	}
	fields := p.mapping(root, "rule file", []string{"ruleset", "version", "title", "effective", "description",
		"model", "parameters", "catalogue", "facts", "requirements", "gates", "benefits", "levels", "categories", "courses"}, nil)
	if fields == nil {
		return
	}
	for _, f := range fields {
		switch f.key.Value {
		case "ruleset", "version", "title", "effective":
			p.headerField(f)
		case "description":
			p.str(f.val, "description")
		case "model":
			n := p.c.Len()
			p.model(f.key, f.val)
			p.modelFaulty = p.modelFaulty || p.c.Len() > n
		case "parameters":
			p.parameters(f.val)
		case "catalogue":
			p.catalogues(f.val)
		case "facts":
			p.facts(f.val)
		case "requirements":
			p.requirements(f.val)
		case "gates":
			p.gates(f.val)
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
		p.errorf(n, file.ErrValue, "%s: want a mapping, got %s", what, file.Describe(n))
		return nil
	}
	var out []field
	seen := map[string]bool{}
	suggested := map[string]bool{} // required keys a misspelt key already names
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, file.ErrValue, "%s: keys must be plain names", what)
			continue
		}
		if k.Value == "<<" {
			p.errorf(k, file.ErrValue, "%s: merge keys (<<) are not supported; repeat the keys", what)
			continue
		}
		if seen[k.Value] {
			p.errorf(k, file.ErrDuplicate, "%s: key %q given twice", what, k.Value)
			continue
		}
		seen[k.Value] = true
		if known != nil && !contains(known, k.Value) {
			msg := fmt.Sprintf("%s: unknown key %q", what, k.Value)
			if s := file.Suggest(k.Value, known); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
				suggested[s] = true
			}
			p.errorf(k, file.ErrUnknownKey, "%s", msg)
			continue
		}
		out = append(out, field{k, v})
	}
	for _, r := range required {
		if !seen[r] && !suggested[r] {
			p.errorf(n, file.ErrValue, "%s: missing required key %q", what, r)
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
		p.errorf(n, file.ErrValue, "%s: want text, got %s", what, file.Describe(n))
		return ""
	}
	return n.Value
}

// strs returns a list of scalars' texts.
func (p *parser) strs(n *yaml.Node, what string) []string {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, file.ErrValue, "%s: want a list, got %s", what, file.Describe(n))
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
		p.errorf(n, file.ErrValue, "%s: want a date YYYY-MM-DD, got %q", what, s)
	}
	return t
}

func (p *parser) expr(n *yaml.Node, what string) Expr {
	s := p.str(n, what)
	if strings.TrimSpace(s) == "" {
		if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
			p.errorf(n, file.ErrValue, "%s: empty expression", what)
		}
		return Expr{}
	}
	return Expr{Source: s, Pos: p.src.Pos(n), node: n, src: p.src}
}

var idRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// define records id in a section's namespace, reporting duplicates and bad ids.
func (p *parser) define(section string, n *yaml.Node, id string, re *regexp.Regexp) bool {
	if !re.MatchString(id) {
		p.errorf(n, file.ErrValue, "%s id %q: use letters, digits, '-', '_' or '.', starting with a letter", section, id)
		return false
	}
	m := p.ids[section]
	if m == nil {
		m = map[string]file.Position{}
		p.ids[section] = m
	}
	if first, dup := m[id]; dup {
		p.errorf(n, file.ErrDuplicate, "%s %q is already defined at %s", section, id, first)
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
			p.c.Add(pos, file.ErrDuplicate, "%s %q differs from %q given at %s", key, val, old, first)
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
