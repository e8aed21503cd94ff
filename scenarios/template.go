package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"text/template"
	"time"
)

// TemplateData is what body and header templates see.
type TemplateData struct {
	Vendor, Operation, Method, Path string
	// PathParams are the path parameters by their names in the description.
	PathParams map[string]string
	// Query and Header hold the first value of each parameter and header (canonical header names).
	Query, Header map[string]string
	// Body is the decoded JSON request body (nil when there is none or it is not JSON).
	Body any
	Now  time.Time
	// Count is how many requests the rule has matched for this operation, this one included.
	Count int
	// RateLimit describes the client's window when the rule has a rate limit.
	RateLimit RateLimitInfo
}

// RateLimitInfo is the state of a client's rate-limit window.
type RateLimitInfo struct {
	Limit, Remaining int
	// Reset is the number of whole seconds until the window ends (at least 1 when throttled).
	Reset int
}

// templateFuncs are the helpers templates may call: json encodes a value as JSON (use it to put
// request values into JSON bodies safely); default returns its first argument when the second is
// empty.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
		"default": func(def, v any) any {
			if v == nil || v == "" {
				return def
			}
			return v
		},
	}
}

func render(t *template.Template, data *TemplateData) ([]byte, error) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("template %s: %w", t.Name(), err)
	}
	return buf.Bytes(), nil
}

func firstValues(h map[string][]string, canonical bool) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if len(v) == 0 {
			continue
		}
		if canonical {
			k = http.CanonicalHeaderKey(k)
		}
		out[k] = v[0]
	}
	return out
}
