package state

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// fuzzSession holds 60 brands and 60 users whose fields take every kind of value, with
// soft-deleted brands and gaps left by deleted users; seq records the insertion order.
func fuzzSession(tb testing.TB) *Session {
	tb.Helper()
	s := newStore(tb, Options{})
	kinds := []func(i int) any{
		func(i int) any { return int64(i % 7) },
		func(i int) any { return float64(i%5) / 2 },
		func(i int) any { return fmt.Sprintf("Name%d", i%9) },
		func(i int) any { return fmt.Sprint(i % 11) },
		func(i int) any { return i%2 == 0 },
		func(i int) any { return nil },
		func(i int) any { return []any{int64(i % 3), "x" + fmt.Sprint(i%4)} },
		func(i int) any { return map[string]any{"city": fmt.Sprintf("C%d", i%3)} },
		func(i int) any { return fmt.Sprintf("2024-0%d-1%d", 1+i%9, i%10) },
	}
	var recs []Record
	for i := range 60 {
		r := Record{"seq": int64(i), "deleted": i%13 == 0}
		for k, f := range []string{"a", "b", "c", "d"} {
			if (i+k)%6 != 0 { // leave the field missing sometimes
				r[f] = kinds[(i*(k+1))%len(kinds)](i)
			}
		}
		recs = append(recs, r)
	}
	if err := s.SetBase(map[string][]Record{"brands": recs, "users": recs}); err != nil {
		tb.Fatal(err)
	}
	x := s.Session("")
	for _, coll := range []string{"brands", "users"} {
		for _, id := range []string{"5", "6", "42"} {
			if err := x.Delete(coll, id); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return x
}

func FuzzQuery(f *testing.F) {
	f.Add("a", int8(0), "1,true", "b", false, int16(0), int16(0), "", false)
	f.Add("c.city", int8(5), "c", "a,b", true, int16(3), int16(4), "name", true)
	f.Add("d", int8(1), "2024-03", "d,c.city", false, int16(-2), int16(25), "", false)
	f.Add("b", int8(4), "1.5", "", false, int16(50), int16(1), "X", true)
	f.Add("", int8(-1), "", "seq", true, int16(0), int16(3), "2", false)
	x := fuzzSession(f)
	f.Fuzz(func(t *testing.T, field string, op int8, values, sortFields string, desc bool, offset, limit int16, search string, deleted bool) {
		q := Query{Search: search, Offset: int(offset), Limit: int(limit), IncludeDeleted: deleted}
		if field != "" {
			q.Filters = []Filter{{Field: field, Op: FilterOp(op), Values: strings.Split(values, ",")}}
		}
		for i, sf := range strings.Split(sortFields, ",") {
			if sf != "" {
				q.Sort = append(q.Sort, SortKey{Field: sf, Desc: desc != (i%2 == 1)})
			}
		}
		for _, coll := range []string{"brands", "users"} {
			checkList(t, x, coll, q)
		}
	})
}

// checkList compares a page with the full list of the same query and checks the order.
func checkList(t *testing.T, x *Session, coll string, q Query) {
	t.Helper()
	deleted := q.IncludeDeleted
	page := x.List(coll, q)
	all := q
	all.Offset, all.Limit = 0, 0
	full := x.List(coll, all)

	if full.Total != len(full.Items) || page.Total != full.Total {
		t.Fatalf("%s totals: page %d, full %d with %d items", coll, page.Total, full.Total, len(full.Items))
	}
	off, lim := max(q.Offset, 0), max(q.Limit, 0)
	want := []Record{}
	if off < len(full.Items) {
		want = full.Items[off:]
		if lim > 0 && lim < len(want) {
			want = want[:lim]
		}
	}
	if got, exp := seqs(page.Items), seqs(want); got != exp {
		t.Fatalf("%s page %s, want %s of %s", coll, got, exp, seqs(full.Items))
	}
	limitTotal := x.Count(coll)
	if deleted {
		limitTotal = x.List(coll, Query{IncludeDeleted: true}).Total
	}
	if full.Total > limitTotal {
		t.Fatalf("%s total %d over the %d records", coll, full.Total, limitTotal)
	}
	for i, r := range full.Items {
		if coll == "brands" && !deleted && r["deleted"] == true {
			t.Fatalf("soft-deleted record %v listed", r)
		}
		if i == 0 || len(q.Sort) == 0 {
			if i > 0 && r["seq"].(int64) <= full.Items[i-1]["seq"].(int64) {
				t.Fatalf("%s unsorted list out of insertion order: %s", coll, seqs(full.Items))
			}
			continue
		}
		if c := compareRecords(full.Items[i-1], r, q.Sort); c > 0 || c == 0 && full.Items[i-1]["seq"].(int64) > r["seq"].(int64) {
			t.Fatalf("%s records %v and %v out of order for %+v", coll, full.Items[i-1], r, q.Sort)
		}
	}
}

// compareRecords orders two records by sort keys the way the reference implementation does.
func compareRecords(a, b Record, keys []SortKey) int {
	for _, k := range keys {
		p := splitPath(k.Field)
		if c := compareSortVals(refMakeSortVal(refLookup(a, k.Field, p)), refMakeSortVal(refLookup(b, k.Field, p)), k.Desc); c != 0 {
			return c
		}
	}
	return 0
}

func seqs(recs []Record) string {
	var b strings.Builder
	for _, r := range recs {
		fmt.Fprint(&b, r["seq"], " ")
	}
	return b.String()
}

// addExportSeeds seeds a fuzz target with the documents Export and ExportFull write.
func addExportSeeds(f *testing.F) {
	f.Add(export(f, busyStore(f)))
	var full bytes.Buffer
	if err := busyStore(f).ExportFull(&full); err != nil {
		f.Fatal(err)
	}
	f.Add(full.Bytes())
}

func FuzzImport(f *testing.F) {
	addExportSeeds(f)
	f.Add([]byte(`{"format":"vendormock-state","version":1,"sessions":{"x":{"collections":{"users":{"next":3,"records":[{"id":1.0,"v":[1e3,-0,0.5,"s",null,true,{"k":{}}]}]}}}}}`))
	f.Add([]byte(`{"format":"vendormock-state","version":1,"sessions":{"":{"collections":{"me":{"singleton":null},"brands":{"records":[{"id":"7","deleted":true}]}}}}}`))
	f.Add([]byte(`{"format":"vendormock-state","version":1,"sessions":{}}`))
	f.Add([]byte(`nul`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		s := busyStore(t)
		before := export(t, s)
		if err := s.Import(bytes.NewReader(doc)); err != nil {
			if after := export(t, s); !bytes.Equal(after, before) {
				t.Fatalf("failed import (%v) changed the state", err)
			}
			return
		}
		first := export(t, s)
		again := seededStore(t)
		if err := again.Import(bytes.NewReader(first)); err != nil {
			t.Fatalf("export of an imported document does not import: %v\n%s", err, first)
		}
		if second := export(t, again); !bytes.Equal(first, second) {
			t.Fatalf("export not stable:\n%s\n%s", first, second)
		}
		// the imported state works
		for _, id := range s.Sessions() {
			x := s.Session(id)
			x.List("users", Query{Sort: []SortKey{{Field: "id"}}, Search: "a"})
			if _, err := x.Create("users", Record{}); err != nil {
				t.Fatalf("create after import: %v", err)
			}
		}
	})
}
