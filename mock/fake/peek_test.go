package fake

import (
	"os"
	"testing"
)

func TestPeek(t *testing.T) {
	if os.Getenv("PEEK") == "" {
		t.Skip()
	}
	for _, f := range []string{"constraints31.yaml", "constraints30.yaml", "recursive.yaml"} {
		for _, ns := range loadSpec(t, f) {
			if os.Getenv("PEEK") != "1" && os.Getenv("PEEK") != ns.name {
				continue
			}
			g := New(Options{Seed: 7, Now: fixedNow})
			for i := 0; i < 2; i++ {
				t.Logf("%s: %s", ns.name, mustJSON(t, g.Generate(ns.schema, "k"+string(rune('a'+i)), Response)))
			}
		}
	}
}
