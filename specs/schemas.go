package specs

import (
	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	"github.com/pb33f/libopenapi/index"
)

// Schema returns the schema a proxy points at, one object per schema of the description.
//
// libopenapi builds a new schema object, and below it new objects for every property, each
// time its model reaches a schema from another place: Open Dental's 344 operations hold
// 1,600 response schemas that are at most 196 distinct ones (its error schemas alone are
// referenced over a thousand times). Reading them through Schema builds each once, and gives
// every part of the mock one object to key its caches (generation plans, compiled
// validators) by.
//
// Schemas are the same when a proxy is a $ref to the same location of the same file, or
// when it is written inline at the same place of the file (a response object that several
// operations reference holds one inline schema). Anything else, and every proxy when v is
// nil, gets the proxy's own schema.
func (v *Vendor) Schema(p *base.SchemaProxy) *base.Schema {
	if p == nil {
		return nil
	}
	k, ok := schemaKeyOf(p)
	if v == nil || !ok {
		return p.Schema()
	}
	if s, ok := v.schemas.Load(k); ok {
		return s.(*base.Schema)
	}
	s := p.Schema()
	if s == nil {
		return nil // a schema that does not build: its proxy reports why (GetBuildError)
	}
	got, _ := v.schemas.LoadOrStore(k, s)
	return got.(*base.Schema)
}

// schemaKey names a schema of a description: a reference within one file, or an inline
// schema by its node.
type schemaKey struct {
	idx  *index.SpecIndex
	ref  string
	node *yaml.Node
}

func schemaKeyOf(p *base.SchemaProxy) (schemaKey, bool) {
	low := p.GoLow()
	if low == nil {
		return schemaKey{}, false
	}
	if p.IsReference() {
		ref := p.GetReference()
		return schemaKey{idx: low.GetIndex(), ref: ref}, ref != "" && low.GetIndex() != nil
	}
	n := low.GetValueNode()
	return schemaKey{node: n}, n != nil
}

// KeyName is the key s is declared under in the description (a property or component name,
// or a keyword such as items), or "" when not known.
func (v *Vendor) KeyName(s *base.Schema) string {
	if s == nil {
		return ""
	}
	if v != nil && v.detached {
		return v.keyNames[s]
	}
	if pp := s.ParentProxy; pp != nil && pp.GoLow() != nil {
		if k := pp.GetSchemaKeyNode(); k != nil {
			return k.Value
		}
	}
	return ""
}
