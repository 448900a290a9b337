package eligibility

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/acto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// declaredRules is a nursing-like body's rule set whose applicant document
// is declared in YAML; nurse below is its mirror Go type: the two must
// decide alike.
var declaredRules = func() string {
	data, err := os.ReadFile("../rules/testdata/declared/nursing.yaml")
	if err != nil {
		panic(err)
	}
	return string(data)
}()

// nurse mirrors the declared model as a caller's Go type would.
type nurse struct {
	Ref             string       `json:"ref" yaml:"ref" expr:"ref" eligo:"id"`
	Body            string       `json:"body" yaml:"body" expr:"body" validate:"required,oneof=NMC NMBI"`
	Registration    *nurseReg    `json:"registration,omitempty" yaml:"registration,omitempty" expr:"registration"`
	BackgroundCheck *time.Time   `json:"backgroundCheck,omitempty" yaml:"backgroundCheck,omitempty" expr:"backgroundCheck"`
	SupervisedHours []nurseHours `json:"supervisedHours" yaml:"supervisedHours" expr:"supervisedHours" validate:"max=1000,dive"`
	Sanctions       []nurseSanct `json:"sanctions" yaml:"sanctions" expr:"sanctions" validate:"max=1000,dive"`
}

type nurseReg struct {
	Pin          string     `json:"pin" yaml:"pin" expr:"pin" validate:"required"`
	Revalidation *time.Time `json:"revalidation,omitempty" yaml:"revalidation,omitempty" expr:"revalidation" validate:"required"`
	Verified     bool       `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

type nurseHours struct {
	Quarter  string  `json:"quarter" yaml:"quarter" expr:"quarter" validate:"required" eligo:"label"`
	Hours    float64 `json:"hours" yaml:"hours" expr:"hours" validate:"gte=0,lte=2000"`
	Verified bool    `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

type nurseSanct struct {
	Reason   string `json:"reason" yaml:"reason" expr:"reason"`
	Active   bool   `json:"active" yaml:"active" expr:"active"`
	Verified bool   `json:"verified,omitempty" yaml:"verified,omitempty" expr:"verified"`
}

var declaredAsOf = AsOf(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))

func declaredEngine(t testing.TB) (*EngineOf[Document], *rules.Set) {
	t.Helper()
	set, err := rules.Parse("nursing.yaml", []byte(declaredRules))
	require.NoError(t, err)
	e, err := newForModel(set, nil)
	require.NoError(t, err)
	return e, set
}

var declaredDocs = map[string]string{
	"mentor.yaml": `ref: N-1
body: NMC
registration: {pin: 12A3456B, revalidation: 2026-03-31, verified: true}
backgroundCheck: 2024-01-15
supervisedHours:
  - {quarter: 2025Q1, hours: 40, verified: true}
  - {quarter: 2025Q2, hours: 60, verified: true}
sanctions: [{reason: lapsed, active: false, verified: true}]
`,
	"provisional.json": `{"ref": "N-2", "body": "NMBI",
 "registration": {"pin": "99Z", "revalidation": "2026-01-31"},
 "backgroundCheck": "2023-02-01",
 "supervisedHours": [{"quarter": "2025Q1", "hours": 55}],
 "sanctions": []}`,
	"sanctioned.yaml": `ref: N-3
body: NMC
registration: {pin: "1", revalidation: 2026-03-31, verified: true}
backgroundCheck: 2024-01-15
supervisedHours: [{quarter: 2025Q1, hours: 80, verified: true}]
sanctions: [{reason: conduct, active: true, verified: true}]
`,
	"unknown.yaml": `ref: N-4
body: NMC
`,
}

