package mock_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vendormock/vendormock/internal/reqgen"
	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/mock/fake"
	"github.com/vendormock/vendormock/specs"
	"github.com/vendormock/vendormock/specs/validate"
)

func mustServer(tb testing.TB, cat *specs.Catalog, maxBody int64) *mock.Server {
	tb.Helper()
	srv, err := mock.NewServer(mock.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler), Seed: 1, Now: fixedNow, MaxBodyBytes: maxBody})
	if err != nil {
		tb.Fatal(err)
	}
	return srv
}

// assertValidResponse validates a recorded answer against the operation's description.
func assertValidResponse(tb testing.TB, cat *specs.Catalog, vendor, opID, method, target string, rec *httptest.ResponseRecorder) {
	tb.Helper()
	op, err := cat.Operation(vendor, opID)
	if err != nil {
		tb.Fatal(err)
	}
	v, _ := cat.Vendor(vendor)
	req := httptest.NewRequest(method, strings.TrimPrefix(target, v.Mount), nil)
	findings := validate.New(v, validate.Options{}).Response(req, op, rec.Code, rec.Header(), rec.Body.Bytes())
	for _, f := range findings {
		tb.Errorf("%s answer %d does not validate: %s\nbody: %s", op, rec.Code, f, rec.Body)
	}
}

// selfCheckSources are the descriptions every operation of which must answer a valid request
// with a valid answer: all bundled vendors and public example descriptions.
func selfCheckSources() []specs.Source {
	return append(specs.Bundled(),
		specs.Source{Name: "petstore", Path: "../specs/testdata/petstore.yaml"},
		specs.Source{Name: "billing", Path: "../specs/testdata/multifile/openapi.yaml"},
		engineSource())
}

// TestSelfCheck sends a valid request to every operation through the real handler and checks
// the answer against the description with libopenapi-validator: it must pass for 100%.
func TestSelfCheck(t *testing.T) {
	cat := loadCatalog(t, selfCheckSources()...)
	srv := mustServer(t, cat, 0)
	gen := fake.New(fake.Options{Seed: 99, Now: fixedNow})
	builder := reqgen.New(gen)
	total, passed := 0, 0
	for _, v := range cat.Vendors {
		val := validate.New(v, validate.Options{})
		for _, op := range v.Operations {
			total++
			t.Run(v.Name+"/"+op.ID, func(t *testing.T) {
				r, err := builder.Build(op, reqgen.Credentials{}, nil)
				if err != nil {
					t.Fatal(err)
				}
				target := r.URL(v.Mount)
				req := httptest.NewRequest(r.Method, target, bytes.NewReader(r.Body))
				req.Header = r.Header.Clone()
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code < 200 || rec.Code >= 300 {
					t.Fatalf("%s %s: status %d, want 2xx; body %s", r.Method, target, rec.Code, rec.Body)
				}
				vreq := httptest.NewRequest(r.Method, r.URL(""), nil)
				vreq.Header = r.Header.Clone()
				for _, f := range val.Response(vreq, op, rec.Code, rec.Header(), rec.Body.Bytes()) {
					t.Errorf("%s %s answered %d that does not validate: %s\nbody: %.400s", r.Method, target, rec.Code, f, rec.Body)
				}
				if !t.Failed() {
					passed++
				}
			})
		}
	}
	t.Logf("self-check: %d/%d operations answered valid requests with valid answers", passed, total)
	if total < 400 {
		t.Errorf("only %d operations loaded; the bundled vendors alone have more", total)
	}
}

// TestHEADHasNoBody checks HEAD on a GET operation of every vendor.
func TestHEADHasNoBody(t *testing.T) {
	srv := newServer(t, 1, engineSource())
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodHead, "/eng/public", nil)
	srv.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" {
		t.Fatalf("HEAD: %d body %q headers %v", rec.Code, rec.Body, rec.Header())
	}
}
