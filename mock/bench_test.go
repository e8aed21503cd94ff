package mock_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/mock/fake"
	"github.com/vendormock/vendormock/specs"
)

// benchRequest measures the steady state: one request first compiles what the operation
// compiles lazily (schemas, plans), then the timer starts.
func benchRequest(b *testing.B, h http.Handler, method, target, body string, headers map[string]string) {
	b.Helper()
	b.ReportAllocs()
	for i := -1; i < b.N; i++ {
		if i == 0 {
			b.ResetTimer()
		}
		var req *http.Request
		if body != "" {
			req = httptest.NewRequest(method, target, strings.NewReader(body))
		} else {
			req = httptest.NewRequest(method, target, nil)
		}
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 300 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

var odAuth = map[string]string{"Authorization": "ODFHIR dev/cust"}

// BenchmarkServeGeneratedItem is a full request through the handler: routing, credentials,
// validation and a generated Open Dental patient.
func BenchmarkServeGeneratedItem(b *testing.B) {
	srv := newServer(b, 1, specs.Bundled()...)
	benchRequest(b, srv, "GET", "/opendental/patients/12", "", with(odAuth, "Prefer", "dynamic=true"))
}

// BenchmarkServeExample answers a documented example (no generation).
func BenchmarkServeExample(b *testing.B) {
	srv := newServer(b, 1, specs.Bundled()...)
	benchRequest(b, srv, "GET", "/opendental/patients/12", "", odAuth)
}

// BenchmarkServeGeneratedList generates a HeyDonto page of brands.
func BenchmarkServeGeneratedList(b *testing.B) {
	srv := newServer(b, 1, specs.Bundled()...)
	benchRequest(b, srv, "GET", "/heydonto/brands?page=0&pageSize=20", "", with(bearer, "Prefer", "dynamic=true"))
}

// BenchmarkServeValidatedPost validates a JSON body before answering.
func BenchmarkServeValidatedPost(b *testing.B) {
	srv := newServer(b, 1, engineSource())
	benchRequest(b, srv, "POST", "/eng/users", `{"email":"a@b.co","firstName":"Ann","role":"ADMIN","password":"secret123"}`,
		with(bearer, "Content-Type", "application/json"))
}

// BenchmarkGenerateBody is body generation alone for a large schema (Open Dental Patient).
func BenchmarkGenerateBody(b *testing.B) {
	cat := loadCatalog(b, specs.Bundled()...)
	v, _ := cat.Vendor("opendental")
	sp, ok := v.Model.Components.Schemas.Get("Patient")
	if !ok {
		b.Skip("no Patient schema")
	}
	s := sp.Schema()
	gen := fake.New(fake.Options{Seed: 1, Now: fixedNow})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = gen.Generate(s, "bench/"+itoa(i%100), fake.Response)
	}
	var _ *base.Schema = s
}

// BenchmarkServeCreatePatient creates Open Dental patients in one session: validation, the
// store write and the answer (the POST target of scripts/bench.sh).
func BenchmarkServeCreatePatient(b *testing.B) {
	srv := newServer(b, 1, specs.Bundled()...)
	benchRequest(b, srv, "POST", "/opendental/patients", `{"LName":"Bench","FName":"Ann","Birthdate":"1980-01-31","Email":"ann@example.com"}`,
		with(odAuth, "Content-Type", "application/json", "X-Vendormock-Session", "bench"))
}

// BenchmarkServeStoredPatient reads a stored Open Dental patient (the GET target of scripts/bench.sh).
func BenchmarkServeStoredPatient(b *testing.B) {
	srv := newServer(b, 1, specs.Bundled()...)
	benchRequest(b, srv, "GET", "/opendental/patients/1", "", odAuth)
}

// BenchmarkServeStoredPatientList reads a first page of 20 stored Open Dental patients.
func BenchmarkServeStoredPatientList(b *testing.B) {
	srv := newServer(b, 1, specs.Bundled()...)
	benchRequest(b, srv, "GET", "/opendental/patients?Limit=20", "", odAuth)
}
