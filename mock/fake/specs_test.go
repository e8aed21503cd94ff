package fake

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
)

// TestVendorSpecs validates generated response bodies for every operation of
// the vendor specs in ../../specs. The specs are owned by another package and
// change independently, so the test only runs with VENDORMOCK_SPECS=1.
func TestVendorSpecs(t *testing.T) {
	if os.Getenv("VENDORMOCK_SPECS") == "" {
		t.Skip("set VENDORMOCK_SPECS=1 to validate against ../../specs")
	}
	files, _ := filepath.Glob("../../specs/*/openapi.yaml")
	for _, file := range files {
		val := newValidator() // per document: the validator caches compiled schemas

		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := libopenapi.NewDocument(b)
		if err != nil {
			t.Fatal(err)
		}
		m, err := doc.BuildV3Model()
		if m == nil {
			t.Fatalf("%s: %v", file, err)
		}
		version := float32(3.1)
		if strings.HasPrefix(m.Model.Version, "3.0") {
			version = 3.0
		}
		vendor := filepath.Base(filepath.Dir(file))
		g := New(Options{Seed: 1, Now: fixedNow})
		n := 0
		for path, item := range m.Model.Paths.PathItems.FromOldest() {
			for method, op := range item.GetOperations().FromOldest() {
				if op.Responses == nil || op.Responses.Codes == nil {
					continue
				}
				for code, resp := range op.Responses.Codes.FromOldest() {
					if resp.Content == nil {
						continue
					}
					for ct, mt := range resp.Content.FromOldest() {
						if mt.Schema == nil || !strings.Contains(ct, "json") {
							continue
						}
						s := mt.Schema.Schema()
						for i := 0; i < 5; i++ {
							key := fmt.Sprintf("%s/%s %s/%s/%d", vendor, method, path, code, i)
							v := g.Generate(s, key, Response)
							n++
							if os.Getenv("VENDORMOCK_PEEK") != "" && i == 0 && strings.HasPrefix(code, "2") {
								t.Logf("%s: %.500s", key, mustJSON(t, v))
							}
							if ok, errs := val.ValidateSchemaObjectWithVersion(s, roundTrip(t, v), version); !ok {
								if strings.Contains(errs[0].Reason, "compil") || strings.Contains(errs[0].Message, "compil") {
									continue
								}
								msg := ""
								for _, e := range errs {
									for _, sv := range e.SchemaValidationErrors {
										msg += sv.Reason + " @ " + sv.FieldPath + "; "
									}
								}
								t.Errorf("%s: %s\n%.600s", key, msg, mustJSON(t, v))
								break
							}
						}
					}
				}
			}
		}
		t.Logf("%s: %d values", vendor, n)
	}
}
