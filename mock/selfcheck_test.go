package mock_test

import (
	"bytes"
	"encoding/json"
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
		drfSource(),
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
	sample := sampleIDs(t, srv)
	for _, v := range cat.Vendors {
		val := validate.New(v, validate.Options{})
		for _, op := range v.Operations {
			total++
			t.Run(v.Name+"/"+op.ID, func(t *testing.T) {
				r, err := builder.Build(op, reqgen.Credentials{}, seededIDs(op, sample[itemKey(v.Name, op.Path)]))
				if err != nil {
					t.Fatal(err)
				}
				// Each operation in its own session: a DELETE must not disturb another check.
				r.Header.Set(mock.SessionHeader, "selfcheck/"+op.ID)
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

// seededIDs addresses the first seeded record: every collection starts with ids 1..n, so path
// parameters that take an integer or a plain string get "1".
func seededIDs(op *specs.Operation, sample string) map[string]string {
	out := map[string]string{}
	if sample != "" { // an item path of a resource: address its first record
		p := strings.TrimSuffix(op.Path, "/")
		out["path."+strings.Trim(p[strings.LastIndex(p, "/")+1:], "{}")] = sample
	}
	for _, p := range op.Params {
		if p.In != "path" || p.Schema == nil {
			continue
		}
		s := p.Schema.Schema()
		if s == nil || s.Format != "" && s.Format != "int32" && s.Format != "int64" || len(s.Enum) > 0 {
			continue
		}
		for _, t := range s.Type {
			if t == "integer" || t == "string" && (s.Pattern == "" || s.Pattern == `^\d+$`) {
				if _, set := out["path."+p.Name]; !set {
					out["path."+p.Name] = "1"
				}
			}
		}
	}
	return out
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

// sampleIDs maps "vendor itemPath" to the first id of the resource, from /__admin/resources.
func sampleIDs(t *testing.T, srv http.Handler) map[string]string {
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/__admin/resources", nil))
	var out struct {
		Resources []struct {
			Vendor, Name string
			SampleIDs    []string
			Operations   map[string]string
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, r := range out.Resources {
		if len(r.SampleIDs) > 0 {
			m[r.Vendor+" "+r.Name] = r.SampleIDs[0]
		}
	}
	return m
}

// itemKey names the collection of an item path: "vendor /invoices" for /invoices/{invoiceId}.
func itemKey(vendor, path string) string {
	p := strings.TrimSuffix(path, "/")
	i := strings.LastIndex(p, "/{")
	if i < 0 || !strings.HasSuffix(p, "}") {
		return ""
	}
	return vendor + " " + p[:i]
}
