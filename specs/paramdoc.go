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

// paramDocument writes the parameters of v's operations into a description of their own and
// parses it: libopenapi-validator's parameter checks need libopenapi's low-level objects
// (they read line numbers from them to report a failure), which a detached model does not
// have. Each operation keeps its path and method there and lists its merged parameters,
// rendered inline once per distinct parameter and shared through components, as the
// description shares them, so the document stays small (Open Dental's 580 parameters are
// ~60 distinct ones).
//
// It returns the document's model and each operation's path item in it, by operation id.
func paramDocument(v *Vendor) (*v3.Document, map[string]*v3.PathItem, error) {
	byText := map[string]string{}
	params := map[string]*yaml.Node{}
	paths := map[string]map[string]any{}
	for _, op := range v.Operations {
		refs := make([]any, 0, len(op.Params))
		for _, p := range op.Params {
			rendered, err := p.MarshalYAMLInline()
			if err != nil {
				return nil, nil, fmt.Errorf("%s: parameter %s: %w", op.ID, p.Name, err)
			}
			node, ok := rendered.(*yaml.Node)
			if !ok {
				return nil, nil, fmt.Errorf("%s: parameter %s: rendered as %T", op.ID, p.Name, rendered)
			}
			text, err := yaml.Marshal(node)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: parameter %s: %w", op.ID, p.Name, err)
			}
			name, ok := byText[string(text)]
			if !ok {
				name = "p" + strconv.Itoa(len(byText))
				byText[string(text)] = name
				params[name] = node
			}
			refs = append(refs, map[string]string{"$ref": "#/components/parameters/" + name})
		}
		item := paths[op.Path]
		if item == nil {
			item = map[string]any{}
			paths[op.Path] = item
		}
		item[strings.ToLower(op.Method)] = map[string]any{
			"operationId": op.ID,
			"parameters":  refs,
			"responses":   map[string]any{"default": map[string]string{"description": "not described here"}},
		}
	}
	doc := map[string]any{
		"openapi":    v.Version,
		"info":       map[string]string{"title": "parameters of " + v.Title, "version": "0"},
		"paths":      paths,
		"components": map[string]any{"parameters": params},
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
