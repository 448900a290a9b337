package eligibility

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A YAML document written as a JSON object whose key and ':' stand on
// different lines (or more than 1,024 characters apart) is not YAML: the
// YAML parser refuses it. decodeSingle's fast way (docdecode.DecodeJSON,
// tried first on a YAML input starting with '{') takes it all the same, so
// Decode takes what DecodeAll refuses, and the value it takes has no
// positions: validation's errors come without line and column.
func TestYAMLWrittenAsJSON(t *testing.T) {
	asOf := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, doc := range []string{
		"{\"ref\": \"N-9\", \"body\"\n: \"NMC\", \"supervisedHours\": [{\"quarter\": \"Q1\", \"hours\": -1}]}",
		"{\"ref\": \"N-9\", \"body\"" + strings.Repeat(" ", 1100) + ": \"NMC\", \"supervisedHours\": [{\"quarter\": \"Q1\", \"hours\": -1}]}",
	} {
		one, err1 := DecodeFor[nurse]("a.yaml", []byte(doc))
		all, err2 := DecodeAllFor[nurse]("a.yaml", []byte(doc))
		if (err1 == nil) != (err2 == nil) {
			t.Errorf("%.40q: DecodeFor: %v; DecodeAllFor: %v (%d values)", doc, err1, err2, len(all))
		}
		if err1 != nil {
			continue
		}
		de, set := declaredEngine(t)
		ge, err := NewFor[nurse](set)
		if err != nil {
			t.Fatal(err)
		}
		var ie *InputError
		if err := ge.Validate(one, asOf); !errors.As(err, &ie) {
			t.Fatalf("%v", err)
		}
		for _, fe := range ie.Errors {
			if fe.Line == 0 {
				t.Errorf("%.40q: nurse: %s has no position: %v", doc, fe.Path, fe)
			}
		}
		d, err := de.Decode("a.yaml", []byte(doc))
		if err != nil {
			continue
		}
		if err := de.Validate(d, asOf); !errors.As(err, &ie) {
			t.Fatalf("%v", err)
		}
		for _, fe := range ie.Errors {
			if fe.Line == 0 {
				t.Errorf("%.40q: Document: %s has no position: %v", doc, fe.Path, fe)
			}
		}
	}
}

// TestJSONReadAsJSON: a JSON document is read by JSON's rules, never by
// the YAML parser's, which refuses some JSON (a key and its ':' on
// different lines, with a tab elsewhere to keep the fast ways off it; the
// escapes \/ and \ud83d\ude00) and reads some otherwise (a raw U+0085,
// a line break to YAML): the values are encoding/json's.
func TestJSONReadAsJSON(t *testing.T) {
	for doc, body := range map[string]string{
		"{\"ref\": \"N-9\",\t\"body\"\n: \"NMC\"}":                                "NMC",
		"{\"ref\": \"N-9\",\t\"body\"" + strings.Repeat(" ", 1100) + ": \"NMC\"}": "NMC",
		`{"ref": "N-9", "body": "\ud83d\ude00 a\/b"}`:                             "😀 a/b",
		"{\"ref\": \"N-9\", \"body\": \"a\u0085b\u2028c\"}":                       "a\u0085b\u2028c",
	} {
		var want struct{ Body string }
		require.NoError(t, json.Unmarshal([]byte(doc), &want), "%q", doc)
		require.Equal(t, body, want.Body, "%q", doc)
		for _, decode := range []func() (*nurse, error){
			func() (*nurse, error) { return DecodeFor[nurse]("a.json", []byte(doc)) },
			func() (*nurse, error) {
				all, err := DecodeAllFor[nurse]("a.json", []byte(doc))
				if err != nil {
					return nil, err
				}
				return all[0], nil
			},
		} {
			n, err := decode()
			if err != nil {
				t.Errorf("%.40q: valid JSON refused: %v", doc, err)
				continue
			}
			if n.Body != body {
				t.Errorf("%.40q: body %q, want %q", doc, n.Body, body)
			}
		}
	}
}
