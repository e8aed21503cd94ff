package state

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The reference: how filters, search and sorting worked on map records before records were
// stored compactly (a copy of that code), to check List on frozen records against.

type refFilter struct {
	field string
	path  []string
	op    FilterOp
	vals  []filterValue
}

type refQuery struct {
	filters []refFilter
	search  string
	fields  []refFilter
}

func compileRefQuery(q *Query) *refQuery {
	cq := compileQuery(q) // filter values are parsed as before
	rq := &refQuery{search: cq.search}
	for i, f := range q.Filters {
		rq.filters = append(rq.filters, refFilter{field: f.Field, path: splitPath(f.Field), op: f.Op, vals: cq.filters[i].vals})
	}
	if q.Search != "" {
		for _, f := range q.SearchFields {
			rq.fields = append(rq.fields, refFilter{field: f, path: splitPath(f)})
		}
	}
	return rq
}

func refFormatNumber(v any) string {
	n, _ := toNumber(v)
	if n.isInt {
		return strconv.FormatInt(n.i, 10)
	}
	return strconv.FormatFloat(n.f, 'f', -1, 64)
}

// refList is List over records in insertion order, hidden ones marked.
func refList(recs []Record, hidden []bool, q Query) Page {
	rq := compileRefQuery(&q)
	var matched []Record
	for i, r := range recs {
		if hidden[i] && !q.IncludeDeleted || !refMatch(rq, r) {
			continue
		}
		matched = append(matched, r)
	}
	slices.SortStableFunc(matched, func(a, b Record) int { return compareRecords(a, b, q.Sort) })
	total := len(matched)
	off, lim := max(q.Offset, 0), max(q.Limit, 0)
	items := []Record{}
	if off < total {
		items = matched[off:]
		if lim > 0 && lim < len(items) {
			items = items[:lim]
		}
	}
	return Page{Items: items, Total: total}
}

// referenceSession holds records with values of every kind in fields a to f, nested objects
// and arrays of objects, dotted keys and values the codec keeps as they are.
//
// With shapeCap 1 the collection interns one shape and writes the rest of its records on
// wide shapes, with absent keys (see maxShapes); 0 keeps the default cap.
func referenceSession(tb testing.TB, shapeCap int) (*Session, []Record, []bool) {
	tb.Helper()
	s := newStore(tb, Options{})
	if shapeCap > 0 {
		for i := range s.shapes {
			s.shapes[i].max = shapeCap
		}
	}
	r := rand.New(rand.NewPCG(7, 9))
	kinds := []func() any{
		func() any { return int64(r.IntN(7)) },
		func() any { return float64(r.IntN(9)) / 2 },
		func() any { return fmt.Sprintf("Name%d", r.IntN(9)) },
		func() any { return fmt.Sprint(r.IntN(11)) },
		func() any { return r.IntN(2) == 0 },
		func() any { return nil },
		func() any { return r.IntN(5) },
		func() any { return json_number(r.IntN(20)) },
		func() any { return uint64(math.MaxUint64 - uint64(r.IntN(3))) },
		func() any { return float32(r.IntN(5)) / 4 },
		func() any { return []any{int64(r.IntN(3)), "x" + fmt.Sprint(r.IntN(4))} },
		func() any { return []any(nil) },
		func() any { return map[string]any{"city": fmt.Sprintf("C%d", r.IntN(3)), "zip": int64(r.IntN(3))} },
		func() any {
			return []any{map[string]any{"kind": "home", "n": int64(r.IntN(4))}, map[string]any{"kind": "Work"}}
		},
		func() any { return map[string]any(nil) },
		func() any { return []string{"kept", "as is"} },
		func() any { return fmt.Sprintf("2024-0%d-1%d", 1+r.IntN(9), r.IntN(10)) },
		func() any { return strings.Repeat("é", r.IntN(3)) + "ÅB" },
		func() any { return randomValue(r, 0) },
	}
	var recs []Record
	for i := range 80 {
		rec := Record{"seq": int64(i), "deleted": i%11 == 0}
		for _, f := range []string{"a", "b", "c", "d", "e", "f", "a.b"} {
			if r.IntN(6) != 0 { // leave the field missing sometimes
				rec[f] = kinds[r.IntN(len(kinds))]()
			}
		}
		recs = append(recs, rec)
	}
	if err := s.SetBase(map[string][]Record{"brands": recs}); err != nil {
		tb.Fatal(err)
	}
	x := s.Session("")
	hidden := make([]bool, len(recs))
	for i := range recs {
		hidden[i] = recs[i]["deleted"] == true
	}
	for _, i := range []int{5, 6, 42} { // soft-delete some more
		if !hidden[i] {
			if err := x.Delete("brands", strconv.Itoa(i+1)); err != nil {
				tb.Fatal(err)
			}
			hidden[i] = true
			recs[i] = cloneRecord(recs[i])
			recs[i]["deleted"] = true
		}
	}
	return x, recs, hidden
}

