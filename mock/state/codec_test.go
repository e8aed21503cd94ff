package state

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// encodeValue and decodeValue encode one value on its own.
func encodeValue(v any) (string, []any) {
	e := &encoder{}
	e.value(v, 0)
	return string(e.buf), e.other
}

func decodeValue(t testing.TB, d string, other []any) any {
	t.Helper()
	v, end := decodeAt(d, 0, other)
	if end != len(d) {
		t.Fatalf("decoded %d of %d bytes", end, len(d))
	}
	if skip(d, 0) != len(d) {
		t.Fatalf("skip stops at %d of %d bytes", skip(d, 0), len(d))
	}
	return v
}

type custom struct{ A int }

// codecValues are values of every kind the codec encodes, and some it keeps as they are.
func codecValues() map[string]any {
	deep := any("bottom")
	for range maxEncodeDepth + 5 {
		deep = []any{deep}
	}
	return map[string]any{
		"nil": nil, "true": true, "false": false,
		"int64 0": int64(0), "int64 63": int64(63), "int64 64": int64(64), "int64 -1": int64(-1),
		"int64 min": int64(math.MinInt64), "int64 max": int64(math.MaxInt64),
		"int": 7, "int min": math.MinInt, "int max": math.MaxInt,
		"int32": int32(math.MinInt32), "int16": int16(-300), "int8": int8(-128),
		"uint64 max": uint64(math.MaxUint64), "uint": uint(12), "uint32": uint32(math.MaxUint32),
		"uint16": uint16(65535), "uint8": uint8(255),
		"float64": 1167.72, "float64 0": 0.0, "float64 -0": math.Copysign(0, -1),
		"float64 max": math.MaxFloat64, "float64 tiny": math.SmallestNonzeroFloat64, "float64 inf": math.Inf(-1),
		"float64 1e21": 1e21, "float32": float32(0.1),
		"number": json.Number("12.50"), "number empty": json.Number(""),
		"string empty": "", "string 127": strings.Repeat("a", 127), "string 128": strings.Repeat("b", 128),
		"string long": strings.Repeat("long", 20000), "unicode": "héllo 世界 🦷\u2028", "invalid utf8": "\xff\xfe",
		"nul":         "a\x00b",
		"array empty": []any{}, "array nil": []any(nil), "object empty": map[string]any{},
		"object nil":     map[string]any(nil),
		"array":          []any{int64(1), "two", 3.5, nil, true, []any{}, map[string]any{"k": "v"}},
		"object":         map[string]any{"b": int64(2), "a": "x", "": "empty key", "nested": map[string]any{"c": []any{int64(-9)}}},
		"keys with dots": map[string]any{"a.b": "dotted", "z": nil},
		"other slice":    []string{"a", "b"}, "other map": map[string]string{"k": "v"},
		"other struct": custom{A: 1}, "other time": time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		"other pointer": &custom{A: 2}, "other nested": []any{map[string]any{"s": []int{1, 2}}},
		"deep": deep,
	}
}

func TestCodec_RoundTrip(t *testing.T) {
	for name, v := range codecValues() {
		t.Run(name, func(t *testing.T) {
			d, other := encodeValue(v)
			got := decodeValue(t, d, other)
			if !reflect.DeepEqual(got, v) {
				t.Fatalf("decoded %#v, want %#v", got, v)
			}
			if f, ok := v.(float64); ok && math.Float64bits(f) != math.Float64bits(got.(float64)) {
				t.Fatalf("decoded float bits %x, want %x", math.Float64bits(got.(float64)), math.Float64bits(f))
			}
			// the encoding is canonical: encoding the decoded value gives the same bytes
			if again, _ := encodeValue(got); again != d {
				t.Fatalf("encoding the decoded value differs:\n%q\n%q", again, d)
			}
		})
	}
}

func TestCodec_Compact(t *testing.T) {
	for _, tc := range []struct {
		v    any
		size int
	}{
		{nil, 1}, {true, 1}, {int64(5), 1}, {int64(64), 3}, {int64(-1), 2}, {int64(1235), 3},
		{"", 1}, {"Ann", 4}, {strings.Repeat("x", 127), 128}, {strings.Repeat("x", 128), 131},
		{1167.72, 9}, {[]any{}, 3}, {map[string]any{"a": "b"}, 7},
	} {
		if d, _ := encodeValue(tc.v); len(d) != tc.size {
			t.Errorf("encoding of %#v is %d bytes, want %d", tc.v, len(d), tc.size)
		}
	}
}

// TestCodec_OtherKeptAsIs: values the codec does not encode come back as the same value.
func TestCodec_OtherKeptAsIs(t *testing.T) {
	p := &custom{A: 1}
	d, other := encodeValue(map[string]any{"p": p})
	got := decodeValue(t, d, other).(map[string]any)
	if got["p"] != p {
		t.Fatalf("pointer %p came back as %p", p, got["p"])
	}
	cyclic := map[string]any{"a": "b"}
	cyclic["self"] = cyclic
	d, other = encodeValue(cyclic)
	if got := decodeValue(t, d, other); !reflect.DeepEqual(got, cyclic) {
		t.Fatal("a cyclic map does not round-trip")
	}
}
