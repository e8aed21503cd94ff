package mock_test

import (
	"errors"
	"log/slog"
	"net/http"
	"testing"

	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/scenarios"
)

// TestLoadScenariosAlongsideVendors: an engine built by LoadScenarios serves like one passed in,
// its error stops start-up, and setting both is refused.
func TestLoadScenariosAlongsideVendors(t *testing.T) {
	cat, set := scenarioCatalog(t)
	newEngine := func() (*scenarios.Engine, error) {
		return scenarios.NewEngine(set, scenarios.EngineOptions{Seed: 1, Active: []string{"opendental/server-error"}})
	}
	srv, err := mock.NewServer(mock.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler), Seed: 1, Now: fixedNow, LoadScenarios: newEngine})
	if err != nil {
		t.Fatal(err)
	}
	rec := call(t, srv, http.MethodGet, "/opendental/patients/1", "", map[string]string{"Authorization": "ODFHIR a/b"})
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500 from the active scenario; body %s", rec.Code, rec.Body)
	}

	boom := errors.New("scenario files broken")
	_, err = mock.NewServer(mock.Options{Catalog: cat, Seed: 1, LoadScenarios: func() (*scenarios.Engine, error) { return nil, boom }})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the scenario error", err)
	}

	eng, err := newEngine()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mock.NewServer(mock.Options{Catalog: cat, Scenarios: eng, LoadScenarios: newEngine}); err == nil {
		t.Fatal("both Scenarios and LoadScenarios: want an error")
	}
}
