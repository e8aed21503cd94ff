package mock_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vendormock/vendormock/fixtures"
	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/specs"
)

func newAuthServer(t *testing.T, strict bool, creds ...fixtures.Credentials) (*mock.Server, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	srv, err := mock.NewServer(mock.Options{Catalog: loadCatalog(t, specs.Bundled()...), Logger: slog.New(slog.DiscardHandler),
		Seed: 7, Now: clock.Now, AuthStrict: strict, Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	return srv, clock
}

// keysFor lists accepted keys of one vendor, as a credentials.json file or --api-key would.
func keysFor(vendor string, keys ...string) fixtures.Credentials {
	c := fixtures.Credentials{Path: "test/" + vendor + "/credentials.json", Vendor: vendor}
	for _, k := range keys {
		c.Keys = append(c.Keys, fixtures.Key{Key: k})
	}
	return c
}

// verifyJWT checks an HS256 signature with mock.TokenKey(seed) and returns the claims.
func verifyJWT(t *testing.T, tok string, seed int64) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWT", tok)
	}
	mac := hmac.New(sha256.New, mock.TokenKey(seed))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		t.Fatalf("token %q: bad signature", tok)
	}
	var head map[string]any
	raw, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if err := json.Unmarshal(raw, &head); err != nil || head["alg"] != "HS256" {
		t.Fatalf("header %s: want alg HS256", raw)
	}
	var claims map[string]any
	raw, _ = base64.RawURLEncoding.DecodeString(parts[1])
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatalf("claims %s: %v", raw, err)
	}
	return claims
}

