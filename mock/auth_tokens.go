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
	subject string
	user    string // key of the generated current-user record
	claims  map[string]any
	expires time.Time
	revoked bool
}

// tokenRegistry remembers the tokens issued by login operations (all sessions share it).
type tokenRegistry struct {
	key  []byte
	now  func() time.Time
	mu   sync.Mutex
	seq  int
	byID map[string]*issued
}

func newTokenRegistry(seed int64, now func() time.Time) *tokenRegistry {
	return &tokenRegistry{key: TokenKey(seed), now: now, byID: map[string]*issued{}}
}

// TokenKey is the HS256 key the mock signs JWTs with for a seed (deterministic, so tests and
// restarted servers verify the same tokens).
func TokenKey(seed int64) []byte {
	sum := sha256.Sum256([]byte("vendormock/jwt/" + strconv.FormatInt(seed, 10)))
	return sum[:]
}

// issue records a token; jwt selects a signed HS256 JWT, else an opaque token.
func (t *tokenRegistry) issue(vendor, subject, user string, claims map[string]any, life time.Duration, jwt bool) (string, *issued) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seq++
	now := t.now()
	it := &issued{vendor: vendor, subject: subject, user: user, claims: claims, expires: now.Add(life)}
	var tok string
	if jwt {
		c := map[string]any{"sub": subject, "iat": now.Unix(), "exp": it.expires.Unix(), "iss": jwtIssuer, "jti": strconv.Itoa(t.seq)}
		for k, v := range claims {
			c[k] = v
		}
		it.claims = c
		tok = signJWT(t.key, c)
	} else {
		mac := hmac.New(sha256.New, t.key)
		mac.Write([]byte(vendor + "\x00" + subject + "\x00" + strconv.Itoa(t.seq)))
		tok = "vm_" + hex.EncodeToString(mac.Sum(nil)[:20])
	}
	t.byID[tok] = it
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
	if ok {
		it.revoked = true
	}
	return ok
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
