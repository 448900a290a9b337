//go:build unix

package main

import (
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunRefusesSpecialFiles: a named pipe, a device and a socket given as
// applicant documents, directly or in a directory, are refused at once with
// an error naming the file and what it is, exit status 1, and the other
// documents are decided. eligo never waits on a pipe with no writer nor
// reads /dev/zero without end.
func TestRunRefusesSpecialFiles(t *testing.T) {
	fifo := func(t *testing.T) string {
		path := filepath.Join(t.TempDir(), "pipe.yaml")
		require.NoError(t, syscall.Mkfifo(path, 0o600))
		return path
	}
	for _, tc := range []struct {
		why  string
		make func(t *testing.T) (path string)
		arg  func(path string) string // the argument naming it; the path itself when nil
		kind string
	}{
		{"a named pipe with no writer", fifo, nil, "a named pipe (FIFO)"},
		{"a named pipe in a directory", fifo, filepath.Dir, "a named pipe (FIFO)"},
		{"/dev/zero, a device without end", func(t *testing.T) string {
			if _, err := os.Stat("/dev/zero"); err != nil {
				t.Skip("no /dev/zero")
			}
			return "/dev/zero"
		}, nil, "a device"},
		{"a socket", func(t *testing.T) string {
			dir, err := os.MkdirTemp("", "sock") // short: socket paths are limited to about 100 bytes
			require.NoError(t, err)
			t.Cleanup(func() { os.RemoveAll(dir) })
			path := filepath.Join(dir, "s.yaml")
			l, err := net.Listen("unix", path)
			require.NoError(t, err)
			t.Cleanup(func() { l.Close() })
			return path
		}, nil, "a socket"},
	} {
		t.Run(tc.why, func(t *testing.T) {
			path := tc.make(t)
			arg := path
			if tc.arg != nil {
				arg = tc.arg(path)
			}
			for _, format := range []string{"text", "json"} {
				status, stdout, stderr := runCLIWithin(t, 20*time.Second, "-as-of", fixtureAsOf, "-format", format, reports(format), goodDoc, arg, otherDoc)
				assert.Equal(t, 1, status)
				assert.Equal(t, path+": "+tc.kind+", not a regular file: applicant documents are read from regular files only\n", stderr)
				if format == "json" {
					requireDecided(t, stdout, "app-1001", "app-1015")
				} else {
					assert.Contains(t, stdout, "Applicant app-1001:")
					assert.Contains(t, stdout, "Applicant app-1015:")
				}
			}
		})
	}
}