func login(t *testing.T, srv http.Handler, email string) string {
	t.Helper()
	rec := call(t, srv, "POST", "/heydonto-auth/auth/login", `{"email":"`+email+`","password":"password123"}`,
		map[string]string{"Content-Type": "application/json"})
	if rec.Code != 200 {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	m := decodeJSON(t, rec)
	tok, _ := m["token"].(string)
	if tok == "" || m["accessToken"] != tok {
		t.Fatalf("login body %s: want token and accessToken set to the issued JWT", rec.Body)
	}
	return tok
}

func TestLoginIssuesSignedJWT(t *testing.T) {
	srv, _ := newAuthServer(t, false)
	claims := verifyJWT(t, login(t, srv, "dana@example.com"), 7)
	now := fixedNow().Unix()
	if claims["iat"] != float64(now) || claims["exp"] != float64(now+24*3600) {
		t.Errorf("iat/exp = %v/%v, want %d/%d", claims["iat"], claims["exp"], now, now+24*3600)
	}
	if claims["email"] != "dana@example.com" || claims["iss"] != "vendormock" || claims["sub"] == "" || claims["role"] == nil {
		t.Errorf("claims %v: want sub, email, role, iss", claims)
	}
}

func TestCurrentUserAnswersLoggedInUser(t *testing.T) {
	srv, _ := newAuthServer(t, false)
	tok := login(t, srv, "dana@example.com")
	claims := verifyJWT(t, tok, 7)
	rec := call(t, srv, "GET", "/heydonto-auth/auth/user", "", map[string]string{"Authorization": "Bearer " + tok})
	if rec.Code != 200 {
		t.Fatalf("GET /auth/user: %d %s", rec.Code, rec.Body)
	}
	m := decodeJSON(t, rec)
	if m["email"] != "dana@example.com" || m["id"] != claims["sub"] || m["role"] != claims["role"] {
		t.Errorf("current user %v: want email, id and role of the token %v", m, claims)
	}
	again := call(t, srv, "GET", "/heydonto-auth/auth/user", "", map[string]string{"Authorization": "Bearer " + tok})
	if again.Body.String() != rec.Body.String() {
		t.Errorf("current user is not stable:\n%s\n%s", rec.Body, again.Body)
	}
}

func TestStrictAuth(t *testing.T) {
	srv, clock := newAuthServer(t, true, keysFor("heydonto-auth", "static-key"))
	user := "/heydonto-auth/auth/user"
	for _, tc := range []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"unknown token", bearer, 401},
		{"listed key as bearer", map[string]string{"Authorization": "Bearer static-key"}, 200},
	} {
		if rec := call(t, srv, "GET", user, "", tc.header); rec.Code != tc.want {
			t.Errorf("%s: %d, want %d: %s", tc.name, rec.Code, tc.want, rec.Body)
		}
	}

	tok := login(t, srv, "dana@example.com")
	auth := map[string]string{"Authorization": "Bearer " + tok}
	if rec := call(t, srv, "GET", user, "", auth); rec.Code != 200 {
		t.Fatalf("issued token: %d %s", rec.Code, rec.Body)
	}
	if rec := call(t, srv, "POST", "/heydonto-auth/auth/logout", "", auth); rec.Code != 200 {
		t.Fatalf("logout: %d %s", rec.Code, rec.Body)
	}
	rec := call(t, srv, "GET", user, "", auth)
	if rec.Code != 401 || !strings.Contains(rec.Body.String(), "revoked") {
		t.Fatalf("after logout: %d %s, want 401 naming the revocation", rec.Code, rec.Body)
	}
	if rec.Header().Get("WWW-Authenticate") != "Bearer" {
		t.Errorf("WWW-Authenticate = %q", rec.Header().Get("WWW-Authenticate"))
	}
	var unauthorized map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &unauthorized); err != nil {
		t.Fatalf("401 body is not HeyDonto's JSON error: %s", rec.Body)
	}
	if _, ok := unauthorized["statusCode"]; !ok {
		t.Errorf("401 body %s: want HeyDonto's {statusCode, message} shape", rec.Body)
	}

	tok = login(t, srv, "dana@example.com")
	auth = map[string]string{"Authorization": "Bearer " + tok}
	clock.Advance(24*time.Hour - time.Second)
	if rec := call(t, srv, "GET", user, "", auth); rec.Code != 200 {
		t.Fatalf("1 s before expiry: %d %s", rec.Code, rec.Body)
	}
	clock.Advance(time.Second)
	if rec := call(t, srv, "GET", user, "", auth); rec.Code != 401 || !strings.Contains(rec.Body.String(), "expired") {
		t.Fatalf("at expiry: %d %s, want 401 naming the expiry", rec.Code, rec.Body)
	}
}

func TestPermissiveAcceptsAnyBearer(t *testing.T) {
	srv, _ := newAuthServer(t, false)
	if rec := call(t, srv, "GET", "/heydonto-auth/auth/user", "", bearer); rec.Code != 200 {
		t.Fatalf("any bearer: %d %s", rec.Code, rec.Body)
	}
	if rec := call(t, srv, "GET", "/heydonto-auth/auth/user", "", nil); rec.Code != 401 {
		t.Fatalf("no credentials: %d %s", rec.Code, rec.Body)
	}
}

func TestSynchronizerActivateAndRefresh(t *testing.T) {
	srv, _ := newAuthServer(t, true)
	ct := map[string]string{"Content-Type": "application/json"}
	rec := call(t, srv, "POST", "/heydonto-auth/auth/synchronizer/activate",
		`{"licenseKey":"SITE-LICENSE-KEY-123","deviceId":"DEVICE-ABC-123","version":"1.0.0","hostname":"h"}`, ct)
	if rec.Code != 200 {
		t.Fatalf("activate: %d %s", rec.Code, rec.Body)
	}
	m := decodeJSON(t, rec)
	refresh, _ := m["refreshToken"].(string)
	if m["expiresIn"] != float64(24*3600) || refresh == "" {
		t.Fatalf("activate body %s: want tokens and expiresIn", rec.Body)
	}
	verifyJWT(t, m["accessToken"].(string), 7)
	body := `{"refreshToken":"` + refresh + `","deviceId":"DEVICE-ABC-123"}`
	if rec := call(t, srv, "POST", "/heydonto-auth/auth/synchronizer/refresh", body, ct); rec.Code != 200 {
		t.Fatalf("refresh: %d %s", rec.Code, rec.Body)
	}
	if rec := call(t, srv, "POST", "/heydonto-auth/auth/synchronizer/refresh", body, ct); rec.Code != 401 {
		t.Fatalf("reused refresh token: %d %s, want 401 (rotated)", rec.Code, rec.Body)
	}
}

