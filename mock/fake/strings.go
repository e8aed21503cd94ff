package fake

import (
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"
)

// str generates a string for p: format first, then pattern, then plain text.
func (c *genCtx) str(p *plan) any {
	if p.format != "" {
		if v, ok := c.formatValue(p.format); ok && p.stringOK(v) {
			return v
		}
	}
	if len(p.patterns) > 0 {
		ok := func(s string) bool { return p.stringOK(s) }
		for _, pp := range p.patterns {
			if s, err := pp.generate(c, p.minLen, p.maxLen, ok); err == nil {
				return s
			}
		}
	}
	return c.text(p.minLen, p.maxLen)
}

// formatValue produces a value for a string format.
func (c *genCtx) formatValue(format string) (string, bool) {
	switch format {
	case "date":
		return c.pastTime(2 * 365 * 24 * time.Hour).Format(time.DateOnly), true
	case "date-time":
		return c.pastTime(365 * 24 * time.Hour).Format(time.RFC3339), true
	case "time":
		return c.pastTime(24 * time.Hour).Format("15:04:05Z"), true
	case "email", "idn-email":
		return strings.ToLower(c.f.Email()), true
	case "uuid":
		return c.f.UUID(), true
	case "uri", "url", "iri", "uri-reference", "iri-reference":
		return c.f.URL(), true
	case "ipv4":
		return c.f.IPv4Address(), true
	case "ipv6":
		return c.f.IPv6Address(), true
	case "hostname", "idn-hostname":
		return strings.ToLower(c.f.DomainName()), true
	case "byte":
		b := make([]byte, c.between(6, 18))
		for i := range b {
			b[i] = byte(c.intn(256))
		}
		return base64.StdEncoding.EncodeToString(b), true
	case "binary":
		return c.letters(c.between(8, 16), alnum), true
	case "password":
		return c.f.Password(true, true, true, false, false, 14), true
	case "int32", "int64":
		return c.letters(c.between(1, 6), "0123456789"), true
	}
	return "", false
}

// pastTime returns a time in (now-window, now], second precision, UTC.
func (c *genCtx) pastTime(window time.Duration) time.Time {
	secs := int64(window / time.Second)
	return c.now.Add(-time.Duration(1+c.span(secs-1)) * time.Second).UTC()
}

// letters returns n runes drawn from set.
func (c *genCtx) letters(n int, set string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[c.intn(len(set))]
	}
	return string(b)
}

// text produces readable words whose rune length is in [minLen, maxLen].
func (c *genCtx) text(minLen, maxLen int) string {
	if maxLen >= 0 && maxLen < 4 {
		return c.letters(c.between(minLen, maxLen), "ABCDEFGHJKLMNPRSTUVWXYZ")
	}
	var sb strings.Builder
	sb.WriteString(capitalise(c.f.AdjectiveDescriptive()))
	sb.WriteByte(' ')
	sb.WriteString(c.f.NounCommon())
	for utf8.RuneCountInString(sb.String()) < minLen {
		sb.WriteByte(' ')
		sb.WriteString(c.f.NounCommon())
	}
	s := sb.String()
	if maxLen >= 0 && utf8.RuneCountInString(s) > maxLen {
		s = truncateRunes(s, maxLen)
		if strings.HasSuffix(s, " ") && maxLen > minLen {
			s = strings.TrimRight(s, " ")
			for utf8.RuneCountInString(s) < minLen {
				s += "x"
			}
		}
	}
	return s
}

func truncateRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
