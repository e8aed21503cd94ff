package mock

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"

	"github.com/vendormock/vendormock/scenarios"
)

// scenarioStep lets the active scenarios answer a request before the normal pipeline (security,
// validation, state, generation). It reports whether it answered. A rule that only delays, or only
// sets pagination, lets the request go on.
func (o *opRuntime) scenarioStep(w http.ResponseWriter, req *request) bool {
	eng := o.s.opts.Scenarios
	if eng == nil {
		return false
	}
	r := req.r
	session := r.Header.Get(scenarios.HeaderSession)
	out, err := eng.Decide(&scenarios.Request{
		Vendor: o.vr.v.Name, Op: o.op, PathParams: req.params, Query: r.URL.Query(), Header: r.Header,
		Body: req.body, Session: session, RemoteAddr: r.RemoteAddr,
		State: &templateState{store: o.s.store, vr: o.vr, session: session},
	})
	if err != nil {
		var te *scenarios.TemplateError
		switch {
		case errors.Is(err, scenarios.ErrUnknownScenario):
			o.s.problem(w, r, http.StatusBadRequest, "unknown scenario", err.Error(), nil)
		case errors.As(err, &te):
			// The scenario file is at fault, not the client: 500, naming the file, line,
			// scenario and rule; the journal names them too.
			if t := trackerOf(w); t != nil {
				t.scenario, t.rule = te.Scenario, te.Rule
			}
			o.s.log.LogAttrs(r.Context(), slog.LevelWarn, "scenario template failed",
				slog.String("scenario", te.Vendor+"/"+te.Scenario), slog.String("rule", te.Rule), slog.String("error", err.Error()))
			o.s.problem(w, r, http.StatusInternalServerError, "scenario template failed", err.Error(), nil)
		default:
			o.s.problem(w, r, http.StatusInternalServerError, "scenario failed", err.Error(), nil)
		}
		return true
	}
	if out == nil {
		return false
	}
	if t := trackerOf(w); t != nil {
		t.scenario, t.rule, t.fault = out.Scenario, out.Rule, out.Fault
	}
	req.pagination = out.Pagination
	if out.Delay > 0 {
		if err := eng.Sleep(r.Context(), out.Delay); err != nil {
			return true // the client gave up while we waited: nobody to answer
		}
	}
	if out.Fault != "" {
		o.fault(w, req, out)
		return true
	}
	if out.Status == 0 {
		return false
	}
	for k, v := range out.Header {
		w.Header()[k] = v
	}
	o.scenarioAnswer(w, req, out)
	return true
}

// scenarioAnswer writes a rule's answer: its literal or rendered body, a body generated from the
// documented schema, the documented answer for a success status, or the vendor's documented
// error body for an error status.
func (o *opRuntime) scenarioAnswer(w http.ResponseWriter, req *request, out *scenarios.Outcome) {
	p := o.plan(out.Status)
	switch {
	case out.HasBody:
		ct := out.ContentType
		if ct == "" && p != nil {
			if m := p.jsonMedia(); m != nil {
				ct = m.contentType
			}
		}
		if ct == "" {
			ct = "application/json"
		}
		writeBody(w, req.r, out.Status, ct, out.Body)
	case out.Generate && p != nil:
		req.prefer.dynamic = true
		o.writePlan(w, req, out.Status, p)
	case out.Status < 400 && p != nil:
		o.writePlan(w, req, out.Status, p)
	case out.Status < 400:
		writeBody(w, req.r, out.Status, "", nil)
	default:
		msg := out.Message
		if msg == "" {
			msg = http.StatusText(out.Status)
		}
		o.errorResponse(w, req, out.Status, http.StatusText(out.Status), msg, nil)
	}
}

