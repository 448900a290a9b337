package eligibility

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/eligo-dev/eligo/eligibility/internal/view"
	"github.com/eligo-dev/eligo/rules"
	"github.com/eligo-dev/eligo/rules/file"
)

// unverifiableTag is the eligo struct tag of a section or list that holds
// data that can only refuse, never a claim: the engine accepts a granting
// requirement's read of it although it carries no Verified flag.
const unverifiableTag = "unverifiable"

// trustedTag is the eligo struct tag of a section or list whose data the
// caller vouches for, such as its own records rather than what an
// applicant says: it grants as it stands, without a Verified flag. The
// engine treats it as unverifiableTag; the two say different things to a
// reader.
const trustedTag = "trusted"

// isOptOut reports whether f is tagged unverifiable or trusted.
func isOptOut(f reflect.StructField) bool {
	tag := f.Tag.Get("eligo")
	return tag == unverifiableTag || tag == trustedTag
}

// unclaimed is data a granting requirement reads that no claim covers: the
// innermost section or list without a Verified flag on the way to it.
type unclaimed struct {
	req   string   // the requirement's id
	path  string   // the section or list in document keys: "supervision", "supervision.sessions[]"
	names []string // the same by the names rules see, without "[]"
	list  bool     // a list of entries, else a section
}

// granting returns, in order, the indexes of the requirements a level,
// category, course or benefit needs, through a route or as a gate: those
// whose status can grant.
func (e *engine) granting() []int {
	seen := map[int]bool{}
	for _, i := range e.gates {
		seen[i] = true
	}
	for _, as := range [][]*award{e.levels, e.categories, e.courses} {
		for _, a := range as {
			for _, i := range a.requires {
				seen[i] = true
			}
			for _, r := range a.routes {
				for _, i := range r.reqs {
					seen[i] = true
				}
			}
		}
	}
	for _, b := range e.benefits {
		for _, i := range b.reqs {
			seen[i] = true
		}
	}
	out := make([]int, 0, len(seen))
	for i := range seen {
		out = append(out, i)
	}
	slices.Sort(out)
	return out
}

// unclaimedReads returns what the granting requirements read outside any
// claim: every path a requirement reads (prog.ReadPaths), with everything
// under it, must pass through a section or list entry with a Verified flag,
// or through a field tagged eligo:"unverifiable" or eligo:"trusted"; a top-level field that is
// no section or list of entries (a text, number, boolean, date or list of
// texts) needs neither. The first requirement that reads each such place
// names it.
func (e *engine) unclaimedReads() []unclaimed {
	var out []unclaimed
	seen := map[string]bool{}
	for _, i := range e.granting() {
		for _, p := range e.prog.ReadPaths(i) {
			u := unclaimedIn(e.model, strings.Split(p, "."))
			if u == nil || seen[u.path] {
				continue
			}
			seen[u.path] = true
			u.req = e.reqs[i].ID
			out = append(out, *u)
		}
	}
	return out
}

// fieldKind classifies a field for the claims check.
type fieldKind int

const (
	scalar    fieldKind = iota // a text, number, boolean, date or list of them
	claim                      // a flagged section or list of flagged entries
	optedOut                   // tagged eligo:"unverifiable" or eligo:"trusted"
	container                  // a section or list of entries without a flag
)

// kindOf classifies f, and returns the struct type a container or claim
// holds and whether it is a list.
func kindOf(f reflect.StructField) (k fieldKind, inner reflect.Type, list bool) {
	t := f.Type
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		list = true
		t = t.Elem()
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
	}
	if t.Kind() != reflect.Struct || t == reflect.TypeFor[time.Time]() {
		return scalar, nil, false
	}
	switch {
	case isOptOut(f):
		return optedOut, t, list
	case hasVerifiedFlag(t):
		return claim, t, list
	}
	return container, t, list
}

// hasVerifiedFlag reports whether struct type t has a bool field named
// Verified, the flag the verified view reads.
func hasVerifiedFlag(t reflect.Type) bool {
	f, ok := t.FieldByName("Verified")
	return ok && f.Type.Kind() == reflect.Bool
}

// unclaimedIn follows chain, names rules see from the model down, then
// everything under where it ends, and returns the first place reached
// through sections or lists without a flag and no claim, or nil.
func unclaimedIn(model reflect.Type, chain []string) *unclaimed {
	t := model
	var last *unclaimed // the innermost unflagged container so far
	var path, names []string
	for _, name := range chain {
		f, ok := ruleField(t, name)
		if !ok {
			break
		}
		k, inner, list := kindOf(f)
		path, names = append(path, documentKey(f)), append(names, name)
		switch k {
		case claim, optedOut:
			return nil
		case scalar:
			if last == nil {
				return nil
			}
			return last
		}
		if list {
			path[len(path)-1] += "[]"
		}
		last = &unclaimed{path: strings.Join(path, "."), names: slices.Clone(names), list: list}
		t = inner
	}
	return unclaimedUnder(t, path, names, last, map[reflect.Type]bool{})
}

