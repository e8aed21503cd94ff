package contract_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vendormock/vendormock/contract"
	"github.com/vendormock/vendormock/specs"
)

// Planted personal values and secrets: none of them may appear in any report.
const (
	goodToken     = "s3cr3t-bearer-token-value"
	plantedFirst  = "Zebedee"
	plantedLast   = "Plantedname"
	plantedEmail  = "zeb@planted.example"
	plantedPhone  = "+44 7700 900123"
	plantedDOB    = "1961-02-03"
	plantedNHS    = "943 476 5919"
	plantedStreet = "12 Planted Road"
)

func planted() []string {
	return []string{goodToken, plantedFirst, plantedLast, plantedEmail, plantedPhone, plantedDOB, plantedNHS, plantedStreet}
}

func driftVendor(tb testing.TB) *specs.Vendor {
	tb.Helper()
	cat, err := specs.Load(context.Background(), []specs.Source{{Name: "drift", Path: "testdata/drift.yaml"}}, specs.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	v, err := cat.Vendor("drift")
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func goodPatient(id string) map[string]any {
	return map[string]any{"id": id, "firstName": plantedFirst, "lastName": plantedLast, "email": plantedEmail,
		"phone": plantedPhone, "dateOfBirth": plantedDOB, "nhsNumber": plantedNHS, "age": 64, "status": "active",
		"tags": []any{"vip"}, "address": map[string]any{"line1": plantedStreet, "postcode": "SW1A 1AA"}}
}

// driftFunc changes an answer of the fake sandbox before it is written: status, headers, body.
type driftFunc func(op string, status *int, h http.Header, body *any)

// sandbox is a fake vendor sandbox serving testdata/drift.yaml correctly, unless drift changes it.
type sandbox struct {
	drift driftFunc
	// acceptInvalid makes createPatient accept bodies that break the schema.
	acceptInvalid bool
	// noAuth makes every request succeed without credentials.
	noAuth bool

	mu  sync.Mutex
	log []string
}

func (s *sandbox) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

func (s *sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.log = append(s.log, r.Method+" "+r.URL.Path)
	s.mu.Unlock()
	op, status, h, out := s.route(r, body)
	if s.drift != nil {
		s.drift(op, &status, h, &out)
	}
	for k, v := range h {
		w.Header()[k] = v
	}
	if w.Header().Get("Content-Type") == "" && out != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	if out != nil {
		if raw, ok := out.(string); ok && strings.HasPrefix(w.Header().Get("Content-Type"), "text/") {
			io.WriteString(w, raw)
			return
		}
		json.NewEncoder(w).Encode(out)
	}
}

func (s *sandbox) route(r *http.Request, body []byte) (op string, status int, h http.Header, out any) {
	h = http.Header{}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.Method == "GET" && r.URL.Path == "/patients":
		op = "listPatients"
	case r.Method == "POST" && r.URL.Path == "/patients":
		op = "createPatient"
	case len(parts) == 2 && parts[0] == "patients":
		op = map[string]string{"GET": "getPatient", "PUT": "updatePatient", "DELETE": "deletePatient"}[r.Method]
	case r.Method == "GET" && r.URL.Path == "/practice":
		op = "getPractice"
	}
	if op == "" {
		return "", 404, h, map[string]any{"message": "no such route"}
	}
	if !s.noAuth && r.Header.Get("Authorization") != "Bearer "+goodToken {
		return op, 401, h, map[string]any{"message": "unauthorized"}
	}
	switch op {
	case "listPatients":
		return op, 200, h, map[string]any{"items": []any{goodPatient("pat-1"), goodPatient("pat-2")}, "total": 2}
	case "createPatient", "updatePatient":
		var in map[string]any
		if json.Unmarshal(body, &in) != nil || in["firstName"] == nil || in["lastName"] == nil {
			if !s.acceptInvalid {
				return op, 400, h, map[string]any{"message": "firstName and lastName are required"}
			}
		}
		if op == "createPatient" {
			return op, 201, h, goodPatient("pat-new")
		}
		return op, 200, h, goodPatient(parts[1])
	case "getPatient":
		h.Set("X-Request-Id", "req-42")
		return op, 200, h, goodPatient(parts[1])
	case "deletePatient":
		return op, 204, h, nil
	}
	return op, 200, h, map[string]any{"id": "pr-1", "timezone": "Europe/London"}
}

// fakeClock is the injected clock: Sleep advances it and records what was asked.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: fixedNow()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *fakeClock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// driftOptions are the options of a run against a fake sandbox: fixed clock, one worker.
func driftOptions(tb testing.TB, v *specs.Vendor, ts *httptest.Server) contract.Options {
	tb.Helper()
	clock := newFakeClock()
	return contract.Options{
		Vendor: v, Spec: "testdata/drift.yaml", BaseURL: ts.URL, Client: ts.Client(), Now: clock.Now, Sleep: clock.Sleep,
		Mode: contract.ModeSafe, Concurrency: 1, Seed: 3,
		Credentials: contract.Credentials{Schemes: map[string]string{"bearer": goodToken}},
	}
}

func run(tb testing.TB, opts contract.Options, baseline *contract.Baseline) *contract.Report {
	tb.Helper()
	rep, err := contract.Run(context.Background(), opts, baseline)
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}
