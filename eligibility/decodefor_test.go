package eligibility

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ownDoc is a valid document of the coaching model (owntype_test.go),
// tagged for JSON alone: its keys are its json tags.
const ownDoc = `ref: m1
sessions:
  - {client: Acme, hours: 30, verified: true}
mentoring:
  - {mentee: Dee, months: 14, verified: true}
cover: {expires: 2027-01-01, verified: true}
sanctions: []
checked: 2025-02-01
joined: 2020-01-01
`

func TestDecodeForOwnType(t *testing.T) {
	m, err := DecodeFor[ownMember]("m1.yaml", []byte(ownDoc))
	require.NoError(t, err)
	assert.Equal(t, ownFull("m1"), m, "the document decodes to the value written in Go")

	d, err := ownEngine(t).Evaluate(context.Background(), m, AsOf(ownAsOf))
	require.NoError(t, err)
	assert.Equal(t, "master", d.Level)
}

// Problems validation finds in a decoded T carry the document's
// positions, as they do for a decoded Applicant: from the tags and from
// the type's Validate method alike.
func TestDecodeForPositionsReachValidation(t *testing.T) {
	doc := strings.Replace(ownDoc, "hours: 30", "hours: -3", 1)
	doc = strings.Replace(doc, "checked: 2025-02-01", "checked: 2019-02-01", 1)
	m, err := DecodeFor[ownMember]("m1.yaml", []byte(doc))
	require.NoError(t, err)
	e := ownEngine(t)
	for _, err := range []error{
		e.Validate(m, ownAsOf),
		func() error { _, err := e.Evaluate(context.Background(), m, AsOf(ownAsOf)); return err }(),
	} {
		var in *InputError
		require.ErrorAs(t, err, &in)
		require.Len(t, in.Errors, 2, "%v", err)
		assert.Equal(t, FieldError{Path: "sessions[0].hours", Line: 3, Column: 27, Err: ErrInvalid, Msg: "must be at least 0, got -3"}, *in.Errors[0])
		assert.Equal(t, FieldError{Path: "checked", Line: 8, Column: 10, Err: ErrInvalid, Msg: "before joined"}, *in.Errors[1])
	}

	// A value built in Go, not decoded, has no positions.
	err = e.Validate(&ownMember{Ref: "x", Sessions: []ownSession{{Hours: -1}}}, ownAsOf)
	var in *InputError
	require.ErrorAs(t, err, &in)
	assert.Zero(t, in.Errors[0].Line)
}

// Decoding a T is as strict as decoding an Applicant, and says where.
func TestDecodeForErrors(t *testing.T) {
	for _, tc := range []struct {
		why, doc, path string
		line, col      int
		kind           error
		msg            string
	}{
		{"unknown key, with the near one", "ref: a\nsesions: []\n", "sesions", 2, 1, ErrUnknownField, `did you mean "sessions"?`},
		{"wrong type", "ref: a\nsessions: {}\n", "sessions", 2, 11, ErrType, "want a list"},
		{"octal number", "ref: a\nmentoring: [{months: 012}]\n", "mentoring[0].months", 2, 22, ErrType, "leading zero"},
		{"not a date", "ref: a\njoined: 1/2/2020\n", "joined", 2, 9, ErrType, "YYYY-MM-DD"},
		{"not a whole number", "ref: a\nmentoring: [{months: 1.5}]\n", "mentoring[0].months", 2, 22, ErrType, "whole number"},
		{"unquoted number as text", "ref: 12\n", "ref", 1, 6, ErrType, "quote it"},
		{"empty", "", "", 1, 1, ErrSyntax, "empty document"},
	} {
		t.Run(tc.why, func(t *testing.T) {
			m, err := DecodeFor[ownMember]("m.yaml", []byte(tc.doc))
			assert.Nil(t, m)
			var in *InputError
			require.ErrorAs(t, err, &in)
			require.NotEmpty(t, in.Errors)
			fe := in.Errors[0]
			assert.Equal(t, tc.path, fe.Path)
			assert.Equal(t, [2]int{tc.line, tc.col}, [2]int{fe.Line, fe.Column})
			assert.ErrorIs(t, fe, tc.kind)
			assert.Contains(t, fe.Msg, tc.msg)
		})
	}
	t.Run("strict JSON by the name", func(t *testing.T) {
		_, err := DecodeFor[ownMember]("m.json", []byte(`{"ref": "a",}`))
		assert.ErrorIs(t, err, ErrSyntax)
	})
}

