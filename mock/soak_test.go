package mock_test

import (
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vendormock/vendormock/mock"
)

// soakConfig reads the soak switches: VENDORMOCK_SOAK=1 enables it, VENDORMOCK_SOAK_DURATION
// (a Go duration, default 60s) bounds it.
func soakConfig(t *testing.T) time.Duration {
	t.Helper()
	if os.Getenv("VENDORMOCK_SOAK") != "1" {
		t.Skip("soak: set VENDORMOCK_SOAK=1 (and VENDORMOCK_SOAK_DURATION, default 60s) to run it")
	}
	d := 60 * time.Second
	if v := os.Getenv("VENDORMOCK_SOAK_DURATION"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil || d <= 0 {
			t.Fatalf("VENDORMOCK_SOAK_DURATION=%q: want a positive Go duration", v)
		}
	}
	return d
}

// soakSession counts the writes one session's clients saw succeed.
type soakSession struct {
	name             string
	creates, deletes atomic.Int64
}

// TestSoak runs mixed reads, writes and list queries from 64 concurrent clients over 8 sessions
// against a real HTTP server of the handler: no 5xx, no unexpected status, goroutines settle
// afterwards, and each session holds exactly the seed plus its successful creates minus deletes.
func TestSoak(t *testing.T) {
	dur := soakConfig(t)
	const clients, sessions, seeded = 64, 8, 20
	srv := newServer(t, 1, engineSource())
	before := runtime.NumGoroutine()
	ts := httptest.NewServer(srv)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}, Timeout: 30 * time.Second}

	sess := make([]*soakSession, sessions)
	for i := range sess {
		sess[i] = &soakSession{name: fmt.Sprintf("soak-%d", i)}
	}
	var total, fails atomic.Int64
	var failMu sync.Mutex
	var failSamples []string
	fail := func(format string, args ...any) {
		if fails.Add(1) <= 5 {
			failMu.Lock()
			failSamples = append(failSamples, fmt.Sprintf(format, args...))
			failMu.Unlock()
		}
	}
	do := func(method, path, body string, s *soakSession) (int, string) {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequest(method, ts.URL+path, rd)
		if err != nil {
			fail("%s %s: %v", method, path, err)
			return 0, ""
		}
		req.Header.Set("Authorization", bearer["Authorization"])
		req.Header.Set(mock.SessionHeader, s.name)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			fail("%s %s: %v", method, path, err)
			return 0, ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		total.Add(1)
		if resp.StatusCode >= 500 {
			fail("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		return resp.StatusCode, string(b)
	}

	deadline := time.Now().Add(dur)
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			s := sess[c%sessions]
			var mine []string // ids this client created and has not deleted
			for i := 0; time.Now().Before(deadline); i++ {
				switch k := rng.IntN(100); {
				case k < 35: // read a seeded or own record
					id := fmt.Sprint(1 + rng.IntN(seeded))
					if len(mine) > 0 && rng.IntN(2) == 0 {
						id = mine[rng.IntN(len(mine))]
					}
					if code, b := do("GET", "/eng/users/"+id, "", s); code != 200 && code != 404 && code != 0 {
						fail("GET user %s: %d %s", id, code, b)
					}
				case k < 60: // list queries, with and without filters
					q := []string{"", "?role=ADMIN", "?page=1", "?role=USER&page=0"}[rng.IntN(4)]
					if code, b := do("GET", "/eng/users"+q, "", s); code != 200 && code != 0 {
						fail("list %s: %d %s", q, code, b)
					}
				case k < 85 || len(mine) == 0: // create
					body := fmt.Sprintf(`{"email":"c%d-%d@example.com","firstName":"Soak","role":"USER","password":"secret123"}`, c, i)
					code, b := do("POST", "/eng/users", body, s)
					if code != 201 {
						if code != 0 {
							fail("create: %d %s", code, b)
						}
						continue
					}
					s.creates.Add(1)
					if id := jsonField(b, "id"); id != "" {
						mine = append(mine, id)
					} else {
						fail("create answered no id: %s", b)
					}
				default: // delete one of its own
					j := rng.IntN(len(mine))
					id := mine[j]
					code, b := do("DELETE", "/eng/users/"+id, "", s)
					if code >= 200 && code < 300 {
						s.deletes.Add(1)
						mine = append(mine[:j], mine[j+1:]...)
					} else if code != 0 {
						fail("delete %s: %d %s", id, code, b)
					}
				}
			}
		}(c)
	}
	wg.Wait()
	t.Logf("soak: %d requests in %s from %d clients", total.Load(), dur, clients)
	if n := fails.Load(); n > 0 {
		t.Errorf("%d failed or unexpected answers; first ones:\n%s", n, strings.Join(failSamples, "\n"))
	}
	for _, s := range sess {
		want := seeded + int(s.creates.Load()-s.deletes.Load())
		if got := recordsOf(t, srv, s.name, "eng", "/users"); got != want {
			t.Errorf("session %s holds %d records, want %d (%d creates, %d deletes)", s.name, got, want, s.creates.Load(), s.deletes.Load())
		}
	}

	client.CloseIdleConnections()
	ts.Close()
	settled := false
	var now int
	for range 200 { // goroutines of closed connections finish asynchronously: poll, bounded
		if now = runtime.NumGoroutine(); now <= before+2 {
			settled = true
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if !settled {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines did not settle: %d before, %d after\n%s", before, now, buf[:runtime.Stack(buf, true)])
	}
}

// jsonField pulls a top-level scalar out of a small JSON object without a full decode.
func jsonField(body, name string) string {
	_, rest, ok := strings.Cut(body, `"`+name+`":`)
	if !ok {
		return ""
	}
	end := strings.IndexAny(rest, ",}")
	if end < 0 {
		return ""
	}
	return strings.Trim(strings.TrimSpace(rest[:end]), `"`)
}

// TestSessionRecordCap: past MaxRecordsPerSession a create answers 507 with a problem that says
// how to clear it, other sessions keep working, and a reset of the session makes room again.
func TestSessionRecordCap(t *testing.T) {
	srv, err := mock.NewServer(mock.Options{Catalog: loadCatalog(t, engineSource()), Logger: slog.New(slog.DiscardHandler),
		Seed: 1, Now: fixedNow, MaxRecordsPerSession: 40})
	if err != nil {
		t.Fatal(err)
	}
	create := func(session string, i int) *httptest.ResponseRecorder {
		return call(t, srv, "POST", "/eng/users", fmt.Sprintf(`{"email":"cap%d@example.com","firstName":"Cap","role":"USER","password":"secret123"}`, i),
			with(bearer, "Content-Type", "application/json", mock.SessionHeader, session))
	}
	var full *httptest.ResponseRecorder
	for i := 0; i < 100 && full == nil; i++ {
		if rec := create("cap", i); rec.Code == http.StatusInsufficientStorage {
			full = rec
		} else if rec.Code != http.StatusCreated {
			t.Fatalf("create %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	if full == nil {
		t.Fatal("100 creates past a cap of 40 never answered 507")
	}
	if body := full.Body.String(); !strings.Contains(body, "session is full") || !strings.Contains(body, "/__admin/reset") {
		t.Fatalf("507 body does not explain itself: %s", body)
	}
	if rec := create("other", 0); rec.Code != http.StatusCreated {
		t.Fatalf("another session is affected: %d %s", rec.Code, rec.Body)
	}
	if rec := call(t, srv, "GET", "/eng/users/1", "", with(bearer, mock.SessionHeader, "cap")); rec.Code != http.StatusOK {
		t.Fatalf("reads of a full session: %d", rec.Code)
	}
	if rec := call(t, srv, "POST", "/__admin/reset?session=cap", "", nil); rec.Code != http.StatusNoContent {
		t.Fatalf("reset: %d", rec.Code)
	}
	if rec := create("cap", 1000); rec.Code != http.StatusCreated {
		t.Fatalf("after reset: %d %s", rec.Code, rec.Body)
	}
}
