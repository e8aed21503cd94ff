package fake

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// namedSchema is a component schema loaded from a testdata spec.
type namedSchema struct {
	name   string
	schema *base.Schema
}

// loadSpec loads the component schemas of a testdata OpenAPI document.
func loadSpec(t testing.TB, file string) []namedSchema {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatalf("read %s: %v", file, err)
	}
	doc, err := libopenapi.NewDocument(b)
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	m, err := doc.BuildV3Model()
	if m == nil {
		t.Fatalf("build %s: %v", file, err)
	}
	if err != nil && !strings.Contains(err.Error(), "circular") {
		t.Fatalf("build %s: %v", file, err)
	}
	var out []namedSchema
	for name, sp := range m.Model.Components.Schemas.FromOldest() {
		s := sp.Schema()
		if s == nil {
			t.Fatalf("%s: schema %s did not build: %v", file, name, sp.GetBuildError())
		}
		out = append(out, namedSchema{name: name, schema: s})
	}
	return out
}

func schemaByName(t testing.TB, list []namedSchema, name string) *base.Schema {
	t.Helper()
	for _, ns := range list {
		if ns.name == name {
			return ns.schema
		}
	}
	t.Fatalf("no schema %s", name)
	return nil
}

// schemaFromYAML builds a single schema from a YAML snippet.
func schemaFromYAML(t testing.TB, y string) *base.Schema {
	t.Helper()
	var sb strings.Builder
	sb.WriteString("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    S:\n")
	for _, line := range strings.Split(strings.TrimSpace(y), "\n") {
		sb.WriteString("      " + line + "\n")
	}
	doc, err := libopenapi.NewDocument([]byte(sb.String()))
	if err != nil {
		t.Fatal(err)
	}
	m, err := doc.BuildV3Model()
	if err != nil {
		t.Fatal(err)
	}
	sp, _ := m.Model.Components.Schemas.Get("S")
	return sp.Schema()
}

func fixedNow() time.Time { return time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC) }

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %#v: %v", v, err)
	}
	return b
}

// roundTrip converts v through JSON like an HTTP client would see it.
func roundTrip(t testing.TB, v any) any {
	t.Helper()
	var out any
	if err := json.Unmarshal(mustJSON(t, v), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// newValidator returns the strict validator used by the property tests
// (format assertions on).
func newValidator() schema_validation.SchemaValidator {
	return schema_validation.NewSchemaValidator(config.WithFormatAssertions())
}
