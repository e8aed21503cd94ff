package mock

import (
	"sort"
	"strconv"
	"strings"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/internal/parallel"
	"github.com/vendormock/vendormock/mock/fake"
	"github.com/vendormock/vendormock/mock/state"
)

// DefaultSeedRecords is how many records each collection holds at start.
const DefaultSeedRecords = 20

// seedRecords generates the start state of every resource, deterministic from the seed, with
// ids in sequence and relation fields (organizationId, siteId, PatNum ...) naming records that exist.
func seedRecords(vendors []*vendorRuntime, n int) map[string][]state.Record {
	// ids of each collection by its singular name, for relations
	ids := map[string][]any{}
	for _, vr := range vendors {
		for _, r := range vr.resources {
			if r.singleton {
				continue
			}
			for i := 0; i < n; i++ {
				ids[singular(r)] = append(ids[singular(r)], idValue(r.idKind, i+1, nil))
			}
		}
	}
	// Generating is the costly part and every collection has its own deterministic stream, so
	// collections seed in parallel (ids is only read).
	type job struct {
		vr *vendorRuntime
		r  *resource
	}
	var jobs []job
	for _, vr := range vendors {
		for _, r := range vr.resources {
			jobs = append(jobs, job{vr, r})
		}
	}
	seeded, _ := parallel.Map(jobs, func(j job) ([]state.Record, error) {
		count := n
		if j.r.singleton {
			count = 1
		}
		recs := make([]state.Record, 0, count)
		for i := 0; i < count; i++ {
			rec, _ := j.vr.gen.Generate(j.r.schema, j.r.coll+"/seed/"+strconv.Itoa(i), fake.Response).(map[string]any)
			if rec == nil {
				rec = state.Record{}
			}
			if !j.r.singleton {
				rec[j.r.idField] = idValue(j.r.idKind, i+1, rec[j.r.idField])
			}
			relate(rec, j.r, ids, i)
			recs = append(recs, rec)
		}
		return recs, nil
	})
	out := make(map[string][]state.Record, len(jobs))
	for i, j := range jobs {
		out[j.r.coll] = seeded[i]
	}
	return out
}

// singular names a collection for relation matching: /organization, /organizations and
// /site/{siteId}/assistant give organization and assistant.
func singular(r *resource) string {
	segs := strings.Split(r.name, "/")
	for i := len(segs) - 1; i >= 0; i-- {
		if s := segs[i]; s != "" && !isTemplate(s) {
			s = strings.ToLower(strings.ReplaceAll(s, "-", ""))
			s = strings.ReplaceAll(s, "_", "")
			return strings.TrimSuffix(s, "s")
		}
	}
	return ""
}

// relate points foreign-key fields at existing records: fooId / foo_id / FooNum names a record
// of the collection foo when there is one and the types agree.
func relate(rec state.Record, r *resource, ids map[string][]any, i int) {
	names := make([]string, 0, len(r.fields))
	for n := range r.fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if name == r.idField {
			continue
		}
		l := strings.ToLower(name)
		var stem string
		for _, suf := range []string{"_id", "id", "num"} {
			if strings.HasSuffix(l, suf) && len(l) > len(suf) {
				stem = strings.TrimSuffix(strings.TrimSuffix(l, suf), "_")
				break
			}
		}
		if stem == "" {
			continue
		}
		stem = strings.ReplaceAll(stem, "_", "")
		if strings.HasSuffix(stem, "prov") {
			stem += "ider" // Open Dental ProvNum names a provider
		}
		if stem == "pat" {
			stem = "patient" // Open Dental PatNum names a patient
		}
		cands := ids[stem]
		if len(cands) == 0 {
			continue
		}
		v := cands[(i*7)%len(cands)]
		if s := r.fields[name]; compatible(v, s) {
			rec[name] = coerceValue(v, s)
		}
	}
}

func compatible(v any, s *base.Schema) bool {
	if s == nil {
		return false
	}
	switch v.(type) {
	case int64:
		return hasType(s, "integer") || hasType(s, "number") || hasType(s, "string") && s.Format == "" && s.Pattern == `^\d+$`
	case string:
		return hasType(s, "string") && s.Format == "" && (s.Pattern == "" || s.Pattern == `^\d+$`)
	}
	return false
}

// idValue is the n-th id of a collection in its kind; a generated UUID is kept as it is.
func idValue(kind state.IDKind, n int, generated any) any {
	switch kind {
	case state.IDInt:
		return int64(n)
	case state.IDUUID:
		if s, ok := generated.(string); ok && s != "" {
			return s
		}
	}
	return strconv.Itoa(n)
}

// coerce turns a path parameter into the type its field has.
func coerce(v string, s *base.Schema) any {
	if s != nil && (hasType(s, "integer") || hasType(s, "number")) {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	return v
}

func coerceValue(v any, s *base.Schema) any {
	if s == nil {
		return v
	}
	switch t := v.(type) {
	case int64:
		if hasType(s, "string") && !hasType(s, "integer") {
			return strconv.FormatInt(t, 10)
		}
	case string:
		if hasType(s, "integer") || hasType(s, "number") {
			if n, err := strconv.ParseInt(t, 10, 64); err == nil {
				return n
			}
		}
	}
	return v
}
