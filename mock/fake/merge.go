package fake

import "sync"

// merge returns the conjunction of a and b (allOf semantics). Neither input is
// modified.
func merge(a, b *plan) *plan {
	if b == nil {
		return a
	}
	m := *a
	m.choices = new(sync.Map)
	m.never = a.never || b.never
	if m.name == "" {
		m.name = b.name
	}
	m.types = a.types & b.types
	m.order = nil
	for _, t := range a.order {
		if m.types&t != 0 {
			m.order = append(m.order, t)
		}
	}
	for _, t := range b.order {
		if m.types&t != 0 && !hasT(m.order, t) {
			m.order = append(m.order, t)
		}
	}
	switch {
	case a.hasEnum && b.hasEnum:
		m.enum = nil
		for _, v := range a.enum {
			for _, w := range b.enum {
				if jsonEqual(v, w) {
					m.enum = append(m.enum, v)
					break
				}
			}
		}
	case b.hasEnum:
		m.hasEnum, m.enum = true, b.enum
	}
	if !a.hasConst && b.hasConst {
		m.hasConst, m.constV = true, b.constV
	}
	m.examples = append(append([]any(nil), a.examples...), b.examples...)
	if m.faker == "" {
		m.faker = b.faker
	}
	// numbers
	if b.hasLo && (!m.hasLo || b.lo > m.lo || (b.lo == m.lo && b.loEx)) {
		m.hasLo, m.lo, m.loEx = true, b.lo, b.loEx
	}
	if b.hasHi && (!m.hasHi || b.hi < m.hi || (b.hi == m.hi && b.hiEx)) {
		m.hasHi, m.hi, m.hiEx = true, b.hi, b.hiEx
	}
	m.multipleOf = append(append([]float64(nil), a.multipleOf...), b.multipleOf...)
	// strings
	m.minLen = max(a.minLen, b.minLen)
	m.maxLen = minBound(a.maxLen, b.maxLen)
	m.patterns = append(append(m.patterns[:0:0], a.patterns...), b.patterns...)
	if m.format == "" {
		m.format = b.format
	}
	// arrays
	m.items = mergeLazy(a.items, b.items)
	m.itemsFalse = a.itemsFalse || b.itemsFalse
	m.prefix = nil
	for i := 0; i < max(len(a.prefix), len(b.prefix)); i++ {
		var x, y *lazy
		if i < len(a.prefix) {
			x = a.prefix[i]
		} else {
			x = a.items
		}
		if i < len(b.prefix) {
			y = b.prefix[i]
		} else {
			y = b.items
		}
		m.prefix = append(m.prefix, mergeLazy(x, y))
	}
	m.minItems = max(a.minItems, b.minItems)
	m.maxItems = minBound(a.maxItems, b.maxItems)
	m.unique = a.unique || b.unique
	// objects
	m.props = make([]prop, 0, len(a.props)+len(b.props))
	m.props = append(m.props, a.props...)
	for _, bp := range b.props {
		found := false
		for i := range m.props {
			if m.props[i].name == bp.name {
				ap := m.props[i]
				ap.sub = mergeLazy(ap.sub, bp.sub)
				ap.required = ap.required || bp.required
				ap.readOnly = ap.readOnly || bp.readOnly
				ap.writeOnly = ap.writeOnly || bp.writeOnly
				if ap.hint == "" {
					ap.hint = bp.hint
				}
				m.props[i] = ap
				found = true
				break
			}
		}
		if !found {
			m.props = append(m.props, bp)
		}
	}
	if a.addlFalse || b.addlFalse {
		// a closed part only admits its own properties
		m.props = filterClosed(m.props, a, b)
	}
	m.addl = mergeLazy(a.addl, b.addl)
	m.addlFalse = a.addlFalse || b.addlFalse
	m.patternProps = append(append(m.patternProps[:0:0], a.patternProps...), b.patternProps...)
	m.patternPlans = append(append(m.patternPlans[:0:0], a.patternPlans...), b.patternPlans...)
	m.propertyNames = mergeLazy(a.propertyNames, b.propertyNames)
	m.minProps = max(a.minProps, b.minProps)
	m.maxProps = minBound(a.maxProps, b.maxProps)
	if len(b.force) > 0 {
		f := make(map[string]any, len(a.force)+len(b.force))
		for k, v := range b.force {
			f[k] = v
		}
		for k, v := range a.force {
			f[k] = v
		}
		m.force = f
	}
	m.readOnly = a.readOnly || b.readOnly
	m.writeOnly = a.writeOnly || b.writeOnly
	m.groups = append(append(m.groups[:0:0], a.groups...), b.groups...)
	m.not = append(append(m.not[:0:0], a.not...), b.not...)
	if m.disc == nil {
		m.disc = b.disc
	}
	return &m
}

func hasT(list []tset, t tset) bool {
	for _, x := range list {
		if x == t {
			return true
		}
	}
	return false
}

func minBound(a, b int) int {
	switch {
	case a < 0:
		return b
	case b < 0:
		return a
	}
	return min(a, b)
}

// mergeLazy returns a lazy conjunction of two optional sub-plans.
func mergeLazy(x, y *lazy) *lazy {
	switch {
	case x == nil:
		return y
	case y == nil:
		return x
	}
	return &lazy{fn: func() *plan { return merge(x.get(), y.get()) }}
}

// filterClosed drops properties a closed (additionalProperties: false) part
// does not declare.
func filterClosed(props []prop, a, b *plan) []prop {
	out := props[:0:0]
	for _, p := range props {
		if a.addlFalse && !a.declares(p.name) {
			continue
		}
		if b.addlFalse && !b.declares(p.name) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// declares reports whether name is a declared or pattern property of p.
func (p *plan) declares(name string) bool {
	for _, pr := range p.props {
		if pr.name == name {
			return true
		}
	}
	for _, re := range p.patternProps {
		if re.MatchString(name) {
			return true
		}
	}
	return false
}
