package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"testing/fstest"

	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/specs"
)

// rendered are the keywords specs.RenderJSONSchema writes; schemaKeys those that hold schemas.
var (
	rendered = map[string]bool{"type": true, "format": true, "pattern": true, "multipleOf": true, "maximum": true,
		"minimum": true, "maxLength": true, "minLength": true, "maxItems": true, "minItems": true, "uniqueItems": true,
		"maxProperties": true, "minProperties": true, "minContains": true, "maxContains": true, "nullable": true,
		"readOnly": true, "writeOnly": true, "exclusiveMaximum": true, "exclusiveMinimum": true, "enum": true,
		"const": true, "allOf": true, "oneOf": true, "anyOf": true, "prefixItems": true, "contains": true, "if": true,
		"then": true, "else": true, "propertyNames": true, "unevaluatedItems": true, "not": true, "properties": true,
		"patternProperties": true, "dependentSchemas": true, "items": true, "additionalProperties": true,
		"unevaluatedProperties": true, "dependentRequired": true, "discriminator": true, "required": true}
	schemaLists = map[string]bool{"allOf": true, "oneOf": true, "anyOf": true, "prefixItems": true}
	schemaMaps  = map[string]bool{"properties": true, "patternProperties": true, "dependentSchemas": true}
	schemaOne   = map[string]bool{"contains": true, "if": true, "then": true, "else": true, "propertyNames": true,
		"unevaluatedItems": true, "not": true, "items": true, "additionalProperties": true, "unevaluatedProperties": true}
)

// keywordsOnly drops what the renderer leaves out (descriptions, examples, extensions) from a
// schema the library rendered, keyword by keyword (a property may be called description).
func keywordsOnly(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, e := range m {
		switch {
		case !rendered[k]:
		case schemaLists[k]:
			list, _ := e.([]any)
			c := make([]any, len(list))
			for i, x := range list {
				c[i] = keywordsOnly(x)
			}
			out[k] = c
		case schemaMaps[k]:
			sub, _ := e.(map[string]any)
			c := map[string]any{}
			for n, x := range sub {
				c[n] = keywordsOnly(x)
			}
			out[k] = c
		case schemaOne[k]:
			out[k] = keywordsOnly(e)
		default:
			out[k] = e
		}
	}
	return out
}

// specs.RenderJSONSchema writes every schema of the bundled descriptions as the library renders it
// for validation (keywords only), in each direction.
func TestRenderMatchesTheLibrary(t *testing.T) {
	purposes := []schema_validation.SchemaValidationPurpose{schema_validation.SchemaValidationPurposeGeneric,
		schema_validation.SchemaValidationPurposeRequestBody, schema_validation.SchemaValidationPurposeResponseBody}
	for _, name := range []string{"opendental", "herohealth", "heydonto", "heydonto-auth", "kana-practice", "kana-users"} {
		v := bundledVendor(t, name)
		schemas := bodySchemas(v)
		compared, skipped := 0, 0
		for _, s := range schemas {
			for _, purpose := range purposes {
				lib, err := schema_validation.RenderSchemaForValidation(s, purpose)
				if err != nil || lib == nil || bytes.Contains(lib.RenderedJSON, []byte(`"$ref"`)) {
					skipped++
					continue
				}
				ours, err := specs.RenderJSONSchema(s, v.Schema, useOf(purpose))
				if err != nil {
					t.Fatal(err)
				}
				var a, b any
				if err := json.Unmarshal(ours, &a); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(lib.RenderedJSON, &b); err != nil {
					t.Fatal(err)
				}
				ga, _ := json.Marshal(a)
				gb, _ := json.Marshal(keywordsOnly(b))
				if !bytes.Equal(ga, gb) {
					t.Errorf("%s (purpose %d):\n ours: %s\n  lib: %s", name, purpose, ga, gb)
					if t.Failed() && compared > 3 {
						t.FailNow()
					}
				}
				compared++
			}
		}
		t.Logf("%s: %d schemas, %d renderings compared, %d skipped (circular)", name, len(schemas), compared, skipped)
	}
}

// bodySchemas are the distinct schemas of a vendor's request and response bodies and components.
func bodySchemas(v *specs.Vendor) []*base.Schema {
	seen := map[*base.Schema]bool{}
	var out []*base.Schema
	add := func(p *base.SchemaProxy) {
		if s := v.Schema(p); s != nil && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, o := range v.Operations {
		if rb := o.Op.RequestBody; rb != nil && rb.Content != nil {
			for _, mt := range rb.Content.FromOldest() {
				add(mt.Schema)
			}
		}
		if o.Op.Responses != nil && o.Op.Responses.Codes != nil {
			for _, r := range o.Op.Responses.Codes.FromOldest() {
				if r.Content != nil {
					for _, mt := range r.Content.FromOldest() {
						add(mt.Schema)
					}
				}
			}
		}
	}
	if c := v.Model.Components; c != nil && c.Schemas != nil {
		for _, p := range c.Schemas.FromOldest() {
			add(p)
		}
	}
	return out
}

// A schema that contains itself is written once under $defs, and checks values at any depth.
func TestRenderRecursive(t *testing.T) {
	fsys := fstest.MapFS{"r/openapi.yaml": {Data: []byte(refSpec)}}
	cat, err := specs.Load(context.Background(), []specs.Source{{Name: "r", Path: "r/openapi.yaml", FS: fsys}}, specs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := cat.Vendor("r")
	node := v.Schema(v.Model.Components.Schemas.GetOrZero("Node"))
	js, err := specs.RenderJSONSchema(node, v.Schema, specs.UseRequest)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(js, []byte(`"$defs":{"s0"`)) || bytes.Count(js, []byte(`"$ref":"#/$defs/s0"`)) == 0 {
		t.Fatalf("Node not written under $defs: %s", js)
	}
	val := New(v, Options{})
	c := val.compiledFor(node, schema_validation.SchemaValidationPurposeRequestBody)
	if c == nil {
		t.Fatalf("does not compile: %s", js)
	}
	for _, tc := range []struct {
		value string
		ok    bool
	}{
		{`{"name":"a","children":[{"name":"b","children":[{"name":"c"}]}]}`, true},
		{`{"name":"a","children":[{"name":"b","children":[{"name":3}]}]}`, false},
		{`{"name":"a","children":[{"children":[]}]}`, false},
	} {
		var doc any
		if err := json.Unmarshal([]byte(tc.value), &doc); err != nil {
			t.Fatal(err)
		}
		if err := c.Validate(doc); (err == nil) != tc.ok {
			t.Errorf("%s: valid=%v, want %v (%v)", tc.value, err == nil, tc.ok, err)
		}
	}
}
