package mock_test

import (
	"encoding/json"
	"testing"
)

// TestIssue5_PaginationScenariosReachTheStore: large-dataset makes every list hold at least 250
// records so clients must walk pages; empty-lists empties them (204 where the vendor does that).
func TestIssue5_PaginationScenariosReachTheStore(t *testing.T) {
	cat, set := scenarioCatalog(t)
	srv, _ := scenarioServer(t, cat, set, newFakeClock())
	kana := map[string]string{"Authorization": "Basic dXNlcjpwYXNz"}
	type page struct {
		Data []any
		Meta struct {
			Total    int
			HasNext  bool
			PageSize int
		}
	}
	rec := call(t, srv, "GET", "/heydonto/brands?page=2&pageSize=100", "", with(bearer, "X-Vendormock-Scenario", "large-dataset"))
	var p page
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != 200 {
		t.Fatalf("large-dataset brands: %d %s", rec.Code, rec.Body)
	}
	if p.Meta.Total < 250 || len(p.Data) != p.Meta.Total-200 || p.Meta.HasNext {
		t.Fatalf("large-dataset page 2: total %d, %d items, hasNext %v", p.Meta.Total, len(p.Data), p.Meta.HasNext)
	}
	rec = call(t, srv, "GET", "/opendental/patients?Offset=100", "", with(odAuth, "X-Vendormock-Scenario", "large-dataset"))
	var arr []any
	if err := json.Unmarshal(rec.Body.Bytes(), &arr); err != nil || len(arr) != 100 {
		t.Fatalf("large-dataset Open Dental second page: %d items (%d)", len(arr), rec.Code)
	}
	rec = call(t, srv, "GET", "/heydonto/brands", "", with(bearer, "X-Vendormock-Scenario", "empty-lists"))
	p = page{}
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != 200 || len(p.Data) != 0 || p.Meta.Total != 0 {
		t.Fatalf("empty-lists brands: %d %s", rec.Code, rec.Body)
	}
	rec = call(t, srv, "GET", "/kana-practice/apis/therapist_organization/", "", with(kana, "X-Vendormock-Scenario", "empty-lists"))
	if rec.Code != 204 && rec.Body.String() != "[]" {
		t.Fatalf("empty-lists Kana: %d %s", rec.Code, rec.Body)
	}
}
