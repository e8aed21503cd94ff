package fake

import (
	"regexp"
	"strings"

	"github.com/pb33f/libopenapi/datamodel/high/base"
)

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
			if sub := g.schemaOf(sp); sub != nil {
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
				} else if bs := g.schemaOf(bp); bs != nil {
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
