package state

import (
	"encoding/json"
	"slices"
	"testing"
)

// queryStore holds people whose fields exercise every value kind; ids 1..8 in this order.
func queryStore(tb testing.TB) *Session {
	tb.Helper()
	s := newStore(tb, Options{})
	err := s.SetBase(map[string][]Record{"users": {
		{"name": "Ada", "age": int64(36), "active": true, "tags": []any{"vip", "new"}, "joined": "2024-01-05", "address": map[string]any{"city": "Leeds"}, "score": 1.5},
		{"name": "bob", "age": int64(41), "active": false, "tags": []any{"old"}, "joined": "2023-06-30", "address": map[string]any{"city": "York"}, "score": json.Number("10")},
		{"name": "Cy", "age": 29.0, "active": "true", "tags": []any{}, "joined": "2025-02-01", "address": map[string]any{"city": "leeds"}},
		{"name": "dee", "age": "50", "active": nil, "joined": "2022-12-01", "code": "9"},
		{"name": "Eve", "age": int64(36), "active": true, "tags": []any{"VIP", int64(5)}, "code": "10"},
		{"name": "fay", "nick": "Ada Lovelace", "code": "x1"},
		{"name": "Gus", "age": int64(-3), "address": "no fixed abode", "a.b": "literal dotted key"},
		{"name": "Ada", "age": int64(70), "score": int64(2), "phones": []any{map[string]any{"kind": "home", "n": int64(1)}, map[string]any{"kind": "Work"}}},
	}})
	if err != nil {
		tb.Fatalf("SetBase: %v", err)
	}
	return s.Session("")
}

func TestList_Filters(t *testing.T) {
	x := queryStore(t)
	for _, tc := range []struct {
		name string
		f    []Filter
		want []string
	}{
		{"eq string case-insensitive", []Filter{{"name", Eq, []string{"ada"}}}, []string{"1", "8"}},
		{"eq any of values", []Filter{{"name", Eq, []string{"bob", "CY"}}}, []string{"2", "3"}},
		{"eq number matches int, float and digit string", []Filter{{"age", Eq, []string{"36", "29", "50"}}}, []string{"1", "3", "4", "5"}},
		{"eq number written as float", []Filter{{"age", Eq, []string{"36.0"}}}, []string{"1", "5"}},
		{"eq json.Number", []Filter{{"score", Eq, []string{"10"}}}, []string{"2"}},
		{"eq float", []Filter{{"score", Eq, []string{"1.5"}}}, []string{"1"}},
		{"eq bool matches bool and string", []Filter{{"active", Eq, []string{"TRUE"}}}, []string{"1", "3", "5"}},
		{"eq false", []Filter{{"active", Eq, []string{"false"}}}, []string{"2"}},
		{"eq null", []Filter{{"active", Eq, []string{"null"}}}, []string{"4"}},
		{"eq array any element", []Filter{{"tags", Eq, []string{"vip"}}}, []string{"1", "5"}},
		{"eq array number element", []Filter{{"tags", Eq, []string{"5"}}}, []string{"5"}},
		{"eq dotted path", []Filter{{"address.city", Eq, []string{"LEEDS"}}}, []string{"1", "3"}},
		{"eq literal dotted key", []Filter{{"a.b", Eq, []string{"literal dotted key"}}}, []string{"7"}},
		{"path through an array", []Filter{{"phones.kind", Eq, []string{"work"}}}, []string{"8"}},
		{"path through an array, number", []Filter{{"phones.n", Gte, []string{"1"}}}, []string{"8"}},
		{"path through a string", []Filter{{"address.city.x", Eq, []string{"leeds"}}}, []string{}},
		{"missing field", []Filter{{"nope", Eq, []string{""}}}, []string{}},
		{"no values", []Filter{{"name", Eq, nil}}, []string{}},
		{"gte number", []Filter{{"age", Gte, []string{"36"}}}, []string{"1", "2", "4", "5", "8"}},
		{"gt number", []Filter{{"age", Gt, []string{"36"}}}, []string{"2", "4", "8"}},
		{"lt number", []Filter{{"age", Lt, []string{"30"}}}, []string{"3", "7"}},
		{"lte number", []Filter{{"age", Lte, []string{"29"}}}, []string{"3", "7"}},
		{"range", []Filter{{"age", Gte, []string{"30"}}, {"age", Lte, []string{"45"}}}, []string{"1", "2", "5"}},
		{"digit strings numerically, others as text", []Filter{{"code", Gt, []string{"9"}}}, []string{"5", "6"}},
		{"iso dates", []Filter{{"joined", Gte, []string{"2024-01-01"}}}, []string{"1", "3"}},
		{"date before", []Filter{{"joined", Lt, []string{"2023-07-01T00:00:00Z"}}}, []string{"2", "4"}},
		{"bool ordering", []Filter{{"active", Gt, []string{"false"}}}, []string{"1", "3", "5"}},
		{"contains", []Filter{{"name", Contains, []string{"A"}}}, []string{"1", "6", "8"}},
		{"contains number", []Filter{{"age", Contains, []string{"6"}}}, []string{"1", "5"}},
		{"contains array", []Filter{{"tags", Contains, []string{"ol"}}}, []string{"2"}},
		{"unknown op", []Filter{{"name", FilterOp(99), []string{"Ada"}}}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := x.List("users", Query{Filters: tc.f})
			got := ids(t, "id", p.Items)
			if !slices.Equal(got, tc.want) || p.Total != len(tc.want) {
				t.Fatalf("ids = %v (total %d), want %v", got, p.Total, tc.want)
			}
		})
	}
}

