package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// childArgs makes the test binary act as the vendormock binary (for crash tests).
const childArgs = "VENDORMOCK_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childArgs); args != "" {
		main2(strings.Split(args, "\x1f"))
		return
	}
	os.Exit(m.Run())
}

func main2(args []string) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	if err := run(ctx, args, os.Stdout, os.Stderr); err != nil {
		os.Exit(1)
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func TestRunExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string // substring of stdout+stderr+error
	}{
		{"no command", nil, 2, "Commands:"},
		{"unknown command", []string{"nope"}, 2, `unknown command "nope"`},
		{"version", []string{"version"}, 0, "vendormock dev"},
		{"help", []string{"--help"}, 0, "serve"},
		{"serve help has examples", []string{"serve", "--help"}, 0, "Examples:"},
		{"bad port", []string{"serve", "--port", "99999"}, 2, "--port 99999"},
		{"bad flag", []string{"serve", "--nope"}, 2, "unknown flag"},
		{"bad auth mode", []string{"serve", "--auth", "bogus"}, 2, "want permissive or strict"},
		{"pretouch below -1", []string{"serve", "--pretouch-mib", "-2"}, 2, "--pretouch-mib -2: want -1"},
		{"pretouch too large", []string{"serve", "--pretouch-mib", "513"}, 2, "or up to 512"},
		{"serve help documents --api-key", []string{"serve", "--help"}, 0, "--api-key"},
		{"api key without vendor", []string{"serve", "--api-key", "just-a-key"}, 2, "--api-key #1: want VENDOR=KEY"},
		{"api key without key", []string{"serve", "--api-key", "herohealth="}, 2, "--api-key #1: want VENDOR=KEY"},
		{"api key of an unserved vendor", []string{"serve", "--spec", "eng=../../mock/testdata/engine.yaml", "--api-key", "herohealth=k"}, 2,
			`no vendor "herohealth" is served (served: eng)`},
		{"swagger 2", []string{"serve", "--spec", "../../specs/testdata/swagger2.json"}, 1, "swagger 2.0 is not supported"},
		{"two root specs", []string{"serve", "--spec", "a.yaml", "--spec", "b.yaml"}, 2, "only one description"},
		{"lint bundled", []string{"lint"}, 0, "opendental/openapi.yaml: 344 operations, 0 problems"},
		{"lint bad examples", []string{"lint", "--spec", "../../mock/testdata/bad-examples.yaml"}, 1, "example does not validate"},
		{"lint broken ref", []string{"lint", "--spec", "x=../../specs/testdata/broken-ref.yaml"}, 1, "broken-ref.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tc.args, &stdout, &stderr)
			all := stdout.String() + stderr.String()
			if err != nil {
				all += err.Error()
			}
			if code := exitCode(err); code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, all)
			}
			if !strings.Contains(all, tc.out) {
				t.Fatalf("output lacks %q: %s", tc.out, all)
			}
		})
	}
}

// syncBuffer collects a server's log output while tests read it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listening = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)

// TestServeAndShutdown runs the real serve command on a free port, asks it for its health and
// stops it the way SIGINT does (context cancel).
func TestServeAndShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var logs syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--port", "0"}, io.Discard, &logs) }()
	base := waitListening(t, logs.String)
	resp, err := http.Get(base + "/__admin/health")
	if err != nil {
		t.Fatal(err)
	}
	var health struct{ Operations int }
	_ = json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if resp.StatusCode != 200 || health.Operations < 500 {
		t.Fatalf("health: %d %+v", resp.StatusCode, health)
	}
	resp, err = http.Get(base + "/heydonto/brands")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("brands without a token: %d", resp.StatusCode)
	}
	stopServe(t, cancel, done)
	if !strings.Contains(logs.String(), "request served") {
		t.Fatalf("no request log line: %s", logs.String())
	}
}

func waitListening(t *testing.T, logs func() string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(logs()); m != nil {
			return m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("server did not start: %s", logs())
	return ""
}

// startChild runs the test binary as "vendormock serve" in its own process.
func startChild(t *testing.T, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childArgs+"="+strings.Join(append([]string{"serve", "--port", "0"}, args...), "\x1f"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	var logs syncBuffer
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.Write(append(sc.Bytes(), '\n'))
		}
	}()
	return cmd, waitListening(t, logs.String)
}

// TestIssue4_StateFileSurvivesKill writes through a server, kills it with SIGKILL once the state
// file has the writes, and checks a new server started on the same file answers them.
func TestIssue4_StateFileSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	file := filepath.Join(t.TempDir(), "state.json")
	spec := "eng=../../mock/testdata/engine.yaml"
	cmd, base := startChild(t, "--spec", spec, "--state-file", file, "--log-requests=false")
	for i := 0; i < 3; i++ {
		req, _ := http.NewRequest("POST", base+"/eng/users", strings.NewReader(`{"email":"kept`+string(rune('a'+i))+`@example.com","firstName":"K","role":"USER","password":"secret123"}`))
		req.Header.Set("Authorization", "Bearer t")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 201 {
			t.Fatalf("create: %d", resp.StatusCode)
		}
	}
	killOnceSaved(t, cmd, file, "keptc@example.com")
	_, base = startChild(t, "--spec", spec, "--state-file", file, "--log-requests=false")
	for _, id := range []string{"21", "22", "23"} {
		req, _ := http.NewRequest("GET", base+"/eng/users/"+id, nil)
		req.Header.Set("Authorization", "Bearer t")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Contains(body, []byte("kept")) {
			t.Fatalf("user %s after restart: %d %s", id, resp.StatusCode, body)
		}
	}
}

