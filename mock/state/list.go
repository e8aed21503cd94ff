package state

import "slices"

// List returns the page of records of a collection that q selects. Filters run under the
// session's read lock; sorting runs after it is released, on the immutable records.
func (x *Session) List(coll string, q Query) Page {
	ci, ok := x.store.byName[coll]
	if !ok || x.store.colls[ci].Singleton {
		return Page{}
	}
	off, lim := max(q.Offset, 0), max(q.Limit, 0)
	cq := compileQuery(&q)
	if len(cq.sort) == 0 {
		return x.listInOrder(ci, &cq, off, lim, q.IncludeDeleted)
	}

	x.mu.RLock()
	c := x.colls[ci]
	matched := make([]sortItem, 0, c.live)
	for pos, e := range c.entries {
		if e.rec == nil || e.hidden && !q.IncludeDeleted || !cq.match(e.rec) {
			continue
		}
		matched = append(matched, sortItem{pos: pos, rec: e.rec})
	}
	x.mu.RUnlock()

	total := len(matched)
	if off >= total {
		return Page{Items: []Record{}, Total: total}
	}
	need := total
	if lim > 0 && lim < total-off {
		need = off + lim
	}
	nk := len(cq.sort)
	keys := make([]sortVal, total*nk)
	for i := range matched {
		k := keys[i*nk : (i+1)*nk : (i+1)*nk]
		for j, sk := range cq.sort {
			k[j] = makeSortVal(lookup(matched[i].rec, sk.Field, cq.paths[j]))
		}
		matched[i].keys = k
	}
	less := func(a, b *sortItem) int {
		for j, sk := range cq.sort {
			if c := compareSortVals(a.keys[j], b.keys[j], sk.Desc); c != 0 {
				return c
			}
		}
		return a.pos - b.pos // insertion order breaks ties, so the order is total
	}
	var top []sortItem
	if need*4 < total {
		top = selectTop(matched, need, less)
	} else {
		slices.SortFunc(matched, func(a, b sortItem) int { return less(&a, &b) })
		top = matched[:need]
	}
	items := make([]Record, 0, need-off)
	for _, it := range top[off:need] {
		items = append(items, it.rec)
	}
	return Page{Items: items, Total: total}
}

// listInOrder pages through a collection in insertion order without keeping what falls
// outside the page.
func (x *Session) listInOrder(ci int, cq *compiledQuery, off, lim int, deleted bool) Page {
	x.mu.RLock()
	defer x.mu.RUnlock()
	c := x.colls[ci]
	if !cq.selects() {
		total := c.visible()
		if deleted {
			total = c.live
		}
		if off >= total {
			return Page{Items: []Record{}, Total: total}
		}
		n := total - off
		if lim > 0 && lim < n {
			n = lim
		}
		items := make([]Record, 0, n)
		if len(c.entries) == c.live && (c.hidden == 0 || deleted) {
			// no gaps: index the page directly
			for _, e := range c.entries[off : off+n] {
				items = append(items, e.rec)
			}
			return Page{Items: items, Total: total}
		}
		skip := off
		for _, e := range c.entries {
			if len(items) == n {
				break
			}
			if e.rec == nil || e.hidden && !deleted {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			items = append(items, e.rec)
		}
		return Page{Items: items, Total: total}
	}
	items := []Record{}
	total := 0
	for _, e := range c.entries {
		if e.rec == nil || e.hidden && !deleted || !cq.match(e.rec) {
			continue
		}
		if total >= off && (lim == 0 || total-off < lim) {
			items = append(items, e.rec)
		}
		total++
	}
	return Page{Items: items, Total: total}
}

type sortItem struct {
	pos  int
	rec  Record
	keys []sortVal
}

// selectTop returns the k smallest items in order, keeping a max-heap of the best k so
// far: O(n log k) instead of sorting everything for a small page.
func selectTop(items []sortItem, k int, less func(a, b *sortItem) int) []sortItem {
	h := make([]sortItem, 0, k)
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			big := l
			if r := l + 1; r < len(h) && less(&h[r], &h[l]) > 0 {
				big = r
			}
			if less(&h[big], &h[i]) <= 0 {
				return
			}
			h[i], h[big] = h[big], h[i]
			i = big
		}
	}
	for i := range items {
		if len(h) < k {
			h = append(h, items[i])
			for j := len(h) - 1; j > 0; {
				p := (j - 1) / 2
				if less(&h[j], &h[p]) <= 0 {
					break
				}
				h[j], h[p] = h[p], h[j]
				j = p
			}
			continue
		}
		if less(&items[i], &h[0]) < 0 {
			h[0] = items[i]
			down(0)
		}
	}
	slices.SortFunc(h, func(a, b sortItem) int { return less(&a, &b) })
	return h
}
