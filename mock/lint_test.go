package mock_test

import (
	"context"
	"testing"

	"github.com/vendormock/vendormock/specs"
)

// TestBundledSpecsLintClean loads each bundled description on its own: no warnings, and every
// example validates against its schema.
func TestBundledSpecsLintClean(t *testing.T) {
	for _, src := range specs.Bundled() {
		t.Run(src.Name, func(t *testing.T) {
			cat, err := specs.Load(context.Background(), []specs.Source{src}, specs.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range cat.Vendors[0].Warnings {
				t.Errorf("warning: %s", w)
			}
			for _, p := range mustServer(t, cat, 0).Lint() {
				t.Errorf("%s: %s", p.Source, p.Message)
			}
		})
	}
}

// TestLintFindsBadExamples makes sure lint is not vacuous.
func TestLintFindsBadExamples(t *testing.T) {
	cat := loadCatalog(t, specs.Source{Name: "bad", Path: "testdata/bad-examples.yaml"})
	problems := mustServer(t, cat, 0).Lint()
	if len(problems) != 3 {
		for _, p := range problems {
			t.Log(p.Message)
		}
		t.Fatalf("lint found %d problems, want 3 (response, request and component examples)", len(problems))
	}
	if _, err := specs.Load(context.Background(), []specs.Source{{Name: "x", Path: "testdata/nope.yaml"}}, specs.Options{}); err == nil {
		t.Fatal("missing file loaded")
	}
}
