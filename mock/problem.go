package mock

import (
	"net/http"
	"strings"

	"github.com/vendormock/vendormock/internal/jsonw"
	"github.com/vendormock/vendormock/specs/validate"
)

// Problem is an RFC 9457 problem details body, vendormock's own error format for requests the
// descriptions do not document an error body for.
type Problem struct {
	Type     string             `json:"type"`
	Title    string             `json:"title"`
	Status   int                `json:"status"`
	Detail   string             `json:"detail,omitempty"`
	Instance string             `json:"instance,omitempty"`
	Errors   []validate.Finding `json:"errors,omitempty"`
}

// problem writes application/problem+json.
func (s *Server) problem(w http.ResponseWriter, r *http.Request, status int, title, detail string, findings []validate.Finding) {
	p := Problem{
		Type:     "urn:vendormock:problem:" + slug(title),
		Title:    title,
		Status:   status,
		Detail:   detail,
		Instance: r.URL.Path,
		Errors:   findings,
	}
	writeJSON(w, r, status, "application/problem+json", p)
}

func slug(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "-")
}

// marshal encodes JSON without HTML escaping (vendors' bodies contain & and <).
func marshal(v any) ([]byte, error) {
	return jsonw.Marshal(v) // what encoding/json writes without HTML escaping, faster
}

// writeEncoded encodes v into a pooled buffer and writes it: the hot answers (records, lists)
// allocate no body. It reports an encoding error before anything is written.
func (s *Server) writeEncoded(w http.ResponseWriter, r *http.Request, status int, contentType string, v any) error {
	bp, _ := s.bufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	body, err := jsonw.Append((*bp)[:0], v)
	if err == nil {
		writeBody(w, r, status, contentType, body)
	}
	if cap(body) <= 1<<20 { // a huge page is not kept
		*bp = body
		s.bufs.Put(bp)
	}
	return err
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, contentType string, v any) {
	body, err := marshal(v)
	if err != nil {
		http.Error(w, "vendormock: cannot encode answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	writeBody(w, r, status, contentType, body)
}

func writeBody(w http.ResponseWriter, r *http.Request, status int, contentType string, body []byte) {
	h := w.Header()
	if contentType != "" && body != nil {
		h.Set("Content-Type", contentType)
	}
	if body != nil {
		h.Set("Content-Length", itoa(len(body)))
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead && body != nil && status != http.StatusNoContent && status != http.StatusNotModified {
		_, _ = w.Write(body) // a client that hung up is not an error of ours
	}
}
