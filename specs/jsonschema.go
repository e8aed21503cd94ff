package specs

import (
	"encoding/json"
	"strconv"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	"github.com/pb33f/libopenapi/orderedmap"
)

// SchemaUse says which direction a schema checks: a request body need not carry the readOnly
// properties its schema requires, an answer need not carry the writeOnly ones.
type SchemaUse int

// The uses of a schema.
const (
	UseAny SchemaUse = iota
	UseRequest
	UseResponse
)

// RenderJSONSchema writes a schema of the model as the JSON Schema a validator compiles,
// from the model's exported fields alone: it needs no low-level objects, so it works on a
// detached model (Vendor.Detached) as on a parsed one. Only what validation reads is
// written (no descriptions, examples or extensions). For request bodies a readOnly property
// is not required, for response bodies a writeOnly one, as libopenapi-validator prunes them.
//
// A schema that contains itself is written once under $defs and referenced from every place
// it occurs, so recursive schemas compile as they are.
func RenderJSONSchema(s *base.Schema, resolve func(*base.SchemaProxy) *base.Schema, use SchemaUse) ([]byte, error) {
	r := &renderer{resolve: resolve, use: use, onStack: map[*base.Schema]bool{}, seen: map[*base.Schema]bool{}, defs: map[*base.Schema]string{}}
	r.findCycles(s)
	root := r.schema(s)
	if len(r.defs) > 0 {
		all := map[string]any{}
		for len(r.pending) > 0 {
			next := r.pending[0]
			r.pending = r.pending[1:]
			all[r.defs[next]] = r.body(next)
		}
		m, ok := root.(map[string]any)
		if !ok || m["$ref"] != nil {
			m = map[string]any{"allOf": []any{root}}
		}
		m["$defs"] = all
		root = m
	}
	return json.Marshal(root)
}

type renderer struct {
	resolve func(*base.SchemaProxy) *base.Schema
	use     SchemaUse
	onStack map[*base.Schema]bool
	seen    map[*base.Schema]bool
	defs    map[*base.Schema]string // schemas that contain themselves → name under $defs
	pending []*base.Schema          // defs still to write
}

// findCycles marks every schema reached again while it is being walked.
func (r *renderer) findCycles(s *base.Schema) {
	if s == nil {
		return
	}
	if r.onStack[s] {
		if _, ok := r.defs[s]; !ok {
			r.defs[s] = "s" + strconv.Itoa(len(r.defs))
			r.pending = append(r.pending, s)
		}
		return
	}
	if r.seen[s] {
		return
	}
	r.seen[s], r.onStack[s] = true, true
	r.children(s, func(c *base.Schema) { r.findCycles(c) })
	r.onStack[s] = false
}

// children calls f with every subschema of s.
func (r *renderer) children(s *base.Schema, f func(*base.Schema)) {
	one := func(p *base.SchemaProxy) {
		if p != nil {
			f(r.resolve(p))
		}
	}
	for _, list := range [][]*base.SchemaProxy{s.AllOf, s.OneOf, s.AnyOf, s.PrefixItems} {
		for _, p := range list {
			one(p)
		}
	}
	for _, p := range []*base.SchemaProxy{s.Contains, s.If, s.Then, s.Else, s.PropertyNames, s.UnevaluatedItems, s.Not} {
		one(p)
	}
	for _, m := range []*orderedmap.Map[string, *base.SchemaProxy]{s.Properties, s.PatternProperties, s.DependentSchemas} {
		if m == nil {
			continue
		}
		for _, p := range m.FromOldest() {
			one(p)
		}
	}
	for _, d := range []*base.DynamicValue[*base.SchemaProxy, bool]{s.Items, s.AdditionalProperties, s.UnevaluatedProperties} {
		if d != nil && d.IsA() {
			one(d.A)
		}
	}
}

// schema is a reference to s's entry under $defs when s contains itself, else s written out.
func (r *renderer) schema(s *base.Schema) any {
	if s == nil {
		return true
	}
	if name, ok := r.defs[s]; ok {
		return map[string]any{"$ref": "#/$defs/" + name}
	}
	return r.body(s)
}

func (r *renderer) proxy(p *base.SchemaProxy) any {
	if p == nil {
		return true
	}
	return r.schema(r.resolve(p))
}

func (r *renderer) proxies(ps []*base.SchemaProxy) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = r.proxy(p)
	}
	return out
}

func (r *renderer) proxyMap(m *orderedmap.Map[string, *base.SchemaProxy]) map[string]any {
	out := make(map[string]any, m.Len())
	for k, p := range m.FromOldest() {
		out[k] = r.proxy(p)
	}
	return out
}

func (r *renderer) dynamic(d *base.DynamicValue[*base.SchemaProxy, bool]) any {
	if d.IsA() {
		return r.proxy(d.A)
	}
	return d.B
}

