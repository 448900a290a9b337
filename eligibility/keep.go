package eligibility

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/snapshot"
	"github.com/eligo-dev/eligo/eligibility/internal/view"
)

// keep packs a copy of the applicant at p for the decision being made
// (snapshot.Plan.Pack), for the decision to explain its requirements from
// (explain.go): a copy of what rules, the verified view and the as-of view
// read, deep, so that nothing the caller does to the applicant later
// reaches the decision; compact, in memory of its own sized to the
// applicant (reuse's, a decision handed back with Reusing, when it has
// the room). Fields rules cannot see (a person's name) are left out, but
// for verification flags and the fields eligo's tags mark (labels, the
// id, event dates).
func (e *engine) keep(st *evalState, p unsafe.Pointer, reuse snapshot.Packed) (snapshot.Packed, error) {
	pk, err := e.snap.Pack(p, &st.packer, reuse)
	if err != nil {
		return snapshot.Packed{}, fmt.Errorf("eligibility: applicant %s: %w", e.id(p), err)
	}
	return pk, nil
}

// unpack unpacks a decision's copy of its applicant, pk, into st's memory,
// where it stays until st is finished, and returns it.
func (e *engine) unpack(st *evalState, pk snapshot.Packed) unsafe.Pointer {
	if st.unpacked == nil {
		st.unpacked = reflect.New(e.model).UnsafePointer()
		st.unpackMem.Init(make([]snapshot.Slab, len(e.snap.Types())))
	}
	st.unpackMem.Rewind()
	e.snap.Unpack(st.unpacked, pk, &st.unpackMem)
	st.unpacking = true
	return st.unpacked
}

// kept reports whether a decision's copy of an applicant keeps exported
// field f: rules see it, or the verified or the as-of view reads it.
func kept(f reflect.StructField) bool {
	_, visible := view.Name(f)
	return visible || f.Name == "Verified" || f.Tag.Get("eligo") != ""
}
