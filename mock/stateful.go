package mock

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/internal/jsonw"
	"github.com/vendormock/vendormock/mock/fake"
	"github.com/vendormock/vendormock/mock/state"
	"github.com/vendormock/vendormock/specs/validate"
)

// SessionHeader gives a test its own copy-on-write state; without it requests share the default.
const SessionHeader = "X-Vendormock-Session"

// stateful answers an operation that plays a role in a resource from the store.
func (o *opRuntime) stateful(w http.ResponseWriter, req *request) {
	sess := o.s.store.Session(req.r.Header.Get(SessionHeader))
	r := o.res
	switch o.role {
	case roleList:
		o.list(w, req, sess)
		return
	case roleCreate:
		o.create(w, req, sess)
		return
	}
	if r.singleton {
		rec, ok := sess.Singleton(r.coll)
		if o.role == roleUpdate || o.role == roleReplace {
			patch, ok2 := o.bodyObject(w, req)
			if !ok2 {
				return
			}
			old := rec
			var err error
			if o.role == roleUpdate && ok {
				if merged, isObj := state.MergePatch(rec, patch).(map[string]any); isObj {
					rec = merged
				}
			} else {
				rec = patch
			}
			rec = o.stampRecord(rec, old, patch, !ok)
			if rec, err = sess.SetSingleton(r.coll, rec); err != nil {
				o.storeError(w, req, err)
				return
			}
		} else if !ok {
			o.missing(w, req)
			return
		}
		o.answerRecord(w, req, rec)
		return
	}
	id := req.params[r.idParam]
	var (
		rec state.Record
		err error
	)
	switch o.role {
	case roleRead:
		var ok bool
		if rec, ok = sess.Get(r.coll, id); !ok {
			o.missing(w, req)
			return
		}
	case roleUpdate, roleReplace:
		body, ok := o.bodyObject(w, req)
		if !ok {
			return
		}
		delete(body, r.idField)
		if o.role == roleUpdate {
			rec, err = sess.Update(r.coll, id, func(old state.Record) (state.Record, error) {
				merged, _ := state.MergePatch(old, body).(map[string]any)
				return o.conform(o.stampRecord(merged, old, body, false), old, req), nil
			})
		} else {
			rec, err = sess.Update(r.coll, id, func(old state.Record) (state.Record, error) {
				// A replace replaces what the client can send; the rest (the id, read-only
				// fields, fields the request body does not have) stays as it was.
				next := make(state.Record, len(old))
				for k, v := range old {
					next[k] = v
				}
				for k := range o.requestFields() {
					delete(next, k)
				}
				for k, v := range body {
					next[k] = v
				}
				return o.conform(o.stampRecord(next, old, body, false), old, req), nil
			})
		}
	case roleDelete:
		rec, _ = sess.Get(r.coll, id)
		err = sess.Delete(r.coll, id)
	}
	if err != nil {
		o.storeError(w, req, err)
		return
	}
	o.answerRecord(w, req, rec)
}

func (o *opRuntime) missing(w http.ResponseWriter, req *request) {
	what := o.res.name
	if id := req.params[o.res.idParam]; id != "" {
		what += " " + id
	}
	o.errorResponse(w, req, http.StatusNotFound, "not found", fmt.Sprintf("%s not found", what), nil)
}

func (o *opRuntime) storeError(w http.ResponseWriter, req *request, err error) {
	switch {
	case errors.Is(err, state.ErrNotFound):
		o.missing(w, req)
	case errors.Is(err, state.ErrConflict):
		o.errorResponse(w, req, http.StatusConflict, "conflict", err.Error(), nil)
	case errors.Is(err, state.ErrCapacity):
		o.s.problem(w, req.r, http.StatusInsufficientStorage, "session is full", err.Error()+"; POST /__admin/reset clears it", nil)
	default:
		o.errorResponse(w, req, http.StatusBadRequest, "cannot store the record", err.Error(), nil)
	}
}

// bodyObject decodes the (already validated) JSON body as an object.
func (o *opRuntime) bodyObject(w http.ResponseWriter, req *request) (state.Record, bool) {
	rec := state.Record{}
	if len(req.body) == 0 {
		return rec, true
	}
	if m, ok := req.decoded.(map[string]any); ok {
		return m, true // validation decoded it already
	}
	if err := json.Unmarshal(req.body, &rec); err != nil {
		o.errorResponse(w, req, o.bodyInvalid, "request body is not a JSON object", err.Error(), nil)
		return nil, false
	}
	return rec, true
}

