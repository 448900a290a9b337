package eligibility

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/eligo-dev/eligo/rules"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Types for the claims check: a supervision section and its sessions,
// neither flagged; a practice section that is a claim, holding unflagged
// structs; sanctions opted out.
type ucSession struct {
	Hours float64 `json:"hours" expr:"hours"`
}

type ucSupervision struct {
	Supervisor string      `json:"supervisor" expr:"supervisor"`
	Sessions   []ucSession `json:"sessions" expr:"sessions"`
}

type ucAddress struct {
	Country string `json:"country" expr:"country"`
}

type ucLog struct {
	Hours   float64    `json:"hours" expr:"hours"`
	Address *ucAddress `json:"address" expr:"address"`
}

type ucPractice struct {
	Log      []ucLog    `json:"log" expr:"log"`
	Address  *ucAddress `json:"address" expr:"address"`
	Verified bool       `json:"verified" expr:"verified"`
}

type ucSanction struct {
	Active bool `json:"active" expr:"active"`
}

type ucApplicant struct {
	ID          string         `json:"id" expr:"id"`
	Kind        string         `json:"kind" expr:"kind"`
	Practising  *bool          `json:"practising" expr:"practising"`
	Joined      *time.Time     `json:"joined" expr:"joined"`
	Hours       float64        `json:"hours" expr:"hours"`
	Tags        []string       `json:"tags" expr:"tags"`
	Supervision *ucSupervision `json:"supervisionRecord" expr:"supervision"`
	Practice    *ucPractice    `json:"practice" expr:"practice"`
	Sanctions   []ucSanction   `json:"sanctions" expr:"sanctions" eligo:"unverifiable"`
}

// ucSet is a rule set whose level member requires granting, and which
// also defines unused, a requirement nothing requires, both with when.
func ucSet(t *testing.T, granting, unused string) *rules.Set {
	t.Helper()
	set, err := rules.Parse("uc.yaml", []byte(`ruleset: uc
version: "1"
requirements:
  granting:
    title: Granting
    source: test
    when: `+granting+`
  unused:
    title: Unused
    source: test
    when: `+unused+`
levels:
  - {id: member, title: Member, requires: [granting]}
`))
	require.NoError(t, err)
	return set
}

// TestUnclaimedGoTypeRejected: a granting requirement that reads data
// through an unflagged section or list and no claim is refused when the
// engine is built, naming the requirement, the place in document keys and
// the two fixes.
func TestUnclaimedGoTypeRejected(t *testing.T) {
	for _, c := range []struct{ when, want string }{
		{"sum(supervision.sessions, .hours) >= 10",
			`eligibility: NewFor[eligibility.ucApplicant]: unusable applicant type: requirement granting reads supervisionRecord.sessions[], a list whose entries have no Verified flag, so an unverified claim there would grant; add a Verified bool field to its entries (or to a section or list around it) or, if it holds data that can only refuse, not claims, tag the field eligo:"unverifiable" (eligo:"trusted" if it holds records you vouch for, not claims)`},
		{`supervision?.supervisor == "x"`,
			`eligibility: NewFor[eligibility.ucApplicant]: unusable applicant type: requirement granting reads supervisionRecord, a section without a Verified flag, so an unverified claim there would grant; add a Verified bool field to it (or to a section or list around it) or, if it holds data that can only refuse, not claims, tag the field eligo:"unverifiable" (eligo:"trusted" if it holds records you vouch for, not claims)`},
		// Read whole, the section is checked field by field: its
		// supervisor is the first field no claim covers.
		{"supervision != nil",
			`eligibility: NewFor[eligibility.ucApplicant]: unusable applicant type: requirement granting reads supervisionRecord, a section without a Verified flag, so an unverified claim there would grant; add a Verified bool field to it (or to a section or list around it) or, if it holds data that can only refuse, not claims, tag the field eligo:"unverifiable" (eligo:"trusted" if it holds records you vouch for, not claims)`},
	} {
		_, err := NewFor[ucApplicant](ucSet(t, c.when, "true"))
		require.Error(t, err, c.when)
		assert.ErrorIs(t, err, ErrModel, c.when)
		assert.Equal(t, c.want, err.Error(), c.when)
	}
}

