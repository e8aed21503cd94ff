package mock

import (
	"net/http"
	"strings"
)

// setCORS lets browser-based clients under test call the mock from any origin.
func setCORS(h http.Header, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Credentials", "true")
	h.Set("Access-Control-Expose-Headers", "*")
	h.Add("Vary", "Origin")
}

func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != ""
}

// preflight answers a CORS preflight for any path and method the descriptions route.
func (s *Server) preflight(w http.ResponseWriter, r *http.Request) {
	probe := withoutTrailingSlash(r).Clone(r.Context())
	probe.Method = r.Header.Get("Access-Control-Request-Method")
	if !s.routes(probe) {
		s.notFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", probe.Method)
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

// routes reports whether the descriptions route the request's path (any method).
func (s *Server) routes(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, AdminPrefix) {
		return true
	}
	var root *vendorRuntime
	for _, vr := range s.vendors {
		m := vr.v.Mount
		if m == "" {
			root = vr
			continue
		}
		if r.URL.Path == m || strings.HasPrefix(r.URL.Path, m+"/") {
			return vr.dispatch.routes(r)
		}
	}
	return root != nil && root.dispatch.routes(r)
}
