package fast

import (
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/rules/internal/lib"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/expr-lang/expr/vm/runtime"
)

// The reference for the fast evaluator is expr itself: every expression
// below is checked once, compiled both with expr's compiler (run by
// vm.VM.Run, unpatched: no step meter, no finite-number checks) and with
// Compiler, and run by both on several applicants. The fast result must be
// the VM's value, or the fast evaluator must fall back (hand the
// evaluation to the VM, as package rules then does); where the VM fails,
// the fast evaluator must fall back too. TestOpsMatchRuntime holds each
// operation of ops.go to the vm/runtime helper it cites.

// refCourse, refJob, refApplicant and refParams are a small model, in the
// shape of eligo's: texts, numbers of both kinds, dates set and unset, an
// optional section, lists of structs and of scalars, and a field of no
// static type.
type refCourse struct {
	Title    string     `expr:"title" eligo:"label"`
	Provider string     `expr:"provider"`
	Hours    float64    `expr:"hours"`
	Units    int        `expr:"units"`
	Online   bool       `expr:"online"`
	Done     *time.Time `expr:"completed"`
	Tags     []string   `expr:"tags"`
}

type refJob struct {
	Employer string     `expr:"employer"`
	Start    time.Time  `expr:"start"`
	End      *time.Time `expr:"end"`
}

type refApplicant struct {
	Name    string      `expr:"name"`
	Age     int         `expr:"age"`
	Score   float64     `expr:"score"`
	Born    time.Time   `expr:"born"`
	Member  bool        `expr:"member"`
	Courses []refCourse `expr:"courses"`
	Job     *refJob     `expr:"job"`
	Langs   []string    `expr:"langs"`
	Nums    []int       `expr:"nums"`
	Extra   any         `expr:"extra"` // the fast evaluator leaves fields of type any to the VM
}

