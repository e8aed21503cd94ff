package specs

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	"github.com/pb33f/libopenapi/orderedmap"
)

// detacher copies libopenapi's high-level objects without their low-level ones: only the
// exported fields, so that nothing in the copy points into the parsed document (its node
// tree, low-level model and index) and the document can be collected once the copy is made.
//
// Schemas go through the vendor's Schema first, so the copy holds one object per schema of
// the description, and a recursive schema stays a cycle of pointers. YAML nodes (examples,
// enums, defaults, extensions) are copied too: the parser allocates nodes in slabs, so one
// node kept would keep its whole slab of the tree.
type detacher struct {
	v       *Vendor
	schemas map[*base.Schema]*base.Schema
	done    map[ptrKey]reflect.Value // other pointers already copied (shared objects)
}

var (
	schemaType = reflect.TypeFor[*base.Schema]()
	proxyType  = reflect.TypeFor[*base.SchemaProxy]()
	nodeType   = reflect.TypeFor[*yaml.Node]()
)

type ptrKey struct {
	t reflect.Type
	p uintptr
}

func newDetacher(v *Vendor) *detacher {
	return &detacher{v: v, schemas: map[*base.Schema]*base.Schema{}, done: map[ptrKey]reflect.Value{}}
}

// detach returns a copy of x (a pointer to a libopenapi high-level object).
func detach[T any](d *detacher, x T) T {
	return d.value(reflect.ValueOf(x)).Interface().(T)
}

func (d *detacher) value(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		switch v.Type() {
		case nodeType:
			return reflect.ValueOf(cloneNode(v.Interface().(*yaml.Node)))
		case proxyType:
			return reflect.ValueOf(d.proxy(v.Interface().(*base.SchemaProxy)))
		case schemaType:
			return reflect.ValueOf(d.schema(v.Interface().(*base.Schema)))
		}
		key := ptrKey{v.Type(), v.Pointer()}
		if c, ok := d.done[key]; ok {
			return c
		}
		if c, ok := d.typed(v.Interface()); ok {
			cv := reflect.ValueOf(c)
			d.done[key] = cv
			return cv
		}
		if v.Elem().Kind() != reflect.Struct {
			c := reflect.New(v.Type().Elem())
			c.Elem().Set(d.value(v.Elem()))
			return c
		}
		if isOrderedMap(v.Type()) {
			return d.orderedMap(v)
		}
		c := reflect.New(v.Type().Elem())
		d.done[key] = c
		d.fields(c.Elem(), v.Elem())
		return c
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			c.Index(i).Set(d.value(v.Index(i)))
		}
		return c
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			c.SetMapIndex(it.Key(), d.value(it.Value()))
		}
		return c
	case reflect.Struct:
		c := reflect.New(v.Type()).Elem()
		d.fields(c, v)
		return c
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type()).Elem()
		c.Set(d.value(v.Elem()))
		return c
	}
	return v
}

// fields copies the exported fields of src into dst (both structs of one type).
func (d *detacher) fields(dst, src reflect.Value) {
	t := src.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Name == "ParentProxy" {
			continue
		}
		dst.Field(i).Set(d.value(src.Field(i)))
	}
}

// isOrderedMap reports libopenapi's orderedmap.Map[K, V]: its entries are unexported and are
// copied through its methods.
func isOrderedMap(t reflect.Type) bool {
	if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return false
	}
	e := t.Elem()
	return e.PkgPath() == "github.com/pb33f/libopenapi/orderedmap" && len(e.Name()) > 4 && e.Name()[:4] == "Map["
}

func (d *detacher) orderedMap(v reflect.Value) reflect.Value {
	c := reflect.New(v.Type().Elem())
	// The embedded *wk8orderedmap.OrderedMap: its constructor is generic, so it is made empty
	// and initialised the way its decoder does, by decoding an empty object.
	inner := c.Elem().Field(0)
	inner.Set(reflect.New(inner.Type().Elem()))
	if r := inner.MethodByName("UnmarshalJSON").Call([]reflect.Value{reflect.ValueOf([]byte("{}"))}); !r[0].IsNil() {
		panic(r[0].Interface())
	}
	set := c.MethodByName("Set")
	seq := v.MethodByName("FromOldest").Call(nil)[0]
	yield := reflect.MakeFunc(seq.Type().In(0), func(args []reflect.Value) []reflect.Value {
		set.Call([]reflect.Value{args[0], d.value(args[1])})
		return []reflect.Value{reflect.ValueOf(true)}
	})
	seq.Call([]reflect.Value{yield})
	return c
}

