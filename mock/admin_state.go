package mock

import (
	"net/http"
	"runtime/debug"
	"sort"

	"github.com/gorilla/mux"

	"github.com/vendormock/vendormock/mock/state"
)

func (s *Server) addStateAdminRoutes(r *mux.Router) {
	r.HandleFunc("/resources", s.adminResources).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/reset", s.adminReset).Methods(http.MethodPost)
	r.HandleFunc("/state", s.adminExportState).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/state", s.adminImportState).Methods(http.MethodPut)
}

// adminResources reports the inference: each resource, its operations by role, its id field,
// pagination style, how many records the session holds and the first ids.
func (s *Server) adminResources(w http.ResponseWriter, r *http.Request) {
	sess := s.store.Session(r.Header.Get(SessionHeader))
	type info struct {
		ResourceInfo
		SampleIDs []string `json:"sampleIds,omitempty"`
	}
	out := struct {
		Resources []info `json:"resources"`
	}{Resources: []info{}}
	for _, vr := range s.vendors {
		for _, res := range vr.resources {
			ri := info{ResourceInfo: ResourceInfo{Vendor: vr.v.Name, Name: res.name, Singleton: res.singleton,
				IDField: res.idField, Operations: map[string]string{}}}
			ri.CreatedFields, ri.UpdatedFields = res.stampNames()
			roles := make([]string, 0, len(res.ops))
			for role := range res.ops {
				roles = append(roles, role)
			}
			sort.Strings(roles)
			for _, role := range roles {
				ri.Operations[role] = res.ops[role].ID
			}
			if res.singleton {
				if _, ok := sess.Singleton(res.coll); ok {
					ri.Records = 1
				}
			} else {
				ri.Records = sess.Count(res.coll)
				page := sess.List(res.coll, state.Query{Limit: 3})
				for _, rec := range page.Items {
					if id, err := state.IDKey(rec[res.idField]); err == nil {
						ri.SampleIDs = append(ri.SampleIDs, id)
					}
				}
			}
			for _, o := range vr.ops {
				if o.res == res && o.paging != nil {
					ri.Pagination = o.paging.style
				}
			}
			out.Resources = append(out.Resources, ri)
		}
	}
	writeJSON(w, r, http.StatusOK, "application/json", out)
}

// adminReset restores the seed state: every session, or one with ?session=.
func (s *Server) adminReset(w http.ResponseWriter, r *http.Request) {
	if sess, ok := r.URL.Query()["session"]; ok {
		s.store.Reset(sess[0])
	} else {
		s.store.ResetAll()
		// Hand the dropped records' memory back to the OS now rather than minutes later: a
		// reset of everything is rare and is where users check that memory returns.
		debug.FreeOSMemory()
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminExportState(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if err := s.store.Export(w); err != nil {
		s.log.Warn("state export failed", "error", err)
	}
}

func (s *Server) adminImportState(w http.ResponseWriter, r *http.Request) {
	if err := s.store.Import(http.MaxBytesReader(w, r.Body, 256<<20)); err != nil {
		s.problem(w, r, http.StatusBadRequest, "state not imported", err.Error(), nil)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
