package view

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The test model: the shapes of claims the view filters, and some it
// shares.

type claim struct {
	Title    string `expr:"title" eligo:"label"`
	Note     *string
	Verified bool `expr:"verified"`
}

// stamped has its flag in an embedded struct, at an offset of its own.
type stamped struct {
	Hours float64
	check
}

type check struct {
	By       string
	Verified bool
}

type cover struct {
	Amount   int
	Verified bool
}

// history has no flag: its lists of flagged entries are filtered.
type history struct {
	Total   int
	Periods []claim   `expr:"periods"`
	Stamps  []stamped `expr:"stamps"`
	Notes   []string  `expr:"notes"`
}

type model struct {
	ID      string    `expr:"id"`
	Claims  []claim   `expr:"claims"`
	Stamps  []stamped // rules see it as Stamps
	Cover   *cover    `expr:"cover"`
	History *history  `expr:"history"`
	Hidden  []claim   `expr:"-"` // rules never see it: shared as it is
	Tags    []string  `expr:"tags,omitempty"`
}

func note(s string) *string { return &s }

func plan(t *testing.T, typ reflect.Type) *Plan {
	t.Helper()
	p, err := New(typ)
	require.NoError(t, err)
	return p
}

func viewOf(b *Buffers, m *model) (*model, Fields) {
	v, diff := b.Verified(unsafe.Pointer(m))
	return (*model)(v), diff
}

func field(name string) Fields {
	f, ok := reflect.TypeFor[model]().FieldByName(name)
	if !ok {
		panic(name)
	}
	return bit(f.Index[0])
}

func verifiedModel() *model {
	return &model{
		ID:      "m1",
		Claims:  []claim{{Title: "a", Note: note("x"), Verified: true}, {Title: "b", Verified: true}},
		Stamps:  []stamped{{Hours: 1, check: check{By: "ann", Verified: true}}},
		Cover:   &cover{Amount: 5, Verified: true},
		History: &history{Total: 3, Periods: []claim{{Title: "p", Verified: true}}, Stamps: []stamped{}, Notes: []string{"n"}},
		Hidden:  []claim{{Title: "h"}},
		Tags:    []string{"t"},
	}
}

func sameSlice[T any](a, b []T) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0]
}

func TestSections(t *testing.T) {
	p := plan(t, reflect.TypeFor[model]())
	var names []string
	for _, s := range p.Sections() {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"claims", "Stamps", "cover", "history.periods", "history.stamps"}, names,
		"in field order; the hidden list and the lists without flags are not sections")
	s := p.Sections()
	assert.Equal(t, Section{Name: "claims", Field: 1, Inner: -1, List: true, Verified: []int{2}, Label: 0}, s[0])
	assert.Equal(t, Section{Name: "Stamps", Field: 2, Inner: -1, List: true, Verified: []int{1, 1}, Label: -1}, s[1])
	assert.Equal(t, Section{Name: "cover", Field: 3, Inner: -1, Verified: []int{1}, Label: -1}, s[2])
	assert.Equal(t, Section{Name: "history.periods", Field: 4, Inner: 1, List: true, Verified: []int{2}, Label: 0}, s[3])
}

func TestReads(t *testing.T) {
	p := plan(t, reflect.TypeFor[model]())
	assert.Equal(t, field("Claims")|field("Tags"), p.Reads([]string{"claims", "tags"}), "tags up to the comma")
	assert.Equal(t, field("Stamps"), p.Reads([]string{"Stamps"}), "an untagged field by its Go name")
	assert.Zero(t, p.Reads([]string{"Hidden", "nope", "history.periods"}), "names rules do not see")
}

