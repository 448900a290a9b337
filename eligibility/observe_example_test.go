package eligibility_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"log/slog"
	"time"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules/acto"
)

// A service logs every decision and every error with log/slog: WithLogger
// writes one record per applicant, here to a buffer, without the time and
// the duration, which vary.
func ExampleWithLogger() {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		},
	}))
	set, err := acto.Rules()
	if err != nil {
		log.Fatal(err)
	}
	engine, err := eligibility.New(set, eligibility.WithLogger(logger))
	if err != nil {
		log.Fatal(err)
	}
	a, err := engine.Decode("app-0042.yaml", []byte(applicantYAML))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	asOf := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	if _, err := engine.Evaluate(ctx, a, eligibility.AsOf(asOf)); err != nil {
		log.Fatal(err)
	}
	_, _ = engine.Evaluate(ctx, a, eligibility.AsOf(time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)))
	fmt.Print(buf.String())
	// Output:
	// level=INFO msg="eligibility decision" applicant=app-0042 asOf=2026-11-23 grantedLevel=member batch=false
	// level=WARN msg="eligibility error" applicant=app-0042 batch=false error="eligibility: rule set acto 2020.10 is in force from 2020-10-06; evaluation date 2019-01-01"
}
