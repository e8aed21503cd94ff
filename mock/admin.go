package mock

import (
	"net/http"

	"github.com/gorilla/mux"
)

// SpecInfo describes one loaded description in admin answers.
type SpecInfo struct {
	Name       string   `json:"name"`
	Mount      string   `json:"mount"`
	Title      string   `json:"title"`
	Source     string   `json:"source"`
	OpenAPI    string   `json:"openapi"`
	Operations int      `json:"operations"`
	Warnings   []string `json:"warnings,omitempty"`
}

// OperationInfo describes one mounted operation in admin answers.
type OperationInfo struct {
	Vendor      string `json:"vendor"`
	Mount       string `json:"mount"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	OperationID string `json:"operationId"`
	Inferred    bool   `json:"inferred,omitempty"`
}

func (s *Server) addAdminRoutes(r *mux.Router) {
	r.HandleFunc("/health", s.adminHealth).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/specs", s.adminSpecs).Methods(http.MethodGet, http.MethodHead)
	s.addStateAdminRoutes(r)
	s.addScenarioRoutes(r)
	r.PathPrefix("/").HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.problem(w, r, http.StatusNotFound, "no such admin endpoint",
			r.Method+" "+r.URL.Path+" is not an admin endpoint; see GET "+AdminPrefix+"health and "+AdminPrefix+"specs", nil)
	})
}

func (s *Server) adminHealth(w http.ResponseWriter, r *http.Request) {
	out := struct {
		Status     string     `json:"status"`
		Operations int        `json:"operations"`
		Specs      []SpecInfo `json:"specs"`
	}{Status: "ok", Specs: []SpecInfo{}}
	for _, vr := range s.vendors {
		v := vr.v
		mount := v.Mount
		if mount == "" {
			mount = "/"
		}
		out.Specs = append(out.Specs, SpecInfo{Name: v.Name, Mount: mount, Title: v.Title, Source: v.Source.Display(),
			OpenAPI: v.Version, Operations: len(v.Operations), Warnings: v.Warnings})
		out.Operations += len(v.Operations)
	}
	writeJSON(w, r, http.StatusOK, "application/json", out)
}

func (s *Server) adminSpecs(w http.ResponseWriter, r *http.Request) {
	out := struct {
		Operations []OperationInfo `json:"operations"`
	}{Operations: []OperationInfo{}}
	for _, vr := range s.vendors {
		for _, o := range vr.ops {
			out.Operations = append(out.Operations, OperationInfo{Vendor: vr.v.Name, Mount: vr.v.Mount,
				Method: o.op.Method, Path: o.op.Path, OperationID: o.op.ID, Inferred: o.op.Inferred})
		}
	}
	writeJSON(w, r, http.StatusOK, "application/json", out)
}
