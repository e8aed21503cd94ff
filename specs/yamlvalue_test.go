package specs_test

import (
	"encoding/json"
	"testing"

	"github.com/vendormock/vendormock/specs"
)

func TestJSONValue(t *testing.T) {
	in := map[string]any{"a": map[any]any{1: "x", "b": []any{map[any]any{true: 2}}}}
	b, err := json.Marshal(specs.JSONValue(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"a":{"1":"x","b":[{"true":2}]}}` {
		t.Fatalf("got %s", b)
	}
}
