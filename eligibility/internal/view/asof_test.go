package view

import (
	"reflect"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The as-of test model: every place an event date may stand.

type dated struct {
	Since  *time.Time    `expr:"since" eligo:"event"`
	Course []eventCourse `expr:"course"`
	Office *office       `expr:"office"`
	Log    *eventLog     `expr:"log"`
	Plain  []claim       `expr:"plain"` // no event dates: never copied
	Ends   *time.Time    `expr:"ends"`  // an expiry: no tag
}

type eventCourse struct {
	Name     string     `expr:"name"`
	Began    *time.Time `expr:"began" eligo:"start"`
	Done     *time.Time `expr:"done" eligo:"event"`
	Verified bool       `expr:"verified"`
}

type office struct {
	Opened *time.Time `expr:"opened" eligo:"start"`
	Moved  *time.Time `expr:"moved" eligo:"event"`
}

type eventLog struct {
	Hours   int
	Periods []period `expr:"periods"`
}

type period struct {
	From *time.Time `expr:"from" eligo:"start"`
	To   *time.Time `expr:"to" eligo:"event"`
}

var asOf = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func on(s string) *time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func newDated(t *testing.T) (*Events, *EventBuffers) {
	t.Helper()
	p, err := NewEvents(typeOf[dated]())
	require.NoError(t, err)
	require.NotNil(t, p)
	return p, p.NewBuffers()
}

// TestAsOfNothingLater: with nothing dated after asOf the view is the
// value itself, uncopied, whatever lies ahead untagged.
func TestAsOfNothingLater(t *testing.T) {
	_, b := newDated(t)
	v := &dated{
		Since:  on("2026-11-23"),
		Course: []eventCourse{{Began: on("2020-01-01"), Done: on("2026-11-23")}},
		Office: &office{Opened: on("2020-01-01")},
		Log:    &eventLog{Periods: []period{{From: on("2021-01-01")}}},
		Ends:   on("2099-01-01"),
	}
	got, left := b.AsOf(unsafe.Pointer(v), asOf)
	assert.Equal(t, unsafe.Pointer(v), got)
	assert.Empty(t, left)
	// A time of day on a later date is later; one on asOf's date is not.
	late := time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC)
	v.Since = &late
	got, _ = b.AsOf(unsafe.Pointer(v), asOf)
	assert.Equal(t, unsafe.Pointer(v), got)
	v.Since = on("2026-11-24")
	got, _ = b.AsOf(unsafe.Pointer(v), asOf)
	assert.NotEqual(t, unsafe.Pointer(v), got)
}

// TestAsOfLeavesOut: entries and sections starting later go, later event
// dates are nil, in a copy; the value is unchanged; what went is listed
// in document order, entries by their places in the value.
func TestAsOfLeavesOut(t *testing.T) {
	_, b := newDated(t)
	plain := []claim{{Title: "p"}}
	v := &dated{
		Since: on("2027-01-01"),
		Course: []eventCourse{
			{Name: "a", Began: on("2026-12-01"), Done: on("2027-01-01")},
			{Name: "b", Began: on("2025-01-01"), Done: on("2026-12-24"), Verified: true},
			{Name: "c", Began: on("2025-01-01"), Done: on("2026-01-01")},
		},
		Office: &office{Opened: on("2026-12-01"), Moved: on("2026-12-02")},
		Log:    &eventLog{Hours: 7, Periods: []period{{From: on("2026-11-24")}, {From: on("2026-01-01"), To: on("2026-12-31")}}},
		Plain:  plain,
	}
	orig := *v
	course0, log0 := v.Course[0], *v.Log
	got, left := b.AsOf(unsafe.Pointer(v), asOf)
	w := (*dated)(got)
	require.NotEqual(t, unsafe.Pointer(v), got)

	assert.Nil(t, w.Since)
	require.Len(t, w.Course, 2)
	assert.Equal(t, "b", w.Course[0].Name)
	assert.Nil(t, w.Course[0].Done)
	assert.True(t, w.Course[0].Verified)
	assert.Equal(t, v.Course[2], w.Course[1])
	assert.Nil(t, w.Office)
	require.NotNil(t, w.Log)
	assert.NotSame(t, v.Log, w.Log)
	assert.Equal(t, 7, w.Log.Hours)
	require.Len(t, w.Log.Periods, 1)
	assert.Nil(t, w.Log.Periods[0].To)
	assert.Equal(t, v.Log.Periods[1].From, w.Log.Periods[0].From)
	assert.Same(t, &plain[0], &w.Plain[0], "a list without event dates is shared")

	assert.Equal(t, orig, *v, "the value is unchanged")
	assert.Equal(t, course0, v.Course[0])
	assert.Equal(t, log0, *v.Log)
	assert.NotNil(t, v.Course[1].Done)
	assert.NotNil(t, v.Log.Periods[1].To)

	type row struct {
		Path, Field, Date string
		Start             bool
	}
	var rows []row
	for _, l := range left {
		rows = append(rows, row{l.Path, l.Field, l.Date.Format(time.DateOnly), l.Start})
	}
	assert.Equal(t, []row{
		{"", "since", "2027-01-01", false},
		{"course[0]", "began", "2026-12-01", true},
		{"course[1]", "done", "2026-12-24", false},
		{"office", "opened", "2026-12-01", true},
		{"log.periods[0]", "from", "2026-11-24", true},
		{"log.periods[1]", "to", "2026-12-31", false},
	}, rows)

	// Rules number the entries kept afresh; Renumber names them by their
	// places in the value.
	for path, want := range map[string]string{
		"course[0]": "course[1]", "course[1]": "course[2]", "log.periods[0]": "log.periods[1]",
		"plain[0]": "plain[0]", "course": "course", "course[9]": "course[9]", "office": "office",
	} {
		assert.Equal(t, want, b.Renumber(path), path)
	}

	// Every entry starting later: the list stays given, with none.
	v2 := &dated{Course: []eventCourse{{Began: on("2027-01-01")}}}
	got, _ = b.AsOf(unsafe.Pointer(v2), asOf)
	assert.NotNil(t, (*dated)(got).Course)
	assert.Empty(t, (*dated)(got).Course)
	b.AsOf(unsafe.Pointer(&dated{}), asOf)
	assert.Equal(t, "course[0]", b.Renumber("course[0]"), "a view that left nothing out renumbers nothing")
	runtime.KeepAlive(v)
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

// TestNewEvents: no tags, no plan; misplaced tags are errors.
func TestNewEvents(t *testing.T) {
	p, err := NewEvents(typeOf[struct{ Plain []claim }]())
	assert.NoError(t, err)
	assert.Nil(t, p)
	for name, typ := range map[string]reflect.Type{
		"not a pointer": typeOf[struct {
			At time.Time `eligo:"event"`
		}](),
		"a top-level start": typeOf[struct {
			At *time.Time `eligo:"start"`
		}](),
		"a section in a section": typeOf[struct {
			S *struct{ T *office }
		}](),
		"a list in a list": typeOf[struct {
			L []struct{ P []period }
		}](),
		"a list of pointers": typeOf[struct{ L []*period }](),
		"in a map":           typeOf[struct{ M map[string]period }](),
	} {
		_, err := NewEvents(typ)
		assert.Error(t, err, name)
	}
}