// create stores a record: generated server-owned fields, overlaid with what the client sent.
func (o *opRuntime) create(w http.ResponseWriter, req *request, sess *state.Session) {
	body, ok := o.bodyObject(w, req)
	if !ok {
		return
	}
	r := o.res
	rec := state.Record{}
	if g, ok := o.vr.gen.Generate(r.schema, o.genKey(req, 0)+"/"+string(req.body), fake.Response).(map[string]any); ok {
		rec = g
	}
	for k, v := range body {
		rec[k] = v
	}
	if v, sent := body[r.idField]; !sent {
		delete(rec, r.idField)
	} else if key, err := state.IDKey(v); err == nil {
		if _, taken := sess.Get(r.coll, key); taken {
			delete(rec, r.idField) // the id is the server's to give: a taken one gets a fresh one
		}
	}
	for _, p := range r.parents {
		if v, ok := req.params[p]; ok {
			rec[p] = coerce(v, r.fields[p])
		}
	}
	rec = o.stampRecord(rec, nil, body, true)
	if !o.createdValid(rec, body) {
		rec = o.conform(rec, nil, req)
	}
	stored, err := sess.Create(r.coll, rec)
	if err != nil {
		o.storeError(w, req, err)
		return
	}
	if p := o.plan(o.success); p != nil {
		for _, h := range p.headers {
			if strings.EqualFold(h.name, "Location") {
				id, _ := state.IDKey(stored[r.idField])
				w.Header().Set("Location", requestBase(req.r)+o.vr.v.Mount+fillParents(r.name, req.params)+"/"+id)
			}
		}
	}
	o.answerRecord(w, req, stored)
}

func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func fillParents(name string, params map[string]string) string {
	for k, v := range params {
		name = strings.ReplaceAll(name, "{"+k+"}", v)
	}
	return name
}

// answerRecord writes a record in the shape the operation documents for its success status.
func (o *opRuntime) answerRecord(w http.ResponseWriter, req *request, rec state.Record) {
	p := o.plan(o.success)
	if p == nil {
		writeBody(w, req.r, o.success, "", nil)
		return
	}
	m := p.jsonMedia()
	if m == nil {
		o.writePlan(w, req, o.success, p)
		return
	}
	key := o.genKey(req, o.success)
	o.writeHeaders(w, p, key)
	body := o.shape(m.schema, rec, key)
	if err := o.s.writeEncoded(w, req.r, o.success, m.contentType, body); err != nil {
		o.s.problem(w, req.r, http.StatusInternalServerError, "cannot encode record", err.Error(), nil)
	}
}

// shape fits a stored record into a documented response schema: the record itself, a
// {data: record} envelope, or another documented answer ({admin_id}) filled from the record.
func (o *opRuntime) shape(s *base.Schema, rec state.Record, key string) any {
	if s == nil {
		return o.visible(rec)
	}
	props := o.vr.props(s)
	if !hasType(s, "object") && len(props) == 0 {
		return o.vr.gen.Generate(s, key, fake.Response) // a documented answer that is not the record
	}
	for _, k := range []string{"data", "result", "item"} {
		if p := props[k]; p != nil && hasType(p, "object") && len(props) <= 3 {
			env, _ := o.vr.gen.Generate(s, key, fake.Response).(map[string]any)
			if env == nil {
				env = map[string]any{}
			}
			env[k] = o.project(rec, p)
			return env
		}
	}
	// The record answers when it holds at least half of the schema's properties (counting
	// stops there: on a read that is half the lookups of counting them all).
	shared := 0
	for k := range props {
		if _, ok := rec[k]; ok {
			shared++
			if shared*2 >= len(props) {
				break
			}
		}
	}
	if shared*2 >= len(props) && shared > 0 {
		return o.project(rec, s)
	}
	gen, ok := o.vr.gen.Generate(s, key, fake.Response).(map[string]any)
	if !ok {
		return o.project(rec, s)
	}
	for k, ps := range props {
		if v, ok := rec[k]; ok {
			gen[k] = v
			continue
		}
		l := strings.ToLower(k)
		if o.res.idField != "" && (strings.HasSuffix(l, "_id") || strings.HasSuffix(l, "id")) && len(props) <= 3 {
			gen[k] = coerceValue(rec[o.res.idField], ps)
		}
	}
	return gen
}

