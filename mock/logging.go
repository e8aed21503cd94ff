package mock

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/vendormock/vendormock/specs"
)

// tracker wraps every response: it captures what the request log line and the request journal
// need (status, matched operation, scenario and rule, the request body as read).
type tracker struct {
	http.ResponseWriter
	status   int
	op       *specs.Operation
	scenario string
	rule     string
	fault    string
	reqBody  []byte
	start    time.Time
}

func (t *tracker) WriteHeader(code int) {
	if t.status == 0 {
		t.status = code
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *tracker) Write(b []byte) (int, error) {
	if t.status == 0 {
		t.status = http.StatusOK
	}
	return t.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flush, deadlines, hijack).
func (t *tracker) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// trackerOf finds the tracker under a ResponseWriter (nil in handlers called directly).
func trackerOf(w http.ResponseWriter) *tracker {
	t, _ := w.(*tracker)
	return t
}

// logRequest writes one line per request: method, path, vendor, operation, status, duration.
func (s *Server) logRequest(r *http.Request, t *tracker) {
	attrs := make([]slog.Attr, 0, 8)
	attrs = append(attrs,
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", t.status),
		slog.Duration("duration", time.Since(t.start)),
	)
	if t.op != nil {
		attrs = append(attrs, slog.String("vendor", t.op.Vendor.Name), slog.String("operation", t.op.ID))
	}
	if t.scenario != "" {
		attrs = append(attrs, slog.String("scenario", t.scenario), slog.String("rule", t.rule))
	}
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "request served", attrs...)
}
