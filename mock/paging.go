package mock

import (
	"strconv"
	"strings"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/mock/state"
	"github.com/vendormock/vendormock/specs"
)

// paging is a list operation's pagination style, inferred from its parameters and response:
// HeyDonto page (0-based)/pageSize with {data, meta}, Hero Health page_index/page_size with
// {data, count}, Open Dental Offset/Limit with bare arrays, DRF limit/offset with
// {count, next, previous, results}, cursors.
type paging struct {
	page, size, offset, limit, cursor string // query parameter names ("" when absent)
	pageBase                          int
	defaultSize, maxSize              int
	envelope                          string // property holding the items; "" for a bare array
	listSchema                        *base.Schema
	style                             string
}

func inferPaging(op *specs.Operation) *paging {
	p := &paging{defaultSize: 0, maxSize: 0}
	for _, prm := range op.Params {
		if prm.In != "query" {
			continue
		}
		var s *base.Schema
		if prm.Schema != nil {
			s = op.Vendor.Schema(prm.Schema)
		}
		switch strings.ToLower(strings.ReplaceAll(prm.Name, "_", "")) {
		case "page", "pageindex", "pagenumber", "pageno":
			p.page = prm.Name
			if s != nil && (s.Minimum != nil && *s.Minimum == 1 || defaultInt(s) == 1) {
				p.pageBase = 1
			}
		case "pagesize", "perpage", "size":
			p.size = prm.Name
			p.sizeBounds(s)
		case "limit":
			p.limit = prm.Name
			p.sizeBounds(s)
		case "offset", "skip":
			p.offset = prm.Name
		case "cursor", "after", "startingafter", "pagetoken":
			p.cursor = prm.Name
		}
	}
	if s := responseSchema(op); s != nil {
		p.listSchema = s
		_, p.envelope = listItems(op.Vendor, s)
	}
	switch {
	case p.page != "" && p.envelope != "":
		p.style = "page"
	case p.limit != "" && p.offset != "":
		p.style = "offset"
	case p.cursor != "":
		p.style = "cursor"
	case p.limit != "":
		p.style = "limit"
	default:
		p.style = "none"
	}
	if p.defaultSize == 0 {
		p.defaultSize = 20
		if p.maxSize > 0 && p.maxSize < p.defaultSize {
			p.defaultSize = p.maxSize
		}
	}
	return p
}

func (p *paging) sizeBounds(s *base.Schema) {
	if s == nil {
		return
	}
	if d := defaultInt(s); d > 0 {
		p.defaultSize = d
	}
	if s.Maximum != nil && *s.Maximum > 0 {
		p.maxSize = int(*s.Maximum)
	}
}

func defaultInt(s *base.Schema) int {
	if s == nil || s.Default == nil {
		return 0
	}
	n, err := strconv.Atoi(s.Default.Value)
	if err != nil {
		return 0
	}
	return n
}

// window turns the request's paging parameters into offset and limit.
func (p *paging) window(q map[string][]string, maxOverride, sizeOverride int) (offset, limit, page int) {
	first := func(name string) (int, bool) {
		if name == "" || len(q[name]) == 0 {
			return 0, false
		}
		n, err := strconv.Atoi(q[name][0])
		return n, err == nil
	}
	limit = p.defaultSize
	if sizeOverride > 0 {
		limit = sizeOverride
	}
	if n, ok := first(p.size); ok && n > 0 {
		limit = n
	}
	if n, ok := first(p.limit); ok && n > 0 {
		limit = n
	}
	max := p.maxSize
	if maxOverride > 0 {
		max = maxOverride
	}
	if max > 0 && limit > max {
		limit = max
	}
	if p.style == "none" {
		return 0, 0, 0
	}
	if n, ok := first(p.offset); ok && n > 0 {
		offset = n
	}
	if p.cursor != "" && len(q[p.cursor]) > 0 {
		if n, err := state.ParseCursor(q[p.cursor][0]); err == nil {
			offset = n
		}
	}
	if n, ok := first(p.page); ok {
		page = n
		if idx := n - p.pageBase; idx > 0 {
			offset = idx * limit
		}
	} else {
		page = p.pageBase
	}
	return offset, limit, page
}
