package eligibility

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Documents that YAML reads in surprising ways, or that would make
// decoding do unbounded work.

// TestDecodeNumbersAreDecimal: numbers in applicant documents are decimal
// (DOMAIN.md §2). YAML would read 020 as octal 16 and 0x1F as 31; such a
// number is a type error at its path, line and column, saying what to
// write instead, never a silently different value.
func TestDecodeNumbersAreDecimal(t *testing.T) {
	for _, tc := range []struct {
		value, msg string
	}{
		{"020", "want a decimal number, got 020: a leading zero is not allowed (YAML reads it as octal); write 20"},
		{"02600", "want a decimal number, got 02600: a leading zero is not allowed (YAML reads it as octal); write 2600"},
		{"-012", "want a decimal number, got -012: a leading zero is not allowed (YAML reads it as octal); write -12"},
		{"012.5", "want a decimal number, got 012.5: a leading zero is not allowed; write 12.5"},
		{"08", "want a decimal number, got 08: a leading zero is not allowed; write 8"},
		{"00", "want a decimal number, got 00: a leading zero is not allowed (YAML reads it as octal); write 0"},
		{"0o17", "want a decimal number, got 0o17: hexadecimal, octal and binary numbers are not allowed; write 15"},
		{"0x1F", "want a decimal number, got 0x1F: hexadecimal, octal and binary numbers are not allowed; write 31"},
		{"-0x1F", "want a decimal number, got -0x1F: hexadecimal, octal and binary numbers are not allowed; write -31"},
		{"0b11", "want a decimal number, got 0b11: hexadecimal, octal and binary numbers are not allowed; write 3"},
		{"1_000", "want a decimal number, got 1_000: digit separators (_) are not allowed; write 1000"},
	} {
		t.Run(tc.value, func(t *testing.T) {
			doc := "id: x\nportfolio:\n  caseStudyWords: " + tc.value + "\n"
			a, err := decodeApplicant("n.yaml", []byte(doc))
			assert.Nil(t, a)
			var in *InputError
			require.ErrorAs(t, err, &in)
			require.Len(t, in.Errors, 1, "%v", err)
			assert.Equal(t, FieldError{Path: "portfolio.caseStudyWords", Line: 3, Column: 19, Err: ErrType, Msg: tc.msg}, *in.Errors[0])

			// Hours (float64) alike, and in a batch of documents.
			doc = "id: y\ncpd: [{hours: " + tc.value + "}]\n"
			_, err = decodeApplicants("b.yaml", []byte("id: x\n---\n"+doc))
			require.ErrorAs(t, err, &in)
			require.Len(t, in.Errors, 1, "%v", err)
			assert.Equal(t, "cpd[0].hours", in.Errors[0].Path)
			assert.Equal(t, 4, in.Errors[0].Line)
			assert.ErrorIs(t, err, ErrType)
		})
	}
	// Decimal numbers in YAML's other spellings stay numbers.
	for value, want := range map[string]float64{"0": 0, "20": 20, "+12": 12, "2.5": 2.5, "0.5": 0.5, ".5": 0.5, "80.": 80, "1e3": 1000, "1.5E+2": 150, "-0": 0} {
		a, err := decodeApplicant("n.yaml", []byte("id: x\ncpd: [{hours: "+value+"}]\n"))
		if assert.NoError(t, err, value) {
			assert.Equal(t, want, a.CPD[0].Hours, value)
		}
	}
}

// TestDecodeApplicantsAliasAcrossDocuments: in a stream of "---" separated
// documents, each one applicant, an alias cannot reach an anchor another
// applicant's document defines (go.yaml.in/yaml/v3 keeps one anchor table
// for the whole stream and would resolve it): it is an error at the alias,
// as an undefined anchor is.
func TestDecodeApplicantsAliasAcrossDocuments(t *testing.T) {
	const stream = `id: a
qualifications: &q
  - {title: Diploma, level: diploma, field: counselling, delivery: blended, awarded: 2015-07-01, verified: true}
---
id: b
qualifications: *q
`
	as, err := decodeApplicants("stream.yaml", []byte(stream))
	assert.Nil(t, as, "b must not get a's verified qualification")
	var in *InputError
	require.ErrorAs(t, err, &in)
	require.Len(t, in.Errors, 1, "%v", err)
	assert.Equal(t, FieldError{Path: "qualifications", Line: 6, Column: 17, Err: ErrSyntax,
		Msg: `unknown anchor "q": an alias reaches only anchors of its own document (the anchor at 2:17 is in another)`}, *in.Errors[0])

	// Deeper in the document, in a list entry.
	_, err = decodeApplicants("stream.yaml", []byte("id: a\ncpd: [&c {hours: 1}]\n---\nid: b\ncpd: [*c]\n"))
	require.ErrorAs(t, err, &in)
	assert.True(t, inputErrorAt(in, "cpd[0]", ErrSyntax), "%v", err)

	// An anchor redefined in the alias's own document is that document's.
	as, err = decodeApplicants("stream.yaml", []byte("id: a\ncpd: [&c {hours: 1}]\n---\nid: b\ncpd: [&c {hours: 2}, *c]\n"))
	require.NoError(t, err)
	assert.Equal(t, []float64{2, 2}, []float64{as[1].CPD[0].Hours, as[1].CPD[1].Hours})

	// Within one document, aliases work as YAML has them.
	as, err = decodeApplicants("stream.yaml", []byte("id: a\ncpd: [&c {hours: 1}, *c]\n---\nid: b\n"))
	require.NoError(t, err)
	assert.Len(t, as[0].CPD, 2)
}

// TestDecodeBillionLaughs: YAML's "billion laughs", anchors of lists of
// aliases. go.yaml.in/yaml/v3 parses an alias as a reference to its
// anchor's node (the node tree stays the size of the text, whatever the
// expansion), so the classic document, under keys the model lacks, costs
// only its parse. Through the model's own lists (a batch of applicants,
// their courses, the courses' formats) a few kilobytes could stand for
// 10^9 values; DecodeApplicant follows aliases, and its work budget (twice
// the document's bytes plus 10,000 values) stops it with an error after
// little work and memory.
func TestDecodeBillionLaughs(t *testing.T) {
	var classic strings.Builder
	classic.WriteString("- id: x\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&classic, "  l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 10), ", "))
	}
	// 1,000 applicants, each 1,000 courses, each 1,000 formats.
	model := "- &a {id: x, onlineTraining: [" +
		"&c {formats: [" + strings.TrimSuffix(strings.Repeat("video, ", 1000), ", ") + "]}" +
		strings.Repeat(", *c", 999) + "]}\n" +
		strings.Repeat("- *a\n", 999)
	for _, tc := range []struct{ why, doc, msg string }{
		{"the classic, under unknown keys", classic.String(), `unknown field "l0"`},
		{"through the model's lists", model, "document too large after expanding YAML aliases"},
	} {
		t.Run(tc.why, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := decodeApplicants("laughs.yaml", []byte(tc.doc))
			runtime.ReadMemStats(&after)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.msg)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d-byte document: %d bytes allocated; %v", len(tc.doc), alloc, firstLine(err))
			assert.Less(t, alloc, uint64(32<<20), "decoding a small document must not allocate without bound")
		})
	}
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