type refParams struct {
	MinAge    int      `expr:"min_age"`
	MinHours  float64  `expr:"min_hours"`
	Providers []string `expr:"providers"`
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func dayPtr(y int, m time.Month, d int) *time.Time { t := day(y, m, d); return &t }

var refAsOf = day(2026, 6, 30)

// refApplicants are the environments every expression runs on.
var refApplicants = []refApplicant{
	{ // everything set
		Name: "Ann", Age: 34, Score: 7.5, Born: day(1992, 2, 29), Member: true,
		Courses: []refCourse{
			{Title: "Safety", Provider: "Acme Training", Hours: 12.5, Units: 2, Online: true, Done: dayPtr(2025, 1, 10), Tags: []string{"core", "x"}},
			{Title: "Ethics", Provider: "Other", Hours: 4, Units: 1, Done: dayPtr(2026, 8, 1)},
			{Title: "Law", Provider: "ACME", Hours: 8, Units: 3, Online: true, Tags: []string{"x"}},
		},
		Job:   &refJob{Employer: "Acme", Start: day(2020, 3, 1), End: dayPtr(2026, 12, 31)},
		Langs: []string{"en", "fr", "en"}, Nums: []int{3, 1, 2}, Extra: 1,
	},
	{}, // nothing set: nil lists, no job, zero dates
	{ // partly set: empty lists, a job without an end, extra a text
		Name: "Bo", Age: -3, Score: -0.5, Born: day(2026, 6, 30),
		Courses: []refCourse{}, Job: &refJob{Employer: "", Start: day(2026, 7, 1)},
		Langs: []string{""}, Nums: []int{}, Extra: "1",
	},
	{ // edge values: a float that is whole, extra a list
		Name: "Zoë", Age: 18, Score: 18, Born: day(2008, 6, 30), Member: true,
		Courses: []refCourse{{Title: "Only", Provider: "acme training", Hours: 0, Units: 0}},
		Langs:   []string{"de"}, Nums: []int{0}, Extra: []any{1, "a"},
	},
}

var refParamValues = refParams{MinAge: 18, MinHours: 10, Providers: []string{"Acme Training", "Other"}}

func refCatalogues() lib.Catalogues {
	cats := lib.Catalogues{}
	cats.Add(lib.Providers).Add("acme", "Acme Training", "ACME")
	cats.Add("regions").Add("west", "Ann", "Zoë")
	return cats
}

// refCase is one expression. fallback says that the fast evaluator may
// hand some of its runs to the VM; unsupported that it does not compile
// it at all (the VM then runs it always). Cases whose evaluators differ
// would say so in known; there are none.
type refCase struct {
	src         string
	fallback    bool
	unsupported bool
	known       string
}

var refCases = []refCase{
	// Arithmetic (runtime.Add, Subtract, Multiply, Divide, Modulo, Negate).
	{src: `age + 1`},
	{src: `age - 100`},
	{src: `age * 2`},
	{src: `age / 4`},
	{src: `age % 7`},
	{src: `age % (age - age)`, fallback: true}, // the VM fails: integer divide by zero
	{src: `score + age`},
	{src: `score * 1.5 - age`},
	{src: `score / (age - age)`, fallback: true}, // ±Inf or NaN: the fast evaluator falls back
	{src: `-age`},
	{src: `-score`},
	{src: `+age`},
	{src: `2 ** 3`, unsupported: true},
	{src: `extra + 1`, unsupported: true},
	{src: `-extra`, unsupported: true}, // a field of type any is the VM's
	// Comparisons, ints against floats (runtime.Equal, Less, More, ...).
	{src: `age > 18`},
	{src: `age >= 18.0`},
	{src: `score < age`},
	{src: `score == 18`},
	{src: `age == 18.0`},
	{src: `age != score`},
	{src: `score <= 7.5`},
	{src: `extra == 1`, unsupported: true},
	{src: `extra != "1"`, unsupported: true},
	{src: `extra == nil`, unsupported: true},
	{src: `extra > 0`, unsupported: true},
	{src: `extra >= 1.0`, unsupported: true},
	// Texts.
	{src: `name == "Ann"`},
	{src: `name < "M"`},
	{src: `name >= ""`},
	{src: `len(name)`},
	{src: `name + "!"`, fallback: true},
	{src: `name contains "n"`, unsupported: true},
	{src: `name in langs`},
	{src: `"en" in langs`},
	{src: `name in ["Ann", "Bo"]`},
	{src: `name in param.providers`},
	{src: `extra in nums`, unsupported: true},
	{src: `extra in ["1", 1]`, unsupported: true},
	// Dates.
	{src: `born < asOf`},
	{src: `born == asOf`},
	{src: `born >= asOf`},
	{src: `job?.start <= asOf`, fallback: true}, // the VM fails where there is no job: nil <= a date
	{src: `job.start > born`, fallback: true},   // the VM fails where there is no job
	{src: `job?.end == nil`},
	{src: `job?.end`},
	// Library functions.
	{src: `done(job?.end)`},
	{src: `current(job?.end)`},
	{src: `done(born)`},
	{src: `within(born, 600)`},
	{src: `within(job?.end, param.min_hours)`},
	{src: `yearsSince(born)`},
	{src: `monthsSince(born)`},
	{src: `daysBetween(born, job?.end)`},
	{src: `daysBetween(job?.end, asOf)`},
	{src: `approved(name)`},
	{src: `approved(job?.employer ?? "")`},
	{src: `listed("regions", name)`},
	{src: `listed("nosuch", name)`, fallback: true}, // the VM fails: no such catalogue
	{src: `canonical("providers", "acme training")`},
	{src: `canonical("providers", name)`},
	{src: `any(courses, approved(.provider))`},
	{src: `count(courses, done(.completed))`},
	// Lists and indexing (runtime.Fetch).
	{src: `len(courses)`},
	{src: `len(langs)`},
	{src: `courses[0].hours`, fallback: true},
	{src: `courses[-1].title`, fallback: true},
	{src: `nums[1] + nums[0]`, fallback: true},
	{src: `[1, 2, 3]`},
	{src: `[age, score, name]`},
	{src: `["a", "b"]`},
	{src: `[]`},
	{src: `langs == ["en"]`, fallback: true}, // lists compare on the VM
	{src: `nums`},
	{src: `courses`},
	{src: `job`},
	// nil, optional chains, ??.
	{src: `job == nil`},
	{src: `job != nil && job.employer == "Acme"`},
	{src: `job?.employer`},
	{src: `job?.employer ?? "none"`},
	{src: `job.employer`, fallback: true},
	{src: `job?.end ?? asOf`},
	{src: `nil ?? 3`},
	{src: `courses ?? []`},
	{src: `extra ?? "d"`, unsupported: true},
	{src: `extra?.foo`, unsupported: true},
	{src: `nil == nil`},
	{src: `langs == nil`},
	// Builtins over lists.
	{src: `any(courses, .hours > 10)`},
	{src: `all(courses, .online)`},
	{src: `none(courses, .provider == "Acme")`},
	{src: `one(courses, .units > 1)`},
	{src: `filter(courses, .hours > 5)`},
	{src: `map(courses, .hours)`},
	{src: `map(courses, .title)`},
	{src: `map(courses, #index)`},
	{src: `count(courses, .online)`},
	{src: `count(map(courses, .online))`},
	{src: `sum(courses, .hours)`},
	{src: `sum(courses, .units)`},
	{src: `sum(nums)`},
	{src: `sum(map(courses, .hours))`},
	{src: `sum(filter(courses, .online), .hours)`},
	{src: `sum(filter(courses ?? [], .online), .units)`},
	{src: `sum(filter(courses, .online), .hours * 2)`},
	{src: `len(filter(langs, # != ""))`},
	{src: `len(uniq(filter(langs, # != "")))`},
	{src: `uniq(langs)`},
	{src: `uniq(nums)`},
	{src: `first(courses)`, unsupported: true},
	{src: `last(nums)`, unsupported: true},
	{src: `any(courses, any(.tags, # == "x"))`},
	{src: `all(courses, all(.tags, len(#) > 0))`},
	{src: `filter(nums, # > 1)`},
	{src: `all([], false)`},
	{src: `any(courses, .provider in param.providers)`},
	{src: `sum(courses, .hours) >= param.min_hours`},
	{src: `count(courses, .hours >= param.min_hours) > 0`},
	{src: `any(extra, # == 1)`, unsupported: true},
	// let.
	{src: `let x = age * 2; x + 1`},
	{src: `let c = courses; len(c)`},
	{src: `let p = param; p.min_age`},
	{src: `let n = name; n in langs`},
	// Conditionals and logic.
	{src: `age > 18 ? "adult" : "minor"`},
	{src: `member ? 1 : 2.5`},
	{src: `member && age > 18`},
	{src: `member || age > 18`},
	{src: `!member`},
	{src: `not member and age < 5`},
	{src: `extra == 1 || member`, unsupported: true},
	{src: `age >= param.min_age`},
}

// refEnv lays out an environment for expr as package rules does: the
// applicant's fields, then asOf and param.
func refEnvType() reflect.Type {
	at := reflect.TypeFor[refApplicant]()
	var fields []reflect.StructField
	for i := range at.NumField() {
		f := at.Field(i)
		fields = append(fields, reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag})
	}
	fields = append(fields,
		reflect.StructField{Name: "AsOf", Type: reflect.TypeFor[time.Time](), Tag: `expr:"asOf"`},
		reflect.StructField{Name: "Param", Type: reflect.TypeFor[*refParams](), Tag: `expr:"param"`})
	return reflect.StructOf(fields)
}

