package state

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// dictValues counts the tagDict values of an encoded value (walking arrays and objects).
func dictValues(d string, pos int) (n, end int) {
	t := d[pos]
	switch t {
	case tagDict:
		return 1, skip(d, pos)
	case tagArray, tagObject:
		count, p := uvarintAt(d, pos+1)
		_, p = uvarintAt(d, p)
		for range count {
			if t == tagObject {
				_, p = keyAt(d, p)
			}
			var k int
			k, p = dictValues(d, p)
			n += k
		}
		return n, p
	}
	return 0, skip(d, pos)
}

// recordDictValues counts the tagDict values of a frozen record.
func recordDictValues(f *frozen) int {
	n := 0
	for i := range f.shape.keys {
		k, _ := dictValues(f.data, f.pos(i))
		n += k
	}
	return n
}

// checkFrozen reads a frozen record back every way the store reads one: decoded, field by
// field, as views and as JSON.
func checkFrozen(t *testing.T, s *Store, f *frozen, rec Record) {
	t.Helper()
	if got := f.decode(); !reflect.DeepEqual(got, rec) {
		t.Fatalf("decoded %#v, want %#v", got, rec)
	}
	checkFields(t, f, rec)
	checkRowJSON(t, s, f, rec, f.shape.keys)
}

// checkFields reads every key of a frozen record's shape on its own: the record's value, or
// absent when the record lacks the key (a wide shape).
func checkFields(t *testing.T, f *frozen, rec Record) {
	t.Helper()
	for j, k := range f.shape.keys {
		if f.shape.index(k) != j {
			t.Fatalf("key %q at %d, index says %d", k, j, f.shape.index(k))
		}
		want, has := rec[k]
		v, ok := f.field(j)
		if ok != has {
			t.Fatalf("field %q: present %v, want %v", k, ok, has)
		}
		if !has {
			continue
		}
		got, end := decodeAt(f.data, f.pos(j), f.shape)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("field %q reads %#v, want %#v", k, got, want)
		}
		if j == len(f.shape.keys)-1 && end != len(f.data) {
			t.Fatalf("last field ends at %d of %d", end, len(f.data))
		}
		checkView(t, v, want)
	}
}

// TestDict_RepeatedStrings: a string of dictionary length is written as an index from its
// second use on, in top-level fields, arrays and objects alike; short and long strings stay
// inline; every reader gives back the same record.
func TestDict_RepeatedStrings(t *testing.T) {
	s := newStore(t, Options{})
	long := strings.Repeat("x", dictMaxLen+1)
	rec := Record{
		"BillingType": "Standard Account",
		"Gender":      "ab", // too short to gain
		"Note":        long,
		"Tags":        []any{"Prospective", int64(3), "Prospective"},
		"Prefs":       map[string]any{"contact": "WirelessPh", "recall": "Mail"},
	}
	first := s.freeze(0, rec)
	checkFrozen(t, s, first, rec)
	// Within the first record only the second "Prospective" can be an index.
	if n := recordDictValues(first); n > 1 {
		t.Fatalf("first record holds %d dictionary values, want at most 1", n)
	}
	var last *frozen
	for range 3 { // three more: lossy first sightings cannot hold every string back
		last = s.freeze(0, rec)
		checkFrozen(t, s, last, rec)
	}
	// "Standard Account", both "Prospective", "WirelessPh" and "Mail": not "ab", not long.
	if n := recordDictValues(last); n != 5 {
		t.Fatalf("fourth record holds %d dictionary values, want 5", n)
	}
	if len(last.data) >= len(first.data) {
		t.Fatalf("fourth record takes %d bytes, the first %d: the dictionary saves nothing", len(last.data), len(first.data))
	}
	d := s.shapes[0].dict
	for _, str := range []string{"ab", long} {
		if _, ok := (*d.ids.Load())[str]; ok {
			t.Fatalf("%q is in the dictionary", str)
		}
	}
	// Another collection has a dictionary of its own.
	other := s.freeze(1, rec)
	if n := recordDictValues(other); n > 1 {
		t.Fatalf("first record of another collection holds %d dictionary values", n)
	}
}

// TestDict_Bounded: the dictionary stops at dictMax strings; later strings stay inline.
func TestDict_Bounded(t *testing.T) {
	s := newStore(t, Options{})
	for i := range dictMax + 50 {
		rec := Record{"v": fmt.Sprintf("value %04d", i)}
		s.freeze(0, rec)
		f := s.freeze(0, rec) // the second sighting, right after the first
		checkFrozen(t, s, f, rec)
		if want := i < dictMax; (recordDictValues(f) == 1) != want {
			t.Fatalf("string %d: written as an index %v, want %v", i, !want, want)
		}
	}
	if n := s.shapes[0].dict.size(); n != dictMax {
		t.Fatalf("dictionary holds %d strings, want %d", n, dictMax)
	}
}

// TestDict_Concurrent freezes records sharing strings from many goroutines and reads each
// back (run with -race: readers and additions must not race).
func TestDict_Concurrent(t *testing.T) {
	s := newStore(t, Options{})
	words := make([]string, 300)
	for i := range words {
		words[i] = fmt.Sprintf("word-%03d", i)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 400 {
				rec := Record{
					"a":    words[(g*7+i)%len(words)],
					"b":    words[(i*13)%len(words)],
					"list": []any{words[i%len(words)], fmt.Sprint("unique-", g, "-", i)},
				}
				f := s.freeze(0, rec)
				if got := f.decode(); !reflect.DeepEqual(got, rec) {
					t.Errorf("goroutine %d record %d: decoded %#v, want %#v", g, i, got, rec)
					return
				}
			}
		})
	}
	wg.Wait()
	if s.shapes[0].dict.size() == 0 {
		t.Fatal("no string joined the dictionary")
	}
}

// TestDict_NotForBase: the base's records are frozen without the dictionary, which comes
// into use with a collection's first writes.
func TestDict_NotForBase(t *testing.T) {
	s := newStore(t, Options{})
	var base []Record
	for i := range 20 {
		base = append(base, Record{"id": int64(i + 1), "status": "Standard Account"})
	}
	if err := s.SetBase(map[string][]Record{"users": base}); err != nil {
		t.Fatal(err)
	}
	d := s.shapes[0].dict
	if d.seen.Load() != nil || d.size() != 0 {
		t.Fatalf("the base used the dictionary: %d strings", d.size())
	}
	x := s.Session("writer")
	for range 3 {
		if _, err := x.Create("users", Record{"status": "Standard Account"}); err != nil {
			t.Fatal(err)
		}
	}
	if d.size() != 1 {
		t.Fatalf("after three writes the dictionary holds %d strings, want 1", d.size())
	}
	got, ok := x.Get("users", "1")
	if !ok || got["status"] != "Standard Account" {
		t.Fatalf("base record reads %v, %v", got, ok)
	}
}
