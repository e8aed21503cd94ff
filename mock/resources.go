package mock

import (
	"sort"
	"strings"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/internal/parallel"
	"github.com/vendormock/vendormock/mock/state"
	"github.com/vendormock/vendormock/specs"
)

// Roles an operation plays in a resource.
const (
	roleList      = "list"
	roleCreate    = "create"
	roleRead      = "read"
	roleReplace   = "replace"
	roleUpdate    = "update"
	roleDelete    = "delete"
	roleSingleton = "singleton"
)

// resource is a collection (or singleton) inferred from a description: a collection path with an
// item path below it (/users + /users/{userId}), or a literal path read and written as one record.
type resource struct {
	name      string // the collection path as written, e.g. /site/{siteId}/assistant
	coll      string // store collection key: vendor + name
	singleton bool
	idField   string
	idParam   string
	idKind    state.IDKind
	schema    *base.Schema // the item shape (what a read answers, unwrapped from envelopes)
	// parents maps path parameters of the collection path to item properties of the same name:
	// records are created with them set and lists filter on them.
	parents   []string
	writeOnly map[string]bool
	fields    map[string]*base.Schema
	stamps    []stampField                // server-owned timestamps (createdAt, updatedAt, DateTStamp)
	ops       map[string]*specs.Operation // role -> operation
	inferred  bool                        // false when a sidecar declared it
}

// ResourceInfo reports one inferred resource in GET /__admin/resources.
type ResourceInfo struct {
	Vendor     string            `json:"vendor"`
	Name       string            `json:"name"`
	Singleton  bool              `json:"singleton,omitempty"`
	IDField    string            `json:"idField,omitempty"`
	Operations map[string]string `json:"operations"`
	Records    int               `json:"records"`
	Pagination string            `json:"pagination,omitempty"`
	// CreatedFields and UpdatedFields are the server-owned timestamps: set on create, and on
	// every write.
	CreatedFields []string `json:"createdFields,omitempty"`
	UpdatedFields []string `json:"updatedFields,omitempty"`
}

// singletonNames are last path segments that name "the one record of the caller".
var singletonNames = map[string]bool{"me": true, "current": true, "user": true, "profile": true, "preferences": true, "settings": true, "configuration": true}