// body writes s itself.
func (r *renderer) body(s *base.Schema) any {
	if s.BooleanSchema != nil {
		return *s.BooleanSchema
	}
	m := map[string]any{}
	switch len(s.Type) {
	case 0:
	case 1:
		m["type"] = s.Type[0]
	default:
		m["type"] = s.Type
	}
	set := func(k string, v any, ok bool) {
		if ok {
			m[k] = v
		}
	}
	set("format", s.Format, s.Format != "")
	set("pattern", s.Pattern, s.Pattern != "")
	setPtr(m, "multipleOf", s.MultipleOf)
	setPtr(m, "maximum", s.Maximum)
	setPtr(m, "minimum", s.Minimum)
	setPtr(m, "maxLength", s.MaxLength)
	setPtr(m, "minLength", s.MinLength)
	setPtr(m, "maxItems", s.MaxItems)
	setPtr(m, "minItems", s.MinItems)
	setPtr(m, "uniqueItems", s.UniqueItems)
	setPtr(m, "maxProperties", s.MaxProperties)
	setPtr(m, "minProperties", s.MinProperties)
	setPtr(m, "minContains", s.MinContains)
	setPtr(m, "maxContains", s.MaxContains)
	setPtr(m, "nullable", s.Nullable)
	setPtr(m, "readOnly", s.ReadOnly)
	setPtr(m, "writeOnly", s.WriteOnly)
	for k, d := range map[string]*base.DynamicValue[bool, float64]{"exclusiveMaximum": s.ExclusiveMaximum, "exclusiveMinimum": s.ExclusiveMinimum} {
		if d != nil {
			if d.IsA() {
				m[k] = d.A
			} else {
				m[k] = d.B
			}
		}
	}
	if s.Enum != nil {
		m["enum"] = nodeValues(s.Enum)
	}
	if s.Const != nil {
		m["const"] = nodeValue(s.Const)
	}
	for k, list := range map[string][]*base.SchemaProxy{"allOf": s.AllOf, "oneOf": s.OneOf, "anyOf": s.AnyOf, "prefixItems": s.PrefixItems} {
		if list != nil {
			m[k] = r.proxies(list)
		}
	}
	for k, p := range map[string]*base.SchemaProxy{"contains": s.Contains, "if": s.If, "then": s.Then, "else": s.Else,
		"propertyNames": s.PropertyNames, "unevaluatedItems": s.UnevaluatedItems, "not": s.Not} {
		if p != nil {
			m[k] = r.proxy(p)
		}
	}
	for k, pm := range map[string]*orderedmap.Map[string, *base.SchemaProxy]{"properties": s.Properties,
		"patternProperties": s.PatternProperties, "dependentSchemas": s.DependentSchemas} {
		if pm != nil {
			m[k] = r.proxyMap(pm)
		}
	}
	for k, d := range map[string]*base.DynamicValue[*base.SchemaProxy, bool]{"items": s.Items,
		"additionalProperties": s.AdditionalProperties, "unevaluatedProperties": s.UnevaluatedProperties} {
		if d != nil {
			m[k] = r.dynamic(d)
		}
	}
	if s.DependentRequired != nil {
		dr := map[string]any{}
		for k, v := range s.DependentRequired.FromOldest() {
			dr[k] = v
		}
		m["dependentRequired"] = dr
	}
	if d := s.Discriminator; d != nil {
		dm := map[string]any{"propertyName": d.PropertyName}
		if d.Mapping != nil {
			mapping := map[string]any{}
			for k, v := range d.Mapping.FromOldest() {
				mapping[k] = v
			}
			dm["mapping"] = mapping
		}
		m["discriminator"] = dm
	}
	if req := r.required(s); req != nil {
		m["required"] = req
	}
	return m
}

// required is s's required list without the properties this direction leaves out.
func (r *renderer) required(s *base.Schema) []string {
	if len(s.Required) == 0 {
		return nil
	}
	if r.use == UseAny {
		return s.Required
	}
	out := make([]string, 0, len(s.Required))
	for _, name := range s.Required {
		if s.Properties == nil {
			out = append(out, name)
			continue
		}
		if p, ok := s.Properties.Get(name); ok && p != nil {
			if ps := r.resolve(p); ps != nil {
				if r.use == UseRequest && ps.ReadOnly != nil && *ps.ReadOnly ||
					r.use == UseResponse && ps.WriteOnly != nil && *ps.WriteOnly {
					continue
				}
			}
		}
		out = append(out, name)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func setPtr[T any](m map[string]any, k string, p *T) {
	if p != nil {
		m[k] = *p
	}
}

func nodeValues(ns []*yaml.Node) []any {
	out := make([]any, len(ns))
	for i, n := range ns {
		out[i] = nodeValue(n)
	}
	return out
}

// nodeValue decodes a YAML value (an enum member, a const) as JSON would have it.
func nodeValue(n *yaml.Node) any {
	var v any
	if err := n.Decode(&v); err != nil {
		return n.Value
	}
	return JSONValue(v)
}