func refEnv(et reflect.Type, app *refApplicant, params *refParams) any {
	env := reflect.New(et)
	e, a := env.Elem(), reflect.ValueOf(app).Elem()
	for i := range a.NumField() {
		e.Field(i).Set(a.Field(i))
	}
	e.Field(a.NumField()).Set(reflect.ValueOf(refAsOf))
	e.Field(a.NumField() + 1).Set(reflect.ValueOf(params))
	return env.Interface()
}

// nilList stands for a nil list in normal forms: not the same as nil, nor
// as an empty list.
type nilList struct{}

// normal is a value in a form both evaluators' results take: pointers
// dereferenced, lists as []any, dates as texts.
func normal(x any) any {
	if x == nil {
		return nil
	}
	if t, ok := x.(time.Time); ok {
		return "date " + t.Format(time.RFC3339Nano)
	}
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return normal(v.Elem().Interface())
	case reflect.Slice:
		if v.IsNil() {
			return nilList{}
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = normal(v.Index(i).Interface())
		}
		return out
	}
	return x
}

// goValue is v as a Go value: what the VM would give for it.
func goValue(v Val) any {
	switch v.k {
	case Nil:
		return nil
	case Bool:
		return v.b
	case Int:
		return v.n
	case Float:
		return v.Float()
	case String:
		return v.Str()
	case Time:
		return v.Time()
	case Struct:
		return v.Reflect().Interface()
	case Slice, List:
		if v.p == nil {
			return nilList{}
		}
		out := make([]any, v.n)
		for i := range out {
			out[i] = normal(goValue(v.At(i)))
		}
		return out
	}
	return fmt.Sprintf("kind %d", v.k)
}

