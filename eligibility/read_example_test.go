package eligibility_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/eligo-dev/eligo/eligibility"
	"github.com/eligo-dev/eligo/rules/acto"
)

// An applicant arriving as a request body: the format is the one the caller
// declares, not a file name's; the name is only for errors.
func ExampleReadFor() {
	body := strings.NewReader(`{"id": "app-0042", "cpd": [{"title": "Text work", "hours": 6, "date": "2026-03-01"}]}`)
	a, err := eligibility.ReadFor[acto.Applicant]("request", body, eligibility.JSON)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.ID, a.CPD[0].Hours, a.CPD[0].Date.Format("2006-01-02"))

	// Strict JSON: a comment is YAML, not JSON.
	_, err = eligibility.ReadFor[acto.Applicant]("request", strings.NewReader("{\"id\": \"a-1\"} # note"), eligibility.JSON)
	var ie *eligibility.InputError
	if errors.As(err, &ie) {
		fmt.Println(errors.Is(err, eligibility.ErrSyntax), err)
	}

	// A document larger than MaxDocumentSize is refused without reading it all.
	huge := strings.NewReader(strings.Repeat(" ", eligibility.MaxDocumentSize+1))
	_, err = eligibility.ReadFor[acto.Applicant]("upload", huge, eligibility.YAML)
	fmt.Println(errors.Is(err, eligibility.ErrTooLarge), err)
	// Output:
	// app-0042 6 2026-03-01
	// true request:1:15: data after the JSON value
	// true upload: more than 1048576 bytes, the limit on an applicant document (MaxDocumentSize)
}
