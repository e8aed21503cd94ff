package mock_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/specs"
)

// fixedNow is the clock of every test server, so generated dates are repeatable.
var fixedNow = func() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) }

// catalogs caches loaded catalogs by their sources: a catalog is read-only once loaded, and
// loading every bundled description again in each test is what made this package slow under -race.
var catalogs sync.Map // string -> *specs.Catalog

func loadCatalog(tb testing.TB, sources ...specs.Source) *specs.Catalog {
	tb.Helper()
	var key strings.Builder
	for _, s := range sources {
		key.WriteString(s.Name + "=" + s.Display() + ";")
	}
	if c, ok := catalogs.Load(key.String()); ok {
		return c.(*specs.Catalog)
	}
	// Detached, as vendormock serve loads them.
	cat, err := specs.Load(context.Background(), sources, specs.Options{Detach: true})
	if err != nil {
		tb.Fatal(err)
	}
	catalogs.Store(key.String(), cat)
	return cat
}

func newServer(tb testing.TB, seed int64, sources ...specs.Source) *mock.Server {
	tb.Helper()
	srv, err := mock.NewServer(mock.Options{Catalog: loadCatalog(tb, sources...), Logger: slog.New(slog.DiscardHandler), Seed: seed, Now: fixedNow})
	if err != nil {
		tb.Fatal(err)
	}
	return srv
}

func engineSource() specs.Source { return specs.Source{Name: "eng", Path: "testdata/engine.yaml"} }

// call sends one request through the handler.
func call(tb testing.TB, h http.Handler, method, target string, body string, headers map[string]string) *httptest.ResponseRecorder {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decodeJSON(tb testing.TB, rec *httptest.ResponseRecorder) map[string]any {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		tb.Fatalf("body is not a JSON object: %v: %s", err, rec.Body)
	}
	return m
}

var bearer = map[string]string{"Authorization": "Bearer t0ken"}

func with(h map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}
