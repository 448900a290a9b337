package eligibility

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/view"
	"github.com/eligo-dev/eligo/rules"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A coaching association's model, not ACTO's: lists of verified entries
// (sessions, a mentoring log), a flagged section (cover), a list that is
// not a claim and can only refuse (sanctions, opted out with
// eligo:"unverifiable"), validate tags and a Validate method.
type ownMember struct {
	Ref       string        `json:"ref" expr:"ref" eligo:"id" validate:"required"`
	Sessions  []ownSession  `json:"sessions" expr:"sessions" validate:"max=1000,dive"`
	Mentoring []ownMentor   `json:"mentoring" expr:"mentoring" validate:"max=1000,dive"`
	Cover     *ownCover     `json:"cover,omitempty" expr:"cover"`
	Sanctions []ownSanction `json:"sanctions" expr:"sanctions" eligo:"unverifiable" validate:"max=100,dive"`
	Checked   *time.Time    `json:"checked,omitempty" expr:"checked" validate:"omitempty,date,not_after_as_of"`
	Joined    *time.Time    `json:"joined,omitempty" expr:"joined" validate:"omitempty,date"`
}

type ownSession struct {
	Client   string  `json:"client" expr:"client" eligo:"label"`
	Hours    float64 `json:"hours" expr:"hours" validate:"finite,gte=0"`
	Verified bool    `json:"verified" expr:"verified"`
}

type ownMentor struct {
	Mentee   string `json:"mentee" expr:"mentee" eligo:"label"`
	Months   int    `json:"months" expr:"months" validate:"gte=0"`
	Verified bool   `json:"verified" expr:"verified"`
}

type ownCover struct {
	Expires  *time.Time `json:"expires" expr:"expires" validate:"omitempty,date"`
	Verified bool       `json:"verified" expr:"verified"`
}

type ownSanction struct {
	Active bool   `json:"active" expr:"active"`
	Reason string `json:"reason" expr:"reason" validate:"required"`
}

// Validate is the model's own check: no background check before joining.
func (m *ownMember) Validate(asOf time.Time) error {
	if m.Checked != nil && m.Joined != nil && m.Checked.Before(*m.Joined) {
		return &FieldError{Path: "checked", Msg: "before joined"}
	}
	return nil
}

const ownRules = `ruleset: coaching
version: "2"
parameters:
  coach_hours: {value: 20, source: "Handbook 3.1"}
  master_hours: {value: 100, source: "Handbook 3.2"}
  fee: {value: 60, source: "Fees"}
  mentor_fee: {value: 15, source: "Fees"}
requirements:
  no-sanction:
    title: No active sanction
    source: "Handbook 1.1"
    when: none(sanctions, .active)
  insured:
    title: Cover in force
    source: "Handbook 2.4"
    when: current(cover.expires)
  checked:
    title: Background check within 36 months
    source: "Handbook 2.5"
    when: checked != nil && int(asOf - checked) / 86400e9 <= 1095
    unknown: checked == nil
  coaching-hours:
    title: Coaching hours
    source: "Handbook 3.1"
    when: sum(sessions, .hours) >= param.coach_hours
  master-hours:
    title: Master coaching hours
    source: "Handbook 3.2"
    when: sum(sessions, .hours) >= param.master_hours
  mentoring:
    title: A year of mentoring
    source: "Handbook 3.3"
    when: any(mentoring, .months >= 12)
gates: [no-sanction]
benefits:
  directory: Directory listing
  mentor-badge: {title: Mentor badge, requires: [mentoring], fee: mentor_fee}
levels:
  - {id: coach, title: Coach, requires: [insured, checked, coaching-hours], fee: fee, benefits: [directory]}
  - id: master
    title: Master Coach
    requires: [insured, checked]
    routes:
      hours: [master-hours]
      mentor: [coaching-hours, mentoring]
      panel: {requires: [], review: true}
    benefits: [directory, mentor-badge]
    fee: fee
`

