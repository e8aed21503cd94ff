package mock

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/mock/state"
	"github.com/vendormock/vendormock/scenarios"
	"github.com/vendormock/vendormock/specs"
	"github.com/vendormock/vendormock/specs/validate"
)

// opRuntime is everything an operation needs per request, computed once at start.
type opRuntime struct {
	s        *Server
	vr       *vendorRuntime
	op       *specs.Operation
	varNames []string // OpenAPI names of the mux variables p0, p1, ...
	// res and role place the operation in an inferred resource (nil: generated answers).
	res     *resource
	role    string
	paging  *paging
	success int
	// auth is the operation's part in an auth flow (login, logout, current user; see auth.go).
	auth     authKind
	security []alternative
	// responses holds a lazily compiled plan per documented code ("200", "4XX", "DEFAULT").
	responses map[string]*lazyPlan
	// validationStatus is the status an invalid request gets (body problems, parameter problems).
	bodyInvalid, paramInvalid int
	// conformList caches conformSchemas.
	conformOnce sync.Once
	conformList []*base.Schema
	// keyCache holds answerKeys per schema; itemCache listItemSchema per list schema.
	keyCache  schemaMemo[*state.Fields]
	itemCache schemaMemo[*base.Schema]
}

func (s *Server) compileOperation(vr *vendorRuntime, op *specs.Operation) (*opRuntime, error) {
	o := &opRuntime{s: s, vr: vr, op: op, success: op.SuccessStatus()}
	o.indexResponses()
	sec, err := compileSecurity(vr.v, op)
	if err != nil {
		return nil, err
	}
	o.security = sec
	o.auth = o.classifyAuth()
	o.bodyInvalid, o.paramInvalid = http.StatusBadRequest, http.StatusBadRequest
	switch {
	case op.Documents(422) && !op.Documents(400):
		o.bodyInvalid, o.paramInvalid = 422, 422
	case op.Documents(422):
		o.bodyInvalid = 422
	}
	return o, nil
}

// request is one call to an operation as the pipeline sees it.
type request struct {
	r       *http.Request
	o       *opRuntime
	body    []byte
	params  map[string]string // path parameters by OpenAPI name
	relPath string            // path relative to the mount, as the description writes it
	prefer  preferences
	// pagination is a scenario's override of list paging for this request (nil: none).
	pagination *scenarios.Pagination
	// decoded is the JSON body as validation decoded it (nil when it did not).
	decoded any
}

// serve answers a request routed to the operation; vars are the route's p0, p1, ...
func (o *opRuntime) serve(w http.ResponseWriter, r *http.Request, vars map[string]string) {
	t := trackerOf(w)
	if t != nil {
		t.op = o.op
	}
	req := &request{r: r, o: o, prefer: parsePrefer(r.Header.Values("Prefer"))}
	req.params = make(map[string]string, len(o.varNames))
	for i, name := range o.varNames {
		req.params[name] = vars["p"+itoa(i)]
	}
	req.relPath = strings.TrimPrefix(r.URL.Path, o.vr.v.Mount)
	if strings.HasSuffix(o.op.Path, "/") && !strings.HasSuffix(req.relPath, "/") {
		req.relPath += "/"
	}
	if r.Body != nil && r.Body != http.NoBody {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, o.s.opts.MaxBodyBytes))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				o.s.problem(w, r, http.StatusRequestEntityTooLarge, "request body too large",
					"the body exceeds the limit of "+formatBytes(tooBig.Limit), nil)
				return
			}
			o.s.problem(w, r, http.StatusBadRequest, "unreadable request body", err.Error(), nil)
			return
		}
		req.body = body
		if t != nil {
			t.reqBody = body
		}
	}
	if o.scenarioStep(w, req) {
		return
	}
	if !o.authorized(r) {
		o.unauthorized(w, req)
		return
	}
	if !o.authCheck(w, req) {
		return
	}
	// An explicit Prefer: code=... asks for that answer whatever the request: skip validation.
	if req.prefer.code == 0 {
		if findings := o.validateRequest(req); len(findings) > 0 {
			o.invalid(w, req, findings)
			return
		}
	}
	if o.auth != authNone && o.authAnswer(w, req) {
		return
	}
	if o.res != nil && req.prefer.code == 0 && !req.prefer.dynamic && req.prefer.example == "" {
		o.stateful(w, req)
		return
	}
	o.respond(w, req)
}

func (o *opRuntime) validateRequest(req *request) []validate.Finding {
	r2 := new(http.Request)
	*r2 = *req.r
	u := *req.r.URL
	u.Path = req.relPath
	u.RawPath = ""
	r2.URL = &u
	findings, decoded := o.vr.val.RequestDecoded(r2, o.op, req.body)
	req.decoded = decoded
	return findings
}

// invalid answers a request that breaks the description: the documented validation status and
// error body when there is one, else application/problem+json, naming every violation.
func (o *opRuntime) invalid(w http.ResponseWriter, req *request, findings []validate.Finding) {
	status := o.paramInvalid
	for _, f := range findings {
		if f.In == "body" {
			status = o.bodyInvalid
			break
		}
	}
	o.errorResponse(w, req, status, "request does not match the description", summarize(findings), findings)
}

func summarize(findings []validate.Finding) string {
	parts := make([]string, 0, len(findings))
	for _, f := range findings {
		parts = append(parts, f.String())
	}
	return strings.Join(parts, "; ")
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return itoa(int(n>>20)) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return itoa(int(n>>10)) + " KiB"
	}
	return itoa(int(n)) + " bytes"
}
