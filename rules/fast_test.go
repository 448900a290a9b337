package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// The fast evaluator must give exactly what expr's VM gives: the same
// statuses, texts, values (with their Go types), missing paths and closest
// entries, and an error where the VM has one. These tests run both on the
// same applicants and compare.

// slowRequirement evaluates requirement i on the VM alone.
func (r *Run) slowRequirement(i int) (Result, error) {
	return r.vmRun().requirement(r.p.reqs[i])
}

// fastRequirements lists the requirements the fast evaluator runs.
func (p *Program) fastRequirements() []string {
	var out []string
	for _, rp := range p.reqs {
		if rp.Fast {
			out = append(out, rp.Req.ID)
		}
	}
	return out
}

// sameAsVM evaluates every requirement of p for app on both evaluators and
// reports each difference. It returns how many requirements ran fast.
func sameAsVM(t testing.TB, p *Program, app any, asOf time.Time, what string) {
	t.Helper()
	fast, err := p.NewRun(app, asOf)
	if err != nil {
		return // no parameter values on that date: nothing to compare
	}
	slow, err := p.NewRun(app, asOf)
	if err != nil {
		t.Fatal(err)
	}
	statuses := make([]Status, len(p.reqs))
	var firstErr error // of the first requirement whose Status fails
	first := len(p.reqs)
	defer func() {
		// Statuses gives every status Status gives, one run for all, and
		// stops at the first error.
		r, err := p.NewRun(app, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Statuses(make([]Status, len(p.reqs)+1)); err == nil {
			t.Errorf("%s: Statuses of more statuses than requirements: no error", what)
		}
		all := make([]Status, len(p.reqs))
		err = r.Statuses(all)
		if fmt.Sprint(err) != fmt.Sprint(firstErr) {
			t.Errorf("%s: Statuses: error %v, Status's first %v", what, err, firstErr)
		}
		if !slices.Equal(all[:first], statuses[:first]) {
			t.Errorf("%s: Statuses %v, Status %v", what, all[:first], statuses[:first])
		}
	}()
	for i := range p.reqs {
		got, gerr := fast.Requirement(i)
		lent, lerr := func() (Result, error) {
			r, err := p.NewRun(app, asOf)
			if err != nil {
				t.Fatal(err)
			}
			return r.Eval(i)
		}()
		status, serr := func() (Status, error) {
			r, err := p.NewRun(app, asOf)
			if err != nil {
				t.Fatal(err)
			}
			return r.Status(i)
		}()
		statuses[i] = status
		if serr != nil && first == len(p.reqs) {
			first, firstErr = i, serr
		}
		want, werr := slow.slowRequirement(i)
		id := p.reqs[i].Req.ID
		if fmt.Sprint(gerr) != fmt.Sprint(werr) || fmt.Sprint(lerr) != fmt.Sprint(werr) || fmt.Sprint(serr) != fmt.Sprint(werr) {
			t.Errorf("%s, %s: error %v (lent: %v, status: %v), VM %v", what, id, gerr, lerr, serr, werr)
			continue
		}
		if status != want.Status {
			t.Errorf("%s, %s: Status %v, VM %v", what, id, status, want.Status)
		}
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(lent, want) {
			t.Errorf("%s, %s:\nfast %v %s\nlent %v %s\nVM   %v %s", what, id, got.Status, showClauses(got.Clauses),
				lent.Status, showClauses(lent.Clauses), want.Status, showClauses(want.Clauses))
		}
	}
}

// The ACTO applicant model, as eligibility declares it (rules' tests cannot
// import eligibility), with YAML keys to read the example applicants.
type actoApplicant struct {
	ID             string            `yaml:"id" expr:"id"`
	Kind           string            `yaml:"kind" expr:"kind"`
	Name           string            `yaml:"name" expr:"-"`
	Country        string            `yaml:"country" expr:"country"`
	Practising     *bool             `yaml:"practising" expr:"practising"`
	Allied         *actoAllied       `yaml:"allied" expr:"allied"`
	Qualifications []actoQual        `yaml:"qualifications" expr:"qualifications"`
	Registrations  []actoReg         `yaml:"registrations" expr:"registrations"`
	Insurance      *actoInsurance    `yaml:"insurance" expr:"insurance"`
	OnlineTraining []actoCourse      `yaml:"onlineTraining" expr:"onlineTraining"`
	CPD            []actoCPD         `yaml:"cpd" expr:"cpd"`
	Practice       *actoPractice     `yaml:"practice" expr:"practice"`
	Supervision    *actoSupervision  `yaml:"supervision" expr:"supervision"`
	References     *actoReferences   `yaml:"references" expr:"references"`
	Portfolio      *actoPortfolio    `yaml:"portfolio" expr:"portfolio"`
	CoreNet        *actoCoreNet      `yaml:"coreNet" expr:"coreNet"`
	ACTO           *actoMembership   `yaml:"acto" expr:"acto"`
	Organisation   *actoOrganisation `yaml:"organisation" expr:"organisation"`
	OfferedCourses []actoCourse      `yaml:"offeredCourses" expr:"offeredCourses"`
	Extra          map[string]string `yaml:"-" expr:"-"`
}

type actoAllied struct {
	Role     string `yaml:"role" expr:"role"`
	Verified bool   `yaml:"verified" expr:"verified"`
}

type actoOrganisation struct {
	OffersCounselling bool `yaml:"offersCounselling" expr:"offersCounselling"`
	Verified          bool `yaml:"verified" expr:"verified"`
}

type actoQual struct {
	Title    string     `yaml:"title" expr:"title" eligo:"label"`
	Level    string     `yaml:"level" expr:"level"`
	Field    string     `yaml:"field" expr:"field"`
	Delivery string     `yaml:"delivery" expr:"delivery"`
	Awarded  *time.Time `yaml:"awarded" expr:"awarded"`
	Verified bool       `yaml:"verified" expr:"verified"`
}

type actoReg struct {
	Body     string     `yaml:"body" expr:"body" eligo:"label"`
	Number   string     `yaml:"number" expr:"number"`
	Expires  *time.Time `yaml:"expires" expr:"expires"`
	Verified bool       `yaml:"verified" expr:"verified"`
}

type actoInsurance struct {
	ProfessionalIndemnity bool       `yaml:"professionalIndemnity" expr:"professionalIndemnity"`
	Expires               *time.Time `yaml:"expires" expr:"expires"`
	Verified              bool       `yaml:"verified" expr:"verified"`
}

type actoCourse struct {
	Provider       string     `yaml:"provider" expr:"provider"`
	Course         string     `yaml:"course" expr:"course" eligo:"label"`
	Level          string     `yaml:"level" expr:"level"`
	Hours          float64    `yaml:"hours" expr:"hours"`
	Formats        []string   `yaml:"formats" expr:"formats"`
	TutorLed       bool       `yaml:"tutorLed" expr:"tutorLed"`
	SkillsAssessed bool       `yaml:"skillsAssessed" expr:"skillsAssessed"`
	ReflectiveWork bool       `yaml:"reflectiveWork" expr:"reflectiveWork"`
	Supervision    bool       `yaml:"supervision" expr:"supervision"`
	Enrolled       *time.Time `yaml:"enrolled" expr:"enrolled"`
	Completed      *time.Time `yaml:"completed" expr:"completed"`
	Verified       bool       `yaml:"verified" expr:"verified"`
}

type actoCPD struct {
	Title    string     `yaml:"title" expr:"title" eligo:"label"`
	Hours    float64    `yaml:"hours" expr:"hours"`
	Date     *time.Time `yaml:"date" expr:"date"`
	Online   bool       `yaml:"online" expr:"online"`
	Verified bool       `yaml:"verified" expr:"verified"`
}

type actoPractice struct {
	OnlineClientHours float64      `yaml:"onlineClientHours" expr:"onlineClientHours"`
	OnlineSupervisees int          `yaml:"onlineSupervisees" expr:"onlineSupervisees"`
	Log               []actoPeriod `yaml:"log" expr:"log"`
	Verified          bool         `yaml:"verified" expr:"verified"`
}

type actoPeriod struct {
	From             *time.Time `yaml:"from" expr:"from"`
	To               *time.Time `yaml:"to" expr:"to"`
	ClientHours      float64    `yaml:"clientHours" expr:"clientHours"`
	SupervisionHours float64    `yaml:"supervisionHours" expr:"supervisionHours"`
	Supervised       bool       `yaml:"supervised" expr:"supervised"`
	Online           bool       `yaml:"online" expr:"online"`
	Verified         bool       `yaml:"verified" expr:"verified"`
}

type actoSupervision struct {
	OnlineTrainedSupervisor bool `yaml:"onlineTrainedSupervisor" expr:"onlineTrainedSupervisor"`
	Verified                bool `yaml:"verified" expr:"verified"`
}

type actoReferences struct {
	SafeOnlinePractice bool `yaml:"safeOnlinePractice" expr:"safeOnlinePractice"`
	Verified           bool `yaml:"verified" expr:"verified"`
}

type actoPortfolio struct {
	CaseStudyWords   int  `yaml:"caseStudyWords" expr:"caseStudyWords"`
	CaseStudyClients int  `yaml:"caseStudyClients" expr:"caseStudyClients"`
	EssayWords       int  `yaml:"essayWords" expr:"essayWords"`
	SupervisorReport bool `yaml:"supervisorReport" expr:"supervisorReport"`
	Verified         bool `yaml:"verified" expr:"verified"`
}

type actoCoreNet struct {
	TrainingCompleted bool       `yaml:"trainingCompleted" expr:"trainingCompleted"`
	TestPassed        *time.Time `yaml:"testPassed" expr:"testPassed"`
	Verified          bool       `yaml:"verified" expr:"verified"`
}

type actoMembership struct {
	ProfessionalMemberSince *time.Time `yaml:"professionalMemberSince" expr:"professionalMemberSince"`
	Verified                bool       `yaml:"verified" expr:"verified"`
}

// applicantGen fills applicants with values drawn from what the rules
// mention (their texts, figures and dates), so that conditions go both ways.
type applicantGen struct {
	r     *rand.Rand
	strs  []string
	nums  []float64
	dates []time.Time
}

var quoted = regexp.MustCompile(`"([^"]*)"`)

func newApplicantGen(seed uint64, set *Set, asOf time.Time) *applicantGen {
	g := &applicantGen{r: rand.New(rand.NewPCG(seed, 7)), strs: []string{"", "other", "x y"}, nums: []float64{0, 1, 2}}
	for _, p := range set.Parameters {
		for _, v := range p.Values {
			switch x := v.Value.(type) {
			case []string:
				g.strs = append(g.strs, x...)
			case float64:
				g.nums = append(g.nums, x, x-0.5, x+1, x-1)
			case string:
				g.strs = append(g.strs, x)
			}
		}
	}
	for _, c := range set.Catalogues {
		for _, e := range c.Entries {
			g.strs = append(g.strs, e.ID, e.Name, strings.ToUpper(e.ID), "  "+strings.ReplaceAll(e.Name, " ", "  ")+" ")
			g.strs = append(g.strs, e.Aliases...)
		}
	}
	var exprs []string
	for _, f := range set.Facts {
		exprs = append(exprs, f.Expr.Source)
	}
	for _, r := range set.Requirements {
		exprs = append(exprs, r.When.Source, r.Review.Source, r.Unknown.Source)
	}
	for _, e := range exprs {
		for _, m := range quoted.FindAllStringSubmatch(e, -1) {
			g.strs = append(g.strs, m[1])
		}
	}
	for _, days := range []int{0, 1, -1, 30, 200, 364, 365, 366, 1095, 1096, 3000} {
		g.dates = append(g.dates, asOf.AddDate(0, 0, -days))
	}
	g.dates = append(g.dates, asOf.AddDate(-1, 0, 0), asOf.AddDate(-3, 0, 0), asOf.AddDate(0, -36, 0), asOf.AddDate(0, -36, 1), asOf.AddDate(1, 0, 0))
	return g
}

func (g *applicantGen) fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(g.strs[g.r.IntN(len(g.strs))])
	case reflect.Float64:
		v.SetFloat(g.nums[g.r.IntN(len(g.nums))])
	case reflect.Int:
		v.SetInt(int64(g.nums[g.r.IntN(len(g.nums))]))
	case reflect.Bool:
		v.SetBool(g.r.IntN(3) > 0)
	case reflect.Pointer:
		if g.r.IntN(5) > 0 {
			p := reflect.New(v.Type().Elem())
			g.fill(p.Elem())
			v.Set(p)
		}
	case reflect.Slice:
		switch k := g.r.IntN(6); k {
		case 0: // nil: absent
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			s := reflect.MakeSlice(v.Type(), k-1, k-1)
			for i := 0; i < s.Len(); i++ {
				g.fill(s.Index(i))
			}
			v.Set(s)
		}
	case reflect.Struct:
		if v.Type() == timeRT {
			v.Set(reflect.ValueOf(g.dates[g.r.IntN(len(g.dates))]))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				g.fill(v.Field(i))
			}
		}
	}
}

