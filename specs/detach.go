package specs

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
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
	// strs interns the copy's strings. Copying them matters as much as copying nodes: the
	// parser allocates every scalar's string on its own, among the tree's nodes, and one kept
	// would keep its span of the collected document half empty. Interning also shares the
	// many repeated ones (types, formats, property names).
	strs map[string]string
	// items are the path items copied, by original (operations are found through them).
	items map[*v3.PathItem]*v3.PathItem
	// keyNames are the copies' KeyName.
	keyNames map[*base.Schema]string
}

// s is a copy of x that shares nothing with the parsed document.
func (d *detacher) s(x string) string {
	if x == "" {
		return ""
	}
	if c, ok := d.strs[x]; ok {
		return c
	}
	c := strings.Clone(x)
	d.strs[c] = c
	return c
}

func (d *detacher) ss(xs []string) []string {
	if xs == nil {
		return nil
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = d.s(x)
	}
	return out
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
	return &detacher{v: v, schemas: map[*base.Schema]*base.Schema{}, done: map[ptrKey]reflect.Value{}, strs: map[string]string{}, items: map[*v3.PathItem]*v3.PathItem{}, keyNames: map[*base.Schema]string{}}
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
			return reflect.ValueOf(d.node(v.Interface().(*yaml.Node)))
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
	case reflect.String:
		c := reflect.New(v.Type()).Elem()
		c.SetString(d.s(v.String()))
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
		set.Call([]reflect.Value{d.value(args[0]), d.value(args[1])})
		return []reflect.Value{reflect.ValueOf(true)}
	})
	seq.Call([]reflect.Value{yield})
	return c
}