var ownAsOf = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func ownDate(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

func ownEngine(t testing.TB) *EngineOf[ownMember] {
	t.Helper()
	set, err := rules.Parse("coaching.yaml", []byte(ownRules))
	require.NoError(t, err)
	e, err := NewFor[ownMember](set)
	require.NoError(t, err)
	return e
}

// ownFull is a master coach by the mentor route, all verified.
func ownFull(ref string) *ownMember {
	return &ownMember{
		Ref:       ref,
		Sessions:  []ownSession{{Client: "Acme", Hours: 30, Verified: true}},
		Mentoring: []ownMentor{{Mentee: "Dee", Months: 14, Verified: true}},
		Cover:     &ownCover{Expires: ownDate(2027, 1, 1), Verified: true},
		Sanctions: []ownSanction{},
		Checked:   ownDate(2025, 2, 1),
		Joined:    ownDate(2020, 1, 1),
	}
}

func TestOwnTypeEndToEnd(t *testing.T) {
	e := ownEngine(t)
	ctx := context.Background()

	t.Run("granted by a route, with benefits and fees", func(t *testing.T) {
		d, err := e.Evaluate(ctx, ownFull("m1"), AsOf(ownAsOf))
		require.NoError(t, err)
		assert.Equal(t, "m1", d.Applicant, "the id is the eligo:\"id\" field")
		assert.Equal(t, "master", d.Level)
		assert.Equal(t, "mentor", d.Levels()[1].Route)
		assert.Equal(t, []RequirementStatus{{ID: "no-sanction", Status: Met}}, d.Gates())
		assert.Equal(t, []string{"directory", "mentor-badge"}, ids(d.Benefits, func(b BenefitResult) string { return b.ID }))
		assert.Equal(t, 75.0, d.FeeTotal)
		assert.Nil(t, d.Next)
		assert.Contains(t, d.Text(), "master")
		j, err := json.Marshal(d)
		require.NoError(t, err)
		assert.Contains(t, string(j), `"applicant":"m1"`)
	})
	t.Run("unverified entries: provisional, verify to settle", func(t *testing.T) {
		m := ownFull("m2")
		m.Mentoring[0].Verified = false
		m.Sessions = append(m.Sessions, ownSession{Client: "Brio", Hours: 80})
		d, err := e.Evaluate(ctx, m, AsOf(ownAsOf))
		require.NoError(t, err)
		assert.Equal(t, "coach", d.Level)
		master := d.Levels()[1]
		assert.Equal(t, Provisional, master.Outcome)
		assert.Equal(t, Unverified, status(d, "mentoring"))
		assert.Equal(t, Unverified, status(d, "master-hours"))
		var verify []string
		for _, a := range master.Settle {
			if a.Kind == Verify {
				verify = append(verify, a.Item+" "+a.Label)
			}
		}
		assert.Equal(t, []string{"sessions[1] Brio"}, verify, "the hours route, first of the best, settles by verifying the session")
		assert.Equal(t, "hours", master.Route)
		require.Len(t, master.Routes, 3)
		assert.Equal(t, Provisional, master.Routes[1].Outcome, "the mentor route")
		assert.Equal(t, Referred, master.Routes[2].Outcome, "the panel route")
		assert.Equal(t, "master", d.Next.Level)
		assert.Equal(t, []string{"directory"}, ids(d.Benefits, func(b BenefitResult) string { return b.ID }),
			"the mentor badge needs mentoring met on verified evidence")
	})
	t.Run("an unverified section is left out of the verified view", func(t *testing.T) {
		m := ownFull("m3")
		m.Cover.Verified = false
		d, err := e.Evaluate(ctx, m, AsOf(ownAsOf))
		require.NoError(t, err)
		assert.Equal(t, Unverified, status(d, "insured"))
		assert.Equal(t, "", d.Level)
		assert.Contains(t, d.Levels()[0].Settle, Action{Kind: Verify, Requirement: "insured", Item: "cover"})
	})
	t.Run("unknown data: undetermined, supply to settle", func(t *testing.T) {
		m := ownFull("m4")
		m.Checked = nil
		d, err := e.Evaluate(ctx, m, AsOf(ownAsOf))
		require.NoError(t, err)
		assert.Equal(t, Unknown, status(d, "checked"))
		assert.Equal(t, Undetermined, d.Levels()[0].Outcome)
		assert.Equal(t, Supply, d.Levels()[0].Settle[0].Kind)
	})
	t.Run("the gate refuses every level", func(t *testing.T) {
		m := ownFull("m5")
		m.Sanctions = []ownSanction{{Active: true, Reason: "complaint upheld"}}
		d, err := e.Evaluate(ctx, m, AsOf(ownAsOf))
		require.NoError(t, err)
		assert.Equal(t, Unmet, d.Gates()[0].Status)
		for _, l := range d.Levels() {
			assert.Equal(t, Refused, l.Outcome, l.ID)
		}
		assert.Empty(t, d.Fees)
	})
	t.Run("validation: tags and the Validate method, typed", func(t *testing.T) {
		m := ownFull("m6")
		m.Sessions[0].Hours = -1
		m.Checked = ownDate(2019, 1, 1)
		_, err := e.Evaluate(ctx, m, AsOf(ownAsOf))
		var in *InputError
		require.ErrorAs(t, err, &in)
		assert.Equal(t, "m6", in.Source)
		var paths []string
		for _, fe := range in.Errors {
			assert.ErrorIs(t, fe, ErrInvalid)
			paths = append(paths, fe.Path)
		}
		assert.ElementsMatch(t, []string{"sessions[0].hours", "checked"}, paths)
		assert.Equal(t, err.Error(), e.Validate(m, ownAsOf).Error(), "Validate gives Evaluate's error")
		assert.NoError(t, e.Validate(ownFull("ok"), ownAsOf))
		only := ownFull("m7")
		only.Checked = ownDate(2019, 1, 1)
		err = e.Validate(only, ownAsOf)
		require.ErrorAs(t, err, &in)
		assert.Equal(t, "m7: checked: before joined", err.Error(), "the method runs when the tags hold")
		_, err = e.Evaluate(ctx, nil, AsOf(ownAsOf))
		assert.ErrorIs(t, err, ErrInvalid)
	})
	t.Run("batch with keys", func(t *testing.T) {
		bad := ownFull("bad")
		bad.Ref = ""
		docs := map[string]*ownMember{"a.yaml": ownFull("a"), "b.yaml": bad, "c.yaml": ownFull("c")}
		keys := slices.Sorted(maps.Keys(docs))
		seq := func(yield func(string, *ownMember) bool) {
			for _, k := range keys {
				if !yield(k, docs[k]) {
					return
				}
			}
		}
		var got []string
		for k, r := range KeyedDecisions(ctx, e, seq, AsOf(ownAsOf), Workers(2)) {
			if r.Err != nil {
				got = append(got, k+" error")
				continue
			}
			got = append(got, k+" "+r.Decision.Level)
		}
		assert.Equal(t, []string{"a.yaml master", "b.yaml error", "c.yaml master"}, got)
		all := e.EvaluateAll(ctx, []*ownMember{ownFull("x"), nil}, AsOf(ownAsOf))
		assert.Equal(t, "master", all[0].Decision.Level)
		assert.ErrorIs(t, all[1].Err, ErrInvalid)
		n := 0
		for i, r := range e.Decisions(ctx, slices.Values([]*ownMember{ownFull("y"), ownFull("z")}), AsOf(ownAsOf)) {
			assert.Equal(t, n, i)
			assert.NoError(t, r.Err)
			n++
		}
		assert.Equal(t, 2, n)
	})
}

func status(d *Decision, id string) Status {
	r, _ := d.Requirement(id)
	return r.Status
}

func ids[E any](es []E, id func(E) string) []string {
	var out []string
	for _, e := range es {
		out = append(out, id(e))
	}
	return out
}

// The engine is built for a type or refuses it, never failing at evaluation.
func TestNewForRejectsUnusableTypes(t *testing.T) {
	set, err := rules.Parse("min.yaml", []byte(`ruleset: min
version: "1"
requirements:
  some:
    title: Some
    source: test
    when: "true"
levels:
  - {id: one, title: One, requires: [some]}
`))
	require.NoError(t, err)
	type entry struct {
		Verified bool
	}
	type notStruct int
	type pointerEntries struct {
		Items []*entry `expr:"items"`
	}
	type stringFlag struct {
		Items []struct {
			Verified string `expr:"verified"`
		} `expr:"items"`
	}
	type renamedFlag struct {
		Cover *struct {
			Checked bool `expr:"verified"`
		} `expr:"cover"`
	}
	type intLabel struct {
		Items []struct {
			N        int `eligo:"label"`
			Verified bool
		} `expr:"items"`
	}
	type unknownTag struct {
		Items []struct {
			Hours float64 `validate:"hourly"`
		} `expr:"items" validate:"dive"`
	}
	type intID struct {
		ID int `expr:"id"`
	}
	type requiredText struct {
		Name string `json:"name" eligo:"required"`
	}
	cases := []struct {
		name  string
		build func() error
		want  string
	}{
		{"not a struct", func() error { _, err := NewFor[notStruct](set); return err }, "want a struct type"},
		{"a pointer type", func() error { _, err := NewFor[*Applicant](set); return err }, "want a struct type"},
		{"a list of pointers to claims", func() error { _, err := NewFor[pointerEntries](set); return err }, "verified view does not model"},
		{"a flag that is not a bool", func() error { _, err := NewFor[stringFlag](set); return err }, "must be a bool"},
		{"a flag under another name", func() error { _, err := NewFor[renamedFlag](set); return err }, "named Verified"},
		{"a label that is not a string", func() error { _, err := NewFor[intLabel](set); return err }, "must be a string"},
		{"an unknown validate tag", func() error { _, err := NewFor[unknownTag](set); return err }, "hourly"},
		{"an id that is not a string", func() error { _, err := NewFor[intID](set); return err }, "id must be a string"},
		{"eligo:required on a text", func() error { _, err := NewFor[requiredText](set); return err }, `requiredText.Name: eligo:"required" marks a boolean or number`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.build()
			require.ErrorIs(t, err, ErrModel)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	t.Run("claims the view refuses wrap its error too", func(t *testing.T) {
		_, err := NewFor[pointerEntries](set)
		assert.ErrorIs(t, err, view.ErrUnsupported)
	})
	t.Run("a field rules cannot read is a rule error", func(t *testing.T) {
		type withChan struct {
			Feed chan int `expr:"feed"`
		}
		set, err := rules.Parse("chan.yaml", []byte(`ruleset: chan
version: "1"
requirements:
  fed:
    title: Fed
    source: test
    when: feed > 1
levels:
  - {id: one, title: One, requires: [fed]}
`))
		require.NoError(t, err)
		_, err = NewFor[withChan](set)
		var list *rules.ErrorList
		require.ErrorAs(t, err, &list)
		assert.True(t, strings.Contains(err.Error(), "feed"), err.Error())
	})
	t.Run("a type with no claims and no id is fine", func(t *testing.T) {
		type plain struct {
			Age int `expr:"age"`
		}
		e, err := NewFor[plain](set)
		require.NoError(t, err)
		d, err := e.Evaluate(context.Background(), &plain{Age: 3}, AsOf(ownAsOf))
		require.NoError(t, err)
		assert.Equal(t, "one", d.Level)
		assert.Equal(t, "", d.Applicant)
	})
}

// A model of the caller's with not_before, on a top-level date and on
// the dates of list entries.
type ownTerm struct {
	Ref   string     `json:"ref" eligo:"id"`
	Start time.Time  `json:"start" validate:"date"`
	End   *time.Time `json:"end,omitempty" validate:"omitempty,date,not_before=Start"`
	Spans []ownSpan  `json:"spans" validate:"dive"`
}

type ownSpan struct {
	Begun *time.Time `json:"begun,omitempty" validate:"omitempty,date"`
	Ended *time.Time `json:"ended,omitempty" validate:"omitempty,date,not_before=Begun"`
}

func TestNotBeforeOnOwnType(t *testing.T) {
	set, err := rules.Parse("min.yaml", []byte(`ruleset: min
version: "1"
requirements:
  some: {title: Some, source: test, when: "true"}
levels:
  - {id: one, title: One, requires: [some]}
`))
	require.NoError(t, err)
	e, err := NewFor[ownTerm](set)
	require.NoError(t, err)
	require.NotNil(t, e.quick, "the quick validator models not_before")
	t.Run("valid", func(t *testing.T) {
		for name, m := range map[string]*ownTerm{
			"in order":        {Ref: "a", Start: *ownDate(2020, 1, 1), End: ownDate(2021, 1, 1), Spans: []ownSpan{{Begun: ownDate(2020, 1, 1), Ended: ownDate(2020, 2, 1)}}},
			"the same day":    {Ref: "a", Start: *ownDate(2020, 1, 1), End: ownDate(2020, 1, 1), Spans: []ownSpan{{Begun: ownDate(2020, 1, 1), Ended: ownDate(2020, 1, 1)}}},
			"end absent":      {Ref: "a", Start: *ownDate(2020, 1, 1), Spans: []ownSpan{{Begun: ownDate(2020, 1, 1)}}},
			"begun absent":    {Ref: "a", Start: *ownDate(2020, 1, 1), Spans: []ownSpan{{Ended: ownDate(2019, 1, 1)}}},
			"both absent":     {Ref: "a", Start: *ownDate(2020, 1, 1), Spans: []ownSpan{{}}},
			"no spans at all": {Ref: "a", Start: *ownDate(2020, 1, 1)},
		} {
			assert.NoError(t, e.Validate(m, ownAsOf), name)
			assert.True(t, e.quick.validAt(unsafe.Pointer(m), ownAsOf), name)
		}
	})
	t.Run("invalid, named by document keys", func(t *testing.T) {
		m, err := DecodeFor[ownTerm]("term.yaml", []byte("ref: a\nstart: 2021-01-01\nend: 2020-12-31\nspans:\n  - {begun: 2020-01-01, ended: 2020-02-01}\n  - {begun: 2020-03-02, ended: 2020-03-01}\n"))
		require.NoError(t, err)
		assert.False(t, e.quick.validAt(unsafe.Pointer(m), ownAsOf))
		err = e.Validate(m, ownAsOf)
		var ie *InputError
		require.ErrorAs(t, err, &ie)
		require.Len(t, ie.Errors, 2)
		assert.Equal(t, FieldError{Path: "end", Line: 3, Column: 6, Err: ErrInvalid, Msg: "2020-12-31 is before start 2021-01-01"}, *ie.Errors[0])
		assert.Equal(t, FieldError{Path: "spans[1].ended", Line: 6, Column: 32, Err: ErrInvalid, Msg: "2020-03-01 is before begun 2020-03-02"}, *ie.Errors[1])
	})
	t.Run("NewFor rejects a not_before it cannot judge", func(t *testing.T) {
		type noSuchField struct {
			End *time.Time `validate:"omitempty,not_before=Start"`
		}
		type notADate struct {
			Start string
			End   *time.Time `validate:"omitempty,not_before=Start"`
		}
		type onNotADate struct {
			Start *time.Time
			End   string `validate:"not_before=Start"`
		}
		type unexported struct {
			start *time.Time
			End   *time.Time `validate:"omitempty,not_before=start"`
		}
		type afterDive struct {
			Start *time.Time
			Ends  []time.Time `validate:"dive,not_before=Start"`
		}
		for name, build := range map[string]func() error{
			`"Start" is not a date field`:    func() error { _, err := NewFor[noSuchField](set); return err },
			`"Start" is not a date field of`: func() error { _, err := NewFor[notADate](set); return err },
			"on a string, not a date":        func() error { _, err := NewFor[onNotADate](set); return err },
			`"start" is not a date field`:    func() error { _, err := NewFor[unexported](set); return err },
			"not_before=Start after dive":    func() error { _, err := NewFor[afterDive](set); return err },
		} {
			err := build()
			require.ErrorIs(t, err, ErrModel, name)
			assert.Contains(t, err.Error(), name)
		}
	})
}