// proxy copies a schema proxy: a $ref keeps its reference text beside the copied schema.
func (d *detacher) proxy(p *base.SchemaProxy) *base.SchemaProxy {
	s := d.schema(d.v.Schema(p))
	if p.IsReference() {
		return base.CreateSchemaProxyRefWithSchema(p.GetReference(), s)
	}
	return base.CreateSchemaProxy(s)
}

func (d *detacher) schema(s *base.Schema) *base.Schema {
	if s == nil {
		return nil
	}
	if c, ok := d.schemas[s]; ok {
		return c
	}
	c := new(base.Schema)
	d.schemas[s] = c
	d.fillSchema(c, s)
	return c
}

// cloneNode copies a YAML node and its subtree into fresh nodes.
func cloneNode(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := &yaml.Node{Kind: n.Kind, Style: n.Style, Tag: n.Tag, Value: strings.Clone(n.Value), Anchor: n.Anchor, Line: n.Line, Column: n.Column}
	if n.Alias != nil {
		c.Alias = cloneNode(n.Alias)
	}
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, k := range n.Content {
			c.Content[i] = cloneNode(k)
		}
	}
	return c
}

// ptr copies the value a high-level field points at: libopenapi points such fields into its
// low-level objects, so sharing the pointer would keep the whole document.
func ptr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func dynamic[A, B any](v *base.DynamicValue[A, B]) *base.DynamicValue[A, B] {
	if v == nil {
		return nil
	}
	return &base.DynamicValue[A, B]{N: v.N, A: v.A, B: v.B}
}

// fillSchema copies s into c field by field: schemas are most of a model, and a copy by
// reflection took ~100 ms for Open Dental's 2,405.
func (d *detacher) fillSchema(c, s *base.Schema) {
	*c = base.Schema{
		BooleanSchema:         ptr(s.BooleanSchema),
		SchemaTypeRef:         s.SchemaTypeRef,
		ExclusiveMaximum:      dynamic(s.ExclusiveMaximum),
		ExclusiveMinimum:      dynamic(s.ExclusiveMinimum),
		Type:                  s.Type,
		AllOf:                 d.proxies(s.AllOf),
		OneOf:                 d.proxies(s.OneOf),
		AnyOf:                 d.proxies(s.AnyOf),
		Examples:              cloneNodes(s.Examples),
		PrefixItems:           d.proxies(s.PrefixItems),
		Contains:              d.proxyOrNil(s.Contains),
		MinContains:           ptr(s.MinContains),
		MaxContains:           ptr(s.MaxContains),
		If:                    d.proxyOrNil(s.If),
		Else:                  d.proxyOrNil(s.Else),
		Then:                  d.proxyOrNil(s.Then),
		DependentSchemas:      d.proxyMap(s.DependentSchemas),
		PatternProperties:     d.proxyMap(s.PatternProperties),
		Defs:                  d.proxyMap(s.Defs),
		PropertyNames:         d.proxyOrNil(s.PropertyNames),
		UnevaluatedItems:      d.proxyOrNil(s.UnevaluatedItems),
		UnevaluatedProperties: d.dynamicProxy(s.UnevaluatedProperties),
		Items:                 d.dynamicProxy(s.Items),
		Id:                    s.Id,
		Anchor:                s.Anchor,
		DynamicAnchor:         s.DynamicAnchor,
		DynamicRef:            s.DynamicRef,
		Comment:               s.Comment,
		ContentSchema:         d.proxyOrNil(s.ContentSchema),
		Not:                   d.proxyOrNil(s.Not),
		Properties:            d.proxyMap(s.Properties),
		Title:                 s.Title,
		MultipleOf:            ptr(s.MultipleOf),
		Maximum:               ptr(s.Maximum),
		Minimum:               ptr(s.Minimum),
		MaxLength:             ptr(s.MaxLength),
		MinLength:             ptr(s.MinLength),
		Pattern:               s.Pattern,
		Format:                s.Format,
		MaxItems:              ptr(s.MaxItems),
		MinItems:              ptr(s.MinItems),
		UniqueItems:           ptr(s.UniqueItems),
		MaxProperties:         ptr(s.MaxProperties),
		MinProperties:         ptr(s.MinProperties),
		Required:              s.Required,
		Enum:                  cloneNodes(s.Enum),
		AdditionalProperties:  d.dynamicProxy(s.AdditionalProperties),
		Description:           s.Description,
		ContentEncoding:       s.ContentEncoding,
		ContentMediaType:      s.ContentMediaType,
		Default:               cloneNode(s.Default),
		Const:                 cloneNode(s.Const),
		Nullable:              ptr(s.Nullable),
		ReadOnly:              ptr(s.ReadOnly),
		WriteOnly:             ptr(s.WriteOnly),
		Example:               cloneNode(s.Example),
		Deprecated:            ptr(s.Deprecated),
		Extensions:            nodeMap(s.Extensions),
	}
	// Rare parts, by reflection.
	c.Discriminator = detach(d, s.Discriminator)
	c.DependentRequired = detach(d, s.DependentRequired)
	c.Vocabulary = detach(d, s.Vocabulary)
	c.XML = detach(d, s.XML)
	c.ExternalDocs = detach(d, s.ExternalDocs)
}

