package state

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// encodeValue and decodeValue encode one value on its own.
func encodeValue(v any) (string, *shape) {
	e := &encoder{}
	e.value(v, 0)
	return string(e.buf), &shape{other: e.other}
}

func decodeValue(t testing.TB, d string, sh *shape) any {
	t.Helper()
	v, end := decodeAt(d, 0, sh)
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

// randomValue makes a JSON-like value of Go types records hold.
func randomValue(r *rand.Rand, depth int) any {
	n := 14
	if depth > 3 {
		n = 11 // scalars only
	}
	switch r.IntN(n) {
	case 0:
		return nil
	case 1:
		return r.IntN(2) == 0
	case 2:
		return int64(r.Uint64())
	case 3:
		return int64(r.IntN(200))
	case 4:
		return r.NormFloat64() * 1e3
	case 5:
		return float64(r.IntN(100))
	case 6:
		return randomString(r)
	case 7:
		return fmt.Sprint(r.IntN(1000))
	case 8:
		return r.IntN(10) - 5
	case 9:
		return json.Number(fmt.Sprint(r.IntN(100)) + ".5")
	case 10:
		return strings.Repeat("é", r.IntN(200))
	case 11:
		if r.IntN(8) == 0 {
			return []any(nil)
		}
		a := make([]any, r.IntN(5))
		for i := range a {
			a[i] = randomValue(r, depth+1)
		}
		return a
	case 12:
		return randomObject(r, depth+1, 5)
	}
	return map[string]any(nil)
}

func randomString(r *rand.Rand) string {
	const alphabet = "abcXYZ019 -.é世🦷"
	rs := []rune(alphabet)
	b := make([]rune, r.IntN(12))
	for i := range b {
		b[i] = rs[r.IntN(len(rs))]
	}
	return string(b)
}

func randomObject(r *rand.Rand, depth, max int) map[string]any {
	m := map[string]any{}
	for range r.IntN(max + 1) {
		m[randomString(r)] = randomValue(r, depth)
	}
	return m
}

// TestFrozen_Fields freezes random records and reads every field back on its own and as
// part of the decoded record.
func TestFrozen_Fields(t *testing.T) {
	s := newStore(t, Options{})
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		rec := randomObject(r, 0, 3+i%60)
		if i%100 == 0 {
			rec["long"] = strings.Repeat("x", 70000) // past uint16 checkpoints
		}
		f := s.freeze(0, rec)
		if got := f.decode(); !reflect.DeepEqual(got, Record(rec)) {
			t.Fatalf("record %d: decoded %v, want %v", i, got, rec)
		}
		checkFields(t, f, rec)
	}
}

// checkView compares what a view of an encoded value tells with the view of the value.
func checkView(t *testing.T, got view, v any) {
	t.Helper()
	want := viewOf(v)
	if got.k != want.k {
		t.Fatalf("view of %#v: kind %d, want %d", v, got.k, want.k)
	}
	switch got.k {
	case vArray, vObject:
		if got.o == nil && int(got.n) != reflect.ValueOf(v).Len() {
			t.Fatalf("view of %#v: %d elements", v, got.n)
		}
	case vOther:
		if !reflect.DeepEqual(got.o, want.o) {
			t.Fatalf("view of %#v: other value %#v", v, got.o)
		}
	default:
		if got.s != want.s || got.n != want.n {
			t.Fatalf("view of %#v: %+v, want %+v", v, got, want)
		}
	}
	if a, b := sortValOf(got, true), sortValOf(want, true); a != b {
		t.Fatalf("sort value of %#v: %+v, want %+v", v, a, b)
	}
	for _, needle := range []string{"a", "é", "1", "x"} {
		if a, b := searchView(got, needle, 8), searchView(want, needle, 8); a != b {
			t.Fatalf("search %q in %#v: %v, want %v", needle, v, a, b)
		}
	}
}

func TestFrozen_SharesShapes(t *testing.T) {
	s := newStore(t, Options{})
	a := s.freeze(0, Record{"id": int64(1), "name": "Ada"})
	b := s.freeze(0, Record{"name": "Bob", "id": int64(2)})
	c := s.freeze(0, Record{"id": int64(3)})
	d := s.freeze(0, Record{"name": "Cy", "id": int64(4)})
	if a.shape != b.shape || a.shape != d.shape || a.shape == c.shape {
		t.Fatal("records with the same keys do not share one shape")
	}
	o := s.freeze(0, Record{"name": []string{"kept"}, "id": int64(5)})
	if o.shape == a.shape || &o.shape.keys[0] != &a.shape.keys[0] || len(o.shape.other) != 1 {
		t.Fatal("a record with other values does not get its own shape over the shared keys")
	}
	for i := range maxShapes + 10 {
		s.freeze(1, Record{fmt.Sprint("k", i): true})
	}
	if n := len(s.shapes[1].bySig); n != maxShapes {
		t.Fatalf("%d shapes interned, want the cap %d", n, maxShapes)
	}
}

