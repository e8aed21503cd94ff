package scenarios

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vendormock/vendormock/specs"
)

// HeaderScenario names scenarios for one request: "name[,name...]" of the request's vendor.
// "vendor/name" is accepted too, and names of other vendors are ignored, so one header can go to
// every vendor a client calls.
const HeaderScenario = "X-Vendormock-Scenario"

// HeaderSession names the client session for rate limits and the request journal.
const HeaderSession = "X-Vendormock-Session"

// EngineOptions configure an Engine.
type EngineOptions struct {
	// Seed makes probabilities and random delays repeatable.
	Seed int64
	// Now is the clock of rate-limit windows (default time.Now).
	Now func() time.Time
	// Sleep waits for a delay or until ctx ends (default: a timer); tests inject a fake.
	Sleep func(ctx context.Context, d time.Duration) error
	// Active are the scenarios switched on for the whole run ("vendor/name", --scenario).
	Active []string
}

// Engine decides which scenario rule answers a request. It holds which scenarios are active and
// every rule's counters and rate-limit windows, and is safe for concurrent use.
type Engine struct {
	set  *Set
	opts EngineOptions

	mu      sync.Mutex
	runFlag []string // vendor/name, in flag order
	runtime []string // vendor/name, in activation order
	state   map[*compiledRule]*ruleState
}

type ruleState struct {
	answered int
	perOp    map[string]int
	windows  map[string]*window
}

type window struct {
	start time.Time
	count int
}

// Request is what the engine needs to know about a request.
type Request struct {
	// Vendor is the vendor's mount name; Op the matched operation.
	Vendor     string
	Op         *specs.Operation
	PathParams map[string]string
	Query      url.Values
	Header     http.Header
	Body       []byte
	// Session is the X-Vendormock-Session header; RemoteAddr the client's address.
	Session, RemoteAddr string
	// Credential identifies the caller for rate limits (the value of the operation's security
	// headers); when empty the engine uses Authorization or an api-key header.
	Credential string
	// State is what the record and records template functions read: the stored records of the
	// request's session. Nil makes templates that call them fail.
	State State
}

// Outcome is what a rule decided for a request.
type Outcome struct {
	Scenario, Rule string
	// Delay is waited before anything else happens (use Engine.Sleep).
	Delay time.Duration
	// Status is the answer's status; 0 means the request goes on through the normal pipeline.
	Status int
	Header http.Header
	// Body is the literal or rendered body; HasBody tells an empty body from none given.
	Body    []byte
	HasBody bool
	// ContentType overrides the answer's media type ("" lets the server pick the documented one).
	ContentType string
	// Generate asks for a body generated from the schema documented for Status.
	Generate bool
	// Message is the detail of a documented error body built by the server (no Body given).
	Message string
	// Fault is one of the Fault* constants.
	Fault string
	// Pagination overrides list paging for this request (read by the state layer).
	Pagination *Pagination
}

