package specs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/datamodel"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// paramDocument writes the parameters of v's operations, and the headers of their answers,
// into a description of their own and
// parses it: libopenapi-validator's parameter checks need libopenapi's low-level objects
// (they read line numbers from them to report a failure), which a detached model does not
// have. Each operation keeps its path and method there and lists its merged parameters,
// rendered inline once per distinct parameter and shared through components, as the
// description shares them, so the document stays small (Open Dental's 580 parameters are
// ~60 distinct ones).
//
// It returns the document's model and each operation's path item in it, by operation id.
func paramDocument(v *Vendor) (*v3.Document, map[string]*v3.PathItem, error) {
	params := &sharedNodes{byText: map[string]string{}, nodes: map[string]*yaml.Node{}, prefix: "p", section: "parameters"}
	shared := &sharedNodes{byText: map[string]string{}, nodes: map[string]*yaml.Node{}, prefix: "h", section: "headers"}
	paths := map[string]map[string]any{}
	for _, op := range v.Operations {
		refs := make([]any, 0, len(op.Params))
		for _, p := range op.Params {
			rendered, err := p.MarshalYAMLInline()
			if err != nil {
				return nil, nil, fmt.Errorf("%s: parameter %s: %w", op.ID, p.Name, err)
			}
			ref, err := params.ref(rendered)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: parameter %s: %w", op.ID, p.Name, err)
			}
			refs = append(refs, ref)
		}
		item := paths[op.Path]
		if item == nil {
			item = map[string]any{}
			paths[op.Path] = item
		}
		responses, err := responseHeaders(op, shared)
		if err != nil {
			return nil, nil, err
		}
		item[strings.ToLower(op.Method)] = map[string]any{
			"operationId": op.ID,
			"parameters":  refs,
			"responses":   responses,
		}
	}
	doc := map[string]any{
		"openapi":    v.Version,
		"info":       map[string]string{"title": "parameters of " + v.Title, "version": "0"},
		"paths":      paths,
		"components": map[string]any{"parameters": params.nodes, "headers": shared.nodes},
	}
	text, err := yaml.Marshal(doc)
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
	items := map[string]*v3.PathItem{}
	for _, op := range v.Operations {
		item, ok := model.Model.Paths.PathItems.Get(op.Path)
		if !ok {
			return nil, nil, fmt.Errorf("parameter document: %s has no path %s", op.ID, op.Path)
		}
		items[op.ID] = item
	}
	return &model.Model, items, nil
}

// sharedNodes names rendered objects once per distinct rendering, under components.
type sharedNodes struct {
	byText          map[string]string
	nodes           map[string]*yaml.Node
	prefix, section string
}

func (s *sharedNodes) ref(rendered any) (map[string]string, error) {
	node, ok := rendered.(*yaml.Node)
	if !ok {
		return nil, fmt.Errorf("rendered as %T", rendered)
	}
	text, err := yaml.Marshal(node)
	if err != nil {
		return nil, err
	}
	name, ok := s.byText[string(text)]
	if !ok {
		name = s.prefix + strconv.Itoa(len(s.byText))
		s.byText[string(text)] = name
		s.nodes[name] = node
	}
	return map[string]string{"$ref": "#/components/" + s.section + "/" + name}, nil
}

// responseHeaders are an operation's documented answers with their headers only, for the
// library's status and response-header checks.
func responseHeaders(op *Operation, shared *sharedNodes) (map[string]any, error) {
	out := map[string]any{}
	add := func(code string, r *v3.Response) error {
		entry := map[string]any{"description": "not described here"}
		if r != nil && r.Headers != nil && r.Headers.Len() > 0 {
			hs := map[string]any{}
			for name, h := range r.Headers.FromOldest() {
				rendered, err := h.MarshalYAMLInline()
				if err != nil {
					return fmt.Errorf("%s: %s header %s: %w", op.ID, code, name, err)
				}
				ref, err := shared.ref(rendered)
				if err != nil {
					return fmt.Errorf("%s: %s header %s: %w", op.ID, code, name, err)
				}
				hs[name] = ref
			}
			entry["headers"] = hs
		}
		out[code] = entry
		return nil
	}
	if rs := op.Op.Responses; rs != nil {
		if rs.Codes != nil {
			for code, r := range rs.Codes.FromOldest() {
				if err := add(code, r); err != nil {
					return nil, err
				}
			}
		}
		if rs.Default != nil {
			if err := add("default", rs.Default); err != nil {
				return nil, err
			}
		}
	}
	if len(out) == 0 {
		out["default"] = map[string]string{"description": "not described here"}
	}
	return out, nil
}
