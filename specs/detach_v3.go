package specs

import (
	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/orderedmap"
)

// Per-type copies of the objects a description has many of (path items, operations,
// parameters, responses, media types): by reflection they cost most of a detach.

func omap[V any](d *detacher, m *orderedmap.Map[string, V], copyV func(V) V) *orderedmap.Map[string, V] {
	if m == nil {
		return nil
	}
	out := orderedmap.New[string, V]()
	for k, v := range m.FromOldest() {
		out.Set(d.s(k), copyV(v))
	}
	return out
}

func list[V any](vs []V, copyV func(V) V) []V {
	if vs == nil {
		return nil
	}
	out := make([]V, len(vs))
	for i, v := range vs {
		out[i] = copyV(v)
	}
	return out
}

func (d *detacher) pathItem(p *v3.PathItem) *v3.PathItem {
	if p == nil {
		return nil
	}
	if c, ok := d.items[p]; ok {
		return c
	}
	c := &v3.PathItem{
		Reference: d.s(p.Reference), Description: d.s(p.Description), Summary: d.s(p.Summary),
		Get: d.operation(p.Get), Put: d.operation(p.Put), Post: d.operation(p.Post), Delete: d.operation(p.Delete),
		Options: d.operation(p.Options), Head: d.operation(p.Head), Patch: d.operation(p.Patch), Trace: d.operation(p.Trace),
		Query:                d.operation(p.Query),
		AdditionalOperations: omap(d, p.AdditionalOperations, d.operation),
		Servers:              detach(d, p.Servers),
		Parameters:           list(p.Parameters, d.parameter),
		Extensions:           d.nodeMap(p.Extensions),
	}
	d.items[p] = c
	return c
}

func (d *detacher) operation(o *v3.Operation) *v3.Operation {
	if o == nil {
		return nil
	}
	return &v3.Operation{
		Tags: d.ss(o.Tags), Summary: d.s(o.Summary), Description: d.s(o.Description), OperationId: d.s(o.OperationId),
		ExternalDocs: detach(d, o.ExternalDocs),
		Parameters:   list(o.Parameters, d.parameter),
		RequestBody:  d.requestBody(o.RequestBody),
		Responses:    d.responses(o.Responses),
		Callbacks:    detach(d, o.Callbacks),
		Deprecated:   ptr(o.Deprecated),
		Security:     detach(d, o.Security),
		Servers:      detach(d, o.Servers),
		Extensions:   d.nodeMap(o.Extensions),
	}
}

func (d *detacher) parameter(p *v3.Parameter) *v3.Parameter {
	if p == nil {
		return nil
	}
	return &v3.Parameter{
		Reference: d.s(p.Reference), Name: d.s(p.Name), In: d.s(p.In), Description: d.s(p.Description),
		Required: ptr(p.Required), Deprecated: p.Deprecated, AllowEmptyValue: p.AllowEmptyValue,
		Style: d.s(p.Style), Explode: ptr(p.Explode), AllowReserved: p.AllowReserved,
		Schema:     d.proxyOrNil(p.Schema),
		Example:    d.node(p.Example),
		Examples:   omap(d, p.Examples, d.example),
		Content:    omap(d, p.Content, d.mediaType),
		Extensions: d.nodeMap(p.Extensions),
	}
}

func (d *detacher) requestBody(b *v3.RequestBody) *v3.RequestBody {
	if b == nil {
		return nil
	}
	return &v3.RequestBody{
		Reference: d.s(b.Reference), Description: d.s(b.Description), Required: ptr(b.Required),
		Content:    omap(d, b.Content, d.mediaType),
		Extensions: d.nodeMap(b.Extensions),
	}
}

func (d *detacher) responses(r *v3.Responses) *v3.Responses {
	if r == nil {
		return nil
	}
	return &v3.Responses{Codes: omap(d, r.Codes, d.response), Default: d.response(r.Default), Extensions: d.nodeMap(r.Extensions)}
}

func (d *detacher) response(r *v3.Response) *v3.Response {
	if r == nil {
		return nil
	}
	return &v3.Response{
		Reference: d.s(r.Reference), Summary: d.s(r.Summary), Description: d.s(r.Description),
		Headers:    omap(d, r.Headers, d.header),
		Content:    omap(d, r.Content, d.mediaType),
		Links:      detach(d, r.Links),
		Extensions: d.nodeMap(r.Extensions),
	}
}

func (d *detacher) header(h *v3.Header) *v3.Header {
	if h == nil {
		return nil
	}
	return &v3.Header{
		Reference: d.s(h.Reference), Description: d.s(h.Description), Required: h.Required, Deprecated: h.Deprecated,
		AllowEmptyValue: h.AllowEmptyValue, Style: d.s(h.Style), Explode: h.Explode, AllowReserved: h.AllowReserved,
		Schema:     d.proxyOrNil(h.Schema),
		Example:    d.node(h.Example),
		Examples:   omap(d, h.Examples, d.example),
		Content:    omap(d, h.Content, d.mediaType),
		Extensions: d.nodeMap(h.Extensions),
	}
}

func (d *detacher) mediaType(m *v3.MediaType) *v3.MediaType {
	if m == nil {
		return nil
	}
	return &v3.MediaType{
		Schema:       d.proxyOrNil(m.Schema),
		ItemSchema:   d.proxyOrNil(m.ItemSchema),
		Example:      d.node(m.Example),
		Examples:     omap(d, m.Examples, d.example),
		Encoding:     detach(d, m.Encoding),
		ItemEncoding: detach(d, m.ItemEncoding),
		Extensions:   d.nodeMap(m.Extensions),
	}
}

func (d *detacher) example(e *base.Example) *base.Example {
	if e == nil {
		return nil
	}
	return &base.Example{
		Reference: d.s(e.Reference), Summary: d.s(e.Summary), Description: d.s(e.Description), ExternalValue: d.s(e.ExternalValue),
		Value: d.node(e.Value), DataValue: d.node(e.DataValue), SerializedValue: d.s(e.SerializedValue),
		Extensions: d.nodeMap(e.Extensions),
	}
}

// typed is the per-type copy of x when there is one.
func (d *detacher) typed(x any) (any, bool) {
	switch t := x.(type) {
	case *v3.PathItem:
		return d.pathItem(t), true
	case *v3.Operation:
		return d.operation(t), true
	case *v3.Parameter:
		return d.parameter(t), true
	case *v3.RequestBody:
		return d.requestBody(t), true
	case *v3.Responses:
		return d.responses(t), true
	case *v3.Response:
		return d.response(t), true
	case *v3.Header:
		return d.header(t), true
	case *v3.MediaType:
		return d.mediaType(t), true
	case *base.Example:
		return d.example(t), true
	case *orderedmap.Map[string, *v3.PathItem]:
		return omap(d, t, d.pathItem), true
	case *orderedmap.Map[string, *v3.Response]:
		return omap(d, t, d.response), true
	case *orderedmap.Map[string, *v3.Parameter]:
		return omap(d, t, d.parameter), true
	case *orderedmap.Map[string, *v3.RequestBody]:
		return omap(d, t, d.requestBody), true
	case *orderedmap.Map[string, *v3.Header]:
		return omap(d, t, d.header), true
	case *orderedmap.Map[string, *base.Example]:
		return omap(d, t, d.example), true
	case *orderedmap.Map[string, *base.SchemaProxy]:
		return d.proxyMap(t), true
	case *orderedmap.Map[string, *yaml.Node]:
		return d.nodeMap(t), true
	}
	return nil, false
}
