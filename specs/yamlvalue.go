package specs

import "fmt"

// JSONValue turns a YAML-decoded value into a JSON-compatible one: maps with non-string keys
// (map[any]any) become map[string]any, recursively. Maps and slices are changed in place.
// Examples, scenario bodies and fixtures written in YAML all go through it.
func JSONValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = JSONValue(x)
		}
		return t
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[fmt.Sprint(k)] = JSONValue(x)
		}
		return m
	case []any:
		for i, x := range t {
			t[i] = JSONValue(x)
		}
		return t
	}
	return v
}