func json_number(n int) any { return json.Number(strconv.Itoa(n) + ".0") }

func checkReference(t *testing.T, x *Session, recs []Record, hidden []bool, q Query) {
	t.Helper()
	got, want := x.List("brands", q), refList(recs, hidden, q)
	if got.Total != want.Total || seqs(got.Items) != seqs(want.Items) {
		t.Fatalf("List(%+v) = %s (total %d), reference %s (total %d)", q, seqs(got.Items), got.Total, seqs(want.Items), want.Total)
	}
}

var (
	referenceFields = []string{"a", "b", "c", "d", "e", "f", "a.b", "c.city", "d.zip", "e.kind", "f.n", "missing", "seq", "deleted", "b.city.x"}
	referenceValues = []string{"1", "true", "false", "null", "x1", "Name3", "2024-03", "1.5", "0.25", "é", "åb", "C1", "home", "4", "18446744073709551615", "-1", "", "kept"}
)

// randomQuery makes a query over referenceSession's fields.
func randomQuery(r *rand.Rand) Query {
	var q Query
	for range r.IntN(3) {
		vals := make([]string, 1+r.IntN(2))
		for i := range vals {
			vals[i] = referenceValues[r.IntN(len(referenceValues))]
		}
		q.Filters = append(q.Filters, Filter{Field: referenceFields[r.IntN(len(referenceFields))], Op: FilterOp(r.IntN(7)), Values: vals})
	}
	if r.IntN(3) == 0 {
		q.Search = referenceValues[r.IntN(len(referenceValues))]
		for range r.IntN(3) {
			q.SearchFields = append(q.SearchFields, referenceFields[r.IntN(len(referenceFields))])
		}
	}
	for range r.IntN(3) {
		q.Sort = append(q.Sort, SortKey{Field: referenceFields[r.IntN(len(referenceFields))], Desc: r.IntN(2) == 0})
	}
	q.Offset, q.Limit = r.IntN(10)-1, r.IntN(30)
	q.IncludeDeleted = r.IntN(4) == 0
	return q
}

// TestList_MatchesReference: List on frozen records selects and orders as the map
// implementation did.
// On wide shapes too.
func TestList_MatchesReference(t *testing.T) {
	for _, shapeCap := range []int{0, 1} {
		x, recs, hidden := referenceSession(t, shapeCap)
		r := rand.New(rand.NewPCG(3, 4))
		for range 5000 {
			checkReference(t, x, recs, hidden, randomQuery(r))
		}
	}
}

func FuzzListReference(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(99), uint64(0))
	x, recs, hidden := referenceSession(f, 0)
	wide, _, _ := referenceSession(f, 1) // the same records, on wide shapes
	f.Fuzz(func(t *testing.T, a, b uint64) {
		q := randomQuery(rand.New(rand.NewPCG(a, b)))
		checkReference(t, x, recs, hidden, q)
		checkReference(t, wide, recs, hidden, q)
	})
}

// Reference functions, as they were.

func refLookup(rec Record, field string, path []string) (any, bool) {
	if v, ok := rec[field]; ok || path == nil {
		return v, ok
	}
	return refWalk(rec, path)
}

func refWalk(cur any, path []string) (any, bool) {
	for i, p := range path {
		switch t := cur.(type) {
		case map[string]any:
			v, ok := t[p]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			var out []any
			for _, e := range t {
				v, ok := refWalk(e, path[i:])
				if !ok {
					continue
				}
				if arr, isArr := v.([]any); isArr {
					out = append(out, arr...)
				} else {
					out = append(out, v)
				}
			}
			return out, out != nil
		default:
			return nil, false
		}
	}
	return cur, true
}

