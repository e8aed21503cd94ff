package mock

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"sync"
	"time"
)

// issued is one token the mock handed out.
type issued struct {
	vendor  string
	session string // the X-Vendormock-Session of the login ("" for the default session)
	subject string
	user    string // key of the generated current-user record
	device  string // the device a synchronizer token was issued to ("" for user logins)
	claims  map[string]any
	expires time.Time
	revoked bool
	n       int // issue order, for a deterministic export
}

// tokenRegistry remembers the tokens issued by login operations. Every session accepts every
// live token; a token belongs to the session it was issued in for resets. It is part of the
// state document (a state.Extension named "tokens").
type tokenRegistry struct {
	key     []byte
	now     func() time.Time
	changed func() // tells the store that the state changed (autosave); nil until attached
	mu      sync.Mutex
	seq     int
	byID    map[string]*issued
}

func newTokenRegistry(seed int64, now func() time.Time) *tokenRegistry {
	return &tokenRegistry{key: TokenKey(seed), now: now, byID: map[string]*issued{}}
}

// grant says who a token is for: the login's vendor and session, the user and the device.
type grant struct {
	vendor, session, subject, user, device string
	claims                                 map[string]any
}

func (t *tokenRegistry) touch() {
	if t.changed != nil {
		t.changed()
	}
}

// TokenKey is the HS256 key the mock signs JWTs with for a seed (deterministic, so tests and
// restarted servers verify the same tokens).
func TokenKey(seed int64) []byte {
	sum := sha256.Sum256([]byte("vendormock/jwt/" + strconv.FormatInt(seed, 10)))
	return sum[:]
}

// issue records a token; jwt selects a signed HS256 JWT, else an opaque token.
func (t *tokenRegistry) issue(g grant, life time.Duration, jwt bool) (string, *issued) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seq++
	now := t.now()
	it := &issued{vendor: g.vendor, session: g.session, subject: g.subject, user: g.user, device: g.device,
		claims: g.claims, expires: now.Add(life), n: t.seq}
	var tok string
	if jwt {
		c := map[string]any{"sub": g.subject, "iat": now.Unix(), "exp": it.expires.Unix(), "iss": jwtIssuer, "jti": strconv.Itoa(t.seq)}
		for k, v := range g.claims {
			c[k] = v
		}
		it.claims = c
		tok = signJWT(t.key, c)
	} else {
		mac := hmac.New(sha256.New, t.key)
		mac.Write([]byte(g.vendor + "\x00" + g.subject + "\x00" + strconv.Itoa(t.seq)))
		tok = "vm_" + hex.EncodeToString(mac.Sum(nil)[:20])
	}
	t.byID[tok] = it
	t.touch()
	return tok, it
}

// check says why a token is not acceptable ("" when it is), and who it belongs to.
func (t *tokenRegistry) check(tok string) (*issued, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	it, ok := t.byID[tok]
	if !ok {
		return nil, "the token was not issued by this server"
	}
	if it.revoked {
		return it, "the token has been revoked (logged out)"
	}
	if !t.now().Before(it.expires) {
		return it, "the token expired at " + it.expires.UTC().Format(time.RFC3339)
	}
	return it, ""
}

func (t *tokenRegistry) revoke(tok string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	it, ok := t.byID[tok]
	if ok && !it.revoked {
		it.revoked = true
		t.touch()
	}
	return ok
}

// revokeDevice revokes every token issued to a device by a vendor's family (a synchronizer
// deactivation) and returns how many were live.
func (t *tokenRegistry) revokeDevice(family, device string) int {
	if device == "" {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, it := range t.byID {
		if it.device == device && tokenFamily(it.vendor) == family && !it.revoked {
			it.revoked = true
			n++
		}
	}
	if n > 0 {
		t.touch()
	}
	return n
}

func signJWT(key []byte, claims map[string]any) string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload, _ := json.Marshal(claims) // claims are strings and numbers
	signing := head + "." + enc.EncodeToString(payload)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(signing))
	return signing + "." + enc.EncodeToString(mac.Sum(nil))
}
