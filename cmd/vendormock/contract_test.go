package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/specs"
)

// runCmd runs the command line and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	var ee *exitError
	switch {
	case err == nil:
		code = 0
	case errors.As(err, &ee):
		code = ee.code
		if ee.err != nil {
			errb.WriteString(ee.err.Error())
		}
	default:
		code = 1
		errb.WriteString(err.Error())
	}
	return code, out.String(), errb.String()
}

// mockSandbox serves the bundled descriptions with the mock; drift, when set, rewrites 2xx JSON
// answers of GET requests.
func mockSandbox(t *testing.T, drift func(path string) string) *httptest.Server {
	t.Helper()
	cat, err := specs.Load(context.Background(), specs.Bundled(), specs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mock.NewServer(mock.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler), Seed: 1,
		Now: func() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	h := http.Handler(srv)
	if drift != nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, r)
			body := rec.Body.String()
			if r.Method == "GET" && rec.Code == 200 {
				if d := drift(r.URL.Path); d != "" {
					body = d
				}
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			w.Write([]byte(body))
		})
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return ts
}

func TestContractExitCodes(t *testing.T) {
	clean := mockSandbox(t, nil)
	drifting := mockSandbox(t, func(path string) string {
		if strings.HasSuffix(path, "/auth/user") {
			return `{"surprise": true}`
		}
		return ""
	})
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer refusing.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	t.Setenv("VM_TEST_TOKEN", "tok-from-env-0123456789")
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"no drift", []string{"--spec", "heydonto-auth", "--base-url", clean.URL + "/heydonto-auth"}, 0},
		{"drift", []string{"--spec", "heydonto-auth", "--base-url", drifting.URL + "/heydonto-auth"}, 1},
		{"missing base url", []string{"--spec", "heydonto-auth"}, 2},
		{"bad mode", []string{"--spec", "heydonto-auth", "--base-url", clean.URL, "--mode", "yolo"}, 2},
		{"bad report", []string{"--spec", "heydonto-auth", "--base-url", clean.URL, "--report", "pdf=x.pdf"}, 2},
		{"unknown spec file", []string{"--spec", "./nope.yaml", "--base-url", clean.URL}, 2},
		{"unset env", []string{"--spec", "heydonto-auth", "--base-url", clean.URL, "--header", "Authorization: Bearer ${VM_TEST_UNSET}"}, 2},
		{"unknown scheme", []string{"--spec", "heydonto-auth", "--base-url", clean.URL, "--auth", "nope=x"}, 2},
		{"unreachable", []string{"--spec", "heydonto-auth", "--base-url", closed.URL}, 3},
		{"auth failed", []string{"--spec", "heydonto-auth", "--base-url", refusing.URL, "--auth", "bearer=${VM_TEST_TOKEN}"}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, append([]string{"contract", "--quiet"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if strings.Contains(stderr, "tok-from-env-0123456789") {
				t.Error("stderr shows the credential")
			}
		})
	}
}

// TestContractBaselineWorkflow: --update-baseline accepts today's drift (exit 0), the next run
// with --baseline passes, and every report format is written.
func TestContractBaselineWorkflow(t *testing.T) {
	drifting := mockSandbox(t, func(path string) string {
		if strings.HasSuffix(path, "/auth/user") {
			return `{"surprise": true}`
		}
		return ""
	})
	dir := t.TempDir()
	baseline := filepath.Join(dir, "baseline.json")
	t.Setenv("VM_TEST_SECRET", "header-secret-from-env-42")
	common := []string{"contract", "--spec", "heydonto-auth", "--base-url", drifting.URL + "/heydonto-auth",
		"--header", "X-Api-Secret: ${VM_TEST_SECRET}", "--auth", "bearer=${VM_TEST_SECRET}", "--strict", "--baseline", baseline}
	code, _, stderr := runCmd(t, append(common, "--update-baseline")...)
	if code != 0 {
		t.Fatalf("--update-baseline: exit %d\n%s", code, stderr)
	}
	if data, err := os.ReadFile(baseline); err != nil || !bytes.Contains(data, []byte("authcontroller_getcurrentuser")) {
		t.Fatalf("baseline: %v\n%s", err, data)
	}
	args := append([]string(nil), common...)
	var reports []string
	for _, f := range []struct{ format, file string }{{"json", "r.json"}, {"junit", "r.xml"}, {"markdown", "r.md"}, {"html", "r.html"}} {
		file := filepath.Join(dir, f.file)
		args = append(args, "--report", f.format+"="+file)
		reports = append(reports, file)
	}
	code, stdout, stderr := runCmd(t, append(args, "--report", "json=-")...)
	if code != 0 {
		t.Fatalf("with the baseline: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, `"accepted": true`) {
		t.Errorf("stdout report lacks accepted findings:\n%.500s", stdout)
	}
	if !strings.Contains(stderr, "accepted by the baseline") {
		t.Errorf("no summary on stderr:\n%s", stderr)
	}
	outputs := []string{stdout, stderr}
	for _, f := range reports {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("report not written: %v", err)
		}
		outputs = append(outputs, string(data))
	}
	for i, out := range outputs {
		if strings.Contains(out, "header-secret-from-env-42") {
			t.Errorf("output %d shows the credential", i)
		}
	}
}
