package mock

import (
	"strconv"
	"strings"
)

// preferences are the Prism-compatible parts of the Prefer header (RFC 7240):
// code=404, example=<name>, dynamic=true.
type preferences struct {
	code    int
	example string
	dynamic bool
}

func parsePrefer(values []string) preferences {
	var p preferences
	for _, v := range values {
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
			key, val, _ := strings.Cut(strings.TrimSpace(part), "=")
			val = strings.Trim(strings.TrimSpace(val), `"`)
			switch strings.ToLower(strings.TrimSpace(key)) {
			case "code":
				if n, err := strconv.Atoi(val); err == nil && n >= 100 && n <= 599 {
					p.code = n
				}
			case "example":
				p.example = val
			case "dynamic":
				p.dynamic = strings.EqualFold(val, "true")
			}
		}
	}
	return p
}
