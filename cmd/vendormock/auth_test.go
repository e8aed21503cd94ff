package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeStrictAPIKeys runs the real serve command with --auth strict: the bundled sample keys
// and --api-key keys are accepted for their own vendor only, any other key gets the vendor's 401.
func TestServeStrictAPIKeys(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--port", "0", "--log-requests=false", "--auth", "strict",
			"--api-key", "herohealth=flag-key", "--api-key", "opendental=ODFHIR flag-dev/flag-cust"}, io.Discard, &logs)
	}()
	base := waitListening(t, logs.String)
	for _, tc := range []struct {
		name, path, header, value string
		want                      int
	}{
		{"hero bundled sample key", "/herohealth/v1/admins", "x-api-key", "vm-herohealth-sample-key", 200},
		{"hero --api-key", "/herohealth/v1/admins", "x-api-key", "flag-key", 200},
		{"hero unknown key", "/herohealth/v1/admins", "x-api-key", "nope", 401},
		{"od bundled sample key", "/opendental/patients", "Authorization", "ODFHIR vm-sample-developer-key/vm-sample-customer-key", 200},
		{"od --api-key", "/opendental/patients", "Authorization", "ODFHIR flag-dev/flag-cust", 200},
		{"od hero's flag key", "/opendental/patients", "Authorization", "flag-key", 401},
		{"od unknown key", "/opendental/patients", "Authorization", "ODFHIR flag-dev/other", 401},
	} {
		req, _ := http.NewRequest(http.MethodGet, base+tc.path, nil)
		req.Header.Set(tc.header, tc.value)
		req.Header.Set("x-practice-group-id", "1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s: %d, want %d: %s", tc.name, resp.StatusCode, tc.want, body)
		}
	}
	if out := logs.String(); !strings.Contains(out, "strict auth keys") || strings.Contains(out, "flag-key") {
		t.Errorf("logs should count the keys per vendor without printing them: %s", out)
	}
	stopServe(t, cancel, done)
}

// TestLintChecksCredentials: lint reports a credentials.json that does not parse or names a
// scheme the vendor does not have, with the file and the entry.
func TestLintChecksCredentials(t *testing.T) {
	for _, tc := range []struct {
		name, vendor, data string
		want               []string
	}{
		{"unknown scheme", "opendental", `{"keys":[{"key":"ODFHIR a/b","scheme":"ODFHIR"},{"key":"x","scheme":"bearer","note":"typo"}]}`,
			[]string{"opendental/credentials.json", "keys[1] (typo)", `scheme "bearer" is not a security scheme of opendental`}},
		{"malformed", "herohealth", `{"keys":[{"key":7}]}`, []string{"herohealth/credentials.json", "keys[0]: key: want a string"}},
		{"unloaded vendor", "nope", `{"keys":[{"key":"k"}]}`, []string{"nope/credentials.json", `no vendor "nope" is loaded`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, tc.vendor), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, tc.vendor, "credentials.json"), []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), []string{"lint", "--spec", "opendental=../../specs/opendental/openapi.yaml",
				"--spec", "herohealth=../../specs/herohealth/openapi.yaml", "--fixtures", dir}, &stdout, &stderr)
			if exitCode(err) != 1 {
				t.Fatalf("exit %d, want 1: %s", exitCode(err), stdout.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("lint output lacks %q:\n%s", w, stdout.String())
				}
			}
		})
	}
}

// TestIssue4_TokensSurviveRestart: in strict mode a token issued before a SIGKILL is accepted by
// the server that loads the same --state-file; a full reset there refuses it.
func TestIssue4_TokensSurviveRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	file := filepath.Join(t.TempDir(), "state.json")
	args := []string{"--spec", "heydonto-auth=../../specs/heydonto-auth/openapi.yaml", "--auth", "strict", "--state-file", file, "--log-requests=false"}
	cmd, base := startChild(t, args...)
	resp, err := http.Post(base+"/heydonto-auth/auth/login", "application/json", strings.NewReader(`{"email":"dana@example.com","password":"password123"}`))
	if err != nil {
		t.Fatal(err)
	}
	var login struct{ Token string }
	err = json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || login.Token == "" {
		t.Fatalf("login: %d %v", resp.StatusCode, err)
	}
	killOnceSaved(t, cmd, file, login.Token)
	_, base = startChild(t, args...)
	user := func() int {
		req, _ := http.NewRequest(http.MethodGet, base+"/heydonto-auth/auth/user", nil)
		req.Header.Set("Authorization", "Bearer "+login.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := user(); code != 200 {
		t.Fatalf("token after restart: %d, want 200", code)
	}
	resp, err = http.Post(base+"/__admin/reset", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code := user(); code != 401 {
		t.Fatalf("token after a full reset: %d, want 401", code)
	}
}
