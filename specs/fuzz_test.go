package specs

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary bytes to Load as a description: it must return a catalog or a
// *LoadError naming the file, never panic or hang.
func FuzzLoad(f *testing.F) {
	for _, p := range []string{"testdata/petstore.yaml", "testdata/broken-ref.yaml", "testdata/swagger2.json"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"))
	f.Add([]byte(`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a/{id}":{"get":{"parameters":[{"name":"id","in":"path","required":true,"schema":{"$ref":"#/components/schemas/X"}}],"responses":{"200":{"description":"ok"}}}}}}`))
	f.Add([]byte("openapi: 3.0.0\npaths:\n  /x:\n    get:\n      responses: {default: {$ref: '#/nope'}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		src := Source{Name: "f", Path: "openapi.yaml", FS: fstest.MapFS{"openapi.yaml": {Data: data}}}
		// Parsed, and detached as the server keeps it.
		for _, detach := range []bool{false, true} {
			cat, err := Load(context.Background(), []Source{src}, Options{Detach: detach})
			if err != nil {
				var le *LoadError
				if !errors.As(err, &le) || le.File == "" {
					t.Fatalf("detach %v: error %v (%T) is not a LoadError naming the file", detach, err, err)
				}
				return
			}
			if len(cat.Vendors) != 1 || cat.Vendors[0].IsDetached() != detach {
				t.Fatalf("detach %v: %d vendors loaded from one source", detach, len(cat.Vendors))
			}
		}
	})
}

// FuzzYAMLToJSON: whatever converts is valid JSON.
func FuzzYAMLToJSON(f *testing.F) {
	f.Add([]byte("a: 1\nb: [x, {c: null}]\n"))
	f.Add([]byte("d: 2024-01-02\nh: 0x1F\n"))
	f.Add([]byte("a: &x {k: 1}\nb: *x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 16<<10 {
			return
		}
		out, err := yamlToJSON(data)
		if err == nil && !json.Valid(out) {
			t.Fatalf("invalid JSON from %q: %s", data, out)
		}
	})
}
