package mock

import (
	"fmt"
	"sort"
	"strings"
)

// applyCredentials installs each vendor's accepted keys (credentials.json files, --api-key),
// checking that the vendor is served and that a named scheme is one strict mode checks.
func (s *Server) applyCredentials() error {
	for _, c := range s.opts.Credentials {
		vr := s.vendorNamed(c.Vendor)
		if vr == nil {
			if c.Optional {
				continue
			}
			return fmt.Errorf("%s: no vendor %q is served", c.Where(), c.Vendor)
		}
		for i, k := range c.Keys {
			if k.Key == "" {
				return fmt.Errorf("%s: %s: empty key", c.Where(), c.Entry(i))
			}
			if k.Scheme != "" {
				if err := vr.checkedScheme(k.Scheme); err != nil {
					return fmt.Errorf("%s: %s: %w", c.Where(), c.Entry(i), err)
				}
			}
			if vr.keys == nil {
				vr.keys = map[string][]string{}
			}
			vr.keys[k.Key] = append(vr.keys[k.Key], k.Scheme)
		}
	}
	return nil
}

// checkedScheme says why keys cannot be listed for a security scheme (nil when they can):
// strict mode checks apiKey values and bearer tokens, not basic credentials or certificates.
func (vr *vendorRuntime) checkedScheme(name string) error {
	var known []string
	if c := vr.v.Model.Components; c != nil && c.SecuritySchemes != nil {
		for n, ss := range c.SecuritySchemes.FromOldest() {
			if ss == nil {
				continue
			}
			checked := false
			switch strings.ToLower(ss.Type) {
			case "apikey", "oauth2", "openidconnect":
				checked = true
			case "http":
				checked = strings.EqualFold(ss.Scheme, "bearer")
			}
			if n == name {
				if !checked {
					return fmt.Errorf("scheme %q (%s %s) is not checked in strict mode: only apiKey and bearer credentials are", name, ss.Type, ss.Scheme)
				}
				return nil
			}
			if checked {
				known = append(known, n)
			}
		}
	}
	sort.Strings(known)
	if len(known) == 0 {
		return fmt.Errorf("scheme %q: %s has no apiKey or bearer security scheme", name, vr.v.Name)
	}
	return fmt.Errorf("scheme %q is not a security scheme of %s (want one of %s)", name, vr.v.Name, strings.Join(known, ", "))
}

// knownKey reports whether v is a listed key of this vendor for the scheme.
func (vr *vendorRuntime) knownKey(scheme, v string) bool {
	for _, sc := range vr.keys[v] {
		if sc == "" || sc == scheme {
			return true
		}
	}
	return false
}

// tokenFamily is the part of a vendor name before its first "-": a token issued by one vendor is
// accepted by the vendors of its family (heydonto-auth issues the JWTs /heydonto accepts), never
// by another vendor.
func tokenFamily(vendor string) string {
	f, _, _ := strings.Cut(vendor, "-")
	return f
}

// acceptsToken reports whether this vendor accepts a token issued by another one.
func (vr *vendorRuntime) acceptsToken(it *issued) bool {
	return it != nil && tokenFamily(it.vendor) == tokenFamily(vr.v.Name)
}