// unclaimedUnder looks for a field of struct type t (at path) reached
// through no claim: last is the innermost unflagged container on the way
// to t, nil at the top level.
func unclaimedUnder(t reflect.Type, path, names []string, last *unclaimed, seen map[reflect.Type]bool) *unclaimed {
	if t.Kind() != reflect.Struct || seen[t] {
		return nil
	}
	seen[t] = true
	defer delete(seen, t)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, visible := view.Name(f)
		if !visible {
			continue
		}
		k, inner, list := kindOf(f)
		switch k {
		case scalar:
			if last != nil {
				return last
			}
			continue
		case claim, optedOut:
			continue
		}
		p, n := append(slices.Clone(path), documentKey(f)), append(slices.Clone(names), name)
		if list {
			p[len(p)-1] += "[]"
		}
		u := &unclaimed{path: strings.Join(p, "."), names: n, list: list}
		if found := unclaimedUnder(inner, p, n, u, seen); found != nil {
			return found
		}
	}
	return nil
}

// ruleField returns the field of t (a struct, or a pointer to one) rules
// see by name.
func ruleField(t reflect.Type, name string) (reflect.StructField, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	for i := 0; i < t.NumField(); i++ {
		if n, ok := view.Name(t.Field(i)); ok && n == name {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// errUnclaimedGo is NewFor's error for a Go type whose granting
// requirements read data no claim covers.
func errUnclaimedGo(model reflect.Type, us []unclaimed) error {
	u := us[0]
	what, fix := "a section without a Verified flag", "a Verified bool field to it"
	if u.list {
		what, fix = "a list whose entries have no Verified flag", "a Verified bool field to its entries"
	}
	more := ""
	if len(us) > 1 {
		more = fmt.Sprintf(" (and %d more such)", len(us)-1)
	}
	return fmt.Errorf("eligibility: NewFor[%s]: %w: requirement %s reads %s, %s, so an unverified claim there would grant; add %s (or to a section or list around it) or, if it holds data that can only refuse, not claims, tag the field eligo:%q (eligo:%q if it holds records you vouch for, not claims)%s",
		model, ErrModel, u.req, u.path, what, fix, unverifiableTag, trustedTag, more)
}

// errUnclaimedDeclared is New's error for a declared model whose granting
// requirements read data no claim covers: an *rules.ErrorList, each error
// at the section's or list's key in the model.
func errUnclaimedDeclared(set *rules.Set, us []unclaimed) error {
	var errs file.Errors
	for _, f := range set.Files() {
		errs.AddSource(f)
	}
	for _, u := range us {
		pos := modelPos(set, u.names)
		what := "a section not declared verified"
		if u.list {
			what = "a list whose entries are not declared verified"
		}
		errs.Add(pos, rules.ErrValue, "model: requirement %s reads %s, %s, so an unverified claim there would grant; add verified: true to it (or to a section or list around it) or, if it holds data that can only refuse, not claims, write verified: false",
			u.req, u.path, what)
	}
	return &modelError{errs.Err(rules.MaxErrors)}
}

// modelPos is where the declared model's field at names (as rules see
// them, from the top) is written, as far as they lead; the model's key
// when none.
func modelPos(set *rules.Set, names []string) rules.Position {
	var at *rules.ModelField
	fields := set.Model.Fields
	for _, n := range names {
		i := slices.IndexFunc(fields, func(f *rules.ModelField) bool { return f.Name == n })
		if i < 0 {
			break
		}
		at, fields = fields[i], fields[i].Fields
	}
	if at != nil {
		return at.Pos
	}
	return set.Model.Pos
}

// errShape is New's and NewFor's error for claims within claims (a field
// with verified: true, or a Verified flag, inside a section or list entry
// that is itself a claim): eligo checks the outer claim's flag alone, so
// the inner one's would be ignored. For a declared model, it is at the
// field.
func errShape(set *rules.Set, model reflect.Type, documents bool, se *view.ShapeError) error {
	const why = "claims within a section or list entry that is itself a claim (or behind a pointer, in a map): eligo checks the outer claim's flag alone, so the inner one would count whatever its own flag says; give the inner data no flag of its own (verified: false), or move it out to a top-level section or list"
	if !documents {
		return fmt.Errorf("eligibility: NewFor[%s]: %w: %s: %w: %s", model, ErrModel, se.GoPath, view.ErrUnsupported, why)
	}
	var errs file.Errors
	for _, f := range set.Files() {
		errs.AddSource(f)
	}
	errs.Add(modelPos(set, se.Path), rules.ErrValue, "model: %s holds %s", strings.Join(se.Path, "."), why)
	return &modelError{errs.Err(rules.MaxErrors)}
}

// modelError is New's error for a declared model's faults: an ErrModel
// with the list of them, written out when the error is, so that a caller
// who changes the list's positions (naming the directory the rule files
// came from, say) sees them in its text.
type modelError struct{ list error }

func (e *modelError) Error() string {
	return "eligibility: New: " + ErrModel.Error() + ": " + e.list.Error()
}

func (e *modelError) Unwrap() []error { return []error{ErrModel, e.list} }
