package rules

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const zoneRules = `
ruleset: zones
version: "1"
requirements:
  abbreviation: {title: a, source: t, when: "daysBetween(d, date(\"02 Jan 24 00:30 CET\")) == 1"}
  layout: {title: l, source: t, when: "daysBetween(d, date(\"2024-01-02 00:30 CET\", \"2006-01-02 15:04 MST\")) == 1"}
  plain: {title: p, source: t, when: "daysBetween(d, date(\"2024-01-02\")) == 1"}
  utc: {title: u, source: t, when: "daysBetween(d, date(\"2024-01-02 00:30\", \"2006-01-02 15:04\", \"UTC\")) == 1"}
  utc-location: {title: z, source: t, when: "daysBetween(d, date(timezone(\"UTC\"), \"2024-01-02 00:30\", \"2006-01-02 15:04\")) == 1"}
levels:
  - {id: l, title: L, requires: [plain]}
`

// TestSameDecisionInAnyZone: the same rules and applicant give the same
// results whatever the host's time zone. expr's date() read a zone
// abbreviation with the host zone's offset, so under a host zone called
// CET, "00:30 CET" was the day before.
func TestSameDecisionInAnyZone(t *testing.T) {
	decide := func(local *time.Location) []Status {
		saved := time.Local
		time.Local = local
		defer func() { time.Local = saved }()
		p := compileEval(t, zoneRules, presenceApplicant{})
		run, err := p.NewRun(&presenceApplicant{D: date("2024-01-02")}, *date("2024-03-15"))
		if err != nil {
			t.Fatal(err)
		}
		var out []Status
		for i := range p.NumRequirements() {
			res, err := run.Requirement(i)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, res.Status)
		}
		return out
	}
	want := decide(time.UTC)
	for i, s := range want {
		if s != Met {
			t.Errorf("in UTC, requirement %d is %v, want met", i, s)
		}
	}
	for _, zone := range []*time.Location{time.FixedZone("CET", 3600), time.FixedZone("MST", -7*3600), time.FixedZone("UTC", 5*3600)} {
		if got := decide(zone); !equalStatuses(got, want) {
			t.Errorf("with the host zone %v: %v, in UTC %v", zone, got, want)
		}
	}
}

func equalStatuses(a, b []Status) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestHostZoneRefused: a time zone other than the literal "UTC" is refused
// at load at the argument, with ErrForbidden: "Local" is the host's, any
// other depends on the host's zone database, and a computed one could be
// either.
func TestHostZoneRefused(t *testing.T) {
	for _, tc := range []struct{ why, expr, at string }{
		{"the host's zone", `date("2024-01-01", "2006-01-02", "Local") != nil`, `"Local"`},
		{"a named zone", `date("2024-01-01", "2006-01-02", "Europe/London") != nil`, `"Europe/London"`},
		{"timezone() of the host's zone", `date(timezone("Local"), "2024-01-01") != nil`, `"Local"`},
		{"an empty zone name", `timezone("") != nil`, `""`},
		{"a zone computed from data", `date("2024-01-01", "2006-01-02", id) != nil`, `id)`},
		{"a computed zone in timezone()", `timezone(id + "") != nil`, `+ ""`},
		{"a zone inside a predicate", `any(qualifications, date(.title, "2006", .field) != nil)`, `field)`},
	} {
		t.Run(tc.why, func(t *testing.T) {
			line := "'" + strings.ReplaceAll(tc.expr, "'", "''") + "'"
			e := firstError(t, oneRequirement(line))
			if !errors.Is(e, ErrForbidden) {
				t.Fatalf("got %s, want ErrForbidden", e)
			}
			if want := 12 + strings.Index(tc.expr, tc.at); e.Pos.Line != 7 || e.Pos.Column != want {
				t.Errorf("at %s, want limits.yaml:7:%d:\n%s", e.Pos, want, e)
			}
		})
	}
}
