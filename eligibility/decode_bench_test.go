package eligibility

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The benchmarks of the decoding path (see README, Performance): decode and
// validate one applicant document per iteration, as a service does before
// it decides, and a service's whole request (decode, decide, write the
// decision as JSON). The documents are benchPopulation's applicants, the
// ones BenchmarkEvaluate decides, written as JSON (encoding/json, as
// actogen writes them) and as block-style YAML. Each benchmark runs on the
// typical document (the median-sized one) and on the whole population in
// turn, and reports its time as a multiple of Evaluate's on the same
// documents, the two timed side by side (x-evaluate, reportRatio), so that
// the ratio holds however busy the machine.

// benchDocuments is the bench population written as documents.
type benchDocuments struct {
	json, yaml [][]byte
	typical    int // the index of the median-sized JSON document
}

func newBenchDocuments(b *testing.B) *benchDocuments {
	b.Helper()
	pop := benchPopulation(b)
	docs := &benchDocuments{json: make([][]byte, len(pop)), yaml: make([][]byte, len(pop))}
	for i, a := range pop {
		var err error
		if docs.json[i], err = json.Marshal(a); err != nil {
			b.Fatal(err)
		}
		if docs.yaml[i], err = blockYAML(docs.json[i]); err != nil {
			b.Fatal(err)
		}
		// The YAML must say what the JSON says.
		fromJSON, err := decodeApplicant("a.json", docs.json[i])
		if err != nil {
			b.Fatal(err)
		}
		fromYAML, err := decodeApplicant("a.yaml", docs.yaml[i])
		if err != nil {
			b.Fatalf("%v\n%s", err, docs.yaml[i])
		}
		if !reflect.DeepEqual(fromJSON, fromYAML) {
			b.Fatalf("document %d: the YAML decodes to another applicant than the JSON:\n%s", i, docs.yaml[i])
		}
	}
	bySize := make([]int, len(pop))
	for i := range bySize {
		bySize[i] = i
	}
	slices.SortStableFunc(bySize, func(i, j int) int { return len(docs.json[i]) - len(docs.json[j]) })
	docs.typical = bySize[len(bySize)/2]
	return docs
}

// blockYAML rewrites a JSON document as YAML is usually written: block
// style, strings unquoted where YAML reads them as strings.
func blockYAML(data []byte) ([]byte, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, err
	}
	var plain func(*yaml.Node)
	plain = func(n *yaml.Node) {
		n.Style = 0
		for _, c := range n.Content {
			plain(c)
		}
	}
	plain(&n)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

// benchSets are the documents a decoding benchmark runs on: the typical one,
// and the whole population in turn.
func benchSets(docs [][]byte, typical int) []struct {
	name string
	docs [][]byte
} {
	return []struct {
		name string
		docs [][]byte
	}{{"typical", docs[typical : typical+1]}, {"population", docs}}
}

// reportRatio reports op's time on docs (op(k) works on docs[k]) as a
// multiple of Evaluate's on the same documents, decoded beforehand
// (x-evaluate), and Evaluate's time (evaluate-ns), the two timed side by
// side (sideBySide).
func reportRatio[T any](b *testing.B, e *EngineOf[T], name string, docs [][]byte, op func(k int) error) {
	b.Helper()
	vals := make([]*T, len(docs))
	for i, data := range docs {
		var err error
		if vals[i], err = e.Decode(name, data); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	ratio, eval := sideBySide(b, len(docs), op, func(k int) error {
		_, err := e.Evaluate(ctx, vals[k], AsOf(benchDate))
		return err
	})
	b.ReportMetric(ratio, "x-evaluate")
	b.ReportMetric(eval, "evaluate-ns")
}

// benchDecodeValidate decodes and validates one document per iteration.
func benchDecodeValidate[T any](b *testing.B, e *EngineOf[T], name string, docs [][]byte) {
	op := func(k int) error {
		a, err := e.Decode(name, docs[k])
		if err != nil {
			return err
		}
		return e.Validate(a, benchDate)
	}
	cycle(b, len(docs), op)
	reportRatio(b, e, name, docs, op)
}

// benchDecodeFormat runs benchDecodeValidate on both engines: Default(),
// whose documents are of the declared model (Document), and
// NewFor[acto.Applicant], which decodes into the Go type.
func benchDecodeFormat(b *testing.B, name string, docs [][]byte, typical int) {
	declared, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	own, err := actoDefault()
	if err != nil {
		b.Fatal(err)
	}
	for _, set := range benchSets(docs, typical) {
		b.Run("Default/"+set.name, func(b *testing.B) { benchDecodeValidate(b, declared, name, set.docs) })
		b.Run("NewFor/"+set.name, func(b *testing.B) { benchDecodeValidate(b, own, name, set.docs) })
	}
}

// BenchmarkDecodeJSON decodes and validates one JSON document per iteration.
func BenchmarkDecodeJSON(b *testing.B) {
	docs := newBenchDocuments(b)
	benchDecodeFormat(b, "applicant.json", docs.json, docs.typical)
}

// BenchmarkDecodeYAML decodes and validates one YAML document per
// iteration. Parser runs the YAML parser alone on the same documents
// (yaml.Unmarshal into a yaml.Node, with Evaluate's time on them beside
// it): the floor under decoding YAML.
func BenchmarkDecodeYAML(b *testing.B) {
	docs := newBenchDocuments(b)
	benchDecodeFormat(b, "applicant.yaml", docs.yaml, docs.typical)
	own, err := actoDefault()
	if err != nil {
		b.Fatal(err)
	}
	for _, set := range benchSets(docs.yaml, docs.typical) {
		b.Run("Parser/"+set.name, func(b *testing.B) {
			op := func(k int) error {
				var n yaml.Node
				return yaml.Unmarshal(set.docs[k], &n)
			}
			cycle(b, len(set.docs), op)
			reportRatio(b, own, "applicant.yaml", set.docs, op)
		})
	}
}

// BenchmarkRequest is a service's work on one request: decode a JSON
// document with the default Engine, decide it (validation included), and
// write the decision as JSON into a buffer reused from the last request.
func BenchmarkRequest(b *testing.B) {
	docs := newBenchDocuments(b)
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, set := range benchSets(docs.json, docs.typical) {
		b.Run(set.name, func(b *testing.B) {
			var buf []byte
			op := func(k int) error {
				a, err := e.Decode("applicant.json", set.docs[k])
				if err != nil {
					return err
				}
				d, err := e.Evaluate(ctx, a, AsOf(benchDate))
				if err != nil {
					return err
				}
				buf, err = d.AppendJSON(buf[:0])
				return err
			}
			cycle(b, len(set.docs), op)
			reportRatio(b, e, "applicant.json", set.docs, op)
		})
	}
}
