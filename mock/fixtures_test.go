package mock_test

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/vendormock/vendormock/fixtures"
	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/specs"
)

func fixtureServer(t *testing.T, dir string, sources ...specs.Source) (*mock.Server, error) {
	t.Helper()
	files, err := fixtures.Load([]fixtures.Source{fixtures.Bundled(), fixtures.Dir(dir)})
	if err != nil {
		t.Fatal(err)
	}
	return mock.NewServer(mock.Options{Catalog: loadCatalog(t, sources...), Logger: slog.New(slog.DiscardHandler), Seed: 1, Now: fixedNow, Fixtures: files})
}

func TestFixturesReplaceSeedRecords(t *testing.T) {
	srv, err := fixtureServer(t, "testdata/fixtures/good", engineSource())
	if err != nil {
		t.Fatal(err)
	}
	rec := call(t, srv, "GET", "/eng/users", "", bearer)
	body := rec.Body.String()
	if !strings.Contains(body, `"id":7`) || !strings.Contains(body, `"id":8`) || strings.Count(body, `"email"`) != 2 {
		t.Fatalf("users = %s", body)
	}
	if strings.Contains(body, "never-answered") {
		t.Fatal("a write-only fixture field was answered")
	}
	if rec := call(t, srv, "GET", "/eng/users/8", "", bearer); !strings.Contains(rec.Body.String(), "bo@example.com") {
		t.Fatalf("fixture without id: %s", rec.Body)
	}
}

func TestInvalidFixtureStopsStartup(t *testing.T) {
	_, err := fixtureServer(t, "testdata/fixtures/bad", engineSource())
	if err == nil || !strings.Contains(err.Error(), "testdata/fixtures/bad/eng/users.json") ||
		!strings.Contains(err.Error(), "record 1") || !strings.Contains(err.Error(), "/role") {
		t.Fatalf("err = %v, want the file, record 1 and /role named", err)
	}
}

// TestBundledFixtures: Open Dental's userods are the vendor's own documented example users.
func TestBundledFixtures(t *testing.T) {
	srv, err := fixtureServer(t, "testdata/fixtures/good", specs.Bundled()...)
	if err == nil {
		t.Fatal("fixtures for vendor eng loaded without that vendor")
	}
	files, err := fixtures.Load([]fixtures.Source{fixtures.Bundled()})
	if err != nil {
		t.Fatal(err)
	}
	srv, err = mock.NewServer(mock.Options{Catalog: loadCatalog(t, specs.Bundled()...), Logger: slog.New(slog.DiscardHandler), Fixtures: files})
	if err != nil {
		t.Fatal(err)
	}
	rec := call(t, srv, "GET", "/opendental/userods", "", odAuth)
	for _, name := range []string{"Lynda", "Charlie", "Becca"} {
		if !strings.Contains(rec.Body.String(), name) {
			t.Fatalf("userods lacks %s: %s", name, rec.Body)
		}
	}
}