// visible drops write-only fields (passwords are stored, never answered).
func (o *opRuntime) visible(rec state.Record) state.Record { return o.res.visible(rec) }

// list answers a page of the collection, filtered and sorted from the query, in the vendor's
// pagination style.
func (o *opRuntime) list(w http.ResponseWriter, req *request, sess *state.Session) {
	r, pg := o.res, o.paging
	q := req.r.URL.Query()
	var maxOverride, sizeOverride int
	if sp := req.pagination; sp != nil {
		maxOverride, sizeOverride = sp.MaxPageSize, sp.PageSize
	}
	if pg.cursor != "" && q.Get(pg.cursor) != "" {
		if _, err := state.ParseCursor(q.Get(pg.cursor)); err != nil {
			// Django REST framework answers an unknown cursor with 404 {"detail": "Invalid cursor"}.
			status := http.StatusBadRequest
			if o.op.Documents(http.StatusNotFound) && !o.op.Documents(http.StatusBadRequest) {
				status = http.StatusNotFound
			}
			o.errorResponse(w, req, status, "invalid cursor", "Invalid cursor", nil)
			return
		}
	}
	offset, limit, page := pg.window(q, maxOverride, sizeOverride)
	query := o.buildQuery(q, req.params)
	query.Offset, query.Limit = offset, limit
	var (
		items []state.Record // generated (a scenario's virtual collection)
		rows  []state.Row    // stored
		total int
	)
	if sp := req.pagination; sp != nil && sp.Total != nil {
		items, total = o.virtualPage(req, *sp.Total, offset, limit)
	} else {
		res := sess.Rows(r.coll, query)
		rows, total = res.Rows, res.Total
	}
	if len(items)+len(rows) == 0 && o.op.Documents(http.StatusNoContent) {
		writeBody(w, req.r, http.StatusNoContent, "", nil)
		return
	}
	p := o.plan(o.success)
	var m *mediaPlan
	if p != nil {
		m = p.jsonMedia()
	}
	var itemSchema *base.Schema
	if m != nil && m.schema != nil {
		itemSchema = o.listItemSchema(m.schema)
	}
	rendered := make([]any, 0, len(items)+len(rows))
	for _, it := range items {
		rendered = append(rendered, o.project(it, itemSchema))
	}
	for _, row := range rows {
		rendered = append(rendered, o.projectRow(row, itemSchema))
	}
	var body any = rendered
	if pg.envelope != "" && m != nil {
		body = o.envelope(m.schema, req, rendered, total, offset, limit, page)
	}
	ct := "application/json"
	if m != nil {
		ct = m.contentType
		o.writeHeaders(w, p, o.genKey(req, o.success))
	}
	if err := o.s.writeEncoded(w, req.r, o.success, ct, body); err != nil {
		o.s.problem(w, req.r, http.StatusInternalServerError, "cannot encode list", err.Error(), nil)
	}
}

// virtualPage serves a scenario's collection size (large-dataset, empty-lists) from generated
// records without storing them.
func (o *opRuntime) virtualPage(req *request, total, offset, limit int) ([]state.Record, int) {
	if limit <= 0 {
		limit = total
	}
	var items []state.Record
	for i := offset; i < total && i < offset+limit; i++ {
		rec, _ := o.vr.gen.Generate(o.res.schema, o.res.coll+"/virtual/"+itoa(i), fake.Response).(map[string]any)
		if rec == nil {
			rec = state.Record{}
		}
		rec[o.res.idField] = idValue(o.res.idKind, i+1, rec[o.res.idField])
		items = append(items, rec)
	}
	return items, total
}

// envelope builds the documented list body around the page: counts, page numbers, links.
func (o *opRuntime) envelope(s *base.Schema, req *request, items []any, total, offset, limit, page int) any {
	env, _ := o.vr.gen.Generate(s, o.genKey(req, o.success), fake.Response).(map[string]any)
	if env == nil {
		env = map[string]any{}
	}
	env[o.paging.envelope] = items
	o.vr.fillPaging(env, s, req, o.paging, total, offset, limit, page)
	return env
}

