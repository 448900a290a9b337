package main

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/eligibility/eligibilitytest"
)

// TestInvalidFixturesExactPaths holds the invalid documents to a stricter
// standard than eligibilitytest, which only asks that the wanted paths be
// among those reported: here the reported paths must be exactly the wanted
// ones, so that a fault is neither missed nor reported at a wrong path, and
// valid fields beside the faulty ones are left alone.
func TestInvalidFixturesExactPaths(t *testing.T) {
	engine, err := eligibility.Default()
	require.NoError(t, err)
	fixtures, err := eligibilitytest.Load("../applicants-invalid")
	require.NoError(t, err)
	for _, f := range fixtures {
		t.Run(f.Name, func(t *testing.T) {
			require.NotNil(t, f.Want.Invalid, "%s: every fixture here must name its invalid paths", f.WantPath)
			asOf, err := time.Parse(time.DateOnly, f.Want.AsOf)
			require.NoError(t, err)
			data, err := os.ReadFile(f.Path)
			require.NoError(t, err)
			a, err := engine.Decode(f.Path, data)
			if err == nil {
				_, err = engine.Evaluate(context.Background(), a, eligibility.AsOf(asOf))
			}
			var in *eligibility.InputError
			require.True(t, errors.As(err, &in), "want an *InputError, got %v", err)
			paths := make([]string, 0, len(in.Errors))
			for _, fe := range in.Errors {
				paths = append(paths, fe.Path)
			}
			assert.ElementsMatch(t, f.Want.Invalid, paths, "errors:\n%v", err)
			assert.Zero(t, in.Dropped)
		})
	}
}
