package contract

import (
	"sort"
	"strings"
	"time"
)

// Finding kinds: what part of the answer drifted from the description.
const (
	KindStatus      = "status"       // the status is not documented for the operation
	KindContentType = "content-type" // the content type is not documented for the status
	KindBody        = "body"         // the body breaks the documented schema
	KindHeader      = "header"       // a documented response header is missing or malformed
	KindUndeclared  = "undeclared"   // --strict: a property the schema does not declare
	KindAuth        = "auth"         // a request without credentials was not refused with 401
	KindInvalidBody = "invalid-body" // a request with an invalid body did not get a documented 4xx
	KindFlow        = "flow"         // a full-mode flow could not follow the sandbox's ids
	KindTransport   = "transport"    // no answer: timeout, connection error, exhausted retries
)

// Check names: which request of an operation a finding comes from.
const (
	CheckValid         = "valid request"
	CheckNoCredentials = "no credentials"
	CheckInvalidBody   = "invalid body"
	CheckCleanup       = "cleanup"
)

// Result states of an operation.
const (
	StatePassed  = "passed"
	StateDrift   = "drift"
	StateSkipped = "skipped"
)

// Report is the outcome of a run: one result per operation of the description, in its order.
type Report struct {
	Vendor  string    `json:"vendor"`
	Title   string    `json:"title,omitempty"`
	Spec    string    `json:"spec"`
	BaseURL string    `json:"baseUrl"`
	Mode    Mode      `json:"mode"`
	Strict  bool      `json:"strict,omitempty"`
	Started time.Time `json:"started"`
	// Duration is the wall time of the run by the injected clock.
	Duration time.Duration `json:"durationNs"`
	// Complete is false when the run was interrupted; the results so far are kept.
	Complete   bool               `json:"complete"`
	Redacted   bool               `json:"redacted"`
	Baseline   string             `json:"baseline,omitempty"`
	Operations []*OperationResult `json:"operations"`
	Inferred   []InferredResult   `json:"inferred"`
	Summary    Summary            `json:"summary"`
}

// Summary counts operations and findings.
type Summary struct {
	Operations int `json:"operations"`
	Passed     int `json:"passed"`
	Drift      int `json:"drift"`
	Skipped    int `json:"skipped"`
	Findings   int `json:"findings"`
	// New are findings not accepted by the baseline; only they fail a run.
	New int `json:"new"`
	// Accepted are findings the baseline accepts.
	Accepted int `json:"accepted"`
	// Requests is the number of requests sent (retries included).
	Requests int `json:"requests"`
}

// OperationResult is what happened to one operation.
type OperationResult struct {
	ID     string `json:"operationId"`
	Method string `json:"method"`
	Path   string `json:"path"`
	// State is passed, drift or skipped.
	State string `json:"state"`
	// Reason says why an operation was skipped, or notes something about a pass (a documented 404).
	Reason    string     `json:"reason,omitempty"`
	Inferred  bool       `json:"inferred,omitempty"`
	Flow      string     `json:"flow,omitempty"`
	Status    int        `json:"status,omitempty"`
	Latency   Duration   `json:"latency"`
	Exchanges []Exchange `json:"exchanges,omitempty"`
	Findings  []Finding  `json:"findings,omitempty"`
	order     int
}

// Name is how test reports name the operation: METHOD path (operationId).
func (r *OperationResult) Name() string { return r.Method + " " + r.Path + " (" + r.ID + ")" }

// NewFindings counts the findings the baseline does not accept.
func (r *OperationResult) NewFindings() int {
	n := 0
	for _, f := range r.Findings {
		if !f.Accepted {
			n++
		}
	}
	return n
}

// Exchange is one request and its answer, redacted and cut to excerpts.
type Exchange struct {
	Check    string   `json:"check"`
	Request  string   `json:"request"`
	Status   int      `json:"status,omitempty"`
	Response string   `json:"response,omitempty"`
	Latency  Duration `json:"latency"`
	Attempts int      `json:"attempts,omitempty"`
	Error    string   `json:"error,omitempty"`
}

