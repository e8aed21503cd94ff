package mock_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vendormock/vendormock/scenarios"
	"github.com/vendormock/vendormock/specs"
)

const petRules = `
scenarios:
  - name: echo
    rules:
      - match: {operations: ["find pet by id"]}
        respond:
          status: 200
          headers: {X-Pet: "{{.PathParams.id}}"}
          template: '{"id": {{.PathParams.id}}, "name": {{json .Query.name}}}'
  - name: generated
    rules:
      - match: {method: GET, path: "/pets/{id}"}
        respond: {status: 200, generate: true}
  - name: documented-error
    rules:
      - match: {operations: [deletePet]}
        respond: {status: 500, message: "disk full"}
  - name: by-body
    rules:
      - match: {operations: [addPet], body: {tag: dog}}
        respond: {status: 409, body: {code: 409, message: "no more dogs"}}
  - name: faults
    rules:
      - match: {operations: [findPets], query: {fault: reset}}
        fault: reset
      - match: {operations: [findPets], query: {fault: empty}}
        fault: empty
      - match: {operations: [findPets], query: {fault: truncated}}
        fault: truncated
      - match: {operations: [findPets], query: {fault: malformed}}
        fault: malformed
      - match: {operations: [findPets], query: {fault: hang}}
        fault: hang
`

func petScenarioServer(tb testing.TB, clock *fakeClock) (http.Handler, *specs.Catalog) {
	tb.Helper()
	cat := loadCatalog(tb, specs.Source{Name: "petstore", Path: "../specs/testdata/petstore.yaml"})
	set, _, err := scenarios.Load(context.Background(), cat, []scenarios.Source{{
		FS: fstest.MapFS{"petstore/t.yaml": {Data: []byte(petRules)}}, Display: "t"}})
	if err != nil {
		tb.Fatal(err)
	}
	srv, _ := scenarioServer(tb, cat, set, clock)
	return srv, cat
}

// TestScenario_Respond covers template, generated, documented-error and body-matched answers.
func TestScenario_Respond(t *testing.T) {
	srv, cat := petScenarioServer(t, newFakeClock())
	for _, tc := range []struct {
		name, method, target, body, scenario, op string
		status                                   int
		want                                     string
	}{
		{"template", "GET", "/petstore/pets/42?name=Rex", "", "echo", "find pet by id", 200, `{"id": 42, "name": "Rex"}`},
		{"generate", "GET", "/petstore/pets/42", "", "generated", "find pet by id", 200, `"name":`},
		{"documented error", "DELETE", "/petstore/pets/42", "", "documented-error", "deletePet", 500, `"message":"disk full"`},
		{"body condition", "POST", "/petstore/pets", `{"name":"Rex","tag":"dog"}`, "by-body", "addPet", 409, "no more dogs"},
		{"body condition unmet", "POST", "/petstore/pets", `{"name":"Tom","tag":"cat"}`, "by-body", "addPet", 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{scenarios.HeaderScenario: tc.scenario, "Content-Type": "application/json"}
			rec := call(t, srv, tc.method, tc.target, tc.body, h)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) {
				t.Fatalf("%d %s, want %d containing %s", rec.Code, rec.Body, tc.status, tc.want)
			}
			if tc.name == "template" && rec.Header().Get("X-Pet") != "42" {
				t.Fatalf("header template: %v", rec.Header())
			}
			assertValidResponse(t, cat, "petstore", tc.op, tc.method, tc.target, rec)
		})
	}
	rec := call(t, srv, "GET", "/petstore/pets", "", map[string]string{scenarios.HeaderScenario: "nope"})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "unknown scenario") {
		t.Fatalf("unknown scenario: %d %s", rec.Code, rec.Body)
	}
}

// TestScenario_Faults checks each fault over a real connection.
func TestScenario_Faults(t *testing.T) {
	h, _ := petScenarioServer(t, newFakeClock())
	ts := httptest.NewServer(h)
	defer ts.Close()
	get := func(fault string, timeout time.Duration) (*http.Response, []byte, error) {
		client := &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true}}
		req, _ := http.NewRequest("GET", ts.URL+"/petstore/pets?fault="+fault, nil)
		req.Header.Set(scenarios.HeaderScenario, "faults")
		resp, err := client.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp, b, err
	}
	for _, fault := range []string{"reset", "empty"} {
		if _, _, err := get(fault, 5*time.Second); err == nil {
			t.Errorf("%s: the request succeeded", fault)
		}
	}
	if _, _, err := get("truncated", 5*time.Second); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated: got %v, want unexpected EOF", err)
	}
	resp, body, err := get("malformed", 5*time.Second)
	if err != nil || resp.StatusCode != 200 || json.Valid(body) {
		t.Errorf("malformed: %v %s", err, body)
	}
	// The hang ends when the client gives up; the short timeout is the client's, not a sleep.
	var ne net.Error
	if _, _, err := get("hang", 200*time.Millisecond); !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("hang: got %v, want a client timeout", err)
	}
}

// TestScenario_DelayHonoursContext checks that a cancelled request stops waiting.
func TestScenario_DelayHonoursContext(t *testing.T) {
	cat, set := scenarioCatalog(t)
	clock := newFakeClock()
	srv, _ := scenarioServer(t, cat, set, clock)
	op, _ := cat.Operation("opendental", "listPatients")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := validRequest(t, op, scenarios.HeaderScenario, "slow-gateway-timeout").WithContext(ctx)
	rec := serve(srv, req)
	if rec.Code == 504 {
		t.Fatalf("answered 504 to a request whose client had gone")
	}
}
