// Package check parses and type-checks the expressions of a rule set in the
// rule files' coordinates: it lays out the environment expressions see (the
// applicant's fields, asOf, param and the facts), refuses what rules may
// not use (forbidden constructs, host time zones, expressions too deep or
// too long for expr's parser), orders facts and reports their cycles, and
// says what each expression reads. Its product, *Checked, is the seam for
// what consumes checked trees: rules/internal/compile builds the plan from
// it; lint and coverage tools may read it.
//
// Every problem is added to the *file.Errors the Env was made with; an
// expression that fails to check yields nil.
package check

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/rules/file"
	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/eligo-dev/eligo/rules/ruleset"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/checker/nature"
	"github.com/expr-lang/expr/conf"
)

// Reserved names in the expression environment.
const (
	AsOfName  = lib.AsOf
	ParamName = lib.Param
)

// Options configure an Env.
type Options struct {
	// MaxNodes caps the size of one expression, in syntax-tree nodes.
	MaxNodes uint
	// Hidden is the type of a field the environment holds after asOf and
	// param, which no rule can name: where a run keeps what the VM's
	// programs reach through the environment (the step meter). None if nil.
	Hidden reflect.Type
	// Functions, if set, returns functions to add to every expr
	// configuration, given the offset of the Hidden field in the
	// environment; a name that is not an identifier keeps them from rules.
	Functions func(hiddenOffset uintptr) []expr.Option
}

// Layout says where the environment struct holds what.
type Layout struct {
	AppFields []int // env field i mirrors model field AppFields[i]
	AsOf      int   // the evaluation date (time.Time)
	Param     int   // the parameters in force (a pointer to Params.Type)
	Hidden    int   // Options.Hidden; -1 without one
	// HiddenOffset is the Hidden field's offset in the environment struct.
	HiddenOffset uintptr
}

// Env is the environment of a rule set's expressions for one applicant
// model: its layout, its expr configuration, and the facts checked so far.
// It is not safe for concurrent use.
type Env struct {
	set      *ruleset.Set
	errs     *file.Errors
	opts     Options
	model    reflect.Type
	fields   []reflect.StructField // env fields so far
	appNames map[string]reflect.Type
	appIndex map[string]int // applicant field name -> env field
	params   *Params
	facts    map[string]*Fact
	byField  map[int]*Fact // facts by env field
	order    []*Fact
	cat      lib.Catalogues
	names    []string // every name rules may use, for suggestions
	layout   Layout
	extra    []expr.Option // Options.Functions'
	// The last expr configuration made, for an environment of cfgFields fields.
	cfgCache  *conf.Config
	cfgFields int
}

// New lays out the environment of set's expressions for the applicant
// struct type model: the applicant's exported fields (by their `expr` tag,
// else their Go name; `expr:"-"` hides one), asOf, param and Options.Hidden.
// Facts are added by Facts. Problems in expressions go to errs; the error
// returned is an applicant field whose name rules reserve.
func New(set *ruleset.Set, model reflect.Type, errs *file.Errors, opts Options) (*Env, error) {
	env := &Env{set: set, errs: errs, opts: opts, model: model, appNames: map[string]reflect.Type{},
		appIndex: map[string]int{}, facts: map[string]*Fact{}, byField: map[int]*Fact{},
		cat: catalogueIndex(set.Catalogues)}
	for i := 0; i < model.NumField(); i++ {
		f := model.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("expr"); ok {
			name, _, _ = strings.Cut(tag, ",")
		}
		if name == "-" || name == "" {
			continue
		}
		if name == AsOfName || name == ParamName {
			return nil, fmt.Errorf("rules: applicant field %s is named %q, which rules reserve", f.Name, name)
		}
		env.appIndex[name] = len(env.fields)
		env.appNames[name] = f.Type
		env.layout.AppFields = append(env.layout.AppFields, i)
		env.fields = append(env.fields, reflect.StructField{Name: fmt.Sprintf("A%d", i), Type: f.Type,
			Tag: reflect.StructTag(fmt.Sprintf(`expr:%q`, name))})
		env.names = append(env.names, name)
	}
	env.layout.AsOf = len(env.fields)
	env.fields = append(env.fields, reflect.StructField{Name: "AsOf", Type: reflect.TypeOf(time.Time{}), Tag: `expr:"asOf"`})
	env.params = newParams(set.Parameters)
	env.layout.Param = len(env.fields)
	env.fields = append(env.fields, reflect.StructField{Name: "Param", Type: reflect.PointerTo(env.params.Type), Tag: `expr:"param"`})
	env.layout.Hidden = -1
	if opts.Hidden != nil {
		env.layout.Hidden = len(env.fields)
		env.fields = append(env.fields, reflect.StructField{Name: "Meter", Type: opts.Hidden, Tag: `expr:"-"`})
		env.layout.HiddenOffset = reflect.StructOf(env.fields).Field(env.layout.Hidden).Offset
	}
	if opts.Functions != nil {
		env.extra = opts.Functions(env.layout.HiddenOffset)
	}
	env.names = append(env.names, AsOfName, ParamName)
	for _, f := range set.Facts {
		env.names = append(env.names, f.Name)
	}
	env.names = append(env.names, lib.Names()...)
	return env, nil
}

