package eligibility

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
	"unsafe"
)

// CompactVersion is the version of the compact form [EngineOf.Compact]
// writes and [EngineOf.Expand] reads, its "v" key.
const CompactVersion = 1

// CompactDecision is a [Decision] in a compact form, for storing
// decisions at scale: what was decided (the level, every award's outcome,
// every requirement's status), how far each failed threshold was missed
// and what would settle each undecided requirement, with the digests of
// the rule set and of the applicant it was decided from. It leaves out
// everything the rule set regenerates (titles, citations, clause texts,
// observed values): [EngineOf.Expand] rebuilds the full Decision, equal
// to the original, from the compact form, the same rule set and the same
// applicant. An ACTO decision's compact JSON takes 0.4 to 1.7 KB, some
// 650 bytes typically: a thirtieth of the full decision's 18 to 34 KB.
//
// Statuses and outcomes are one letter each, in strings in rule-set
// order (so the rule set, which the digest names, is needed to read them
// by id):
//
//	requirement statuses: m met, x unmet, u unknown, v unverified, r review
//	award outcomes:       g granted, p provisional, r referred, u undetermined, x refused
//
// Keys whose value is the default (empty, zero) are left out of the JSON.
type CompactDecision struct {
	Version   int    `json:"v"`  // CompactVersion
	Applicant string `json:"id"` // the applicant's id
	RuleSet   string `json:"rs"` // the rule set's name
	Release   string `json:"rv"` // its version
	// Digest is the rule set's digest (rules.Set.Digest); Expand refuses
	// another rule set's engine.
	Digest string `json:"rd"`
	// Input is the applicant's digest ([EngineOf.InputDigest]); Expand
	// refuses an applicant with another.
	Input string `json:"in"`
	AsOf  string `json:"at"`           // the evaluation date, YYYY-MM-DD
	Level string `json:"lv,omitempty"` // the granted level's id, as Decision.Level

	// Requirements holds every requirement's status, one letter each, in
	// rule-set order (Decision.Requirements).
	Requirements string `json:"rq"`
	// Levels, Categories and Courses hold the awards' outcomes, one
	// letter each, in rule-set order.
	Levels     string `json:"ls,omitempty"`
	Categories string `json:"cs,omitempty"`
	Courses    string `json:"co,omitempty"`
	// Routes maps an award of several routes to the route its outcome
	// comes from, when that is not its first route.
	Routes map[string]string `json:"rt,omitempty"`
	// Shortfalls maps a requirement to the shortfalls its explanation
	// shows, in its order: each clause's (ClauseResult.Shortfall), then
	// those of the conditions its closest entry failed
	// (ConditionGap.Shortfall).
	Shortfalls map[string][]float64 `json:"sf,omitempty"`
	// Settle maps an unverified requirement to the claims to verify
	// (RequirementResult.Unverified, by item) and an unknown one to the
	// data to supply (RequirementResult.Missing): with the statuses,
	// what the awards' settle actions are made of. A requirement for
	// review needs a judgement, which its status says.
	Settle map[string][]string `json:"st,omitempty"`
	// LeftOut is the evidence dated after the evaluation date that the
	// decision left out (Decision.LeftOut).
	LeftOut []CompactLeftOut `json:"lo,omitempty"`
	// FeeTotal is Decision.FeeTotal.
	FeeTotal float64 `json:"fee,omitempty"`
	// Next is the id of the next level (Decision.Next), "" for none.
	Next string `json:"nx,omitempty"`
}

// CompactLeftOut is a [LeftOut] in a compact form.
type CompactLeftOut struct {
	Path  string `json:"p,omitempty"` // LeftOut.Path
	Field string `json:"f"`           // LeftOut.Field
	Date  string `json:"d"`           // LeftOut.Date, YYYY-MM-DD
	// Whole is true for StartsLater (the entry or section left out
	// whole), false for DatedLater (the date alone).
	Whole bool `json:"w,omitempty"`
}

// Errors of [EngineOf.Compact] and [EngineOf.Expand], wrapped in a
// [*CompactError].
var (
	// ErrRuleSetMismatch: the decision or compact form was made under
	// another rule set than the engine's (another digest).
	ErrRuleSetMismatch = errors.New("a different rule set")
	// ErrApplicantMismatch: the applicant is not the one decided: another
	// id, or another input digest (the applicant changed).
	ErrApplicantMismatch = errors.New("a different or changed applicant")
	// ErrDecisionMismatch: the same rule set and applicant are decided
	// differently now than the compact form records, as by another
	// version of this library.
	ErrDecisionMismatch = errors.New("decided differently now")
	// ErrCompactForm: the compact form is not one Expand reads: another
	// version, a bad date, or one that does not fit the rule set.
	ErrCompactForm = errors.New("not a compact form of this version")
)

