package mock

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vendormock/vendormock/scenarios"
)

// DefaultJournalSize is how many requests the journal keeps when Options.JournalSize is 0.
const DefaultJournalSize = 1000

// maxJournalBody bounds the request body a journal entry keeps.
const maxJournalBody = 64 << 10

// JournalEntry is one request as the client sent it and how the mock answered.
type JournalEntry struct {
	ID          int64               `json:"id"`
	Time        time.Time           `json:"time"`
	Vendor      string              `json:"vendor,omitempty"`
	OperationID string              `json:"operationId,omitempty"`
	Method      string              `json:"method"`
	Path        string              `json:"path"`
	Query       string              `json:"query,omitempty"`
	Session     string              `json:"session,omitempty"`
	Headers     map[string][]string `json:"headers"`
	// Body is the request body: its JSON when it is JSON, else a string.
	Body          json.RawMessage `json:"body,omitempty"`
	BodyTruncated bool            `json:"bodyTruncated,omitempty"`
	Scenario      string          `json:"scenario,omitempty"`
	Rule          string          `json:"rule,omitempty"`
	Fault         string          `json:"fault,omitempty"`
	// Status is the status the client was sent (the announced one of a truncated answer); 0 when
	// a fault left the request without one (reset, empty, hang).
	Status     int     `json:"status"`
	DurationMS float64 `json:"durationMs"`
}

// journal is a bounded ring buffer of recent requests; safe for concurrent use.
type journal struct {
	mu      sync.Mutex
	entries []JournalEntry
	next    int
	full    bool
	seq     int64
	redact  map[string]bool // canonical header names whose values are hidden
}

func newJournal(size int, redact map[string]bool) *journal {
	if size <= 0 {
		size = DefaultJournalSize
	}
	return &journal{entries: make([]JournalEntry, size), redact: redact}
}

func (j *journal) add(e JournalEntry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.ID = j.seq
	j.entries[j.next] = e
	j.next = (j.next + 1) % len(j.entries)
	if j.next == 0 {
		j.full = true
	}
}

// all returns the kept entries, oldest first.
func (j *journal) all() []JournalEntry {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.full {
		return append([]JournalEntry(nil), j.entries[:j.next]...)
	}
	out := make([]JournalEntry, 0, len(j.entries))
	out = append(out, j.entries[j.next:]...)
	return append(out, j.entries[:j.next]...)
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.entries)
	j.next, j.full = 0, false
}

// redactedHeaders is every credential-carrying header: the usual ones and the header of every
// apiKey security scheme of the loaded descriptions.
func (s *Server) redactedHeaders() map[string]bool {
	out := map[string]bool{}
	for _, h := range []string{"Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key"} {
		out[h] = true
	}
	for _, v := range s.opts.Catalog.Vendors {
		if v.Model == nil || v.Model.Components == nil || v.Model.Components.SecuritySchemes == nil {
			continue
		}
		for _, ss := range v.Model.Components.SecuritySchemes.FromOldest() {
			if ss != nil && strings.EqualFold(ss.Type, "apiKey") && strings.EqualFold(ss.In, "header") && ss.Name != "" {
				out[http.CanonicalHeaderKey(ss.Name)] = true
			}
		}
	}
	return out
}

// record adds a finished request to the journal; control endpoints are not journaled.
func (s *Server) record(r *http.Request, t *tracker) {
	if s.journal == nil || strings.HasPrefix(r.URL.Path, AdminPrefix) {
		return
	}
	e := JournalEntry{
		Time: t.start, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Session: r.Header.Get(scenarios.HeaderSession), Headers: make(map[string][]string, len(r.Header)),
		Scenario: t.scenario, Rule: t.rule, Fault: t.fault, Status: t.status,
		DurationMS: float64(time.Since(t.start).Microseconds()) / 1000,
	}
	if t.op != nil {
		e.Vendor, e.OperationID = t.op.Vendor.Name, t.op.ID
	}
	for k, v := range r.Header {
		if s.journal.redact[http.CanonicalHeaderKey(k)] {
			e.Headers[k] = []string{"REDACTED"}
			continue
		}
		e.Headers[k] = append([]string(nil), v...)
	}
	body := t.reqBody
	if len(body) > maxJournalBody {
		body, e.BodyTruncated = body[:maxJournalBody], true
	}
	if len(body) > 0 {
		if json.Valid(body) {
			e.Body = append(json.RawMessage(nil), body...)
		} else if b, err := json.Marshal(string(body)); err == nil {
			e.Body = b
		}
	}
	s.journal.add(e)
}
