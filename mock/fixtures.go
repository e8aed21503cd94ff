package mock

import (
	"fmt"

	"github.com/vendormock/vendormock/fixtures"
	"github.com/vendormock/vendormock/mock/state"
)

// applyFixtures adds fixture records to (or replaces) the generated start state. Every record is
// validated against its resource's schema; an invalid one stops start-up with the file, the
// record and the field named.
func (s *Server) applyFixtures(base map[string][]state.Record) error {
	for _, f := range s.opts.Fixtures {
		vr := s.vendorNamed(f.Vendor)
		if vr == nil {
			if f.Optional {
				continue
			}
			return fmt.Errorf("fixtures %s: no vendor %q is served", f.Path, f.Vendor)
		}
		res := vr.resourceFor(f)
		if res == nil {
			what := "resource " + f.Resource
			if f.OperationID != "" {
				what = "operation " + f.OperationID
			}
			return fmt.Errorf("fixtures %s: %s is not a resource of %s (GET /__admin/resources lists them)", f.Path, what, f.Vendor)
		}
		f.Records = vr.unwrapRecorded(f)
		recs := base[res.coll]
		if f.Mode == fixtures.Replace {
			recs = nil
		}
		taken := map[string]bool{}
		next := int64(0)
		for _, r := range recs {
			if id, err := state.IDKey(r[res.idField]); err == nil {
				taken[id] = true
			}
			if n, ok := r[res.idField].(int64); ok && n > next {
				next = n
			}
		}
		for i, rec := range f.Records {
			if !res.singleton {
				if _, ok := rec[res.idField]; !ok {
					next++
					rec[res.idField] = idValue(res.idKind, int(next), nil)
				}
				id, err := state.IDKey(rec[res.idField])
				if err != nil || taken[id] {
					return fmt.Errorf("fixtures %s: record %d: %s %v is missing or already used", f.Path, i, res.idField, rec[res.idField])
				}
				taken[id] = true
				if n, ok := rec[res.idField].(int64); ok && n > next {
					next = n
				}
			}
			if findings := vr.val.Value(res.schema, rec); len(findings) > 0 {
				return fmt.Errorf("fixtures %s: record %d: %s", f.Path, i, findings[0])
			}
			recs = append(recs, rec)
		}
		base[res.coll] = recs
	}
	return nil
}

func (s *Server) vendorNamed(name string) *vendorRuntime {
	for _, vr := range s.vendors {
		if vr.v.Name == name {
			return vr
		}
	}
	return nil
}

func (vr *vendorRuntime) resourceFor(f fixtures.File) *resource {
	for _, r := range vr.resources {
		if f.Resource != "" && trimSlash(r.name) == f.Resource {
			return r
		}
		if f.OperationID != "" {
			for _, op := range r.ops {
				if op.ID == f.OperationID {
					return r
				}
			}
		}
	}
	return nil
}

// unwrapRecorded turns a recorded list answer ({data: [...]}, as `vendormock contract --record`
// saves it) into its records.
func (vr *vendorRuntime) unwrapRecorded(f fixtures.File) []map[string]any {
	if f.OperationID == "" || len(f.Records) != 1 {
		return f.Records
	}
	for _, o := range vr.ops {
		if o.op.ID != f.OperationID || o.paging == nil || o.paging.envelope == "" {
			continue
		}
		items, ok := f.Records[0][o.paging.envelope].([]any)
		if !ok {
			return f.Records
		}
		out := make([]map[string]any, 0, len(items))
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return f.Records
}
