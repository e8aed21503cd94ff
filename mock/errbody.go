package mock

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/mock/fake"
	"github.com/vendormock/vendormock/specs"
	"github.com/vendormock/vendormock/specs/validate"
)

// errorResponse answers an error the mock decides on (401, 400/422, 404 ...) in the vendor's own
// documented error shape when the operation documents a JSON body for that status, and as
// application/problem+json otherwise. The documented body is the vendor's example or a generated
// one, with its message fields filled in with what went wrong; the result always validates.
func (o *opRuntime) errorResponse(w http.ResponseWriter, req *request, status int, title, detail string, findings []validate.Finding) {
	p := o.plan(status)
	var m *mediaPlan
	if p != nil {
		m = p.jsonMedia()
	}
	if m == nil {
		o.s.problem(w, req.r, status, title, detail, findings)
		return
	}
	key := o.genKey(req, status)
	o.writeHeaders(w, p, key)
	body := o.vendorErrorBody(m, key, status, detail, findings)
	writeBody(w, req.r, status, m.contentType, body)
}

// VendorError builds a documented error body; exported through the admin API later, used by the
// pipeline now.
func (o *opRuntime) vendorErrorBody(m *mediaPlan, key string, status int, detail string, findings []validate.Finding) []byte {
	var base any
	if m.example != nil {
		if err := json.Unmarshal(m.example, &base); err != nil {
			base = nil
		}
	}
	if base == nil {
		base = o.vr.gen.Generate(m.schema, key, fake.Response)
	}
	// Try the richest overlay first and fall back step by step; the plain generated or example
	// body is always valid.
	for _, withItems := range []bool{true, false} {
		v := overlayError(deepCopy(base), m.schema, o.vr, key, status, detail, findings, withItems)
		if len(o.vr.val.Value(m.schema, v)) == 0 {
			if b, err := marshal(v); err == nil {
				return b
			}
		}
	}
	b, _ := marshal(base) // a generated or decoded JSON value always encodes
	return b
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, x := range t {
			s[i] = deepCopy(x)
		}
		return s
	}
	return v
}

// overlayError writes the error's facts into the fields vendors use for them: message/detail
// strings, numeric status codes, the HTTP reason in "error", and arrays of violation objects.
func overlayError(v any, s *base.Schema, vr *vendorRuntime, key string, status int, detail string, findings []validate.Finding, withItems bool) any {
	if _, ok := v.(string); ok {
		return detail
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for name, ps := range vr.props(s) {
		cur, present := obj[name]
		lname := strings.ToLower(name)
		switch lname {
		case "message", "detail", "details", "error_description", "description", "msg", "errors", "violations":
			if arr, isArr := cur.([]any); isArr || (!present && isArrayType(ps)) {
				if withItems && len(findings) > 0 {
					obj[name] = findingItems(arr, ps, vr, key+"/"+name, findings)
				}
				continue
			}
			if _, isStr := cur.(string); isStr || (!present && isStringType(ps)) {
				obj[name] = detail
			}
		case "error", "title":
			if _, isStr := cur.(string); isStr {
				if lname == "error" {
					obj[name] = http.StatusText(status)
				} else {
					obj[name] = detail
				}
			}
		case "statuscode", "status_code", "status", "code":
			switch cur.(type) {
			case float64, int64, int:
				obj[name] = int64(status)
			}
		}
	}
	return obj
}

// findingItems turns findings into items shaped like the array's item schema.
func findingItems(template []any, arraySchema *base.Schema, vr *vendorRuntime, key string, findings []validate.Finding) []any {
	var itemSchema *base.Schema
	if arraySchema != nil && arraySchema.Items != nil && arraySchema.Items.IsA() && arraySchema.Items.A != nil {
		itemSchema = vr.v.Schema(arraySchema.Items.A)
	}
	out := make([]any, 0, len(findings))
	for i, f := range findings {
		var item any
		if i < len(template) {
			item = deepCopy(template[i])
		} else if itemSchema != nil {
			item = vr.gen.Generate(itemSchema, key+"/"+itoa(i), fake.Response)
		}
		obj, ok := item.(map[string]any)
		if !ok {
			out = append(out, f.String())
			continue
		}
		for name, cur := range obj {
			switch strings.ToLower(name) {
			case "code", "keyword", "type", "rule":
				if _, s := cur.(string); s {
					obj[name] = nonEmpty(f.Keyword, "invalid")
				}
			case "expected":
				if _, s := cur.(string); s {
					obj[name] = nonEmpty(f.Expected, "a value the description allows")
				}
			case "received", "actual", "value", "got":
				if _, s := cur.(string); s {
					obj[name] = f.Actual
				}
			case "path", "loc", "location":
				switch cur.(type) {
				case []any:
					obj[name] = pathSegments(f)
				case string:
					obj[name] = nonEmpty(f.Pointer, f.Name)
				}
			case "field", "name", "param", "parameter", "property", "pointer":
				if _, s := cur.(string); s {
					obj[name] = nonEmpty(f.Pointer, f.Name)
				}
			case "in":
				if _, s := cur.(string); s {
					obj[name] = f.In
				}
			case "message", "msg", "detail", "description", "reason":
				if _, s := cur.(string); s {
					obj[name] = f.String()
				}
			}
		}
		out = append(out, obj)
	}
	return out
}

func pathSegments(f validate.Finding) []any {
	out := []any{}
	if f.In != "body" && f.Name != "" {
		return []any{f.In, f.Name}
	}
	for _, p := range strings.Split(strings.TrimPrefix(f.Pointer, "/"), "/") {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// properties collects an object schema's properties, through allOf.
func properties(v *specs.Vendor, s *base.Schema) map[string]*base.Schema {
	out := map[string]*base.Schema{}
	var walk func(*base.Schema, int)
	walk = func(s *base.Schema, depth int) {
		if s == nil || depth > 4 {
			return
		}
		if s.Properties != nil {
			for name, p := range s.Properties.FromOldest() {
				if _, seen := out[name]; !seen && p != nil {
					out[name] = v.Schema(p)
				}
			}
		}
		for _, a := range s.AllOf {
			if a != nil {
				walk(v.Schema(a), depth+1)
			}
		}
	}
	walk(s, 0)
	return out
}

func isArrayType(s *base.Schema) bool  { return hasType(s, "array") }
func isStringType(s *base.Schema) bool { return hasType(s, "string") }

func hasType(s *base.Schema, t string) bool {
	if s == nil {
		return false
	}
	for _, x := range s.Type {
		if x == t {
			return true
		}
	}
	return false
}
