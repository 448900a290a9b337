package acto

import (
	"encoding/json"
	"time"
)

// The applicant model's types with dates write them, in JSON, as applicant
// documents do: "YYYY-MM-DD", not time.Time's RFC 3339 timestamp. So the
// JSON that encoding/json makes of an Applicant is an applicant document,
// and decodes back to an equal Applicant. Only the dates differ from
// encoding/json's default encoding; each MarshalJSON below shadows its
// type's date fields with documentDate, keeping every other field, tag and
// option (the date keys come last).

// documentDate is a date as an applicant document writes it.
type documentDate time.Time

// dateLayout is how applicant documents write a date.
const dateLayout = time.DateOnly

// MarshalJSON writes a date of the document's form, midnight UTC in years 0
// to 9999, as "YYYY-MM-DD". Any other time.Time keeps its RFC 3339 form:
// it is not a date, so writing its day alone would turn an invalid
// applicant into a valid one; decoded back it is an ErrType at its path.
func (d *documentDate) MarshalJSON() ([]byte, error) {
	t := time.Time(*d)
	y, m, day := t.Date()
	if t.Location() == time.UTC && t.Equal(time.Date(y, m, day, 0, 0, 0, 0, time.UTC)) && y >= 0 && y <= 9999 {
		return []byte(`"` + t.Format(dateLayout) + `"`), nil
	}
	return t.MarshalJSON()
}

// MarshalJSON encodes q as encoding/json does, but for its date, written
// YYYY-MM-DD as in an applicant document.
func (q Qualification) MarshalJSON() ([]byte, error) {
	type fields Qualification // without this method
	return json.Marshal(struct {
		fields
		Awarded *documentDate `json:"awarded,omitempty"`
	}{fields(q), (*documentDate)(q.Awarded)})
}

// MarshalJSON encodes r as encoding/json does, but for its date, written
// YYYY-MM-DD as in an applicant document.
func (r Registration) MarshalJSON() ([]byte, error) {
	type fields Registration
	return json.Marshal(struct {
		fields
		Expires *documentDate `json:"expires,omitempty"`
	}{fields(r), (*documentDate)(r.Expires)})
}

// MarshalJSON encodes i as encoding/json does, but for its date, written
// YYYY-MM-DD as in an applicant document.
func (i Insurance) MarshalJSON() ([]byte, error) {
	type fields Insurance
	return json.Marshal(struct {
		fields
		Expires *documentDate `json:"expires,omitempty"`
	}{fields(i), (*documentDate)(i.Expires)})
}

// MarshalJSON encodes c as encoding/json does, but for its dates, written
// YYYY-MM-DD as in an applicant document.
func (c Course) MarshalJSON() ([]byte, error) {
	type fields Course
	return json.Marshal(struct {
		fields
		Enrolled  *documentDate `json:"enrolled,omitempty"`
		Completed *documentDate `json:"completed,omitempty"`
	}{fields(c), (*documentDate)(c.Enrolled), (*documentDate)(c.Completed)})
}

// MarshalJSON encodes c as encoding/json does, but for its date, written
// YYYY-MM-DD as in an applicant document.
func (c CPD) MarshalJSON() ([]byte, error) {
	type fields CPD
	return json.Marshal(struct {
		fields
		Date *documentDate `json:"date,omitempty"`
	}{fields(c), (*documentDate)(c.Date)})
}

// MarshalJSON encodes p as encoding/json does, but for its dates, written
// YYYY-MM-DD as in an applicant document.
func (p PracticePeriod) MarshalJSON() ([]byte, error) {
	type fields PracticePeriod
	return json.Marshal(struct {
		fields
		From *documentDate `json:"from,omitempty"`
		To   *documentDate `json:"to,omitempty"`
	}{fields(p), (*documentDate)(p.From), (*documentDate)(p.To)})
}

// MarshalJSON encodes c as encoding/json does, but for its date, written
// YYYY-MM-DD as in an applicant document.
func (c CoreNet) MarshalJSON() ([]byte, error) {
	type fields CoreNet
	return json.Marshal(struct {
		fields
		TestPassed *documentDate `json:"testPassed,omitempty"`
	}{fields(c), (*documentDate)(c.TestPassed)})
}

// MarshalJSON encodes m as encoding/json does, but for its date, written
// YYYY-MM-DD as in an applicant document.
func (m ACTOMembership) MarshalJSON() ([]byte, error) {
	type fields ACTOMembership
	return json.Marshal(struct {
		fields
		ProfessionalMemberSince *documentDate `json:"professionalMemberSince,omitempty"`
	}{fields(m), (*documentDate)(m.ProfessionalMemberSince)})
}
