package eligibility

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// wantPosition is the 1-based line and column, in characters, of the first
// "-1" of doc that stands as a value (after ": ").
func wantPosition(doc string) (line, col int) {
	i := strings.Index(doc, ": -1")
	if i < 0 {
		i = strings.Index(doc, ":-1")
		if i < 0 {
			panic("no -1 in " + doc)
		}
		i++
	} else {
		i += 2
	}
	before := doc[:i]
	line = strings.Count(before, "\n") + 1
	ls := strings.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCountInString(strings.TrimPrefix(before[ls:], "\ufeff")) + 1
}

var positionDocs = map[string]string{
	"block.yaml":        "ref: N-9\nbody: NMC\nsupervisedHours:\n  - quarter: Q1\n    hours: -1\n",
	"crlf.yaml":         "ref: N-9\r\nbody: NMC\r\nsupervisedHours:\r\n  - quarter: Q1\r\n    hours: -1\r\n",
	"marker.yaml":       "# c\n---\nref: N-9 # c\n\nbody: NMC\nsupervisedHours:\n- quarter: Qé\n  hours: -1\n",
	"nonascii.yaml":     "ref: Né-9\nbody: NMC\nsupervisedHours: [{quarter: Qéé, hours: -1}]\n",
	"flow.yaml":         "ref: N-9\nbody: NMC\nsupervisedHours:\n  - {quarter: Q1, hours: -1}\n",
	"jsonish.yaml":      `{"ref": "N-9", "body": "NMC", "supervisedHours": [{"quarter": "Qé", "hours": -1}]}`,
	"jsonish2.yaml":     "\n  {\"ref\": \"N-9\",\n \"body\": \"NMC\", \"supervisedHours\": [{\"quarter\": \"Q1\", \"hours\": -1}]}\n",
	"doc.json":          `{"ref": "N-9", "body": "NMC", "supervisedHours": [{"quarter": "Qé", "hours": -1}]}`,
	"esc.json":          `{"ref": "N-9", "body": "NMC", "supervisedHours": [{"quarter": "Q\u00e9", "hours": -1}]}`,
	"tab.json":          "{\"ref\": \"N-9\",\t\"body\": \"NMC\", \"supervisedHours\": [{\"quarter\": \"Qé\", \"hours\": -1}]}",
	"multiline.json":    "{\"ref\": \"N-9\",\r\n \"body\": \"NMC\",\n \"supervisedHours\": [\n  {\"quarter\": \"Qé\", \"hours\": -1}]}",
	"bom.yaml":          "\ufeffref: N-9\nbody: NMC\nsupervisedHours:\n  - quarter: Q1\n    hours: -1\n",
	"tabs.yaml":         "ref: N-9\nbody:\tNMC\nsupervisedHours:\n  - quarter: Q1\n    hours: -1\n",
	"anchor.yaml":       "ref: &r N-9\nbody: NMC\nsupervisedHours:\n  - quarter: Q1\n    hours: -1\n",
	"indentless.yaml":   "ref: N-9\nbody: NMC\nsanctions:\n- reason: x\nsupervisedHours:\n- quarter: Q1\n  hours: -1\n",
	"quoted.yaml":       "'ref': \"N-9\"\nbody: 'NMC'\nsupervisedHours:\n  -   quarter: 'Q1'\n      hours: -1\n",
	"trailing.yaml":     "ref: N-9   \nbody: NMC  \nsupervisedHours:  \n  - quarter: Q1  \n    hours: -1   \n",
	"keysplit.json":     "{\"ref\": \"N-9\",\t\"body\"\n\t: \"NMC\", \"supervisedHours\": [{\"quarter\": \"\\ud83d\\ude00\\/\", \"hours\": -1}]}",
	"multilinestr.yaml": "ref: N-9\nbody: NMC\nsupervisedHours:\n  - quarter: \"Q\n      1\"\n    hours: -1\n",
}

func positionOf(t *testing.T, err error) (line, col int) {
	t.Helper()
	var ie *InputError
	require.True(t, errors.As(err, &ie), "%v", err)
	for _, fe := range ie.Errors {
		if fe.Path == "supervisedHours[0].hours" {
			return fe.Line, fe.Column
		}
	}
	t.Fatalf("no error at supervisedHours[0].hours: %v", err)
	return
}

// TestValidationPositions: a validation error's line and column are those of
// the value, however the document was written and decoded, for a Document
// (positions in its trailer) and a caller's type (side table), one and in
// batches.
func TestValidationPositions(t *testing.T) {
	asOf := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	de, set := declaredEngine(t)
	ge, err := NewFor[nurse](set)
	require.NoError(t, err)
	for name, doc := range positionDocs {
		wl, wc := wantPosition(doc)
		d, err := de.Decode(name, []byte(doc))
		require.NoError(t, err, name)
		l, c := positionOf(t, de.Validate(d, asOf))
		if l != wl || c != wc {
			t.Errorf("%s: Document: error at %d:%d, want %d:%d", name, l, c, wl, wc)
		}
		n, err := ge.Decode(name, []byte(doc))
		require.NoError(t, err, name)
		l, c = positionOf(t, ge.Validate(n, asOf))
		if l != wl || c != wc {
			t.Errorf("%s: nurse: error at %d:%d, want %d:%d", name, l, c, wl, wc)
		}
	}
	// Batches: a YAML list, a JSON list, a YAML stream; the bad entry second.
	ok := "ref: N-1\nbody: NMC\n"
	for name, doc := range map[string]string{
		"list.yaml":     "- ref: N-1\n  body: NMC\n- ref: N-9\n  body: NMC\n  supervisedHours:\n  - quarter: Qé\n    hours: -1\n",
		"stream.yaml":   ok + "---\nref: N-9\nbody: NMC\nsupervisedHours:\n- {quarter: Qé, hours: -1}\n",
		"list.json":     `[{"ref": "N-1", "body": "NMC"}, {"ref": "N-9", "body": "NMC", "supervisedHours": [{"quarter": "Qé", "hours": -1}]}]`,
		"flowlist.yaml": `[{"ref": "N-1", "body": "NMC"}, {"ref": "N-9", "body": "NMC", "supervisedHours": [{"quarter": "Qé", "hours": -1}]}]`,
	} {
		wl, wc := wantPosition(doc)
		ds, err := de.DecodeAll(name, []byte(doc))
		require.NoError(t, err, name)
		l, c := positionOf(t, de.Validate(ds[1], asOf))
		if l != wl || c != wc {
			t.Errorf("%s: Document: error at %d:%d, want %d:%d", name, l, c, wl, wc)
		}
		ns, err := ge.DecodeAll(name, []byte(doc))
		require.NoError(t, err, name)
		l, c = positionOf(t, ge.Validate(ns[1], asOf))
		if l != wl || c != wc {
			t.Errorf("%s: nurse: error at %d:%d, want %d:%d", name, l, c, wl, wc)
		}
	}

}
