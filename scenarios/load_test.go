package scenarios_test

import (
	"context"
	"sync"
	"testing"

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
