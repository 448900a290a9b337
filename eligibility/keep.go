package eligibility

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/eligo-dev/eligo/eligibility/internal/view"
)

// keep copies the applicant at p into the memory of the decision being
// made in b (snapshot.Plan.Copy), for the decision to explain its
// requirements from (explain.go): a copy of what rules, the verified view
// and the as-of view read, deep, so that nothing the caller does to the
// applicant later reaches the decision. Fields rules cannot see (a
// person's name) are left out, but for verification flags and the fields
// eligo's tags mark (labels, the id, event dates).
func (e *engine) keep(b *block, p unsafe.Pointer) (unsafe.Pointer, error) {
	if err := e.snap.Copy(b.app(), p, &b.snap); err != nil {
		return nil, fmt.Errorf("eligibility: applicant %s: %w", e.id(p), err)
	}
	return b.app(), nil
}

// kept reports whether a decision's copy of an applicant keeps exported
// field f: rules see it, or the verified or the as-of view reads it.
func kept(f reflect.StructField) bool {
	_, visible := view.Name(f)
	return visible || f.Name == "Verified" || f.Tag.Get("eligo") != ""
}