// TestUnclaimedThroughFactsRoutesAndGates: reads through a fact, by a
// route's requirement, by a gate, a course and a benefit are checked as
// well.
func TestUnclaimedThroughFactsRoutesAndGates(t *testing.T) {
	for name, src := range map[string]string{
		"fact": `facts:
  supervised: sum(supervision.sessions, .hours)
requirements:
  r: {title: R, source: test, when: supervised >= 10}
levels:
  - {id: member, title: Member, requires: [r]}
`,
		"route": `requirements:
  r: {title: R, source: test, when: 'sum(supervision.sessions, .hours) >= 10'}
  s: {title: S, source: test, when: kind == "a"}
levels:
  - id: member
    title: Member
    routes:
      plain: [s]
      supervised: [r]
`,
		"gate": `requirements:
  r: {title: R, source: test, when: 'sum(supervision.sessions, .hours) >= 10'}
  s: {title: S, source: test, when: kind == "a"}
gates: [r]
levels:
  - {id: member, title: Member, requires: [s]}
`,
		"course": `requirements:
  r: {title: R, source: test, when: 'sum(supervision.sessions, .hours) >= 10'}
  s: {title: S, source: test, when: kind == "a"}
levels:
  - {id: member, title: Member, requires: [s]}
courses:
  - {id: c, title: C, requires: [r]}
`,
		"benefit": `requirements:
  r: {title: R, source: test, when: 'sum(supervision.sessions, .hours) >= 10'}
  s: {title: S, source: test, when: kind == "a"}
benefits:
  b: {title: B, source: test, requires: [r]}
levels:
  - {id: member, title: Member, requires: [s], benefits: [b]}
`,
	} {
		set, err := rules.Parse("uc.yaml", []byte("ruleset: uc\nversion: \"1\"\n"+src))
		require.NoError(t, err, name)
		_, err = NewFor[ucApplicant](set)
		require.ErrorIs(t, err, ErrModel, name)
		assert.Contains(t, err.Error(), "requirement r reads supervisionRecord.sessions[]", name)
	}
}

// TestUnclaimedAccepted: what the check lets through.
func TestUnclaimedAccepted(t *testing.T) {
	for name, c := range map[string]struct{ granting, unused string }{
		// Top-level texts, numbers, booleans, *bool, dates and lists of
		// texts cannot carry a flag; they only ever stop a grant.
		"top-level scalars": {`kind == "a" && practising == true && joined != nil && hours > 1 && "x" in tags && id != ""`, "true"},
		// The opt-out: data that can only refuse.
		"opted out": {"none(sanctions, .active)", "true"},
		// A flagged section covers the unflagged structs and lists under
		// it, however deep.
		"flagged ancestor": {`any(practice.log, .hours > 1 && .address?.country == "GB") && practice?.address?.country == "GB"`, "true"},
		"flagged, whole":   {"practice != nil", "true"},
		// A requirement nothing requires grants nothing: not checked.
		"unused": {`kind == "a"`, "sum(supervision.sessions, .hours) >= 10"},
	} {
		_, err := NewFor[ucApplicant](ucSet(t, c.granting, c.unused))
		assert.NoError(t, err, name)
	}
}

// TestUnverifiableTagMisplaced: the opt-out marks a section or list of
// entries without a flag, nothing else.
func TestUnverifiableTagMisplaced(t *testing.T) {
	type flagged struct {
		Verified bool `expr:"verified"`
	}
	type onText struct {
		Kind string `expr:"kind" eligo:"unverifiable"`
	}
	type onClaims struct {
		Items []flagged `expr:"items" eligo:"unverifiable"`
	}
	set := ucSet(t, "true", "true")
	_, err := NewFor[onText](set)
	require.ErrorIs(t, err, ErrModel)
	assert.Contains(t, err.Error(), `onText.Kind: eligo:"unverifiable" marks a section or a list of entries, not string`)
	_, err = NewFor[onClaims](set)
	require.ErrorIs(t, err, ErrModel)
	assert.Contains(t, err.Error(), `onClaims.Items: eligo:"unverifiable" on claims`)

	type trustedText struct {
		Kind string `expr:"kind" eligo:"trusted"`
	}
	type trustedClaims struct {
		Items []flagged `expr:"items" eligo:"trusted"`
	}
	_, err = NewFor[trustedText](set)
	require.ErrorIs(t, err, ErrModel)
	assert.Contains(t, err.Error(), `trustedText.Kind: eligo:"trusted" marks a section or a list of entries, not string`)
	_, err = NewFor[trustedClaims](set)
	require.ErrorIs(t, err, ErrModel)
	assert.Contains(t, err.Error(), `trustedClaims.Items: eligo:"trusted" on claims`)
}

