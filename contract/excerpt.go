package contract

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vendormock/vendormock/internal/reqgen"
	"github.com/vendormock/vendormock/specs"
)

// requestExcerpt renders a request for reports: method, path and query (credential values
// removed), headers (credentials replaced), body (personal data redacted), cut to excerptLimit.
func (r *runner) requestExcerpt(req *reqgen.Request) string {
	var b strings.Builder
	q := url.Values{}
	for k, vs := range req.Query {
		for _, v := range vs {
			if sensitiveHeader(k) {
				v = secretText
			}
			q.Add(k, v)
		}
	}
	target := req.Path
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	b.WriteString(req.Method + " " + target + "\n")
	r.writeHeaders(&b, req.Header)
	if len(req.Body) > 0 {
		b.WriteString("\n" + r.red.body(req.Body))
	}
	return cut(r.red.text(b.String()))
}

// responseExcerpt renders an answer for reports the same way.
func (r *runner) responseExcerpt(a *answer) string {
	var b strings.Builder
	b.WriteString(itoa(a.Status) + " " + http.StatusText(a.Status) + "\n")
	r.writeHeaders(&b, a.Header)
	if len(a.Body) > 0 {
		b.WriteString("\n" + r.red.body(a.Body))
	}
	return cut(r.red.text(b.String()))
}

// excerptHeaders are the answer headers shown; the rest (Date, Server...) vary run to run.
func (r *runner) writeHeaders(b *strings.Builder, h http.Header) {
	names := make([]string, 0, len(h))
	for k := range h {
		switch strings.ToLower(k) {
		case "date", "content-length", "accept", "user-agent", "accept-encoding":
			continue
		}
		names = append(names, k)
	}
	sort.Strings(names)
	custom := map[string]bool{}
	for k := range r.opts.Credentials.Headers {
		custom[strings.ToLower(k)] = true
	}
	for _, k := range names {
		for _, v := range h[k] {
			if sensitiveHeader(k) || custom[strings.ToLower(k)] || r.credHeaders[strings.ToLower(k)] {
				v = secretText
			}
			b.WriteString(k + ": " + v + "\n")
		}
	}
}

func cut(s string) string {
	if len(s) <= excerptLimit {
		return strings.TrimRight(s, "\n")
	}
	s = s[:excerptLimit]
	for len(s) > 0 && s[len(s)-1]&0xC0 == 0x80 { // don't split a UTF-8 sequence
		s = s[:len(s)-1]
	}
	return s + "\n… (cut)"
}

// record saves a successful JSON answer to RecordDir/<vendor>/<operationId>.json, personal data
// replaced by type-preserving placeholders unless NoRedact, credentials always removed.
func (r *runner) record(op *specs.Operation, a *answer) {
	if r.opts.RecordDir == "" || op.Method != "GET" {
		return
	}
	var doc any
	if json.Unmarshal(a.Body, &doc) != nil {
		return
	}
	doc = r.red.value(doc, recordPlaceholder)
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return
	}
	data = []byte(r.red.text(string(data)))
	dir := filepath.Join(r.opts.RecordDir, vendorDir(r.v))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		r.opts.Logger.Warn("record failed", "dir", dir, "err", err)
		return
	}
	file := filepath.Join(dir, safeFileName(op.ID)+".json")
	if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
		r.opts.Logger.Warn("record failed", "file", file, "err", err)
	}
}

func vendorDir(v *specs.Vendor) string {
	if v.Name != "" {
		return v.Name
	}
	return "vendor"
}

// safeFileName keeps an operationId usable as a file name (METHOD_/users/{id} has slashes).
func safeFileName(id string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '/', '\\', ':', '*', '?', '"', '<', '>', '|', '{', '}', ' ':
			return '_'
		}
		return r
	}, id)
}
