package eligibility

import (
	"fmt"
	"reflect"

	"github.com/eligo-dev/eligo/eligibility/internal/arena"
)

// claimSection is a section of the applicant a requirement reads whose
// entries (a list) or itself (a pointer) carry a Verified flag. A section
// without a flag of its own is searched one level down for lists of
// flagged entries (practice.log).
type claimSection struct {
	name     string
	field    int   // in Applicant
	inner    int   // the list's field in the section, or -1
	list     bool  // a list of entries, else a section
	verified []int // the Verified field in an entry or the section
	label    int   // the entry's `eligo:"label"` field, or -1
	paths    []string
}

// claimSections finds, once per engine, the sections of reads, fields of
// the model t, that carry claims to verify.
func claimSections(t reflect.Type, reads []string) []claimSection {
	var out []claimSection
	for _, name := range reads {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Tag.Get("expr") != name {
				continue
			}
			switch f.Type.Kind() {
			case reflect.Slice:
				if cs, ok := claimList(name, f.Type.Elem()); ok {
					cs.field, cs.inner = i, -1
					out = append(out, cs)
				}
			case reflect.Pointer:
				st := f.Type.Elem()
				if st.Kind() != reflect.Struct {
					break
				}
				if vf, ok := st.FieldByName("Verified"); ok && vf.Type.Kind() == reflect.Bool {
					out = append(out, claimSection{name: name, field: i, inner: -1, verified: vf.Index, label: -1})
					break
				}
				for j := 0; j < st.NumField(); j++ {
					inner := st.Field(j)
					if inner.Type.Kind() != reflect.Slice || inner.Tag.Get("expr") == "" {
						continue
					}
					if cs, ok := claimList(name+"."+inner.Tag.Get("expr"), inner.Type.Elem()); ok {
						cs.field, cs.inner = i, j
						out = append(out, cs)
					}
				}
			}
			break
		}
	}
	return out
}

// claimList describes the list name of entries of type et, if they carry
// a Verified flag.
func claimList(name string, et reflect.Type) (claimSection, bool) {
	if et.Kind() != reflect.Struct {
		return claimSection{}, false
	}
	vf, ok := et.FieldByName("Verified")
	if !ok || vf.Type.Kind() != reflect.Bool {
		return claimSection{}, false
	}
	cs := claimSection{name: name, list: true, verified: vf.Index, label: -1}
	for j := 0; j < et.NumField(); j++ {
		if et.Field(j).Tag.Get("eligo") == "label" {
			cs.label = j
			break
		}
	}
	for k := range 32 {
		cs.paths = append(cs.paths, fmt.Sprintf("%s[%d]", name, k))
	}
	return cs, true
}

// value returns the section's list or the section itself in av, an
// Applicant; ok is false when the section is absent.
func (cs *claimSection) value(av reflect.Value) (v reflect.Value, ok bool) {
	v = av.Field(cs.field)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return v, false
		}
		if cs.inner < 0 {
			return v.Elem(), true
		}
		v = v.Elem().Field(cs.inner)
	}
	return v, true
}

// unverifiedClaims lists the unverified entries of the sections a
// requirement reads: the claims an administrator could verify to settle it.
func unverifiedClaims(b *block, req string, a *Applicant, sections []claimSection) []Action {
	av := reflect.ValueOf(a).Elem()
	n := 0
	for i := range sections {
		cs := &sections[i]
		f, ok := cs.value(av)
		switch {
		case !ok:
		case cs.list:
			for k := 0; k < f.Len(); k++ {
				if !f.Index(k).FieldByIndex(cs.verified).Bool() {
					n++
				}
			}
		case !f.FieldByIndex(cs.verified).Bool():
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := arena.Take(&b.actions, n)[:0]
	for i := range sections {
		cs := &sections[i]
		f, ok := cs.value(av)
		if !ok {
			continue
		}
		if !cs.list {
			if !f.FieldByIndex(cs.verified).Bool() {
				out = append(out, Action{Kind: Verify, Requirement: req, Item: cs.name})
			}
			continue
		}
		for k := 0; k < f.Len(); k++ {
			entry := f.Index(k)
			if entry.FieldByIndex(cs.verified).Bool() {
				continue
			}
			act := Action{Kind: Verify, Requirement: req}
			if k < len(cs.paths) {
				act.Item = cs.paths[k]
			} else {
				act.Item = fmt.Sprintf("%s[%d]", cs.name, k)
			}
			if cs.label >= 0 {
				act.Label = entry.Field(cs.label).String()
			}
			out = append(out, act)
		}
	}
	return out
}