// TestDeclaredEngineDecidesLikeAGoType: documents of a declared model,
// decoded and decided with no Go type, get exactly the decisions the same
// documents get through a mirror Go type.
func TestDeclaredEngineDecidesLikeAGoType(t *testing.T) {
	e, set := declaredEngine(t)
	goe, err := NewFor[nurse](set)
	require.NoError(t, err)
	ctx := context.Background()
	levels := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(declaredDocs)) {
		doc, err := e.Decode(name, []byte(declaredDocs[name]))
		require.NoError(t, err, name)
		n, err := goe.Decode(name, []byte(declaredDocs[name]))
		require.NoError(t, err, name)
		assert.Equal(t, n.Ref, doc.ID())

		d, err := e.Evaluate(ctx, doc, declaredAsOf)
		require.NoError(t, err, name)
		gd, err := goe.Evaluate(ctx, n, declaredAsOf)
		require.NoError(t, err, name)
		dj, err := json.Marshal(d)
		require.NoError(t, err)
		gj, err := json.Marshal(gd)
		require.NoError(t, err)
		assert.JSONEq(t, string(gj), string(dj), name)
		assert.Equal(t, gd.Text(), d.Text(), name)
		levels[doc.ID()] = d.Level
	}
	assert.Equal(t, map[string]string{"N-1": "mentor", "N-2": "", "N-3": "", "N-4": ""}, levels)
}

// TestDeclaredModelsValidateQuickly: the quick check models every tag a
// declared model's type carries, so valid documents skip the validator.
func TestDeclaredModelsValidateQuickly(t *testing.T) {
	e, _ := declaredEngine(t)
	assert.NotNil(t, e.quick)
	set, err := acto.Rules()
	require.NoError(t, err)
	model, err := rules.ModelType(set)
	require.NoError(t, err)
	assert.NotNil(t, newQuickValidator(model), "the ACTO model's tags")
}

// TestDeclaredEngineOutcomes: the gate refuses, unverified claims make an
// outcome provisional naming what to verify.
func TestDeclaredEngineOutcomes(t *testing.T) {
	e, _ := declaredEngine(t)
	decide := func(name string) *Decision {
		doc, err := e.Decode(name, []byte(declaredDocs[name]))
		require.NoError(t, err)
		d, err := e.Evaluate(context.Background(), doc, declaredAsOf)
		require.NoError(t, err)
		return d
	}
	d := decide("sanctioned.yaml")
	assert.Equal(t, []RequirementStatus{{ID: "no-sanction", Status: Unmet}}, d.Gates())
	for _, l := range d.Levels() {
		assert.Equal(t, Refused, l.Outcome, l.ID)
	}
	d = decide("provisional.json")
	nurse := d.Levels()[0]
	assert.Equal(t, Provisional, nurse.Outcome)
	var settle []string
	for _, a := range nurse.Settle {
		settle = append(settle, a.String())
	}
	assert.Contains(t, strings.Join(settle, "; "), "registration")
}

// TestDeclaredEngineValidates: validation of a declared model's document
// names each problem by its document path, line and column.
func TestDeclaredEngineValidates(t *testing.T) {
	e, _ := declaredEngine(t)
	doc, err := e.Decode("bad.yaml", []byte("ref: N-9\nbody: GMC\nsupervisedHours:\n  - {quarter: Q1, hours: -1}\n"))
	require.NoError(t, err) // shape and types are right
	err = e.Validate(doc, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	msg := err.Error()
	assert.Contains(t, msg, "N-9:2:7: body")
	assert.Contains(t, msg, "N-9:4:26: supervisedHours[0].hours")
	_, err = e.Evaluate(context.Background(), doc, declaredAsOf)
	assert.ErrorAs(t, err, &ie)

	// A Document keeps its positions in its own memory, however it was
	// decoded: block-style YAML and JSON straight into its values, a
	// batch's entries from the tree.
	require.NotNil(t, e.validator.values.alloc, "a Document's values have room for their positions (StructOf lays the model first)")
	for name, data := range map[string]string{
		"block.yaml": "ref: N-9\nbody: GMC\nsupervisedHours:\n  - quarter: Q1\n    hours: -1\n",
		"doc.json":   `{"ref": "N-9", "body": "GMC", "supervisedHours": [{"quarter": "Q1", "hours": -1}]}`,
	} {
		doc, err := e.Decode(name, []byte(data))
		require.NoError(t, err, name)
		err = e.Validate(doc, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
		require.ErrorAs(t, err, &ie, name)
		want := map[string]string{"block.yaml": "N-9:5:12: supervisedHours[0].hours", "doc.json": "N-9:1:78: supervisedHours[0].hours"}[name]
		assert.Contains(t, err.Error(), want, name)
	}
	docs, err := e.DecodeAll("batch.yaml", []byte("- ref: N-1\n  body: NMC\n- ref: N-2\n  body: GMC\n"))
	require.NoError(t, err)
	err = e.Validate(docs[1], time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, err.Error(), "N-2:4:9: body")

	// Shape errors come from decoding, positioned.
	_, err = e.Decode("bad.json", []byte(`{"ref": "x", "bdy": "NMC"}`))
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, err.Error(), "bad.json:1:14: bdy")
	_, err = e.Decode("bad.yaml", []byte("ref: x\nbackgroundCheck: 1/2/2020\n"))
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, err.Error(), "bad.yaml:2:18: backgroundCheck")
}

