package mock_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/vendormock/vendormock/scenarios"
)

// TestScenario_OpenDentalThrottle checks the free tier: one GET per 5 s per customer key, 429
// with Retry-After counting down, a fresh window after 5 s, and other keys unaffected.
func TestScenario_OpenDentalThrottle(t *testing.T) {
	cat, set := scenarioCatalog(t)
	clock := newFakeClock()
	srv, _ := scenarioServer(t, cat, set, clock, "opendental/free-tier-throttle")
	op, _ := cat.Operation("opendental", "listPatients")
	key := func(k string) *http.Request { return validRequest(t, op, "Authorization", "ODFHIR dev/"+k) }
	checkStatus(t, serve(srv, key("a")), 0, 0)
	clock.Advance(2 * time.Second)
	rec := serve(srv, key("a"))
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "3" || rec.Header().Get("X-RateLimit-Limit") != "1" {
		t.Fatalf("second call within 5 s: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	checkStatus(t, serve(srv, key("b")), 0, 0)
	clock.Advance(3 * time.Second)
	checkStatus(t, serve(srv, key("a")), 0, 0)
	// Writes are not ReadAll calls and are not throttled on the free tier.
	post, _ := cat.Operation("opendental", "createPatient")
	for range 3 {
		if rec := serve(srv, validRequest(t, post, "Authorization", "ODFHIR dev/a")); rec.Code == 429 {
			t.Fatalf("POST throttled: %s", rec.Body)
		}
	}
}

// TestScenario_OpenDentalGatewayTimeout checks the 504 after 60 s, on the fake clock.
func TestScenario_OpenDentalGatewayTimeout(t *testing.T) {
	cat, set := scenarioCatalog(t)
	clock := newFakeClock()
	srv, _ := scenarioServer(t, cat, set, clock)
	op, _ := cat.Operation("opendental", "listPatients")
	req := validRequest(t, op, scenarios.HeaderScenario, "slow-gateway-timeout")
	rec := serve(srv, req)
	if rec.Code != 504 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if s := clock.Slept(); len(s) != 1 || s[0] != time.Minute {
		t.Fatalf("slept %v, want 1m", s)
	}
	assertValidResponse(t, cat, "opendental", op.ID, req.Method, req.URL.RequestURI(), rec)
}

// TestScenario_VendorSpecific covers the other vendor-specific bundled scenarios.
func TestScenario_VendorSpecific(t *testing.T) {
	cat, set := scenarioCatalog(t)
	srv, _ := scenarioServer(t, cat, set, newFakeClock())
	for _, tc := range []struct {
		vendor, scenario, op string
		status               int
		body                 string
	}{
		{"heydonto", "expired-token", "listUsers", 401, `{"message":"Unauthorized","statusCode":401}`},
		{"heydonto-auth", "expired-token", "authcontroller_getcurrentuser", 401, `{"message":"Unauthorized","statusCode":401}`},
		{"herohealth", "scope-error", "sendMessage", 403, `{"error":true,"message":"Unauthorised","statusCode":403}`},
		{"herohealth", "scope-error", "listPatients", 200, ""},
		{"kana-practice", "voice-validation-error", "get_documentation_instructions", 422, ""},
		{"opendental", "econnector-down", "listPatients", 400, `"The eConnector for this office is not running."`},
	} {
		t.Run(tc.vendor+"/"+tc.scenario+"/"+tc.op, func(t *testing.T) {
			op, err := cat.Operation(tc.vendor, tc.op)
			if err != nil {
				t.Fatal(err)
			}
			req := validRequest(t, op, scenarios.HeaderScenario, tc.scenario)
			rec := serve(srv, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if tc.body != "" && rec.Body.String() != tc.body {
				t.Fatalf("body %s, want %s", rec.Body, tc.body)
			}
			assertValidResponse(t, cat, tc.vendor, op.ID, req.Method, req.URL.RequestURI(), rec)
		})
	}
}