// proxy copies a schema proxy: a $ref keeps its reference text beside the copied schema.
func (d *detacher) proxy(p *base.SchemaProxy) *base.SchemaProxy {
	s := d.schema(d.v.Schema(p))
	if p.IsReference() {
		return base.CreateSchemaProxyRefWithSchema(d.s(p.GetReference()), s)
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
	// The generator names a schema after the $ref it was reached through, else after the key
	// it is declared under (fake's schemaName).
	if pp := s.ParentProxy; pp != nil && pp.IsReference() {
		c.ParentProxy = base.CreateSchemaProxyRefWithSchema(d.s(pp.GetReference()), c)
	}
	if k := d.v.KeyName(s); k != "" {
		d.keyNames[c] = d.s(k)
	}
	return c
}

// node copies a YAML node and its subtree into fresh nodes.
func (d *detacher) node(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := &yaml.Node{Kind: n.Kind, Style: n.Style, Tag: d.s(n.Tag), Value: d.s(n.Value), Anchor: d.s(n.Anchor), Line: n.Line, Column: n.Column}
	if n.Alias != nil {
		c.Alias = d.node(n.Alias)
	}
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, k := range n.Content {
			c.Content[i] = d.node(k)
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
		SchemaTypeRef:         d.s(s.SchemaTypeRef),
		ExclusiveMaximum:      dynamic(s.ExclusiveMaximum),
		ExclusiveMinimum:      dynamic(s.ExclusiveMinimum),
		Type:                  d.ss(s.Type),
		AllOf:                 d.proxies(s.AllOf),
		OneOf:                 d.proxies(s.OneOf),
		AnyOf:                 d.proxies(s.AnyOf),
		Examples:              d.nodes(s.Examples),
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
		Id:                    d.s(s.Id),
		Anchor:                d.s(s.Anchor),
		DynamicAnchor:         d.s(s.DynamicAnchor),
		DynamicRef:            d.s(s.DynamicRef),
		Comment:               d.s(s.Comment),
		ContentSchema:         d.proxyOrNil(s.ContentSchema),
		Not:                   d.proxyOrNil(s.Not),
		Properties:            d.proxyMap(s.Properties),
		Title:                 d.s(s.Title),
		MultipleOf:            ptr(s.MultipleOf),
		Maximum:               ptr(s.Maximum),
		Minimum:               ptr(s.Minimum),
		MaxLength:             ptr(s.MaxLength),
		MinLength:             ptr(s.MinLength),
		Pattern:               d.s(s.Pattern),
		Format:                d.s(s.Format),
		MaxItems:              ptr(s.MaxItems),
		MinItems:              ptr(s.MinItems),
		UniqueItems:           ptr(s.UniqueItems),
		MaxProperties:         ptr(s.MaxProperties),
		MinProperties:         ptr(s.MinProperties),
		Required:              d.ss(s.Required),
		Enum:                  d.nodes(s.Enum),
		AdditionalProperties:  d.dynamicProxy(s.AdditionalProperties),
		Description:           d.s(s.Description),
		ContentEncoding:       d.s(s.ContentEncoding),
		ContentMediaType:      d.s(s.ContentMediaType),
		Default:               d.node(s.Default),
		Const:                 d.node(s.Const),
		Nullable:              ptr(s.Nullable),
		ReadOnly:              ptr(s.ReadOnly),
		WriteOnly:             ptr(s.WriteOnly),
		Example:               d.node(s.Example),
		Deprecated:            ptr(s.Deprecated),
		Extensions:            d.nodeMap(s.Extensions),
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
		out.Set(d.s(k), d.proxyOrNil(p))
	}
	return out
}

func (d *detacher) dynamicProxy(v *base.DynamicValue[*base.SchemaProxy, bool]) *base.DynamicValue[*base.SchemaProxy, bool] {
	if v == nil {
		return nil
	}
	return &base.DynamicValue[*base.SchemaProxy, bool]{N: v.N, A: d.proxyOrNil(v.A), B: v.B}
}

func (d *detacher) nodes(ns []*yaml.Node) []*yaml.Node {
	if ns == nil {
		return nil
	}
	out := make([]*yaml.Node, len(ns))
	for i, n := range ns {
		out[i] = d.node(n)
	}
	return out
}

func (d *detacher) nodeMap(m *orderedmap.Map[string, *yaml.Node]) *orderedmap.Map[string, *yaml.Node] {
	if m == nil {
		return nil
	}
	out := orderedmap.New[string, *yaml.Node]()
	for k, n := range m.FromOldest() {
		out.Set(d.s(k), d.node(n))
	}
	return out
}

// Detached returns a copy of v whose model holds no libopenapi low-level objects: once
// nothing else holds v, its parsed documents (node trees, low-level model, index) can be
// collected. The copy's operations are in v's order, with v's effective security (which
// needs the low-level model to tell an empty list from none).
func (v *Vendor) Detached() (*Vendor, error) {
	// Build first, copy after: libopenapi builds schemas lazily, and a copy made schema by
	// schema as they are built would lie scattered among the built objects, which die with the
	// document, leaving the copy's memory pages half empty (~10 MiB more heap in use at start
	// for the bundled vendors).
	//
	// The parameter document is made meanwhile, on the other core when there is one (Open
	// Dental's detach is start-up's longest path).
	var (
		wg    sync.WaitGroup
		pm    *v3.Document
		items map[string]*v3.PathItem
		perr  error
	)
	wg.Go(func() { pm, items, perr = paramDocument(v) })
	buildSchemas(v)
	d := newDetacher(v)
	c := &Vendor{Name: v.Name, Mount: v.Mount, Source: v.Source, Title: v.Title, Version: v.Version,
		Sidecar: v.Sidecar, Warnings: v.Warnings, detached: true}
	c.Model = detach(d, v.Model)
	if wg.Wait(); perr != nil {
		return nil, fmt.Errorf("%s: %w", v.Name, perr)
	}
	c.ParamModel = pm
	c.keyNames = d.keyNames
	// v's operations, pointing into the copy (in v's order, with v's effective security,
	// which needs the low-level model to tell an empty list from none).
	c.byID = make(map[string]*Operation, len(v.Operations))
	for _, op := range v.Operations {
		item, ok := d.items[op.PathItem]
		if !ok {
			return nil, fmt.Errorf("%s: path %s is missing from the detached copy", v.Name, op.Path)
		}
		dop := *op
		dop.Vendor = c
		dop.PathItem = item
		dop.Op = operationOf(dop.PathItem, op.Method)
		if dop.Op == nil {
			return nil, fmt.Errorf("%s: operation %s is missing from the detached copy", v.Name, op.ID)
		}
		dop.Params = mergeParams(dop.PathItem.Parameters, dop.Op.Parameters)
		dop.Security = detach(d, op.Security)
		dop.ParamItem = items[op.ID]
		c.byID[dop.ID] = &dop
		c.Operations = append(c.Operations, &dop)
	}
	return c, nil
}

// buildSchemas has libopenapi build every schema of v's model that a copy reaches.
func buildSchemas(v *Vendor) {
	seen := map[*base.Schema]bool{}
	var schema func(p *base.SchemaProxy)
	schema = func(p *base.SchemaProxy) {
		if p == nil {
			return
		}
		s := v.Schema(p)
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for _, list := range [][]*base.SchemaProxy{s.AllOf, s.OneOf, s.AnyOf, s.PrefixItems} {
			for _, c := range list {
				schema(c)
			}
		}
		for _, c := range []*base.SchemaProxy{s.Contains, s.If, s.Then, s.Else, s.PropertyNames, s.UnevaluatedItems, s.Not, s.ContentSchema} {
			schema(c)
		}
		for _, m := range []*orderedmap.Map[string, *base.SchemaProxy]{s.Properties, s.PatternProperties, s.DependentSchemas, s.Defs} {
			if m != nil {
				for _, c := range m.FromOldest() {
					schema(c)
				}
			}
		}
		for _, dv := range []*base.DynamicValue[*base.SchemaProxy, bool]{s.Items, s.AdditionalProperties, s.UnevaluatedProperties} {
			if dv != nil && dv.IsA() {
				schema(dv.A)
			}
		}
	}
	content := func(m *orderedmap.Map[string, *v3.MediaType]) {
		if m != nil {
			for _, mt := range m.FromOldest() {
				schema(mt.Schema)
				schema(mt.ItemSchema)
			}
		}
	}
	params := func(ps []*v3.Parameter) {
		for _, p := range ps {
			schema(p.Schema)
			content(p.Content)
		}
	}
	headers := func(m *orderedmap.Map[string, *v3.Header]) {
		if m != nil {
			for _, h := range m.FromOldest() {
				schema(h.Schema)
				content(h.Content)
			}
		}
	}
	response := func(r *v3.Response) {
		if r != nil {
			headers(r.Headers)
			content(r.Content)
		}
	}
	if c := v.Model.Components; c != nil {
		if c.Schemas != nil {
			for _, p := range c.Schemas.FromOldest() {
				schema(p)
			}
		}
		if c.Parameters != nil {
			params(slices.Collect(c.Parameters.ValuesFromOldest()))
		}
		headers(c.Headers)
		if c.RequestBodies != nil {
			for _, rb := range c.RequestBodies.FromOldest() {
				content(rb.Content)
			}
		}
		if c.Responses != nil {
			for _, r := range c.Responses.FromOldest() {
				response(r)
			}
		}
	}
	if v.Model.Paths == nil || v.Model.Paths.PathItems == nil {
		return
	}
	for _, item := range v.Model.Paths.PathItems.FromOldest() {
		params(item.Parameters)
		for _, op := range item.GetOperations().FromOldest() {
			params(op.Parameters)
			if op.RequestBody != nil {
				content(op.RequestBody.Content)
			}
			if op.Responses != nil {
				response(op.Responses.Default)
				if op.Responses.Codes != nil {
					for _, r := range op.Responses.Codes.FromOldest() {
						response(r)
					}
				}
			}
		}
	}
}

// operationOf is a path item's operation for an upper-case method.
func operationOf(item *v3.PathItem, method string) *v3.Operation {
	if slot := operationSlot(item, method); slot != nil {
		return *slot
	}
	if item.AdditionalOperations != nil {
		for name, op := range item.AdditionalOperations.FromOldest() {
			if strings.EqualFold(name, method) {
				return op
			}
		}
	}
	return nil
}

// operationSlot is a path item's field for an upper-case method (nil for other methods,
// which are additional operations).
func operationSlot(item *v3.PathItem, method string) **v3.Operation {
	switch method {
	case "GET":
		return &item.Get
	case "PUT":
		return &item.Put
	case "POST":
		return &item.Post
	case "DELETE":
		return &item.Delete
	case "OPTIONS":
		return &item.Options
	case "HEAD":
		return &item.Head
	case "PATCH":
		return &item.Patch
	case "TRACE":
		return &item.Trace
	case "QUERY":
		return &item.Query
	}
	return nil
}
