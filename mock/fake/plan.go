package fake

import (
	"regexp"
	"strings"
	"sync"

	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// tset is a set of JSON types.
type tset uint8

const (
	tNull tset = 1 << iota
	tBool
	tInt
	tNum
	tStr
	tArr
	tObj
	tAll = tNull | tBool | tInt | tNum | tStr | tArr | tObj
)

// lazy is a sub-plan compiled on first use (this is what makes recursive
// schemas possible).
type lazy struct {
	once sync.Once
	fn   func() *plan
	p    *plan
}

func (l *lazy) get() *plan {
	if l == nil {
		return nil
	}
	l.once.Do(func() { l.p = l.fn() })
	return l.p
}

func lazyPlan(p *plan) *lazy {
	l := &lazy{p: p}
	l.once.Do(func() {})
	return l
}

// prop is one declared object property.
type prop struct {
	name      string
	sub       *lazy
	required  bool
	hint      string // generator name chosen for this property ("" = none)
	readOnly  bool
	writeOnly bool
}

// group is a oneOf (one=true) or anyOf choice.
type group struct {
	one      bool
	raw      []*lazy  // branches as written
	discProp string   // discriminator property ("" = none)
	discKeys []string // discriminator value per branch ("" = none)
}

// plan is the compiled, merged form of a schema.
type plan struct {
	name     string // component name or title (for hints and discriminators)
	never    bool   // boolean schema false / contradictory
	types    tset
	order    []tset // declared type order (preferred kinds)
	enum     []any
	hasEnum  bool
	constV   any
	hasConst bool
	examples []any
	faker    string

	// numbers
	lo, hi       float64
	loEx, hiEx   bool
	hasLo, hasHi bool
	multipleOf   []float64

	// strings
	minLen, maxLen int // maxLen < 0: unbounded
	patterns       []*patternPlan
	format         string

	// arrays
	items              *lazy
	itemsFalse         bool
	prefix             []*lazy
	minItems, maxItems int // maxItems < 0: unbounded
	unique             bool

	// objects
	props          []prop
	addl           *lazy
	addlFalse      bool
	patternProps   []*regexp.Regexp
	patternPlans   []*lazy
	propertyNames  *lazy
	minProps       int
	maxProps       int // < 0 unbounded
	force          map[string]any
	readOnly       bool
	writeOnly      bool
	groups         []group
	not            []*lazy
	disc           *base.Discriminator
	discChildValue string    // this schema's discriminator value when it extends a base
	choices        *sync.Map // combination index -> *plan (parent ∧ chosen branches)
}

func newPlan() *plan {
	return &plan{types: tAll, maxLen: -1, maxItems: -1, maxProps: -1, choices: new(sync.Map)}
}

// compile builds the plan for s, merging allOf parts in.
func (g *Generator) compile(s *base.Schema, depth int) *plan {
	p := newPlan()
	if s == nil {
		return p
	}
	if s.BooleanSchema != nil {
		p.never = !*s.BooleanSchema
		return p
	}
	p.name = g.schemaName(s)
	if len(s.Type) > 0 {
		p.types = 0
		for _, t := range s.Type {
			b := typeBit(t)
			p.types |= b
			if b != tNull {
				p.order = append(p.order, b)
			}
		}
		if p.types&tNum != 0 {
			p.types |= tInt
		}
		if s.Nullable != nil && *s.Nullable {
			p.types |= tNull
		}
	}
	if s.Enum != nil {
		p.hasEnum = true
		for _, n := range s.Enum {
			p.enum = append(p.enum, nodeValue(n))
		}
	}
	if s.Const != nil {
		p.hasConst = true
		p.constV = nodeValue(s.Const)
	}
	if s.Example != nil {
		p.examples = append(p.examples, nodeValue(s.Example))
	}
	for _, n := range s.Examples {
		p.examples = append(p.examples, nodeValue(n))
	}
	if s.Default != nil {
		p.examples = append(p.examples, nodeValue(s.Default))
	}
	p.faker = extString(s, ExtensionFaker)
	g.compileNumeric(p, s)
	g.compileString(p, s)
	g.compileArray(p, s)
	g.compileObject(p, s)
	if s.ReadOnly != nil && *s.ReadOnly {
		p.readOnly = true
	}
	if s.WriteOnly != nil && *s.WriteOnly {
		p.writeOnly = true
	}
	if s.Not != nil {
		np := s.Not
		p.not = append(p.not, &lazy{fn: func() *plan { return g.proxyPlan(np) }})
	}
	p.disc = s.Discriminator
	for _, ap := range s.AllOf {
		if depth > 16 {
			break
		}
		sub := g.schemaOf(ap)
		if sub == nil {
			continue
		}
		var part *plan
		if v, ok := g.plans.Load(sub); ok {
			part = v.(*plan)
		} else {
			part = g.compile(sub, depth+1)
		}
		if part.disc != nil && p.name != "" && p.discChildValue == "" {
			p.discChildValue = discValueFor(part.disc, "#/components/schemas/"+p.name, p.name)
			if p.force == nil {
				p.force = map[string]any{}
			}
			p.force[part.disc.PropertyName] = p.discChildValue
		}
		p = merge(p, part)
	}
	g.compileChoices(p, s)
	return p
}

// proxyPlan resolves a proxy to its (cached) plan. An OpenAPI 3.1 $ref with
// sibling keywords is compiled from libopenapi's semantic allOf view (the
// plain Schema() of such a proxy only holds the siblings).
func (g *Generator) proxyPlan(sp *base.SchemaProxy) *plan {
	if sp == nil {
		return newPlan()
	}
	if sp.IsTransformedRefWithSiblings() {
		if v, ok := g.plans.Load(sp); ok {
			return v.(*plan)
		}
		sem, err := sp.BuildTransformedRefSemanticSchema(nil)
		if err != nil || sem == nil {
			return g.plan(g.schemaOf(sp))
		}
		p := g.compile(sem, 0)
		if p.name == "" {
			if ref := sp.GetReference(); ref != "" {
				p.name = ref[strings.LastIndex(ref, "/")+1:]
			}
		}
		v, _ := g.plans.LoadOrStore(sp, p)
		return v.(*plan)
	}
	s := g.schemaOf(sp)
	if s == nil {
		return newPlan()
	}
	return g.plan(s)
}

// discValueFor returns the discriminator mapping key whose target is ref (or
// ends with /name), else name.
func discValueFor(d *base.Discriminator, ref, name string) string {
	if d.Mapping != nil {
		for k, v := range d.Mapping.FromOldest() {
			if v == ref || (name != "" && (strings.HasSuffix(v, "/"+name) || v == name)) {
				return k
			}
		}
	}
	return name
}

// schemaName is the component name (from a $ref), the title, or the key the
// schema is declared under (component or property name).
func (g *Generator) schemaName(s *base.Schema) string {
	if s.ParentProxy != nil {
		if ref := s.ParentProxy.GetReference(); ref != "" {
			return ref[strings.LastIndex(ref, "/")+1:]
		}
	}
	if s.Title != "" {
		return s.Title
	}
	var key string
	if g.opts.KeyName != nil {
		key = g.opts.KeyName(s)
	} else if s.ParentProxy != nil && s.ParentProxy.GoLow() != nil {
		if k := s.ParentProxy.GetSchemaKeyNode(); k != nil {
			key = k.Value
		}
	}
	if schemaKeyword(key) {
		return ""
	}
	return key
}

// schemaKeyword reports JSON Schema / OpenAPI keywords that hold schemas, so
// they are not mistaken for schema names.
func schemaKeyword(k string) bool {
	switch k {
	case "", "schema", "items", "allOf", "oneOf", "anyOf", "not", "additionalProperties", "prefixItems",
		"contains", "if", "then", "else", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
		"contentSchema", "dependentSchemas", "patternProperties", "properties", "$defs", "definitions":
		return true
	}
	return false
}

func typeBit(t string) tset {
	switch t {
	case "null":
		return tNull
	case "boolean":
		return tBool
	case "integer":
		return tInt
	case "number":
		return tNum
	case "string":
		return tStr
	case "array":
		return tArr
	case "object":
		return tObj
	}
	return 0
}

func extString(s *base.Schema, key string) string {
	if s == nil || s.Extensions == nil {
		return ""
	}
	n, ok := s.Extensions.Get(key)
	if !ok || n == nil {
		return ""
	}
	return strings.TrimSpace(n.Value)
}
