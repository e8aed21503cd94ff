package specs_test

import (
	"slices"
	"testing"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/specs"
)

// TestVendorSchema checks that Vendor.Schema gives one object per schema of the description
// (the same $ref in the same file, the same inline schema) and never one object for two
// schemas (the same $ref text in two files, equal inline schemas in two places).
func TestVendorSchema(t *testing.T) {
	cat, err := specs.Load(t.Context(), []specs.Source{{Name: "same", Path: "testdata/samerefs/openapi.yaml"}}, specs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := cat.Vendors[0]
	media := func(id, status, ct string) *base.SchemaProxy {
		t.Helper()
		op, ok := v.Operation(id)
		if !ok {
			t.Fatalf("no operation %s", id)
		}
		r, ok := op.Op.Responses.Codes.Get(status)
		if !ok {
			t.Fatalf("%s: no response %s", id, status)
		}
		mt, ok := r.Content.Get(ct)
		if !ok || mt.Schema == nil {
			t.Fatalf("%s %s: no %s schema", id, status, ct)
		}
		return mt.Schema
	}
	props := func(s *base.Schema) []string {
		var names []string
		for n := range s.Properties.KeysFromOldest() {
			names = append(names, n)
		}
		return names
	}
	const js, xml = "application/json", "application/xml"

	c, d := v.Schema(media("getC", "200", js)), v.Schema(media("getD", "200", js))
	if c == nil || c != d {
		t.Fatalf("two operations' $ref to one component: %p and %p, want one object", c, d)
	}
	if media("getC", "200", js).Schema() == media("getD", "200", js).Schema() {
		t.Fatal("libopenapi shares the objects itself: this test no longer shows anything")
	}
	if v.Schema(media("getC", "200", js)) != c {
		t.Fatal("a second call gave another object")
	}
	if pc, pd := v.Schema(media("getC", "400", js)), v.Schema(media("getD", "400", js)); pc == nil || pc != pd {
		t.Fatalf("the inline schema of a shared response object: %p and %p, want one object", pc, pd)
	}
	if inline := v.Schema(media("getD", "200", xml)); inline == c || !slices.Equal(props(inline), []string{"c"}) {
		t.Fatalf("an inline schema equal to the component is %p (component %p), properties %v", inline, c, props(inline))
	}
	a, b := v.Schema(media("getA", "200", js)), v.Schema(media("getB", "200", js))
	if a == b || !slices.Equal(props(a), []string{"a"}) || !slices.Equal(props(b), []string{"b"}) {
		t.Fatalf("'#/Item' in a.yaml and b.yaml: %p %v and %p %v, want two schemas", a, props(a), b, props(b))
	}

	var none *specs.Vendor
	if s := none.Schema(media("getC", "200", js)); s == nil || !slices.Equal(props(s), []string{"c"}) {
		t.Fatalf("a nil Vendor gives %v", s)
	}
	if v.Schema(nil) != nil {
		t.Fatal("a nil proxy gives a schema")
	}
}
