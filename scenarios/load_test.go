package scenarios_test

import (
	"context"
	"errors"
	"path"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/vendormock/vendormock/scenarios"
	"github.com/vendormock/vendormock/specs"
)

// bundledCatalog loads the bundled vendors once per test binary: it takes a while.
var bundledCatalog = sync.OnceValues(func() (*specs.Catalog, error) {
	return specs.Load(context.Background(), specs.Bundled(), specs.Options{})
})

func catalog(tb testing.TB) *specs.Catalog {
	tb.Helper()
	cat, err := bundledCatalog()
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

// TestLoad_Bundled checks every bundled file against the bundled descriptions and that every
// vendor has the scenarios the README promises.
func TestLoad_Bundled(t *testing.T) {
	cat := catalog(t)
	set, warnings, err := scenarios.Load(context.Background(), cat, []scenarios.Source{scenarios.Bundled()})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range warnings {
		t.Log("warning:", w)
	}
	for _, v := range cat.Vendors {
		for _, name := range []string{"unauthorized", "forbidden", "not-found", "validation-error", "rate-limited",
			"server-error", "unavailable", "slow", "flaky", "empty-lists", "large-dataset"} {
			if _, err := set.Lookup(v.Name, name); err != nil {
				t.Error(err)
			}
		}
	}
}

// Scenarios compile per vendor in parallel; the problems still come out in file order, parse
// problems and compile problems interleaved as the files are.
func TestLoad_ProblemsInFileOrder(t *testing.T) {
	cat := catalog(t)
	files := fstest.MapFS{
		"heydonto/a.yaml":   {Data: []byte("scenarios:\n  - name: a\n    rules:\n      - match: {operation: noSuchOperationA}\n        respond: {status: 500}\n")},
		"opendental/b.yaml": {Data: []byte("scenarios: [\n")},
		"opendental/c.yaml": {Data: []byte("scenarios:\n  - name: c\n    rules:\n      - match: {operation: noSuchOperationC}\n        respond: {status: 500}\n")},
		"kana-users/d.yaml": {Data: []byte("scenarios:\n  - name: d\n    rules:\n      - match: {operation: noSuchOperationD}\n        respond: {status: 500}\n")},
	}
	for run := 0; run < 5; run++ {
		_, _, err := scenarios.Load(context.Background(), cat, []scenarios.Source{{FS: files, Display: "mine"}})
		var e *scenarios.Error
		if !errors.As(err, &e) {
			t.Fatalf("want problems, got %v", err)
		}
		var order []string
		for _, p := range e.Problems {
			order = append(order, path.Base(p.File))
		}
		// Files sort by path: heydonto/ < kana-users/ < opendental/.
		want := []string{"a.yaml", "d.yaml", "b.yaml", "c.yaml"}
		if strings.Join(order, ",") != strings.Join(want, ",") {
			t.Fatalf("run %d: problems in order %v, want %v:\n%v", run, order, want, err)
		}
	}
}
