package contract_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vendormock/vendormock/contract"
	"github.com/vendormock/vendormock/specs"
)

// jwt builds an unsigned token with an exp claim (the runner only reads exp).
func jwt(exp time.Time, n int) string {
	enc := base64.RawURLEncoding
	claims := fmt.Sprintf(`{"exp":%d,"n":%d}`, exp.Unix(), n)
	return enc.EncodeToString([]byte(`{"alg":"none"}`)) + "." + enc.EncodeToString([]byte(claims)) + ".sig"
}

// authServer is a sandbox behind a login: tokens are JWTs valid for an hour by the fake clock;
// revokeAfter > 0 revokes the current token after that many checked requests.
type authServer struct {
	clock       *fakeClock
	revokeAfter int

	mu       sync.Mutex
	logins   int
	requests int
	refused  int // requests with a token that was revoked or expired
	valid    map[string]bool
}

func (a *authServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	if r.URL.Path == "/auth/login" {
		defer a.mu.Unlock()
		var body map[string]string
		if json.NewDecoder(r.Body).Decode(&body) != nil || body["password"] != "hunter2-password" {
			w.WriteHeader(401)
			return
		}
		a.logins++
		tok := jwt(a.clock.Now().Add(time.Hour), a.logins)
		a.valid = map[string]bool{tok: true} // a new login revokes the old token
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"data":{"token":%q}}`, tok)
		return
	}
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	ok := a.valid[tok] && a.clock.Now().Before(expiry(tok))
	a.requests++
	if tok != "" && !ok {
		a.refused++
	}
	if a.revokeAfter > 0 && a.requests == a.revokeAfter {
		a.valid = map[string]bool{}
	}
	a.mu.Unlock()
	if ok {
		r.Header.Set("Authorization", "Bearer "+goodToken)
	}
	(&sandbox{}).ServeHTTP(w, r)
}

func expiry(tok string) time.Time {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return time.Time{}
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var c struct{ Exp int64 }
	json.Unmarshal(raw, &c)
	return time.Unix(c.Exp, 0)
}

func loginOperation(t *testing.T) *specs.Operation {
	t.Helper()
	cat, err := specs.Load(t.Context(), []specs.Source{{Name: "auth", Path: "testdata/auth.yaml"}}, specs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	op, err := cat.Operation("auth", "login")
	if err != nil {
		t.Fatal(err)
	}
	return op
}

// TestLoginAndRefresh logs in with the body from the options, sends the token, logs in again
// when the token expires by the injected clock or is refused with 401, and keeps both the login
// body and the tokens out of reports.
func TestLoginAndRefresh(t *testing.T) {
	v := driftVendor(t)
	for _, tc := range []struct {
		name        string
		rate        float64 // a slow rate moves the fake clock past the token's expiry
		revokeAfter int
		wantLogins  int
		wantRefused int
	}{
		{name: "one login", wantLogins: 1},
		{name: "expiry", rate: 1.0 / 1000, wantLogins: 2},
		{name: "401", revokeAfter: 4, wantLogins: 2, wantRefused: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			as := &authServer{clock: clock, revokeAfter: tc.revokeAfter}
			ts := httptest.NewServer(as)
			defer ts.Close()
			opts := driftOptions(t, v, ts)
			opts.Now, opts.Sleep, opts.Rate = clock.Now, clock.Sleep, tc.rate
			opts.Credentials = contract.Credentials{}
			opts.Login = &contract.Login{Operation: loginOperation(t),
				Body: []byte(`{"email":"qa@clinic.example","password":"hunter2-password"}`), TokenPointer: "/data/token"}
			rep := run(t, opts, nil)
			if fs := rep.Findings(); len(fs) > 0 {
				t.Fatalf("findings with a login token:\n%s", findingLines(fs))
			}
			if as.logins != tc.wantLogins || as.refused != tc.wantRefused {
				t.Errorf("logins = %d, refused = %d; want %d, %d", as.logins, as.refused, tc.wantLogins, tc.wantRefused)
			}
			var buf strings.Builder
			if err := contract.WriteJSON(&buf, rep); err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{"hunter2-password", "qa@clinic.example", "eyJ"} {
				if strings.Contains(buf.String(), s) {
					t.Errorf("report contains %q", s)
				}
			}
		})
	}
	t.Run("refused", func(t *testing.T) {
		ts := httptest.NewServer(&authServer{clock: newFakeClock()})
		defer ts.Close()
		opts := driftOptions(t, v, ts)
		opts.Credentials = contract.Credentials{}
		opts.Login = &contract.Login{Operation: loginOperation(t), Body: []byte(`{"password":"wrong"}`), TokenPointer: "/data/token"}
		if _, err := contract.Run(t.Context(), opts, nil); !errors.Is(err, contract.ErrAuth) {
			t.Errorf("refused login: err = %v, want ErrAuth", err)
		}
	})
}
