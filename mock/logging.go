package mock

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/vendormock/vendormock/specs"
)

// logRecorder captures the status and the matched operation for the request log line.
type logRecorder struct {
	http.ResponseWriter
	status int
	op     *specs.Operation
}

func (l *logRecorder) WriteHeader(code int) {
	if l.status == 0 {
		l.status = code
	}
	l.ResponseWriter.WriteHeader(code)
}

func (l *logRecorder) Write(b []byte) (int, error) {
	if l.status == 0 {
		l.status = http.StatusOK
	}
	return l.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flush, deadlines, hijack).
func (l *logRecorder) Unwrap() http.ResponseWriter { return l.ResponseWriter }

// logRequests writes one line per request: method, path, vendor, operation, status, duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		lr := &logRecorder{ResponseWriter: w}
		next.ServeHTTP(lr, r)
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", lr.status),
			slog.Duration("duration", time.Since(start)),
		}
		if lr.op != nil {
			attrs = append(attrs, slog.String("vendor", lr.op.Vendor.Name), slog.String("operation", lr.op.ID))
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request served", attrs...)
	})
}