// inferResources finds the vendor's resources and each operation's role in them; operations
// that are neither (actions, computed views) keep generated answers. Sidecar entries win.
func inferResources(v *specs.Vendor) []*resource {
	byPath := map[string][]*specs.Operation{}
	for _, op := range v.Operations {
		p := trimSlash(op.Path)
		byPath[p] = append(byPath[p], op)
	}
	paths := make([]string, 0, len(byPath))
	for p := range byPath {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	warmSchemas(candidateOps(paths, byPath))
	byName := map[string]*resource{}
	var out []*resource
	get := func(name string) *resource {
		r, ok := byName[name]
		if !ok {
			r = &resource{name: name, coll: v.Name + name, ops: map[string]*specs.Operation{}, inferred: true}
			byName[name] = r
			out = append(out, r)
		}
		return r
	}
	for _, item := range paths {
		parent, last := splitLast(item)
		if !isTemplate(last) {
			continue
		}
		coll, ok := byPath[parent]
		if !ok {
			continue
		}
		hasItemOp := false
		for _, op := range byPath[item] {
			switch op.Method {
			case "GET", "PUT", "PATCH", "DELETE":
				hasItemOp = true
			}
		}
		if !hasItemOp {
			continue
		}
		r := get(parent)
		r.idParam = strings.Trim(last, "{}")
		for _, op := range coll {
			switch op.Method {
			case "GET":
				// A "list" answering one object (Open Dental's apptfields) is not paged.
				if rs := responseSchema(op); rs != nil {
					if items, _ := listItems(v, rs); items != nil {
						r.ops[roleList] = op
					}
				}
			case "POST":
				// A POST answering an array is a query (Kana), not a create.
				if rs := responseSchema(op); rs == nil || !hasType(rs, "array") {
					r.ops[roleCreate] = op
				}
			}
		}
		for _, op := range byPath[item] {
			switch op.Method {
			case "GET":
				r.ops[roleRead] = op
			case "PUT":
				if bodyRequiresNothing(op) {
					r.ops[roleUpdate] = op // a PUT whose body requires nothing is a partial update (Open Dental)
				} else {
					r.ops[roleReplace] = op
				}
			case "PATCH":
				r.ops[roleUpdate] = op
			case "DELETE":
				r.ops[roleDelete] = op
			}
		}
	}
	for _, p := range paths {
		_, last := splitLast(p)
		if isTemplate(last) || !singletonNames[strings.ToLower(last)] {
			continue
		}
		if _, taken := byName[p]; taken {
			continue
		}
		var read, write *specs.Operation
		for _, op := range byPath[p] {
			switch op.Method {
			case "GET":
				read = op
			case "PUT", "PATCH":
				write = op
			}
		}
		if read == nil && write == nil {
			continue
		}
		r := get(p)
		r.singleton = true
		if read != nil {
			r.ops[roleRead] = read
		}
		if write != nil {
			r.ops[roleUpdate] = write
		}
	}
	applySidecar(v, byName, &out, get)
	kept := out[:0]
	for _, r := range out {
		if r.finish() {
			kept = append(kept, r)
		}
	}
	return kept
}

// applySidecar applies per-operation corrections: {resource: /path, role: list|create|...}, or
// role "none" to take an operation out of any resource.
func applySidecar(v *specs.Vendor, byName map[string]*resource, out *[]*resource, get func(string) *resource) {
	if v.Sidecar == nil {
		return
	}
	ids := make([]string, 0, len(v.Sidecar.Operations))
	for id := range v.Sidecar.Operations {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		set := v.Sidecar.Operations[id]
		op, ok := v.Operation(id)
		if !ok {
			continue // lint reports unknown operations
		}
		for _, r := range *out {
			for role, o := range r.ops {
				if o == op {
					delete(r.ops, role)
				}
			}
		}
		if set.Role == "none" || set.Resource == "" {
			continue
		}
		r := get(trimSlash(set.Resource))
		r.inferred = false
		if set.Role == roleSingleton {
			r.singleton = true
			r.ops[roleRead] = op
			continue
		}
		r.ops[set.Role] = op
		if r.idParam == "" && (set.Role == roleRead || set.Role == roleDelete) {
			_, last := splitLast(trimSlash(op.Path))
			r.idParam = strings.Trim(last, "{}")
		}
	}
	_ = byName
}

// finish works out the item shape, id field and kind; a resource without a usable object
// schema is dropped (its operations keep generated answers).
func (r *resource) finish() bool {
	var v *specs.Vendor
	for _, role := range []string{roleRead, roleCreate, roleList, roleReplace, roleUpdate} {
		op := r.ops[role]
		if op == nil {
			continue
		}
		if s := itemSchema(op, role); s != nil {
			r.schema, v = s, op.Vendor
			break
		}
	}
	if r.schema == nil {
		return false
	}
	r.fields = properties(v, r.schema)
	if len(r.fields) == 0 {
		return false
	}
	r.stamps = inferStamps(r.fields)
	r.writeOnly = map[string]bool{}
	for name, s := range r.fields {
		if s != nil && s.WriteOnly != nil && *s.WriteOnly {
			r.writeOnly[name] = true
		}
	}
	for _, seg := range strings.Split(r.name, "/") {
		if p := strings.Trim(seg, "{}"); isTemplate(seg) && r.fields[p] != nil {
			r.parents = append(r.parents, p)
		}
	}
	if r.singleton {
		return true
	}
	r.idField = pickIDField(r.fields, r.idParam)
	r.idKind = idKindOf(r.fields[r.idField])
	return true
}

func pickIDField(fields map[string]*base.Schema, param string) string {
	if _, ok := fields[param]; ok && param != "" {
		return param
	}
	for name := range fields {
		if strings.EqualFold(name, param) {
			return name
		}
	}
	if _, ok := fields["id"]; ok {
		return "id"
	}
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		l := strings.ToLower(n)
		if s := fields[n]; s != nil && s.ReadOnly != nil && *s.ReadOnly && (strings.HasSuffix(l, "id") || strings.HasSuffix(l, "num")) {
			return n
		}
	}
	return "id"
}

func idKindOf(s *base.Schema) state.IDKind {
	switch {
	case s == nil:
		return state.IDInt
	case hasType(s, "integer") || hasType(s, "number"):
		return state.IDInt
	case s.Format == "uuid":
		return state.IDUUID
	}
	return state.IDDigits
}

