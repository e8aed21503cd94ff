package fake

import (
	"fmt"
	"testing"
)

// TestGeneratedValuesValidate is the property test: every schema in the
// testdata specs, many seeds and keys, both directions; values must pass
// libopenapi-validator before and after a JSON round trip.
func TestGeneratedValuesValidate(t *testing.T) {
	specs := []struct {
		file    string
		version float32
	}{{"constraints31.yaml", 3.1}, {"constraints30.yaml", 3.0}}
	v := newValidator()
	rounds := 25
	if testing.Short() {
		rounds = 5
	}
	for _, spec := range specs {
		for _, ns := range loadSpec(t, spec.file) {
			t.Run(spec.file+"/"+ns.name, func(t *testing.T) {
				for seed := int64(1); seed <= 3; seed++ {
					for _, loc := range []Locale{LocaleUS, LocaleUK} {
						g := New(Options{Seed: seed, Now: fixedNow, Locale: loc})
						for i := 0; i < rounds; i++ {
							key := fmt.Sprintf("vendor/op%d/200", i)
							val := g.Generate(ns.schema, key, Response)
							for _, payload := range []any{val, roundTrip(t, val)} {
								ok, errs := v.ValidateSchemaObjectWithVersion(ns.schema, payload, spec.version)
								if !ok {
									msg := ""
									for _, e := range errs {
										msg += e.Message + ": " + e.Reason + "; "
										for _, sv := range e.SchemaValidationErrors {
											msg += sv.Reason + " @ " + sv.FieldPath + "; "
										}
									}
									t.Fatalf("seed %d key %s: %s invalid: %s", seed, key, mustJSON(t, payload), msg)
								}
							}
						}
					}
				}
			})
		}
	}
}
