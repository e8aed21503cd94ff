package mock_test

import (
	"strings"
	"testing"

	"github.com/vendormock/vendormock/specs"
)

// TestRoutesPerPathTemplate: templates that differ only in parameter names share a route (one
// Allow header), literal text around a parameter keeps templates apart, and each operation
// receives its own parameter names.
func TestRoutesPerPathTemplate(t *testing.T) {
	srv := newServer(t, 1, specs.Source{Name: "r", Path: "testdata/routes.yaml"})
	for _, tc := range []struct {
		name, method, target string
		status               int
		allow, bodyHas       string
	}{
		{"get by one name", "GET", "/r/files/7", 200, "", `"kind":"plain"`},
		{"delete by another name, same route", "DELETE", "/r/files/7", 204, "", ""},
		{"one Allow for both names", "PUT", "/r/files/7", 405, "DELETE, GET, HEAD, OPTIONS", "PUT"},
		{"parameter of the second name checked", "DELETE", "/r/files/x", 400, "", "id"},
		{"parameter of the first name checked", "GET", "/r/files/x", 400, "", "fileId"},
		{"suffix template is its own route", "GET", "/r/files/7.json", 200, "", `"kind":"json"`},
		{"documented HEAD kept", "HEAD", "/r/files/7.json", 200, "", ""},
		{"suffix template's methods", "DELETE", "/r/files/7.json", 405, "GET, HEAD, OPTIONS", ""},
		{"plain OPTIONS", "OPTIONS", "/r/files/7.json", 204, "GET, HEAD, OPTIONS", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, srv, tc.method, tc.target, "", nil)
			if rec.Code != tc.status {
				t.Fatalf("status = %d, want %d; body: %s", rec.Code, tc.status, rec.Body)
			}
			if got := rec.Header().Get("Allow"); tc.allow != "" && got != tc.allow {
				t.Fatalf("Allow = %q, want %q", got, tc.allow)
			}
			if !strings.Contains(rec.Body.String(), tc.bodyHas) {
				t.Fatalf("body %s does not contain %s", rec.Body, tc.bodyHas)
			}
		})
	}
}