// TestDependencyDirection keeps the layout honest: specs imports none of our packages (but the
// leaf helpers), mock and contract never import each other, and nothing imports cmd.
func TestDependencyDirection(t *testing.T) {
	const mod = "github.com/vendormock/vendormock/"
	// Leaf helpers import none of ours, so any package may use them.
	leaf := map[string]bool{"internal/jsonw": true, "internal/parallel": true}
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, mod+"...").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := strings.TrimPrefix(fields[0], mod), fields[1:]
		for _, imp := range imports {
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			dep := strings.TrimPrefix(imp, mod)
			switch {
			case leaf[pkg]:
				t.Errorf("%s imports %s: a leaf helper must import none of ours", pkg, dep)
			case leaf[dep]:
			case strings.HasPrefix(dep, "cmd"):
				t.Errorf("%s imports %s: nothing may import cmd", pkg, dep)
			case pkg == "specs" && !strings.HasPrefix(dep, "specs"):
				t.Errorf("specs imports %s: it must import none of ours", dep)
			case strings.HasPrefix(pkg, "mock") && strings.HasPrefix(dep, "contract"),
				strings.HasPrefix(pkg, "contract") && strings.HasPrefix(dep, "mock/state"),
				pkg == "contract" && dep == "mock":
				t.Errorf("%s imports %s: mock and contract stay apart", pkg, dep)
			case pkg == "mock/state" && dep != "":
				t.Errorf("mock/state imports %s: it must import none of ours", dep)
			}
		}
	}
}

// TestREADMEScenarioExampleLints keeps the README's scenario example a working file.
func TestREADMEScenarioExampleLints(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const marker = "# my-scenarios/opendental/checkout.yaml\n"
	i := bytes.Index(readme, []byte(marker))
	if i < 0 {
		t.Fatal("README has no scenario example")
	}
	block := readme[i+len(marker):]
	block = block[:bytes.Index(block, []byte("```"))]
	dir := filepath.Join(t.TempDir(), "opendental")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "checkout.yaml"), block, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"lint", "--scenarios", filepath.Dir(dir)}, &stdout, &stderr); err != nil {
		t.Fatalf("lint of the README example: %v\n%s%s", err, stdout.String(), stderr.String())
	}
}

// TestScenarioTemplatesChecked: lint and serve reject a template that does not parse and one that
// reads a resource the vendor does not have, naming file and line; a template reading a real
// resource passes.
func TestScenarioTemplatesChecked(t *testing.T) {
	for _, tc := range []struct {
		name, template string
		code           int
		want           string
	}{
		{"does not parse", "|\n            {{with record \"patients\" .PathParams.PatNum}}\n              {{json .}}{{end}\n", 1,
			"t.yaml:9: scenario \"a\" rule \"rule-1\": respond.template: bad character U+007D '}'"},
		{"unknown resource", "'{{json (record \"patientz\" .PathParams.PatNum)}}'\n", 1,
			"t.yaml:7: scenario \"a\" rule \"rule-1\": record \"patientz\": the vendor has no such resource"},
		{"stored patient", "'{{json (record \"patients\" .PathParams.PatNum)}}'\n", 0, "0 problems"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "opendental")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			file := "scenarios:\n  - name: a\n    rules:\n      - match: {operations: [getPatient]}\n        respond:\n          status: 200\n          template: " + tc.template
			if err := os.WriteFile(filepath.Join(dir, "t.yaml"), []byte(file), 0o644); err != nil {
				t.Fatal(err)
			}
			args := [][]string{{"lint", "--spec", "opendental=../../specs/opendental/openapi.yaml", "--scenarios", filepath.Dir(dir)}}
			if tc.code != 0 {
				// serve stops at start-up with the same problem (before it listens).
				args = append(args, []string{"serve", "--spec", "opendental=../../specs/opendental/openapi.yaml", "--port", "0", "--scenarios", filepath.Dir(dir)})
			}
			for _, a := range args {
				var stdout, stderr bytes.Buffer
				err := run(context.Background(), a, &stdout, &stderr)
				all := stdout.String() + stderr.String()
				if err != nil {
					all += err.Error()
				}
				if code := exitCode(err); code != tc.code || !strings.Contains(all, tc.want) {
					t.Fatalf("%s: exit %d, want %d with %q: %s", a[0], code, tc.code, tc.want, all)
				}
				if tc.code != 0 && !strings.Contains(all, filepath.Join(dir, "t.yaml")) {
					t.Fatalf("%s: the problem does not name the file: %s", a[0], all)
				}
			}
		})
	}
}

// killOnceSaved waits until the child's state file holds want (autosave ran), then SIGKILLs the
// child: nothing after that point gets a chance to save.
func killOnceSaved(t *testing.T, cmd *exec.Cmd, file, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(file)
		if bytes.Contains(b, []byte(want)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("state file never got %q: %s", want, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
}

// stopServe cancels a serve started in-process and checks that it returns cleanly in time.
func stopServe(t *testing.T, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}