func (vr *vendorRuntime) fillPaging(env map[string]any, s *base.Schema, req *request, pg *paging, total, offset, limit, page int) {
	pages := 1
	if limit > 0 {
		pages = int(math.Ceil(float64(total) / float64(limit)))
	}
	hasNext := limit > 0 && offset+limit < total
	// link is the URL of the page at off, as Django REST framework writes next/previous: the
	// request's absolute URL (with the trailing slash the description has) with the paging
	// parameter replaced, and removed for the first page; query parameters sorted.
	path := req.r.URL.Path
	if strings.HasSuffix(req.relPath, "/") && !strings.HasSuffix(path, "/") {
		path += "/"
	}
	link := func(off int) any {
		q := req.r.URL.Query()
		param, value := "", ""
		switch {
		case pg.offset != "":
			param, value = pg.offset, itoa(off)
		case pg.cursor != "":
			param, value = pg.cursor, state.Cursor(off)
		case pg.page != "" && limit > 0:
			param, value = pg.page, itoa(off/limit+pg.pageBase)
		}
		switch {
		case param == "":
		case off <= 0:
			q.Del(param)
		default:
			q.Set(param, value)
		}
		u := requestBase(req.r) + path
		if enc := q.Encode(); enc != "" {
			u += "?" + enc
		}
		return u
	}
	for name, ps := range vr.props(s) {
		switch strings.ToLower(strings.ReplaceAll(name, "_", "")) {
		case "count", "total", "totalcount", "totalitems", "totalrecords":
			env[name] = int64(total)
		case "page", "pageindex", "pagenumber", "currentpage":
			env[name] = numberOrString(int64(page), ps)
		case "pagesize", "perpage", "limit", "size":
			env[name] = numberOrString(int64(limit), ps)
		case "offset":
			env[name] = int64(offset)
		case "totalpages", "pages", "pagecount":
			env[name] = int64(pages)
		case "hasnext", "hasmore", "nextpage":
			if hasType(ps, "boolean") {
				env[name] = hasNext
			} else if hasNext {
				env[name] = link(offset + limit)
			} else {
				env[name] = nil
			}
		case "hasprevious", "hasprev":
			env[name] = offset > 0
		case "next":
			if hasNext {
				env[name] = link(offset + limit)
			} else {
				env[name] = nil
			}
		case "previous", "prev":
			if offset > 0 {
				env[name] = link(max(offset-limit, 0))
			} else {
				env[name] = nil
			}
		case "nextcursor", "cursor":
			if hasNext {
				env[name] = state.Cursor(offset + limit)
			} else {
				env[name] = nil
			}
		case "meta", "pagination", "paging":
			if inner, ok := env[name].(map[string]any); ok {
				vr.fillPaging(inner, ps, req, pg, total, offset, limit, page)
			}
		}
	}
}

func numberOrString(n int64, s *base.Schema) any {
	if hasType(s, "string") && !hasType(s, "integer") && !hasType(s, "number") {
		return itoa(int(n))
	}
	return n
}

// buildQuery turns query parameters into store filters, search and sorting.
func (o *opRuntime) buildQuery(q map[string][]string, params map[string]string) state.Query {
	r, pg := o.res, o.paging
	var query state.Query
	for _, p := range r.parents {
		if v, ok := params[p]; ok {
			query.Filters = append(query.Filters, state.Filter{Field: p, Op: state.Eq, Values: []string{v}})
		}
	}
	skip := map[string]bool{pg.page: true, pg.size: true, pg.offset: true, pg.limit: true, pg.cursor: true}
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		vals := q[name]
		if skip[name] || len(vals) == 0 {
			continue
		}
		l := strings.ToLower(name)
		switch {
		case l == "search" || l == "q" || l == "query":
			query.Search = vals[0]
			continue
		case strings.HasPrefix(l, "sortby[") || l == "sort" || l == "order_by" || l == "orderby" || l == "ordering" || l == "field":
			continue // sorting below
		}
		if field, op, ok := r.filterField(name); ok {
			var values []string
			for _, v := range vals {
				values = append(values, strings.Split(v, ",")...)
			}
			query.Filters = append(query.Filters, state.Filter{Field: field, Op: op, Values: values})
		}
	}
	query.Sort = sortKeys(q, r.fields)
	return query
}