// Info describes a scenario for the admin API.
type Info struct {
	Vendor      string `json:"vendor"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Active      bool   `json:"active"`
	// ActiveBy is "run" (--scenario) or "runtime" (admin activation) when active.
	ActiveBy string `json:"activeBy,omitempty"`
	File     string `json:"file"`
}

// NewEngine builds the runtime over a set; every Active name must exist.
func NewEngine(set *Set, opts EngineOptions) (*Engine, error) {
	if set == nil {
		return nil, fmt.Errorf("scenarios: no scenario set")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	e := &Engine{set: set, opts: opts, state: map[*compiledRule]*ruleState{}}
	for _, a := range opts.Active {
		vendor, name, ok := strings.Cut(a, "/")
		if !ok {
			return nil, fmt.Errorf("scenario %q: want vendor/name", a)
		}
		if _, err := set.Lookup(vendor, name); err != nil {
			return nil, fmt.Errorf("%w (available: %s)", err, set.names(vendor))
		}
		e.runFlag = appendUnique(e.runFlag, a)
	}
	return e, nil
}

func (s *Set) names(vendor string) string {
	var out []string
	for _, c := range s.scenarios {
		if c.Vendor == vendor {
			out = append(out, c.Name)
		}
	}
	if len(out) == 0 {
		return "none for this vendor"
	}
	return strings.Join(out, ", ")
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Set is the scenarios the engine runs.
func (e *Engine) Set() *Set { return e.set }

// Sleep waits for d or until ctx ends, with the engine's (possibly fake) clock.
func (e *Engine) Sleep(ctx context.Context, d time.Duration) error { return e.opts.Sleep(ctx, d) }

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func remove(list []string, s string) []string {
	out := list[:0:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// List describes every scenario, sorted by vendor and name, with whether it is active for the run.
func (e *Engine) List() []Info {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Info, 0, len(e.set.scenarios))
	for _, c := range e.set.scenarios {
		key := c.Vendor + "/" + c.Name
		info := Info{Vendor: c.Vendor, Name: c.Name, Description: c.Description, File: c.File}
		switch {
		case contains(e.runtime, key):
			info.Active, info.ActiveBy = true, "runtime"
		case contains(e.runFlag, key):
			info.Active, info.ActiveBy = true, "run"
		}
		out = append(out, info)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Activate switches a scenario on for every request until it is deactivated or the engine reset.
func (e *Engine) Activate(vendor, name string) error {
	if _, err := e.set.Lookup(vendor, name); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.runtime = appendUnique(e.runtime, vendor+"/"+name)
	return nil
}

// Deactivate switches a scenario off, whether it was activated at runtime or by the run flag;
// Reset brings run-flag scenarios back.
func (e *Engine) Deactivate(vendor, name string) error {
	if _, err := e.set.Lookup(vendor, name); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	key := vendor + "/" + name
	e.runtime = remove(e.runtime, key)
	e.runFlag = remove(e.runFlag, key)
	return nil
}

// Reset returns to the start of the run: runtime activations are dropped, the run-flag scenarios
// are active again, and every counter, sequence and rate-limit window starts over.
func (e *Engine) Reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.runtime = nil
	e.runFlag = nil
	for _, a := range e.opts.Active {
		e.runFlag = appendUnique(e.runFlag, a)
	}
	e.state = map[*compiledRule]*ruleState{}
}

// Decide picks the rule that applies to a request and advances its state; nil means no rule
// applies. Precedence: scenarios named in the request header, then those activated at runtime,
// then the run flag's; within one tier the most specific match wins, ties going to the scenario
// named first and then to the rule written first. A rule that declines (probability, a rate
// limit not yet reached, a pass step, retired by times) leaves the request to the next one.
// An unknown name in the header is an error wrapping ErrUnknownScenario; a template that fails
// while rendering the answer is a *TemplateError. A template calling pass declines its rule.
func (e *Engine) Decide(req *Request) (*Outcome, error) {
	headerNames, err := e.headerScenarios(req)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var body any
	decoded := false
	bodyFn := func() any {
		if !decoded {
			body, decoded = decodeBody(req.Body), true
		}
		return body
	}
	prefix := req.Vendor + "/"
	for _, tier := range [][]string{headerNames, e.runtime, e.runFlag} {
		var cands []*compiledRule
		for _, key := range tier {
			if !strings.HasPrefix(key, prefix) {
				continue
			}
			c := e.set.byKey[key]
			for _, r := range c.rules {
				if r.applies(req, bodyFn) {
					cands = append(cands, r)
				}
			}
		}
		// A stable sort keeps the tier order (scenario, then rule) among equally specific rules.
		sort.SliceStable(cands, func(i, j int) bool { return cands[i].specificity > cands[j].specificity })
		for _, r := range cands {
			out, err := e.apply(r, req, bodyFn)
			if err != nil {
				return nil, err
			}
			if out != nil {
				return out, nil
			}
		}
	}
	return nil, nil
}

func (e *Engine) headerScenarios(req *Request) ([]string, error) {
	var out []string
	for _, v := range req.Header.Values(HeaderScenario) {
		for _, name := range strings.Split(v, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			if vendor, n, ok := strings.Cut(name, "/"); ok {
				// One header can serve a client talking to several vendors: names of other
				// vendors are for their requests.
				if vendor != req.Vendor {
					continue
				}
				name = n
			}
			if _, err := e.set.Lookup(req.Vendor, name); err != nil {
				return nil, fmt.Errorf("%s: %w (available: %s)", HeaderScenario, err, e.set.names(req.Vendor))
			}
			out = appendUnique(out, req.Vendor+"/"+name)
		}
	}
	return out, nil
}

// clientKey identifies the caller for a rate limit.
func clientKey(req *Request, per string) string {
	credential := func() string {
		if req.Credential != "" {
			return req.Credential
		}
		if a := req.Header.Get("Authorization"); a != "" {
			return a
		}
		for k, v := range req.Header {
			lk := strings.ToLower(k)
			if len(v) > 0 && (strings.Contains(lk, "api-key") || strings.Contains(lk, "apikey")) {
				return v[0]
			}
		}
		return req.Header.Get("Cookie")
	}
	address := func() string {
		host, _, err := net.SplitHostPort(req.RemoteAddr)
		if err != nil {
			return req.RemoteAddr
		}
		return host
	}
	switch per {
	case PerGlobal:
		return "global"
	case PerCredential:
		return "credential:" + credential()
	case PerSession:
		return "session:" + req.Session
	case PerAddress:
		return "address:" + address()
	}
	if c := credential(); c != "" {
		return "credential:" + c
	}
	if req.Session != "" {
		return "session:" + req.Session
	}
	return "address:" + address()
}
