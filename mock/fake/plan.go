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
	p.name = schemaName(s)
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
		sub := ap.Schema()
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

// proxyPlan resolves a proxy to its (cached) plan.
func (g *Generator) proxyPlan(sp *base.SchemaProxy) *plan {
	if sp == nil {
		return newPlan()
	}
	s := sp.Schema()
	if s == nil {
		return newPlan()
	}
	return g.plan(s)
}

func (g *Generator) compileNumeric(p *plan, s *base.Schema) {
	if s.Minimum != nil {
		p.hasLo, p.lo = true, *s.Minimum
	}
	if s.Maximum != nil {
		p.hasHi, p.hi = true, *s.Maximum
	}
	if e := s.ExclusiveMinimum; e != nil {
		if e.IsA() {
			p.loEx = e.A && p.hasLo
		} else if !p.hasLo || e.B >= p.lo {
			p.hasLo, p.lo, p.loEx = true, e.B, true
		}
	}
	if e := s.ExclusiveMaximum; e != nil {
		if e.IsA() {
			p.hiEx = e.A && p.hasHi
		} else if !p.hasHi || e.B <= p.hi {
			p.hasHi, p.hi, p.hiEx = true, e.B, true
		}
	}
	if s.MultipleOf != nil && *s.MultipleOf > 0 {
		p.multipleOf = append(p.multipleOf, *s.MultipleOf)
	}
}

func (g *Generator) compileString(p *plan, s *base.Schema) {
	if s.MinLength != nil {
		p.minLen = int(*s.MinLength)
	}
	if s.MaxLength != nil {
		p.maxLen = int(*s.MaxLength)
	}
	if s.Pattern != "" {
		if pp, err := compilePattern(s.Pattern); err == nil {
			p.patterns = append(p.patterns, pp)
		}
	}
	p.format = strings.ToLower(s.Format)
}

func (g *Generator) compileArray(p *plan, s *base.Schema) {
	if s.Items != nil {
		if s.Items.IsA() && s.Items.A != nil {
			ip := s.Items.A
			p.items = &lazy{fn: func() *plan { return g.proxyPlan(ip) }}
		} else if s.Items.IsB() && !s.Items.B {
			p.itemsFalse = true
		}
	}
	for _, pp := range s.PrefixItems {
		pp := pp
		p.prefix = append(p.prefix, &lazy{fn: func() *plan { return g.proxyPlan(pp) }})
	}
	if s.MinItems != nil {
		p.minItems = int(*s.MinItems)
	}
	if s.MaxItems != nil {
		p.maxItems = int(*s.MaxItems)
	}
	p.unique = s.UniqueItems != nil && *s.UniqueItems
}

func (g *Generator) compileObject(p *plan, s *base.Schema) {
	req := make(map[string]bool, len(s.Required))
	for _, r := range s.Required {
		req[r] = true
	}
	if s.Properties != nil {
		for name, sp := range s.Properties.FromOldest() {
			sp := sp
			pr := prop{name: name, required: req[name], sub: &lazy{fn: func() *plan { return g.proxyPlan(sp) }}}
			if sub := sp.Schema(); sub != nil {
				pr.readOnly = sub.ReadOnly != nil && *sub.ReadOnly
				pr.writeOnly = sub.WriteOnly != nil && *sub.WriteOnly
				pr.hint = extString(sub, ExtensionFaker)
			}
			if pr.hint == "" {
				pr.hint = g.hintFor(p.name, name)
			}
			p.props = append(p.props, pr)
			delete(req, name)
		}
	}
	// required names without a declared property schema
	for _, r := range s.Required {
		if req[r] {
			p.props = append(p.props, prop{name: r, required: true, hint: g.hintFor(p.name, r), sub: lazyPlan(newPlan())})
		}
	}
	if ap := s.AdditionalProperties; ap != nil {
		if ap.IsA() && ap.A != nil {
			a := ap.A
			p.addl = &lazy{fn: func() *plan { return g.proxyPlan(a) }}
		} else if ap.IsB() && !ap.B {
			p.addlFalse = true
		}
	}
	if s.PatternProperties != nil {
		for pat, sp := range s.PatternProperties.FromOldest() {
			re, err := regexp.Compile(pat)
			if err != nil {
				continue
			}
			sp := sp
			p.patternProps = append(p.patternProps, re)
			p.patternPlans = append(p.patternPlans, &lazy{fn: func() *plan { return g.proxyPlan(sp) }})
		}
	}
	if s.PropertyNames != nil {
		pn := s.PropertyNames
		p.propertyNames = &lazy{fn: func() *plan { return g.proxyPlan(pn) }}
	}
	if s.MinProperties != nil {
		p.minProps = int(*s.MinProperties)
	}
	if s.MaxProperties != nil {
		p.maxProps = int(*s.MaxProperties)
	}
}

// compileChoices records oneOf/anyOf groups; generation merges the chosen
// branches into the parent (see genCtx.choose).
func (g *Generator) compileChoices(p *plan, s *base.Schema) {
	add := func(list []*base.SchemaProxy, one bool) {
		if len(list) == 0 {
			return
		}
		gr := group{one: one}
		d := s.Discriminator
		if one && d != nil && d.PropertyName != "" {
			gr.discProp = d.PropertyName
		}
		for _, bp := range list {
			bp := bp
			gr.raw = append(gr.raw, &lazy{fn: func() *plan { return g.proxyPlan(bp) }})
			key := ""
			if gr.discProp != "" {
				ref := bp.GetReference()
				name := ""
				if ref != "" {
					name = ref[strings.LastIndex(ref, "/")+1:]
				} else if bs := bp.Schema(); bs != nil {
					name = bs.Title
				}
				if name != "" {
					key = discValueFor(d, ref, name)
				}
			}
			gr.discKeys = append(gr.discKeys, key)
		}
		p.groups = append(p.groups, gr)
	}
	add(s.OneOf, true)
	add(s.AnyOf, false)
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
func schemaName(s *base.Schema) string {
	if s.ParentProxy != nil {
		if ref := s.ParentProxy.GetReference(); ref != "" {
			return ref[strings.LastIndex(ref, "/")+1:]
		}
	}
	if s.Title != "" {
		return s.Title
	}
	if s.ParentProxy != nil && s.ParentProxy.GoLow() != nil {
		if k := s.ParentProxy.GetSchemaKeyNode(); k != nil && !schemaKeyword(k.Value) {
			return k.Value
		}
	}
	return ""
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