func compileFile(t testing.TB, pattern string, model any) *Program {
	t.Helper()
	dir := filepath.Dir(pattern)
	set, err := Load(os.DirFS(dir), filepath.Base(pattern))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(set, model)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFastACTO: every ACTO requirement runs on the fast evaluator, never
// falls back, and agrees with the VM on the example applicants and on
// thousands of generated ones.
func TestFastACTO(t *testing.T) {
	set, err := loadACTO()
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(set, actoApplicant{})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.fastRequirements(); len(got) != len(p.reqs) {
		t.Errorf("fast requirements: %d of %d: %v", len(got), len(p.reqs), got)
	}
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	files, _ := filepath.Glob("../examples/applicants/*.yaml")
	if len(files) == 0 {
		t.Fatal("no example applicants")
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var a actoApplicant
		if err := yaml.Unmarshal(data, &a); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, on := range []time.Time{asOf, asOf.AddDate(-3, 0, 0)} {
			sameAsVM(t, p, &a, on, filepath.Base(file))
		}
	}
	g := newApplicantGen(1, set, asOf)
	n := 3000
	if testing.Short() {
		n = 300
	}
	for k := range n {
		var a actoApplicant
		g.fill(reflect.ValueOf(&a).Elem())
		sameAsVM(t, p, &a, asOf, fmt.Sprintf("generated applicant %d", k))
		if t.Failed() {
			t.Logf("applicant: %+v", a)
			break
		}
	}
	if n := p.fallbacks.Load(); n != 0 {
		t.Errorf("%d evaluations fell back to the VM", n)
	}
}

// TestFastOtherRules: the evaluator agrees with the VM on the other rule
// sets of the tests and examples, whichever parts of them it runs.
func TestFastOtherRules(t *testing.T) {
	asOf := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		p     *Program
		model reflect.Type
	}{
		{"eval", compileEval(t, evalRules, testApplicant{}), reflect.TypeFor[testApplicant]()},
		{"explain", compileEval(t, explainSet, testApplicant{}), reflect.TypeFor[testApplicant]()},
		{"bacp", compileFile(t, "../examples/bacp/*.yaml", actoApplicant{}), reflect.TypeFor[actoApplicant]()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("fast: %v", tc.p.fastRequirements())
			g := newApplicantGen(2, tc.p.set, asOf)
			for k := range 1000 {
				a := reflect.New(tc.model)
				g.fill(a.Elem())
				sameAsVM(t, tc.p, a.Interface(), asOf, fmt.Sprintf("generated applicant %d", k))
				if t.Failed() {
					t.Logf("applicant: %+v", a.Elem().Interface())
					break
				}
			}
		})
	}
}

