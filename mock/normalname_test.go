package mock

import (
	"strings"
	"testing"
)

func TestNormalName(t *testing.T) {
	old := func(name string) string {
		return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(name))
	}
	for _, n := range []string{"", "createdAt", "created_at", "Created-At", "SecDateTEntry", "DateTStamp",
		"__", "a-b_c", "ÉtéCréé_at", "İd", "x\xffy", "ZZ9"} {
		if got, want := normalName(n), old(n); got != want {
			t.Errorf("normalName(%q) = %q, want %q", n, got, want)
		}
	}
}

func BenchmarkNormalName(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = normalName("SecDateTEntry")
	}
}
