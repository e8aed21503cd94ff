package mock

import (
	"context"
	"testing"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/specs"
)

// The schema walks read property and item schemas through the vendor, one object per schema
// of the description: libopenapi builds a new object (and new objects for every property
// below it) each time its model reaches a component from another place.
func TestSchemaWalksShareObjects(t *testing.T) {
	cat, err := specs.Load(context.Background(), []specs.Source{{Name: "pets", Path: "testdata/shared-schemas.yaml"}}, specs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := cat.Vendors[0]
	items := func(id string) *base.Schema {
		t.Helper()
		op, ok := v.Operation(id)
		if !ok {
			t.Fatalf("no operation %s", id)
		}
		rs := responseSchema(op)
		if rs == nil {
			t.Fatalf("%s: no answer schema", id)
		}
		it, _ := listItems(v, rs)
		if it == nil {
			t.Fatalf("%s: no list items", id)
		}
		return it
	}
	a, b := items("listPets"), items("listShelterPets")
	if a != b {
		t.Fatalf("the two lists' items are %p and %p, want one object for Pet", a, b)
	}
	shelter := v.Schema(v.Model.Components.Schemas.GetOrZero("Shelter"))
	if po, so := properties(v, a)["owner"], properties(v, shelter)["owner"]; po == nil || po != so {
		t.Fatalf("Pet's and Shelter's owner are %p and %p, want one object for Owner", po, so)
	}
	vr := &vendorRuntime{v: v}
	if got := vr.props(b)["name"]; got == nil || got != properties(v, a)["name"] {
		t.Fatalf("cached and uncached property schemas differ: %p", got)
	}
}
