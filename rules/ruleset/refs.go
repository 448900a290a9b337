package ruleset

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"

	"github.com/eligo-dev/eligo/rules/file"
)

// finish merges, checks references and returns the set or every error.
func (p *parser) finish() (*Set, error) {
	s := p.set
	for _, key := range []string{"ruleset", "version"} {
		if _, ok := p.header[key]; !ok && !p.broken {
			name := ""
			if len(s.files) > 0 {
				name = s.files[0].Name()
			}
			p.c.Add(file.Position{File: name, Line: 1, Column: 1}, file.ErrValue, "missing required key %q (the rule set's %s)", key, key)
		}
	}
	if _, ok := p.ids["award"]; !ok || len(s.Levels) == 0 {
		if len(s.Levels) == 0 && !p.emptyLadder && !p.broken {
			name := ""
			if len(s.files) > 0 {
				name = s.files[0].Name()
			}
			p.c.Add(file.Position{File: name, Line: 1, Column: 1}, file.ErrValue, "no levels: a rule set needs a ladder of at least one level")
		}
	}
	if !p.broken {
		p.checkRefs()
		p.checkEntries()
		p.checkLadder()
	}
	if p.c.Len() > 0 && p.exprs != nil && !p.broken && s.Model != nil && !p.modelFaulty {
		if typ, err := s.Model.Type(); err == nil && typ != nil {
			p.exprs(s, typ, p.c)
		}
	}
	if err := p.c.Err(MaxErrors); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(p.digest)
	s.Digest = "sha256:" + hex.EncodeToString(sum[:])
	return s, nil
}

// refKey names a reference: where it is made and what it names.
type refKey struct{ where, id string }

// checkRefs reports references to requirements, benefits and fee parameters
// that no file defines.
func (p *parser) checkRefs() {
	reqs, bens, pars := p.ids["requirement"], p.ids["benefit"], p.ids["parameter"]
	suggesters := map[string]*file.Suggester{} // by kind, made when first needed
	params := make(map[string]*Parameter, len(p.set.Parameters))
	for _, par := range p.set.Parameters {
		if params[par.Name] == nil { // the first; a duplicate is an error of its own
			params[par.Name] = par
		}
	}
	check := func(where, id string, ids map[string]file.Position, kind string) {
		if _, ok := ids[id]; ok {
			return
		}
		pos := p.refPos[refKey{where, id}]
		msg := fmt.Sprintf("%s: unknown %s %q", where, kind, id)
		if p.c.Keeps(pos) { // a suggestion only for an error kept
			if suggesters[kind] == nil {
				suggesters[kind] = file.NewSuggester(keys(ids))
			}
			if s := suggesters[kind].Suggest(id); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
		}
		p.c.Add(pos, file.ErrUnknownReference, "%s", msg)
	}
	for _, g := range p.set.Gates {
		check("gates", g, reqs, "requirement")
	}
	for _, group := range []struct {
		section string
		awards  []*Award
	}{{"level", p.set.Levels}, {"category", p.set.Categories}, {"course", p.set.Courses}} {
		for _, a := range group.awards {
			what := group.section + " " + a.ID
			for _, r := range a.Requires {
				check(what+" requires", r, reqs, "requirement")
			}
			for _, rt := range a.Routes {
				for _, r := range rt.Requires {
					check(what+" route "+rt.Name, r, reqs, "requirement")
				}
			}
			for _, r := range a.Entry {
				check(what+" entry", r, reqs, "requirement")
			}
			for _, b := range a.Benefits {
				check(what+" benefits", b, bens, "benefit")
			}
			if a.Fee != "" {
				check(what+" fee", a.Fee, pars, "parameter")
				p.checkFee(what+" fee", params[a.Fee])
			}
		}
	}
	for _, b := range p.set.Benefits {
		for _, r := range b.Requires {
			check("benefit "+b.ID+" requires", r, reqs, "requirement")
		}
		if b.Fee != "" {
			check("benefit "+b.ID+" fee", b.Fee, pars, "parameter")
			p.checkFee("benefit "+b.ID+" fee", params[b.Fee])
		}
	}
}

// checkFee reports a fee whose parameter has a value that is not a number
// (text, true/false, a date, a list): an amount is a number on every date.
// par is the parameter the fee names, nil when none is defined.
func (p *parser) checkFee(where string, par *Parameter) {
	if par == nil {
		return // an unknown parameter, reported as such
	}
	for _, v := range par.Values {
		if _, ok := v.Value.(float64); !ok {
			p.c.Add(p.refPos[refKey{where, par.Name}], file.ErrType, "%s: parameter %s is %s (%s), not a number; a fee is an amount",
				where, par.Name, kindOf(v.Value), v.Pos)
			return
		}
	}
}

// checkLadder reports levels given in more than one file: files are read
// in name order, so the ladder's order would follow the files' names.
// The ladder is listed in one file, lowest first.
func (p *parser) checkLadder() {
	ls := p.set.Levels
	for _, l := range ls {
		if l.Pos.File != ls[0].Pos.File {
			p.c.Add(l.Pos, file.ErrValue, "level %s: the ladder is split between %s and %s, so its order would follow the files' names; list every level in one file, lowest first",
				l.ID, ls[0].Pos.File, l.Pos.File)
			return
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkEntries reports a ladder whose every level has an entry condition:
// one level at least must be open to all, so that an applicant with no
// level always has a next one.
func (p *parser) checkEntries() {
	ls := p.set.Levels
	for _, l := range ls {
		if len(l.Entry) == 0 {
			return
		}
	}
	if len(ls) > 0 {
		p.c.Add(ls[len(ls)-1].Pos, file.ErrValue, "levels: every level has an entry condition; leave it off one level at least (the next level for an applicant whose evidence points to none)")
	}
}
