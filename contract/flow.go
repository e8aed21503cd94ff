package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vendormock/vendormock/specs"
)

// flow is the full-mode life of one record: create → read → update → list → delete, with the id
// the sandbox gave the created record.
type flow struct {
	resource                string
	create, read, list, del *specs.Operation
	updates                 []*specs.Operation
}

func (f *flow) ops() []*specs.Operation {
	out := []*specs.Operation{f.create}
	if f.read != nil {
		out = append(out, f.read)
	}
	out = append(out, f.updates...)
	if f.list != nil {
		out = append(out, f.list)
	}
	if f.del != nil {
		out = append(out, f.del)
	}
	return out
}

// cleanupTimeout bounds the delete that runs after a failed or interrupted flow.
const cleanupTimeout = 30 * time.Second

func (f *flow) run(ctx context.Context, r *runner) {
	name := "create → read → update → list → delete " + f.resource
	created, ans := r.checkOperation(ctx, f.create, nil, true)
	created.Flow = name
	id := ""
	if ans != nil && ans.Status >= 200 && ans.Status < 300 {
		id = createdID(ans, f.itemParam())
		if id == "" {
			created.Reason = "the create answer carries no id for the flow; item operations used fixture or generated ids"
		}
	}
	r.add(created)
	deleted := false
	// Whatever happens below (a failed step, Ctrl-C), the record we created is deleted.
	defer func() {
		if id == "" || deleted || f.del == nil {
			return
		}
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		r.cleanup(cctx, f.del, id)
	}()
	ids := func(op *specs.Operation) map[string]string {
		if id == "" {
			return nil
		}
		if p := idParam(op); p != "" {
			return map[string]string{"path." + p: id}
		}
		return nil
	}
	step := func(op *specs.Operation) *answer {
		if ctx.Err() != nil {
			r.add(r.skipped(op, "interrupted before this check ran"))
			return nil
		}
		res, a := r.checkOperation(ctx, op, ids(op), true)
		res.Flow = name
		if id != "" && a != nil && (a.Status < 200 || a.Status > 299) && op != f.list {
			res.Findings = append(res.Findings, r.finding(op, CheckValid, Finding{Kind: KindFlow,
				Expected: "2xx for the record created by " + f.create.ID, Actual: itoa(a.Status),
				Message: fmt.Sprintf("%s answered %d for the id %s just created", op.ID, a.Status, f.create.ID)}))
		}
		r.add(res)
		return a
	}
	if f.read != nil {
		step(f.read)
	}
	for _, op := range f.updates {
		step(op)
	}
	if f.list != nil {
		step(f.list)
	}
	if f.del == nil {
		return
	}
	if id == "" {
		r.add(r.skipped(f.del, "no record was created to delete"))
		return
	}
	if a := step(f.del); a != nil && a.Status >= 200 && a.Status < 300 {
		deleted = true
	}
}

// itemParam is the id parameter of the flow's item operations.
func (f *flow) itemParam() string {
	for _, op := range []*specs.Operation{f.read, f.del} {
		if op != nil && idParam(op) != "" {
			return idParam(op)
		}
	}
	for _, op := range f.updates {
		if p := idParam(op); p != "" {
			return p
		}
	}
	return ""
}

// cleanup deletes a record a flow created; its outcome is logged, not reported as drift.
func (r *runner) cleanup(ctx context.Context, del *specs.Operation, id string) {
	req, err := r.request(ctx, del, map[string]string{"path." + idParam(del): id}, nil, false)
	if err != nil {
		r.opts.Logger.WarnContext(ctx, "cleanup failed", "operation", del.ID, "err", r.red.text(err.Error()))
		return
	}
	ans, err := r.send.send(ctx, req.Method, req.URL(r.opts.BaseURL), req.Header, req.Body)
	switch {
	case err != nil:
		r.opts.Logger.WarnContext(ctx, "cleanup failed", "operation", del.ID, "err", r.red.text(err.Error()))
	case ans.Status < 200 || ans.Status > 299:
		r.opts.Logger.WarnContext(ctx, "cleanup failed", "operation", del.ID, "status", ans.Status)
	default:
		r.opts.Logger.DebugContext(ctx, "cleaned up", "operation", del.ID)
	}
}

// createdID finds the new record's id: the property named like the path parameter (userId, then
// id, _id, uuid), at the top or under data/result, else the last segment of Location.
func createdID(a *answer, param string) string {
	var doc any
	if json.Unmarshal(a.Body, &doc) == nil {
		cands := []any{doc}
		if m, ok := doc.(map[string]any); ok {
			for _, k := range []string{"data", "result", "item", "record"} {
				if inner, ok := m[k].(map[string]any); ok {
					cands = append(cands, inner)
				}
			}
		}
		names := []string{param, "id", "_id", "uuid", "ID", "Id"}
		if strings.HasSuffix(strings.ToLower(param), "id") && len(param) > 2 {
			names = append(names, param[:len(param)-2]+"_id")
		}
		for _, c := range cands {
			m, ok := c.(map[string]any)
			if !ok {
				continue
			}
			for _, n := range names {
				if n == "" {
					continue
				}
				for k, v := range m {
					if strings.EqualFold(k, n) {
						if s := idString(v); s != "" {
							return s
						}
					}
				}
			}
		}
	}
	if loc := a.Header.Get("Location"); loc != "" {
		loc = strings.TrimSuffix(loc, "/")
		return loc[strings.LastIndex(loc, "/")+1:]
	}
	return ""
}

func idString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", t), "0"), ".")
	case json.Number:
		return t.String()
	}
	return ""
}
