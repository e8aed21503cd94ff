package mock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/vendormock/vendormock/internal/golden"
	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/scenarios"
)

type journalAnswer struct {
	Requests []mock.JournalEntry `json:"requests"`
}

func journalOf(tb testing.TB, h http.Handler, query string) []mock.JournalEntry {
	tb.Helper()
	rec := call(tb, h, http.MethodGet, mock.AdminPrefix+"requests"+query, "", nil)
	if rec.Code != 200 {
		tb.Fatalf("journal: %d %s", rec.Code, rec.Body)
	}
	var a journalAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		tb.Fatal(err)
	}
	return a.Requests
}

// TestJournal checks what the journal keeps (redacted credentials, body, operation, scenario,
// status), its filters, its bound and clearing it.
func TestJournal(t *testing.T) {
	cat, set := scenarioCatalog(t)
	srv, _ := scenarioServer(t, cat, set, newFakeClock())
	hero := map[string]string{"x-api-key": "secret", "x-practice-group-id": "12", "X-Vendormock-Session": "s1"}
	call(t, srv, "GET", "/herohealth/v1/patients/4", "", hero)
	call(t, srv, "POST", "/heydonto/brands", `{"name":"Acme"}`, map[string]string{"Authorization": "Bearer t0ken",
		"Content-Type": "application/json", scenarios.HeaderScenario: "server-error", "Cookie": "a=b"})
	call(t, srv, "GET", "/nowhere", "", nil)

	all := journalOf(t, srv, "")
	if len(all) != 3 {
		t.Fatalf("%d entries, want 3: %+v", len(all), all)
	}
	h := all[0]
	if h.Vendor != "herohealth" || h.OperationID != "getPatientById" || h.Session != "s1" || h.Status != 200 {
		t.Errorf("first entry: %+v", h)
	}
	for _, name := range []string{"X-Api-Key", "X-Practice-Group-Id"} {
		if v := h.Headers[name]; len(v) != 1 || v[0] != "REDACTED" {
			t.Errorf("%s not redacted: %v", name, v)
		}
	}
	p := all[1]
	if p.Scenario != "server-error" || p.Rule != "server-error" || p.Status != 500 || string(p.Body) != `{"name":"Acme"}` ||
		p.Headers["Authorization"][0] != "REDACTED" || p.Headers["Cookie"][0] != "REDACTED" {
		t.Errorf("second entry: %+v", p)
	}
	if all[2].Status != 404 || all[2].OperationID != "" {
		t.Errorf("unmatched path: %+v", all[2])
	}
	for query, want := range map[string]int{
		"?vendor=heydonto": 1, "?method=get": 2, "?operationId=getPatientById": 1, "?session=s1": 1,
		"?path=/herohealth/*": 1, "?path=/nowhere": 1, "?limit=2": 2,
	} {
		if got := journalOf(t, srv, query); len(got) != want {
			t.Errorf("%s: %d entries, want %d", query, len(got), want)
		}
	}
	if got := journalOf(t, srv, "?limit=1"); got[0].Path != "/nowhere" {
		t.Errorf("limit keeps the newest: %+v", got)
	}
	if rec := call(t, srv, http.MethodDelete, mock.AdminPrefix+"requests", "", nil); rec.Code != 204 {
		t.Fatalf("clear: %d", rec.Code)
	}
	if got := journalOf(t, srv, ""); len(got) != 0 {
		t.Fatalf("after clear: %+v", got)
	}
	// The journal is a ring: the newest JournalSize (50 here) requests stay.
	for i := range 60 {
		call(t, srv, "GET", fmt.Sprintf("/nowhere/%d", i), "", nil)
	}
	got := journalOf(t, srv, "?limit=1000")
	if len(got) != 50 || got[0].Path != "/nowhere/10" || got[49].Path != "/nowhere/59" {
		t.Fatalf("ring: %d entries from %s to %s", len(got), got[0].Path, got[len(got)-1].Path)
	}
}

// TestAdminScenarios pins GET /__admin/scenarios and checks activation, deactivation and reset.
func TestAdminScenarios(t *testing.T) {
	cat, set := scenarioCatalog(t)
	srv, _ := scenarioServer(t, cat, set, newFakeClock(), "opendental/slow")
	rec := call(t, srv, http.MethodPost, mock.AdminPrefix+"scenarios/heydonto/unavailable/activate", "", nil)
	if rec.Code != 200 {
		t.Fatalf("activate: %d %s", rec.Code, rec.Body)
	}
	rec = call(t, srv, http.MethodGet, mock.AdminPrefix+"scenarios", "", nil)
	golden.Compare(t, rec.Body.Bytes(), "admin_scenarios.json", *update)
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"scenarios/heydonto/unavailable/deactivate", 200},
		{"scenarios/opendental/slow/deactivate", 200},
		{"scenarios/heydonto/nope/activate", 404},
		{"scenarios/nobody/slow/activate", 404},
	} {
		if rec := call(t, srv, http.MethodPost, mock.AdminPrefix+tc.path, "", nil); rec.Code != tc.status {
			t.Errorf("%s: %d, want %d: %s", tc.path, rec.Code, tc.status, rec.Body)
		}
	}
	active := func() []string {
		var a struct{ Scenarios []scenarios.Info }
		rec := call(t, srv, http.MethodGet, mock.AdminPrefix+"scenarios", "", nil)
		if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range a.Scenarios {
			if s.Active {
				out = append(out, s.Vendor+"/"+s.Name+":"+s.ActiveBy)
			}
		}
		return out
	}
	if got := active(); len(got) != 0 {
		t.Fatalf("after deactivation: %v", got)
	}
	if rec := call(t, srv, http.MethodPost, mock.AdminPrefix+"scenarios/reset", "", nil); rec.Code != 200 {
		t.Fatalf("reset: %d", rec.Code)
	}
	if got := active(); len(got) != 1 || got[0] != "opendental/slow:run" {
		t.Fatalf("after reset: %v", got)
	}
}