func TestVerified(t *testing.T) {
	tests := []struct {
		name   string
		modify func(m *model)
		diff   Fields
		check  func(t *testing.T, m, v *model)
	}{
		{
			name: "fully verified: the view is the value, sharing everything",
			check: func(t *testing.T, m, v *model) {
				assert.Equal(t, m, v)
				assert.True(t, sameSlice(m.Claims, v.Claims))
				assert.True(t, sameSlice(m.Stamps, v.Stamps))
				assert.Same(t, m.Cover, v.Cover)
				assert.Same(t, m.History, v.History)
			},
		},
		{
			name: "unverified entries are dropped, the verified kept in order",
			modify: func(m *model) {
				m.Claims = []claim{{Title: "a"}, {Title: "b", Note: note("y"), Verified: true}, {Title: "c"}, {Title: "d", Verified: true}}
				m.Stamps = append(m.Stamps, stamped{Hours: 2, check: check{By: "bob"}})
			},
			diff: field("Claims") | field("Stamps"),
			check: func(t *testing.T, m, v *model) {
				assert.Equal(t, []claim{{Title: "b", Note: note("y"), Verified: true}, {Title: "d", Verified: true}}, v.Claims)
				assert.Equal(t, 2, cap(v.Claims), "appending to the view cannot reach the buffer's other entries")
				assert.Equal(t, m.Stamps[:1], v.Stamps, "a flag in an embedded struct")
				assert.Len(t, m.Claims, 4, "the value itself is untouched")
			},
		},
		{
			name:   "a list with nothing verified stays present: empty, not nil",
			modify: func(m *model) { m.Claims = []claim{{Title: "a"}} },
			diff:   field("Claims"),
			check: func(t *testing.T, m, v *model) {
				require.NotNil(t, v.Claims)
				assert.Empty(t, v.Claims)
			},
		},
		{
			name:   "absent lists stay absent, empty ones empty",
			modify: func(m *model) { m.Claims, m.Stamps = nil, []stamped{} },
			check: func(t *testing.T, m, v *model) {
				assert.Nil(t, v.Claims)
				assert.NotNil(t, v.Stamps)
			},
		},
		{
			name:   "an unverified flagged section is absent",
			modify: func(m *model) { m.Cover.Verified = false },
			diff:   field("Cover"),
			check: func(t *testing.T, m, v *model) {
				assert.Nil(t, v.Cover)
				assert.NotNil(t, m.Cover)
			},
		},
		{
			name: "an unverified entry one level down copies its section, filtering each of its lists",
			modify: func(m *model) {
				m.History.Periods = []claim{{Title: "p"}, {Title: "q", Verified: true}}
				m.History.Stamps = []stamped{{Hours: 1}}
			},
			diff: field("History"),
			check: func(t *testing.T, m, v *model) {
				assert.NotSame(t, m.History, v.History)
				assert.Equal(t, &history{Total: 3, Periods: []claim{{Title: "q", Verified: true}}, Stamps: []stamped{}, Notes: []string{"n"}}, v.History)
				assert.True(t, sameSlice(m.History.Notes, v.History.Notes))
				assert.Len(t, m.History.Periods, 2)
			},
		},
		{
			name:   "a section whose lists keep everything is shared",
			modify: func(m *model) { m.History.Stamps = nil },
			check:  func(t *testing.T, m, v *model) { assert.Same(t, m.History, v.History) },
		},
		{
			name:   "absent sections stay absent",
			modify: func(m *model) { m.Cover, m.History = nil, nil },
			check: func(t *testing.T, m, v *model) {
				assert.Nil(t, v.Cover)
				assert.Nil(t, v.History)
			},
		},
		{
			name:   "a list rules do not see is shared as it is",
			modify: func(m *model) {},
			check:  func(t *testing.T, m, v *model) { assert.True(t, sameSlice(m.Hidden, v.Hidden)) },
		},
	}
	b := plan(t, reflect.TypeFor[model]()).NewBuffers() // shared: each view reuses the buffers of the one before
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := verifiedModel()
			if tt.modify != nil {
				tt.modify(m)
			}
			v, diff := viewOf(b, m)
			if tt.diff == 0 {
				assert.Same(t, m, v, "a view that leaves nothing out is the value")
			} else {
				assert.NotSame(t, m, v)
			}
			assert.Equal(t, tt.diff, diff)
			tt.check(t, m, v)
		})
	}
}

// TestVerifiedCopiesAreTyped: the entries copied into the buffers keep
// what they point at alive through a collection.
func TestVerifiedCopiesAreTyped(t *testing.T) {
	b := plan(t, reflect.TypeFor[model]()).NewBuffers()
	m := verifiedModel()
	m.Claims = nil
	for i := range 100 {
		m.Claims = append(m.Claims, claim{Note: note(fmt.Sprint(i)), Verified: i%2 == 0})
	}
	v, _ := viewOf(b, m)
	m = nil
	runtime.GC()
	runtime.GC()
	for i, c := range v.Claims {
		require.Equal(t, fmt.Sprint(2*i), *c.Note)
	}
}

func TestVerifiedAllocatesNothingOnceGrown(t *testing.T) {
	b := plan(t, reflect.TypeFor[model]()).NewBuffers()
	verified := verifiedModel()
	assert.Zero(t, testing.AllocsPerRun(100, func() { viewOf(b, verified) }), "fully verified")
	m := verifiedModel()
	m.Claims[0].Verified = false
	m.Cover.Verified = false
	m.History.Periods[0].Verified = false
	viewOf(b, m)
	assert.Zero(t, testing.AllocsPerRun(100, func() { viewOf(b, m) }), "unverified claims, buffers grown")
}