// CompactError is the error of [EngineOf.Compact] and [EngineOf.Expand]
// when a decision, a compact form and an applicant do not belong
// together. It wraps one of [ErrRuleSetMismatch], [ErrApplicantMismatch],
// [ErrDecisionMismatch] and [ErrCompactForm]: test with errors.Is.
type CompactError struct {
	Field string // what differs: the compact form's JSON key, e.g. "rd", "in", "rq"
	Want  string // the value the compact form (or the decision) has
	Got   string // the value the engine or the applicant gives
	Err   error  // one of the sentinel errors above
}

func (e *CompactError) Error() string {
	return fmt.Sprintf("eligibility: compact decision: %v: %s is %s, want %s", e.Err, e.Field, e.Got, e.Want)
}

func (e *CompactError) Unwrap() error { return e.Err }

// Compact returns the compact form of d, the decision of applicant a by
// this engine (or an engine of the same rule set). It refuses, with a
// [*CompactError], a decision under another rule set or of an applicant
// with another id; a nil a is an *InputError.
func (e *EngineOf[T]) Compact(d *Decision, a *T) (*CompactDecision, error) {
	if d == nil {
		return nil, errors.New("eligibility: Compact of a nil decision")
	}
	if a == nil {
		return nil, errNilApplicant()
	}
	p, err := e.at(unsafe.Pointer(a))
	if err != nil {
		return nil, err
	}
	if id := e.id(p); id != d.Applicant {
		return nil, &CompactError{Field: "id", Want: d.Applicant, Got: id, Err: ErrApplicantMismatch}
	}
	in, err := e.inputDigest(p)
	if err != nil {
		return nil, err
	}
	return e.compact(d, in)
}

// compact is Compact of d, its applicant's digest in.
func (e *engine) compact(d *Decision, in string) (*CompactDecision, error) {
	if d.RuleSet.Digest != e.set.Digest {
		return nil, &CompactError{Field: "rd", Want: d.RuleSet.Digest, Got: e.set.Digest, Err: ErrRuleSetMismatch}
	}
	reqs := d.Requirements()
	if len(reqs) != len(e.reqs) || len(d.Levels()) != len(e.levels) ||
		len(d.Categories()) != len(e.categories) || len(d.Courses()) != len(e.courses) {
		return nil, &CompactError{Field: "rq", Want: "a decision of the engine's rule set", Got: "another shape", Err: ErrRuleSetMismatch}
	}
	c := &CompactDecision{
		Version: CompactVersion, Applicant: d.Applicant,
		RuleSet: d.RuleSet.Name, Release: d.RuleSet.Version, Digest: d.RuleSet.Digest,
		Input: in, AsOf: d.AsOf.Format(time.DateOnly), Level: d.Level, FeeTotal: d.FeeTotal,
	}
	rq := make([]byte, len(reqs))
	for i := range reqs {
		r := &reqs[i]
		rq[i] = statusCode(r.Status)
		var sf []float64
		for _, cl := range r.Clauses {
			if cl.Shortfall != nil {
				sf = append(sf, *cl.Shortfall)
			}
			if cl.Closest != nil {
				for _, f := range cl.Closest.Failed {
					if f.Shortfall != nil {
						sf = append(sf, *f.Shortfall)
					}
				}
			}
		}
		if len(sf) > 0 {
			if c.Shortfalls == nil {
				c.Shortfalls = map[string][]float64{}
			}
			c.Shortfalls[r.ID] = sf
		}
		var settle []string
		for _, a := range r.Unverified {
			settle = append(settle, a.Item)
		}
		settle = append(settle, r.Missing...)
		if len(settle) > 0 {
			if c.Settle == nil {
				c.Settle = map[string][]string{}
			}
			c.Settle[r.ID] = settle
		}
	}
	c.Requirements = string(rq)
	routes := func(as []AwardResult, defs []*award) string {
		out := make([]byte, len(as))
		for i, a := range as {
			out[i] = outcomeCode(a.Outcome)
			if len(defs[i].routes) > 1 && a.Route != defs[i].routes[0].name {
				if c.Routes == nil {
					c.Routes = map[string]string{}
				}
				c.Routes[a.ID] = a.Route
			}
		}
		return string(out)
	}
	c.Levels = routes(d.Levels(), e.levels)
	c.Categories = routes(d.Categories(), e.categories)
	c.Courses = routes(d.Courses(), e.courses)
	for _, l := range d.LeftOut {
		c.LeftOut = append(c.LeftOut, CompactLeftOut{Path: l.Path, Field: l.Field, Date: l.Date.Format(time.DateOnly), Whole: l.Why == StartsLater})
	}
	if d.Next != nil {
		c.Next = d.Next.Level
	}
	return c, nil
}