// catalogueIndex indexes the rule set's catalogues for the library's
// lookups.
func catalogueIndex(cats []*ruleset.Catalogue) lib.Catalogues {
	idx := lib.Catalogues{}
	for _, c := range cats {
		m := idx.Add(c.Name)
		for _, e := range c.Entries {
			m.Add(e.ID, e.Name, e.Aliases...)
		}
	}
	return idx
}

// Set is the rule set the environment is for.
func (env *Env) Set() *ruleset.Set { return env.set }

// Errors is where the environment reports problems.
func (env *Env) Errors() *file.Errors { return env.errs }

// Model is the applicant struct type.
func (env *Env) Model() reflect.Type { return env.model }

// Layout says where the environment holds the applicant, asOf, param and
// the hidden field.
func (env *Env) Layout() Layout { return env.layout }

// Params are the rule set's parameters, as the environment holds them.
func (env *Env) Params() *Params { return env.params }

// Catalogues are the rule set's catalogues, indexed for the library.
func (env *Env) Catalogues() lib.Catalogues { return env.cat }

// Type is the environment struct as laid out so far; once Facts has run,
// with a field for each fact that checked.
func (env *Env) Type() reflect.Type { return reflect.StructOf(env.fields) }

// AppField returns the environment field of the applicant field rules call
// name.
func (env *Env) AppField(name string) (int, bool) {
	i, ok := env.appIndex[name]
	return i, ok
}

// AppFieldNames maps each applicant field rules see to its index in the
// model struct.
func (env *Env) AppFieldNames() map[string]int {
	fields := map[string]int{}
	for name := range env.appIndex {
		if i, _, ok := FieldByExprName(env.model, name); ok {
			fields[name] = i
		}
	}
	return fields
}

// Config returns an expr configuration for the environment as laid out so
// far: the same one until the environment grows, for building one costs
// more than compiling a requirement.
func (env *Env) Config() *conf.Config {
	if env.cfgCache != nil && env.cfgFields == len(env.fields) {
		return env.cfgCache
	}
	env.cfgCache, env.cfgFields = env.configOf(env.fields), len(env.fields)
	return env.cfgCache
}

// configOf makes an expr configuration for an environment of fields.
func (env *Env) configOf(fields []reflect.StructField) *conf.Config {
	e := reflect.New(reflect.StructOf(fields)).Interface()
	c := conf.CreateNew()
	opts := append([]expr.Option{expr.Env(e), expr.DisableBuiltin("now"), expr.MaxNodes(env.opts.MaxNodes)},
		lib.Options(env.cat)...)
	opts = append(opts, env.extra...)
	for _, o := range opts {
		o(c)
	}
	for name := range c.Disabled {
		delete(c.Builtins, name)
	}
	c.Check()
	return c
}

// configWith returns an expr configuration for an environment of the
// first base fields of env.fields, whose configuration is cfg, and the
// fields listed: cfg with the environment swapped. It is for checking a
// fact against the facts it reads, and costs the fields listed, not the
// environment's.
func (env *Env) configWith(cfg *conf.Config, base int, fields []int) *conf.Config {
	if len(fields) == 0 {
		return cfg
	}
	sf := slices.Clip(env.fields[:base])
	for _, i := range fields {
		sf = append(sf, env.fields[i])
	}
	c := *cfg
	c.NtCache = nature.Cache{}
	c.WithEnv(reflect.New(reflect.StructOf(sf)).Interface())
	return &c
}

// isFact reports whether the rule set defines a fact called name.
func (env *Env) isFact(name string) bool {
	for _, f := range env.set.Facts {
		if f.Name == name {
			return true
		}
	}
	return false
}

// FieldByExprName finds the field expr sees as name in struct type t.
func FieldByExprName(t reflect.Type, name string) (int, reflect.Type, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		n := f.Name
		if tag, ok := f.Tag.Lookup("expr"); ok {
			n, _, _ = strings.Cut(tag, ",")
		}
		if n == name && f.IsExported() {
			return i, f.Type, true
		}
	}
	return 0, nil, false
}
