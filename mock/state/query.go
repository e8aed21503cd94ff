package state

import (
	"strconv"
	"strings"
)

// Query selects, orders and pages the records of a collection. The zero Query lists every
// visible record in insertion order.
type Query struct {
	// Filters must all match.
	Filters []Filter
	// Search keeps records with a case-insensitive substring match in one of SearchFields
	// (dotted paths allowed), or in any string value when SearchFields is empty.
	Search       string
	SearchFields []string
	// Sort orders by each key in turn; ties keep insertion order.
	Sort []SortKey
	// Offset skips matches; Limit caps the page (0 means no cap). Negative values count
	// as 0.
	Offset, Limit int
	// IncludeDeleted lists soft-deleted records too.
	IncludeDeleted bool
}

// Filter keeps records whose Field compares with at least one of Values under Op. Field may
// be a dotted path ("address.city", continuing through arrays: "phones.kind"); a key that
// contains dots itself is found too. When the field holds an array, the filter matches if
// any element does. A missing field, or a
// filter without values, matches nothing.
type Filter struct {
	Field  string
	Op     FilterOp
	Values []string
}

// FilterOp is how a Filter compares a field with its values.
type FilterOp int

const (
	// Eq matches equal values: numbers and booleans by value ("5" matches 5, 5.0 and "5";
	// "true" matches true), strings case-insensitively, "null" matches null.
	Eq FilterOp = iota
	// Gte matches values greater than or equal to the filter value: numbers (and numeric
	// strings compared with a number) numerically, other strings, ISO dates included,
	// lexicographically, false before true.
	Gte
	// Lte matches values less than or equal to the filter value, ordered as for Gte.
	Lte
	// Gt matches values greater than the filter value, ordered as for Gte.
	Gt
	// Lt matches values less than the filter value, ordered as for Gte.
	Lt
	// Contains matches a case-insensitive substring of the value's text (strings, numbers,
	// booleans).
	Contains
)

// String names the operator.
func (op FilterOp) String() string {
	switch op {
	case Eq:
		return "eq"
	case Gte:
		return "gte"
	case Lte:
		return "lte"
	case Gt:
		return "gt"
	case Lt:
		return "lt"
	case Contains:
		return "contains"
	}
	return "FilterOp(" + strconv.Itoa(int(op)) + ")"
}

// SortKey orders by one field (a dotted path allowed): numbers numerically, digit strings
// numerically, other strings case-insensitively, false before true, missing and null
// values last whatever the direction.
type SortKey struct {
	Field string
	Desc  bool
}

// Page is one page of a List.
type Page struct {
	// Items are the records of the page, in order.
	Items []Record
	// Total counts every match, before Offset and Limit.
	Total int
}

// filterValue is one Filter value parsed once per query.
type filterValue struct {
	raw    string
	lower  string
	num    number
	isNum  bool
	b      bool
	isBool bool
	isNull bool
}

type compiledFilter struct {
	ref  fieldRef
	op   FilterOp
	vals []filterValue
}

type compiledQuery struct {
	filters []compiledFilter
	search  string // lower-cased
	fields  []fieldRef
	sort    []SortKey
	keys    []fieldRef // of sort
}

func compileQuery(q *Query) compiledQuery {
	cq := compiledQuery{sort: q.Sort}
	for _, f := range q.Filters {
		cf := compiledFilter{ref: newFieldRef(f.Field), op: f.Op}
		for _, v := range f.Values {
			fv := filterValue{raw: v, lower: strings.ToLower(v)}
			fv.num, fv.isNum = parseNumber(v)
			if b, err := strconv.ParseBool(fv.lower); err == nil && (fv.lower == "true" || fv.lower == "false") {
				fv.b, fv.isBool = b, true
			}
			fv.isNull = fv.lower == "null"
			cf.vals = append(cf.vals, fv)
		}
		cq.filters = append(cq.filters, cf)
	}
	if q.Search != "" {
		cq.search = strings.ToLower(q.Search)
		for _, f := range q.SearchFields {
			cq.fields = append(cq.fields, newFieldRef(f))
		}
	}
	for _, k := range q.Sort {
		cq.keys = append(cq.keys, newFieldRef(k.Field))
	}
	return cq
}

func (cq *compiledQuery) selects() bool { return len(cq.filters) > 0 || cq.search != "" }

