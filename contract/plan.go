package contract

import (
	"context"
	"strings"

	"github.com/vendormock/vendormock/specs"
)

// unit is what one worker runs at a time: a single operation or a full-mode flow.
type unit interface {
	run(ctx context.Context, r *runner)
	ops() []*specs.Operation
}

type single struct{ op *specs.Operation }

func (s single) ops() []*specs.Operation { return []*specs.Operation{s.op} }

func (s single) run(ctx context.Context, r *runner) {
	res, _ := r.checkOperation(ctx, s.op, nil, true)
	r.add(res)
}

// plannedOps are the selected operations that will be sent (for the preflight).
func (r *runner) plannedOps() []*specs.Operation {
	sel := newSelector(r.opts.Include, r.opts.Exclude)
	var out []*specs.Operation
	for _, op := range r.v.Operations {
		if sel.selected(op) && (r.opts.Mode == ModeFull || safeMethod(op.Method)) {
			out = append(out, op)
		}
	}
	return out
}

func safeMethod(m string) bool { return m == "GET" || m == "HEAD" }

// plan picks the selected operations and groups them into units. Operations that will not run
// (safe mode writes, full-mode deletes of records we did not create) are reported skipped now.
func (r *runner) plan() []unit {
	sel := newSelector(r.opts.Include, r.opts.Exclude)
	var chosen []*specs.Operation
	for _, op := range r.v.Operations {
		if sel.selected(op) {
			chosen = append(chosen, op)
		}
	}
	r.total = len(chosen)
	var units []unit
	var skipped []*OperationResult
	if r.opts.Mode == ModeSafe {
		for _, op := range chosen {
			if safeMethod(op.Method) {
				units = append(units, single{op})
			} else {
				skipped = append(skipped, r.skipped(op, "safe mode sends only GET and HEAD"))
			}
		}
	} else {
		flows, rest := groupFlows(r.v, chosen)
		for _, f := range flows {
			units = append(units, f)
		}
		for _, op := range rest {
			if op.Method == "DELETE" && !r.opts.Fixtures.Explicit(op) {
				skipped = append(skipped, r.skipped(op,
					"full mode deletes only records it created; name an id in --fixtures to delete one"))
				continue
			}
			units = append(units, single{op})
		}
	}
	for _, s := range skipped {
		s.order = r.orderOf(s.ID)
		r.rep.Operations = append(r.rep.Operations, s)
		r.finished++
	}
	return units
}

// roles of operations in a resource flow.
const (
	roleCreate = "create"
	roleRead   = "read"
	roleList   = "list"
	roleUpdate = "update"
	roleDelete = "delete"
)

// roleOf says which collection an operation works on and how: the sidecar's resource and role
// when it gives them, else guessed from method and path (/x: list, create; /x/{id}: read,
// replace, update, delete).
func roleOf(v *specs.Vendor, op *specs.Operation) (resource, role string) {
	if v.Sidecar != nil {
		if s, ok := v.Sidecar.Operations[op.ID]; ok && s.Resource != "" && s.Role != "" {
			role = s.Role
			if role == "replace" {
				role = roleUpdate
			}
			return s.Resource, role
		}
	}
	p := strings.TrimSuffix(op.Path, "/")
	i := strings.LastIndex(p, "/")
	last := p[i+1:]
	item := strings.HasPrefix(last, "{") && strings.HasSuffix(last, "}")
	collection := p
	if item {
		collection = p[:i]
	}
	switch {
	case op.Method == "POST" && !item:
		return collection, roleCreate
	case op.Method == "GET" && item:
		return collection, roleRead
	case op.Method == "GET":
		return collection, roleList
	case (op.Method == "PUT" || op.Method == "PATCH") && item:
		return collection, roleUpdate
	case op.Method == "DELETE" && item:
		return collection, roleDelete
	}
	return "", ""
}

// idParam is the name of the last path parameter ({userId} -> userId), the record's id.
func idParam(op *specs.Operation) string {
	p := strings.TrimSuffix(op.Path, "/")
	last := p[strings.LastIndex(p, "/")+1:]
	if strings.HasPrefix(last, "{") && strings.HasSuffix(last, "}") {
		return last[1 : len(last)-1]
	}
	return ""
}

// groupFlows builds a flow for every collection with a create and at least one item operation.
func groupFlows(v *specs.Vendor, chosen []*specs.Operation) ([]*flow, []*specs.Operation) {
	byRes := map[string]*flow{}
	var order []string
	for _, op := range chosen {
		res, role := roleOf(v, op)
		if res == "" {
			continue
		}
		f := byRes[res]
		if f == nil {
			f = &flow{resource: res}
			byRes[res] = f
			order = append(order, res)
		}
		switch role {
		case roleCreate:
			if f.create == nil {
				f.create = op
			}
		case roleRead:
			if f.read == nil {
				f.read = op
			}
		case roleList:
			if f.list == nil {
				f.list = op
			}
		case roleUpdate:
			f.updates = append(f.updates, op)
		case roleDelete:
			if f.del == nil {
				f.del = op
			}
		}
	}
	inFlow := map[*specs.Operation]bool{}
	var flows []*flow
	for _, res := range order {
		f := byRes[res]
		if f.create == nil || f.read == nil && f.del == nil && len(f.updates) == 0 {
			continue
		}
		for _, op := range f.ops() {
			inFlow[op] = true
		}
		flows = append(flows, f)
	}
	var rest []*specs.Operation
	for _, op := range chosen {
		if !inFlow[op] {
			rest = append(rest, op)
		}
	}
	return flows, rest
}
