package mock

import (
	"net/http"
	"sort"
	"strings"

	"github.com/gorilla/mux"
)

// trimSlash drops a trailing slash (but keeps "/"): routes are registered without one and requests
// are matched without one, so a trailing slash the description does not use is tolerated, and one
// it does use (Django REST Framework paths) is optional for clients.
func trimSlash(p string) string {
	if len(p) > 1 && strings.HasSuffix(p, "/") {
		return strings.TrimRight(p, "/")
	}
	return p
}

// lessPath orders templates so that literal segments win over templated ones at the same
// position (/users/current before /users/{userId}): mux tries routes in registration order.
func lessPath(a, b string) bool {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		at, bt := strings.Contains(as[i], "{"), strings.Contains(bs[i], "{")
		if at != bt {
			return !at
		}
		if as[i] != bs[i] {
			if at { // both templated: the one with more literal text is more specific
				if la, lb := literalLen(as[i]), literalLen(bs[i]); la != lb {
					return la > lb
				}
			}
			return as[i] < bs[i]
		}
	}
	return len(as) < len(bs)
}

func literalLen(seg string) int {
	n, depth := 0, 0
	for _, r := range seg {
		switch {
		case r == '{':
			depth++
		case r == '}':
			depth--
		case depth == 0:
			n++
		}
	}
	return n
}

// muxTemplate turns an OpenAPI path template into a mux one. OpenAPI parameter names may contain
// characters mux gives meaning to (':'), so variables are renamed positionally and mapped back.
func muxTemplate(path string) (tmpl string, names []string) {
	var b strings.Builder
	depth := 0
	var name strings.Builder
	for _, r := range trimSlash(path) {
		switch {
		case r == '{':
			depth++
			name.Reset()
		case r == '}' && depth > 0:
			depth--
			b.WriteString("{p")
			b.WriteString(itoa(len(names)))
			b.WriteString("}")
			names = append(names, name.String())
		case depth > 0:
			name.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), names
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// pathRoute is every operation of one path template (parameter names aside): one mux route
// whose handler picks the operation by method, or answers 405 with Allow. One regexp per path,
// not one per operation and another for the 405: route regexps were the largest start-up cost
// of ours (about 8 MB allocated for the bundled vendors).
type pathRoute struct {
	s     *Server
	first string // the first template registered, for ordering
	ops   map[string]*opRuntime
	allow string
}

// serve answers with the operation of the request's method; vars are mux's p0, p1, ...
func (pr *pathRoute) serve(w http.ResponseWriter, r *http.Request, vars map[string]string) {
	if o, ok := pr.ops[r.Method]; ok {
		o.serve(w, r, vars)
		return
	}
	w.Header().Set("Allow", pr.allow)
	if r.Method == http.MethodOptions {
		// A plain OPTIONS (not a CORS preflight, which the middleware answers) lists the methods.
		w.WriteHeader(http.StatusNoContent)
		return
	}
	pr.s.problem(w, r, http.StatusMethodNotAllowed, "method not allowed",
		r.Method+" is not documented for this path; allowed: "+pr.allow, nil)
}

// ServeHTTP serves a request routed by a mux router (vars from mux.Vars).
func (pr *pathRoute) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	pr.serve(w, r, mux.Vars(r))
}

// dispatcher routes one vendor's requests: a small gorilla/mux router per literal first path
// segment (/patients, /appointments, ...) and one for templated first segments, so matching
// costs the same on a 650-operation description as on a 5-operation one. It matches with
// Router.Match and calls the route itself, passing the variables: Router.ServeHTTP would copy
// the request twice to put them in its context.
type dispatcher struct {
	s     *Server
	mount string
	// literal holds the routes of templates without parameters by full path: a map lookup
	// answers them exactly as their mux route would (literal paths are tried first anyway), and
	// skips compiling a regexp for each at start-up.
	literal  map[string]*pathRoute
	groups   map[string]*mux.Router
	fallback *mux.Router
}

// match finds the path route of a request and its variables.
func (d *dispatcher) match(r *http.Request) (*pathRoute, map[string]string) {
	if pr, ok := d.literal[r.URL.Path]; ok {
		return pr, nil
	}
	rest := strings.TrimPrefix(r.URL.Path[len(d.mount):], "/")
	seg, _, _ := strings.Cut(rest, "/")
	var m mux.RouteMatch
	if g, ok := d.groups[seg]; ok && g.Match(r, &m) && m.MatchErr == nil {
		if pr, ok := m.Handler.(*pathRoute); ok {
			return pr, m.Vars
		}
	}
	m = mux.RouteMatch{}
	if d.fallback.Match(r, &m) && m.MatchErr == nil {
		if pr, ok := m.Handler.(*pathRoute); ok {
			return pr, m.Vars
		}
	}
	return nil, nil
}

func (d *dispatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if pr, vars := d.match(r); pr != nil {
		pr.serve(w, r, vars)
		return
	}
	d.s.notFound(w, r)
}

// routes reports whether a path of the vendor matches (with any method).
func (d *dispatcher) routes(r *http.Request) bool {
	pr, _ := d.match(r)
	return pr != nil
}

func firstSegment(path string) (string, bool) {
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return seg, !strings.Contains(seg, "{")
}

// vendorDispatcher registers one route per path template of a vendor, most specific first.
// Templates that differ only in parameter names (/users/{id} and /users/{userId}, which sloppy
// descriptions mix) share a route; when two operations claim the same method, the first wins.
func (s *Server) vendorDispatcher(vr *vendorRuntime) *dispatcher {
	newRouter := func() *mux.Router { return mux.NewRouter().SkipClean(true) }
	d := &dispatcher{s: s, mount: vr.v.Mount, literal: map[string]*pathRoute{}, groups: map[string]*mux.Router{}, fallback: newRouter()}
	byTemplate := map[string]*pathRoute{}
	var routes []*pathRoute
	for _, o := range vr.ops {
		tmpl, names := muxTemplate(o.op.Path)
		o.varNames = names
		pr, ok := byTemplate[tmpl]
		if !ok {
			pr = &pathRoute{s: s, first: trimSlash(o.op.Path), ops: map[string]*opRuntime{}}
			byTemplate[tmpl] = pr
			routes = append(routes, pr)
		}
		if _, dup := pr.ops[o.op.Method]; !dup {
			pr.ops[o.op.Method] = o
		}
	}
	sort.SliceStable(routes, func(i, j int) bool { return lessPath(routes[i].first, routes[j].first) })
	for _, pr := range routes {
		allow := make([]string, 0, len(pr.ops)+2)
		for m := range pr.ops {
			allow = append(allow, m)
		}
		if get, ok := pr.ops[http.MethodGet]; ok {
			if _, ok := pr.ops[http.MethodHead]; !ok {
				pr.ops[http.MethodHead] = get // HEAD is GET without the body
				allow = append(allow, http.MethodHead)
			}
		}
		allow = append(allow, http.MethodOptions)
		sort.Strings(allow)
		pr.allow = strings.Join(allow, ", ")
		tmpl, _ := muxTemplate(pr.first)
		if !strings.Contains(pr.first, "{") {
			d.literal[vr.v.Mount+tmpl] = pr
			continue
		}
		r := d.fallback
		if seg, literal := firstSegment(pr.first); literal {
			g, ok := d.groups[seg]
			if !ok {
				g = newRouter()
				d.groups[seg] = g
			}
			r = g
		}
		r.Handle(vr.v.Mount+tmpl, pr)
	}
	return d
}