// Finding is one difference between the sandbox and the description.
type Finding struct {
	// Key identifies the finding across runs: check, operationId, kind, name, pointer (array
	// indices as *) and keyword. Baselines store keys.
	Key       string `json:"key"`
	Operation string `json:"operationId"`
	Check     string `json:"check"`
	Kind      string `json:"kind"`
	Name      string `json:"name,omitempty"`
	Pointer   string `json:"pointer,omitempty"`
	Keyword   string `json:"keyword,omitempty"`
	Expected  string `json:"expected,omitempty"`
	Actual    string `json:"actual,omitempty"`
	Message   string `json:"message"`
	// Count is how many times the finding occurred (array elements share a key).
	Count int `json:"count,omitempty"`
	// Accepted is true when the baseline lists the key.
	Accepted bool `json:"accepted,omitempty"`
}

// Where renders the finding's location: kind, name and pointer.
func (f Finding) Where() string {
	parts := []string{f.Kind}
	if f.Name != "" {
		parts = append(parts, f.Name)
	}
	if f.Pointer != "" {
		parts = append(parts, f.Pointer)
	}
	return strings.Join(parts, " ")
}

// String renders a finding on one line.
func (f Finding) String() string {
	s := f.Where() + ": " + f.Message
	if f.Expected != "" || f.Actual != "" {
		s += " (expected " + orDash(f.Expected) + ", got " + orDash(f.Actual) + ")"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// InferredResult says whether the sandbox confirmed an inferred part of the description.
type InferredResult struct {
	Operation string `json:"operationId"`
	// Item is "operation", a body property pointer ("body /token") or "header Set-Cookie".
	Item string `json:"item"`
	// Verdict is confirmed, contradicted or unseen.
	Verdict string `json:"verdict"`
	Detail  string `json:"detail,omitempty"`
}

// Inferred verdicts.
const (
	VerdictConfirmed    = "confirmed"
	VerdictContradicted = "contradicted"
	VerdictUnseen       = "unseen"
)

// Duration marshals as milliseconds, the unit reports show.
type Duration time.Duration

// MarshalJSON writes the duration in whole milliseconds.
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(itoa(int(time.Duration(d).Milliseconds()))), nil
}

// String renders the duration in milliseconds ("34ms").
func (d Duration) String() string { return itoa(int(time.Duration(d).Milliseconds())) + "ms" }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// HasNewDrift reports whether any finding is not accepted by the baseline.
func (r *Report) HasNewDrift() bool { return r.Summary.New > 0 }

// Findings lists every finding of the report in operation order.
func (r *Report) Findings() []Finding {
	var out []Finding
	for _, op := range r.Operations {
		out = append(out, op.Findings...)
	}
	return out
}

// finish sorts results and counts the summary.
func (r *Report) finish() {
	sort.SliceStable(r.Operations, func(i, j int) bool { return r.Operations[i].order < r.Operations[j].order })
	s := Summary{Operations: len(r.Operations), Requests: r.Summary.Requests}
	for _, op := range r.Operations {
		sort.SliceStable(op.Findings, func(i, j int) bool { return op.Findings[i].Key < op.Findings[j].Key })
		switch {
		case op.State == StateSkipped:
			s.Skipped++
		case len(op.Findings) > 0:
			op.State = StateDrift
			s.Drift++
		default:
			op.State = StatePassed
			s.Passed++
		}
		for _, f := range op.Findings {
			s.Findings++
			if f.Accepted {
				s.Accepted++
			} else {
				s.New++
			}
		}
	}
	sort.SliceStable(r.Inferred, func(i, j int) bool {
		if r.Inferred[i].Operation != r.Inferred[j].Operation {
			return r.Inferred[i].Operation < r.Inferred[j].Operation
		}
		return r.Inferred[i].Item < r.Inferred[j].Item
	})
	r.Summary = s
}
