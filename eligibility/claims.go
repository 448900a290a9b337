package eligibility

import (
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/eligo-dev/eligo/eligibility/internal/view"
)

// claimSection is a section of the applicant a requirement reads whose
// entries (a list) or itself (a pointer) carry a Verified flag (see
// view.Section), with the paths its entries are named by.
type claimSection struct {
	view.Section
	paths []string
	// The offsets of the start dates of the section (of the section
	// holding the list, for a list one level down) and of the list's
	// entries: the as-of view leaves out a section or entry starting after
	// the evaluation date, and so there is no claim in it to verify.
	sectionStarts, entryStarts []uintptr
}

// claimSections finds, once per engine, the sections of reads, fields of
// the model, that carry claims to verify: those the verified view filters.
// ev is the model's as-of view, or nil.
func claimSections(p *view.Plan, ev *view.Events, reads []string) []claimSection {
	t := p.Type()
	var out []claimSection
	for _, s := range p.Sections() {
		if name, _ := view.Name(t.Field(s.Field)); !slices.Contains(reads, name) {
			continue
		}
		cs := claimSection{Section: s}
		cs.sectionStarts, cs.entryStarts = ev.Starts(s.Field, s.Inner)
		if s.List {
			for k := range 32 {
				cs.paths = append(cs.paths, fmt.Sprintf("%s[%d]", s.Name, k))
			}
		}
		out = append(out, cs)
	}
	return out
}

// value returns the section's list or the section itself in av, an
// applicant; ok is false when the section is absent, or, if dated, left
// out for starting after asOf.
func (cs *claimSection) value(av reflect.Value, dated bool, asOf time.Time) (v reflect.Value, ok bool) {
	v = av.Field(cs.Field)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() || dated && view.StartsAfter(v.UnsafePointer(), cs.sectionStarts, asOf) {
			return v, false
		}
		if cs.Inner < 0 {
			return v.Elem(), true
		}
		v = v.Elem().Field(cs.Inner)
	}
	return v, true
}

// unverifiedClaims appends to out the unverified entries of the sections
// a requirement reads, in the applicant av: the claims an administrator
// could verify to settle it. When dated (the as-of view left evidence
// out), it passes over the entries and sections starting after asOf: they
// are no claims of this evaluation.
func unverifiedClaims(out []Action, req string, av reflect.Value, sections []claimSection, dated bool, asOf time.Time) []Action {
	for i := range sections {
		cs := &sections[i]
		f, ok := cs.value(av, dated, asOf)
		if !ok {
			continue
		}
		if !cs.List {
			if !f.FieldByIndex(cs.Verified).Bool() {
				out = append(out, Action{Kind: Verify, Requirement: req, Item: cs.Name})
			}
			continue
		}
		for k := 0; k < f.Len(); k++ {
			entry := f.Index(k)
			if entry.FieldByIndex(cs.Verified).Bool() || cs.startsAfter(entry, dated, asOf) {
				continue
			}
			act := Action{Kind: Verify, Requirement: req}
			if k < len(cs.paths) {
				act.Item = cs.paths[k]
			} else {
				act.Item = fmt.Sprintf("%s[%d]", cs.Name, k)
			}
			if cs.Label >= 0 {
				act.Label = entry.Field(cs.Label).String()
			}
			out = append(out, act)
		}
	}
	return out
}

// startsAfter reports whether the list entry, when dated, starts after
// asOf.
func (cs *claimSection) startsAfter(entry reflect.Value, dated bool, asOf time.Time) bool {
	return dated && len(cs.entryStarts) > 0 && view.StartsAfter(entry.Addr().UnsafePointer(), cs.entryStarts, asOf)
}
