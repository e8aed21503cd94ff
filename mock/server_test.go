package mock_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/vendormock/vendormock/specs"
)

func TestRouting(t *testing.T) {
	srv := newServer(t, 1, engineSource())
	for _, tc := range []struct {
		name, method, target string
		headers              map[string]string
		status               int
		allow                string
		bodyHas              string
	}{
		{"literal wins over template", "GET", "/eng/users/current", bearer, 200, "", `"email"`},
		{"template", "GET", "/eng/users/5", bearer, 200, "", `"id":5`},
		{"trailing slash tolerated", "GET", "/eng/users/current/", bearer, 200, "", `"email"`},
		{"spec trailing slash optional", "GET", "/eng/journal", map[string]string{"Cookie": "sessionid=abc"}, 200, "", ""},
		{"spec trailing slash as written", "GET", "/eng/journal/", map[string]string{"Cookie": "sessionid=abc"}, 200, "", ""},
		{"path param type", "GET", "/eng/users/abc", bearer, 400, "", "userId"},
		{"wrong method", "PATCH", "/eng/users/5", bearer, 405, "DELETE, GET, HEAD, OPTIONS", "PATCH"},
		{"wrong method on literal path", "DELETE", "/eng/users/current", bearer, 405, "GET, HEAD, OPTIONS", ""},
		{"unknown path", "GET", "/eng/nope", bearer, 404, "", "no such path"},
		{"unknown vendor", "GET", "/other/users", bearer, 404, "", ""},
		{"admin reserved", "GET", "/__admin/nope", nil, 404, "", "admin"},
		{"head", "HEAD", "/eng/users/5", bearer, 200, "", ""},
		{"plain options lists methods", "OPTIONS", "/eng/users/5", nil, 204, "DELETE, GET, HEAD, OPTIONS", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, srv, tc.method, tc.target, "", tc.headers)
			if rec.Code != tc.status {
				t.Fatalf("status = %d, want %d; body: %s", rec.Code, tc.status, rec.Body)
			}
			if tc.allow != "" && rec.Header().Get("Allow") != tc.allow {
				t.Fatalf("Allow = %q, want %q", rec.Header().Get("Allow"), tc.allow)
			}
			if tc.bodyHas != "" && !strings.Contains(rec.Body.String(), tc.bodyHas) {
				t.Fatalf("body %s does not contain %s", rec.Body, tc.bodyHas)
			}
			if tc.method == "HEAD" && rec.Body.Len() != 0 {
				t.Fatalf("HEAD answered a body: %s", rec.Body)
			}
			if tc.status >= 400 && tc.status != 401 && rec.Header().Get("Content-Type") != "application/problem+json" && !strings.Contains(tc.target, "users/abc") {
				t.Fatalf("error content type = %q", rec.Header().Get("Content-Type"))
			}
		})
	}
}

func TestCORSPreflight(t *testing.T) {
	srv := newServer(t, 1, engineSource())
	rec := call(t, srv, "OPTIONS", "/eng/users/5", "", map[string]string{
		"Origin": "http://localhost:3000", "Access-Control-Request-Method": "DELETE", "Access-Control-Request-Headers": "authorization",
	})
	if rec.Code != http.StatusNoContent {
		t.Fatalf("status = %d", rec.Code)
	}
	h := rec.Header()
	if h.Get("Access-Control-Allow-Origin") != "http://localhost:3000" || h.Get("Access-Control-Allow-Methods") != "DELETE" || h.Get("Access-Control-Allow-Headers") != "authorization" {
		t.Fatalf("headers = %v", h)
	}
	rec = call(t, srv, "GET", "/eng/users/5", "", with(bearer, "Origin", "http://localhost:3000"))
	if rec.Header().Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Fatalf("simple request lacks CORS headers: %v", rec.Header())
	}
	rec = call(t, srv, "OPTIONS", "/eng/nope", "", map[string]string{"Origin": "http://x", "Access-Control-Request-Method": "GET"})
	if rec.Code != http.StatusNotFound {
		t.Fatalf("preflight of unknown path = %d", rec.Code)
	}
}