func splitPath(field string) []string {
	if !strings.Contains(field, ".") {
		return nil
	}
	return strings.Split(field, ".")
}

// walk follows a dotted path through Go values. A path that runs into an array continues in
// each element and gives the array of what it finds there ("addresses.city" of
// [{city: A}, {city: B}] is [A, B]).
func walk(cur any, path []string) (any, bool) {
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
				v, ok := walk(e, path[i:])
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

func (cq *compiledQuery) match(f *frozen) bool {
	for i := range cq.filters {
		fl := &cq.filters[i]
		v, ok := fl.ref.lookup(f)
		if !ok || !fl.matches(v) {
			return false
		}
	}
	if cq.search == "" {
		return true
	}
	if len(cq.fields) == 0 {
		pos, _ := f.start()
		for range f.shape.keys {
			if f.data[pos] == tagAbsent {
				pos++
				continue
			}
			var v view
			v, pos = viewAt(f.data, pos, f.shape)
			if searchView(v, cq.search, 8) {
				return true
			}
		}
		return false
	}
	for i := range cq.fields {
		if v, ok := cq.fields[i].lookup(f); ok && searchView(v, cq.search, 8) {
			return true
		}
	}
	return false
}

// searchView looks for needle in the strings of v, descending into objects and arrays.
func searchView(v view, needle string, depth int) bool {
	switch v.k {
	case vString:
		return containsFold(v.s, needle)
	case vObject, vArray:
		if depth <= 0 {
			return false
		}
		switch t := v.o.(type) {
		case map[string]any:
			for _, e := range t {
				if searchView(viewOf(e), needle, depth-1) {
					return true
				}
			}
			return false
		case []any:
			for _, e := range t {
				if searchView(viewOf(e), needle, depth-1) {
					return true
				}
			}
			return false
		}
		pos := 0
		for range v.n {
			if v.k == vObject {
				_, pos = keyAt(v.s, pos)
			}
			var e view
			e, pos = viewAt(v.s, pos, v.sh)
			if searchView(e, needle, depth-1) {
				return true
			}
		}
	}
	return false
}

func (f *compiledFilter) matches(v view) bool {
	if v.k == vArray {
		if v.o != nil {
			for _, e := range v.o.([]any) {
				if f.matchesScalar(viewOf(e)) {
					return true
				}
			}
			return false
		}
		pos := 0
		for range v.n {
			var e view
			e, pos = viewAt(v.s, pos, v.sh)
			if f.matchesScalar(e) {
				return true
			}
		}
		return false
	}
	return f.matchesScalar(v)
}

func (f *compiledFilter) matchesScalar(v view) bool {
	for i := range f.vals {
		if f.matchesValue(v, &f.vals[i]) {
			return true
		}
	}
	return false
}

func (f *compiledFilter) matchesValue(v view, fv *filterValue) bool {
	switch f.op {
	case Eq:
		switch v.k {
		case vString:
			return strings.EqualFold(v.s, fv.raw)
		case vBool:
			return fv.isBool && (v.n == 1) == fv.b
		case vNil:
			return fv.isNull
		case vObject, vArray:
			return false
		}
		n, ok := v.number()
		return ok && fv.isNum && compareNumbers(n, fv.num) == 0
	case Contains:
		switch v.k {
		case vString:
			return containsFold(v.s, fv.lower)
		case vBool:
			return containsFold(strconv.FormatBool(v.n == 1), fv.lower)
		case vNil, vObject, vArray:
			return false
		}
		if n, ok := v.number(); ok {
			return containsFold(formatNumberOf(n), fv.lower)
		}
		return false
	case Gte, Lte, Gt, Lt:
		c, ok := order(v, fv)
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
func order(v view, fv *filterValue) (int, bool) {
	switch v.k {
	case vString:
		if fv.isNum {
			if n, ok := parseNumber(v.s); ok {
				return compareNumbers(n, fv.num), true
			}
		}
		return strings.Compare(v.s, fv.raw), true
	case vBool:
		if !fv.isBool {
			return 0, false
		}
		return compareSortVals(makeSortVal(v.n == 1, true), makeSortVal(fv.b, true), false), true
	case vNil, vObject, vArray:
		return 0, false
	}
	if n, ok := v.number(); ok && fv.isNum {
		return compareNumbers(n, fv.num), true
	}
	return 0, false
}
