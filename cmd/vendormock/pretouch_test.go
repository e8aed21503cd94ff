package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"testing/fstest"

	"github.com/vendormock/vendormock/specs"
)

func writeFiles(t *testing.T, dir string, files map[string]int) {
	t.Helper()
	for name, size := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPretouchEstimate(t *testing.T) {
	bundle := fstest.MapFS{
		"a/openapi.yaml": {Data: make([]byte, 1000)},
		"b/openapi.yaml": {Data: make([]byte, 500)},
		"big/a.yaml":     {Data: make([]byte, 2<<20)}, // each under the cap, not both
		"big/b.yaml":     {Data: make([]byte, 2<<20)},
	}
	tree := t.TempDir()
	writeFiles(t, tree, map[string]int{
		"paths/one.yml":       200,
		"schemas/Thing.JSON":  300,
		"README.md":           5000, // not a description
		".git/objects/x.json": 7000, // hidden directory
		"notes.txt":           9000,
	})
	root := "paths:\n  /one:\n    $ref: './paths/one.yml'\n" // names another file
	if err := os.WriteFile(filepath.Join(tree, "openapi.yaml"), []byte(root), 0o644); err != nil {
		t.Fatal(err)
	}
	single := t.TempDir() // the same files, but the root refers only within itself
	writeFiles(t, single, map[string]int{"paths/one.yml": 200, "notes.json": 300})
	own := `{"paths": {"/x": {"$ref": "#/components/pathItems/x"}}}`
	if err := os.WriteFile(filepath.Join(single, "openapi.json"), []byte(own), 0o644); err != nil {
		t.Fatal(err)
	}
	huge := t.TempDir()
	writeFiles(t, huge, map[string]int{"openapi.yaml": 4 << 20}) // 4 MiB x 80 is past the cap

	for _, tc := range []struct {
		name    string
		sources []specs.Source
		want    int
	}{
		{"nothing", nil, 0},
		{"bundled", []specs.Source{{Name: "a", Path: "a/openapi.yaml", FS: bundle}, {Name: "b", Path: "b/openapi.yaml", FS: bundle}},
			1500*pretouchPerByte + 2*pretouchPerFile},
		{"bundled file missing", []specs.Source{{Name: "c", Path: "c/openapi.yaml", FS: bundle}}, 0},
		{"files on disk", []specs.Source{{Path: filepath.Join(tree, "openapi.yaml")}},
			(len(root)+500)*pretouchPerByte + 3*pretouchPerFile},
		{"one file on disk", []specs.Source{{Path: filepath.Join(single, "openapi.json")}},
			len(own)*pretouchPerByte + pretouchPerFile},
		{"missing file", []specs.Source{{Path: filepath.Join(tree, "nope", "openapi.yaml")}}, 0},
		{"capped", []specs.Source{{Path: filepath.Join(huge, "openapi.yaml")}}, pretouchMax},
		{"capped in sum", []specs.Source{{Name: "a", Path: "big/a.yaml", FS: bundle}, {Name: "b", Path: "big/b.yaml", FS: bundle}}, pretouchMax},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := pretouchEstimate(tc.sources); got != tc.want {
				t.Errorf("pretouchEstimate = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestDescriptionTreeLimit(t *testing.T) {
	dir := t.TempDir()
	files := map[string]int{}
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		files[n+".yaml"] = 10
	}
	writeFiles(t, dir, files)
	// The walk visits the directory itself, then its files in lexical order.
	if bytes, n := descriptionTree(dir, 4); bytes != 30 || n != 3 {
		t.Errorf("limit 4: %d bytes in %d files, want 30 in 3", bytes, n)
	}
	if bytes, n := descriptionTree(dir, 100); bytes != 60 || n != 6 {
		t.Errorf("no limit reached: %d bytes in %d files, want 60 in 6", bytes, n)
	}
}

func TestHasExternalRef(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		want bool
	}{
		{"", false},
		{"paths: {}", false},
		{`{"$ref": "#/components/schemas/A"}`, false},
		{"schema:\n  $ref: '#/components/schemas/A'\n", false},
		{"schema:\n  $ref: \"#/x\"\n  description: costs $ref money\n", false},
		{"$ref:\n", false},
		{`{"$ref": "schemas/A.json"}`, true},
		{"schema:\n  $ref: './schemas/A.yaml'\n", true},
		{"schema:\n  $ref: schemas/A.yaml#/A\n", true},
		{"a: {$ref: '#/x'}\nb: {$ref: 'other.yaml'}\n", true},
	} {
		if got := hasExternalRef([]byte(tc.doc)); got != tc.want {
			t.Errorf("hasExternalRef(%q) = %v, want %v", tc.doc, got, tc.want)
		}
	}
}

// FuzzHasExternalRef checks the scanner against the regular expression it stands for.
func FuzzHasExternalRef(f *testing.F) {
	oracle := regexp.MustCompile(`\$ref["' \t]*:["' \t]*[^#"' \t\n\r]`)
	for _, seed := range []string{"", `{"$ref": "#/a"}`, "$ref: './b.yaml'", "$ref$ref: x", "$ref :\t'\n"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if got, want := hasExternalRef(doc), oracle.Match(doc); got != want {
			t.Fatalf("hasExternalRef(%q) = %v, the expression says %v", doc, got, want)
		}
	})
}

func TestCgroupMemoryLimit(t *testing.T) {
	v1self := []byte("9:name=systemd:/\n4:memory:/process_api/abc\n0::/\n")
	v2self := []byte("0::/system.slice/mock.service\n")
	for _, tc := range []struct {
		name  string
		files fstest.MapFS
		self  []byte
		want  int64
	}{
		{"no cgroup files", fstest.MapFS{}, nil, 0},
		{"v1 own cgroup", fstest.MapFS{
			"memory/process_api/abc/memory.limit_in_bytes": {Data: []byte("209715200\n")},
			"memory/memory.limit_in_bytes":                 {Data: []byte("9223372036854771712\n")},
		}, v1self, 200 << 20},
		{"v1 own cgroup unlimited, root limited", fstest.MapFS{
			"memory/process_api/abc/memory.limit_in_bytes": {Data: []byte("9223372036854771712\n")},
			"memory/memory.limit_in_bytes":                 {Data: []byte("134217728\n")},
		}, v1self, 128 << 20},
		{"v2 own cgroup", fstest.MapFS{"system.slice/mock.service/memory.max": {Data: []byte("536870912\n")}}, v2self, 512 << 20},
		{"v2 own cgroup missing", fstest.MapFS{"memory.max": {Data: []byte("268435456\n")}}, v2self, 256 << 20},
		{"v1 with co-mounted controllers", fstest.MapFS{"memory/x/memory.limit_in_bytes": {Data: []byte("1048576")}}, []byte("3:cpu,memory:/x"), 1 << 20},
		{"path escaping the mount", fstest.MapFS{}, []byte("0::/../../etc"), 0},
		{"v2 limit", fstest.MapFS{"memory.max": {Data: []byte("268435456\n")}}, nil, 256 << 20},
		{"v2 no limit", fstest.MapFS{"memory.max": {Data: []byte("max\n")}}, nil, 0},
		{"v1 limit", fstest.MapFS{"memory/memory.limit_in_bytes": {Data: []byte("134217728\n")}}, nil, 128 << 20},
		{"v1 no limit", fstest.MapFS{"memory/memory.limit_in_bytes": {Data: []byte("9223372036854771712\n")}}, nil, 0},
		{"garbage", fstest.MapFS{"memory.max": {Data: []byte("lots")}}, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cgroupMemoryLimit(tc.files, tc.self); got != tc.want {
				t.Errorf("cgroupMemoryLimit = %d, want %d", got, tc.want)
			}
		})
	}
	if got := capToContainer(100<<20, 128<<20); got != 64<<20 {
		t.Errorf("100 MiB in a 128 MiB container: %d, want 64 MiB", got)
	}
	if got := capToContainer(100<<20, 0); got != 100<<20 {
		t.Errorf("100 MiB without a limit: %d, want it unchanged", got)
	}
	if got := capToContainer(100<<20, 1<<30); got != 100<<20 {
		t.Errorf("100 MiB in a 1 GiB container: %d, want it unchanged", got)
	}
}
