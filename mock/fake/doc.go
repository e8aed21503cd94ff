// Package fake turns OpenAPI schemas into realistic, schema-valid values.
//
// The package owns the "schema -> JSON value" step of vendormock: given a
// *base.Schema from libopenapi it produces a value built only from
// map[string]any, []any, string, int64 (JSON integers), float64 (JSON numbers
// with a fractional part or type number), bool and nil, so json.Marshal always
// produces valid output.
//
// Number representation: schemas of type integer produce int64; schemas of type
// number produce float64 (rounded to the precision of multipleOf, or to two
// decimals for money-like fields). Enum, const, example and default values keep
// the representation they were decoded with (integers as int64, others as
// float64).
//
// Values are deterministic: each Generate call seeds its own gofakeit.Faker from
// FNV-1a(Options.Seed, key), so the same seed, key, schema and direction always
// yield the same value, whatever the call order or concurrency. Date/time values
// near the present are relative to Options.Now truncated to the UTC day, so they
// are stable within a day even with the default clock.
//
// Each *base.Schema is compiled once into an internal plan (cached per
// Generator, keyed by schema pointer). Sub-schemas are compiled lazily, which
// is how recursive schemas are supported; generation depth is bounded by
// Options.MaxDepth. Every generated value is checked against the plan by an
// internal validator; hints, examples and pattern output that do not fit are
// discarded in favour of schema-driven values.
//
// OpenAPI 3.1 "$ref with sibling keywords" is compiled from libopenapi's
// semantic allOf view, so both the referenced schema and the siblings apply.
//
// Not generated specifically (values still pass the internal check where it
// knows the keyword): if/then/else, contains, dependentRequired,
// dependentSchemas and unevaluated*; keys matching patternProperties are
// never invented. A required readOnly property is omitted from requests and
// a required writeOnly property from responses, as OpenAPI prescribes.
//
// Realistic values come from name hints (firstName, HmPhone, ToothNum,
// ProcCode, nhs_number, ...), the Options.Hints map and the
// x-vendormock-faker schema extension; see Names for the generator names and
// Known to validate a name.
package fake
