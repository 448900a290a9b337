package eligibility

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/eligo-dev/eligo/eligibility/internal/printable"
)

// TestIDNotPrintable: an applicant whose id holds a line break, a
// terminal escape, a format character (a right-to-left override) or
// invalid UTF-8 is invalid input, refused at the id's path with the id
// quoted, and the error's text holds no such character raw; printable ids,
// spaces and letters of any script included, are decided.
func TestIDNotPrintable(t *testing.T) {
	e := actoEngine(t)
	ctx := context.Background()
	for _, id := range []string{"a\nb", "x\x1b[2Jy", "evil\u202etxt", "bad\xffutf8", "tab\there", "nul\x00"} {
		a, asOf := oracleApplicant(oracleSeed, 3)
		a.ID = id
		_, err := e.Evaluate(ctx, a, AsOf(asOf))
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Fatalf("id %q: error %v, want an *InputError", id, err)
		}
		found := false
		for _, fe := range ie.Errors {
			if fe.Path == "id" && errors.Is(fe, ErrInvalid) && strings.Contains(fe.Msg, "printable") {
				found = true
			}
		}
		if !found {
			t.Errorf("id %q: no problem at the id: %v", id, err)
		}
		if msg := err.Error(); !printable.Is(strings.ReplaceAll(msg, "\n", " ")) {
			t.Errorf("id %q: the error's text holds it raw: %q", id, msg)
		}
		if err := e.Validate(a, asOf); err == nil {
			t.Errorf("id %q: Validate passes it", id)
		}
	}
	for _, id := range []string{"A-1", "Zoë Ó Briain 7", "申请人-42", "ali 🙂"} {
		a, asOf := oracleApplicant(oracleSeed, 3)
		a.ID = id
		d, err := e.Evaluate(ctx, a, AsOf(asOf))
		if err != nil {
			t.Fatalf("id %q: %v", id, err)
		}
		if !strings.HasPrefix(d.Text(), "Applicant "+id+": ") {
			t.Errorf("id %q: Text begins %q", id, d.Text()[:40])
		}
	}
}

// TestTextLabelsNotRaw: a label from the applicant's data (a
// qualification's title) holding a line break or a terminal escape
// appears in Text and in Explain's lines quoted, never raw; the
// decision's JSON keeps the label itself, as data.
func TestTextLabelsNotRaw(t *testing.T) {
	e := actoEngine(t)
	ctx := context.Background()
	evil := "Diploma\n  ✓ met        forged line\x1b[2J"
	shown := 0
	for i := range 200 {
		a, asOf := oracleApplicant(oracleSeed, i)
		for j := range a.Qualifications {
			a.Qualifications[j].Title = evil
		}
		d, err := e.Evaluate(ctx, a, AsOf(asOf))
		if err != nil {
			continue
		}
		text := d.Text()
		if strings.Contains(text, evil) || strings.Contains(text, "\x1b") {
			t.Fatalf("applicant %d: the label is raw in Text:\n%s", i, text)
		}
		if strings.Contains(text, strconv.Quote(evil)) {
			shown++
		}
		for _, r := range d.Requirements() {
			for _, line := range r.Explain() {
				if strings.ContainsAny(line, "\n\x1b") {
					t.Fatalf("applicant %d: %s explains %q", i, r.ID, line)
				}
			}
		}
		js, err := d.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		label, _ := json.Marshal(evil)
		if strings.Contains(text, strconv.Quote(evil)) && !strings.Contains(string(js), `"label":`+string(label)) {
			t.Fatalf("applicant %d: the JSON's label is not the data", i)
		}
	}
	if shown == 0 {
		t.Fatal("no decision showed the label: the test tests nothing")
	}
}