// TestFastEvalCases: the table of TestEval, on both evaluators.
func TestFastEvalCases(t *testing.T) {
	p := compileEval(t, evalRules, testApplicant{})
	for _, tc := range evalCases {
		sameAsVM(t, p, tc.app, *date(tc.asOf), tc.why)
	}
}

// FuzzFastMatchesVM puts one expression into a valid rule file, as
// FuzzExpression does, and when it compiles, requires the fast evaluator
// and expr's VM to agree on generated applicants.
//
//	go test ./rules -run '^$' -fuzz FuzzFastMatchesVM -fuzztime 60s
func FuzzFastMatchesVM(f *testing.F) {
	base, err := os.ReadFile("testdata/valid/small.yaml")
	if err != nil {
		f.Fatal(err)
	}
	const target = "    when: onlineCpdHours >= param.cpd_hours\n"
	if !bytes.Contains(base, []byte(target)) {
		f.Fatal("small.yaml changed: no online-cpd condition to replace")
	}
	for _, e := range []string{
		"onlineCpdHours >= param.cpd_hours",
		`any(qualifications, .level in ["diploma", "degree"] && done(.awarded))`,
		"sum(cpd ?? [], .hours) + len(onlineTraining) > 2",
		"sum(filter(cpd ?? [], .online), .hours) >= 1.5",
		"all(onlineTraining, .hours >= 10 || approved(.provider))",
		"all(cpd, .online && .hours >= 1 && done(.date))",
		`none(onlineTraining, !approved(.provider) && .hours >= 10 && done(.completed))`,
		`none(cpd ?? [], .hours > 1) && none(qualifications, .level == "masters")`,
		"none(filter(cpd, .online), .hours >= 2 && len(cpd) > 1)",
		"len(uniq(filter(onlineTraining[0].formats, # in [\"a\", \"b\"]))) == 2",
		"insurance?.expires == nil || current(insurance.expires)",
		"(portfolio?.caseStudyWords ?? 0) * 2 > 100 && !(practising ?? false)",
		"let x = sum(cpd, .hours); x > 1 ? x < 10 : x == 0",
		"count(qualifications, .field == \"counselling\") == one(cpd, .online) ? 1 : 0",
		"map(cpd, .hours)[0] > 1 && filter(cpd, #index > 0)[0].online",
		"yearsSince(qualifications[-1].awarded) >= 2 - 1 % 3 / 2",
		`"a" + "b" == "ab" && canonical("providers", onlineTraining[0].provider) != ""`,
		// Budgets and finite numbers (budget.go): both evaluators must fail alike.
		"sum(cpd, .hours) / 0.0 > 1 || sum(cpd, .hours) * 1e308 * 1e308 > 0",
		"any(cpd, any(cpd, .hours in map(cpd, .hours)))",
		"count(map(cpd, .online)) + len(uniq(map(cpd, .hours))) > 1",
		`repeat("ab", len(cpd) * 3000) != "" && reduce(cpd, #acc + #acc, "x") != ""`,
	} {
		f.Add(e)
	}
	asOf := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, e string) {
		if strings.ContainsAny(e, "\n\r") {
			return
		}
		q, _ := json.Marshal(e)
		data := bytes.Replace(base, []byte(target), []byte("    when: "+string(q)+"\n"), 1)
		set, err := Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		p, err := Compile(set, testApplicant{}, MaxNodes(300), MemoryBudget(10_000))
		if err != nil {
			return
		}
		g := newApplicantGen(uint64(len(e)), set, asOf)
		for k := range 20 {
			var a testApplicant
			g.fill(reflect.ValueOf(&a).Elem())
			sameAsVM(t, p, &a, asOf, fmt.Sprintf("applicant %d", k))
		}
	})
}

