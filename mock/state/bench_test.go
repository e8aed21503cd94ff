package state

import (
	"fmt"
	"strconv"
	"testing"
)

// benchSession holds 1,000 patient-like users in the base of session "bench".
func benchSession(b *testing.B) *Session {
	b.Helper()
	s := newStore(b, Options{})
	recs := make([]Record, 1000)
	for i := range recs {
		recs[i] = Record{
			"firstName": fmt.Sprintf("Name%d", i%97),
			"lastName":  fmt.Sprintf("Family%d", i%89),
			"age":       int64(i % 90),
			"active":    i%3 != 0,
			"email":     fmt.Sprintf("user%d@example.com", i),
			"createdAt": fmt.Sprintf("2025-%02d-%02dT10:00:00Z", 1+i%12, 1+i%28),
			"address":   map[string]any{"city": fmt.Sprintf("City%d", i%10), "zip": "LS1 4AB"},
		}
	}
	if err := s.SetBase(map[string][]Record{"users": recs}); err != nil {
		b.Fatal(err)
	}
	return s.Session("bench")
}

func BenchmarkGet(b *testing.B) {
	x := benchSession(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := x.Get("users", strconv.Itoa(1+i%1000)); !ok {
			b.Fatal("missing")
		}
		i++
	}
}

func BenchmarkCreate(b *testing.B) {
	x := benchSession(b)
	x.store.maxRecords = 1 << 40
	rec := Record{"firstName": "Ada", "lastName": "Lovelace", "age": int64(36)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := x.Create("users", rec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMerge(b *testing.B) {
	x := benchSession(b)
	patch := Record{"lastName": "Byron", "address": map[string]any{"zip": "W1"}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := x.Merge("users", strconv.Itoa(1+i%1000), patch); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkList(b *testing.B) {
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"page", Query{Offset: 100, Limit: 20}},
		{"filter", Query{Filters: []Filter{{"active", Eq, []string{"true"}}}, Offset: 100, Limit: 20}},
		{"filter+sort", Query{Filters: []Filter{{"active", Eq, []string{"true"}}}, Sort: []SortKey{{Field: "lastName"}}, Limit: 20}},
		{"range+sort desc", Query{Filters: []Filter{{"createdAt", Gte, []string{"2025-06-01"}}}, Sort: []SortKey{{Field: "age", Desc: true}}, Offset: 40, Limit: 20}},
		{"search", Query{Search: "family1", Limit: 20}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			x := benchSession(b)
			b.ReportAllocs()
			for b.Loop() {
				if p := x.List("users", bc.q); len(p.Items) != 20 {
					b.Fatalf("%d items", len(p.Items))
				}
			}
		})
	}
}

func BenchmarkSession(b *testing.B) {
	s := benchSession(b).store
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Session(strconv.Itoa(i))
		i++
	}
}

// BenchmarkFirstWrite is the copy-on-write cost: the first write of a new session to a
// collection of 1,000 records.
func BenchmarkFirstWrite(b *testing.B) {
	s := benchSession(b).store
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.Session(strconv.Itoa(i)).Create("users", Record{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkExport(b *testing.B) {
	x := benchSession(b)
	if _, err := x.Create("users", Record{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := x.store.Export(discard{}); err != nil {
			b.Fatal(err)
		}
	}
}
