package mock_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vendormock/vendormock/mock"
)

func loginIn(t *testing.T, srv http.Handler, session, email string) string {
	t.Helper()
	rec := call(t, srv, "POST", "/heydonto-auth/auth/login", `{"email":"`+email+`","password":"password123"}`,
		map[string]string{"Content-Type": "application/json", mock.SessionHeader: session})
	if rec.Code != 200 {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	tok, _ := decodeJSON(t, rec)["token"].(string)
	return tok
}

// currentUser reads /auth/user with a token and returns the status and body.
func currentUser(t *testing.T, srv http.Handler, tok string) (int, string) {
	t.Helper()
	rec := call(t, srv, "GET", "/heydonto-auth/auth/user", "", map[string]string{"Authorization": "Bearer " + tok})
	return rec.Code, rec.Body.String()
}

func wantUser(t *testing.T, srv http.Handler, what, tok string, code int, reason string) {
	t.Helper()
	got, body := currentUser(t, srv, tok)
	if got != code || !strings.Contains(body, reason) {
		t.Fatalf("%s: %d %s, want %d naming %q", what, got, body, code, reason)
	}
}

// TestIssue4_TokensAreState: issued tokens travel with GET/PUT /__admin/state, survive into a new
// server in strict mode (revocations too), and resets forget them: ?session= the tokens of
// logins in that session, a full reset all of them.
func TestIssue4_TokensAreState(t *testing.T) {
	a, _ := newAuthServer(t, true)
	def := loginIn(t, a, "", "dana@example.com")
	inS1 := loginIn(t, a, "s1", "sam@example.com")
	gone := loginIn(t, a, "", "lee@example.com")
	if rec := call(t, a, "POST", "/heydonto-auth/auth/logout", "", map[string]string{"Authorization": "Bearer " + gone}); rec.Code != 200 {
		t.Fatalf("logout: %d %s", rec.Code, rec.Body)
	}
	rec := call(t, a, "GET", "/__admin/state", "", nil)
	if rec.Code != 200 {
		t.Fatalf("export: %d %s", rec.Code, rec.Body)
	}
	doc := rec.Body.Bytes()
	var parsed struct {
		Extensions struct {
			Tokens struct {
				Seq    int
				Tokens []struct {
					Token, Vendor, Session, Subject string
					Revoked                         bool
				}
			}
		}
	}
	if err := json.Unmarshal(doc, &parsed); err != nil {
		t.Fatal(err)
	}
	toks := parsed.Extensions.Tokens.Tokens
	if len(toks) != 3 || toks[0].Token != def || toks[1].Session != "s1" || !toks[2].Revoked || toks[0].Vendor != "heydonto-auth" {
		t.Fatalf("exported tokens = %+v", parsed.Extensions.Tokens)
	}

	b, _ := newAuthServer(t, true)
	wantUser(t, b, "before import", def, 401, "not issued")
	if rec := call(t, b, "PUT", "/__admin/state", string(doc), nil); rec.Code != 204 {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	wantUser(t, b, "imported token", def, 200, "dana@example.com")
	wantUser(t, b, "imported token of session s1", inS1, 200, "sam@example.com")
	wantUser(t, b, "imported revoked token", gone, 401, "revoked")
	if again := call(t, b, "GET", "/__admin/state", "", nil); !bytes.Equal(again.Body.Bytes(), doc) {
		t.Fatalf("export after import differs:\n%s\nwant\n%s", again.Body, doc)
	}
	// A token issued after the import does not collide with imported ones.
	if fresh := loginIn(t, b, "", "dana@example.com"); fresh == def || fresh == inS1 {
		t.Fatal("a new login re-issued an imported token")
	}

	if rec := call(t, b, "POST", "/__admin/reset?session=s1", "", nil); rec.Code != 204 {
		t.Fatalf("reset s1: %d", rec.Code)
	}
	wantUser(t, b, "token of session s1 after its reset", inS1, 401, "not issued")
	wantUser(t, b, "default-session token after reset of s1", def, 200, "dana@example.com")
	if rec := call(t, b, "POST", "/__admin/reset", "", nil); rec.Code != 204 {
		t.Fatalf("reset: %d", rec.Code)
	}
	wantUser(t, b, "after a full reset", def, 401, "not issued")
	if rec := call(t, b, "GET", "/__admin/state", "", nil); strings.Contains(rec.Body.String(), "extensions") {
		t.Fatalf("state after a full reset still has tokens: %s", rec.Body)
	}
}

// TestIssue4_OldStateFileWithoutTokens: a state document written before tokens were saved
// still imports, and leaves no tokens.
func TestIssue4_OldStateFileWithoutTokens(t *testing.T) {
	srv, _ := newAuthServer(t, true)
	tok := loginIn(t, srv, "", "dana@example.com")
	old := `{"format":"vendormock-state","version":1,"sessions":{
"":{"collections":{}}}}`
	if rec := call(t, srv, "PUT", "/__admin/state", old, nil); rec.Code != 204 {
		t.Fatalf("import of an old document: %d %s", rec.Code, rec.Body)
	}
	wantUser(t, srv, "token after importing a document without tokens", tok, 401, "not issued")
	bad := `{"format":"vendormock-state","version":1,"sessions":{},"extensions":{"tokens":{"seq":1,"tokens":[{"token":"","vendor":"x","expires":"2026-01-01T00:00:00Z"}]}}}`
	rec := call(t, srv, "PUT", "/__admin/state", bad, nil)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "token 0: empty token") {
		t.Fatalf("import of a bad token: %d %s", rec.Code, rec.Body)
	}
}

// TestIssue4_TokensInStateFile: a login is a change the state file saves (autosave sees it),
// and a server loading the file accepts the token in strict mode until it expires.
func TestIssue4_TokensInStateFile(t *testing.T) {
	a, _ := newAuthServer(t, true)
	v := a.Store().Version()
	tok := loginIn(t, a, "", "dana@example.com")
	if a.Store().Version() == v {
		t.Fatal("a login did not count as a state change")
	}
	path := filepath.Join(t.TempDir(), "state.json")
	if err := a.Store().SaveFile(path); err != nil {
		t.Fatal(err)
	}
	b, clock := newAuthServer(t, true)
	if err := b.Store().LoadFile(path); err != nil {
		t.Fatal(err)
	}
	wantUser(t, b, "token loaded from the state file", tok, 200, "dana@example.com")
	clock.Advance(24 * time.Hour)
	wantUser(t, b, "loaded token past its expiry", tok, 401, "expired")
}