// TestManyFields: fields from 63 on share bit 63, so a view that differs
// in any of them differs, for a reader of any of them, in all of them.
func TestManyFields(t *testing.T) {
	var fields []reflect.StructField
	for i := range 70 {
		f := reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: reflect.TypeFor[int]()}
		switch i {
		case 2:
			f.Type = reflect.TypeFor[[]claim]()
		case 66:
			f.Type, f.Tag = reflect.TypeFor[[]claim](), `expr:"late"`
		case 68:
			f.Type = reflect.TypeFor[*cover]()
		}
		fields = append(fields, f)
	}
	typ := reflect.StructOf(fields)
	p := plan(t, typ)
	assert.Equal(t, Fields(1<<63), p.Reads([]string{"late"}))
	assert.Equal(t, Fields(1<<63), p.Reads([]string{"F64"}), "a field from 63 on that the view never changes")
	assert.Equal(t, Fields(1<<63|1<<2), p.Reads([]string{"F69", "F2"}))

	b := p.NewBuffers()
	mv := reflect.New(typ)
	m := mv.Elem()
	m.Field(2).Set(reflect.ValueOf([]claim{{Title: "early", Verified: true}}))
	m.Field(66).Set(reflect.ValueOf([]claim{{Title: "x"}, {Title: "y", Verified: true}}))
	m.Field(68).Set(reflect.ValueOf(&cover{Verified: true}))
	m.Field(69).SetInt(69)
	vp, diff := b.Verified(mv.UnsafePointer())
	assert.Equal(t, Fields(1<<63), diff)
	v := reflect.NewAt(typ, vp).Elem()
	assert.Equal(t, []claim{{Title: "y", Verified: true}}, v.Field(66).Interface())
	assert.Equal(t, 69, int(v.Field(69).Int()))

	m.Field(66).Set(reflect.ValueOf([]claim{}))
	m.Field(68).Set(reflect.ValueOf(&cover{}))
	vp, diff = b.Verified(mv.UnsafePointer())
	assert.Equal(t, Fields(1<<63), diff)
	assert.True(t, reflect.NewAt(typ, vp).Elem().Field(68).IsNil())
}

func TestNewUnsupported(t *testing.T) {
	type listOfPointers struct {
		Claims []*claim
	}
	type flaggedByValue struct {
		Cover cover
	}
	type claimsInMap struct {
		Claims map[string]claim
	}
	type deep struct {
		Inner *struct{ Cover *cover }
	}
	type pointerEmbedded struct {
		Claims []struct {
			*check
		}
	}
	for _, typ := range []reflect.Type{
		reflect.TypeFor[listOfPointers](),
		reflect.TypeFor[flaggedByValue](),
		reflect.TypeFor[claimsInMap](),
		reflect.TypeFor[deep](),
		reflect.TypeFor[pointerEmbedded](),
	} {
		_, err := New(typ)
		assert.True(t, errors.Is(err, ErrUnsupported), "%s: %v", typ, err)
	}
	type hidden struct {
		Claims []*claim `expr:"-"`
		claims []*claim
	}
	_, err := New(reflect.TypeFor[hidden]())
	assert.NoError(t, err, "claims rules never see do not matter")
	_, err = New(reflect.TypeFor[int]())
	assert.Error(t, err)
}

// logbook is a section with a flag of its own, in an embedded struct, that
// also holds a list of flagged entries.
type logbook struct {
	Entries []claim `expr:"entries"`
	check
}

type bookModel struct {
	Book *logbook `expr:"book"`
}

func TestFlaggedSectionHoldingAList(t *testing.T) {
	p := plan(t, reflect.TypeFor[bookModel]())
	var names []string
	for _, s := range p.Sections() {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"book", "book.entries"}, names)
	b := p.NewBuffers()
	view := func(m *bookModel) (*bookModel, Fields) {
		v, diff := b.Verified(unsafe.Pointer(m))
		return (*bookModel)(v), diff
	}

	verified := &bookModel{Book: &logbook{Entries: []claim{{Title: "a", Verified: true}}, check: check{Verified: true}}}
	v, diff := view(verified)
	assert.Same(t, verified.Book, v.Book, "all verified: shared")
	assert.Zero(t, diff)

	mixed := &bookModel{Book: &logbook{Entries: []claim{{Title: "a", Verified: true}, {Title: "b"}}, check: check{Verified: true}}}
	v, diff = view(mixed)
	require.NotNil(t, v.Book)
	assert.NotSame(t, mixed.Book, v.Book)
	assert.Equal(t, []claim{{Title: "a", Verified: true}}, v.Book.Entries)
	assert.Len(t, mixed.Book.Entries, 2, "the value itself is untouched")
	assert.Equal(t, bit(0), diff)

	for _, entries := range [][]claim{{{Title: "a", Verified: true}}, {{Title: "b"}}} {
		unverified := &bookModel{Book: &logbook{Entries: entries}}
		v, diff = view(unverified)
		assert.Nil(t, v.Book, "an unverified section is left out, whatever its entries")
		assert.Equal(t, bit(0), diff)
	}

	v, diff = view(&bookModel{})
	assert.Nil(t, v.Book)
	assert.Zero(t, diff)
}