func TestSecurity(t *testing.T) {
	srv := newServer(t, 1, engineSource())
	basic := "Basic dXNlcjpwYXNz" // user:pass
	for _, tc := range []struct {
		name, target string
		headers      map[string]string
		status       int
	}{
		{"bearer missing", "/eng/users/current", nil, 401},
		{"bearer empty token", "/eng/users/current", map[string]string{"Authorization": "Bearer "}, 401},
		{"wrong scheme", "/eng/users/current", map[string]string{"Authorization": basic}, 401},
		{"bearer ok", "/eng/users/current", bearer, 200},
		{"bearer case-insensitive", "/eng/users/current", map[string]string{"Authorization": "bearer abc"}, 200},
		{"basic ok", "/eng/journal/", map[string]string{"Authorization": basic}, 200},
		{"basic malformed", "/eng/journal/", map[string]string{"Authorization": "Basic !!!"}, 401},
		{"cookie alternative", "/eng/journal/", map[string]string{"Cookie": "sessionid=s1"}, 200},
		{"anonymous operation", "/eng/public", nil, 200},
		{"both header keys required", "/eng/keys", map[string]string{"x-api-key": "k"}, 401},
		{"both header keys", "/eng/keys", map[string]string{"x-api-key": "k", "x-group-id": "g"}, 200},
		{"query key alternative", "/eng/keys?key=abc", nil, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, srv, "GET", tc.target, "", tc.headers)
			if rec.Code != tc.status {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tc.status, rec.Body)
			}
			if tc.status == 401 && rec.Header().Get("WWW-Authenticate") == "" && !strings.Contains(tc.target, "keys") {
				t.Fatal("401 without WWW-Authenticate")
			}
		})
	}
}

func TestValidationErrors(t *testing.T) {
	srv := newServer(t, 1, engineSource())
	cat := loadCatalog(t, engineSource())
	for _, tc := range []struct {
		name, method, target, body, contentType string
		status                                  int
		want                                    []string // substrings of the body
	}{
		{"malformed JSON", "POST", "/eng/users", `{"email":`, "application/json", 422, []string{`"statusCode":422`}},
		{"missing required", "POST", "/eng/users", `{"email":"a@b.co","role":"ADMIN"}`, "application/json", 422,
			[]string{`"error":"Unprocessable Entity"`, `firstName`, `password`}},
		{"wrong type and enum", "POST", "/eng/users", `{"email":"a@b.co","firstName":7,"role":"ROOT","password":"secret123"}`, "application/json", 422,
			[]string{`"path":["firstName"]`, `"path":["role"]`}},
		{"unknown property", "POST", "/eng/users", `{"email":"a@b.co","firstName":"A","role":"ADMIN","password":"secret123","x":1}`, "application/json", 422,
			[]string{`additional`}},
		{"bad format", "POST", "/eng/users", `{"email":"not-an-email","firstName":"A","role":"ADMIN","password":"secret123"}`, "application/json", 422,
			[]string{`email`}},
		{"wrong content type", "POST", "/eng/users", `email=a`, "application/x-www-form-urlencoded", 422, []string{`content`}},
		{"query bound with vendor 400 shape", "GET", "/eng/users?page=-1", "", "", 400, []string{`"statusCode":400`, `page`}},
		{"query enum", "GET", "/eng/users?role=ROOT", "", "", 400, []string{`role`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := with(bearer)
			if tc.contentType != "" {
				h["Content-Type"] = tc.contentType
			}
			rec := call(t, srv, tc.method, tc.target, tc.body, h)
			if rec.Code != tc.status {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tc.status, rec.Body)
			}
			for _, w := range tc.want {
				if !strings.Contains(rec.Body.String(), w) {
					t.Errorf("body lacks %s: %s", w, rec.Body)
				}
			}
			// The vendor's documented error schema must hold for the error we built.
			opID := "createUser"
			if tc.method == "GET" {
				opID = "listUsers"
			}
			assertValidResponse(t, cat, "eng", opID, tc.method, tc.target, rec)
		})
	}
}

func TestProblemJSONWhenNoErrorDocumented(t *testing.T) {
	srv := newServer(t, 1, engineSource())
	rec := call(t, srv, "GET", "/eng/users/0", "", bearer)
	if rec.Code != 400 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	p := decodeJSON(t, rec)
	errs, _ := p["errors"].([]any)
	if p["status"] != float64(400) || len(errs) != 1 {
		t.Fatalf("problem = %v", p)
	}
	e := errs[0].(map[string]any)
	if e["in"] != "path" || e["name"] != "userId" || e["actual"] != "0" || e["expected"] != ">= 1" {
		t.Fatalf("finding = %v", e)
	}
}

func TestBodyTooLarge(t *testing.T) {
	cat := loadCatalog(t, engineSource())
	srv := mustServer(t, cat, 64)
	rec := call(t, srv, "POST", "/eng/users", `{"email":"`+strings.Repeat("a", 100)+`@b.co"}`, with(bearer, "Content-Type", "application/json"))
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "64 bytes") {
		t.Fatalf("status %d body %s", rec.Code, rec.Body)
	}
}

