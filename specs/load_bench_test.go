package specs

import (
	"context"
	"testing"
)

// BenchmarkLoadOpenDental loads the largest bundled description (it dominates start-up).
func BenchmarkLoadOpenDental(b *testing.B) {
	var src Source
	for _, s := range Bundled() {
		if s.Name == "opendental" {
			src = s
		}
	}
	if src.Name == "" {
		b.Fatal("no bundled opendental")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(context.Background(), []Source{src}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
