package fake

import (
	"encoding/base64"
	"math"
	"net"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// check reports whether v satisfies p. It is the package's own validator and
// gates hints, examples, pattern output and oneOf exclusivity. Required
// properties excluded by dir (readOnly in requests, writeOnly in responses)
// are not demanded.
func (p *plan) check(v any, dir Direction) bool {
	if p == nil {
		return true
	}
	if p.never {
		return false
	}
	t := typeOf(v)
	if t == 0 || p.types&t == 0 {
		return false
	}
	if p.hasConst && !jsonEqual(p.constV, v) {
		return false
	}
	if p.hasEnum && !inEnum(p.enum, v) {
		return false
	}
	switch x := v.(type) {
	case int64, float64, int:
		f, _ := toFloat(x)
		if !p.numberOK(f) {
			return false
		}
	case string:
		if !p.stringOK(x) {
			return false
		}
	case []any:
		if !p.arrayOK(x, dir) {
			return false
		}
	case map[string]any:
		if !p.objectOK(x, dir) {
			return false
		}
	}
	for _, gr := range p.groups {
		n := 0
		for _, b := range gr.raw {
			if b.get().check(v, dir) {
				n++
			}
		}
		if n == 0 || (gr.one && n > 1) {
			return false
		}
	}
	for _, np := range p.not {
		if np.get().check(v, dir) {
			return false
		}
	}
	return true
}

func inEnum(enum []any, v any) bool {
	for _, e := range enum {
		if jsonEqual(e, v) {
			return true
		}
	}
	return false
}

func (p *plan) numberOK(f float64) bool {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return false
	}
	if p.hasLo && (f < p.lo || (p.loEx && f == p.lo)) {
		return false
	}
	if p.hasHi && (f > p.hi || (p.hiEx && f == p.hi)) {
		return false
	}
	for _, m := range p.multipleOf {
		if !isMultiple(f, m) {
			return false
		}
	}
	return true
}

// isMultiple reports whether f is an integer multiple of m, tolerating the
// rounding of decimal multipliers.
func isMultiple(f, m float64) bool {
	q := f / m
	r := math.Round(q)
	return math.Abs(q-r) <= 1e-9*math.Max(1, math.Abs(q))
}

func (p *plan) stringOK(s string) bool {
	if p.minLen > 0 || p.maxLen >= 0 {
		n := utf8.RuneCountInString(s)
		if n < p.minLen || (p.maxLen >= 0 && n > p.maxLen) {
			return false
		}
	}
	for _, pp := range p.patterns {
		if !pp.re.MatchString(s) {
			return false
		}
	}
	return formatOK(p.format, s)
}

// formatOK checks the string formats vendormock generates.
func formatOK(format, s string) bool {
	switch format {
	case "date":
		_, err := time.Parse("2006-01-02", s)
		return err == nil
	case "date-time":
		_, err := time.Parse(time.RFC3339Nano, s)
		return err == nil && strings.ContainsAny(s[10:11], "Tt")
	case "time":
		_, err := time.Parse("15:04:05Z07:00", s)
		if err != nil {
			_, err = time.Parse("15:04:05.999999999Z07:00", s)
		}
		return err == nil
	case "email", "idn-email":
		return isEmail(s)
	case "uuid":
		return isUUID(s)
	case "uri", "url":
		u, err := url.Parse(s)
		return err == nil && u.Scheme != "" && u.Host != ""
	case "ipv4":
		ip := net.ParseIP(s)
		return ip != nil && ip.To4() != nil && strings.Count(s, ".") == 3 && !strings.Contains(s, ":")
	case "ipv6":
		ip := net.ParseIP(s)
		return ip != nil && strings.Contains(s, ":")
	case "hostname":
		return isHostname(s)
	case "byte":
		_, err := base64.StdEncoding.DecodeString(s)
		return err == nil
	}
	return true
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func isHostname(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			c := s[i]
			if !(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
				return false
			}
			continue
		}
		label := s[start:i]
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		start = i + 1
	}
	return true
}

func (p *plan) arrayOK(a []any, dir Direction) bool {
	if len(a) < p.minItems || (p.maxItems >= 0 && len(a) > p.maxItems) {
		return false
	}
	for i, e := range a {
		var sub *plan
		switch {
		case i < len(p.prefix):
			sub = p.prefix[i].get()
		case p.itemsFalse:
			return false
		default:
			sub = p.items.get()
		}
		if !sub.check(e, dir) {
			return false
		}
	}
	if p.unique && len(a) > 1 {
		seen := make(map[string]struct{}, len(a))
		for _, e := range a {
			k := canonical(e)
			if _, dup := seen[k]; dup {
				return false
			}
			seen[k] = struct{}{}
		}
	}
	return true
}

func (p *plan) objectOK(m map[string]any, dir Direction) bool {
	if len(m) < p.minProps || (p.maxProps >= 0 && len(m) > p.maxProps) {
		return false
	}
	declared := 0
	for i := range p.props {
		pr := &p.props[i]
		v, ok := m[pr.name]
		if !ok {
			if pr.required && !pr.excluded(dir) {
				return false
			}
			continue
		}
		declared++
		if !pr.sub.get().check(v, dir) {
			return false
		}
	}
	if declared == len(m) && len(p.patternProps) == 0 && p.propertyNames == nil {
		return true
	}
	for k, v := range m {
		if p.propertyNames != nil && !p.propertyNames.get().check(k, dir) {
			return false
		}
		if p.hasProp(k) {
			continue
		}
		matched := false
		for i, re := range p.patternProps {
			if re.MatchString(k) {
				matched = true
				if !p.patternPlans[i].get().check(v, dir) {
					return false
				}
			}
		}
		if matched {
			continue
		}
		if p.addlFalse {
			return false
		}
		if p.addl != nil && !p.addl.get().check(v, dir) {
			return false
		}
	}
	return true
}

func (p *plan) hasProp(name string) bool {
	for i := range p.props {
		if p.props[i].name == name {
			return true
		}
	}
	return false
}

// excluded reports whether the property is never emitted in dir.
func (pr *prop) excluded(dir Direction) bool {
	return (dir == Response && pr.writeOnly) || (dir == Request && pr.readOnly)
}

// isEmail accepts the simple dot-atom addresses vendormock generates
// (local@host.tld); it is deliberately stricter than RFC 5322.
func isEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at != strings.LastIndexByte(s, '@') || at > 64 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._%+-", c) >= 0) {
			return false
		}
	}
	return strings.IndexByte(domain, '.') > 0 && isHostname(domain)
}
