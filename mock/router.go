package mock

import (
	"net/http"
	"sort"
	"strings"

	"github.com/gorilla/mux"
)

// routeShape is a path template with parameter names blanked, so /users/{id} and /users/{userId}
// (sloppy descriptions use both) share one set of routes and one Allow header.
func routeShape(path string) string {
	segs := strings.Split(trimSlash(path), "/")
	for i, s := range segs {
		if strings.Contains(s, "{") {
			segs[i] = "{}"
		}
	}
	return strings.Join(segs, "/")
}

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

type shapeRoutes struct {
	shape   string
	first   string // a template of the shape, for ordering
	ops     []*opRuntime
	methods []string
}

// dispatcher routes one vendor's requests: a small gorilla/mux router per literal first path
// segment (/patients, /appointments, ...) and one for templated first segments, so matching
// costs the same on a 650-operation description as on a 5-operation one.
type dispatcher struct {
	mount    string
	groups   map[string]*mux.Router
	fallback *mux.Router
}

func (d *dispatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path[len(d.mount):], "/")
	seg, _, _ := strings.Cut(rest, "/")
	if g, ok := d.groups[seg]; ok {
		g.ServeHTTP(w, r) // its NotFoundHandler is the fallback router
		return
	}
	d.fallback.ServeHTTP(w, r)
}

// routes reports whether a route (an operation, or a known path with another method) matches.
func (d *dispatcher) routes(r *http.Request) bool {
	rest := strings.TrimPrefix(r.URL.Path[len(d.mount):], "/")
	seg, _, _ := strings.Cut(rest, "/")
	var m mux.RouteMatch
	if g, ok := d.groups[seg]; ok && g.Match(r, &m) && m.MatchErr == nil {
		return true
	}
	m = mux.RouteMatch{}
	return d.fallback.Match(r, &m) && m.MatchErr == nil
}

// matchMount matches the mount itself and paths below it, but not /heydonto-auth for /heydonto.
func matchMount(mount string) mux.MatcherFunc {
	return func(r *http.Request, _ *mux.RouteMatch) bool {
		p := r.URL.Path
		return mount == "" || p == mount || strings.HasPrefix(p, mount+"/")
	}
}

func firstSegment(path string) (string, bool) {
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return seg, !strings.Contains(seg, "{")
}

// vendorDispatcher registers every operation of a vendor, most specific paths first, and after
// each path's method routes a catch-all that answers 405 with Allow.
func (s *Server) vendorDispatcher(vr *vendorRuntime) *dispatcher {
	newRouter := func() *mux.Router { return mux.NewRouter().SkipClean(true) }
	d := &dispatcher{mount: vr.v.Mount, groups: map[string]*mux.Router{}, fallback: newRouter()}
	d.fallback.NotFoundHandler = http.HandlerFunc(s.notFound)
	byShape := map[string]*shapeRoutes{}
	var shapes []*shapeRoutes
	for _, o := range vr.ops {
		sh := routeShape(o.op.Path)
		sr, ok := byShape[sh]
		if !ok {
			sr = &shapeRoutes{shape: sh, first: trimSlash(o.op.Path)}
			byShape[sh] = sr
			shapes = append(shapes, sr)
		}
		sr.ops = append(sr.ops, o)
		sr.methods = append(sr.methods, o.op.Method)
	}
	sort.SliceStable(shapes, func(i, j int) bool { return lessPath(shapes[i].first, shapes[j].first) })
	for _, sr := range shapes {
		r := d.fallback
		if seg, literal := firstSegment(sr.first); literal {
			g, ok := d.groups[seg]
			if !ok {
				g = newRouter()
				g.NotFoundHandler = d.fallback
				d.groups[seg] = g
			}
			r = g
		}
		hasGet, hasHead := false, false
		for _, m := range sr.methods {
			hasGet = hasGet || m == http.MethodGet
			hasHead = hasHead || m == http.MethodHead
		}
		for _, o := range sr.ops {
			tmpl, names := muxTemplate(o.op.Path)
			o.varNames = names
			methods := []string{o.op.Method}
			if o.op.Method == http.MethodGet && !hasHead {
				methods = append(methods, http.MethodHead)
			}
			r.Handle(vr.v.Mount+tmpl, o).Methods(methods...)
		}
		allow := append([]string(nil), sr.methods...)
		if hasGet && !hasHead {
			allow = append(allow, http.MethodHead)
		}
		allow = append(allow, http.MethodOptions)
		sort.Strings(allow)
		tmpl, _ := muxTemplate(sr.first)
		r.Handle(vr.v.Mount+tmpl, methodNotAllowed(strings.Join(allow, ", "), s))
	}
	return d
}

func methodNotAllowed(allow string, s *Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		if r.Method == http.MethodOptions {
			// A plain OPTIONS (not a CORS preflight, which the middleware answers) lists the methods.
			w.WriteHeader(http.StatusNoContent)
			return
		}
		s.problem(w, r, http.StatusMethodNotAllowed, "method not allowed",
			r.Method+" is not documented for this path; allowed: "+allow, nil)
	})
}
