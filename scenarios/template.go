package scenarios

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
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
	// Session is the X-Vendormock-Session header ("" for the default session): the session whose
	// records record and records read.
	Session string
	Now     time.Time
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

// State gives templates read access to stored records: those of the request's session
// (X-Vendormock-Session, else the default session) in the request's vendor. The server implements
// it, so that this package never imports the server; resources are named as GET
// /__admin/resources names them (see ResourceName).
type State interface {
	// Record returns the record of a collection with the given id, or a singleton's record when
	// id is ""; ok is false when there is none. An unknown resource is an error wrapping
	// ErrUnknownResource.
	Record(resource, id string) (rec map[string]any, ok bool, err error)
	// Records returns a collection's records in the order they were stored, keeping those whose
	// fields equal every value of where (compared as list filters compare query parameters).
	Records(resource string, where map[string]string) ([]map[string]any, error)
}

// Resource is a stored resource a template may read, for the load-time check of templates
// (Set.CheckResources).
type Resource struct {
	// Name is the collection path as GET /__admin/resources reports it (/patients).
	Name      string
	Singleton bool
}

// ErrUnknownResource is returned for a resource name a vendor does not have.
var ErrUnknownResource = errors.New("unknown resource")

// errNoState is what record and records answer where no state is plumbed in.
var errNoState = errors.New("no stored state is available here")

// errPass is returned by the pass function: the rule declines the request.
var errPass = errors.New("the rule passes")

// ResourceName is the canonical form of a resource name in templates: the name GET
// /__admin/resources reports, with its leading slash ("patients" and "/patients" are the same).
func ResourceName(name string) string {
	name = strings.TrimSuffix(strings.TrimSpace(name), "/")
	if !strings.HasPrefix(name, "/") {
		name = "/" + name
	}
	return name
}

// Template functions that read stored state; a template calling them is bound to the request's
// State when it renders.
const (
	funcRecord  = "record"
	funcRecords = "records"
)

// templateFuncs are the helpers templates may call:
//   - json encodes a value as JSON (use it to put request values and records into JSON bodies);
//   - default returns its first argument when the second is empty;
//   - record RESOURCE ID returns the stored record (a collection's by id, a singleton's without
//     an id), or nil when there is none;
//   - records RESOURCE [FIELD VALUE]... returns a collection's stored records (never nil), those
//     whose FIELD equals VALUE when pairs are given; len counts them;
//   - set MAP KEY VALUE [KEY VALUE]... returns a copy of a map (a record) with keys set;
//   - pass makes the rule decline the request, as a sequence's pass step does.
//
// record and records are placeholders here: rendering binds them to the request's State.
func templateFuncs() template.FuncMap {
	m := template.FuncMap{
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
		"default": func(def, v any) any {
			if isEmpty(v) {
				return def
			}
			return v
		},
		"set": setKeys,
		"pass": func() (string, error) {
			return "", errPass
		},
	}
	for k, v := range stateFuncs(nil) {
		m[k] = v
	}
	return m
}

// stateFuncs are record and records reading st (nil: they fail with errNoState).
func stateFuncs(st State) template.FuncMap {
	return template.FuncMap{
		funcRecord: func(resource string, id ...any) (map[string]any, error) {
			if st == nil {
				return nil, errNoState
			}
			key := ""
			switch len(id) {
			case 0:
			case 1:
				k, err := idText(id[0])
				if err != nil {
					return nil, err
				}
				key = k
				if key == "" {
					return nil, nil // no id (an absent body field): no record
				}
			default:
				return nil, fmt.Errorf("record %q: want at most one id, got %d", resource, len(id))
			}
			rec, ok, err := st.Record(ResourceName(resource), key)
			if err != nil || !ok {
				return nil, err
			}
			return rec, nil
		},
		funcRecords: func(resource string, where ...any) ([]map[string]any, error) {
			if st == nil {
				return nil, errNoState
			}
			if len(where)%2 != 0 {
				return nil, fmt.Errorf("records %q: want FIELD VALUE pairs after the resource, got %d values", resource, len(where))
			}
			filters := make(map[string]string, len(where)/2)
			for i := 0; i < len(where); i += 2 {
				field, ok := where[i].(string)
				if !ok {
					return nil, fmt.Errorf("records %q: field names are strings, got %v", resource, where[i])
				}
				v, err := idText(where[i+1])
				if err != nil {
					return nil, fmt.Errorf("records %q: %s: %w", resource, field, err)
				}
				filters[field] = v
			}
			recs, err := st.Records(ResourceName(resource), filters)
			if err != nil {
				return nil, err
			}
			if recs == nil {
				recs = []map[string]any{}
			}
			return recs, nil
		},
	}
}

// isEmpty is what default replaces: nil, "", and a missing record (a nil map) or list.
func isEmpty(v any) bool {
	if v == nil || v == "" {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Map, reflect.Slice:
		return rv.IsNil()
	}
	return false
}

