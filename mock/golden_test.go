package mock_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/vendormock/vendormock/internal/golden"
	"github.com/vendormock/vendormock/mock/state"
	"github.com/vendormock/vendormock/specs"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGoldenGeneratedBodies pins generated answers of each bundled vendor: a change in the
// generator or a description shows up as a reviewable diff.
func TestGoldenGeneratedBodies(t *testing.T) {
	srv := newServer(t, 1, specs.Bundled()...)
	for _, tc := range []struct {
		name, target string
		headers      map[string]string
		status       int
	}{
		{"heydonto_brands.json", "/heydonto/brands?page=0&pageSize=3", bearer, 200},
		{"heydonto_auth_user.json", "/heydonto-auth/users/7", bearer, 200},
		{"herohealth_patient.json", "/herohealth/v1/patients/42", map[string]string{"x-api-key": "k", "x-practice-group-id": "1"}, 200},
		{"herohealth_invalid_query.json", "/herohealth/v1/admins?order_by=last_name", map[string]string{"x-api-key": "k", "x-practice-group-id": "1"}, 400},
		{"opendental_patient.json", "/opendental/patients/12", map[string]string{"Authorization": "ODFHIR dev/cust"}, 200},
		{"opendental_invalid_id.json", "/opendental/patients/twelve", map[string]string{"Authorization": "ODFHIR dev/cust"}, 400},
		{"kana_organization.json", "/kana-practice/apis/therapist_organization/3/", map[string]string{"Authorization": "Basic dXNlcjpwYXNz"}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, srv, "GET", tc.target, "", with(tc.headers, "Prefer", "dynamic=true"))
			if rec.Code != tc.status {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			golden.Compare(t, rec.Body.Bytes(), tc.name, *update)
		})
	}
}

func drfSource() specs.Source { return specs.Source{Name: "drf", Path: "testdata/drf-snippets.yaml"} }

// TestGoldenDRFPagination pins Django REST framework list answers, which no bundled vendor
// has: LimitOffsetPagination ({count, next, previous, results}) and CursorPagination ({next,
// previous, results}), on the first, a middle and an out-of-range page, with next/previous as
// DRF writes them (absolute, trailing slash kept, sorted query, the paging parameter dropped for
// the first page).
func TestGoldenDRFPagination(t *testing.T) {
	srv := newServer(t, 1, drfSource())
	const base = "http://example.com/drf" // httptest.NewRequest's host
	for _, tc := range []struct {
		name, target   string
		status         int
		next, previous any // want (nil: JSON null); "-" skips the check
		count          int
		results        int
	}{
		{"drf_limit_offset_first.json", "/drf/snippets/?limit=5", 200, base + "/snippets/?limit=5&offset=5", nil, 20, 5},
		{"drf_limit_offset_middle.json", "/drf/snippets/?limit=5&offset=10", 200, base + "/snippets/?limit=5&offset=15", base + "/snippets/?limit=5&offset=5", 20, 5},
		{"drf_limit_offset_out_of_range.json", "/drf/snippets/?limit=5&offset=100", 200, nil, base + "/snippets/?limit=5&offset=95", 20, 0},
		{"drf_cursor_first.json", "/drf/users/", 200, base + "/users/?cursor=" + state.Cursor(5), nil, -1, 5},
		{"drf_cursor_middle.json", "/drf/users/?cursor=" + state.Cursor(10), 200, base + "/users/?cursor=" + state.Cursor(15), base + "/users/?cursor=" + state.Cursor(5), -1, 5},
		{"drf_cursor_out_of_range.json", "/drf/users/?cursor=" + state.Cursor(100), 200, nil, base + "/users/?cursor=" + state.Cursor(95), -1, 0},
		{"drf_cursor_invalid.json", "/drf/users/?cursor=bogus", 404, "-", "-", -1, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, srv, "GET", tc.target, "", nil)
			if rec.Code != tc.status {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			golden.Compare(t, rec.Body.Bytes(), tc.name, *update)
			m := decodeJSON(t, rec)
			if tc.next != "-" && m["next"] != tc.next {
				t.Errorf("next = %v, want %v", m["next"], tc.next)
			}
			if tc.previous != "-" && m["previous"] != tc.previous {
				t.Errorf("previous = %v, want %v", m["previous"], tc.previous)
			}
			if _, has := m["count"]; has != (tc.count >= 0) || tc.count >= 0 && m["count"] != float64(tc.count) {
				t.Errorf("count = %v, want %d (-1: none)", m["count"], tc.count)
			}
			if results, _ := m["results"].([]any); tc.results >= 0 && len(results) != tc.results {
				t.Errorf("%d results, want %d", len(results), tc.results)
			}
		})
	}
}

// TestDRFLinksWalk follows next links through a real HTTP server to the end and previous links
// back to the start: every record once, in order, both ways, for both DRF paginations.
func TestDRFLinksWalk(t *testing.T) {
	hs := httptest.NewServer(newServer(t, 1, drfSource()))
	defer hs.Close()
	for _, tc := range []struct{ start, id string }{
		{hs.URL + "/drf/snippets/?limit=6", "id"},
		{hs.URL + "/drf/users/?page_size=6", "id"},
	} {
		page := func(url string) (ids []any, next, prev any) {
			t.Helper()
			resp, err := http.Get(url)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var m struct {
				Next, Previous any
				Results        []map[string]any
			}
			if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&m) != nil {
				t.Fatalf("GET %s: %d", url, resp.StatusCode)
			}
			for _, r := range m.Results {
				ids = append(ids, r[tc.id])
			}
			return ids, m.Next, m.Previous
		}
		var forward, backward [][]any
		url, last := any(tc.start), ""
		for n := 0; url != nil; n++ {
			if n > 10 {
				t.Fatalf("%s: no end after 10 pages", tc.start)
			}
			ids, next, _ := page(url.(string))
			forward = append(forward, ids)
			last, url = url.(string), next
		}
		for url := any(last); url != nil; {
			ids, _, prev := page(url.(string))
			backward = append([][]any{ids}, backward...)
			url = prev
		}
		if len(forward) != 4 || fmt.Sprint(forward) != fmt.Sprint(backward) {
			t.Errorf("%s: forward %v, backward %v: want the same 4 pages (20 records by 6)", tc.start, forward, backward)
		}
		seen := map[string]bool{}
		for _, p := range forward {
			for _, id := range p {
				seen[fmt.Sprint(id)] = true
			}
		}
		if len(seen) != 20 {
			t.Errorf("%s: %d distinct records, want 20", tc.start, len(seen))
		}
	}
}
