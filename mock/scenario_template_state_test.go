package mock_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/scenarios"
	"github.com/vendormock/vendormock/specs"
)

// stateRules read stored pets: "stored" answers a read with the stored record (renamed) and
// passes when there is none; "echo-null" embeds a missing record as null; "dogs" lists stored
// records by tag and counts them; "broken" names a resource computed from the query.
const stateRules = `
scenarios:
  - name: stored
    rules:
      - name: read
        match: {operations: ["find pet by id"]}
        respond:
          status: 200
          headers: {X-Stored-Name: '{{with record "pets" .PathParams.id}}{{.name}}{{end}}'}
          template: |
            {{- with record "pets" .PathParams.id -}}
              {{json (set . "name" (printf "%s (stored)" .name))}}
            {{- else -}}
              {{pass}}
            {{- end}}
  - name: echo-null
    rules:
      - match: {operations: ["find pet by id"]}
        respond:
          status: 200
          content_type: application/json
          template: '{"stored": {{json (record "/pets" .PathParams.id)}}}'
  - name: dogs
    rules:
      - match: {operations: [findPets]}
        respond:
          status: 200
          headers: {X-Total: '{{len (records "pets")}}'}
          template: '{{json (records "pets" "tag" .Query.tags)}}'
  - name: broken
    rules:
      - name: computed-name
        match: {operations: ["find pet by id"]}
        respond:
          status: 200
          template: |
            {{json (record .Query.res .PathParams.id)}}
`

func stateScenarioServer(tb testing.TB) (*httptest.Server, *specs.Catalog) {
	tb.Helper()
	cat := loadCatalog(tb, specs.Source{Name: "petstore", Path: "../specs/testdata/petstore.yaml"})
	set, _, err := scenarios.Load(context.Background(), cat, []scenarios.Source{{
		FS: fstest.MapFS{"petstore/state.yaml": {Data: []byte(stateRules)}}, Display: "t"}})
	if err != nil {
		tb.Fatal(err)
	}
	srv, _ := scenarioServer(tb, cat, set, newFakeClock())
	ts := httptest.NewServer(srv)
	tb.Cleanup(ts.Close)
	return ts, cat
}

// sendOver makes one request over the real connection and returns it as a recorder, for the checks
// the other tests share.
func sendOver(tb testing.TB, ts *httptest.Server, method, target, body string, headers map[string]string) *httptest.ResponseRecorder {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+target, rd)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	rec := httptest.NewRecorder()
	for k, v := range resp.Header {
		rec.Header()[k] = v
	}
	rec.WriteHeader(resp.StatusCode)
	_, _ = rec.Write(b)
	return rec
}