func refMatch(cq *refQuery, rec Record) bool {
	for i := range cq.filters {
		f := &cq.filters[i]
		v, ok := refLookup(rec, f.field, f.path)
		if !ok || !f.refMatches(v) {
			return false
		}
	}
	if cq.search == "" {
		return true
	}
	if len(cq.fields) == 0 {
		for _, v := range rec {
			if refSearchValue(v, cq.search, 8) {
				return true
			}
		}
		return false
	}
	for i := range cq.fields {
		if v, ok := refLookup(rec, cq.fields[i].field, cq.fields[i].path); ok && refSearchValue(v, cq.search, 8) {
			return true
		}
	}
	return false
}

// searchValue looks for needle in the strings of v, descending into objects and arrays.
func refSearchValue(v any, needle string, depth int) bool {
	switch t := v.(type) {
	case string:
		return containsFold(t, needle)
	case map[string]any:
		if depth > 0 {
			for _, e := range t {
				if refSearchValue(e, needle, depth-1) {
					return true
				}
			}
		}
	case []any:
		if depth > 0 {
			for _, e := range t {
				if refSearchValue(e, needle, depth-1) {
					return true
				}
			}
		}
	}
	return false
}

func (f *refFilter) refMatches(v any) bool {
	if arr, ok := v.([]any); ok {
		for _, e := range arr {
			if f.refMatchesScalar(e) {
				return true
			}
		}
		return false
	}
	return f.refMatchesScalar(v)
}

func (f *refFilter) refMatchesScalar(v any) bool {
	for i := range f.vals {
		if f.refMatchesValue(v, &f.vals[i]) {
			return true
		}
	}
	return false
}

func (f *refFilter) refMatchesValue(v any, fv *filterValue) bool {
	switch f.op {
	case Eq:
		switch t := v.(type) {
		case string:
			return strings.EqualFold(t, fv.raw)
		case bool:
			return fv.isBool && t == fv.b
		case nil:
			return fv.isNull
		case map[string]any, []any:
			return false
		}
		n, ok := toNumber(v)
		return ok && fv.isNum && compareNumbers(n, fv.num) == 0
	case Contains:
		switch t := v.(type) {
		case string:
			return containsFold(t, fv.lower)
		case bool:
			return containsFold(strconv.FormatBool(t), fv.lower)
		case nil, map[string]any, []any:
			return false
		}
		if _, ok := toNumber(v); ok {
			return containsFold(refFormatNumber(v), fv.lower)
		}
		return false
	case Gte, Lte, Gt, Lt:
		c, ok := refOrder(v, fv)
		if !ok {
			return false
		}
		switch f.op {
		case Gte:
			return c >= 0
		case Lte:
			return c <= 0
		case Gt:
			return c > 0
		default:
			return c < 0
		}
	}
	return false
}

// order compares a stored value with a filter value for the range operators.
func refOrder(v any, fv *filterValue) (int, bool) {
	switch t := v.(type) {
	case string:
		if fv.isNum {
			if n, ok := parseNumber(t); ok {
				return compareNumbers(n, fv.num), true
			}
		}
		return strings.Compare(t, fv.raw), true
	case bool:
		if !fv.isBool {
			return 0, false
		}
		return compareSortVals(refMakeSortVal(t, true), refMakeSortVal(fv.b, true), false), true
	case nil, map[string]any, []any:
		return 0, false
	}
	if n, ok := toNumber(v); ok && fv.isNum {
		return compareNumbers(n, fv.num), true
	}
	return 0, false
}

func refMakeSortVal(v any, ok bool) sortVal {
	if !ok {
		return sortVal{rank: rankMissing}
	}
	switch t := v.(type) {
	case nil:
		return sortVal{rank: rankMissing}
	case string:
		if isDigits(t) {
			return sortVal{rank: rankDigits, s: t}
		}
		return sortVal{rank: rankString, s: t}
	case bool:
		if t {
			return sortVal{rank: rankBool, n: number{i: 1, isInt: true}}
		}
		return sortVal{rank: rankBool, n: number{isInt: true}}
	case map[string]any, []any:
		return sortVal{rank: rankOther}
	}
	if n, ok := toNumber(v); ok {
		return sortVal{rank: rankNumber, n: n}
	}
	return sortVal{rank: rankOther}
}
