package specs

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pb33f/go-yaml"
)

var updateTwins = flag.Bool("update", false, "rewrite the bundled descriptions' JSON twins")

// TestBundledJSONTwins checks that every bundled description's JSON twin is what its YAML
// converts to (with -update it rewrites them), and that the twin is what loads.
func TestBundledJSONTwins(t *testing.T) {
	for _, name := range BundledNames() {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(name, "openapi.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := yamlToJSON(src)
			if err != nil {
				t.Fatalf("convert %s: %v", name, err)
			}
			twin := filepath.Join(name, "openapi.json")
			if *updateTwins {
				if err := os.WriteFile(twin, want, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := os.ReadFile(twin)
			if err != nil {
				t.Fatalf("%v (run go test ./specs -run TestBundledJSONTwins -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s is stale: %s changed since it was generated (run go test ./specs -run TestBundledJSONTwins -update)", twin, filepath.Join(name, "openapi.yaml"))
			}
			embedded, err := fs.ReadFile(BundledFS(), name+"/openapi.json")
			if err != nil || !bytes.Equal(embedded, want) {
				t.Fatalf("the embedded twin differs from %s (err %v)", twin, err)
			}
			// The same values either way: decode both with the YAML decoder and compare.
			var fromYAML, fromJSON any
			if err := yaml.Unmarshal(src, &fromYAML); err != nil {
				t.Fatal(err)
			}
			if err := yaml.Unmarshal(want, &fromJSON); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fromYAML, fromJSON) {
				t.Fatal("the twin decodes to other values than the YAML")
			}
			read, err := readSource(Source{Name: name, Path: name + "/openapi.yaml", FS: BundledFS()})
			if err != nil || !bytes.Equal(read, want) {
				t.Fatalf("a bundled source does not read its twin (err %v)", err)
			}
		})
	}
}

func TestYAMLToJSON(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"scalars by tag", "a: 1\nb: 1.5\nc: true\nd: null\ne: x\nf: '1'\ng: ~\n", `{"a":1,"b":1.5,"c":true,"d":null,"e":"x","f":"1","g":null}`},
		{"numeric keys become strings", "responses:\n  200: {description: ok}\n", `{"responses":{"200":{"description":"ok"}}}`},
		{"order kept", "z: 1\na: 2\nm: 3\n", `{"z":1,"a":2,"m":3}`},
		{"timestamps stay as written", "d: 2024-01-02\n", `{"d":"2024-01-02"}`},
		{"yaml-only number forms", "h: 0x1F\no: 0o17\nf: .5\n", `{"h":31,"o":15,"f":0.5}`},
		{"html characters not escaped", "p: '<a & b>'\n", `{"p":"<a & b>"}`},
		{"aliases expanded", "a: &x {k: 1}\nb: *x\n", `{"a":{"k":1},"b":{"k":1}}`},
		{"sequences and nesting", "l: [1, [2, {q: r}]]\n", `{"l":[1,[2,{"q":"r"}]]}`},
		{"unicode", "u: \"é\\t\"\n", `{"u":"é\t"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := yamlToJSON([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var compact bytes.Buffer
			if err := jsonCompact(&compact, got); err != nil {
				t.Fatal(err)
			}
			if compact.String() != tt.want {
				t.Errorf("got %s, want %s", compact.String(), tt.want)
			}
		})
	}
	for _, bad := range []string{"a: .inf\n", "a: [1\n", "? [1]\n: 2\n", "a: 1\n---\nb: 2\n", "<<: {a: 1}\n"} {
		if _, err := yamlToJSON([]byte(bad)); err == nil {
			t.Errorf("%q: want an error", bad)
		} else if strings.TrimSpace(err.Error()) == "" {
			t.Errorf("%q: empty error", bad)
		}
	}
}

func TestBundledLoadsFromTwin(t *testing.T) {
	// Loading reads the twin: an error pointer still names the YAML file users know.
	cat, err := Load(context.Background(), Bundled(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Vendors) != len(BundledNames()) {
		t.Fatalf("loaded %d vendors", len(cat.Vendors))
	}
}

func jsonCompact(dst *bytes.Buffer, src []byte) error { return json.Compact(dst, src) }