// TestScenario_TemplateReadsStoredState: a record created with POST in a session is read back by
// a scenario template in that session only, as a read answers it (undocumented fields left out);
// a missing record passes to the normal answer (404)
// or is embedded as null; records lists and counts the session's records under the resource name
// GET /__admin/resources reports.
func TestScenario_TemplateReadsStoredState(t *testing.T) {
	ts, cat := stateScenarioServer(t)
	sessA := map[string]string{scenarios.HeaderSession: "a", "Content-Type": "application/json"}
	rec := sendOver(t, ts, "POST", "/petstore/pets", `{"name":"Rex","tag":"template-dog","undocumented":"kept out"}`, sessA)
	if rec.Code != 200 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	id := strconv.FormatFloat(decodeJSON(t, rec)["id"].(float64), 'f', -1, 64)
	target := "/petstore/pets/" + id

	// The session that stored it reads it through the template.
	rec = sendOver(t, ts, "GET", target, "", with(sessA, scenarios.HeaderScenario, "stored"))
	if got := decodeJSON(t, rec); rec.Code != 200 || got["name"] != "Rex (stored)" || got["tag"] != "template-dog" ||
		got["undocumented"] != nil || rec.Header().Get("X-Stored-Name") != "Rex" {
		t.Fatalf("session a: %d %s %v", rec.Code, rec.Body, rec.Header())
	}
	assertValidResponse(t, cat, "petstore", "find pet by id", "GET", target, rec)
	// A plain read still answers the record as stored: set copied it.
	if rec = sendOver(t, ts, "GET", target, "", sessA); decodeJSON(t, rec)["name"] != "Rex" {
		t.Fatalf("the stored record changed: %s", rec.Body)
	}

	// Other sessions do not have it: the template passes and the normal pipeline answers 404.
	for _, session := range []string{"b", ""} {
		h := map[string]string{scenarios.HeaderScenario: "stored"}
		if session != "" {
			h[scenarios.HeaderSession] = session
		}
		rec = sendOver(t, ts, "GET", target, "", h)
		if rec.Code != 404 || rec.Header().Get("X-Stored-Name") != "" {
			t.Fatalf("session %q: %d %s, want the normal 404", session, rec.Code, rec.Body)
		}
		rec = sendOver(t, ts, "GET", target, "", with(h, scenarios.HeaderScenario, "echo-null"))
		if rec.Code != 200 || rec.Body.String() != `{"stored": null}` {
			t.Fatalf("session %q, missing record embedded: %d %s", session, rec.Code, rec.Body)
		}
	}
	rec = sendOver(t, ts, "GET", target, "", with(sessA, scenarios.HeaderScenario, "echo-null"))
	if !strings.Contains(rec.Body.String(), `"name":"Rex"`) {
		t.Fatalf("session a, record embedded: %d %s", rec.Code, rec.Body)
	}

	// records: the session's dogs, and a count that agrees with GET /__admin/resources.
	list := func(session string) ([]map[string]any, int) {
		rec := sendOver(t, ts, "GET", "/petstore/pets?tags=template-dog", "", map[string]string{
			scenarios.HeaderScenario: "dogs", scenarios.HeaderSession: session})
		var pets []map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &pets); rec.Code != 200 || err != nil {
			t.Fatalf("records in session %q: %d %s", session, rec.Code, rec.Body)
		}
		assertValidResponse(t, cat, "petstore", "findPets", "GET", "/petstore/pets?tags=template-dog", rec)
		n, _ := strconv.Atoi(rec.Header().Get("X-Total"))
		return pets, n
	}
	pets, totalA := list("a")
	if len(pets) != 1 || pets[0]["name"] != "Rex" {
		t.Fatalf("session a dogs: %v", pets)
	}
	if pets, _ := list("b"); len(pets) != 0 {
		t.Fatalf("session b dogs: %v", pets)
	}
	rec = sendOver(t, ts, "GET", mock.AdminPrefix+"resources", "", map[string]string{scenarios.HeaderSession: "a"})
	var res struct{ Resources []mock.ResourceInfo }
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range res.Resources {
		if r.Vendor == "petstore" && r.Name == "/pets" {
			found = true
			if r.Records != totalA {
				t.Errorf("len (records \"pets\") = %d, GET /__admin/resources says %d", totalA, r.Records)
			}
		}
	}
	if !found {
		t.Fatalf("no /pets resource: %s", rec.Body)
	}
}

// TestScenario_TemplateErrorAnswer: a template that fails while rendering (a computed resource
// name the vendor does not have) answers 500 application/problem+json naming the file, line,
// scenario and rule, and the journal names the scenario and rule.
func TestScenario_TemplateErrorAnswer(t *testing.T) {
	ts, _ := stateScenarioServer(t)
	rec := sendOver(t, ts, "GET", "/petstore/pets/1?res=owners", "", map[string]string{scenarios.HeaderScenario: "broken"})
	if rec.Code != 500 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("%d %s %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	var p mock.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"t/petstore/state.yaml:37:", "scenario petstore/broken rule computed-name", `no resource "/owners"`, "/pets"} {
		if !strings.Contains(p.Detail, want) {
			t.Errorf("detail %q lacks %q", p.Detail, want)
		}
	}
	if p.Title != "scenario template failed" {
		t.Errorf("title %q", p.Title)
	}
	entries := journalOver(t, ts, 1)
	if len(entries) != 1 || entries[0].Scenario != "broken" || entries[0].Rule != "computed-name" || entries[0].Status != 500 {
		t.Fatalf("journal: %+v", entries)
	}
}

// TestNewServer_RejectsUnknownTemplateResources: a template naming a resource the vendor does not
// have stops the server from starting, with file and line.
func TestNewServer_RejectsUnknownTemplateResources(t *testing.T) {
	cat := loadCatalog(t, specs.Source{Name: "petstore", Path: "../specs/testdata/petstore.yaml"})
	set, _, err := scenarios.Load(context.Background(), cat, []scenarios.Source{{
		FS: fstest.MapFS{"petstore/x.yaml": {Data: []byte(
			"scenarios:\n  - name: a\n    rules:\n      - respond:\n          status: 200\n          template: '{{json (record \"owners\" 1)}}'\n")}},
		Display: "my"}})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := scenarios.NewEngine(set, scenarios.EngineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = mock.NewServer(mock.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler), Scenarios: eng})
	if err == nil || !strings.Contains(err.Error(), `my/petstore/x.yaml:6: scenario "a" rule "rule-1": record "owners": the vendor has no such resource`) {
		t.Fatalf("got %v", err)
	}
}
