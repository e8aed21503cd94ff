package state

import (
	"cmp"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// number is a JSON number kept exact when it is an integer.
type number struct {
	i     int64
	f     float64
	isInt bool
}

func (n number) float() float64 {
	if n.isInt {
		return float64(n.i)
	}
	return n.f
}

func compareNumbers(a, b number) int {
	if a.isInt && b.isInt {
		return cmp.Compare(a.i, b.i)
	}
	return cmp.Compare(a.float(), b.float())
}

// toNumber reads a stored numeric value of any of the types callers may hand in.
func toNumber(v any) (number, bool) {
	switch t := v.(type) {
	case int64:
		return number{i: t, isInt: true}, true
	case float64:
		return number{f: t}, true
	case int:
		return number{i: int64(t), isInt: true}, true
	case json.Number:
		return parseNumber(string(t))
	case int32:
		return number{i: int64(t), isInt: true}, true
	case float32:
		return number{f: float64(t)}, true
	case uint64:
		if t <= math.MaxInt64 {
			return number{i: int64(t), isInt: true}, true
		}
		return number{f: float64(t)}, true
	case uint:
		return toNumber(uint64(t))
	case uint32:
		return number{i: int64(t), isInt: true}, true
	case int16:
		return number{i: int64(t), isInt: true}, true
	case int8:
		return number{i: int64(t), isInt: true}, true
	case uint16:
		return number{i: int64(t), isInt: true}, true
	case uint8:
		return number{i: int64(t), isInt: true}, true
	}
	return number{}, false
}

// parseNumber reads a finite number written as text; "NaN" and "Inf" are not numbers here.
func parseNumber(s string) (number, bool) {
	// a cheap look first: strconv allocates an error for every string it refuses
	integer := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '-' || c == '+':
			integer = integer && i == 0
		case c == '.' || c == 'e' || c == 'E':
			integer = false
		default:
			return number{}, false
		}
	}
	if s == "" {
		return number{}, false
	}
	if integer {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return number{i: i, isInt: true}, true
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return number{}, false
	}
	return number{f: f}, true
}

func formatNumberOf(n number) string {
	if n.isInt {
		return strconv.FormatInt(n.i, 10)
	}
	return strconv.FormatFloat(n.f, 'f', -1, 64)
}

// compareFold compares strings case-insensitively (by lower-cased runes).
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := a[i], b[i]
		if ca >= utf8.RuneSelf || cb >= utf8.RuneSelf {
			return compareFoldRunes(a[i:], b[i:])
		}
		if 'A' <= ca && ca <= 'Z' {
			ca += 'a' - 'A'
		}
		if 'A' <= cb && cb <= 'Z' {
			cb += 'a' - 'A'
		}
		if ca != cb {
			return cmp.Compare(ca, cb)
		}
	}
	return cmp.Compare(len(a), len(b))
}

func compareFoldRunes(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if c := cmp.Compare(unicode.ToLower(ra), unicode.ToLower(rb)); c != 0 {
			return c
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

// containsFold reports whether needle (already lower-cased) occurs in h, ignoring case.
func containsFold(h, needle string) bool {
	if needle == "" {
		return true
	}
	for i := 0; i < len(needle); i++ {
		if needle[i] >= utf8.RuneSelf {
			return strings.Contains(strings.ToLower(h), needle)
		}
	}
	n := len(needle)
	first := needle[0]
	for i := 0; i+n <= len(h); i++ {
		c := h[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != first {
			continue
		}
		j := 1
		for ; j < n; j++ {
			c := h[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != needle[j] {
				break
			}
		}
		if j == n {
			return true
		}
	}
	return false
}

// isDigits reports a non-empty string of ASCII digits, such as a Hero Health id.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// compareDigits orders digit strings by numeric value (of any length), then as written.
func compareDigits(a, b string) int {
	ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if c := cmp.Compare(len(ta), len(tb)); c != 0 {
		return c
	}
	if c := strings.Compare(ta, tb); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// Sort ranks: values of different kinds order by rank, values of one kind by value.
const (
	rankNumber uint8 = iota
	rankDigits       // digit strings, ordered numerically so "9" < "10"
	rankString
	rankBool
	rankOther // objects and arrays: all equal
	rankMissing
)

// sortVal is a value prepared for sorting.
type sortVal struct {
	rank uint8
	n    number
	s    string
}

func makeSortVal(v any, ok bool) sortVal { return sortValOf(viewOf(v), ok) }

func sortValOf(v view, ok bool) sortVal {
	if !ok {
		return sortVal{rank: rankMissing}
	}
	switch v.k {
	case vNil:
		return sortVal{rank: rankMissing}
	case vString:
		if isDigits(v.s) {
			return sortVal{rank: rankDigits, s: v.s}
		}
		return sortVal{rank: rankString, s: v.s}
	case vBool:
		return sortVal{rank: rankBool, n: number{i: int64(v.n), isInt: true}}
	case vObject, vArray:
		return sortVal{rank: rankOther}
	}
	if n, ok := v.number(); ok {
		return sortVal{rank: rankNumber, n: n}
	}
	return sortVal{rank: rankOther}
}

// compareSortVals orders a before b; missing and null values come last in either direction.
func compareSortVals(a, b sortVal, desc bool) int {
	if a.rank == rankMissing || b.rank == rankMissing {
		return cmp.Compare(a.rank, b.rank) // only rankMissing can differ from the other here
	}
	var c int
	if a.rank != b.rank {
		c = cmp.Compare(a.rank, b.rank)
	} else {
		switch a.rank {
		case rankNumber, rankBool:
			c = compareNumbers(a.n, b.n)
		case rankDigits:
			c = compareDigits(a.s, b.s)
		case rankString:
			c = compareFold(a.s, b.s)
		}
	}
	if desc {
		return -c
	}
	return c
}
