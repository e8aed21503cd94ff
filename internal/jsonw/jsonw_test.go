package jsonw

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"
)

// std is the reference: encoding/json without HTML escaping, as the mock used to answer.
func std(t testing.TB, v any) ([]byte, error) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

type record map[string]any

type list []record

func TestMarshalMatchesEncodingJSON(t *testing.T) {
	when := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	cases := map[string]any{
		"null":          nil,
		"true":          true,
		"string":        "plain",
		"escapes":       "quote\" backslash\\ nl\n cr\r tab\t bell\a bs\b ff\f nul\x00 \x1f",
		"html":          "<b>Tom & Jerry</b>",
		"bad utf8":      "a\xffb\xc3",
		"line sep":      "a\u2028b\u2029c",
		"unicode":       "Zoë 🦷 Ω",
		"ints":          []any{int(-3), int64(1) << 60, int32(-7), uint64(math.MaxUint64)},
		"floats":        []any{0.0, -0.0, 1.5, 1e20, 1e21, 1e-6, 1e-7, 123456789.125, -2.5e-10, float32(0.1), float32(1e22)},
		"number":        json.Number("12.50"),
		"nested":        map[string]any{"b": []any{map[string]any{"z": 1.0, "a": nil}}, "a": map[string]any{}, "": "empty key"},
		"nil map":       map[string]any(nil),
		"nil slice":     []any(nil),
		"strings":       []string{"x", "<y>"},
		"named map":     record{"id": 1.0, "name": "Ann"},
		"named list":    list{{"b": 2.0, "a": 1.0}, nil},
		"time":          when,
		"marshaler map": map[string]any{"at": when, "n": json.Number("1e3")},
		"struct":        struct{ A string }{"<x>"},
		"bytes":         []byte("hi"),
		"keys sorted":   map[string]any{"b": 1.0, "a": 2.0, "B": 3.0, "aa": 4.0, "é": 5.0},
	}
	for name, v := range cases {
		t.Run(name, func(t *testing.T) {
			want, err := std(t, v)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Marshal(v)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

func TestMarshalErrors(t *testing.T) {
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	for name, v := range map[string]any{
		"NaN":        math.NaN(),
		"Inf":        []any{math.Inf(1)},
		"bad number": json.Number("1.2.3"),
		"cycle":      cyclic,
		"channel":    map[string]any{"c": make(chan int)},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Marshal(v); err == nil {
				t.Errorf("Marshal(%s) succeeded; want an error", name)
			}
		})
	}
}

func TestIsValidNumber(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "-12.5", "1e3", "1E+3", "2.5e-7", "0.0"} {
		if !isValidNumber(s) {
			t.Errorf("isValidNumber(%q) = false", s)
		}
	}
	for _, s := range []string{"", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1.2.3", "0x10", "1 "} {
		if isValidNumber(s) {
			t.Errorf("isValidNumber(%q) = true", s)
		}
	}
}

// FuzzMarshal: any JSON document, decoded as the mock decodes bodies (and with numbers kept as
// json.Number), encodes exactly as encoding/json encodes it.
func FuzzMarshal(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":[true,null,"x"]}`, `"\u2028<&>"`, `[1e21,1e-7,-0.0]`, `{"":{"":{}}}`, `"\ud800"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, useNumber := range []bool{false, true} {
			dec := json.NewDecoder(bytes.NewReader(data))
			if useNumber {
				dec.UseNumber()
			}
			var v any
			if dec.Decode(&v) != nil {
				return
			}
			want, err := std(t, v)
			if err != nil {
				t.Skip()
			}
			got, err := Marshal(v)
			if err != nil {
				t.Fatalf("Marshal: %v (encoding/json: %s)", err, want)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
		}
	})
}

func BenchmarkMarshalRecords(b *testing.B) {
	rec := map[string]any{}
	for i, k := range []string{"PatNum", "LName", "FName", "MiddleI", "Preferred", "PatStatus", "Gender", "Position", "Birthdate", "SSN", "Address", "Address2", "City", "State", "Zip", "HmPhone", "WkPhone", "WirelessPhone", "Email", "ChartNumber"} {
		if i%3 == 0 {
			rec[k] = float64(i * 1000)
		} else {
			rec[k] = "value of " + k
		}
	}
	page := make([]any, 20)
	for i := range page {
		page[i] = rec
	}
	b.Run("jsonw", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 16<<10)
		for b.Loop() {
			buf, _ = Append(buf[:0], page)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = std(b, page)
		}
	})
}

type projected struct {
	m    map[string]any
	keys Keys
}

func (p projected) AppendJSON(dst []byte) ([]byte, error) { return AppendObject(dst, p.m, p.keys) }

func TestAppendObjectIsMarshalOfTheSubset(t *testing.T) {
	m := map[string]any{"a": 1.0, "b": []any{"x", map[string]any{"z": true, "y": nil}}, "c": "<c>", "secret": "pw"}
	keys := NewKeys([]string{"a", "b", "c", "missing", "\u2028\"q\""})
	got, err := Marshal([]any{projected{m, keys}, projected{map[string]any{}, keys}})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := std(t, []any{map[string]any{"a": 1.0, "b": m["b"], "c": "<c>"}, map[string]any{}})
	if !bytes.Equal(got, want) {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// plain8 must agree with the byte loop for every byte value at every position, next to plain
// bytes and next to bytes that borrow in the subtraction.
func TestPlain8(t *testing.T) {
	plain := func(b byte) bool { return b >= 0x20 && b < 0x80 && b != '"' && b != '\\' }
	for _, fill := range []byte{'a', 0x20, 0x21, 0x7f, '"' + 1, '\\' + 1} {
		for pos := 0; pos < 8; pos++ {
			for v := 0; v < 256; v++ {
				var x uint64
				for i := 0; i < 8; i++ {
					b := fill
					if i == pos {
						b = byte(v)
					}
					x |= uint64(b) << (8 * i)
				}
				if got, want := plain8(x), plain(byte(v)) && plain(fill); got != want {
					t.Fatalf("plain8 fill %#x, byte %#x at %d: got %v, want %v", fill, v, pos, got, want)
				}
			}
		}
	}
}
