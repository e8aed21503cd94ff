package mock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/scenarios"
)

// TestScenario_FaultsJournaled sends every fault over HTTP/1.1 (the connection is taken over)
// and over HTTP/2 (no connection to take over: the handler aborts and the stream is reset).
// Either way the client sees the fault and GET /__admin/requests keeps the request, naming the
// scenario, the rule and the fault, with the status the client was sent (0 when none).
func TestScenario_FaultsJournaled(t *testing.T) {
	for _, tc := range []struct {
		name  string
		http2 bool
	}{{"HTTP/1.1", false}, {"HTTP/2", true}} {
		t.Run(tc.name, func(t *testing.T) {
			h, _ := petScenarioServer(t, newFakeClock())
			ts := httptest.NewUnstartedServer(h)
			ts.EnableHTTP2 = tc.http2
			ts.StartTLS()
			defer ts.Close()
			wantProto := 1
			if tc.http2 {
				wantProto = 2
			}
			get := func(fault string, timeout time.Duration) (*http.Response, error) {
				client := ts.Client()
				client.Timeout = timeout
				req, err := http.NewRequest("GET", ts.URL+"/petstore/pets?fault="+fault, nil)
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set(scenarios.HeaderScenario, "faults")
				resp, err := client.Do(req)
				if err != nil {
					return nil, err
				}
				defer resp.Body.Close()
				if resp.ProtoMajor != wantProto {
					t.Errorf("%s: answered over HTTP/%d, want HTTP/%d", fault, resp.ProtoMajor, wantProto)
				}
				_, err = io.ReadAll(resp.Body)
				return resp, err
			}
			for _, fault := range []string{"reset", "empty"} {
				if _, err := get(fault, 5*time.Second); err == nil {
					t.Errorf("%s: the client saw no error", fault)
				}
			}
			// The truncated answer's head arrives; its body breaks off.
			resp, err := get("truncated", 5*time.Second)
			if resp == nil || resp.StatusCode != 200 || err == nil {
				t.Errorf("truncated: answer %v, body error %v; want a 200 head and a broken body", resp, err)
			}
			// hang ends when the client gives up; the handler returns then, and journals.
			if _, err := get("hang", 200*time.Millisecond); err == nil {
				t.Errorf("hang: the client saw no error")
			}

			want := map[string]struct {
				rule   string
				status int
			}{
				"reset": {"rule-1", 0}, "empty": {"rule-2", 0}, "truncated": {"rule-3", 200}, "hang": {"rule-5", 0},
			}
			wantCount := map[string]int{"reset": 1, "empty": 1, "truncated": 1, "hang": 1}
			var entries []mock.JournalEntry
			deadline := time.Now().Add(5 * time.Second)
			for {
				entries = journalOver(t, ts, wantProto)
				if len(entries) >= len(want) || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond) // the hung request is journaled once its handler notices the client left
			}
			got := map[string]int{}
			for _, e := range entries {
				w, ok := want[e.Fault]
				if !ok {
					t.Errorf("entry without a known fault: %+v", e)
					continue
				}
				got[e.Fault]++
				if e.Scenario != "faults" || e.Rule != w.rule || e.Status != w.status || e.OperationID != "findPets" ||
					e.Path != "/petstore/pets" || e.Query != "fault="+e.Fault {
					t.Errorf("%s: entry %+v, want scenario faults, rule %s, status %d", e.Fault, e, w.rule, w.status)
				}
			}
			for fault, n := range wantCount {
				if got[fault] != n {
					t.Errorf("%s: %d journal entries, want %d (all: %+v)", fault, got[fault], n, entries)
				}
			}
		})
	}
}

// journalOver reads GET /__admin/requests over a real connection of the given protocol.
func journalOver(tb testing.TB, ts *httptest.Server, proto int) []mock.JournalEntry {
	tb.Helper()
	resp, err := ts.Client().Get(ts.URL + mock.AdminPrefix + "requests")
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.ProtoMajor != proto {
		tb.Fatalf("journal: %d over HTTP/%d", resp.StatusCode, resp.ProtoMajor)
	}
	var a journalAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		tb.Fatal(err)
	}
	return a.Requests
}