func TestDecodeAllFor(t *testing.T) {
	ms, err := DecodeAllFor[ownMember]("ms.yaml", []byte("ref: a\n---\nref: b\n"))
	require.NoError(t, err)
	require.Len(t, ms, 2)
	assert.Equal(t, "b", ms[1].Ref)

	_, err = DecodeAllFor[ownMember]("ms.yaml", []byte("- ref: a\n- ref: a\n"))
	var in *InputError
	require.ErrorAs(t, err, &in)
	assert.Equal(t, "[1].ref", in.Errors[0].Path, "the id is the eligo:\"id\" field, by its document key")
	assert.Equal(t, 2, in.Errors[0].Line)
	assert.Contains(t, in.Errors[0].Msg, "[0].ref has it already")

	// Positions of a batch entry are the entry's own.
	ms, err = DecodeAllFor[ownMember]("ms.yaml", []byte("- ref: a\n- ref: b\n  sessions: [{hours: -1}]\n"))
	require.NoError(t, err)
	err = ownEngine(t).Validate(ms[1], ownAsOf)
	require.ErrorAs(t, err, &in)
	assert.Equal(t, [2]int{3, 22}, [2]int{in.Errors[0].Line, in.Errors[0].Column}, "%v", err)
}

func TestReadFor(t *testing.T) {
	m, err := ReadFor[ownMember]("m1", strings.NewReader(`{"ref": "m1"}`), JSON)
	require.NoError(t, err)
	assert.Equal(t, "m1", m.Ref)

	ms, err := ReadAllFor[ownMember]("ms", strings.NewReader(`[{"ref": "a"}, {"ref": "b"}]`), JSON)
	require.NoError(t, err)
	assert.Len(t, ms, 2)

	_, err = ReadFor[ownMember]("big", strings.NewReader(strings.Repeat(" ", MaxDocumentSize+1)), YAML)
	assert.ErrorIs(t, err, ErrTooLarge)
	_, err = ReadFor[ownMember]("m", strings.NewReader("ref: a"), Format(0))
	assert.ErrorContains(t, err, "not a format")
	_, err = ReadAllFor[ownMember]("m", nil, YAML)
	assert.ErrorContains(t, err, "nil io.Reader")
}

func TestDecodeForRefusesUndecodableTypes(t *testing.T) {
	type withMap struct {
		Ref   string         `json:"ref"`
		Extra map[string]int `json:"extra"`
	}
	_, err := DecodeFor[withMap]("m.yaml", []byte("ref: a\n"))
	assert.ErrorIs(t, err, ErrModel)
	assert.ErrorContains(t, err, "Extra")
	_, err = ReadAllFor[int]("m.yaml", strings.NewReader("1"), YAML)
	assert.ErrorIs(t, err, ErrModel)
}

// The side table holds no value alive: an entry goes once its value is
// collected.
func TestDecodedPositionsAreWeak(t *testing.T) {
	m, err := DecodeFor[ownMember]("m1.yaml", []byte(ownDoc))
	require.NoError(t, err)
	require.NotNil(t, positionsAt(unsafe.Pointer(m)))
	key := weak.Make((*byte)(unsafe.Pointer(m)))
	held := func() bool {
		decodedPositions.Lock()
		defer decodedPositions.Unlock()
		_, ok := decodedPositions.m[key]
		return ok
	}
	require.True(t, held())
	m = nil
	_ = m
	deadline := time.Now().Add(5 * time.Second)
	for held() && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	assert.False(t, held(), "the entry outlived its value")
}

// Decoding and validating from many goroutines at once shares only the
// side table, which keeps each value's positions its own.
func TestDecodeForConcurrent(t *testing.T) {
	e := ownEngine(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			for range 50 {
				doc := strings.Repeat("\n", i) + "ref: a\nsessions: [{hours: -1}]\n"
				m, err := DecodeFor[ownMember]("m.yaml", []byte(doc))
				if err != nil {
					errs[i] = err
					return
				}
				var in *InputError
				if !errors.As(e.Validate(m, ownAsOf), &in) || in.Errors[0].Line != i+2 {
					errs[i] = fmt.Errorf("goroutine %d: got %v", i, in)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
}
