package mock_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/vendormock/vendormock/specs"
)

// FuzzRequest sends random methods, paths, query strings, headers and bodies through the
// handler: it must never panic and never answer 5xx (no Prefer header is sent, so no 5xx is asked for).
func FuzzRequest(f *testing.F) {
	srv := newServer(f, 1, append(specs.Bundled(), engineSource())...)
	for _, seed := range []struct{ method, path, query, ctype, auth, body string }{
		{"GET", "/heydonto/brands", "page=0&pageSize=10", "", "Bearer x", ""},
		{"POST", "/heydonto-auth/auth/login", "", "application/json", "", `{"email":"a@b.co","password":"x"}`},
		{"PUT", "/opendental/patients/5", "", "application/json", "ODFHIR a/b", `{"LName":"Smith"}`},
		{"POST", "/eng/users", "", "application/json", "Bearer t", `{"email":`},
		{"PATCH", "/herohealth/v1/admins/12", "", "application/json", "", `{"external_prescriber_id":null}`},
		{"GET", "/kana-practice/apis/therapist_organization/7/", "", "", "Basic dXNlcjpwYXNz", ""},
		{"DELETE", "/eng/users/%ff", "a=%zz", "text/plain", "Bearer", "\x00\xff"},
		{"OPTIONS", "/__admin/health", "", "", "", ""},
	} {
		f.Add(seed.method, seed.path, seed.query, seed.ctype, seed.auth, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, method, path, query, ctype, auth string, body []byte) {
		if method == "" || strings.ContainsAny(method, " \t\r\n()<>@,;:\\\"/[]?={}") {
			method = http.MethodGet
		}
		u := &url.URL{Path: "/" + strings.TrimPrefix(path, "/"), RawQuery: query}
		req := httptest.NewRequest(http.MethodGet, "/", bytes.NewReader(body))
		req.Method = method
		req.URL = u
		req.RequestURI = u.RequestURI()
		if ctype != "" {
			req.Header["Content-Type"] = []string{ctype}
		}
		if auth != "" {
			req.Header["Authorization"] = []string{auth}
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s?%s answered %d: %s", method, u.Path, query, rec.Code, rec.Body)
		}
	})
}
