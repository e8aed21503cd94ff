package mock_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/scenarios"
	"github.com/vendormock/vendormock/specs"
)

// representative picks, per vendor, an operation of a kind (the first that documents want, if any).
func representative(v *specs.Vendor, kind string, want int) *specs.Operation {
	var first *specs.Operation
	for _, op := range v.Operations {
		if scenarios.KindOf(op) != kind {
			continue
		}
		if op.Documents(want) {
			return op
		}
		if first == nil {
			first = op
		}
	}
	if first == nil {
		return v.Operations[0]
	}
	return first
}

// expectation is what a bundled scenario must do to one call: the statuses of consecutive calls
// (0 = any 2xx) and the headers the answers must carry.
type expectation struct {
	kind     string // operation kind the calls go to
	statuses []int
	header   string
	delay    [2]time.Duration
}

func expectations(vendor string) map[string]expectation {
	unauth, forbidden := 401, 403
	switch vendor {
	case "kana-practice", "kana-users":
		unauth = 403 // DRF with the session authenticator first never answers 401
	case "opendental":
		forbidden = 401 // Open Dental answers 401 for a key without the permission
	}
	empty := 0
	if vendor == "kana-practice" {
		empty = 204
	}
	list := scenarios.KindList
	if vendor == "kana-users" {
		list = "" // no list operations
	}
	return map[string]expectation{
		"unauthorized":     {statuses: []int{unauth}},
		"forbidden":        {statuses: []int{forbidden}},
		"not-found":        {kind: scenarios.KindRead, statuses: []int{404}},
		"validation-error": {statuses: []int{400}},
		"rate-limited":     {statuses: []int{429}, header: "Retry-After"},
		"server-error":     {statuses: []int{500}},
		"unavailable":      {statuses: []int{503}, header: "Retry-After"},
		"slow":             {statuses: []int{0}, delay: [2]time.Duration{time.Second, 2 * time.Second}},
		"flaky":            {statuses: []int{0, 0, 503, 0, 0, 503}},
		"empty-lists":      {kind: list, statuses: []int{empty}},
		"large-dataset":    {kind: list, statuses: []int{0}},
	}
}

// vendorCatalog loads one bundled vendor and its scenarios, so a server per run-flag scenario
// compiles only that vendor.
func vendorCatalog(tb testing.TB, name string) (*specs.Catalog, *scenarios.Set) {
	tb.Helper()
	for _, src := range specs.Bundled() {
		if src.Name != name {
			continue
		}
		cat := loadCatalog(tb, src)
		set, _, err := scenarios.Load(context.Background(), cat, []scenarios.Source{scenarios.Bundled()})
		if err != nil {
			tb.Fatal(err)
		}
		return cat, set
	}
	tb.Fatalf("no bundled vendor %q", name)
	return nil, nil
}

// TestBundledScenarios sends requests through the real handler for every core bundled scenario
// of every vendor, selected each of the three ways, and validates documented answers.
func TestBundledScenarios(t *testing.T) {
	cat, set := scenarioCatalog(t)
	sharedClock := newFakeClock()
	shared, _ := scenarioServer(t, cat, set, sharedClock)
	for _, v := range cat.Vendors {
		vcat, vset := vendorCatalog(t, v.Name)
		for name, exp := range expectations(v.Name) {
			want := exp.statuses[0]
			op := representative(v, exp.kind, want)
			if exp.kind == "" {
				op = v.Operations[0]
			}
			for _, mode := range []string{"header", "run", "admin"} {
				t.Run(v.Name+"/"+name+"/"+mode, func(t *testing.T) {
					srv, clock := shared, sharedClock
					if mode == "run" {
						clock = newFakeClock()
						srv, _ = scenarioServer(t, vcat, vset, clock, v.Name+"/"+name)
					} else if rec := call(t, srv, http.MethodPost, mock.AdminPrefix+"scenarios/reset", "", nil); rec.Code != 200 {
						t.Fatalf("reset: %d %s", rec.Code, rec.Body)
					}
					if mode == "admin" {
						rec := call(t, srv, http.MethodPost, mock.AdminPrefix+"scenarios/"+v.Name+"/"+name+"/activate", "", nil)
						if rec.Code != 200 {
							t.Fatalf("activate: %d %s", rec.Code, rec.Body)
						}
					}
					sleptBefore := len(clock.Slept())
					for i, want := range exp.statuses {
						req := validRequest(t, op)
						if mode == "header" {
							req.Header.Set(scenarios.HeaderScenario, name)
						}
						rec := serve(srv, req)
						checkStatus(t, rec, want, i)
						if exp.header != "" && rec.Header().Get(exp.header) == "" {
							t.Errorf("call %d: no %s header", i+1, exp.header)
						}
						if op.Documents(rec.Code) {
							assertValidResponse(t, cat, v.Name, op.ID, req.Method, req.URL.RequestURI(), rec)
						}
					}
					if exp.delay[1] > 0 {
						slept := clock.Slept()[sleptBefore:]
						if len(slept) != len(exp.statuses) || slept[0] < exp.delay[0] || slept[0] > exp.delay[1] {
							t.Errorf("slept %v, want one delay in %v", slept, exp.delay)
						}
					}
					rec := call(t, srv, http.MethodGet, mock.AdminPrefix+"requests?limit=1", "", nil)
					if !strings.Contains(rec.Body.String(), `"scenario":"`+name+`"`) {
						t.Errorf("journal does not name the scenario: %s", rec.Body)
					}
				})
			}
		}
	}
}

func checkStatus(tb testing.TB, rec *httptest.ResponseRecorder, want, i int) {
	tb.Helper()
	if want == 0 && (rec.Code < 200 || rec.Code >= 300) || want != 0 && rec.Code != want {
		tb.Fatalf("call %d: status %d, want %d; body %s", i+1, rec.Code, want, rec.Body)
	}
}
