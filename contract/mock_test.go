package contract_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vendormock/vendormock/contract"
	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/specs"
)

var fixedNow = func() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) }

// noSleep is the injected Sleep of every test: it returns at once (and says so when ctx ended).
func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

func loadBundled(tb testing.TB) *specs.Catalog {
	tb.Helper()
	cat, err := specs.Load(context.Background(), specs.Bundled(), specs.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

// TestAgainstMock checks every bundled vendor against the mock serving the same description:
// the mock is built from the descriptions, so any finding is a bug in one of the two.
func TestAgainstMock(t *testing.T) {
	if testing.Short() {
		t.Skip("checks every bundled operation")
	}
	cat := loadBundled(t)
	srv, err := mock.NewServer(mock.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler), Seed: 1, Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	for _, mode := range []contract.Mode{contract.ModeSafe, contract.ModeFull} {
		for _, v := range cat.Vendors {
			t.Run(string(mode)+"/"+v.Name, func(t *testing.T) {
				rep, err := contract.Run(context.Background(), contract.Options{
					Vendor: v, Spec: v.Name, BaseURL: ts.URL + v.Mount, Client: ts.Client(), Now: fixedNow, Sleep: noSleep,
					// One worker: the mock compiles response plans lazily and libopenapi's schema
					// rendering races under concurrent first requests (a mock issue, not ours).
					Mode: mode, Concurrency: 1, Strict: true, Seed: 7,
				}, nil)
				if err != nil {
					t.Fatal(err)
				}
				for _, op := range rep.Operations {
					for _, f := range op.Findings {
						t.Errorf("%s [%s] %s", op.Name(), f.Check, f)
					}
				}
				t.Logf("%s %s: %+v", mode, v.Name, rep.Summary)
			})
		}
	}
}
