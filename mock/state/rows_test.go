package state

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vendormock/vendormock/internal/jsonw"
)

// checkRowJSON compares Row.AppendJSON with jsonw.AppendObject on the record's map, for the
// given keys: both the bytes and whether it fails.
func checkRowJSON(t *testing.T, s *Store, f *frozen, rec Record, names []string) {
	t.Helper()
	fs := NewFields(names)
	want, wantErr := jsonw.AppendObject([]byte("prefix"), rec, fs.Keys())
	for range 2 { // the second time from the remembered plan
		got, err := Row{f: f, s: s}.AppendJSON([]byte("prefix"), fs)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("keys %q: error %v, AppendObject's %v", names, err, wantErr)
		}
		if wantErr == nil && !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			lo := max(i-40, 0)
			t.Fatalf("keys %q: differ at byte %d:\n got …%s\nwant …%s", names, i, got[lo:min(i+40, len(got))], want[lo:min(i+40, len(want))])
		}
	}
}

// subsets are the key sets a projection is tested with: all, none, every other one, the
// first and last only, and keys the record does not have mixed in.
func subsets(keys []string) [][]string {
	var alternate, ends []string
	for i, k := range keys {
		if i%2 == 0 {
			alternate = append(alternate, k)
		}
	}
	if len(keys) > 0 {
		ends = []string{keys[0], keys[len(keys)-1]}
	}
	absent := append(slices.Clone(alternate), "", "~absent", "0absent", "Zz")
	return [][]string{keys, nil, alternate, ends, absent}
}

// TestRow_AppendJSON encodes records holding every kind of value straight from their frozen
// form, and compares with encoding the decoded map.
func TestRow_AppendJSON(t *testing.T) {
	s := newStore(t, Options{})
	values := codecValues()
	delete(values, "float64 inf") // an error either way; checked below
	var keys []string
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	rec := Record(values)
	f := s.freeze(0, rec)
	for _, names := range subsets(keys) {
		checkRowJSON(t, s, f, rec, names)
	}
	for _, k := range keys { // one field at a time: each kind on its own
		checkRowJSON(t, s, f, rec, []string{k})
	}

	bad := Record{"a": 1.5, "inf": codecValues()["float64 inf"]}
	fb := s.freeze(0, bad)
	if _, err := (Row{f: fb, s: s}).AppendJSON(nil, NewFields([]string{"a", "inf"})); err == nil {
		t.Fatal("an infinite float encoded without error")
	}
	checkRowJSON(t, s, fb, bad, []string{"a"})

	// Nesting is bounded over the whole answer, as when encoding the map: a value nested
	// past the limit fails either way, inside the codec's encoded levels or past them.
	for _, levels := range []int{998, 999, 1000, 1001, 1400, maxEncodeDepth - 1, maxEncodeDepth, maxEncodeDepth + 1} {
		deep := any("bottom")
		for range levels {
			deep = []any{deep}
		}
		rec := Record{"deep": deep, "obj": map[string]any{"in": deep}}
		f := s.freeze(0, rec)
		for _, names := range [][]string{{"deep"}, {"obj"}} {
			checkRowJSON(t, s, f, rec, names)
		}
	}

	r := rand.New(rand.NewPCG(3, 4))
	for i := range 500 {
		rec := randomObject(r, 0, 3+i%60)
		if i%100 == 0 {
			rec["long"] = strings.Repeat("x", 70000)
		}
		f := s.freeze(0, rec)
		for _, names := range subsets(f.shape.keys) {
			checkRowJSON(t, s, f, rec, names)
		}
	}
}

// TestRows_SameAsList checks that Rows pages like List and that each row is its record.
// On wide shapes too, where rows are also written as JSON straight from records that lack
// some of their shape's keys.
func TestRows_SameAsList(t *testing.T) {
	for _, shapeCap := range []int{0, 1} {
		x, _, _ := referenceSession(t, shapeCap)
		r := rand.New(rand.NewPCG(5, 6))
		for range 300 {
			q := randomQuery(r)
			list, rows := x.List("brands", q), x.Rows("brands", q)
			if list.Total != rows.Total || len(list.Items) != len(rows.Rows) {
				t.Fatalf("query %+v: List has %d of %d, Rows %d of %d", q, len(list.Items), list.Total, len(rows.Rows), rows.Total)
			}
			for i, row := range rows.Rows {
				a, _ := json.Marshal(list.Items[i])
				b, _ := json.Marshal(row.Record())
				if !bytes.Equal(a, b) {
					t.Fatalf("query %+v: row %d is %s, List's item %s", q, i, b, a)
				}
				if shapeCap > 0 && i == 0 {
					checkRowJSON(t, row.s, row.f, list.Items[i], append(slices.Clone(row.f.shape.keys), "a.b", "missing"))
				}
			}
		}
		if p := x.Rows("no such collection", Query{}); p.Rows == nil || p.Total != 0 {
			t.Fatalf("unknown collection: %+v", p)
		}
	}
}
