package mock

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/mock/fake"
)

// respond answers a valid request with the documented success (or the Prefer'd status): the
// documented example unless a dynamic answer is asked for, else a generated body.
func (o *opRuntime) respond(w http.ResponseWriter, req *request) {
	status := o.success
	if req.prefer.code != 0 {
		status = req.prefer.code
	}
	p := o.plan(status)
	if p == nil {
		if req.prefer.code != 0 {
			w.Header().Set("X-Vendormock-Warning", "status "+strconv.Itoa(status)+" is not documented for "+o.op.ID)
			o.s.problem(w, req.r, status, "undocumented status requested",
				fmt.Sprintf("Prefer asked for %d, which %s does not document (documented: %s)", status, o.op.ID, strings.Join(o.op.Statuses, ", ")), nil)
			return
		}
		writeBody(w, req.r, status, "", nil)
		return
	}
	o.writePlan(w, req, status, p)
}

// writePlan writes headers and body of a documented response.
func (o *opRuntime) writePlan(w http.ResponseWriter, req *request, status int, p *responsePlan) {
	key := o.genKey(req, status)
	o.writeHeaders(w, p, key)
	if len(p.media) == 0 {
		writeBody(w, req.r, status, "", nil)
		return
	}
	m := p.negotiate(req.r.Header.Get("Accept"))
	if m == nil {
		types := make([]string, 0, len(p.media))
		for _, x := range p.media {
			types = append(types, x.contentType)
		}
		o.s.problem(w, req.r, http.StatusNotAcceptable, "not acceptable",
			"Accept: "+req.r.Header.Get("Accept")+" matches none of the documented types: "+strings.Join(types, ", "), nil)
		return
	}
	switch {
	case req.prefer.example != "":
		b, ok := m.named[req.prefer.example]
		if !ok {
			o.s.problem(w, req.r, http.StatusBadRequest, "unknown example",
				fmt.Sprintf("Prefer: example=%s: %s %s has no such example (available: %s)", req.prefer.example, p.code, m.contentType, strings.Join(m.names, ", ")), nil)
			return
		}
		writeBody(w, req.r, status, m.contentType, b)
	case m.example != nil && !req.prefer.dynamic:
		writeBody(w, req.r, status, m.contentType, m.example)
	case m.schema != nil:
		v := o.vr.gen.Generate(m.schema, key, fake.Response)
		body, err := marshal(v)
		if err != nil {
			o.s.problem(w, req.r, http.StatusInternalServerError, "cannot encode generated body", err.Error(), nil)
			return
		}
		writeBody(w, req.r, status, m.contentType, body)
	default:
		writeBody(w, req.r, status, m.contentType, []byte{})
	}
}

// genKey makes generated data a function of the request, not of request order: the vendor,
// operation, status, path and sorted query.
func (o *opRuntime) genKey(req *request, status int) string {
	var b strings.Builder
	b.Grow(64)
	b.WriteString(o.vr.v.Name)
	b.WriteByte('/')
	b.WriteString(o.op.ID)
	b.WriteByte('/')
	b.WriteString(strconv.Itoa(status))
	b.WriteByte('/')
	b.WriteString(req.relPath)
	if req.r.URL.RawQuery != "" {
		b.WriteByte('?')
		b.WriteString(req.r.URL.Query().Encode())
	}
	return b.String()
}

func (o *opRuntime) writeHeaders(w http.ResponseWriter, p *responsePlan, key string) {
	for _, h := range p.headers {
		if o.auth != authNone && strings.EqualFold(h.name, "Set-Cookie") {
			continue // logins set and logouts clear the auth cookie (setAuthCookie)
		}
		val := h.example
		if val == "" && h.schema != nil {
			val = scalarString(o.vr.gen.Generate(h.schema, key+"#"+h.name, fake.Response))
		}
		if val != "" {
			w.Header().Set(h.name, val)
		}
	}
}

// scalarString renders a generated header value (simple style).
func scalarString(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = scalarString(x)
		}
		return strings.Join(parts, ",")
	case map[string]any:
		b, _ := marshal(t) // encoding a generated map cannot fail
		return string(b)
	}
	return fmt.Sprint(v)
}

// schemaOf returns the JSON body schema of a plan's preferred media type.
func (p *responsePlan) jsonMedia() *mediaPlan {
	for _, m := range p.media {
		if mediaRank(m.contentType) <= 1 && m.schema != nil {
			return m
		}
	}
	return nil
}

var _ = (*base.Schema)(nil)
