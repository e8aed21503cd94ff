package state

import "slices"

// List returns the page of records of a collection that q selects; Items is never nil.
// An unknown or singleton collection gives an empty page. Filters run under the session's
// read lock; sorting runs after it is released, on the immutable records; the page's
// records are decoded (or found in the cache) after that.
func (x *Session) List(coll string, q Query) Page {
	var small [32]*frozen
	page, total := x.page(coll, q, small[:0])
	items := make([]Record, len(page))
	for i, f := range page {
		items[i] = x.store.record(f)
	}
	return Page{Items: items, Total: total}
}

// Rows is List for answers that are only encoded: the page's records stay in their compact
// form, and Row.AppendJSON writes them without decoding them into maps.
func (x *Session) Rows(coll string, q Query) RowPage {
	var small [32]*frozen
	page, total := x.page(coll, q, small[:0])
	rows := make([]Row, len(page))
	for i, f := range page {
		rows[i] = Row{f: f, s: x.store}
	}
	return RowPage{Rows: rows, Total: total}
}

// page appends the records of the page q selects to page, and counts the matches.
func (x *Session) page(coll string, q Query, page []*frozen) ([]*frozen, int) {
	ci, ok := x.store.byName[coll]
	if !ok || x.store.colls[ci].Singleton {
		return page, 0
	}
	off, lim := max(q.Offset, 0), max(q.Limit, 0)
	cq := compileQuery(&q)
	if len(cq.sort) == 0 {
		return x.pageInOrder(ci, &cq, off, lim, q.IncludeDeleted, page)
	}

	x.mu.RLock()
	c := x.colls[ci]
	matched := make([]*frozen, 0, c.visible())
	for _, e := range c.entries {
		if e.rec == nil || e.hidden && !q.IncludeDeleted || !cq.match(e.rec) {
			continue
		}
		matched = append(matched, e.rec)
	}
	x.mu.RUnlock()

	total := len(matched)
	if off >= total {
		return page, total
	}
	need := total
	if lim > 0 && lim < total-off {
		need = off + lim
	}
	so := sorter{sort: cq.sort, n: len(cq.sort), keys: make([]sortVal, total*len(cq.sort))}
	for i, f := range matched {
		for j := range cq.keys {
			so.keys[i*so.n+j] = sortValOf(cq.keys[j].lookup(f))
		}
	}
	var top []int32
	if need*4 < total {
		top = so.selectTop(total, need)
	} else {
		top = make([]int32, total)
		for i := range top {
			top[i] = int32(i)
		}
		so.order(top)
		top = top[:need]
	}
	for _, i := range top[off:need] {
		page = append(page, matched[i])
	}
	return page, total
}

// pageInOrder appends the records of a page in insertion order to page and counts the
// matches.
func (x *Session) pageInOrder(ci int, cq *compiledQuery, off, lim int, deleted bool, page []*frozen) ([]*frozen, int) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	c := x.colls[ci]
	if !cq.selects() {
		total := c.visible()
		if deleted {
			total = c.live
		}
		if off >= total {
			return page, total
		}
		n := total - off
		if lim > 0 && lim < n {
			n = lim
		}
		if len(c.entries) == c.live && (c.hidden == 0 || deleted) {
			// no gaps: index the page directly
			for _, e := range c.entries[off : off+n] {
				page = append(page, e.rec)
			}
			return page, total
		}
		skip := off
		for _, e := range c.entries {
			if len(page) == n {
				break
			}
			if e.rec == nil || e.hidden && !deleted {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			page = append(page, e.rec)
		}
		return page, total
	}
	total := 0
	for _, e := range c.entries {
		if e.rec == nil || e.hidden && !deleted || !cq.match(e.rec) {
			continue
		}
		if total >= off && (lim == 0 || total-off < lim) {
			page = append(page, e.rec)
		}
		total++
	}
	return page, total
}

// sorter orders the matches of a query, named by their index in insertion order, by
// their prepared keys (n per match) and then by that index, so the order is total.
// Sorting int32 indexes rather than records keeps the swaps free of write barriers.
type sorter struct {
	sort []SortKey
	n    int
	keys []sortVal
}

func (so *sorter) less(a, b int32) int {
	ka, kb := so.keys[int(a)*so.n:], so.keys[int(b)*so.n:]
	for j, sk := range so.sort {
		if c := compareSortVals(ka[j], kb[j], sk.Desc); c != 0 {
			return c
		}
	}
	return int(a) - int(b)
}

func (so *sorter) order(idx []int32) { slices.SortFunc(idx, so.less) }

// selectTop returns the k first of n matches in order, keeping a max-heap of the best k
// so far: O(n log k) instead of sorting everything for a small page.
func (so *sorter) selectTop(n, k int) []int32 {
	h := make([]int32, 0, k)
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			big := l
			if r := l + 1; r < len(h) && so.less(h[r], h[l]) > 0 {
				big = r
			}
			if so.less(h[big], h[i]) <= 0 {
				return
			}
			h[i], h[big] = h[big], h[i]
			i = big
		}
	}
	for i := range int32(n) {
		if len(h) < k {
			h = append(h, i)
			for j := len(h) - 1; j > 0; {
				p := (j - 1) / 2
				if so.less(h[j], h[p]) <= 0 {
					break
				}
				h[j], h[p] = h[p], h[j]
				j = p
			}
			continue
		}
		if so.less(i, h[0]) < 0 {
			h[0] = i
			down(0)
		}
	}
	so.order(h)
	return h
}
