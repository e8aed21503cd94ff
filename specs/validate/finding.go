package validate

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Finding is one violation of the description.
type Finding struct {
	// In is where the violation is: path, query, header, cookie, body, content-type, status, security.
	In string `json:"in"`
	// Name is the parameter or header name, when the violation is about one.
	Name string `json:"name,omitempty"`
	// Pointer is the JSON pointer into the body ("" for the whole body).
	Pointer string `json:"pointer,omitempty"`
	// Expected says what the description allows; Actual what was sent or answered.
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
	// Message is a one-line human description.
	Message string `json:"message"`
	// Keyword is the JSON Schema keyword that failed (type, required, enum, format, ...), when known.
	Keyword string `json:"keyword,omitempty"`
}

// String renders the finding on one line.
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.In)
	if f.Name != "" {
		b.WriteString(" " + f.Name)
	}
	if f.Pointer != "" {
		b.WriteString(" " + f.Pointer)
	}
	b.WriteString(": " + f.Message)
	if f.Expected != "" && !strings.Contains(f.Message, "want") {
		b.WriteString(" (expected " + f.Expected)
		if f.Actual != "" {
			b.WriteString(", got " + f.Actual)
		}
		b.WriteString(")")
	}
	return b.String()
}

var gotWant = regexp.MustCompile(`got ([^,]+), want (.+)$`)

// splitGotWant pulls "got X, want Y" apart, as jsonschema phrases type errors.
func splitGotWant(reason string) (expected, actual string) {
	if m := gotWant.FindStringSubmatch(reason); m != nil {
		return strings.TrimSpace(m[2]), strings.TrimSpace(m[1])
	}
	return "", ""
}

// pointerFrom turns an instance path (["items","0","id"]) into a JSON pointer.
func pointerFrom(parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(p, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

// valueAt finds the value a JSON pointer names in a decoded document and renders it briefly.
func valueAt(doc any, pointer string) (string, bool) {
	cur := doc
	if pointer != "" {
		for _, tok := range strings.Split(pointer[1:], "/") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			switch c := cur.(type) {
			case map[string]any:
				v, ok := c[tok]
				if !ok {
					return "", false
				}
				cur = v
			case []any:
				var i int
				if _, err := fmt.Sscanf(tok, "%d", &i); err != nil || i < 0 || i >= len(c) {
					return "", false
				}
				cur = c[i]
			default:
				return "", false
			}
		}
	}
	b, err := json.Marshal(cur)
	if err != nil {
		return "", false
	}
	s := string(b)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s, true
}

// pointerFromFieldPath turns the library's JSONPath-like field path ($.items[0].id, $['a b'])
// into a JSON pointer, for failures that come without an instance path.
func pointerFromFieldPath(fp string) string {
	fp = strings.TrimPrefix(strings.TrimPrefix(fp, "$"), ".")
	if fp == "" {
		return ""
	}
	var parts []string
	for _, seg := range strings.Split(fp, ".") {
		for seg != "" {
			i := strings.IndexByte(seg, '[')
			if i < 0 {
				parts = append(parts, seg)
				break
			}
			if i > 0 {
				parts = append(parts, seg[:i])
			}
			j := strings.IndexByte(seg[i:], ']')
			if j < 0 {
				parts = append(parts, seg[i:])
				break
			}
			parts = append(parts, strings.Trim(seg[i+1:i+j], `'"`))
			seg = seg[i+j+1:]
		}
	}
	return pointerFrom(parts)
}
