package eligibility

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var asOfTestDate = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func leftOutStrings(d *Decision) []string {
	var out []string
	for _, l := range d.LeftOut {
		out = append(out, l.String())
	}
	return out
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return string(data)
}

// A Go type of the caller's with event dates: a top-level event, a
// section with a start, a list of entries (not claims) with a start and an
// event, and a list of claims within a section.
type eventMember struct {
	ID        string        `json:"id" expr:"id" eligo:"id"`
	Chartered *time.Time    `json:"chartered,omitempty" expr:"chartered" eligo:"event"`
	Office    *eventOffice  `json:"office,omitempty" expr:"office"`
	Terms     []eventTerm   `json:"terms" expr:"terms"`
	Archive   *eventArchive `json:"archive,omitempty" expr:"archive"`
	Expires   *time.Time    `json:"expires,omitempty" expr:"expires"`
}

type eventOffice struct {
	Opened   *time.Time `json:"opened" expr:"opened" eligo:"start"`
	Verified bool       `json:"verified" expr:"verified"`
}

type eventTerm struct {
	Role     string     `json:"role" expr:"role"`
	From     *time.Time `json:"from" expr:"from" eligo:"start"`
	Until    *time.Time `json:"until" expr:"until" eligo:"event"`
	Verified bool       `json:"verified" expr:"verified"`
}

type eventArchive struct {
	Papers []eventPaper `json:"papers" expr:"papers"`
}

type eventPaper struct {
	Title    string     `json:"title" expr:"title" eligo:"label"`
	Filed    *time.Time `json:"filed" expr:"filed" eligo:"start"`
	Verified bool       `json:"verified" expr:"verified"`
}

const eventRules = `ruleset: events
version: "1"
requirements:
  chartered:
    title: chartered
    source: test
    when: chartered != nil
  office:
    title: an office
    source: test
    when: office != nil
  chair:
    title: a term as chair, ended
    source: test
    when: any(terms, .role == "chair" && .until != nil)
  papers:
    title: two papers filed
    source: test
    when: len(archive.papers) >= 2
levels:
  - {id: member, title: Member, requires: [chartered, office, chair, papers]}
`

// TestLaterEvidenceOwnType: the caller's own type marks its event dates
// with eligo tags, and decides alike.
func TestLaterEvidenceOwnType(t *testing.T) {
	set, err := rules.Parse("events.yaml", []byte(eventRules))
	require.NoError(t, err)
	e, err := NewFor[eventMember](set)
	require.NoError(t, err)
	on := func(s string) *time.Time { return day(t, s) }
	m := &eventMember{
		ID:        "m-1",
		Chartered: on("2020-01-01"),
		Office:    &eventOffice{Opened: on("2021-01-01"), Verified: true},
		Terms:     []eventTerm{{Role: "chair", From: on("2022-01-01"), Until: on("2023-01-01"), Verified: true}},
		Archive:   &eventArchive{Papers: []eventPaper{{Title: "A", Filed: on("2024-01-01"), Verified: true}, {Title: "B", Filed: on("2024-02-01"), Verified: true}}},
		Expires:   on("2099-01-01"),
	}
	d, err := e.Evaluate(context.Background(), m, AsOf(asOfTestDate))
	require.NoError(t, err)
	assert.Equal(t, "member", d.Level)
	assert.Empty(t, d.LeftOut, "an expiry ahead is no event")

	m.Chartered = on("2027-01-01")
	m.Office.Opened = on("2027-01-02")
	m.Terms = append([]eventTerm{{Role: "chair", From: on("2027-01-03"), Verified: true}}, eventTerm{Role: "chair", From: on("2022-01-01"), Until: on("2027-01-04"), Verified: true})
	m.Archive.Papers[0].Filed = on("2027-01-05")
	m.Archive.Papers = append(m.Archive.Papers, eventPaper{Title: "C", Filed: on("2024-03-01")})
	before := mustJSON(t, m)
	d, err = e.Evaluate(context.Background(), m, AsOf(asOfTestDate))
	require.NoError(t, err)
	assert.Equal(t, before, mustJSON(t, m), "the caller's value is unchanged")
	assert.Equal(t, []string{
		"chartered dated 2027-01-01, after the evaluation date",
		"office dated 2027-01-02, after the evaluation date",
		"terms[0] dated 2027-01-03, after the evaluation date",
		"terms[1].until dated 2027-01-04, after the evaluation date",
		"archive.papers[0] dated 2027-01-05, after the evaluation date",
	}, leftOutStrings(d))
	assert.Contains(t, mustJSON(t, d), `"leftOut":[{"path":"","field":"chartered","date":"2027-01-01","why":"dated-later"},`+
		`{"path":"office","field":"opened","date":"2027-01-02","why":"starts-later"},`)
	assert.Contains(t, d.Text(), "\nLeft out: terms[0] dated 2027-01-03, after the evaluation date\n")
	status := map[string]Status{}
	for _, r := range d.Requirements() {
		status[r.ID] = r.Status
	}
	// A date or section left out is absent, so unknown to rules.
	assert.Equal(t, map[string]Status{"chartered": Unknown, "office": Unknown, "chair": Unmet, "papers": Unverified}, status)
	r, _ := d.Requirement("papers")
	require.Len(t, r.Unverified, 1)
	assert.Equal(t, Action{Kind: Verify, Requirement: "papers", Item: "archive.papers[2]", Label: "C"}, r.Unverified[0])
	assert.Equal(t, "", d.Level)
}

// TestEventTagMisuse: NewFor rejects an event tag it would not apply.
func TestEventTagMisuse(t *testing.T) {
	set, err := rules.Parse("events.yaml", []byte(`ruleset: x
version: "1"
requirements:
  r: {title: r, source: test, when: "true"}
levels:
  - {id: l, title: L, requires: [r]}
`))
	require.NoError(t, err)
	type notPointer struct {
		When time.Time `eligo:"event"`
	}
	type topStart struct {
		Began *time.Time `eligo:"start"`
	}
	type textEvent struct {
		S []struct {
			Note string `eligo:"event"`
		}
	}
	type tooDeep struct {
		S *struct {
			Inner *struct {
				At *time.Time `eligo:"event"`
			}
		}
	}
	type deepList struct {
		L []struct {
			Inner []struct {
				At *time.Time `eligo:"start"`
			}
		}
	}
	for name, f := range map[string]func() error{
		"a time.Time":            func() error { _, err := NewFor[notPointer](set); return err },
		"a top-level start":      func() error { _, err := NewFor[topStart](set); return err },
		"a text":                 func() error { _, err := NewFor[textEvent](set); return err },
		"a section in a section": func() error { _, err := NewFor[tooDeep](set); return err },
		"a list in a list":       func() error { _, err := NewFor[deepList](set); return err },
	} {
		err := f()
		assert.True(t, errors.Is(err, ErrModel), "%s: %v", name, err)
	}
	_, err = NewFor[topStart](set)
	assert.True(t, strings.Contains(err.Error(), "Began"), "%v", err)
	_, err = NewFor[eventMember](set)
	assert.NoError(t, err)
}
