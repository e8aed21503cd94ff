package scenarios_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vendormock/vendormock/scenarios"
	"github.com/vendormock/vendormock/specs"
)

var petCatalog = sync.OnceValues(func() (*specs.Catalog, error) {
	return specs.Load(context.Background(), []specs.Source{{Name: "petstore", Path: "../specs/testdata/petstore.yaml"}}, specs.Options{})
})

// fakeClock is a settable clock; Sleep advances it instead of waiting.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newClock() *fakeClock { return &fakeClock{now: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
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

func loadPet(tb testing.TB, files map[string]string) (*scenarios.Set, []scenarios.Warning, error) {
	tb.Helper()
	cat, err := petCatalog()
	if err != nil {
		tb.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return scenarios.Load(context.Background(), cat, []scenarios.Source{{FS: fsys, Display: "t"}})
}

func petEngine(tb testing.TB, text string, clock *fakeClock, active ...string) *scenarios.Engine {
	tb.Helper()
	set, _, err := loadPet(tb, map[string]string{"petstore/t.yaml": text})
	if err != nil {
		tb.Fatal(err)
	}
	e, err := scenarios.NewEngine(set, scenarios.EngineOptions{Seed: 7, Now: clock.Now, Sleep: clock.Sleep, Active: active})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func petReq(tb testing.TB, opID string, header ...string) *scenarios.Request {
	tb.Helper()
	cat, _ := petCatalog()
	op, err := cat.Operation("petstore", opID)
	if err != nil {
		tb.Fatal(err)
	}
	r := &scenarios.Request{Vendor: "petstore", Op: op, Query: url.Values{}, Header: http.Header{}, RemoteAddr: "10.0.0.1:5555"}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	return r
}

func decide(tb testing.TB, e *scenarios.Engine, r *scenarios.Request) *scenarios.Outcome {
	tb.Helper()
	out, err := e.Decide(r)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func status(o *scenarios.Outcome) int {
	if o == nil {
		return 0
	}
	return o.Status
}

func TestEngine_Times(t *testing.T) {
	e := petEngine(t, `
scenarios:
  - name: twice
    rules:
      - respond: {status: 500}
        times: 2
`, newClock(), "petstore/twice")
	var got []int
	for range 4 {
		got = append(got, status(decide(t, e, petReq(t, "findPets"))))
	}
	if want := []int{500, 500, 0, 0}; !equalInts(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	e.Reset()
	if s := status(decide(t, e, petReq(t, "findPets"))); s != 500 {
		t.Fatalf("after reset: %d, want 500", s)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestEngine_Sequence(t *testing.T) {
	for _, tc := range []struct {
		name, cycle string
		want        []int
	}{
		{"stay on last", "cycle: false", []int{0, 503, 201, 201, 201}},
		{"cycle", "cycle: true", []int{0, 503, 201, 0, 503}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := petEngine(t, `
scenarios:
  - name: seq
    rules:
      - `+tc.cycle+`
        sequence:
          - pass: true
          - respond: {status: 503}
          - respond: {status: 201}
`, newClock(), "petstore/seq")
			var got []int
			for range 5 {
				got = append(got, status(decide(t, e, petReq(t, "findPets"))))
			}
			if !equalInts(got, tc.want) {
				t.Fatalf("statuses %v, want %v", got, tc.want)
			}
			// Each operation has its own position in the sequence.
			if s := status(decide(t, e, petReq(t, "addPet"))); s != 0 {
				t.Fatalf("first call of another operation: %d, want pass", s)
			}
		})
	}
}

func TestEngine_ProbabilityIsSeeded(t *testing.T) {
	text := `
scenarios:
  - name: coin
    rules:
      - respond: {status: 500}
        probability: 0.5
`
	run := func() []int {
		e := petEngine(t, text, newClock(), "petstore/coin")
		var got []int
		for range 40 {
			got = append(got, status(decide(t, e, petReq(t, "findPets"))))
		}
		return got
	}
	a, b := run(), run()
	if !equalInts(a, b) {
		t.Fatalf("same seed, different runs:\n%v\n%v", a, b)
	}
	fails := 0
	for _, s := range a {
		if s == 500 {
			fails++
		}
	}
	if fails < 10 || fails > 30 {
		t.Fatalf("%d of 40 failed with probability 0.5", fails)
	}
}

func TestEngine_RateLimitWindows(t *testing.T) {
	clock := newClock()
	e := petEngine(t, `
scenarios:
  - name: limit
    rules:
      - rate_limit: {requests: 2, window: 10s}
        respond:
          status: 429
          headers: {X-RateLimit-Remaining: "{{.RateLimit.Remaining}}"}
`, clock, "petstore/limit")
	alice := func() *scenarios.Request { return petReq(t, "findPets", "Authorization", "Bearer alice") }
	for i := range 2 {
		if o := decide(t, e, alice()); o != nil {
			t.Fatalf("request %d within the limit got %d", i+1, o.Status)
		}
	}
	clock.Advance(3 * time.Second)
	o := decide(t, e, alice())
	if status(o) != 429 || o.Header.Get("Retry-After") != "7" || o.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Fatalf("over the limit: %+v", o)
	}
	// Another credential has its own window; a session or address counts when there is none.
	if o := decide(t, e, petReq(t, "findPets", "Authorization", "Bearer bob")); o != nil {
		t.Fatalf("bob throttled by alice's window: %d", o.Status)
	}
	clock.Advance(7 * time.Second)
	if o := decide(t, e, alice()); o != nil {
		t.Fatalf("new window still throttled: %d", o.Status)
	}
}

func TestEngine_Delay(t *testing.T) {
	clock := newClock()
	e := petEngine(t, `
scenarios:
  - name: fixed
    rules:
      - delay: 1500ms
  - name: ranged
    rules:
      - delay: {min: 1s, max: 2s}
`, clock)
	o := decide(t, e, petReq(t, "findPets", scenarios.HeaderScenario, "fixed"))
	if o == nil || o.Delay != 1500*time.Millisecond || o.Status != 0 {
		t.Fatalf("fixed delay: %+v", o)
	}
	for range 20 {
		o := decide(t, e, petReq(t, "findPets", scenarios.HeaderScenario, "ranged"))
		if o.Delay < time.Second || o.Delay > 2*time.Second {
			t.Fatalf("delay %s outside 1s..2s", o.Delay)
		}
	}
}

func TestEngine_PrecedenceAndSpecificity(t *testing.T) {
	e := petEngine(t, `
scenarios:
  - name: run
    rules:
      - respond: {status: 501}
  - name: live
    rules:
      - respond: {status: 502}
  - name: header
    rules:
      - respond: {status: 503}
      - match: {operations: [findPets]}
        respond: {status: 504}
      - match: {operations: [findPets], query: {limit: "5"}}
        respond: {status: 505}
      - match: {method: POST, path: /pets, body: {tag: dog}}
        respond: {status: 506}
`, newClock(), "petstore/run")
	if s := status(decide(t, e, petReq(t, "findPets"))); s != 501 {
		t.Fatalf("run flag: %d", s)
	}
	if err := e.Activate("petstore", "live"); err != nil {
		t.Fatal(err)
	}
	if s := status(decide(t, e, petReq(t, "findPets"))); s != 502 {
		t.Fatalf("runtime over run flag: %d", s)
	}
	if s := status(decide(t, e, petReq(t, "deletePet", scenarios.HeaderScenario, "header"))); s != 503 {
		t.Fatalf("header over runtime: %d", s)
	}
	if s := status(decide(t, e, petReq(t, "findPets", scenarios.HeaderScenario, "header"))); s != 504 {
		t.Fatalf("operation beats match-all: %d", s)
	}
	r := petReq(t, "findPets", scenarios.HeaderScenario, "petstore/header")
	r.Query.Set("limit", "5")
	if s := status(decide(t, e, r)); s != 505 {
		t.Fatalf("query condition is more specific: %d", s)
	}
	r = petReq(t, "addPet", scenarios.HeaderScenario, "header")
	r.Body = []byte(`{"name":"rex","tag":"dog"}`)
	if s := status(decide(t, e, r)); s != 506 {
		t.Fatalf("body condition: %d", s)
	}
	if err := e.Deactivate("petstore", "live"); err != nil {
		t.Fatal(err)
	}
	if err := e.Deactivate("petstore", "run"); err != nil {
		t.Fatal(err)
	}
	if o := decide(t, e, petReq(t, "findPets")); o != nil {
		t.Fatalf("nothing active: %+v", o)
	}
	e.Reset()
	if s := status(decide(t, e, petReq(t, "findPets"))); s != 501 {
		t.Fatalf("reset brings the run flag back: %d", s)
	}
	if _, err := e.Decide(petReq(t, "findPets", scenarios.HeaderScenario, "nope")); !errors.Is(err, scenarios.ErrUnknownScenario) {
		t.Fatalf("unknown header scenario: %v", err)
	}
	if o := decide(t, e, petReq(t, "findPets", scenarios.HeaderScenario, "other/thing, petstore/header")); status(o) != 504 {
		t.Fatalf("names of other vendors are skipped: %+v", o)
	}
	if err := e.Activate("petstore", "nope"); !errors.Is(err, scenarios.ErrUnknownScenario) {
		t.Fatalf("unknown activation: %v", err)
	}
}

func TestEngine_Template(t *testing.T) {
	e := petEngine(t, `
scenarios:
  - name: echo
    rules:
      - respond:
          status: 404
          headers: {X-Pet: "{{.PathParams.id}}"}
          template: '{"code": 404, "message": {{json (printf "pet %s not found (%s)" .PathParams.id .Query.q)}}}'
`, newClock(), "petstore/echo")
	r := petReq(t, "find pet by id")
	r.PathParams = map[string]string{"id": `7"`}
	r.Query.Set("q", "x")
	o := decide(t, e, r)
	if want := `{"code": 404, "message": "pet 7\" not found (x)"}`; string(o.Body) != want || o.Header.Get("X-Pet") != `7"` {
		t.Fatalf("body %s header %v, want %s", o.Body, o.Header, want)
	}
}

func TestNewEngine_UnknownActive(t *testing.T) {
	set, _, err := loadPet(t, map[string]string{"petstore/t.yaml": "scenarios:\n  - name: a\n    rules:\n      - delay: 1s\n"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scenarios.NewEngine(set, scenarios.EngineOptions{Active: []string{"petstore/b"}}); !errors.Is(err, scenarios.ErrUnknownScenario) {
		t.Fatalf("got %v", err)
	}
}