func TestPrefer(t *testing.T) {
	srv := newServer(t, 1, engineSource())
	for _, tc := range []struct {
		name, prefer string
		status       int
		want, not    string
	}{
		{"stored record by default", "", 200, `"id":5`, "Alice"},
		{"first example", "example=alice", 200, `"Alice"`, ""},
		{"named example", "example=bob", 200, `"Bob"`, "Alice"},
		{"documented error code", "code=404", 404, `"User not found"`, ""},
		{"code and example", "code=200, example=bob", 200, `"Bob"`, ""},
		{"dynamic", "dynamic=true", 200, `"email"`, "alice@example.com"},
		{"unknown example", "example=carol", 400, "carol", ""},
		{"undocumented code", "code=418", 418, "does not document", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := with(bearer)
			if tc.prefer != "" {
				h["Prefer"] = tc.prefer
			}
			rec := call(t, srv, "GET", "/eng/users/5", "", h)
			if rec.Code != tc.status {
				t.Fatalf("status = %d, want %d; %s", rec.Code, tc.status, rec.Body)
			}
			if !strings.Contains(rec.Body.String(), tc.want) || (tc.not != "" && strings.Contains(rec.Body.String(), tc.not)) {
				t.Fatalf("body %s: want %s, not %q", rec.Body, tc.want, tc.not)
			}
		})
	}
}

func TestNegotiation(t *testing.T) {
	srv := newServer(t, 1, engineSource())
	rec := call(t, srv, "GET", "/eng/public", "", map[string]string{"Accept": "text/plain"})
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/plain" {
		t.Fatalf("status %d type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	rec = call(t, srv, "GET", "/eng/public", "", nil)
	if rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("default type %q", rec.Header().Get("Content-Type"))
	}
	rec = call(t, srv, "GET", "/eng/public", "", map[string]string{"Accept": "image/png"})
	if rec.Code != http.StatusNotAcceptable {
		t.Fatalf("status %d", rec.Code)
	}
}

func TestResponseHeadersGenerated(t *testing.T) {
	srv := newServer(t, 1, engineSource())
	rec := call(t, srv, "GET", "/eng/users/5", "", bearer)
	if id := rec.Header().Get("X-Request-Id"); len(id) != 36 || strings.Count(id, "-") != 4 {
		t.Fatalf("X-Request-Id = %q, want a uuid", id)
	}
}

func TestWriteOnlyNeverAnswered(t *testing.T) {
	srv := newServer(t, 1, engineSource())
	for i := 0; i < 20; i++ {
		rec := call(t, srv, "GET", "/eng/users/current?i="+itoa(i), "", with(bearer, "Prefer", "dynamic=true"))
		if strings.Contains(rec.Body.String(), "password") {
			t.Fatalf("writeOnly password answered: %s", rec.Body)
		}
	}
}

func TestDeterminism(t *testing.T) {
	get := func(seed int64, target string) string {
		srv := newServer(t, seed, engineSource())
		rec := call(t, srv, "GET", target, "", with(bearer, "Prefer", "dynamic=true"))
		if rec.Code != 200 {
			t.Fatalf("status %d", rec.Code)
		}
		return rec.Body.String()
	}
	a, b := get(7, "/eng/users/current"), get(7, "/eng/users/current")
	if a != b {
		t.Fatalf("same seed, different bytes:\n%s\n%s", a, b)
	}
	if c := get(8, "/eng/users/current"); c == a {
		t.Fatalf("different seeds gave the same bytes: %s", a)
	}
	// Order independence: a request's answer does not depend on what was asked before.
	srv := newServer(t, 7, engineSource())
	call(t, srv, "GET", "/eng/users", "", with(bearer, "Prefer", "dynamic=true"))
	if got := call(t, srv, "GET", "/eng/users/current", "", with(bearer, "Prefer", "dynamic=true")).Body.String(); got != a {
		t.Fatalf("answer depends on request order:\n%s\n%s", got, a)
	}
}

func TestAdmin(t *testing.T) {
	srv := newServer(t, 1, engineSource(), specs.Source{Name: "pets", Path: "../specs/testdata/petstore.yaml"})
	rec := call(t, srv, "GET", "/__admin/health", "", nil)
	h := decodeJSON(t, rec)
	if rec.Code != 200 || h["status"] != "ok" || h["operations"] != float64(12) {
		t.Fatalf("health = %d %v", rec.Code, h)
	}
	rec = call(t, srv, "GET", "/__admin/specs", "", nil)
	ops := decodeJSON(t, rec)["operations"].([]any)
	if len(ops) != 12 {
		t.Fatalf("specs lists %d operations", len(ops))
	}
	first := ops[0].(map[string]any)
	for _, k := range []string{"vendor", "mount", "method", "path", "operationId"} {
		if _, ok := first[k]; !ok {
			t.Fatalf("operation entry lacks %s: %v", k, first)
		}
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
