package mock_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/vendormock/vendormock/internal/reqgen"
	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/mock/fake"
	"github.com/vendormock/vendormock/scenarios"
	"github.com/vendormock/vendormock/specs"
)

// bundledCat is the bundled catalog and its scenarios, loaded once: both take a while.
var bundledCat = sync.OnceValues(func() (*specs.Catalog, error) {
	return specs.Load(context.Background(), specs.Bundled(), specs.Options{Detach: true})
})

var bundledSet = sync.OnceValues(func() (*scenarios.Set, error) {
	cat, err := bundledCat()
	if err != nil {
		return nil, err
	}
	set, _, err := scenarios.Load(context.Background(), cat, []scenarios.Source{scenarios.Bundled()})
	return set, err
})

func scenarioCatalog(tb testing.TB) (*specs.Catalog, *scenarios.Set) {
	tb.Helper()
	cat, err := bundledCat()
	if err != nil {
		tb.Fatal(err)
	}
	set, err := bundledSet()
	if err != nil {
		tb.Fatal(err)
	}
	return cat, set
}

// fakeClock is a settable clock whose Sleep advances it instead of waiting.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: fixedNow()} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.slept = append(c.slept, d)
	c.mu.Unlock()
	c.Advance(d)
	return ctx.Err()
}

func (c *fakeClock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// scenarioServer serves a catalog with an engine over a set, on a fake clock.
func scenarioServer(tb testing.TB, cat *specs.Catalog, set *scenarios.Set, clock *fakeClock, active ...string) (*mock.Server, *scenarios.Engine) {
	tb.Helper()
	eng, err := scenarios.NewEngine(set, scenarios.EngineOptions{Seed: 1, Now: clock.Now, Sleep: clock.Sleep, Active: active})
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := mock.NewServer(mock.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler), Seed: 1, Now: fixedNow,
		Scenarios: eng, JournalSize: 50})
	if err != nil {
		tb.Fatal(err)
	}
	return srv, eng
}

// validRequest builds a request the normal pipeline answers with success.
func validRequest(tb testing.TB, op *specs.Operation, header ...string) *http.Request {
	tb.Helper()
	r, err := reqgen.New(fake.New(fake.Options{Seed: 99, Now: fixedNow})).Build(op, reqgen.Credentials{}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req := httptest.NewRequest(r.Method, r.URL(op.Vendor.Mount), bytes.NewReader(r.Body))
	req.Header = r.Header.Clone()
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