func (d *detacher) proxyOrNil(p *base.SchemaProxy) *base.SchemaProxy {
	if p == nil {
		return nil
	}
	return d.proxy(p)
}

func (d *detacher) proxies(ps []*base.SchemaProxy) []*base.SchemaProxy {
	if ps == nil {
		return nil
	}
	out := make([]*base.SchemaProxy, len(ps))
	for i, p := range ps {
		out[i] = d.proxyOrNil(p)
	}
	return out
}

func (d *detacher) proxyMap(m *orderedmap.Map[string, *base.SchemaProxy]) *orderedmap.Map[string, *base.SchemaProxy] {
	if m == nil {
		return nil
	}
	out := orderedmap.New[string, *base.SchemaProxy]()
	for k, p := range m.FromOldest() {
		out.Set(k, d.proxyOrNil(p))
	}
	return out
}

func (d *detacher) dynamicProxy(v *base.DynamicValue[*base.SchemaProxy, bool]) *base.DynamicValue[*base.SchemaProxy, bool] {
	if v == nil {
		return nil
	}
	return &base.DynamicValue[*base.SchemaProxy, bool]{N: v.N, A: d.proxyOrNil(v.A), B: v.B}
}

func cloneNodes(ns []*yaml.Node) []*yaml.Node {
	if ns == nil {
		return nil
	}
	out := make([]*yaml.Node, len(ns))
	for i, n := range ns {
		out[i] = cloneNode(n)
	}
	return out
}

func nodeMap(m *orderedmap.Map[string, *yaml.Node]) *orderedmap.Map[string, *yaml.Node] {
	if m == nil {
		return nil
	}
	out := orderedmap.New[string, *yaml.Node]()
	for k, n := range m.FromOldest() {
		out.Set(k, cloneNode(n))
	}
	return out
}

// Detached returns a copy of v whose model holds no libopenapi low-level objects: once
// nothing else holds v, its parsed documents (node trees, low-level model, index) can be
// collected. The copy's operations are in v's order, with v's effective security (which
// needs the low-level model to tell an empty list from none).
func (v *Vendor) Detached() (*Vendor, error) {
	d := newDetacher(v)
	c := &Vendor{Name: v.Name, Mount: v.Mount, Source: v.Source, Title: v.Title, Version: v.Version,
		Sidecar: v.Sidecar, Warnings: v.Warnings, detached: true}
	c.Model = detach(d, v.Model)
	if err := c.buildOperations(); err != nil {
		return nil, err
	}
	if len(c.Operations) != len(v.Operations) {
		return nil, fmt.Errorf("%s: detached copy has %d operations, want %d", v.Name, len(c.Operations), len(v.Operations))
	}
	for i, op := range c.Operations {
		if op.ID != v.Operations[i].ID {
			return nil, fmt.Errorf("%s: detached operation %d is %s, want %s", v.Name, i, op.ID, v.Operations[i].ID)
		}
		op.Security = detach(d, v.Operations[i].Security)
	}
	return c, nil
}
