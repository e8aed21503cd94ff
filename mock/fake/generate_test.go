package fake

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// TestConstraintKinds exercises one constraint kind per row with an explicit
// expectation on top of schema validity.
func TestConstraintKinds(t *testing.T) {
	isInt := func(v any) bool { _, ok := v.(int64); return ok }
	tests := []struct {
		name   string
		schema string
		ok     func(v any) bool
	}{
		{"string minLength/maxLength runes", "type: string\nminLength: 3\nmaxLength: 4", func(v any) bool {
			n := utf8.RuneCountInString(v.(string))
			return n >= 3 && n <= 4
		}},
		{"pattern", "type: string\npattern: '^[A-Z]{2}-\\d{3}$'", func(v any) bool {
			return regexp.MustCompile(`^[A-Z]{2}-\d{3}$`).MatchString(v.(string))
		}},
		{"pattern with length", "type: string\npattern: '^[a-z]+$'\nminLength: 20\nmaxLength: 22", func(v any) bool {
			s := v.(string)
			return len(s) >= 20 && len(s) <= 22 && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz") == ""
		}},
		{"enum", "type: string\nenum: [a, b]", func(v any) bool { return v == "a" || v == "b" }},
		{"const", "const: 42", func(v any) bool { return v == int64(42) }},
		{"integer bounds", "type: integer\nminimum: -3\nmaximum: 3", func(v any) bool {
			return isInt(v) && v.(int64) >= -3 && v.(int64) <= 3
		}},
		{"3.1 exclusive", "type: integer\nexclusiveMinimum: 1\nexclusiveMaximum: 3", func(v any) bool { return v == int64(2) }},
		{"multipleOf int", "type: integer\nmultipleOf: 5\nminimum: 1", func(v any) bool { return v.(int64)%5 == 0 && v.(int64) >= 5 }},
		{"multipleOf decimal", "type: number\nmultipleOf: 0.05", func(v any) bool {
			f := v.(float64)
			return math.Abs(f*20-math.Round(f*20)) < 1e-9
		}},
		{"number is float64", "type: number", func(v any) bool { _, ok := v.(float64); return ok }},
		{"boolean", "type: boolean", func(v any) bool { _, ok := v.(bool); return ok }},
		{"null only", "type: 'null'", func(v any) bool { return v == nil }},
		{"array bounds", "type: array\nitems: {type: string}\nminItems: 2\nmaxItems: 2", func(v any) bool { return len(v.([]any)) == 2 }},
		{"uniqueItems", "type: array\nitems: {type: integer, minimum: 1, maximum: 3}\nminItems: 3\nuniqueItems: true", func(v any) bool {
			a := v.([]any)
			return len(a) == 3 && a[0] != a[1] && a[1] != a[2] && a[0] != a[2]
		}},
		{"required always", "type: object\nrequired: [a, b]\nproperties:\n  a: {type: string}\n  b: {type: integer}\n  c: {type: boolean}", func(v any) bool {
			m := v.(map[string]any)
			_, a := m["a"]
			_, b := m["b"]
			return a && b
		}},
		{"additionalProperties false", "type: object\nadditionalProperties: false\nproperties:\n  a: {type: string}", func(v any) bool {
			for k := range v.(map[string]any) {
				if k != "a" {
					return false
				}
			}
			return true
		}},
		{"additionalProperties schema", "type: object\nadditionalProperties: {type: integer}", func(v any) bool {
			m := v.(map[string]any)
			for _, x := range m {
				if !isInt(x) {
					return false
				}
			}
			return len(m) <= 2
		}},
		{"maxProperties", "type: object\nmaxProperties: 1\nproperties:\n  a: {type: string}\n  b: {type: string}", func(v any) bool { return len(v.(map[string]any)) <= 1 }},
		{"date-time UTC", "type: string\nformat: date-time", func(v any) bool {
			ts, err := time.Parse(time.RFC3339, v.(string))
			return err == nil && strings.HasSuffix(v.(string), "Z") && ts.Before(fixedNow())
		}},
		{"date", "type: string\nformat: date", func(v any) bool { _, err := time.Parse("2006-01-02", v.(string)); return err == nil }},
		{"nullable type array", "type: [string, 'null']\nmaxLength: 3", func(v any) bool {
			s, ok := v.(string)
			return v == nil || (ok && utf8.RuneCountInString(s) <= 3)
		}},
		{"example used when valid", "type: string\nexample: scheduled\nenum: [scheduled]", func(v any) bool { return v == "scheduled" }},
	}
	val := newValidator()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := schemaFromYAML(t, tc.schema)
			g := New(Options{Seed: 11, Now: fixedNow})
			for i := 0; i < 40; i++ {
				v := g.Generate(s, fmt.Sprint("k", i), Response)
				if !tc.ok(v) {
					t.Fatalf("value %#v does not satisfy expectation", v)
				}
				if ok, errs := val.ValidateSchemaObjectWithVersion(s, v, 3.1); !ok {
					t.Fatalf("value %s invalid: %v", mustJSON(t, v), errs[0].Reason)
				}
			}
		})
	}
}

