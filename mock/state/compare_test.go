package state

import (
	"encoding/json"
	"testing"
)

func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

func TestCompareFold(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"abc", "ABC", 0}, {"abc", "abd", -1}, {"Abd", "abc", 1}, {"ab", "abc", -1}, {"", "", 0},
		{"Émile", "émile", 0}, {"Émile", "Ena", 1}, {"zoë", "ZOË", 0}, {"zoe", "zoë", -1},
		{"straße", "STRASSE", 1}, {"a\xffb", "a\xfeb", 0},
	} {
		if got := sign(compareFold(tc.a, tc.b)); got != tc.want {
			t.Errorf("compareFold(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := sign(compareFold(tc.b, tc.a)); got != -tc.want {
			t.Errorf("compareFold(%q, %q) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
	}
}

func TestContainsFold(t *testing.T) {
	for _, tc := range []struct {
		h, needle string
		want      bool
	}{
		{"Hello World", "world", true}, {"Hello", "", true}, {"Hi", "hello", false},
		{"ÉCOLE Normale", "école", true}, {"abc", "é", false}, {"aaab", "aab", true},
	} {
		if got := containsFold(tc.h, tc.needle); got != tc.want {
			t.Errorf("containsFold(%q, %q) = %v, want %v", tc.h, tc.needle, got, tc.want)
		}
	}
}

func TestNumbers(t *testing.T) {
	for _, tc := range []struct {
		in    any
		want  float64
		isInt bool
		ok    bool
	}{
		{int64(3), 3, true, true}, {3, 3, true, true}, {int32(3), 3, true, true}, {int16(3), 3, true, true},
		{int8(3), 3, true, true}, {uint(3), 3, true, true}, {uint64(3), 3, true, true},
		{uint64(1) << 63, 1 << 63, false, true}, {uint32(3), 3, true, true}, {uint16(3), 3, true, true},
		{uint8(3), 3, true, true}, {float32(1.5), 1.5, false, true}, {2.5, 2.5, false, true},
		{json.Number("4"), 4, true, true}, {json.Number("4.5"), 4.5, false, true},
		{"4", 0, false, false}, {true, 0, false, false},
	} {
		n, ok := toNumber(tc.in)
		if ok != tc.ok || ok && (n.float() != tc.want || n.isInt != tc.isInt) {
			t.Errorf("toNumber(%#v) = %+v, %v", tc.in, n, ok)
		}
	}
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"12", true}, {"-12", true}, {"+1.5e3", true}, {".5", true}, {"1e999", false}, {"NaN", false},
		{"Inf", false}, {"", false}, {"1-2", false}, {"2024-01-01", false}, {"0x10", false},
		{"99999999999999999999", true},
	} {
		if _, ok := parseNumber(tc.in); ok != tc.ok {
			t.Errorf("parseNumber(%q) ok = %v, want %v", tc.in, ok, tc.ok)
		}
	}
}

func TestCompareDigits(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"9", "10", -1}, {"10", "10", 0}, {"010", "10", -1}, {"123456789012345678901234", "99", 1}, {"0", "00", -1},
	} {
		if got := sign(compareDigits(tc.a, tc.b)); got != tc.want {
			t.Errorf("compareDigits(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
