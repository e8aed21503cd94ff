package main

import (
	"os"
	"path/filepath"
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
	}
	tree := t.TempDir()
	writeFiles(t, tree, map[string]int{
		"openapi.yaml":        100,
		"paths/one.yml":       200,
		"schemas/Thing.JSON":  300,
		"README.md":           5000, // not a description
		".git/objects/x.json": 7000, // hidden directory
		"notes.txt":           9000,
	})
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
		{"tree on disk", []specs.Source{{Path: filepath.Join(tree, "openapi.yaml")}},
			600*pretouchPerByte + 3*pretouchPerFile},
		{"missing directory", []specs.Source{{Path: filepath.Join(tree, "nope", "openapi.yaml")}}, 0},
		{"capped", []specs.Source{{Path: filepath.Join(huge, "openapi.yaml")}}, pretouchMax},
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
