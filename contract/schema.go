package contract

import (
	"mime"
	"sort"
	"strings"

	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/vendormock/vendormock/specs"
)

// maxDepth bounds walks into (possibly recursive) schemas.
const maxDepth = 32

// requestSchema is the schema of the operation's JSON request body, or nil.
func requestSchema(op *specs.Operation) *base.Schema {
	rb := op.Op.RequestBody
	if rb == nil || rb.Content == nil {
		return nil
	}
	for ct, mt := range rb.Content.FromOldest() {
		if strings.Contains(strings.ToLower(ct), "json") && mt.Schema != nil {
			return op.Vendor.Schema(mt.Schema)
		}
	}
	return nil
}

// responseSchema is the documented schema for an answer's status and content type, or nil.
func responseSchema(op *specs.Operation, status int, contentType string) *base.Schema {
	resp, _ := op.Response(status)
	if resp == nil || resp.Content == nil {
		return nil
	}
	mt := mediaFor(resp, contentType)
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return op.Vendor.Schema(mt.Schema)
}

func mediaFor(resp *v3.Response, contentType string) *v3.MediaType {
	want, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		want = strings.ToLower(strings.TrimSpace(contentType))
	}
	var wild *v3.MediaType
	for ct, mt := range resp.Content.FromOldest() {
		c := strings.ToLower(ct)
		if base, _, err := mime.ParseMediaType(c); err == nil {
			c = base
		}
		switch {
		case c == want:
			return mt
		case strings.HasSuffix(c, "/*") && strings.HasPrefix(want, strings.TrimSuffix(c, "*")), c == "*/*":
			wild = mt
		}
	}
	return wild
}

func hasType(s *base.Schema, t string) bool {
	for _, x := range s.Type {
		if x == t {
			return true
		}
	}
	return false
}

// properties collects the declared properties of s through allOf, oneOf and anyOf (a union:
// --strict flags a property only when no branch declares it). open is true when the schema allows
// extra properties explicitly (additionalProperties: true or a schema, patternProperties).
func properties(s *base.Schema, depth int) (props map[string]*base.Schema, open bool) {
	props = map[string]*base.Schema{}
	if s == nil || depth > maxDepth {
		return props, true
	}
	if s.Properties != nil {
		for name, p := range s.Properties.FromOldest() {
			if p != nil {
				props[name] = p.Schema()
			}
		}
	}
	if s.AdditionalProperties != nil && (s.AdditionalProperties.IsA() || s.AdditionalProperties.B) {
		open = true
	}
	if s.PatternProperties != nil && s.PatternProperties.Len() > 0 {
		open = true
	}
	for _, group := range [][]*base.SchemaProxy{s.AllOf, s.OneOf, s.AnyOf} {
		for _, sp := range group {
			if sp == nil {
				continue
			}
			sub, o := properties(sp.Schema(), depth+1)
			open = open || o
			for k, v := range sub {
				if _, ok := props[k]; !ok {
					props[k] = v
				}
			}
		}
	}
	return props, open
}

// items is the array item schema of s (through allOf/oneOf/anyOf), or nil.
func items(s *base.Schema, depth int) *base.Schema {
	if s == nil || depth > maxDepth {
		return nil
	}
	if s.Items != nil && s.Items.IsA() && s.Items.A != nil {
		return s.Items.A.Schema()
	}
	for _, group := range [][]*base.SchemaProxy{s.AllOf, s.OneOf, s.AnyOf} {
		for _, sp := range group {
			if sp != nil {
				if it := items(sp.Schema(), depth+1); it != nil {
					return it
				}
			}
		}
	}
	return nil
}

// undeclared lists the properties of a body that its schema does not declare (--strict).
func undeclared(s *base.Schema, v any, ptr string, depth int) []Finding {
	if s == nil || depth > maxDepth {
		return nil
	}
	var out []Finding
	switch t := v.(type) {
	case map[string]any:
		props, open := properties(s, depth)
		if len(props) == 0 && !hasType(s, "object") {
			return nil // a schema without shape (any value) declares nothing to compare with
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := ptr + "/" + specs.PointerEscape(k)
			ps, ok := props[k]
			if !ok {
				if !open {
					out = append(out, Finding{Kind: KindUndeclared, Pointer: p, Keyword: "additionalProperties",
						Expected: "no undocumented property", Actual: "present",
						Message: "property " + k + " is not declared by the schema"})
				}
				continue
			}
			out = append(out, undeclared(ps, t[k], p, depth+1)...)
		}
	case []any:
		it := items(s, depth)
		for i, x := range t {
			out = append(out, undeclared(it, x, ptr+"/"+itoa(i), depth+1)...)
		}
	}
	return out
}

// inferredMark reports whether a schema or header carries x-vendormock-inferred: true.
func inferredMark(ext specs.Extensions) bool {
	return specs.ExtensionString(ext, "x-vendormock-inferred") == "true"
}

// inferredProps walks the body along the schema and lists the inferred properties with whether
// the body holds them: pointer -> present.
func inferredProps(s *base.Schema, v any, ptr string, depth int, out map[string]bool) {
	if s == nil || depth > maxDepth {
		return
	}
	props, _ := properties(s, depth)
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	m, _ := v.(map[string]any)
	for _, name := range names {
		ps := props[name]
		p := ptr + "/" + specs.PointerEscape(name)
		val, present := m[name]
		if ps != nil && inferredMark(ps.Extensions) {
			out[p] = out[p] || present
		}
		if present {
			inferredProps(ps, val, p, depth+1, out)
		}
	}
	if arr, ok := v.([]any); ok {
		it := items(s, depth)
		for _, x := range arr {
			inferredProps(it, x, ptr+"/*", depth+1, out)
		}
	}
}
