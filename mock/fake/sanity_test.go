package fake

import (
	"testing"
)

// TestValidatorIsStrict guards the property test: the validator must reject
// obviously wrong values, otherwise passing proves nothing.
func TestValidatorIsStrict(t *testing.T) {
	specs := loadSpec(t, "constraints31.yaml")
	v := newValidator()
	bad := map[string]any{
		"EmailF":       "not an email",
		"DateF":        "2024-13-45",
		"DateTimeF":    "yesterday",
		"UUIDF":        "nope",
		"IPv4F":        "999.1.1.1",
		"Digits":       "12a",
		"ShortString":  "toolong",
		"IntMultiple":  int64(8),
		"NumMultiple":  0.005,
		"UniqueSmall":  []any{int64(1), int64(1), int64(2), int64(3)},
		"ClosedObject": map[string]any{"id": int64(1), "name": "x", "extra": true},
		"PetChoice":    map[string]any{"petType": "kitty"},
		"OneOfOverlap": int64(7),
		"NotSchema":    int64(2),
	}
	for name, val := range bad {
		ok, _ := v.ValidateSchemaObjectWithVersion(schemaByName(t, specs, name), val, 3.1)
		if ok {
			t.Errorf("%s: validator accepted %#v", name, val)
		}
	}
}