// filterField maps a query parameter to an item field and operator: the field itself
// (equality), min_/max_/_from/_to ranges, and Open Dental's "changed since" DateTStamp.
func (r *resource) filterField(param string) (string, state.FilterOp, bool) {
	find := func(name string) (string, bool) {
		if _, ok := r.fields[name]; ok {
			return name, true
		}
		for f := range r.fields {
			if strings.EqualFold(f, name) {
				return f, true
			}
		}
		return "", false
	}
	if f, ok := find(param); ok {
		l := strings.ToLower(f)
		if l == "datetstamp" || l == "secdatetedit" {
			return f, state.Gte, true
		}
		return f, state.Eq, true
	}
	l := strings.ToLower(param)
	for _, rule := range []struct {
		prefix, suffix string
		op             state.FilterOp
	}{
		{"min_", "", state.Gte}, {"max_", "", state.Lte}, {"from_", "", state.Gte}, {"to_", "", state.Lte},
		{"", "_from", state.Gte}, {"", "_to", state.Lte}, {"", "from", state.Gte}, {"", "to", state.Lte},
		{"start_", "", state.Gte}, {"end_", "", state.Lte},
	} {
		if strings.HasPrefix(l, rule.prefix) && strings.HasSuffix(l, rule.suffix) && len(l) > len(rule.prefix)+len(rule.suffix) {
			if f, ok := find(param[len(rule.prefix) : len(param)-len(rule.suffix)]); ok {
				return f, rule.op, true
			}
		}
	}
	return "", 0, false
}

// sortKeys reads the vendors' sorting parameters: HeyDonto sortBy[n][field]/sortBy[n][dir] and
// field, Hero Health order_by/order_descending, DRF ordering=-name, plain sort/order.
func sortKeys(q map[string][]string, fields map[string]*base.Schema) []state.SortKey {
	var keys []state.SortKey
	known := func(f string) bool { _, ok := fields[f]; return ok }
	for i := 0; i < 5; i++ {
		f := first(q, "sortBy["+itoa(i)+"][field]")
		if f == "" {
			break
		}
		if known(f) {
			keys = append(keys, state.SortKey{Field: f, Desc: strings.EqualFold(first(q, "sortBy["+itoa(i)+"][dir]"), "desc")})
		}
	}
	if f := first(q, "order_by"); f != "" && known(f) {
		keys = append(keys, state.SortKey{Field: f, Desc: strings.EqualFold(first(q, "order_descending"), "true")})
	}
	for _, name := range []string{"ordering", "sort", "field"} {
		for _, f := range strings.Split(first(q, name), ",") {
			desc := strings.HasPrefix(f, "-")
			f = strings.TrimPrefix(strings.TrimPrefix(f, "-"), "+")
			if f != "" && known(f) {
				if o := first(q, "order"); o != "" {
					desc = strings.EqualFold(o, "desc")
				}
				keys = append(keys, state.SortKey{Field: f, Desc: desc})
			}
		}
	}
	return keys
}

