package eligibility

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// slowYAML is data as the YAML parser, not fastYAML, reads it: ended with
// a "..." document end marker, which fastYAML leaves to the YAML parser
// and which changes neither the document nor its positions.
func slowYAML(data []byte) []byte {
	return append(bytes.Clone(data), "\n...\n"...)
}

// TestFastYAMLDecodes: a YAML document decodes and validates to the same
// applicant, or the same errors (messages, paths, lines and columns),
// whether its node tree is docdecode's fastYAML's or the YAML parser's:
// the example and test applicant documents, the benchmark population
// written as block YAML, and some of those with faults put in.
func TestFastYAMLDecodes(t *testing.T) {
	e := actoEngine(t)
	type doc struct {
		name string
		data []byte
	}
	var docs []doc
	for _, pattern := range []string{"../examples/applicants/*.yaml", "../examples/applicants-invalid/*.yaml", "testdata/applicants/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, doc{f, data})
		}
	}
	if len(docs) < 70 {
		t.Fatalf("only %d example documents", len(docs))
	}
	faults := []struct{ old, new string }{
		{"verified: true", "verified: maybe"}, {"hours: ", "hours: x"}, {"\nname: ", "\nnmae: "},
		{"country: ", "country: 12"}, {"  - ", "  - null\n  - "}, {"level: ", "level: [a]"},
	}
	for i, a := range benchPopulation(t) {
		data, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		y, err := blockYAML(data)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc{fmt.Sprintf("population-%d.yaml", i), y})
		if i%10 == 0 {
			f := faults[(i/10)%len(faults)]
			docs = append(docs, doc{fmt.Sprintf("population-%d-faulty.yaml", i), []byte(strings.Replace(string(y), f.old, f.new, 1))})
		}
	}
	errText := func(err error) string {
		if err == nil {
			return ""
		}
		return err.Error()
	}
	for _, d := range docs {
		fast, fastErr := e.Decode(d.name, d.data)
		slow, slowErr := e.Decode(d.name, slowYAML(d.data))
		if errText(fastErr) != errText(slowErr) {
			t.Errorf("%s: decoding fails with\n%v\nand the YAML parser's tree with\n%v", d.name, fastErr, slowErr)
			continue
		}
		if fastErr != nil {
			continue
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: decodes to\n%+v\nand the YAML parser's tree to\n%+v", d.name, fast, slow)
			continue
		}
		if a, b := errText(e.Validate(fast, benchDate)), errText(e.Validate(slow, benchDate)); a != b {
			t.Errorf("%s: validates with\n%s\nand the YAML parser's tree with\n%s", d.name, a, b)
		}
	}
	batches, err := filepath.Glob("testdata/applicants/batches/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range batches {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fast, fastErr := decodeApplicants(f, data)
		slow, slowErr := decodeApplicants(f, slowYAML(data))
		if errText(fastErr) != errText(slowErr) || !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: decodes to %+v, %v and the YAML parser's tree to %+v, %v", f, fast, fastErr, slow, slowErr)
		}
	}
}
