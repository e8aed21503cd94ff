package mock_test

import (
	"flag"
	"testing"

	"github.com/vendormock/vendormock/internal/golden"
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
