package mock_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/vendormock/vendormock/internal/golden"
	"github.com/vendormock/vendormock/internal/reqgen"
	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/mock/fake"
	"github.com/vendormock/vendormock/specs"
	"github.com/vendormock/vendormock/specs/validate"
)

type resourceInfo struct {
	Vendor, Name, IDField string
	Singleton             bool
	Operations            map[string]string
	Records               int
	SampleIDs             []string
}

func resources(t *testing.T, srv http.Handler, session string) []resourceInfo {
	t.Helper()
	req := httptest.NewRequest("GET", "/__admin/resources", nil)
	req.Header.Set(mock.SessionHeader, session)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	var out struct{ Resources []resourceInfo }
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out.Resources
}

func recordsOf(t *testing.T, srv http.Handler, session, vendor, name string) int {
	t.Helper()
	for _, r := range resources(t, srv, session) {
		if r.Vendor == vendor && r.Name == name {
			return r.Records
		}
	}
	t.Fatalf("no resource %s %s", vendor, name)
	return 0
}

// send builds a valid request for an operation (with overrides) and sends it in a session.
func send(t *testing.T, srv http.Handler, b *reqgen.Builder, op *specs.Operation, session string, overrides map[string]string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	r, err := b.Build(op, reqgen.Credentials{}, overrides)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		r.Body = body
	}
	req := httptest.NewRequest(r.Method, r.URL(op.Vendor.Mount), bytes.NewReader(r.Body))
	req.Header = r.Header.Clone()
	req.Header.Set(mock.SessionHeader, session)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// lastListedID is the id of the last record of a list answer (a bare array or an envelope).
func lastListedID(t *testing.T, rec *httptest.ResponseRecorder, idField string) string {
	t.Helper()
	var doc any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("list answer: %v: %s", err, rec.Body)
	}
	items, _ := doc.([]any)
	if obj, ok := doc.(map[string]any); ok {
		for _, k := range []string{"data", "results", "items"} {
			if a, ok := obj[k].([]any); ok {
				items = a
			}
		}
	}
	if len(items) == 0 {
		return ""
	}
	last, _ := items[len(items)-1].(map[string]any)
	if v, ok := last[idField]; ok {
		return fmt.Sprint(v)
	}
	return ""
}

// overHTTP sends each request it is handed through a real listener to the server behind ts,
// and copies the answer back: tests written against an http.Handler then exercise the real
// HTTP stack (framing, headers, keep-alive) too.
type overHTTP struct{ ts *httptest.Server }

