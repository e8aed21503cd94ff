package mock

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/vendormock/vendormock/specs"
)

// credential is one security scheme's check: is a well-formed credential present?
type credential struct {
	scheme    string // scheme name in the description
	challenge string // WWW-Authenticate value for http schemes ("Bearer", "Basic")
	present   func(*http.Request) bool
	// value is the presented secret for --auth strict (nil: not checked, e.g. basic, mutual TLS);
	// apiKey marks apiKey schemes (checked against the vendor's listed keys).
	value  func(*http.Request) string
	apiKey bool
}

// alternative is one security requirement object: all of its schemes must be satisfied.
type alternative []credential

// compileSecurity turns the effective security requirement into checks. No alternatives, or an
// empty one, means anonymous access is allowed.
func compileSecurity(v *specs.Vendor, op *specs.Operation) ([]alternative, error) {
	var out []alternative
	for _, req := range op.Security {
		if req == nil || req.ContainsEmptyRequirement || req.Requirements == nil || req.Requirements.Len() == 0 {
			return nil, nil // an empty requirement makes credentials optional
		}
		var alt alternative
		for name := range req.Requirements.KeysFromOldest() {
			c, err := compileScheme(v, name)
			if err != nil {
				return nil, &specs.LoadError{File: v.Source.Display(), Pointer: op.Pointer + "/security", Err: err}
			}
			alt = append(alt, c)
		}
		out = append(out, alt)
	}
	return out, nil
}

func compileScheme(v *specs.Vendor, name string) (credential, error) {
	if v.Model.Components == nil || v.Model.Components.SecuritySchemes == nil {
		return credential{}, fmt.Errorf("security scheme %q is not defined in components.securitySchemes", name)
	}
	ss, ok := v.Model.Components.SecuritySchemes.Get(name)
	if !ok || ss == nil {
		return credential{}, fmt.Errorf("security scheme %q is not defined in components.securitySchemes", name)
	}
	c := credential{scheme: name}
	switch strings.ToLower(ss.Type) {
	case "http":
		scheme := strings.ToLower(ss.Scheme)
		switch scheme {
		case "basic":
			c.challenge = `Basic realm="vendormock"`
			c.present = func(r *http.Request) bool { _, _, ok := r.BasicAuth(); return ok }
		default:
			word := ss.Scheme
			if scheme == "bearer" {
				word = "Bearer"
			}
			c.challenge = word
			c.present = authPrefix(scheme)
			if scheme == "bearer" {
				c.value = bearerToken
			}
		}
	case "apikey":
		keyName := ss.Name
		switch strings.ToLower(ss.In) {
		case "header":
			c.value = func(r *http.Request) string { return strings.TrimSpace(r.Header.Get(keyName)) }
		case "query":
			c.value = func(r *http.Request) string { return r.URL.Query().Get(keyName) }
		case "cookie":
			c.value = func(r *http.Request) string {
				if ck, err := r.Cookie(keyName); err == nil {
					return ck.Value
				}
				return ""
			}
		default:
			return credential{}, fmt.Errorf("security scheme %q: apiKey location %q is not header, query or cookie", name, ss.In)
		}
		c.apiKey = true
		value := c.value
		c.present = func(r *http.Request) bool { return value(r) != "" }
	case "oauth2", "openidconnect":
		c.challenge = "Bearer"
		c.present = authPrefix("bearer")
		c.value = bearerToken
	case "mutualtls":
		c.present = func(*http.Request) bool { return true } // TLS client certificates are out of scope for a mock
	default:
		return credential{}, fmt.Errorf("security scheme %q: unknown type %q", name, ss.Type)
	}
	return c, nil
}

// authPrefix accepts "Authorization: <scheme> <non-empty token>" (scheme case-insensitive).
func authPrefix(scheme string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		h := r.Header.Get("Authorization")
		word, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(word, scheme) || strings.TrimSpace(token) == "" {
			return false
		}
		if scheme == "basic" {
			raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(token))
			return err == nil && strings.Contains(string(raw), ":")
		}
		return true
	}
}

// authorized reports whether any alternative is fully satisfied.
func (o *opRuntime) authorized(r *http.Request) bool {
	if len(o.security) == 0 {
		return true
	}
	for _, alt := range o.security {
		if alt.present(r) {
			return true
		}
	}
	return false
}

// present reports whether the request carries a well-formed credential for every scheme.
func (alt alternative) present(r *http.Request) bool {
	for _, c := range alt {
		if !c.present(r) {
			return false
		}
	}
	return true
}

// unauthorized answers 401 with the documented body and a challenge naming the expected schemes.
func (o *opRuntime) unauthorized(w http.ResponseWriter, req *request) {
	o.refuse(w, req, "")
}

// refuse answers 401 like unauthorized, with detail (when not empty) saying why the presented
// credentials were refused.
func (o *opRuntime) refuse(w http.ResponseWriter, req *request, detail string) {
	var names []string
	for _, alt := range o.security {
		var parts []string
		for _, c := range alt {
			parts = append(parts, c.scheme)
			if c.challenge != "" {
				w.Header().Add("WWW-Authenticate", c.challenge)
			}
		}
		names = append(names, strings.Join(parts, " + "))
	}
	// A description that documents only 403 for missing credentials (Django REST framework's
	// session auth) gets its documented refusal, not an undocumented 401.
	status := http.StatusUnauthorized
	if !o.op.Documents(http.StatusUnauthorized) && o.op.Documents(http.StatusForbidden) {
		status = http.StatusForbidden
	}
	if detail == "" {
		detail = "this operation requires credentials: " + strings.Join(names, " or ")
	}
	o.errorResponse(w, req, status, "credentials required", detail, nil)
}
