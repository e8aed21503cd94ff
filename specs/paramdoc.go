package specs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/datamodel"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/orderedmap"
)

// paramDocument gives each operation of v a path item for libopenapi-validator's parameter
// and response-header checks, which read line numbers from libopenapi's low-level objects
// when they report a failure, and so cannot run on a detached model.
//
// The parameters and answer headers are written into the components of a small description
// of their own, once per distinct rendering and with only what the checks read (Open
// Dental's 580 parameters are 198, its answers' headers 2), and parsed. Each
// operation's path item is then made around them: the library reads path items and
// operations only through their fields.
func paramDocument(v *Vendor) (*v3.Document, map[string]*v3.PathItem, error) {
	params := &sharedNodes{byText: map[string]string{}, nodes: map[string]json.RawMessage{}, prefix: "p"}
	headers := &sharedNodes{byText: map[string]string{}, nodes: map[string]json.RawMessage{}, prefix: "h"}
	opParams := map[string][]string{}
	opHeaders := map[string]map[string]map[string]string{} // op → code → header → component
	for _, op := range v.Operations {
		for _, p := range op.Params {
			rendered, err := v.paramJSON(p)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: parameter %s: %w", op.ID, p.Name, err)
			}
			name, err := params.add(rendered)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: parameter %s: %w", op.ID, p.Name, err)
			}
			opParams[op.ID] = append(opParams[op.ID], name)
		}
		err := eachResponse(op, func(code string, r *v3.Response) error {
			if r == nil || r.Headers == nil {
				return nil
			}
			for h, header := range r.Headers.FromOldest() {
				rendered, err := v.headerJSON(header)
				if err != nil {
					return fmt.Errorf("%s: %s header %s: %w", op.ID, code, h, err)
				}
				name, err := headers.add(rendered)
				if err != nil {
					return fmt.Errorf("%s: %s header %s: %w", op.ID, code, h, err)
				}
				if opHeaders[op.ID] == nil {
					opHeaders[op.ID] = map[string]map[string]string{}
				}
				if opHeaders[op.ID][code] == nil {
					opHeaders[op.ID][code] = map[string]string{}
				}
				opHeaders[op.ID][code][h] = name
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	text, err := json.Marshal(map[string]any{
		"openapi":    v.Version,
		"info":       map[string]string{"title": "parameters of " + v.Title, "version": "0"},
		"paths":      map[string]any{},
		"components": map[string]any{"parameters": params.nodes, "headers": headers.nodes},
	})
	if err != nil {
		return nil, nil, fmt.Errorf("parameter document: %w", err)
	}
	parsed, err := libopenapi.NewDocumentWithConfiguration(text, &datamodel.DocumentConfiguration{SkipMetadataCollection: true})
	if err != nil {
		return nil, nil, fmt.Errorf("parameter document: %w", err)
	}
	model, err := parsed.BuildV3Model()
	if err != nil || model == nil {
		return nil, nil, fmt.Errorf("parameter document: %w", err)
	}
	parsed.Release()
	doc := &model.Model
	items := map[string]*v3.PathItem{}
	for _, op := range v.Operations {
		o := &v3.Operation{OperationId: op.ID, Responses: &v3.Responses{Codes: orderedmap.New[string, *v3.Response](), Default: &v3.Response{}}}
		for _, name := range opParams[op.ID] {
			p, ok := doc.Components.Parameters.Get(name)
			if !ok {
				return nil, nil, fmt.Errorf("parameter document: no parameter %s", name)
			}
			o.Parameters = append(o.Parameters, p)
		}
		for code, hs := range opHeaders[op.ID] {
			r := &v3.Response{Headers: orderedmap.New[string, *v3.Header]()}
			for h, name := range hs {
				header, ok := doc.Components.Headers.Get(name)
				if !ok {
					return nil, nil, fmt.Errorf("parameter document: no header %s", name)
				}
				r.Headers.Set(h, header)
			}
			if code == "default" {
				o.Responses.Default = r
			} else {
				o.Responses.Codes.Set(code, r)
			}
		}
		item := &v3.PathItem{}
		setOperation(item, op.Method, o)
		items[op.ID] = item
	}
	return doc, items, nil
}

func eachResponse(op *Operation, f func(code string, r *v3.Response) error) error {
	rs := op.Op.Responses
	if rs == nil {
		return nil
	}
	if rs.Codes != nil {
		for code, r := range rs.Codes.FromOldest() {
			if err := f(code, r); err != nil {
				return err
			}
		}
	}
	if rs.Default != nil {
		return f("default", rs.Default)
	}
	return nil
}

// setOperation puts o on item under an upper-case method (the inverse of operationOf).
func setOperation(item *v3.PathItem, method string, o *v3.Operation) {
	if slot := operationSlot(item, method); slot != nil {
		*slot = o
		return
	}
	if item.AdditionalOperations == nil {
		item.AdditionalOperations = orderedmap.New[string, *v3.Operation]()
	}
	item.AdditionalOperations.Set(strings.ToLower(method), o)
}

// sharedNodes names rendered objects once per distinct rendering, for components.
type sharedNodes struct {
	byText map[string]string
	nodes  map[string]json.RawMessage
	prefix string
}

func (s *sharedNodes) add(rendered map[string]any) (string, error) {
	text, err := json.Marshal(rendered)
	if err != nil {
		return "", err
	}
	name, ok := s.byText[string(text)]
	if !ok {
		name = s.prefix + strconv.Itoa(len(s.byText))
		s.byText[string(text)] = name
		s.nodes[name] = text
	}
	return name, nil
}

// paramJSON writes what the library's parameter checks read of a parameter (not its
// description or examples), its schema through RenderJSONSchema.
func (v *Vendor) paramJSON(p *v3.Parameter) (map[string]any, error) {
	m := map[string]any{"name": p.Name, "in": p.In}
	if p.Required != nil {
		m["required"] = *p.Required
	}
	if p.AllowEmptyValue {
		m["allowEmptyValue"] = true
	}
	if p.AllowReserved {
		m["allowReserved"] = true
	}
	return m, v.styledJSON(m, p.Style, p.Explode, p.Schema, p.Content)
}

// headerJSON is paramJSON for an answer's header.
func (v *Vendor) headerJSON(h *v3.Header) (map[string]any, error) {
	m := map[string]any{}
	if h.Required {
		m["required"] = true
	}
	var explode *bool
	if h.Explode {
		explode = &h.Explode
	}
	return m, v.styledJSON(m, h.Style, explode, h.Schema, h.Content)
}

func (v *Vendor) styledJSON(m map[string]any, style string, explode *bool, schema *base.SchemaProxy, content *orderedmap.Map[string, *v3.MediaType]) error {
	if style != "" {
		m["style"] = style
	}
	if explode != nil {
		m["explode"] = *explode
	}
	render := func(p *base.SchemaProxy) (json.RawMessage, error) {
		js, err := RenderJSONSchema(v.Schema(p), v.Schema, UseAny)
		if err != nil {
			return nil, err
		}
		if bytes.Contains(js, []byte(`"$defs"`)) {
			// A recursive schema: its references are relative to the schema, not to the
			// document it would be written into.
			return nil, errors.New("a recursive parameter or header schema is not supported")
		}
		return js, nil
	}
	if schema != nil {
		js, err := render(schema)
		if err != nil {
			return err
		}
		m["schema"] = js
	}
	if content != nil && content.Len() > 0 {
		c := map[string]any{}
		for ct, mt := range content.FromOldest() {
			entry := map[string]any{}
			if mt.Schema != nil {
				js, err := render(mt.Schema)
				if err != nil {
					return err
				}
				entry["schema"] = js
			}
			c[ct] = entry
		}
		m["content"] = c
	}
	return nil
}
