package docdecode

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

// kit holds every kind of field DecodeJSON decodes, and one it does not.
type kit struct {
	S   string         `json:"s"`
	B   bool           `json:"b"`
	PB  *bool          `json:"pb"`
	F   float64        `json:"f"`
	F32 float32        `json:"f32"`
	I   int            `json:"i"`
	I8  int8           `json:"i8"`
	U   uint           `json:"u"`
	U16 uint16         `json:"u16"`
	D   time.Time      `json:"d"`
	PD  *time.Time     `json:"pd"`
	L   []string       `json:"l"`
	LS  []kit          `json:"ls"`
	P   *kit           `json:"p"`
	PP  **int          `json:"pp"`
	LD  []*time.Time   `json:"ld"`
	M   map[string]int `json:"m"` // documents do not decode into it: only null passes
	Dup string         `yaml:"s"` // a second field of key s: the first has it
	Y   string         `yaml:"y" json:"notme"`
	_   string
}

// checkDirect holds DecodeJSON to Decode on data, decoding a kit.
func checkDirect(t *testing.T, data []byte) (ok bool) {
	t.Helper()
	return checkFast[kit](t, data, JSON, "DecodeJSON", DecodeJSON)
}

// checkFast holds fast, DecodeJSON or DecodeYAML, named name, to Decode
// on data in format f, decoding a new *T: what it decodes, Decode decodes
// to the same value, without a problem, and its text is data.
func checkFast[T any](t *testing.T, data []byte, f Format, name string, fast func([]byte, reflect.Value) (string, bool)) (ok bool) {
	t.Helper()
	got := new(T)
	text, ok := fast(data, reflect.ValueOf(got))
	if !ok {
		return false
	}
	d := New(data, f, what, 10)
	defer d.Release()
	docs, _ := d.Documents(true)
	var want *T
	if len(docs) == 1 {
		want = new(T)
		d.Decode(docs[0], reflect.ValueOf(want))
	}
	if p, dropped := d.Problems(); len(p) > 0 || dropped > 0 || want == nil {
		t.Fatalf("%s decoded %q, which Decode finds a problem in: %v", name, data, p)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: %s decoded\n%+v\nDecode\n%+v", data, name, got, want)
	}
	if text != string(data) {
		t.Fatalf("%q: text %q", data, text)
	}
	return true
}

var directCases = []struct {
	doc  string
	fast bool // DecodeJSON takes it
}{
	{`{}`, true},
	{` {"s": "a", "b": true, "pb": false, "f": -0, "f32": 1.5e3, "i": -12, "i8": 127, "u": 18446744073709549568, "u16": 65535} `, true},
	{"{\"d\": \"2024-02-29\", \"pd\": \"1900-01-01\", \"ld\": [\"2001-01-01\", \"2002-02-02\"]}\r\n", true},
	{`{"l": [], "ls": [{"s": "x", "ls": [{"l": ["é", "ü"]}]}, {}], "p": {"p": {"i": 3}}, "pp": 4}`, true},
	{`{"s": null, "pb": null, "l": null, "p": null, "m": null, "d": null, "i": null}`, true},
	{`{"f": 1.0, "i": 2.0, "i8": 1e2, "u": 0}`, true},
	{`{"s": "a,]}\"b"}`, false},                          // an escape: the usual way
	{`{"s": "a"} x`, false},                              // data after the value
	{"{\"s\":\t\"a\"}", false},                           // a tab
	{`{"s": "a", "s": "b"}`, false},                      // a duplicate key
	{`{"x": 1}`, false},                                  // an unknown key
	{`{"notme": "a"}`, false},                            // a yaml tag wins
	{`{"y": "a"}`, true},                                 //
	{`{"m": {}}`, false},                                 // no decoding into a map
	{`{"l": [null]}`, false},                             // a null entry
	{`{"l": ["a",]}`, false},                             // a trailing comma
	{`{"l": ["a" "b"]}`, false},                          //
	{`{"i8": 128}`, false},                               // out of range
	{`{"i": 1.5}`, false},                                // not whole
	{`{"u": -1}`, false},                                 //
	{`{"u16": 1e10}`, false},                             //
	{`{"f32": 1e39}`, false},                             //
	{`{"f": 1e400}`, false},                              // not finite
	{`{"i": 99999999999999999999}`, false},               // too large for an int64
	{`{"f": 99999999999999999999}`, true},                // a float
	{`{"f": 01}`, false},                                 // not JSON
	{`{"d": "2023-02-29"}`, false},                       // no such day
	{`{"d": "2023-2-28"}`, false},                        //
	{`{"s": 1}`, false},                                  // wrong types
	{`{"b": "true"}`, false},                             //
	{`{"d": 20230101}`, false},                           //
	{`{"ls": {}}`, false},                                //
	{`{"p": []}`, false},                                 //
	{`null`, false},                                      // null: Decode says what it wants
	{`[]`, false},                                        //
	{"\ufeff{}", false},                                  // a byte order mark
	{`{"s": "a` + "\u2028" + `"}`, false},                // a line break YAML folds
	{`{"s": "` + string([]byte{0xff}) + `"}`, false},     // not UTF-8
	{`{"ls": [{"ls": [{"ls": [{"ls": [{}]}]}]}]}`, true}, //
}

