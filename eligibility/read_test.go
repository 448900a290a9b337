package eligibility

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The format read is the one given, whatever the name says: the name is for
// errors only.
func TestReadApplicantFormatNotName(t *testing.T) {
	yamlOnly := `{'id': 'x-3'}` // single quotes: YAML, not JSON
	_, err := readApplicant("a.yaml", strings.NewReader(yamlOnly), JSON)
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	require.Len(t, ie.Errors, 1)
	assert.ErrorIs(t, ie.Errors[0], ErrSyntax)
	assert.Equal(t, `a.yaml:1:2: invalid character '\'' looking for beginning of object key string`, err.Error())

	a, err := readApplicant("a.json", strings.NewReader(yamlOnly), YAML)
	require.NoError(t, err)
	assert.Equal(t, "x-3", a.ID)

	as, err := readApplicants("batch", strings.NewReader("id: a-1\n---\nid: b-1\n"), YAML)
	require.NoError(t, err)
	require.Len(t, as, 2)
	assert.Equal(t, "b-1", as[1].ID)
	_, err = readApplicants("batch", strings.NewReader("[{\"id\": \"a-1\"},]"), JSON)
	assert.ErrorIs(t, err, ErrSyntax, "a trailing comma is not JSON")
}

// Reading a file gives what decoding its bytes gives, positions included.
func TestReadApplicantAsDecodeApplicant(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "applicants", "*.*"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		want, wantErr := decodeApplicant(file, data)
		got, gotErr := readApplicant(file, iotest.OneByteReader(bytes.NewReader(data)), formatOf(file))
		if wantErr != nil {
			assert.Equal(t, wantErr, gotErr, file)
			continue
		}
		require.NoError(t, gotErr, file)
		assert.Equal(t, want, got, file) // at, the positions, included
	}
}

// countingReader yields an endless document of spaces, counting the bytes read.
type countingReader struct{ n int }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	r.n += len(p)
	return len(p), nil
}

func TestReadApplicantSizeLimit(t *testing.T) {
	doc := []byte(`{"id": "a-1"}`)
	atLimit := append(bytes.Repeat([]byte(" "), MaxDocumentSize-len(doc)), doc...)
	for _, f := range []Format{YAML, JSON} {
		a, err := readApplicant("at-limit", bytes.NewReader(atLimit), f)
		require.NoError(t, err, "exactly MaxDocumentSize bytes are read (%v)", f)
		assert.Equal(t, "a-1", a.ID)
	}

	over := append([]byte(" "), atLimit...)
	for _, read := range []func(io.Reader) error{
		func(r io.Reader) error { _, err := readApplicant("over", r, YAML); return err },
		func(r io.Reader) error { _, err := readApplicants("over", r, JSON); return err },
	} {
		err := read(bytes.NewReader(over))
		var ie *InputError
		require.ErrorAs(t, err, &ie)
		require.Len(t, ie.Errors, 1)
		assert.ErrorIs(t, err, ErrTooLarge)
		assert.NotErrorIs(t, err, ErrSyntax)
		assert.Equal(t, "over: more than 1048576 bytes, the limit on an applicant document (MaxDocumentSize)", err.Error())
	}

	// An endless input is read no further than one byte past the limit
	// (io.LimitReader hands the reader at most what is left).
	endless := &countingReader{}
	_, err := readApplicant("endless", endless, YAML)
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.Equal(t, MaxDocumentSize+1, endless.n)
}

func TestReadApplicantErrors(t *testing.T) {
	t.Run("a format that is neither YAML nor JSON, before reading", func(t *testing.T) {
		for _, f := range []Format{0, JSON + 1, -1} {
			r := &countingReader{}
			a, err := readApplicant("x", r, f)
			assert.Nil(t, a)
			require.Error(t, err)
			assert.Contains(t, err.Error(), f.String()+" is not a format of applicant documents")
			var ie *InputError
			assert.False(t, errors.As(err, &ie), "not the document's fault")
			assert.Zero(t, r.n, "read")
			_, err = readApplicants("x", r, f)
			assert.Error(t, err)
		}
	})
	t.Run("the reader fails: its error, wrapped, not an InputError", func(t *testing.T) {
		boom := errors.New("boom")
		_, err := readApplicant("x.yaml", io.MultiReader(strings.NewReader("id: a"), iotest.ErrReader(boom)), YAML)
		assert.ErrorIs(t, err, boom)
		assert.Equal(t, "eligibility: reading x.yaml: boom", err.Error())
		var ie *InputError
		assert.False(t, errors.As(err, &ie))
	})
	t.Run("a nil reader", func(t *testing.T) {
		_, err := readApplicant("x", nil, YAML)
		assert.EqualError(t, err, "eligibility: reading x: nil io.Reader")
	})
	t.Run("an empty input", func(t *testing.T) {
		_, err := readApplicant("x", strings.NewReader(""), JSON)
		assert.ErrorIs(t, err, ErrSyntax)
	})
}

func TestFormatString(t *testing.T) {
	assert.Equal(t, []string{"Format(0)", "YAML", "JSON", "Format(3)"},
		[]string{Format(0).String(), YAML.String(), JSON.String(), Format(3).String()})
}
