package mock

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// jsonNormal must give what a JSON round trip gives, and say when it cannot.
func TestJSONNormalIsTheRoundTrip(t *testing.T) {
	nested := map[string]any{"n": int64(7), "list": []any{1, "x", map[string]any{"f": float32(0.5)}}}
	cases := []struct {
		name string
		in   any
		ok   bool
	}{
		{"string", "a", true},
		{"int", 3, true},
		{"int64", int64(-9), true},
		{"int32", int32(4), true},
		{"float32", float32(1.25), true},
		{"nil", nil, true},
		{"nested", nested, true},
		{"unchanged map", map[string]any{"a": "b", "c": []any{true, nil, 1.5}}, true},
		{"time", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), false},
		{"map in list with time", []any{map[string]any{"t": time.Time{}}}, false},
		{"string slice", []string{"a"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := jsonNormal(c.in)
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v", ok, c.ok)
			}
			if !ok {
				return
			}
			b, err := json.Marshal(c.in)
			if err != nil {
				t.Fatal(err)
			}
			var want any
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %#v, want %#v", got, want)
			}
		})
	}
	if _, ok := nested["n"].(int64); !ok {
		t.Errorf("jsonNormal changed its input: %#v", nested)
	}
}