func TestDeterminism(t *testing.T) {
	specs := loadSpec(t, "constraints31.yaml")
	patient := schemaByName(t, specs, "Patient")
	gen := func(seed int64, key string) []byte {
		return mustJSON(t, New(Options{Seed: seed, Now: fixedNow}).Generate(patient, key, Response))
	}
	a := gen(1, "heydonto/getPatient/200")
	// a fresh generator that has seen other calls first must agree
	g := New(Options{Seed: 1, Now: fixedNow})
	for i := 0; i < 10; i++ {
		g.Generate(patient, fmt.Sprint("warm", i), Response)
	}
	if b := mustJSON(t, g.Generate(patient, "heydonto/getPatient/200", Response)); !bytes.Equal(a, b) {
		t.Fatalf("same seed+key differ:\n%s\n%s", a, b)
	}
	if b := gen(2, "heydonto/getPatient/200"); bytes.Equal(a, b) {
		t.Fatalf("different seeds gave identical output %s", a)
	}
	if b := gen(1, "heydonto/getPatient/201"); bytes.Equal(a, b) {
		t.Fatalf("different keys gave identical output %s", a)
	}
}

func TestConcurrentGenerate(t *testing.T) {
	specs := loadSpec(t, "constraints31.yaml")
	g := New(Options{Seed: 5, Now: fixedNow})
	want := make(map[string][]byte)
	ref := New(Options{Seed: 5, Now: fixedNow})
	for _, ns := range specs {
		want[ns.name] = mustJSON(t, ref.Generate(ns.schema, "same", Response))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := range specs {
				ns := specs[(i+w*7)%len(specs)]
				got := mustJSON(t, g.Generate(ns.schema, "same", Response))
				if !bytes.Equal(got, want[ns.name]) {
					errs <- fmt.Sprintf("%s: %s != %s", ns.name, got, want[ns.name])
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestDirection(t *testing.T) {
	s := schemaByName(t, loadSpec(t, "constraints31.yaml"), "Patient")
	g := New(Options{Seed: 3, Now: fixedNow})
	sawPassword := false
	for i := 0; i < 100; i++ {
		resp := g.Generate(s, fmt.Sprint("r", i), Response).(map[string]any)
		if _, ok := resp["password"]; ok {
			t.Fatalf("writeOnly password emitted in response: %v", resp)
		}
		req := g.Generate(s, fmt.Sprint("r", i), Request).(map[string]any)
		for _, ro := range []string{"id", "createdAt"} {
			if _, ok := req[ro]; ok {
				t.Fatalf("readOnly %s emitted in request: %v", ro, req)
			}
		}
		_, pw := req["password"]
		sawPassword = sawPassword || pw
	}
	if !sawPassword {
		t.Error("writeOnly password never emitted in requests")
	}
}

func TestRecursionBounded(t *testing.T) {
	for _, ns := range loadSpec(t, "recursive.yaml") {
		for _, depth := range []int{1, 3, 5} {
			g := New(Options{Seed: 9, Now: fixedNow, MaxDepth: depth})
			p := g.plan(ns.schema)
			for i := 0; i < 30; i++ {
				v := g.Generate(ns.schema, fmt.Sprint(i), Response)
				if !p.check(v, Response) {
					t.Fatalf("%s: invalid %s", ns.name, mustJSON(t, v))
				}
				if d := nesting(v); d > 2*depth+4 {
					t.Fatalf("%s: MaxDepth %d but nesting %d", ns.name, depth, d)
				}
			}
		}
	}
}

func nesting(v any) int {
	d := 0
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			d = max(d, nesting(e))
		}
		return d + 1
	case []any:
		for _, e := range x {
			d = max(d, nesting(e))
		}
		return d + 1
	}
	return 0
}

func TestDiscriminator(t *testing.T) {
	specs := loadSpec(t, "constraints31.yaml")
	g := New(Options{Seed: 4, Now: fixedNow})
	seen := map[string]bool{}
	for i := 0; i < 40; i++ {
		m := g.Generate(schemaByName(t, specs, "PetChoice"), fmt.Sprint(i), Response).(map[string]any)
		pt := m["petType"].(string)
		_, meows := m["meows"]
		_, barks := m["barks"]
		if (pt == "kitty") != meows || (pt == "doggo") != barks {
			t.Fatalf("discriminator does not match branch: %v", m)
		}
		seen[pt] = true
		// allOf child of a discriminated base: the property is the schema name
		l := g.Generate(schemaByName(t, specs, "Lion"), fmt.Sprint(i), Response).(map[string]any)
		if l["kind"] != "Lion" {
			t.Fatalf("allOf child discriminator: %v", l)
		}
		// no mapping: the schema name is used
		a := g.Generate(schemaByName(t, specs, "AnimalChoice"), fmt.Sprint(i), Response).(map[string]any)
		if _, roars := a["roars"]; roars && a["kind"] != "Lion" {
			t.Fatalf("oneOf discriminator without mapping: %v", a)
		}
	}
	if !seen["kitty"] || !seen["doggo"] {
		t.Errorf("both branches should be chosen over 40 keys: %v", seen)
	}
}

// Options.Schema resolves every sub-schema the generator compiles: properties, items, allOf
// parts and oneOf branches. The mock passes the vendor's, so a component is compiled once
// however many places reference it.
func TestSchemaResolver(t *testing.T) {
	s := schemaFromYAML(t, `
type: object
required: [name, tags, pet]
properties:
  name: {type: string}
  tags: {type: array, minItems: 1, items: {type: string}}
  pet:
    allOf:
      - {type: object, required: [kind], properties: {kind: {type: string}}}
    oneOf:
      - {type: object, required: [a], properties: {a: {type: integer}}}`)
	var mu sync.Mutex
	seen := map[*base.SchemaProxy]int{}
	g := New(Options{Seed: 1, Now: fixedNow, Schema: func(sp *base.SchemaProxy) *base.Schema {
		mu.Lock()
		seen[sp]++
		mu.Unlock()
		return sp.Schema()
	}})
	v := g.Generate(s, "k", Response)
	if !g.plan(s).check(v, Response) {
		t.Fatalf("invalid %s", mustJSON(t, v))
	}
	want := []*base.SchemaProxy{s.Properties.GetOrZero("name"), s.Properties.GetOrZero("tags"), s.Properties.GetOrZero("pet")}
	tags, pet := s.Properties.GetOrZero("tags").Schema(), s.Properties.GetOrZero("pet").Schema()
	want = append(want, tags.Items.A, pet.AllOf[0], pet.OneOf[0])
	for i, sp := range want {
		if seen[sp] == 0 {
			t.Errorf("sub-schema %d was not resolved through Options.Schema", i)
		}
	}
}