func TestDecodeJSON(t *testing.T) {
	for _, c := range directCases {
		if ok := checkDirect(t, []byte(c.doc)); ok != c.fast {
			t.Errorf("%q: DecodeJSON took it: %v, want %v", c.doc, ok, c.fast)
		}
	}
	// Nesting deeper than maxDirectDepth goes the usual way.
	deep := ""
	for range maxDirectDepth + 1 {
		deep += `{"p": `
	}
	deep += "{}"
	for range maxDirectDepth + 1 {
		deep += "}"
	}
	if checkDirect(t, []byte(deep)) {
		t.Errorf("DecodeJSON took a document %d deep", maxDirectDepth+2)
	}
}

// TestDecodeJSONAsYAML holds DecodeJSON to Decode of YAML, as decodeSingle
// tries it on a YAML document written as a JSON object: it takes no key
// whose ':' the YAML parser would not take, on a later line or more than
// 1,024 characters on.
func TestDecodeJSONAsYAML(t *testing.T) {
	for _, c := range directCases {
		checkFast[kit](t, []byte(c.doc), YAML, "DecodeJSON", DecodeJSON)
	}
	for _, doc := range []string{
		"{\"s\"\n: \"a\"}", "{\"p\": {\"s\"\r\n:\"a\"}}", "{\"s\"" + strings.Repeat(" ", 1100) + ": \"a\"}",
	} {
		if checkFast[kit](t, []byte(doc), YAML, "DecodeJSON", DecodeJSON) {
			t.Errorf("DecodeJSON took %.40q", doc)
		}
	}
}

// FuzzDecodeJSONAsYAML holds DecodeJSON to Decode of YAML on any input
// that starts as a JSON object.
func FuzzDecodeJSONAsYAML(f *testing.F) {
	for _, c := range directCases {
		f.Add([]byte(c.doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.HasPrefix(bytes.TrimLeft(data, " \r\n"), []byte("{")) {
			checkFast[kit](t, data, YAML, "DecodeJSON", DecodeJSON)
		}
	})
}

// FuzzDecodeJSON holds DecodeJSON to Decode on any input.
func FuzzDecodeJSON(f *testing.F) {
	for _, c := range directCases {
		f.Add([]byte(c.doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDirect(t, data)
	})
}

// parseDate is time.Parse of a date-shaped string: the same dates, the
// same refusals.
func TestParseDate(t *testing.T) {
	for _, y := range []string{"0000", "0001", "1899", "1900", "1904", "2000", "2023", "2024", "2100", "9996", "9999"} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				s := y + "-" + two(m) + "-" + two(d)
				want, err := time.Parse(DateLayout, s)
				got, ok := parseDate(s)
				if ok != (err == nil) || got != want {
					t.Errorf("parseDate(%q) = %v, %v; time.Parse: %v, %v", s, got, ok, want, err)
				}
			}
		}
	}
	for _, s := range []string{"2024-99-99", "2024-02-30", "0000-02-29", "2024-02-29"} {
		want, err := time.Parse(DateLayout, s)
		if got, ok := parseDate(s); ok != (err == nil) || got != want {
			t.Errorf("parseDate(%q) = %v, %v; time.Parse: %v, %v", s, got, ok, want, err)
		}
	}
}

func two(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