func TestList_Search(t *testing.T) {
	x := queryStore(t)
	for _, tc := range []struct {
		name   string
		search string
		fields []string
		want   []string
	}{
		{"any string field", "ADA", nil, []string{"1", "6", "8"}},
		{"nested strings", "leeds", nil, []string{"1", "3"}},
		{"array strings", "vip", nil, []string{"1", "5"}},
		{"named field", "ada", []string{"name"}, []string{"1", "8"}},
		{"dotted field", "yor", []string{"address.city"}, []string{"2"}},
		{"no match", "zzz", nil, []string{}},
		{"numbers are not text", "36", nil, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := x.List("users", Query{Search: tc.search, SearchFields: tc.fields})
			if got := ids(t, "id", p.Items); !slices.Equal(got, tc.want) {
				t.Fatalf("ids = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestList_Sort(t *testing.T) {
	x := queryStore(t)
	for _, tc := range []struct {
		name string
		sort []SortKey
		want []string
	}{
		{"string case-insensitive", []SortKey{{Field: "name"}}, []string{"1", "8", "2", "3", "4", "5", "6", "7"}},
		{"string desc, ties in insertion order", []SortKey{{Field: "name", Desc: true}}, []string{"7", "6", "5", "4", "3", "2", "1", "8"}},
		{"then by age desc", []SortKey{{Field: "name"}, {Field: "age", Desc: true}}, []string{"8", "1", "2", "3", "4", "5", "6", "7"}},
		{"numbers, digit strings, missing last", []SortKey{{Field: "age"}}, []string{"7", "3", "1", "5", "2", "8", "4", "6"}},
		{"desc keeps missing last", []SortKey{{Field: "age", Desc: true}}, []string{"4", "8", "2", "1", "5", "3", "7", "6"}},
		{"digit strings numerically", []SortKey{{Field: "code"}}, []string{"4", "5", "6", "1", "2", "3", "7", "8"}},
		{"null last", []SortKey{{Field: "active"}}, []string{"3", "2", "1", "5", "4", "6", "7", "8"}},
		{"dotted", []SortKey{{Field: "address.city"}}, []string{"1", "3", "2", "4", "5", "6", "7", "8"}},
		{"mixed int and float", []SortKey{{Field: "score"}}, []string{"1", "8", "2", "3", "4", "5", "6", "7"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := x.List("users", Query{Sort: tc.sort})
			if got := ids(t, "id", p.Items); !slices.Equal(got, tc.want) {
				t.Fatalf("ids = %v, want %v", got, tc.want)
			}
			// the top-k path gives the same pages as the full sort
			for off := 0; off < len(tc.want); off++ {
				p := x.List("users", Query{Sort: tc.sort, Offset: off, Limit: 1})
				if got := ids(t, "id", p.Items); len(got) != 1 || got[0] != tc.want[off] || p.Total != len(tc.want) {
					t.Fatalf("page at %d = %v (total %d), want %s", off, got, p.Total, tc.want[off])
				}
			}
		})
	}
}

func TestList_Paging(t *testing.T) {
	x := queryStore(t)
	active := []Filter{{"name", Contains, []string{""}}}
	for _, tc := range []struct {
		name  string
		q     Query
		want  []string
		total int
	}{
		{"all", Query{}, []string{"1", "2", "3", "4", "5", "6", "7", "8"}, 8},
		{"first page", Query{Limit: 3}, []string{"1", "2", "3"}, 8},
		{"middle page", Query{Offset: 3, Limit: 3}, []string{"4", "5", "6"}, 8},
		{"last page short", Query{Offset: 6, Limit: 3}, []string{"7", "8"}, 8},
		{"past the end", Query{Offset: 8, Limit: 3}, []string{}, 8},
		{"negative values", Query{Offset: -1, Limit: -5}, []string{"1", "2", "3", "4", "5", "6", "7", "8"}, 8},
		{"filtered page", Query{Filters: active, Offset: 2, Limit: 2}, []string{"3", "4"}, 8},
		{"filtered past end", Query{Filters: active, Offset: 20}, []string{}, 8},
		{"sorted page", Query{Sort: []SortKey{{Field: "age"}}, Offset: 1, Limit: 2}, []string{"3", "1"}, 8},
		{"sorted past end", Query{Sort: []SortKey{{Field: "age"}}, Offset: 9}, []string{}, 8},
		{"filter and sort", Query{Filters: []Filter{{"name", Eq, []string{"ada"}}}, Sort: []SortKey{{Field: "age", Desc: true}}}, []string{"8", "1"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := x.List("users", tc.q)
			got := ids(t, "id", p.Items)
			if !slices.Equal(got, tc.want) || p.Total != tc.total {
				t.Fatalf("ids = %v total %d, want %v total %d", got, p.Total, tc.want, tc.total)
			}
			if p.Items == nil {
				t.Fatal("Items is nil; want an empty slice so it encodes as []")
			}
		})
	}
	if p := x.List("nope", Query{}); p.Total != 0 || len(p.Items) != 0 {
		t.Fatalf("unknown collection = %+v", p)
	}
}

func TestList_PagingWithGaps(t *testing.T) {
	x := seededStore(t).Session("")
	wantErr(t, x.Delete("users", "2"), nil)
	p := x.List("users", Query{Offset: 1, Limit: 5})
	if got := ids(t, "id", p.Items); p.Total != 2 || !slices.Equal(got, []string{"5"}) {
		t.Fatalf("ids = %v total %d", got, p.Total)
	}
	wantErr(t, x.Delete("brands", "1"), nil)
	p = x.List("brands", Query{})
	if got := ids(t, "id", p.Items); p.Total != 1 || !slices.Equal(got, []string{"2"}) {
		t.Fatalf("brands = %v total %d", got, p.Total)
	}
}