func TestHeroHealthAccessToken(t *testing.T) {
	srv, clock := newAuthServer(t, true, keysFor("herohealth", "partner-key"))
	hero := map[string]string{"x-api-key": "partner-key", "x-practice-group-id": "12"}
	if rec := call(t, srv, "POST", "/herohealth/v1/access_token", "", with(hero, "x-api-key", "other")); rec.Code != 401 {
		t.Fatalf("unlisted key in strict mode: %d %s", rec.Code, rec.Body)
	}
	rec := call(t, srv, "POST", "/herohealth/v1/access_token", "", hero)
	if rec.Code != 200 {
		t.Fatalf("access_token: %d %s", rec.Code, rec.Body)
	}
	claims := verifyJWT(t, decodeJSON(t, rec)["access_token"].(string), 7)
	if claims["exp"] != float64(clock.Now().Add(30*time.Minute).Unix()) || claims["sub"] == "" {
		t.Errorf("claims %v: want the documented 30 minutes and a subject", claims)
	}
	if rec := call(t, srv, "GET", "/herohealth/v1/admins", "", hero); rec.Code != 200 {
		t.Fatalf("listed key: %d %s", rec.Code, rec.Body)
	}
}

// TestSynchronizerDeactivateRevokes: deactivating a device revokes its access and refresh
// tokens (across a refresh, which keeps the device); other devices keep theirs.
func TestSynchronizerDeactivateRevokes(t *testing.T) {
	srv, _ := newAuthServer(t, true)
	ct := map[string]string{"Content-Type": "application/json"}
	activate := func(device string) (string, string) {
		t.Helper()
		rec := call(t, srv, "POST", "/heydonto-auth/auth/synchronizer/activate",
			`{"licenseKey":"SITE-LICENSE-KEY-123","deviceId":"`+device+`","version":"1.0.0"}`, ct)
		if rec.Code != 200 {
			t.Fatalf("activate %s: %d %s", device, rec.Code, rec.Body)
		}
		m := decodeJSON(t, rec)
		return m["accessToken"].(string), m["refreshToken"].(string)
	}
	heartbeat := func(device, tok string) int {
		t.Helper()
		return call(t, srv, "POST", "/heydonto-auth/auth/synchronizer/heartbeat",
			`{"deviceId":"`+device+`","siteId":1,"status":"healthy"}`, with(ct, "Authorization", "Bearer "+tok)).Code
	}
	firstAccess, refresh := activate("DEVICE-A")
	rec := call(t, srv, "POST", "/heydonto-auth/auth/synchronizer/refresh", `{"refreshToken":"`+refresh+`","deviceId":"DEVICE-A"}`, ct)
	if rec.Code != 200 {
		t.Fatalf("refresh: %d %s", rec.Code, rec.Body)
	}
	m := decodeJSON(t, rec)
	access, refresh := m["accessToken"].(string), m["refreshToken"].(string)
	otherAccess, _ := activate("DEVICE-B")
	for _, tok := range []string{firstAccess, access} {
		if code := heartbeat("DEVICE-A", tok); code != 200 {
			t.Fatalf("heartbeat before deactivation: %d", code)
		}
	}
	if rec := call(t, srv, "POST", "/heydonto-auth/auth/synchronizer/deactivate",
		`{"licenseKey":"SITE-LICENSE-KEY-123","deviceId":"DEVICE-A"}`, ct); rec.Code != 200 {
		t.Fatalf("deactivate: %d %s", rec.Code, rec.Body)
	}
	for name, tok := range map[string]string{"first access token": firstAccess, "refreshed access token": access} {
		rec := call(t, srv, "POST", "/heydonto-auth/auth/synchronizer/heartbeat",
			`{"deviceId":"DEVICE-A","siteId":1,"status":"healthy"}`, with(ct, "Authorization", "Bearer "+tok))
		if rec.Code != 401 || !strings.Contains(rec.Body.String(), "revoked") {
			t.Errorf("%s after deactivation: %d %s, want 401 naming the revocation", name, rec.Code, rec.Body)
		}
	}
	if rec := call(t, srv, "POST", "/heydonto-auth/auth/synchronizer/refresh", `{"refreshToken":"`+refresh+`","deviceId":"DEVICE-A"}`, ct); rec.Code != 401 {
		t.Errorf("refresh token after deactivation: %d %s, want 401", rec.Code, rec.Body)
	}
	if code := heartbeat("DEVICE-B", otherAccess); code != 200 {
		t.Errorf("another device after DEVICE-A's deactivation: %d, want 200", code)
	}
}