func (o overHTTP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "overHTTP: "+err.Error(), 599)
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, o.ts.URL+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, "overHTTP: "+err.Error(), 599)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := o.ts.Client().Do(req)
	if err != nil {
		http.Error(w, "overHTTP: "+err.Error(), 599)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

func itemParam(op *specs.Operation) string {
	p := strings.TrimSuffix(op.Path, "/")
	return "path." + strings.Trim(p[strings.LastIndex(p, "/")+1:], "{}")
}

// TestIssue4_CRUDWorkflowEveryResource walks every collection/item pair of every bundled
// vendor: create, read back, update, read back, list, delete, read after delete (404).
func TestIssue4_CRUDWorkflowEveryResource(t *testing.T) {
	cat := loadCatalog(t, specs.Bundled()...)
	ts := httptest.NewServer(mustServer(t, cat, 0))
	defer ts.Close()
	srv := overHTTP{ts} // every step goes through a real listener
	b := reqgen.New(fake.New(fake.Options{Seed: 5, Now: fixedNow}))
	vals := map[string]*validate.Validator{}
	for _, v := range cat.Vendors {
		vals[v.Name] = validate.New(v, validate.Options{})
	}
	walked := 0
	for _, res := range resources(t, srv, "") {
		ops := res.Operations
		if res.Singleton || ops["create"] == "" || ops["read"] == "" || ops["delete"] == "" {
			continue
		}
		walked++
		t.Run(res.Vendor+res.Name, func(t *testing.T) {
			session := "wf" + res.Vendor + res.Name
			op := func(role string) *specs.Operation {
				o, err := cat.Operation(res.Vendor, ops[role])
				if err != nil {
					t.Fatal(err)
				}
				return o
			}
			parents := seededIDs(op("create"), "")
			before := recordsOf(t, srv, session, res.Vendor, res.Name)
			rec := send(t, srv, b, op("create"), session, parents, nil)
			if rec.Code < 200 || rec.Code > 299 {
				t.Fatalf("create: %d %s", rec.Code, rec.Body)
			}
			validAnswer(t, vals[res.Vendor], op("create"), rec)
			if after := recordsOf(t, srv, session, res.Vendor, res.Name); after != before+1 {
				t.Fatalf("create: %d records, want %d", after, before+1)
			}
			// The new record is the last one: its id is in the answer, Location, or the sample list.
			var created map[string]any
			_ = json.Unmarshal(rec.Body.Bytes(), &created)
			id := ""
			if v, ok := created[res.IDField]; ok {
				id = fmt.Sprint(v)
			} else if loc := rec.Header().Get("Location"); loc != "" {
				id = loc[strings.LastIndex(loc, "/")+1:]
			} else if data, ok := created["data"].(map[string]any); ok {
				id = fmt.Sprint(data[res.IDField])
			}
			if id == "" && ops["list"] != "" {
				// The documented create answer carries no id (HeyDonto's appointment types answer
				// the input): the new record is the last of a page large enough for all of them.
				id = lastListedID(t, send(t, srv, b, op("list"), session, with(parents, "query.pageSize", "100"), nil), res.IDField)
			}
			if id == "" {
				t.Skipf("create answer names no id (%s)", rec.Body)
			}
			item := with(parents, itemParam(op("read")), id)
			if rec := send(t, srv, b, op("read"), session, item, nil); rec.Code != 200 {
				t.Fatalf("read back %s: %d %s", id, rec.Code, rec.Body)
			} else {
				validAnswer(t, vals[res.Vendor], op("read"), rec)
			}
			for _, role := range []string{"update", "replace"} {
				if ops[role] == "" {
					continue
				}
				if rec := send(t, srv, b, op(role), session, with(parents, itemParam(op(role)), id), nil); rec.Code < 200 || rec.Code > 299 {
					t.Fatalf("%s: %d %s", role, rec.Code, rec.Body)
				}
				if rec := send(t, srv, b, op("read"), session, item, nil); rec.Code != 200 {
					t.Fatalf("read after %s: %d %s", role, rec.Code, rec.Body)
				} else {
					validAnswer(t, vals[res.Vendor], op("read"), rec)
				}
			}
			if ops["list"] != "" {
				if rec := send(t, srv, b, op("list"), session, parents, nil); rec.Code < 200 || rec.Code > 299 {
					t.Fatalf("list: %d %s", rec.Code, rec.Body)
				}
			}
			if rec := send(t, srv, b, op("delete"), session, with(parents, itemParam(op("delete")), id), nil); rec.Code < 200 || rec.Code > 299 {
				t.Fatalf("delete: %d %s", rec.Code, rec.Body)
			}
			if rec := send(t, srv, b, op("read"), session, item, nil); rec.Code != http.StatusNotFound {
				t.Fatalf("read after delete: %d, want 404: %s", rec.Code, rec.Body)
			}
			if rec := send(t, srv, b, op("delete"), session, with(parents, itemParam(op("delete")), id), nil); rec.Code != http.StatusNotFound {
				t.Fatalf("delete of a missing record: %d, want 404", rec.Code)
			}
		})
	}
	if walked < 20 {
		t.Fatalf("walked only %d resources", walked)
	}
}

// validAnswer fails the test when an answer does not validate against the spec: what the
// store holds after a create or an update must read back in the documented shape.
func validAnswer(t *testing.T, val *validate.Validator, op *specs.Operation, rec *httptest.ResponseRecorder) {
	t.Helper()
	req := httptest.NewRequest(op.Method, "/", nil)
	for _, f := range val.Response(req, op, rec.Code, rec.Header(), rec.Body.Bytes()) {
		t.Errorf("%s answered %d that does not validate: %s\nbody: %.400s", op.ID, rec.Code, f, rec.Body)
	}
}

// TestStatefulRoundTrip: what the client wrote is what it reads back; writeOnly never answered.
func TestStatefulRoundTrip(t *testing.T) {
	srv := newServer(t, 1, engineSource())
	h := with(bearer, "Content-Type", "application/json", mock.SessionHeader, "rt")
	rec := call(t, srv, "POST", "/eng/users", `{"email":"ann@example.com","firstName":"Ann","role":"ADMIN","password":"secret123"}`, h)
	if rec.Code != 201 || strings.Contains(rec.Body.String(), "secret123") {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	user := decodeJSON(t, rec)
	if user["id"] != float64(21) || user["firstName"] != "Ann" || user["createdAt"] != "2026-11-01T12:00:00Z" {
		t.Fatalf("created = %v", user)
	}
	rec = call(t, srv, "GET", "/eng/users/21", "", h)
	if got := decodeJSON(t, rec); got["email"] != "ann@example.com" || got["password"] != nil {
		t.Fatalf("read back = %v", got)
	}
	if rec := call(t, srv, "GET", "/eng/users/21", "", with(bearer, mock.SessionHeader, "other")); rec.Code != 404 {
		t.Fatalf("another session sees the record: %d", rec.Code)
	}
	if rec := call(t, srv, "GET", "/eng/users/21", "", bearer); rec.Code != 404 {
		t.Fatalf("the default session sees the record: %d", rec.Code)
	}
	if rec := call(t, srv, "POST", "/__admin/reset?session=rt", "", nil); rec.Code != 204 {
		t.Fatalf("reset: %d", rec.Code)
	}
	if rec := call(t, srv, "GET", "/eng/users/21", "", h); rec.Code != 404 {
		t.Fatalf("after reset: %d", rec.Code)
	}
}

// TestConcurrentCreates: N parallel creates give exactly N new records with N distinct ids.
func TestConcurrentCreates(t *testing.T) {
	srv := newServer(t, 1, engineSource())
	const n = 50
	ids := make(chan float64, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rec := call(t, srv, "POST", "/eng/users", fmt.Sprintf(`{"email":"u%d@example.com","firstName":"U","role":"USER","password":"secret123"}`, i),
				with(bearer, "Content-Type", "application/json", mock.SessionHeader, "conc"))
			var m map[string]any
			_ = json.Unmarshal(rec.Body.Bytes(), &m)
			id, _ := m["id"].(float64)
			ids <- id
		}(i)
	}
	wg.Wait()
	close(ids)
	seen := map[float64]bool{}
	for id := range ids {
		if id == 0 || seen[id] {
			t.Fatalf("id %v missing or repeated", id)
		}
		seen[id] = true
	}
	if got := recordsOf(t, srv, "conc", "eng", "/users"); got != 20+n {
		t.Fatalf("records = %d, want %d", got, 20+n)
	}
}

// TestPaginationStyles pins a page of each vendor's list style.
func TestPaginationStyles(t *testing.T) {
	srv := newServer(t, 1, specs.Bundled()...)
	hero := map[string]string{"x-api-key": "k", "x-practice-group-id": "1"}
	for _, tc := range []struct {
		name, target string
		headers      map[string]string
		want         []string
	}{
		{"heydonto_page_meta.json", "/heydonto/brands?page=1&pageSize=5", bearer,
			[]string{`"page":1`, `"pageSize":5`, `"total":20`, `"totalPages":4`, `"hasNext":true`, `"hasPrevious":true`}},
		{"heydonto_out_of_range.json", "/heydonto/brands?page=9&pageSize=5", bearer, []string{`"data":[]`, `"hasNext":false`}},
		{"herohealth_page_index.json", "/herohealth/v1/admins?page_index=1&page_size=5&order_by=first_name", hero, []string{`"count":20`}},
		{"opendental_offset_limit.json", "/opendental/patients?Limit=5&Offset=15", odAuth, []string{`"PatNum":16`}},
		{"opendental_last_page.json", "/opendental/patients?Limit=5&Offset=18", odAuth, []string{`"PatNum":19`, `"PatNum":20`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, srv, "GET", tc.target, "", tc.headers)
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			for _, w := range tc.want {
				if !strings.Contains(rec.Body.String(), w) {
					t.Errorf("body lacks %s: %.300s", w, rec.Body)
				}
			}
			golden.Compare(t, rec.Body.Bytes(), tc.name, *update)
		})
	}
}