// fault breaks the exchange the way networks and overloaded vendors do. Over HTTP/1 it takes
// the connection over; HTTP/2 cannot hand a connection over (one carries many requests), so
// there the fault resets the request's stream by aborting the handler, after the head and half
// the body of a truncated answer. Either way the request stays in the journal: ServeHTTP
// records it on the way out, also when the handler aborts, with the status the client was sent
// (that of a truncated answer; 0 when it was sent none).
func (o *opRuntime) fault(w http.ResponseWriter, req *request, out *scenarios.Outcome) {
	switch out.Fault {
	case scenarios.FaultHang:
		<-req.r.Context().Done()
		return
	case scenarios.FaultMalformed:
		status, ct, body := o.faultBody(req, out)
		if len(body) > 1 {
			body = body[:len(body)/2]
		}
		body = append(body, []byte(",<malformed")...)
		writeBody(w, req.r, status, ct, body)
		return
	}
	rc := http.NewResponseController(w)
	conn, buf, err := rc.Hijack()
	if err != nil {
		o.abort(w, rc, req, out)
		return
	}
	defer conn.Close() // closing is the fault; its error tells us nothing new
	switch out.Fault {
	case scenarios.FaultReset:
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // linger 0 turns the close into a RST; a plain close is the fallback
		}
	case scenarios.FaultTruncated:
		status, ct, body := o.faultBody(req, out)
		if t := trackerOf(w); t != nil {
			t.status = status // written past the tracker, straight to the connection
		}
		var head bytes.Buffer
		head.WriteString("HTTP/1.1 " + strconv.Itoa(status) + " " + http.StatusText(status) + "\r\n")
		head.WriteString("Content-Type: " + ct + "\r\nContent-Length: " + strconv.Itoa(len(body)+1) + "\r\n\r\n")
		head.Write(body[:len(body)/2])
		_, _ = buf.Write(head.Bytes()) // the client may be gone already: the fault stands either way
		_ = buf.Flush()
	}
}

// abort is a fault where the connection cannot be taken over (HTTP/2): aborting the handler
// resets the request's stream, which is what the client sees of a reset or an empty reply. A
// truncated answer first sends its head, announcing one byte more than the half body that
// follows. The panic unwinds through ServeHTTP, which journals the request on its way out.
func (o *opRuntime) abort(w http.ResponseWriter, rc *http.ResponseController, req *request, out *scenarios.Outcome) {
	if out.Fault == scenarios.FaultTruncated {
		status, ct, body := o.faultBody(req, out)
		h := w.Header()
		h.Set("Content-Type", ct)
		h.Set("Content-Length", strconv.Itoa(len(body)+1))
		w.WriteHeader(status)
		_, _ = w.Write(body[:len(body)/2]) // the client may be gone already: the fault stands either way
		_ = rc.Flush()                     // the half body must leave before the reset
	}
	o.s.log.LogAttrs(req.r.Context(), slog.LevelDebug, "scenario fault aborts the handler",
		slog.String("fault", out.Fault), slog.String("proto", req.r.Proto))
	panic(http.ErrAbortHandler)
}

// faultBody is the answer a truncated or malformed reply is cut from: the rule's body, else the
// documented answer of its status (the success status when it gives none).
func (o *opRuntime) faultBody(req *request, out *scenarios.Outcome) (int, string, []byte) {
	status := out.Status
	if status == 0 {
		status = o.success
	}
	if out.HasBody {
		return status, "application/json", append([]byte(nil), out.Body...)
	}
	rec := &bufferWriter{header: http.Header{}}
	saved := req.prefer
	req.prefer.code = status
	o.respond(rec, req)
	req.prefer = saved
	ct := rec.header.Get("Content-Type")
	if ct == "" {
		ct = "application/json"
	}
	if rec.body.Len() == 0 {
		rec.body.WriteString(`{"data":[]}`)
	}
	return status, ct, rec.body.Bytes()
}

// bufferWriter captures an answer in memory.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header         { return b.header }
func (b *bufferWriter) WriteHeader(code int)        { b.status = code }
func (b *bufferWriter) Write(p []byte) (int, error) { return b.body.Write(p) }