// TestLogoutRevokesCookieToken: a login documents Set-Cookie, so it sets the auth cookie to the
// issued token; a logout that presents the token only as a cookie (a browser) revokes it and
// clears the cookie.
func TestLogoutRevokesCookieToken(t *testing.T) {
	srv, _ := newAuthServer(t, true)
	ct := map[string]string{"Content-Type": "application/json"}
	loginCookie := func() (string, *http.Cookie) {
		t.Helper()
		rec := call(t, srv, "POST", "/heydonto-auth/auth/login", `{"email":"dana@example.com","password":"password123"}`, ct)
		if rec.Code != 200 {
			t.Fatalf("login: %d %s", rec.Code, rec.Body)
		}
		tok := decodeJSON(t, rec)["token"].(string)
		cookies := rec.Result().Cookies()
		if len(cookies) != 1 || cookies[0].Value != tok || !cookies[0].HttpOnly || cookies[0].MaxAge != 24*3600 {
			t.Fatalf("login Set-Cookie %q: want the issued token, HttpOnly, for 24 h", rec.Header().Values("Set-Cookie"))
		}
		return tok, cookies[0]
	}
	for _, tc := range []struct {
		name   string
		cookie func(c *http.Cookie) string
	}{
		{"the login's cookie", func(c *http.Cookie) string { return c.Name + "=" + c.Value }},
		{"a cookie of another name", func(c *http.Cookie) string { return "theme=dark; session=" + c.Value }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok, cookie := loginCookie()
			bystander := login(t, srv, "sam@example.com")
			rec := call(t, srv, "POST", "/heydonto-auth/auth/logout", "", map[string]string{"Cookie": tc.cookie(cookie)})
			if rec.Code != 200 {
				t.Fatalf("logout: %d %s", rec.Code, rec.Body)
			}
			if c := rec.Result().Cookies(); len(c) != 1 || c[0].Name != cookie.Name || c[0].Value != "" || c[0].MaxAge >= 0 {
				t.Errorf("logout Set-Cookie %q: want the auth cookie cleared", rec.Header().Values("Set-Cookie"))
			}
			wantUser(t, srv, "cookie token after logout", tok, 401, "revoked")
			wantUser(t, srv, "another user's token", bystander, 200, "sam@example.com")
		})
	}
	tok, _ := loginCookie()
	if rec := call(t, srv, "POST", "/heydonto-auth/auth/logout", "", map[string]string{"Cookie": "access_token=not-issued"}); rec.Code != 200 {
		t.Fatalf("logout with an unknown cookie: %d", rec.Code)
	}
	wantUser(t, srv, "token after a logout that did not present it", tok, 200, "dana@example.com")
}
