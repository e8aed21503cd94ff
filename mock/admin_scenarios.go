package mock

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/vendormock/vendormock/scenarios"
)

// addScenarioRoutes registers the scenario and request-journal control endpoints.
func (s *Server) addScenarioRoutes(r *mux.Router) {
	r.HandleFunc("/scenarios", s.adminScenarios).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/scenarios/reset", s.adminScenariosReset).Methods(http.MethodPost)
	r.HandleFunc("/scenarios/{vendor}/{name}/{action:activate|deactivate}", s.adminScenarioSwitch).Methods(http.MethodPost)
	r.HandleFunc("/requests", s.adminRequests).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/requests", s.adminRequestsClear).Methods(http.MethodDelete)
}

func (s *Server) scenarioList() []scenarios.Info {
	if s.opts.Scenarios == nil {
		return []scenarios.Info{}
	}
	return s.opts.Scenarios.List()
}

func (s *Server) adminScenarios(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, "application/json", struct {
		Scenarios []scenarios.Info `json:"scenarios"`
	}{s.scenarioList()})
}

func (s *Server) adminScenariosReset(w http.ResponseWriter, r *http.Request) {
	if s.opts.Scenarios != nil {
		s.opts.Scenarios.Reset()
	}
	s.adminScenarios(w, r)
}

func (s *Server) adminScenarioSwitch(w http.ResponseWriter, r *http.Request) {
	vars := mux.Vars(r)
	vendor, name, action := vars["vendor"], vars["name"], vars["action"]
	if s.opts.Scenarios == nil {
		s.problem(w, r, http.StatusNotFound, "unknown scenario", "no scenarios are loaded", nil)
		return
	}
	var err error
	if action == "activate" {
		err = s.opts.Scenarios.Activate(vendor, name)
	} else {
		err = s.opts.Scenarios.Deactivate(vendor, name)
	}
	if errors.Is(err, scenarios.ErrUnknownScenario) {
		s.problem(w, r, http.StatusNotFound, "unknown scenario", err.Error()+"; GET "+AdminPrefix+"scenarios lists them", nil)
		return
	}
	if err != nil {
		s.problem(w, r, http.StatusInternalServerError, "scenario switch failed", err.Error(), nil)
		return
	}
	for _, info := range s.opts.Scenarios.List() {
		if info.Vendor == vendor && info.Name == name {
			writeJSON(w, r, http.StatusOK, "application/json", info)
			return
		}
	}
}

// adminRequests lists journaled requests, oldest first, keeping the newest `limit` (default 100)
// of those that pass the filters: vendor, method, path (exact, or a prefix ending in *),
// operationId and session.
func (s *Server) adminRequests(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.problem(w, r, http.StatusBadRequest, "invalid limit", "limit "+strconv.Quote(v)+": want a positive whole number", nil)
			return
		}
		limit = n
	}
	path := q.Get("path")
	keep := func(e JournalEntry) bool {
		switch {
		case q.Get("vendor") != "" && e.Vendor != q.Get("vendor"):
		case q.Get("method") != "" && !strings.EqualFold(e.Method, q.Get("method")):
		case q.Get("operationId") != "" && e.OperationID != q.Get("operationId"):
		case q.Get("session") != "" && e.Session != q.Get("session"):
		case path != "" && strings.HasSuffix(path, "*") && !strings.HasPrefix(e.Path, strings.TrimSuffix(path, "*")):
		case path != "" && !strings.HasSuffix(path, "*") && e.Path != path:
		default:
			return true
		}
		return false
	}
	out := []JournalEntry{}
	if s.journal != nil {
		for _, e := range s.journal.all() {
			if keep(e) {
				out = append(out, e)
			}
		}
	}
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	writeJSON(w, r, http.StatusOK, "application/json", struct {
		Requests []JournalEntry `json:"requests"`
	}{out})
}

func (s *Server) adminRequestsClear(w http.ResponseWriter, r *http.Request) {
	if s.journal != nil {
		s.journal.clear()
	}
	writeBody(w, r, http.StatusNoContent, "", nil)
}
