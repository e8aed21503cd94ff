package contract_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vendormock/vendormock/contract"
)

// TestBaselineSuppressesAccepted: accepted findings stay in the report but no longer fail the
// run; a finding the baseline does not list still does.
func TestBaselineSuppressesAccepted(t *testing.T) {
	v := driftVendor(t)
	sb := &sandbox{drift: func(o string, st *int, h http.Header, b *any) {
		if o == "getPatient" && *st == 200 {
			m := (*b).(map[string]any)
			m["age"] = "sixty"
			m["status"] = "deleted"
		}
	}}
	ts := httptest.NewServer(sb)
	defer ts.Close()
	first := run(t, driftOptions(t, v, ts), nil)
	if first.Summary.New != 2 {
		t.Fatalf("want 2 findings, got:\n%s", findingLines(first.Findings()))
	}
	// Accept only the age drift, through a file as CI does.
	full := contract.BaselineFrom(first)
	var accepted contract.Baseline
	for _, e := range full.Findings {
		if strings.Contains(e.Key, "/age") {
			accepted.Findings = append(accepted.Findings, e)
		}
	}
	file := filepath.Join(t.TempDir(), "baseline.json")
	if err := accepted.Write(file); err != nil {
		t.Fatal(err)
	}
	b, err := contract.LoadBaseline(file)
	if err != nil {
		t.Fatal(err)
	}
	second := run(t, driftOptions(t, v, ts), b)
	if second.Summary.Accepted != 1 || second.Summary.New != 1 || !second.HasNewDrift() {
		t.Fatalf("summary %+v:\n%s", second.Summary, findingLines(second.Findings()))
	}
	for _, f := range second.Findings() {
		if f.Accepted != strings.Contains(f.Pointer, "/age") {
			t.Errorf("accepted=%v for %s", f.Accepted, f)
		}
	}
	// Everything accepted: the run passes.
	third := run(t, driftOptions(t, v, ts), full)
	if third.HasNewDrift() || third.Summary.Accepted != 2 {
		t.Errorf("with the full baseline: %+v", third.Summary)
	}
	// A missing baseline file is an empty baseline (the first --update-baseline creates it).
	if b, err := contract.LoadBaseline(filepath.Join(t.TempDir(), "none.json")); err != nil || b.Accepts(full.Findings[0].Key) {
		t.Errorf("missing baseline: %v, %v", b, err)
	}
}

// TestRedaction plants personal data and credentials in answers and checks that no report format,
// progress line or recorded fixture contains any of them.
func TestRedaction(t *testing.T) {
	v := driftVendor(t)
	sb := &sandbox{drift: func(o string, st *int, h http.Header, b *any) {
		if o == "getPatient" && *st == 200 {
			m := (*b).(map[string]any)
			m["dateOfBirth"] = plantedDOB + "T00:00" // a format drift whose value is quoted in the finding
			m["email"] = 7                           // a type drift on a personal field
			h.Set("Set-Cookie", "session="+goodToken)
		}
	}}
	ts := httptest.NewServer(sb)
	defer ts.Close()
	var progress bytes.Buffer
	opts := driftOptions(t, v, ts)
	opts.Mode, opts.Strict, opts.Progress = contract.ModeFull, true, &progress
	opts.RecordDir = t.TempDir()
	opts.Credentials.Headers = http.Header{"X-Api-Key": {"header-secret-value-123"}}
	rep := run(t, opts, nil)
	if !rep.HasNewDrift() {
		t.Fatal("the planted drift was not found")
	}
	outputs := map[string]string{"progress": progress.String()}
	for _, format := range contract.Formats() {
		var buf bytes.Buffer
		if err := contract.Write(&buf, format, rep); err != nil {
			t.Fatal(err)
		}
		outputs[format] = buf.String()
	}
	var sum bytes.Buffer
	if err := contract.WriteSummary(&sum, rep); err != nil {
		t.Fatal(err)
	}
	outputs["summary"] = sum.String()
	recorded, _ := filepath.Glob(filepath.Join(opts.RecordDir, "drift", "*.json"))
	if len(recorded) == 0 {
		t.Fatal("--record wrote no fixture")
	}
	for _, f := range recorded {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		outputs[f] = string(data)
	}
	secrets := append(planted(), "header-secret-value-123", "943 476", "7700 900")
	for name, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s contains %q", name, s)
			}
		}
	}
	if !strings.Contains(outputs["html"], "[redacted]") || !strings.Contains(outputs["json"], "[secret]") {
		t.Error("reports show no redaction markers; were the excerpts dropped?")
	}
	// --no-redact keeps personal data but never credentials.
	opts.NoRedact, opts.Progress, opts.RecordDir = true, nil, ""
	rep = run(t, opts, nil)
	var buf bytes.Buffer
	if err := contract.WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), plantedFirst) {
		t.Error("--no-redact removed personal data")
	}
	for _, s := range []string{goodToken, "header-secret-value-123"} {
		if strings.Contains(buf.String(), s) {
			t.Errorf("--no-redact report contains the credential %q", s)
		}
	}
}

