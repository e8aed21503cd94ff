package contract

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vendormock/vendormock/specs"
)

// auth holds the credentials of a run, logging in again when a token expires or is refused.
type auth struct {
	opts    *Options
	send    *sender
	red     *redactor
	mu      sync.Mutex
	values  map[string]string // scheme -> value, login tokens included
	expires time.Time
	gen     int // bumped on every login, so concurrent 401s log in once
}

func newAuth(opts *Options, s *sender, red *redactor) *auth {
	a := &auth{opts: opts, send: s, red: red, values: map[string]string{}}
	for k, v := range opts.Credentials.Schemes {
		a.values[k] = v
	}
	return a
}

// schemes returns the credential values to send now, logging in first when the token expired.
func (a *auth) schemes(ctx context.Context) (map[string]string, int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.opts.Login != nil && (a.gen == 0 || !a.expires.IsZero() && !a.opts.Now().Before(a.expires)) {
		if err := a.loginLocked(ctx); err != nil {
			return nil, a.gen, err
		}
	}
	out := make(map[string]string, len(a.values))
	for k, v := range a.values {
		out[k] = v
	}
	return out, a.gen, nil
}

// refresh logs in again after a 401, unless another worker already did since gen.
func (a *auth) refresh(ctx context.Context, gen int) (bool, error) {
	if a.opts.Login == nil {
		return false, nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.gen != gen {
		return true, nil
	}
	return true, a.loginLocked(ctx)
}

func (a *auth) loginLocked(ctx context.Context) error {
	l := a.opts.Login
	base := l.BaseURL
	if base == "" {
		base = a.opts.BaseURL
	}
	op := l.Operation
	h := http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}}
	ans, err := a.send.send(ctx, op.Method, strings.TrimSuffix(base, "/")+op.Path, h, l.Body)
	if err != nil {
		return fmt.Errorf("login %s: %w", op.ID, err)
	}
	if ans.Status < 200 || ans.Status > 299 {
		return fmt.Errorf("login %s: status %d: %w", op.ID, ans.Status, ErrAuth)
	}
	var doc any
	if err := json.Unmarshal(ans.Body, &doc); err != nil {
		return fmt.Errorf("login %s: answer is not JSON: %w", op.ID, ErrAuth)
	}
	tok, ok := lookup(doc, l.TokenPointer)
	s, isStr := tok.(string)
	if !ok || !isStr || s == "" {
		return fmt.Errorf("login %s: no token at %s in the answer: %w", op.ID, l.TokenPointer, ErrAuth)
	}
	a.red.add(s)
	names := l.Schemes
	if len(names) == 0 {
		names = tokenSchemes(a.opts.Vendor)
	}
	for _, n := range names {
		a.values[n] = s
	}
	a.gen++
	a.expires = time.Time{}
	if exp, ok := jwtExpiry(s); ok {
		a.expires = exp.Add(-30 * time.Second) // refresh a little early, clocks differ
	} else if l.TTL > 0 {
		a.expires = a.opts.Now().Add(l.TTL)
	}
	a.opts.Logger.DebugContext(ctx, "logged in", "operation", op.ID, "expires", a.expires)
	return nil
}

// tokenSchemes are the schemes a login token is sent for: http (bearer) and oauth2 schemes.
func tokenSchemes(v *specs.Vendor) []string {
	var out []string
	if v.Model.Components == nil || v.Model.Components.SecuritySchemes == nil {
		return nil
	}
	for name, ss := range v.Model.Components.SecuritySchemes.FromOldest() {
		switch strings.ToLower(ss.Type) {
		case "http":
			if !strings.EqualFold(ss.Scheme, "basic") {
				out = append(out, name)
			}
		case "oauth2", "openidconnect":
			out = append(out, name)
		}
	}
	return out
}

// jwtExpiry reads the exp claim of a JWT without verifying it (we only need to know when to renew).
func jwtExpiry(tok string) (time.Time, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return time.Time{}, false
	}
	var claims struct {
		Exp float64 `json:"exp"`
	}
	if json.Unmarshal(raw, &claims) != nil || claims.Exp == 0 {
		return time.Time{}, false
	}
	return time.Unix(int64(claims.Exp), 0), true
}

// credentialHeaders are the header names that carry the vendor's security schemes.
func credentialHeaders(v *specs.Vendor) map[string]bool {
	out := map[string]bool{"authorization": true, "cookie": true, "proxy-authorization": true}
	if v.Model.Components == nil || v.Model.Components.SecuritySchemes == nil {
		return out
	}
	for _, ss := range v.Model.Components.SecuritySchemes.FromOldest() {
		if strings.EqualFold(ss.Type, "apiKey") && strings.EqualFold(ss.In, "header") {
			out[strings.ToLower(ss.Name)] = true
		}
	}
	return out
}

// checkSchemes rejects credentials for schemes the description does not define.
func checkSchemes(v *specs.Vendor, names map[string]string) error {
	var known []string
	if v.Model.Components != nil && v.Model.Components.SecuritySchemes != nil {
		for name := range v.Model.Components.SecuritySchemes.KeysFromOldest() {
			known = append(known, name)
		}
	}
	for n := range names {
		found := false
		for _, k := range known {
			found = found || k == n
		}
		if !found {
			return errors.Join(ErrConfig, fmt.Errorf("security scheme %q is not defined by %s (known: %s)",
				n, v.Source.Display(), strings.Join(known, ", ")))
		}
	}
	return nil
}

// lookup resolves a JSON pointer in a decoded document.
func lookup(doc any, ptr string) (any, bool) {
	if ptr == "" || ptr == "/" {
		return doc, true
	}
	cur := doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			var i int
			if _, err := fmt.Sscanf(tok, "%d", &i); err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}