// itemSchema is the record shape an operation carries: a read's or create's response
// (unwrapped from {data: ...}), a list's item, or a write's request body.
func itemSchema(op *specs.Operation, role string) *base.Schema {
	if role == roleList {
		if s := responseSchema(op); s != nil {
			if items, _ := listItems(op.Vendor, s); items != nil {
				return items
			}
		}
		return nil
	}
	if s := responseSchema(op); s != nil {
		if hasType(s, "array") {
			return nil
		}
		if inner := unwrapData(op.Vendor, s); inner != nil {
			return inner
		}
		if len(properties(op.Vendor, s)) > 1 {
			return s
		}
	}
	if role == roleRead {
		return nil
	}
	if rb := op.Op.RequestBody; rb != nil && rb.Content != nil {
		if mt, ok := rb.Content.Get("application/json"); ok && mt.Schema != nil {
			return op.Vendor.Schema(mt.Schema)
		}
	}
	return nil
}

// responseSchema is the JSON schema of the operation's success response.
func responseSchema(op *specs.Operation) *base.Schema {
	resp, _ := op.Response(op.SuccessStatus())
	if resp == nil || resp.Content == nil {
		return nil
	}
	for ct, mt := range resp.Content.FromOldest() {
		if mediaRank(ct) <= 1 && mt.Schema != nil {
			return op.Vendor.Schema(mt.Schema)
		}
	}
	return nil
}

// unwrapData returns the item schema of a {data: {...}} envelope, or nil.
func unwrapData(v *specs.Vendor, s *base.Schema) *base.Schema {
	props := properties(v, s)
	for _, key := range []string{"data", "result", "item"} {
		if p := props[key]; p != nil && hasType(p, "object") && len(props) <= 3 {
			return p
		}
	}
	return nil
}

// warmSchemas builds, in parallel, the schemas inference reads first: libopenapi builds a
// schema on first access (under a lock per schema), and on one large description that first
// access is most of compiling it; in path order it would use one core.
func warmSchemas(ops []*specs.Operation) {
	_, _ = parallel.Map(ops, func(op *specs.Operation) (struct{}, error) {
		if rs := responseSchema(op); rs != nil {
			listItems(op.Vendor, rs) // builds the answer's property schemas and, for a list, its items'
		}
		return struct{}{}, nil
	})
}

// candidateOps are the operations inference reads: those of a collection path with an item
// path below it, of the item paths, and of singleton paths. The others (actions, reports)
// keep generated answers, and their schemas are built when they are first called.
func candidateOps(paths []string, byPath map[string][]*specs.Operation) []*specs.Operation {
	seen := map[string]bool{}
	var out []*specs.Operation
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, byPath[p]...)
		}
	}
	for _, p := range paths {
		parent, last := splitLast(p)
		switch {
		case isTemplate(last):
			if _, ok := byPath[parent]; ok {
				add(parent)
				add(p)
			}
		case singletonNames[strings.ToLower(last)]:
			add(p)
		}
	}
	return out
}

// listItems finds the array of a list response: the body itself, or the envelope property
// holding it (data, results, items, ...). It returns the item schema and the property ("" for
// a bare array).
func listItems(v *specs.Vendor, s *base.Schema) (*base.Schema, string) {
	arrayItems := func(a *base.Schema) *base.Schema {
		if a != nil && hasType(a, "array") && a.Items != nil && a.Items.IsA() && a.Items.A != nil {
			if it := v.Schema(a.Items.A); it != nil && len(properties(v, it)) > 0 {
				return it
			}
		}
		return nil
	}
	if it := arrayItems(s); it != nil {
		return it, ""
	}
	props := properties(v, s)
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, pref := range []string{"data", "results", "items", "records", "list"} {
		if it := arrayItems(props[pref]); it != nil {
			return it, pref
		}
	}
	for _, n := range names {
		if it := arrayItems(props[n]); it != nil {
			return it, n
		}
	}
	return nil, ""
}

func bodyRequiresNothing(op *specs.Operation) bool {
	rb := op.Op.RequestBody
	if rb == nil || rb.Content == nil {
		return true
	}
	mt, ok := rb.Content.Get("application/json")
	if !ok || mt.Schema == nil {
		return true
	}
	s := op.Vendor.Schema(mt.Schema)
	return s == nil || len(s.Required) == 0 && len(s.AllOf) == 0
}

func splitLast(p string) (parent, last string) {
	i := strings.LastIndex(p, "/")
	if i <= 0 {
		return "", strings.TrimPrefix(p, "/")
	}
	return p[:i], p[i+1:]
}

func isTemplate(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }
