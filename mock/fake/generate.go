package fake

import (
	"strconv"

	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// hardDepthSlack bounds recursion past MaxDepth when required properties or
// minItems force deeper values.
const hardDepthSlack = 8

// value generates a value for p. pr is the property being generated (nil for
// roots, items and extras) and supplies the name hint.
func (c *genCtx) value(p *plan, pr *prop, depth int) any {
	if p == nil || p.never {
		return nil
	}
	if len(p.groups) > 0 {
		return c.choose(p, pr, depth)
	}
	if p.hasConst {
		return copyValue(p.constV)
	}
	maxDepth := c.g.opts.MaxDepth
	if p.types&tNull != 0 && (!p.hasEnum || inEnum(p.enum, nil)) &&
		(depth > maxDepth || p.types == tNull || c.chance(5)) {
		return nil
	}
	if p.hasEnum {
		return c.enumValue(p)
	}
	kind := p.kind()
	if depth > maxDepth+hardDepthSlack {
		switch kind {
		case tObj:
			return map[string]any{}
		case tArr:
			return []any{}
		}
	}
	if kind != tObj && kind != tArr {
		if name := p.faker; name != "" || (pr != nil && pr.hint != "") {
			if name == "" {
				name = pr.hint
			}
			for try := 0; try < 3; try++ {
				if v := c.named(name, p, kind); v != nil && p.check(v, c.dir) {
					return v
				}
			}
		}
	}
	if len(p.examples) > 0 && c.chance(40) {
		ex := p.examples[c.intn(len(p.examples))]
		if p.check(ex, c.dir) {
			return copyValue(ex)
		}
	}
	switch kind {
	case tNull:
		return nil
	case tBool:
		return c.f.Bool()
	case tInt:
		return c.integer(p)
	case tNum:
		return c.number(p)
	case tArr:
		return c.array(p, pr, depth)
	case tObj:
		return c.object(p, depth)
	}
	return c.str(p)
}

// kind picks the JSON type to generate for p.
func (p *plan) kind() tset {
	for _, t := range p.order {
		if p.types&t != 0 {
			return t
		}
	}
	t := p.types &^ tNull
	if t == 0 {
		return tNull
	}
	switch {
	case t&tObj != 0 && (len(p.props) > 0 || p.addl != nil || p.minProps > 0):
		return tObj
	case t&tArr != 0 && (p.items != nil || len(p.prefix) > 0 || p.minItems > 0):
		return tArr
	case t&tStr != 0 && (len(p.patterns) > 0 || p.format != "" || p.minLen > 0 || p.maxLen >= 0):
		return tStr
	case t&tInt != 0 && (p.hasLo || p.hasHi || len(p.multipleOf) > 0):
		if t&tNum != 0 && p.types != tAll {
			return tNum
		}
		return tInt
	}
	for _, k := range [...]tset{tStr, tInt, tNum, tBool, tObj, tArr} {
		if t&k != 0 {
			return k
		}
	}
	return tNull
}

// enumValue picks an enum member that satisfies the rest of the plan.
func (c *genCtx) enumValue(p *plan) any {
	if len(p.enum) == 0 {
		return nil
	}
	start := c.intn(len(p.enum))
	for i := range p.enum {
		v := p.enum[(start+i)%len(p.enum)]
		if p.check(v, c.dir) {
			return copyValue(v)
		}
	}
	return copyValue(p.enum[start])
}

// choose resolves oneOf/anyOf groups: it merges one branch per group into the
// parent, sets the discriminator, and prefers a value that matches only the
// chosen oneOf branch.
func (c *genCtx) choose(p *plan, pr *prop, depth int) any {
	first := &p.groups[0]
	n := len(first.raw)
	start := c.intn(n)
	var last any
	for attempt := 0; attempt < n+2; attempt++ {
		idx := make([]int, len(p.groups))
		idx[0] = (start + attempt) % n
		for i := 1; i < len(p.groups); i++ {
			idx[i] = c.intn(len(p.groups[i].raw))
		}
		m := p.combination(idx)
		v := c.value(m, pr, depth)
		if p.check(v, c.dir) {
			return v
		}
		last = v
	}
	return last
}

// combination returns (and caches) parent ∧ the chosen branch of each group.
func (p *plan) combination(idx []int) *plan {
	key := 0
	for i, x := range idx {
		key = key*len(p.groups[i].raw) + x
	}
	if v, ok := p.choices.Load(key); ok {
		return v.(*plan)
	}
	base := *p
	base.groups = nil
	m := &base
	var force map[string]any
	for i, x := range idx {
		gr := &p.groups[i]
		m = merge(m, gr.raw[x].get())
		if gr.discProp != "" && gr.discKeys[x] != "" {
			if force == nil {
				force = map[string]any{}
			}
			force[gr.discProp] = gr.discKeys[x]
		}
	}
	if force != nil {
		for k, v := range m.force {
			if _, ok := force[k]; !ok {
				force[k] = v
			}
		}
		m.force = force
	}
	v, _ := p.choices.LoadOrStore(key, m)
	return v.(*plan)
}

// array generates a list honouring prefixItems, min/maxItems and uniqueItems.
func (c *genCtx) array(p *plan, pr *prop, depth int) []any {
	lo := p.minItems
	hi := p.maxItems
	if hi < 0 {
		hi = max(lo, 1) + 2
	}
	if p.itemsFalse && hi > len(p.prefix) {
		hi = max(lo, len(p.prefix))
	}
	n := c.between(max(lo, min(1, hi)), hi)
	if depth >= c.g.opts.MaxDepth {
		n = lo
	}
	out := make([]any, 0, n)
	var seen map[string]struct{}
	if p.unique {
		seen = make(map[string]struct{}, n)
	}
	for i := 0; i < n; i++ {
		var sub *plan
		if i < len(p.prefix) {
			sub = p.prefix[i].get()
		} else {
			sub = p.items.get()
			if sub == nil {
				sub = newPlan()
			}
		}
		var v any
		ok := false
		for try := 0; try < 12; try++ {
			v = c.value(sub, pr, depth+1)
			if seen == nil {
				ok = true
				break
			}
			k := canonical(v)
			if _, dup := seen[k]; !dup {
				seen[k] = struct{}{}
				ok = true
				break
			}
		}
		if !ok && len(out) >= lo {
			break
		}
		out = append(out, v)
	}
	return out
}

// object generates an object: required properties always, optional ones
// mostly, extras when additionalProperties allows.
func (c *genCtx) object(p *plan, depth int) map[string]any {
	deep := depth >= c.g.opts.MaxDepth
	m := make(map[string]any, len(p.props))
	var skipped []int
	for i := range p.props {
		pr := &p.props[i]
		if pr.excluded(c.dir) {
			continue
		}
		sub := pr.sub.get()
		if (c.dir == Request && sub.readOnly) || (c.dir == Response && sub.writeOnly) {
			continue
		}
		if fv, ok := p.force[pr.name]; ok && sub.check(fv, c.dir) {
			m[pr.name] = fv
			continue
		}
		if p.disc != nil && p.disc.PropertyName == pr.name && p.disc.Mapping != nil && p.disc.Mapping.Len() > 0 {
			if k := c.mappingKey(p.disc); sub.check(k, c.dir) {
				m[pr.name] = k
				continue
			}
		}
		if !pr.required && (deep || !c.chance(85)) {
			skipped = append(skipped, i)
			continue
		}
		m[pr.name] = c.value(sub, pr, depth+1)
	}
	for k, v := range p.force {
		if _, ok := m[k]; !ok && !p.hasProp(k) && !p.addlFalse {
			m[k] = v
		}
	}
	// maxProperties: drop optional properties from the end.
	for i := len(p.props) - 1; p.maxProps >= 0 && len(m) > p.maxProps && i >= 0; i-- {
		pr := &p.props[i]
		if _, ok := m[pr.name]; ok && !pr.required && p.force[pr.name] == nil {
			delete(m, pr.name)
		}
	}
	// minProperties: add skipped optional properties, then extras.
	for _, i := range skipped {
		if len(m) >= p.minProps {
			break
		}
		pr := &p.props[i]
		m[pr.name] = c.value(pr.sub.get(), pr, depth+1)
	}
	extras := 0
	if p.addl != nil && !deep && !p.addlFalse {
		extras = c.intn(3)
	}
	if need := p.minProps - len(m); need > extras && !p.addlFalse {
		extras = need
	}
	if p.maxProps >= 0 {
		extras = min(extras, p.maxProps-len(m))
	}
	for i, tries := 0, 0; i < extras && tries < extras*8; tries++ {
		k := c.extraKey(p, tries)
		if _, dup := m[k]; dup || p.hasProp(k) || matchesAny(p, k) {
			continue
		}
		var v any
		if ap := p.addl.get(); ap != nil {
			v = c.value(ap, nil, depth+1)
		} else {
			v = c.f.Word()
		}
		m[k] = v
		i++
	}
	return m
}

// extraKey names an additional property.
func (c *genCtx) extraKey(p *plan, try int) string {
	if p.propertyNames != nil {
		if s, ok := c.str(p.propertyNames.get()).(string); ok {
			return s
		}
	}
	k := c.f.Noun()
	if try > 3 {
		k += strconv.Itoa(try)
	}
	return k
}

func matchesAny(p *plan, k string) bool {
	for _, re := range p.patternProps {
		if re.MatchString(k) {
			return true
		}
	}
	return false
}

// mappingKey picks a discriminator mapping key.
func (c *genCtx) mappingKey(d *base.Discriminator) string {
	i, n := 0, c.intn(d.Mapping.Len())
	for k := range d.Mapping.KeysFromOldest() {
		if i == n {
			return k
		}
		i++
	}
	return ""
}
