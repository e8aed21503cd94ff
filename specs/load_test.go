package specs_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vendormock/vendormock/specs"
)

func TestLoad(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sources []specs.Source
		wantErr string // substring; "" means success
		wantOps int
	}{
		{"petstore 3.0", []specs.Source{{Name: "pets", Path: "testdata/petstore.yaml"}}, "", 4},
		{"multi-file with relative refs", []specs.Source{{Name: "billing", Path: "testdata/multifile/openapi.yaml"}}, "", 3},
		{"root mount", []specs.Source{{Path: "testdata/petstore.yaml"}}, "", 4},
		{"swagger 2.0", []specs.Source{{Name: "old", Path: "testdata/swagger2.json"}}, "load testdata/swagger2.json: #/swagger: swagger 2.0 is not supported", 0},
		{"broken ref", []specs.Source{{Name: "b", Path: "testdata/broken-ref.yaml"}}, "load testdata/broken-ref.yaml: #/components/schemas/Missing (line 12): component `#/components/schemas/Missing` does not exist", 0},
		{"missing file", []specs.Source{{Name: "m", Path: "testdata/nope.yaml"}}, "load testdata/nope.yaml", 0},
		{"reserved name", []specs.Source{{Name: "__admin", Path: "testdata/petstore.yaml"}}, "reserved", 0},
		{"bad name", []specs.Source{{Name: "a/b", Path: "testdata/petstore.yaml"}}, "only letters", 0},
		{"mount twice", []specs.Source{{Name: "p", Path: "testdata/petstore.yaml"}, {Name: "p", Path: "testdata/petstore.yaml"}}, "used twice", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cat, err := specs.Load(context.Background(), tc.sources, specs.Options{})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cat.OperationCount(); got != tc.wantOps {
				t.Fatalf("operations = %d, want %d", got, tc.wantOps)
			}
		})
	}
}

func TestSwagger2IsTyped(t *testing.T) {
	_, err := specs.Load(context.Background(), []specs.Source{{Name: "old", Path: "testdata/swagger2.json"}}, specs.Options{})
	if !errors.Is(err, specs.ErrSwagger2) {
		t.Fatalf("err = %v, want ErrSwagger2", err)
	}
}

func TestOperationLookup(t *testing.T) {
	cat, err := specs.Load(context.Background(), []specs.Source{{Name: "pets", Path: "testdata/petstore.yaml"}}, specs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	op, err := cat.Operation("pets", "deletePet")
	if err != nil {
		t.Fatal(err)
	}
	if op.Method != "DELETE" || op.Path != "/pets/{id}" || op.Pointer != "#/paths/~1pets~1{id}/delete" {
		t.Fatalf("got %s %s %s", op.Method, op.Path, op.Pointer)
	}
	if got := op.SuccessStatus(); got != 204 {
		t.Fatalf("success status = %d, want 204", got)
	}
	if _, err := cat.Operation("pets", "nope"); !errors.Is(err, specs.ErrUnknownOperation) {
		t.Fatalf("err = %v", err)
	}
}

func TestJSONPathToPointerViaErrors(t *testing.T) {
	// A missing file referenced from a path item names the referencing file's line too.
	_, err := specs.Load(context.Background(), []specs.Source{{Name: "b", Path: "testdata/broken-ref.yaml"}}, specs.Options{})
	var le *specs.LoadError
	if !errors.As(err, &le) || le.File != "testdata/broken-ref.yaml" || !strings.HasPrefix(le.Pointer, "#/") {
		t.Fatalf("err = %#v", err)
	}
}