// FuzzCodec encodes what JSON decodes to (with and without UseNumber, and with the integers
// the store makes of numbers), decodes it and compares.
func FuzzCodec(f *testing.F) {
	for _, seed := range []string{
		`{"a":1,"b":"x","c":[1,2,{"d":null}],"e":{},"f":[],"g":true,"h":-0.5,"i":1e300}`,
		`[1,"two",3.5,null,false]`, `"héllo"`, `12345678901234567890`, `{"":{"":{"":[]}}}`,
		`{"PatNum":21,"LName":"Bench","BalTotal":1167.72,"Premed":"true"}`,
	} {
		f.Add([]byte(seed))
	}
	s := newStore(f, Options{})
	f.Fuzz(func(t *testing.T, data []byte) {
		var plain any
		if json.Unmarshal(data, &plain) != nil {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var numbers any
		if dec.Decode(&numbers) != nil {
			return
		}
		values := []any{plain, numbers}
		if normalized, err := normalize(deepCopy(numbers)); err == nil {
			values = append(values, normalized)
		}
		for _, v := range values {
			d, other := encodeValue(v)
			if got := decodeValue(t, d, other); !reflect.DeepEqual(got, v) {
				t.Fatalf("decoded %#v, want %#v", got, v)
			}
			if rec, ok := v.(map[string]any); ok {
				// Twice: the second time its repeated strings come from the dictionary.
				for range 2 {
					fz := s.freeze(0, rec)
					if got := fz.decode(); !reflect.DeepEqual(got, Record(rec)) {
						t.Fatalf("frozen record decoded %#v, want %#v", got, rec)
					}
					checkFields(t, fz, rec)
					for _, names := range subsets(fz.shape.keys) {
						checkRowJSON(t, s, fz, rec, names)
					}
				}
			}
		}
	})
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		a := make([]any, len(t))
		for i, e := range t {
			a[i] = deepCopy(e)
		}
		return a
	}
	return v
}

// TestFrozen_WideShape: past the shape cap, records whose keys come and go share a wide
// shape with their missing keys absent; a record with a new key widens it (records written
// before keep theirs); a record that would leave too much absent gets a shape of its own.
func TestFrozen_WideShape(t *testing.T) {
	s := newStore(t, Options{})
	s.shapes[0].max = 1
	all := make([]string, 40)
	for i := range all {
		all[i] = fmt.Sprintf("Field%02d", i)
	}
	r := rand.New(rand.NewPCG(3, 5))
	random := func(keys []string) Record {
		rec := Record{}
		for _, k := range keys {
			if r.IntN(5) != 0 {
				rec[k] = randomValue(r, 0)
			}
		}
		return rec
	}
	s.freeze(0, random(all[:30])) // the one interned shape
	var frozen []*frozen
	var recs []Record
	for range 200 {
		rec := random(all[:30])
		f := s.freeze(0, rec)
		if !f.shape.wide || len(f.shape.keys) > 30 {
			t.Fatalf("record with %d keys on shape wide=%v of %d keys", len(rec), f.shape.wide, len(f.shape.keys))
		}
		frozen, recs = append(frozen, f), append(recs, rec)
	}
	if frozen[len(frozen)-1].shape.keys == nil || &frozen[len(frozen)-1].shape.keys[0] != &frozen[len(frozen)-2].shape.keys[0] {
		t.Fatal("records over the same keys do not share the wide shape's keys")
	}
	widened := random(all) // keys the wide shape does not have yet
	widened["Field39"] = "new"
	w := s.freeze(0, widened)
	if !w.shape.wide || w.shape.index("Field39") < 0 {
		t.Fatalf("a record with new keys is not on a widened shape: %q", w.shape.keys)
	}
	frozen, recs = append(frozen, w), append(recs, widened)
	for i, f := range frozen {
		checkFrozen(t, s, f, recs[i])
	}
	// A record of one key on the 40-key union: 39 absent is within the slack of one key...
	one := Record{"Field05": "x"}
	if f := s.freeze(0, one); !f.shape.wide {
		t.Fatal("a one-key record within the slack is not on the wide shape")
	} else {
		checkFrozen(t, s, f, one)
	}
	// ...but not on a union past it.
	big := Record{}
	for i := range wideSlack(1) + 2 {
		big[fmt.Sprintf("Other%03d", i)] = int64(i)
	}
	s.freeze(0, big)
	if f := s.freeze(0, one); f.shape.wide || len(f.shape.keys) != 1 {
		t.Fatalf("a one-key record on a shape of %d keys (wide %v), want its own", len(f.shape.keys), f.shape.wide)
	} else {
		checkFrozen(t, s, f, one)
	}
	// A record with other values keeps the wide mark on its private shape.
	kept := Record{"Field01": []string{"kept"}}
	if f := s.freeze(0, kept); len(f.shape.other) != 1 {
		t.Fatal("no other value")
	} else {
		checkFrozen(t, s, f, kept)
	}
}

func TestUnionSorted(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"", "", ""}, {"a c", "", "a c"}, {"", "b", "b"}, {"a c", "b", "a b c"}, {"a b c", "b", "a b c"},
		{"b", "a c d", "a b c d"}, {"a c e", "b d f", "a b c d e f"}, {"a b", "a b", "a b"},
	} {
		a, b := strings.Fields(tc.a), strings.Fields(tc.b)
		got := unionSorted(a, b)
		if strings.Join(got, " ") != tc.want {
			t.Errorf("unionSorted(%q, %q) = %q, want %q", a, b, got, tc.want)
		}
		if tc.want == tc.a && len(a) > 0 && &got[0] != &a[0] {
			t.Errorf("unionSorted(%q, %q) copied a that holds b", a, b)
		}
	}
}