// TestRetriesHonourRetryAfter: 429 with Retry-After and 503 without are retried with the right
// waits on the injected clock; nothing really sleeps.
func TestRetriesHonourRetryAfter(t *testing.T) {
	v := driftVendor(t)
	var calls atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/practice" || r.Header.Get("Authorization") == "" {
			(&sandbox{}).ServeHTTP(w, r)
			return
		}
		switch calls.Add(1) {
		case 2: // the check's first try (the first call is the preflight probe)
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		case 3:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			(&sandbox{}).ServeHTTP(w, r)
		}
	}))
	defer ts.Close()
	clock := newFakeClock()
	opts := driftOptions(t, v, ts)
	opts.Now, opts.Sleep, opts.Retries = clock.Now, clock.Sleep, 3
	opts.Include = []string{"getPractice"}
	rep := run(t, opts, nil)
	if fs := rep.Findings(); len(fs) > 0 {
		t.Fatalf("retried answers should pass:\n%s", findingLines(fs))
	}
	want := []time.Duration{7 * time.Second, time.Second} // Retry-After, then backoff 0.5s << 1
	got := clock.slept()
	if len(got) != len(want) {
		t.Fatalf("sleeps = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sleep %d = %v, want %v (all: %v)", i, got[i], want[i], got)
		}
	}
	if ex := rep.Operations[0].Exchanges[0]; ex.Attempts != 3 {
		t.Errorf("attempts = %d, want 3", ex.Attempts)
	}

	// Out of retries: the last answer is checked (503 is not documented).
	calls.Store(1)
	opts.Retries = 0
	rep = run(t, opts, nil)
	if rep.Summary.New == 0 {
		t.Error("a 429 after all retries should be reported")
	}
}

// TestRateLimit: with --rate 4/s every request waits for its slot on the injected clock.
func TestRateLimit(t *testing.T) {
	v := driftVendor(t)
	sb := &sandbox{}
	ts := httptest.NewServer(sb)
	defer ts.Close()
	clock := newFakeClock()
	opts := driftOptions(t, v, ts)
	opts.Now, opts.Sleep, opts.Rate = clock.Now, clock.Sleep, 4
	start := clock.Now()
	rep := run(t, opts, nil)
	n := len(sb.requests())
	if rep.Summary.Requests != n {
		t.Errorf("summary counts %d requests, the sandbox saw %d", rep.Summary.Requests, n)
	}
	// The first request goes at once, each later one 250ms after the previous.
	if got, want := clock.Now().Sub(start), time.Duration(n-1)*250*time.Millisecond; got != want {
		t.Errorf("%d requests took %v on the fake clock, want %v (sleeps %v)", n, got, want, clock.slept())
	}
}

// TestUnreachableAndAuthFailure: exit-code-3 conditions are errors before any check.
func TestUnreachableAndAuthFailure(t *testing.T) {
	v := driftVendor(t)
	ts := httptest.NewServer(&sandbox{})
	opts := driftOptions(t, v, ts)
	bad := opts
	bad.Credentials = contract.Credentials{Schemes: map[string]string{"bearer": "wrong-token"}}
	if _, err := contract.Run(context.Background(), bad, nil); !errors.Is(err, contract.ErrAuth) {
		t.Errorf("wrong token: err = %v, want ErrAuth", err)
	}
	ts.Close()
	if _, err := contract.Run(context.Background(), opts, nil); !errors.Is(err, contract.ErrUnreachable) {
		t.Errorf("closed server: err = %v, want ErrUnreachable", err)
	}
	noVendor := opts
	noVendor.Vendor = nil
	if _, err := contract.Run(context.Background(), noVendor, nil); !errors.Is(err, contract.ErrConfig) {
		t.Errorf("no vendor: err = %v, want ErrConfig", err)
	}
	badScheme := opts
	badScheme.Credentials = contract.Credentials{Schemes: map[string]string{"nope": "x"}}
	if _, err := contract.Run(context.Background(), badScheme, nil); !errors.Is(err, contract.ErrConfig) {
		t.Errorf("unknown scheme: err = %v, want ErrConfig", err)
	}
}

// TestInterruptedRunKeepsPartialResults: cancelling midway returns what was checked, marked
// incomplete, and the rest as skipped.
func TestInterruptedRunKeepsPartialResults(t *testing.T) {
	v := driftVendor(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) == 3 { // preflight, first check, its no-credentials check: then Ctrl-C
			cancel()
		}
		(&sandbox{}).ServeHTTP(w, r)
	}))
	defer ts.Close()
	rep, err := contract.Run(ctx, driftOptions(t, v, ts), nil)
	if !errors.Is(err, context.Canceled) || rep == nil {
		t.Fatalf("err = %v, report %v", err, rep)
	}
	if rep.Complete || rep.Summary.Operations != len(v.Operations) || rep.Summary.Skipped == 0 {
		t.Errorf("partial report: complete=%v %+v", rep.Complete, rep.Summary)
	}
}
