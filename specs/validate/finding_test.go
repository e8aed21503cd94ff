package validate

import "testing"

func TestPointerFromFieldPath(t *testing.T) {
	for in, want := range map[string]string{
		"":                "",
		"$":               "",
		"$.Dx":            "/Dx",
		"$.items[0].id":   "/items/0/id",
		"$['a/b'].c":      "/a~1b/c",
		"$.data[12]":      "/data/12",
		"$.meta.pageSize": "/meta/pageSize",
	} {
		if got := pointerFromFieldPath(in); got != want {
			t.Errorf("pointerFromFieldPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitGotWant(t *testing.T) {
	e, a := splitGotWant("got string, want integer")
	if e != "integer" || a != "string" {
		t.Fatalf("got %q %q", e, a)
	}
	if e, a := splitGotWant("something else"); e != "" || a != "" {
		t.Fatalf("got %q %q", e, a)
	}
}
