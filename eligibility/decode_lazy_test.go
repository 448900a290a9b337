package eligibility

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eligo-dev/eligo/eligibility/internal/docdecode"
	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/acto"
)

// eagerSingle is decodeSingle as it was before it tried first and found
// positions lazily: one decode, with paths and positions, of every
// document. decodeSingle must agree with it on every input: the same
// value, the same error, the same positions.
func eagerSingle(name string, data []byte, f Format, model reflect.Type) (reflect.Value, []pathPos, error) {
	d := newDocDecoder(data, f)
	defer d.Release()
	docs, ok := d.Documents(true)
	if ok && len(docs) == 0 {
		d.Errorf(1, 1, "", docdecode.Syntax, "empty document: want an applicant")
	}
	v := reflect.New(model)
	var at []pathPos
	if len(docs) > 0 {
		at = d.Decode(docs[0], v)
	}
	if err := inputError(name, d); err != nil {
		return reflect.Value{}, nil, err
	}
	return v, at, nil
}

// checkLazyDecode holds decodeSingle to eagerSingle on data, as JSON and
// as YAML, decoded into both ACTO's Go type and its declared model.
func checkLazyDecode(t *testing.T, data []byte, models []reflect.Type) {
	t.Helper()
	for _, f := range []Format{JSON, YAML} {
		for _, model := range models {
			for _, documents := range []bool{false, true} {
				checkLazyDecodeInto(t, data, f, valuesFor(model, documents))
			}
		}
	}
}

// checkLazyDecodeInto is checkLazyDecode of data in format f into the
// values of vs.
func checkLazyDecodeInto(t *testing.T, data []byte, f Format, vs docValues) {
	t.Helper()
	model := vs.model
	name := "doc." + strings.ToLower(f.String())
	want, wantAt, wantErr := eagerSingle(name, data, f, model)
	got, gotErr := decodeSingle(name, data, f, vs)
	if wantErr != nil {
		require.Error(t, gotErr, "%s %s: %q", f, model, data)
		assert.Equal(t, wantErr.Error(), gotErr.Error(), "%s %s: %q", f, model, data)
		return
	}
	require.NoError(t, gotErr, "%s %s: %q", f, model, data)
	require.Equal(t, want.Elem().Interface(), got.Elem().Interface(), "%s %s: %q", f, model, data)
	if len(wantAt) == 0 {
		return
	}
	pos := vs.positions(got.UnsafePointer())
	require.NotNil(t, pos, "%s %s: %q", f, model, data)
	assert.Equal(t, wantAt, pos.all(), "%s %s: %q", f, model, data)
}

// lazyModels are the types checkLazyDecode decodes into.
func lazyModels(tb testing.TB) []reflect.Type {
	tb.Helper()
	set, err := acto.Rules()
	require.NoError(tb, err)
	declared, err := rules.ModelType(set)
	require.NoError(tb, err)
	return []reflect.Type{reflect.TypeFor[Applicant](), declared}
}

// lazyInputs are documents good and bad: the test applicants, the
// examples, the decoding error cases and a sample of the benchmarks'
// population in JSON and YAML.
func lazyInputs(tb testing.TB) [][]byte {
	tb.Helper()
	var inputs [][]byte
	for _, glob := range []string{filepath.Join("testdata", "applicants", "*.*"), filepath.Join("..", "examples", "applicants", "*.*")} {
		files, err := filepath.Glob(glob)
		require.NoError(tb, err)
		for _, path := range files {
			data, err := os.ReadFile(path)
			require.NoError(tb, err)
			inputs = append(inputs, data)
		}
	}
	for _, c := range decodeErrorCases {
		inputs = append(inputs, []byte(c.doc))
	}
	for i, a := range benchPopulation(tb) {
		if i%20 != 0 {
			continue
		}
		data, err := json.Marshal(a)
		require.NoError(tb, err)
		y, err := blockYAML(data)
		require.NoError(tb, err)
		inputs = append(inputs, data, y)
	}
	return inputs
}

// Decoding a document first without positions, and finding them only when
// asked, changes nothing a caller sees.
func TestDecodeLazyPositions(t *testing.T) {
	models := lazyModels(t)
	for _, data := range lazyInputs(t) {
		checkLazyDecode(t, data, models)
	}
}

// Validation problems of a document that decoded on the first try still
// carry their lines and columns, found when first asked for.
func TestDecodeLazyPositionsInValidation(t *testing.T) {
	doc := "id: a-1\nkind: person\nqualifications:\n  - level: phd\n    field: other\n    delivery: online\n"
	a, err := decodeApplicant("a.yaml", []byte(doc))
	require.NoError(t, err)
	pos := positionsAt(unsafe.Pointer(a))
	require.NotNil(t, pos)
	require.NotNil(t, pos.model, "a clean document's positions are found lazily")
	err = actoEngine(t).Validate(a, benchDate)
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	got := make([]string, len(ie.Errors))
	for i, fe := range ie.Errors {
		got[i] = fmt.Sprintf("%s@%d:%d", fe.Path, fe.Line, fe.Column)
	}
	assert.ElementsMatch(t, []string{"kind@2:7", "qualifications[0].level@4:12"}, got)
}

// FuzzDecodeLazy holds decodeSingle to eagerSingle on any input.
func FuzzDecodeLazy(f *testing.F) {
	for _, data := range lazyInputs(f) {
		f.Add(data)
	}
	models := lazyModels(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLazyDecode(t, data, models)
	})
}

// TestDecodeAllocations: decoding and validating a valid document, JSON
// or YAML, into either engine's type allocates a bounded number of times
// (README, Performance): at most 60 for a document of ACTO's benchmark
// population, JSON or block-style YAML, whatever its size (the typical
// one takes about 20), where the YAML parser alone takes hundreds: a YAML
// document's tree is fastYAML's, from reused memory.
func TestDecodeAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	declared, err := Default()
	require.NoError(t, err)
	own := actoEngine(t)
	for i, a := range benchPopulation(t) {
		if i%50 != 0 {
			continue
		}
		data, err := json.Marshal(a)
		require.NoError(t, err)
		y, err := blockYAML(data)
		require.NoError(t, err)
		for _, doc := range []struct {
			name string
			data []byte
			most float64
		}{{"a.json", data, 60}, {"a.yaml", y, 60}} {
			n := testing.AllocsPerRun(20, func() {
				d, err := declared.Decode(doc.name, doc.data)
				require.NoError(t, err)
				require.NoError(t, declared.Validate(d, benchDate))
			})
			assert.LessOrEqual(t, n, doc.most, "Default: %s:\n%s", doc.name, doc.data)
			n = testing.AllocsPerRun(20, func() {
				a, err := own.Decode(doc.name, doc.data)
				require.NoError(t, err)
				require.NoError(t, own.Validate(a, benchDate))
			})
			assert.LessOrEqual(t, n, doc.most, "NewFor: %s:\n%s", doc.name, doc.data)
		}
	}
}