// TestDeclaredEngineRefuses: what a declared-model engine cannot decide
// is an error, never a decision: a document of another model, the zero
// Document, a nil one; and a rule set without a model builds no engine.
func TestDeclaredEngineRefuses(t *testing.T) {
	e, _ := declaredEngine(t)
	ctx := context.Background()
	other, err := rules.Parse("other.yaml", []byte(strings.Replace(declaredRules, "  backgroundCheck: {type: date, description: \"DBS check\"}\n",
		"  backgroundCheck: {type: date}\n  extra: {type: text}\n", 1)))
	require.NoError(t, err)
	oe, err := newForModel(other, nil)
	require.NoError(t, err)
	foreign, err := oe.Decode("x.yaml", []byte("ref: F-1\nbody: NMC\n"))
	require.NoError(t, err)
	for name, doc := range map[string]*Document{"foreign": foreign, "zero": {}} {
		_, err := e.Evaluate(ctx, doc, declaredAsOf)
		assert.ErrorIs(t, err, ErrModel, name)
		assert.ErrorIs(t, e.Validate(doc, time.Now()), ErrModel, name)
		res := e.EvaluateAll(ctx, []*Document{doc}, declaredAsOf)
		assert.ErrorIs(t, res[0].Err, ErrModel, name)
	}
	_, err = e.Evaluate(ctx, nil, declaredAsOf)
	var ie *InputError
	assert.ErrorAs(t, err, &ie)

	noModel, err := rules.Parse("bare.yaml", []byte("ruleset: bare\nversion: \"1\"\nrequirements:\n  r: {title: R, source: S, when: \"true\"}\nlevels:\n  - {id: l, title: L, requires: [r]}\n"))
	require.NoError(t, err)
	_, err = newForModel(noModel, nil)
	assert.ErrorIs(t, err, ErrModel)
	assert.Contains(t, err.Error(), "declares no applicant model")

	_, err = NewFor[Document](noModel)
	assert.True(t, errors.Is(err, errDocumentType))
}

// TestDeclaredEngineBatches: documents decode as a batch (list or YAML
// stream, ids unique) and decide in batches like any applicant.
func TestDeclaredEngineBatches(t *testing.T) {
	e, _ := declaredEngine(t)
	stream := declaredDocs["mentor.yaml"] + "---\n" + declaredDocs["sanctioned.yaml"] + "---\n" + declaredDocs["unknown.yaml"]
	docs, err := e.ReadAll("batch", strings.NewReader(stream), YAML)
	require.NoError(t, err)
	require.Len(t, docs, 3)
	res := e.EvaluateAll(context.Background(), docs, declaredAsOf, Workers(2))
	var got []string
	for _, r := range res {
		require.NoError(t, r.Err)
		got = append(got, r.Decision.Applicant+"="+r.Decision.Level)
	}
	assert.Equal(t, []string{"N-1=mentor", "N-3=", "N-4="}, got)

	keyed := map[string]string{}
	for k, r := range KeyedDecisions(context.Background(), e, func(yield func(string, *Document) bool) {
		for _, d := range docs {
			if !yield("file-"+d.ID(), d) {
				return
			}
		}
	}, declaredAsOf, Workers(2)) {
		require.NoError(t, r.Err)
		keyed[k] = r.Decision.Level
	}
	assert.Equal(t, map[string]string{"file-N-1": "mentor", "file-N-3": "", "file-N-4": ""}, keyed)

	_, err = e.DecodeAll("dup.yaml", []byte(declaredDocs["unknown.yaml"]+"---\n"+declaredDocs["unknown.yaml"]))
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, err.Error(), `duplicate applicant id "N-4"`)

	one, err := e.Read("one.json", strings.NewReader(declaredDocs["provisional.json"]), JSON)
	require.NoError(t, err)
	assert.Equal(t, "N-2", one.ID())
}