// Expand rebuilds the full decision a compact form stands for: it decides
// applicant a again, on the compact form's date, and returns the decision,
// equal to the one c was made from (its JSON byte for byte). It checks
// first that c was made under this engine's rule set (its digest) and from
// this applicant (its id and input digest), and last that the decision
// agrees with everything c records; else it returns a [*CompactError]
// wrapping [ErrRuleSetMismatch], [ErrApplicantMismatch] or
// [ErrDecisionMismatch], and no decision. A compact form of another
// version, or with an unreadable date, is an error wrapping
// [ErrCompactForm]. Otherwise its errors are Evaluate's.
//
// Expand is no Evaluate: an observer ([WithObserver]) is not told of it.
func (e *EngineOf[T]) Expand(ctx context.Context, c *CompactDecision, a *T) (*Decision, error) {
	if c == nil {
		return nil, &CompactError{Field: "v", Want: fmt.Sprint(CompactVersion), Got: "nil", Err: ErrCompactForm}
	}
	if c.Version != CompactVersion {
		return nil, &CompactError{Field: "v", Want: fmt.Sprint(c.Version), Got: fmt.Sprint(CompactVersion), Err: ErrCompactForm}
	}
	if c.Digest != e.set.Digest {
		return nil, &CompactError{Field: "rd", Want: c.Digest, Got: e.set.Digest, Err: ErrRuleSetMismatch}
	}
	date, err := time.Parse(time.DateOnly, c.AsOf)
	if err != nil {
		return nil, &CompactError{Field: "at", Want: "a date YYYY-MM-DD", Got: fmt.Sprintf("%q", c.AsOf), Err: ErrCompactForm}
	}
	if a == nil {
		return nil, errNilApplicant()
	}
	p, err := e.at(unsafe.Pointer(a))
	if err != nil {
		return nil, err
	}
	if id := e.id(p); id != c.Applicant {
		return nil, &CompactError{Field: "id", Want: c.Applicant, Got: id, Err: ErrApplicantMismatch}
	}
	in, err := e.inputDigest(p)
	if err != nil {
		return nil, err
	}
	if in != c.Input {
		return nil, &CompactError{Field: "in", Want: c.Input, Got: in, Err: ErrApplicantMismatch}
	}
	d, err := e.decide(ctx, unsafe.Pointer(a), AsOf(date))
	if err != nil {
		return nil, err
	}
	got, err := e.compact(d, in)
	if err != nil {
		return nil, err
	}
	if key, want, have := compactDiff(c, got); key != "" {
		return nil, &CompactError{Field: key, Want: want, Got: have, Err: ErrDecisionMismatch}
	}
	return d, nil
}

// compactDiff returns the first JSON key, in sorted order, whose value
// differs between want and got, with both values as JSON; "" when they
// agree.
func compactDiff(want, got *CompactDecision) (key, w, g string) {
	wm, gm := compactFields(want), compactFields(got)
	keys := slices.Sorted(maps.Keys(wm))
	for k := range gm {
		if _, ok := wm[k]; !ok {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		if string(wm[k]) != string(gm[k]) {
			return k, orNone(wm[k]), orNone(gm[k])
		}
	}
	return "", "", ""
}

func orNone(v json.RawMessage) string {
	if v == nil {
		return "(none)"
	}
	return string(v)
}

// compactFields is c's JSON, key by key.
func compactFields(c *CompactDecision) map[string]json.RawMessage {
	data, err := json.Marshal(c)
	if err != nil {
		return nil // a CompactDecision always marshals
	}
	var m map[string]json.RawMessage
	_ = json.Unmarshal(data, &m)
	return m
}

func statusCode(s Status) byte {
	switch s {
	case Met:
		return 'm'
	case Unverified:
		return 'v'
	case Unknown:
		return 'u'
	case Review:
		return 'r'
	}
	return 'x'
}

func outcomeCode(o Outcome) byte {
	switch o {
	case Granted:
		return 'g'
	case Provisional:
		return 'p'
	case Referred:
		return 'r'
	case Undetermined:
		return 'u'
	}
	return 'x'
}
