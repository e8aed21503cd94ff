package mock_test

import (
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/specs"
)

// TestConcurrentFirstRequests sends the first requests of many operations at once: schemas
// compile on first use, which must be safe under concurrency (run with -race).
func TestConcurrentFirstRequests(t *testing.T) {
	srv := newServer(t, 1, specs.Bundled()...)
	targets := []struct{ method, path, body string }{
		{"GET", "/opendental/patients/1", ""}, {"GET", "/opendental/patients?Limit=5", ""},
		{"PUT", "/opendental/patients/2", `{"LName":"Smith"}`}, {"GET", "/opendental/patients/abc", ""},
		{"GET", "/opendental/appointments/1", ""}, {"POST", "/opendental/commlogs", `{"PatNum":1}`},
		{"GET", "/opendental/providers", ""}, {"GET", "/opendental/userods", ""},
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		for _, tc := range targets {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
				req.Header.Set("Authorization", "ODFHIR a/b")
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set(mock.SessionHeader, "race")
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code >= 500 {
					t.Errorf("%s %s: %d", tc.method, tc.path, rec.Code)
				}
			}()
		}
	}
	wg.Wait()
}