// TestTrustedTagGrants: records the caller vouches for, tagged
// eligo:"trusted", are read by granting requirements without a Verified
// flag, and grant as they stand.
func TestTrustedTagGrants(t *testing.T) {
	type session struct {
		Hours float64 `expr:"hours"`
	}
	type record struct {
		Sessions []session `expr:"sessions"`
	}
	type member struct {
		ID          string  `expr:"id"`
		Kind        string  `expr:"kind"`
		Supervision *record `expr:"supervision" eligo:"trusted"`
	}
	set := ucSet(t, "sum(supervision.sessions, .hours) >= 10", "true")
	_, err := NewFor[ucApplicant](set)
	require.ErrorIs(t, err, ErrModel, "without the tag, the same read is refused")
	e, err := NewFor[member](set)
	require.NoError(t, err)
	for hours, want := range map[float64]Outcome{12: Granted, 8: Refused} {
		d, err := e.Evaluate(context.Background(), &member{ID: "m", Supervision: &record{Sessions: []session{{Hours: hours}}}}, AsOf(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
		require.NoError(t, err)
		assert.Equal(t, want, d.Levels()[0].Outcome, "%v hours", hours)
	}
}

const ucModel = `ruleset: ucm
version: "1"
model:
  id: {type: text, id: true}
  kind: {type: text}
  supervision:
    type: section
    fields:
      sessions:
        type: list
        fields:
          hours: {type: number}
  sanctions:
    type: list
    VERIFIED
    fields:
      active: {type: boolean}
requirements:
  r: {title: R, source: test, when: 'sum(supervision?.sessions ?? [], .hours) >= 10'}
  s: {title: S, source: test, when: 'none(sanctions, .active) && kind == "a"'}
levels:
  - {id: member, title: Member, requires: [REQUIRES]}
`

func ucModelSet(t *testing.T, verified, requires string) *rules.Set {
	t.Helper()
	src := ucModel
	for old, new := range map[string]string{"VERIFIED": verified, "REQUIRES": requires} {
		src = replaceOnce(t, src, old, new)
	}
	set, err := rules.Parse("ucm.yaml", []byte(src))
	require.NoError(t, err)
	return set
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	require.Contains(t, s, old)
	return strings.Replace(s, old, new, 1)
}

// TestUnclaimedDeclaredModel: a declared model is refused at the key of
// the section or list no claim covers, as a positioned load error; an
// explicit verified: false opts out, and verified left out is refused.
func TestUnclaimedDeclaredModel(t *testing.T) {
	_, err := New(ucModelSet(t, "verified: false", "r"))
	require.ErrorIs(t, err, ErrModel)
	var list *rules.ErrorList
	require.ErrorAs(t, err, &list)
	require.Len(t, list.Errors, 1)
	e := list.Errors[0]
	assert.ErrorIs(t, e, rules.ErrValue)
	assert.Equal(t, rules.Position{File: "ucm.yaml", Line: 9, Column: 7}, e.Pos, "at the key sessions")
	assert.Equal(t, "model: requirement r reads supervision.sessions[], a list whose entries are not declared verified, so an unverified claim there would grant; add verified: true to it (or to a section or list around it) or, if it holds data that can only refuse, not claims, write verified: false", e.Msg)
	assert.Equal(t, "      sessions:", e.Line)

	_, err = New(ucModelSet(t, "verified: false", "s"))
	assert.NoError(t, err, "verified: false on sanctions opts out")

	_, err = New(ucModelSet(t, "description: sanctions", "s"))
	require.ErrorIs(t, err, ErrModel, "verified left out on sanctions")
	require.ErrorAs(t, err, &list)
	assert.Equal(t, rules.Position{File: "ucm.yaml", Line: 13, Column: 3}, list.Errors[0].Pos, "at the key sanctions")
	assert.Contains(t, list.Errors[0].Msg, "requirement s reads sanctions[]")
}

// TestUnclaimedFlaggedPasses: the declared model refused above is
// accepted once the section around the list is verified.
func TestUnclaimedFlaggedPasses(t *testing.T) {
	src := replaceOnce(t, ucModel, "    type: section\n", "    type: section\n    verified: true\n")
	src = replaceOnce(t, src, "VERIFIED", "verified: false")
	src = replaceOnce(t, src, "REQUIRES", "r, s")
	set, err := rules.Parse("ucm.yaml", []byte(src))
	require.NoError(t, err)
	_, err = New(set)
	assert.NoError(t, err)
}