func first(q map[string][]string, k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// requestFields are the properties the operation's JSON request body declares.
func (o *opRuntime) requestFields() map[string]*base.Schema {
	if rb := o.op.Op.RequestBody; rb != nil && rb.Content != nil {
		if mt, ok := rb.Content.Get("application/json"); ok && mt.Schema != nil {
			return o.vr.props(o.op.Vendor.Schema(mt.Schema))
		}
	}
	return nil
}

// conform makes a record that is about to be stored valid for reads: a request body may use
// another shape than the read schema (a date where reads answer a date-time, a missing nested
// field). Each top-level field that breaks the item schema gets its previous value back, or a
// generated one; missing required fields are generated. What the client wrote and reads accept
// is kept as written.
func (o *opRuntime) conform(rec, old state.Record, req *request) state.Record {
	r := o.res
	schemas := o.conformSchemas()
	for pass := 0; pass < 3; pass++ {
		check := o.visibleForCheck(rec)
		if _, ok := check[r.idField]; !ok && r.fields[r.idField] != nil {
			// The store assigns the id after this check: a placeholder of the documented type
			// keeps a required id from failing it (a failed check costs far more than a pass).
			check[r.idField] = o.vr.gen.Generate(r.fields[r.idField], r.coll+"/conform/id", fake.Response)
		}
		var findings []validate.Finding
		for _, s := range schemas {
			findings = append(findings, o.vr.val.Value(s, check)...)
		}
		fixed := 0
		for _, f := range findings {
			field := strings.SplitN(strings.TrimPrefix(f.Pointer, "/"), "/", 2)[0]
			if field == "" || field == r.idField {
				continue
			}
			fixed++
			fs := r.fields[field]
			if v, ok := old[field]; ok && pass == 0 {
				rec[field] = v
				continue
			}
			if fs == nil {
				for _, s := range schemas[1:] {
					fs = o.vr.props(s)[field]
				}
			}
			if fs == nil {
				delete(rec, field)
				continue
			}
			rec[field] = o.vr.gen.Generate(fs, r.coll+"/conform/"+field+"/"+itoa(pass), fake.Response)
		}
		if fixed == 0 {
			return rec // valid, or nothing left that this loop can change
		}
	}
	return rec
}

// createdValid is conform's shortcut for a create: the record is a generated one (valid by
// construction) with the client's fields, the parents and the timestamps written over it, so
// checking those fields against their property schemas is enough. It answers false (conform
// then checks the whole record) when the operation answers in another shape, a field is not
// declared, or any field fails.
func (o *opRuntime) createdValid(rec state.Record, body map[string]any) bool {
	r := o.res
	if len(o.conformSchemas()) != 1 {
		return false
	}
	check := func(k string) bool {
		if k == r.idField {
			return true // the store's to assign
		}
		v, ok := rec[k]
		if !ok {
			return true // dropped: a generated record never lacks a required field
		}
		if r.writeOnly[k] {
			return true // never read back
		}
		ps := r.fields[k]
		if ps == nil {
			return false
		}
		c := o.vr.val.Compiled(ps)
		if c == nil {
			return false
		}
		nv, native := jsonNormal(v)
		return native && c.Validate(nv) == nil
	}
	for k := range body {
		if !check(k) {
			return false
		}
	}
	for _, p := range r.parents {
		if !check(p) {
			return false
		}
	}
	for _, f := range r.stamps {
		if !check(f.name) {
			return false
		}
	}
	return true
}

// conformSchemas are the schemas a stored record must satisfy: the item schema, and the
// operation's own answer shape when it answers the record in another one. Computed once.
func (o *opRuntime) conformSchemas() []*base.Schema {
	o.conformOnce.Do(func() {
		r := o.res
		o.conformList = []*base.Schema{r.schema}
		if rs := responseSchema(o.op); rs != nil && !sameSchema(rs, r.schema) && unwrapData(o.vr.v, rs) == nil && !hasType(rs, "array") && len(o.vr.props(rs)) > 1 {
			o.conformList = append(o.conformList, rs)
		}
	})
	return o.conformList
}

// sameSchema reports whether two schema objects are one schema: the same object, or
// references to the same definition.
func sameSchema(a, b *base.Schema) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.ParentProxy == nil || b.ParentProxy == nil {
		return false
	}
	ra, rb := a.ParentProxy.GetReference(), b.ParentProxy.GetReference()
	return ra != "" && ra == rb
}

// visibleForCheck is the record as reads answer it, for validation against the item schema:
// a copy holding JSON values only (what a read would decode), so the check sees what clients see.
func (o *opRuntime) visibleForCheck(rec state.Record) map[string]any {
	out := make(map[string]any, len(rec))
	native := true
	for k, v := range o.visible(rec) {
		nv, ok := jsonNormal(v)
		out[k] = nv
		native = native && ok
	}
	if native {
		return out
	}
	b, err := json.Marshal(out)
	if err != nil {
		return out
	}
	var norm map[string]any
	if json.Unmarshal(b, &norm) != nil {
		return out
	}
	return norm
}

// declared keeps the properties the answering schema declares (vendors answer their documented
// shape; a field a client sent that reads do not document is stored but not answered) and
// drops write-only ones.
func (o *opRuntime) declared(rec state.Record, s *base.Schema) state.Record {
	if s == nil {
		return o.visible(rec)
	}
	fields := o.vr.declaredFields(s)
	if len(fields) == 0 {
		return o.visible(rec)
	}
	out := make(state.Record, len(fields))
	for k, v := range rec {
		if fields[k] && !o.res.writeOnly[k] {
			out[k] = v
		}
	}
	return out
}

