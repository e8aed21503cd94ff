package mock

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vendormock/vendormock/mock/state"
	"github.com/vendormock/vendormock/scenarios"
	"github.com/vendormock/vendormock/specs"
)

// templateState lets scenario templates read the stored records of one request: its vendor's
// resources, in its session (X-Vendormock-Session, else the default session). It implements
// scenarios.State. Records are given as reads answer them: declared fields only, write-only
// ones left out.
type templateState struct {
	store   *state.Store
	vr      *vendorRuntime
	session string
}

func (ts *templateState) resource(name string) (*resource, error) {
	name = scenarios.ResourceName(name)
	for _, r := range ts.vr.resources {
		if r.name == name {
			return r, nil
		}
	}
	names := make([]string, 0, len(ts.vr.resources))
	for _, r := range ts.vr.resources {
		names = append(names, r.name)
	}
	sort.Strings(names)
	return nil, fmt.Errorf("vendor %q has no resource %q (GET %sresources lists them: %s): %w",
		ts.vr.v.Name, name, AdminPrefix, strings.Join(names, ", "), scenarios.ErrUnknownResource)
}

// Record returns a collection's record by id, or a singleton's record (id "").
func (ts *templateState) Record(name, id string) (map[string]any, bool, error) {
	r, err := ts.resource(name)
	if err != nil {
		return nil, false, err
	}
	sess := ts.store.Session(ts.session)
	if r.singleton {
		if id != "" {
			return nil, false, fmt.Errorf("resource %q is a singleton: read it without an id", r.name)
		}
		rec, ok := sess.Singleton(r.coll)
		return ts.answered(r, rec), ok, nil
	}
	if id == "" {
		return nil, false, nil
	}
	rec, ok := sess.Get(r.coll, id)
	if !ok {
		return nil, false, nil
	}
	return ts.answered(r, rec), true, nil
}

// Records returns a collection's records in stored order, those whose fields equal where's
// values (as list query filters compare them: numbers by value, strings ignoring case).
func (ts *templateState) Records(name string, where map[string]string) ([]map[string]any, error) {
	r, err := ts.resource(name)
	if err != nil {
		return nil, err
	}
	if r.singleton {
		return nil, fmt.Errorf("resource %q is a singleton: read it with record", r.name)
	}
	var q state.Query
	for _, field := range sortedFields(where) {
		q.Filters = append(q.Filters, state.Filter{Field: field, Op: state.Eq, Values: []string{where[field]}})
	}
	page := ts.store.Session(ts.session).List(r.coll, q)
	out := make([]map[string]any, len(page.Items))
	for i, rec := range page.Items {
		out[i] = ts.answered(r, rec)
	}
	return out, nil
}

// answered is a record as a read of it answers: the fields the item schema declares (a field a
// client sent that reads do not document is stored, not answered), write-only ones left out.
func (ts *templateState) answered(r *resource, rec state.Record) state.Record {
	if rec == nil || r.schema == nil {
		return r.visible(rec)
	}
	fields := ts.vr.declaredFields(r.schema)
	if len(fields) == 0 {
		return r.visible(rec)
	}
	out := make(state.Record, len(fields))
	for k, v := range rec {
		if fields[k] && !r.writeOnly[k] {
			out[k] = v
		}
	}
	return out
}

func sortedFields(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// visible drops write-only fields (passwords are stored, never answered).
func (r *resource) visible(rec state.Record) state.Record {
	if len(r.writeOnly) == 0 || rec == nil {
		return rec
	}
	out := make(state.Record, len(rec))
	for k, v := range rec {
		if !r.writeOnly[k] {
			out[k] = v
		}
	}
	return out
}

// ScenarioResources gives, per vendor of the catalog, the stored resources scenario templates can
// read (record, records), named as GET /__admin/resources names them; for
// scenarios.Set.CheckResources (vendormock lint). NewServer runs the same check itself.
func ScenarioResources(cat *specs.Catalog) func(vendor string) []scenarios.Resource {
	by := map[string][]scenarios.Resource{}
	for _, v := range cat.Vendors {
		by[v.Name] = resourceRefs(inferResources(v))
	}
	return func(vendor string) []scenarios.Resource { return by[vendor] }
}

func resourceRefs(rs []*resource) []scenarios.Resource {
	out := make([]scenarios.Resource, len(rs))
	for i, r := range rs {
		out[i] = scenarios.Resource{Name: r.name, Singleton: r.singleton}
	}
	return out
}

// checkScenarioTemplates rejects scenario templates that read resources the vendors do not have.
func (s *Server) checkScenarioTemplates() error {
	if s.opts.Scenarios == nil {
		return nil
	}
	by := map[string][]scenarios.Resource{}
	for _, vr := range s.vendors {
		by[vr.v.Name] = resourceRefs(vr.resources)
	}
	problems := s.opts.Scenarios.Set().CheckResources(func(vendor string) []scenarios.Resource { return by[vendor] })
	if len(problems) > 0 {
		return &scenarios.Error{Problems: problems}
	}
	return nil
}