// TestLentListsStayPut: a list an explanation shows (here a list built
// while evaluating, on the right of in) keeps its values after the run
// moves on to other applicants.
func TestLentListsStayPut(t *testing.T) {
	const src = `
ruleset: lists
version: "1"
requirements:
  hours:
    title: Hours
    source: test
    when: 99.5 in map(cpd, .hours)
levels:
  - {id: l, title: L, requires: [hours]}
`
	p := compileEval(t, src, testApplicant{})
	asOf := *date("2024-06-01")
	run, err := p.NewRun(&testApplicant{CPD: []testCPD{{Hours: 7}, {Hours: 8}}}, asOf)
	if err != nil {
		t.Fatal(err)
	}
	res, err := run.Eval(0)
	if err != nil {
		t.Fatal(err)
	}
	observed := res.Clauses[0].Required
	want := ValueOf([]any{7.0, 8.0})
	for k := range 50 {
		if err := run.Reset(&testApplicant{CPD: []testCPD{{Hours: float64(k)}, {Hours: 1}}}, asOf); err != nil {
			t.Fatal(err)
		}
		if _, err := run.Eval(0); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(observed, want) {
		t.Errorf("required list became %v, want %v", observed, want)
	}
}

// TestConstantParts: the parts of rules that read nothing but parameters
// and literals (a comparison's right side, a list condition's items), which
// a run takes computed once per parameter period, give what computing them
// in each run gave, in every period; and a constant list too long for the
// memory budget still goes to the VM, which fails it as before.
func TestConstantParts(t *testing.T) {
	const src = `
ruleset: constants
version: "1"
parameters:
  min_cpd:
    source: test
    values:
      - {from: 2020-01-01, value: 10}
      - {from: 2024-04-01, value: 30}
  core_fields:
    source: test
    values:
      - {from: 2020-01-01, value: [counselling]}
      - {from: 2024-04-01, value: [counselling, psychotherapy]}
requirements:
  listed:
    title: Listed
    source: test
    when: id in ["a", "b", "c"]
  cpd:
    title: CPD
    source: test
    when: sum(cpd, .hours) >= param.min_cpd && len(cpd) != 0
  core:
    title: Core
    source: test
    when: any(qualifications, .field in param.core_fields && .level == "diploma" && len(.title) >= param.min_cpd)
levels:
  - {id: l, title: L, requires: [listed, cpd, core]}
`
	set, err := Parse("constants.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, budget := range []uint{DefaultMemoryBudget, 5} {
		p, err := Compile(set, testApplicant{}, MemoryBudget(budget))
		if err != nil {
			t.Fatal(err)
		}
		g := newApplicantGen(5, set, *date("2024-06-01"))
		for k := range 300 {
			var a testApplicant
			g.fill(reflect.ValueOf(&a).Elem())
			for _, on := range []string{"2022-06-01", "2024-06-01"} {
				sameAsVM(t, p, &a, *date(on), fmt.Sprintf("budget %d, applicant %d, %s", budget, k, on))
			}
		}
		if n := p.fallbacks.Load(); (n != 0) != (budget == 5) {
			t.Errorf("budget %d: %d evaluations fell back to the VM", budget, n)
		}
	}
}
