package specs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/datamodel"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/orderedmap"
)

// paramDocument gives each operation of v a path item for libopenapi-validator's parameter
// and response-header checks, which read line numbers from libopenapi's low-level objects
// when they report a failure, and so cannot run on a detached model.
//
// The parameters and answer headers are rendered inline into the components of a small
// description of their own, once per distinct rendering (Open Dental's 580 parameters are
// ~100 without their descriptions and examples, which no check reads), and parsed. Each
// operation's path item is then made around them: the library reads path items and
// operations only through their fields.
func paramDocument(v *Vendor) (*v3.Document, map[string]*v3.PathItem, error) {
	params := &sharedNodes{byText: map[string]string{}, nodes: map[string]*yaml.Node{}, prefix: "p"}
	headers := &sharedNodes{byText: map[string]string{}, nodes: map[string]*yaml.Node{}, prefix: "h"}
	opParams := map[string][]string{}
	opHeaders := map[string]map[string]map[string]string{} // op → code → header → component
	for _, op := range v.Operations {
		for _, p := range op.Params {
			rendered, err := p.MarshalYAMLInline()
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
				rendered, err := header.MarshalYAMLInline()
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
	text, err := yaml.Marshal(map[string]any{
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
	switch method {
	case "GET":
		item.Get = o
	case "PUT":
		item.Put = o
	case "POST":
		item.Post = o
	case "DELETE":
		item.Delete = o
	case "OPTIONS":
		item.Options = o
	case "HEAD":
		item.Head = o
	case "PATCH":
		item.Patch = o
	case "TRACE":
		item.Trace = o
	case "QUERY":
		item.Query = o
	default:
		if item.AdditionalOperations == nil {
			item.AdditionalOperations = orderedmap.New[string, *v3.Operation]()
		}
		item.AdditionalOperations.Set(strings.ToLower(method), o)
	}
}

// sharedNodes names rendered objects once per distinct rendering, for components.
type sharedNodes struct {
	byText map[string]string
	nodes  map[string]*yaml.Node
	prefix string
}

// add names a rendered parameter or header, without the parts no check reads.
func (s *sharedNodes) add(rendered any) (string, error) {
	node, ok := rendered.(*yaml.Node)
	if !ok {
		return "", fmt.Errorf("rendered as %T", rendered)
	}
	undocumented(node)
	text, err := yaml.Marshal(node)
	if err != nil {
		return "", err
	}
	name, ok := s.byText[string(text)]
	if !ok {
		name = s.prefix + strconv.Itoa(len(s.byText))
		s.byText[string(text)] = name
		s.nodes[name] = node
	}
	return name, nil
}

// undocumented drops descriptions and examples from a rendered parameter or header and its
// schema, in place.
func undocumented(n *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	kept := n.Content[:0]
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "description", "example", "examples", "deprecated":
			continue
		case "schema":
			undocumented(n.Content[i+1])
		}
		kept = append(kept, n.Content[i], n.Content[i+1])
	}
	n.Content = kept
}