// props is properties(s), cached per schema. Callers must not modify the map.
func (vr *vendorRuntime) props(s *base.Schema) map[string]*base.Schema {
	if s == nil {
		return nil
	}
	return vr.propCache.get(s, func(s *base.Schema) map[string]*base.Schema { return properties(vr.v, s) })
}

// answerKeys are the names of the properties s declares that reads answer (write-only ones
// dropped), or nil when s declares none; cached per schema.
func (o *opRuntime) answerKeys(s *base.Schema) *state.Fields {
	if s == nil {
		return nil
	}
	return o.keyCache.get(s, func(s *base.Schema) *state.Fields {
		var keys []string
		for k := range o.vr.declaredFields(s) {
			if !o.res.writeOnly[k] {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			return nil
		}
		return state.NewFields(keys)
	})
}

// listItemSchema is listItems(s), cached per schema.
func (o *opRuntime) listItemSchema(s *base.Schema) *base.Schema {
	return o.itemCache.get(s, func(s *base.Schema) *base.Schema {
		it, _ := listItems(o.vr.v, s)
		return it
	})
}

// project is declared(rec, s) for answers that are only encoded: a projection when s declares
// properties, so the record is not copied.
func (o *opRuntime) project(rec state.Record, s *base.Schema) any {
	if fields := o.answerKeys(s); fields != nil {
		return projection{rec: rec, fields: fields}
	}
	return o.declared(rec, s)
}

// projectRow is project for a stored row: a rowProjection encodes it straight from its
// compact form, without decoding it.
func (o *opRuntime) projectRow(row state.Row, s *base.Schema) any {
	if fields := o.answerKeys(s); fields != nil {
		return rowProjection{row: row, fields: fields}
	}
	return o.declared(row.Record(), s)
}

// projection is declared(rec) for answers: the record's declared fields, encoded straight from
// the record (jsonw.Appender) instead of copying it first.
type projection struct {
	rec    state.Record
	fields *state.Fields
}

func (p projection) AppendJSON(dst []byte) ([]byte, error) {
	return jsonw.AppendObject(dst, p.rec, p.fields.Keys())
}

func (p projection) MarshalJSON() ([]byte, error) { return p.AppendJSON(nil) }

// rowProjection is a projection of a stored row, encoded from its compact form.
type rowProjection struct {
	row    state.Row
	fields *state.Fields
}

func (p rowProjection) AppendJSON(dst []byte) ([]byte, error) { return p.row.AppendJSON(dst, p.fields) }

func (p rowProjection) MarshalJSON() ([]byte, error) { return p.AppendJSON(nil) }

// declaredFields caches the property names of a schema (through allOf).
func (vr *vendorRuntime) declaredFields(s *base.Schema) map[string]bool {
	return vr.fieldCache.get(s, func(s *base.Schema) map[string]bool {
		props := vr.props(s)
		f := make(map[string]bool, len(props))
		for k := range props {
			f[k] = true
		}
		return f
	})
}

// jsonNormal is v as encoding/json would decode it after encoding it, for the types generated
// and decoded values are made of (numbers of any Go type become float64), without the round
// trip; ok is false for other types (the caller round-trips those).
func jsonNormal(v any) (any, bool) {
	nv, _, ok := normalJSON(v)
	return nv, ok
}

// normalJSON is jsonNormal, also reporting whether the value had to change (maps and slices
// are copied only then).
func normalJSON(v any) (out any, changed, ok bool) {
	switch t := v.(type) {
	case nil, string, float64, bool:
		return v, false, true
	case int:
		return float64(t), true, true
	case int64:
		return float64(t), true, true
	case int32:
		return float64(t), true, true
	case float32:
		return float64(t), true, true
	case map[string]any:
		var cp map[string]any
		for k, e := range t {
			ne, ch, ok := normalJSON(e)
			if !ok {
				return v, false, false
			}
			if ch && cp == nil {
				cp = maps.Clone(t)
			}
			if cp != nil {
				cp[k] = ne
			}
		}
		if cp != nil {
			return cp, true, true
		}
		return t, false, true
	case []any:
		var cp []any
		for i, e := range t {
			ne, ch, ok := normalJSON(e)
			if !ok {
				return v, false, false
			}
			if ch && cp == nil {
				cp = slices.Clone(t)
			}
			if cp != nil {
				cp[i] = ne
			}
		}
		if cp != nil {
			return cp, true, true
		}
		return t, false, true
	}
	return v, false, false
}