// setKeys returns a copy of m with each KEY VALUE pair set; stored records are never changed.
func setKeys(m map[string]any, kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("set: want KEY VALUE pairs, got %d values", len(kv))
	}
	out := make(map[string]any, len(m)+len(kv)/2)
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("set: keys are strings, got %v", kv[i])
		}
		out[k] = kv[i+1]
	}
	return out, nil
}

// idText is the text of an id or a compared value: strings as they are, integral numbers
// without a fraction; nil is "".
func idText(v any) (string, error) {
	switch t := v.(type) {
	case nil:
		return "", nil
	case string:
		return t, nil
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return strconv.FormatInt(n, 10), nil
		}
		return t.String(), nil
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1<<53 {
			return strconv.FormatInt(int64(t), 10), nil
		}
		return strconv.FormatFloat(t, 'g', -1, 64), nil
	case int:
		return strconv.Itoa(t), nil
	case int64:
		return strconv.FormatInt(t, 10), nil
	case bool:
		return strconv.FormatBool(t), nil
	}
	return "", fmt.Errorf("want a string or a number, got %T", v)
}

// textPos locates a template's text in its scenario file.
type textPos struct {
	line int // the line of the YAML value
	// block is a literal block scalar (|): the text's line n is the file's line line+n. Other
	// styles fold or escape line breaks, so every text line is reported at the value's line.
	block bool
}

func (p textPos) fileLine(n int) int {
	if p.block && n > 0 {
		return p.line + n
	}
	return p.line
}

// tmpl is a parsed template, where its text sits in its file and which stored state it reads.
type tmpl struct {
	t   *template.Template
	pos textPos
	// calls are the record and records calls, for the load-time resource check; a template with
	// any is bound to the request's State when it renders.
	calls []stateCall
}

// templateErrRE takes a text/template error apart: "template: NAME:LINE[:COL]: message".
var templateErrRE = regexp.MustCompile(`(?s)^template: [^:]*:(\d+):(?:\d+:)? ?(.*)$`)

// splitTemplateErr returns the template line an error names (0 when none) and the message without
// the template's name and position.
func splitTemplateErr(err error) (int, string) {
	m := templateErrRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0, strings.TrimPrefix(err.Error(), "template: ")
	}
	n, _ := strconv.Atoi(m[1])
	return n, m[2]
}

// parseTemplate parses text as a template when it contains an action, else returns nil. A syntax
// error comes with the file line it is on.
func parseTemplate(name, text string, pos textPos) (*tmpl, int, error) {
	if !strings.Contains(text, "{{") {
		return nil, 0, nil
	}
	t, err := template.New(name).Option("missingkey=zero").Funcs(templateFuncs()).Parse(text)
	if err != nil {
		n, msg := splitTemplateErr(err)
		return nil, pos.fileLine(n), errors.New(msg)
	}
	out := &tmpl{t: t, pos: pos}
	out.calls = stateCalls(out)
	return out, 0, nil
}

// renderError is a template that failed while rendering, at a line of its file.
type renderError struct {
	line int
	msg  string
	err  error
}

func (e *renderError) Error() string { return e.msg }
func (e *renderError) Unwrap() error { return e.err }

// render executes the template; record and records read st.
func (t *tmpl) render(data *TemplateData, st State) ([]byte, error) {
	x := t.t
	if len(t.calls) > 0 {
		c, err := x.Clone()
		if err != nil {
			return nil, &renderError{line: t.pos.line, msg: fmt.Sprintf("template %s: %v", x.Name(), err), err: err}
		}
		x = c.Funcs(stateFuncs(st))
	}
	var buf bytes.Buffer
	if err := x.Execute(&buf, data); err != nil {
		n, msg := splitTemplateErr(err)
		return nil, &renderError{line: t.pos.fileLine(n), msg: "template " + x.Name() + ": " + msg, err: err}
	}
	return buf.Bytes(), nil
}

// checkJSON reports a rendered body that is not JSON although it is answered as JSON.
func (t *tmpl) checkJSON(body []byte, contentType string) error {
	if !isJSONType(contentType) || len(bytes.TrimSpace(body)) == 0 || json.Valid(body) {
		return nil
	}
	var v any
	err := json.Unmarshal(body, &v)
	text := string(body)
	if len(text) > 80 {
		text = text[:80] + "..."
	}
	return &renderError{line: t.pos.line, err: err, msg: fmt.Sprintf(
		"template %s: the rendered body is not JSON (%v): %q; put values into JSON with json, as in {{json .Query.name}}",
		t.t.Name(), err, text)}
}

// isJSONType reports whether an answer's media type is JSON ("" means the documented JSON type).
func isJSONType(ct string) bool {
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = ct
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// TemplateError is a template that failed while answering a request: a function's error (an
// unknown resource), a rendered body that is not JSON. The server answers it with 500
// application/problem+json naming the scenario, the rule and the file line.
type TemplateError struct {
	Vendor, Scenario, Rule string
	File                   string
	Line                   int
	Err                    error
}

func (e *TemplateError) Error() string {
	return fmt.Sprintf("%s:%d: scenario %s/%s rule %s: %v", e.File, e.Line, e.Vendor, e.Scenario, e.Rule, e.Err)
}

func (e *TemplateError) Unwrap() error { return e.Err }

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