func TestReference(t *testing.T) {
	et := refEnvType()
	cats := refCatalogues()
	cfg := conf.CreateNew()
	opts := append([]expr.Option{expr.Env(reflect.New(et).Interface()), expr.DisableBuiltin("now")}, lib.Options(cats)...)
	for _, o := range opts {
		o(cfg)
	}
	for name := range cfg.Disabled {
		delete(cfg.Builtins, name)
	}
	cfg.Check()

	model := reflect.TypeFor[refApplicant]()
	fields := map[string]int{}
	for i := range model.NumField() {
		fields[model.Field(i).Tag.Get("expr")] = i
	}
	fc := NewCompiler(Config{Model: model, Fields: fields, Params: reflect.TypeFor[refParams](), Catalogues: cats,
		ConstantList: func(items []any) any { return items }})

	type compiled struct {
		refCase
		prog *vm.Program
		fn   Fn
	}
	var cases []compiled
	for _, c := range refCases {
		tree, err := parser.ParseWithConfig(c.src, cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		lib.AddAsOf(&tree.Node)
		if _, err := checker.Check(tree, cfg); err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		prog, err := compiler.Compile(tree, cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		fn, _, err := fc.Compile(tree.Node, 0, nil)
		switch {
		case err != nil && !c.unsupported:
			t.Errorf("%s: the fast evaluator does not compile it: %v", c.src, err)
		case err == nil && c.unsupported:
			t.Errorf("%s: the fast evaluator compiles it; mark it supported", c.src)
		}
		cases = append(cases, compiled{c, prog, fn})
	}

	layout := &Layout{Steps: 1 << 30, Memory: conf.DefaultMemoryBudget, Vars: fc.Vars()}
	params := refParamValues
	var frame Frame
	var machine vm.VM
	fellBack := map[string]bool{}
	var agreed, fallbacks int
	for ai := range refApplicants {
		app := refApplicants[ai] // a copy: the frame reads it in place
		env := refEnv(et, &app, &params)
		frame.Reset(layout, reflect.ValueOf(&app).Elem(), reflect.ValueOf(&params), refAsOf)
		for _, c := range cases {
			want, vmErr := machine.Run(c.prog, env)
			if c.fn == nil {
				continue
			}
			var got Val
			ok := frame.Try(func() { got = frame.Run(c.fn).Deref() })
			where := fmt.Sprintf("%s on applicant %d", c.src, ai)
			switch {
			case !ok:
				fallbacks++
				fellBack[c.src] = true
				if !c.fallback {
					t.Errorf("%s: the fast evaluator fell back (VM: %v, %v); mark the case if it must", where, want, vmErr)
				}
			case vmErr != nil:
				t.Errorf("%s: the VM fails (%v), the fast evaluator gives %#v", where, vmErr, goValue(got))
			default:
				agreed++
				w, g := normal(want), normal(goValue(got))
				if !reflect.DeepEqual(w, g) {
					if c.known != "" {
						t.Logf("%s: known difference (%s): VM %#v, fast %#v", where, c.known, w, g)
						continue
					}
					t.Errorf("%s: VM %#v (%T), fast %#v (%T)", where, w, w, g, g)
				}
			}
		}
	}
	t.Logf("%d expressions on %d applicants: %d runs gave the VM's value, %d fell back", len(cases), len(refApplicants), agreed, fallbacks)
	for _, c := range cases {
		if c.fallback && !fellBack[c.src] {
			t.Errorf("%s: marked as falling back, but never does on these applicants", c.src)
		}
	}
}

// refValues are the operands the operations are tested on, as the VM sees
// them; refVal makes the fast evaluator's value of each.
var refValues = []any{
	nil, true, false, 0, 1, -2, 3, 0.0, 1.0, 1.5, -2.0, math.Inf(1), math.NaN(),
	"", "a", "b", "1", day(2026, 1, 1), day(2026, 1, 1).In(time.FixedZone("x", 3600)), day(2025, 12, 31),
	[]any{}, []any{1, "a"}, []any{1.0, 2}, []string{"a", "b"}, []int{1, 2}, []string(nil),
	refJob{Employer: "a"},
}

func refVal(t *testing.T, x any, types Types) Val {
	switch x := x.(type) {
	case nil:
		return Val{}
	case bool:
		return boolVal(x)
	case int:
		return Val{k: Int, n: x}
	case float64:
		return floatVal(x)
	case string:
		return strVal(x)
	case time.Time:
		return Val{k: Time, p: reflectPtr(&x)}
	case []any:
		vals := make([]Val, len(x))
		for i, e := range x {
			vals[i] = refVal(t, e, types)
		}
		v := Val{k: List, p: reflectPtr(&emptyList[0])}
		if len(vals) > 0 {
			v.p, v.n = reflectPtr(&vals[0]), len(vals)
		}
		return v
	}
	p := reflect.New(reflect.TypeOf(x))
	p.Elem().Set(reflect.ValueOf(x))
	return load(p.UnsafePointer(), types.of(p.Type().Elem()))
}

func reflectPtr[T any](p *T) unsafe.Pointer { return unsafe.Pointer(p) }

// try runs fn and reports whether it returned, or panicked.
func try[T any](fn func() T) (v T, panicked bool) {
	defer func() {
		if recover() != nil {
			panicked = true
		}
	}()
	return fn(), false
}

// TestOpsMatchRuntime holds each operation to the vm/runtime helper its
// doc comment cites, on every pair of refValues: the same result, or the
// helper panics and the operation falls back. An operation may also fall
// back where the helper does not (the VM then decides), except on numbers,
// texts, dates and bools, which the fast evaluator always decides.
func TestOpsMatchRuntime(t *testing.T) {
	types := Types{}
	decides := func(x any) bool {
		switch x.(type) {
		case nil, bool, int, float64, string, time.Time:
			return true
		}
		return false
	}
	type op struct {
		name string
		vm   func(a, b any) any
		fast func(a, b Val) any
		// scalars: the fast evaluator decides every pair of scalars (else
		// it may leave some to the VM).
		scalars bool
	}
	finiteOnly := func(x Val) any { // arith falls back on results that are not finite
		return goValue(x)
	}
	ops := []op{
		{"runtime.Equal", func(a, b any) any { return runtime.Equal(a, b) }, func(a, b Val) any { return equal(a, b) }, true},
		{"runtime.Less", func(a, b any) any { return runtime.Less(a, b) }, orderOp("<"), false},
		{"runtime.LessOrEqual", func(a, b any) any { return runtime.LessOrEqual(a, b) }, orderOp("<="), false},
		{"runtime.More", func(a, b any) any { return runtime.More(a, b) }, orderOp(">"), false},
		{"runtime.MoreOrEqual", func(a, b any) any { return runtime.MoreOrEqual(a, b) }, orderOp(">="), false},
		{"runtime.In", func(a, b any) any { return runtime.In(a, b) }, func(a, b Val) any { return in(a, b) }, false},
		{"runtime.Add", func(a, b any) any { return runtime.Add(a, b) }, func(a, b Val) any { return finiteOnly(arith('+', a, b)) }, false},
		{"runtime.Subtract", func(a, b any) any { return runtime.Subtract(a, b) }, func(a, b Val) any { return finiteOnly(arith('-', a, b)) }, false},
		{"runtime.Multiply", func(a, b any) any { return runtime.Multiply(a, b) }, func(a, b Val) any { return finiteOnly(arith('*', a, b)) }, false},
		{"runtime.Divide", func(a, b any) any { return runtime.Divide(a, b) }, func(a, b Val) any { return finiteOnly(arith('/', a, b)) }, false},
		{"runtime.Modulo", func(a, b any) any { return runtime.Modulo(a, b) }, func(a, b Val) any { return finiteOnly(arith('%', a, b)) }, false},
	}
	var decided, left int
	for _, o := range ops {
		for _, x := range refValues {
			for _, y := range refValues {
				want, vmPanics := try(func() any { return o.vm(x, y) })
				got, fastPanics := try(func() any { return o.fast(refVal(t, x, types), refVal(t, y, types)) })
				where := fmt.Sprintf("%s(%#v, %#v)", o.name, x, y)
				switch {
				case fastPanics:
					left++
					if o.scalars && decides(x) && decides(y) && !vmPanics {
						t.Errorf("%s: the fast evaluator falls back; the VM gives %#v", where, want)
					}
				case vmPanics:
					t.Errorf("%s: the VM panics, the fast evaluator gives %#v", where, got)
				default:
					decided++
					if w, g := normal(want), normal(got); !reflect.DeepEqual(w, g) && !bothNaN(w, g) {
						t.Errorf("%s: VM %#v (%T), fast %#v (%T)", where, w, w, g, g)
					}
				}
			}
		}
	}
	t.Logf("%d pairs decided alike, %d left to the VM", decided, left)

	// runtime.Len, for the len builtin.
	for _, x := range refValues {
		want, vmPanics := try(func() any { return runtime.Len(x) })
		got, fastPanics := try(func() any { return goValue(length(refVal(t, x, types))) })
		if !fastPanics && (vmPanics || !reflect.DeepEqual(want, got)) {
			t.Errorf("runtime.Len(%#v): VM %#v (panics %v), fast %#v", x, want, vmPanics, got)
		}
	}
}

func orderOp(op string) func(a, b Val) any {
	return func(a, b Val) any {
		res, ok := order(OpOf(op), a, b)
		if !ok {
			fallback("invalid comparison")
		}
		return res
	}
}

func bothNaN(a, b any) bool {
	x, ok1 := a.(float64)
	y, ok2 := b.(float64)
	return ok1 && ok2 && math.IsNaN(x) && math.IsNaN(y)
}
