package contract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/vendormock/vendormock/internal/reqgen"
	"github.com/vendormock/vendormock/mock/fake"
	"github.com/vendormock/vendormock/specs"
	"github.com/vendormock/vendormock/specs/validate"
)

// runner is one run's state; results are collected under mu because units run concurrently.
type runner struct {
	opts        Options
	v           *specs.Vendor
	val         *validate.Validator
	valMu       sync.Mutex
	build       *reqgen.Builder
	send        *sender
	auth        *auth
	red         *redactor
	credHeaders map[string]bool
	baseline    *Baseline

	mu       sync.Mutex
	rep      *Report
	finished int
	total    int
}

// Run checks the sandbox at opts.BaseURL against opts.Vendor. It returns the report even when ctx
// is cancelled midway (Complete is false, the error wraps ctx.Err()), so partial reports can be
// written. ErrUnreachable and ErrAuth mean no check ran; ErrConfig means the options cannot work.
// A baseline, when given, marks the findings it lists as accepted.
func Run(ctx context.Context, opts Options, baseline *Baseline) (*Report, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	u, err := url.Parse(opts.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.Join(ErrConfig, fmt.Errorf("base URL %q: want http(s)://host[/base-path]", opts.BaseURL))
	}
	if err := checkSchemes(opts.Vendor, opts.Credentials.Schemes); err != nil {
		return nil, err
	}
	if opts.Login != nil && opts.Login.Operation == nil {
		return nil, errors.Join(ErrConfig, errors.New("login: no operation"))
	}
	r := newRunner(opts, baseline)
	units := r.plan()
	if err := r.preflight(ctx); err != nil {
		return nil, err
	}
	r.work(ctx, units)
	r.rep.Duration = opts.Now().Sub(r.rep.Started)
	r.rep.Summary.Requests = int(r.send.requests.Load())
	r.rep.Complete = ctx.Err() == nil
	r.rep.finish()
	if err := ctx.Err(); err != nil {
		return r.rep, fmt.Errorf("contract run interrupted: %w", err)
	}
	return r.rep, nil
}

func newRunner(opts Options, baseline *Baseline) *runner {
	v := opts.Vendor
	locale := fake.LocaleUS
	var hints map[string]string
	if v.Sidecar != nil {
		hints = v.Sidecar.Faker
		if v.Sidecar.Locale == "UK" {
			locale = fake.LocaleUK
		}
	}
	gen := fake.New(fake.Options{Seed: opts.Seed, Now: opts.Now, Locale: locale, Hints: hints})
	var secrets []string
	for _, vals := range opts.Credentials.Headers {
		secrets = append(secrets, vals...)
	}
	for _, s := range opts.Credentials.Schemes {
		secrets = append(secrets, s)
	}
	if opts.Login != nil {
		secrets = append(secrets, string(opts.Login.Body))
		var body any
		if json.Unmarshal(opts.Login.Body, &body) == nil {
			secrets = append(secrets, stringsIn(body)...)
		}
	}
	red := newRedactor(!opts.NoRedact, secrets...)
	s := &sender{client: opts.Client, limit: newLimiter(opts.Rate, opts.Now, opts.Sleep), now: opts.Now,
		sleep: opts.Sleep, timeout: opts.Timeout, retries: opts.Retries}
	r := &runner{
		opts:        opts,
		v:           v,
		val:         validate.New(v, validate.Options{Logger: opts.Logger}),
		build:       reqgen.New(gen),
		send:        s,
		red:         red,
		credHeaders: credentialHeaders(v),
		baseline:    baseline,
	}
	r.auth = newAuth(&r.opts, s, red)
	r.rep = &Report{Vendor: v.Name, Title: v.Title, Spec: opts.Spec, BaseURL: redactURL(opts.BaseURL), Mode: opts.Mode,
		Strict: opts.Strict, Started: opts.Now(), Redacted: !opts.NoRedact, Inferred: []InferredResult{}}
	if baseline != nil {
		r.rep.Baseline = baseline.File
	}
	return r
}

// stringsIn lists the string values of a decoded document (the login body's password, e-mail).
func stringsIn(v any) []string {
	var out []string
	switch t := v.(type) {
	case map[string]any:
		for _, x := range t {
			out = append(out, stringsIn(x)...)
		}
	case []any:
		for _, x := range t {
			out = append(out, stringsIn(x)...)
		}
	case string:
		out = append(out, t)
	}
	return out
}

// preflight logs in and sends one GET, so an unreachable sandbox or refused credentials end the
// run with exit code 3 before any check is reported.
func (r *runner) preflight(ctx context.Context) error {
	if _, _, err := r.auth.schemes(ctx); err != nil {
		if errors.Is(err, errTransport) {
			return fmt.Errorf("%w: %w", ErrUnreachable, err)
		}
		if errors.Is(err, context.Canceled) {
			return err
		}
		return fmt.Errorf("%w: %w", ErrAuth, err)
	}
	var probe *specs.Operation
	for _, u := range r.plannedOps() {
		if u.Method != "GET" {
			continue
		}
		if probe == nil || len(probe.Security) == 0 && requiresCredentials(u) {
			probe = u
		}
	}
	if probe == nil {
		return nil
	}
	req, err := r.request(ctx, probe, nil, nil, false)
	if err != nil {
		return nil // the check itself reports it
	}
	ans, err := r.send.send(ctx, req.Method, req.URL(r.opts.BaseURL), req.Header, req.Body)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: %s", ErrUnreachable, r.red.text(err.Error()))
	}
	if requiresCredentials(probe) && (ans.Status == 401 || ans.Status == 403) {
		return fmt.Errorf("%w: %s answered %d with the given credentials", ErrAuth, probe, ans.Status)
	}
	return nil
}

// requiresCredentials reports whether every alternative of the operation's security names a scheme.
func requiresCredentials(op *specs.Operation) bool {
	if len(op.Security) == 0 {
		return false
	}
	for _, req := range op.Security {
		if req == nil || req.ContainsEmptyRequirement || req.Requirements == nil || req.Requirements.Len() == 0 {
			return false
		}
	}
	return true
}

// work runs the units on Concurrency workers; after cancellation the rest are reported skipped.
func (r *runner) work(ctx context.Context, units []unit) {
	ch := make(chan unit)
	var wg sync.WaitGroup
	for range r.opts.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range ch {
				if ctx.Err() != nil {
					r.skipUnit(u, "interrupted before this check ran")
					continue
				}
				u.run(ctx, r)
			}
		}()
	}
	for _, u := range units {
		ch <- u
	}
	close(ch)
	wg.Wait()
}

func (r *runner) skipUnit(u unit, reason string) {
	for _, op := range u.ops() {
		r.add(r.skipped(op, reason))
	}
}

// add records a finished operation and prints a progress line.
func (r *runner) add(res *OperationResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res.order = r.orderOf(res.ID)
	if r.baseline != nil {
		for i := range res.Findings {
			res.Findings[i].Accepted = r.baseline.Accepts(res.Findings[i].Key)
		}
	}
	r.rep.Operations = append(r.rep.Operations, res)
	r.finished++
	if r.opts.Progress != nil {
		state := res.State
		switch {
		case state == StateSkipped:
		case len(res.Findings) > 0:
			state = StateDrift
		default:
			state = "ok"
		}
		line := fmt.Sprintf("[%*d/%d] %-7s %s", len(itoa(r.total)), r.finished, r.total, state, res.Name())
		if res.Status != 0 {
			line += fmt.Sprintf(" %d %s", res.Status, res.Latency)
		}
		if n := len(res.Findings); n > 0 {
			line += fmt.Sprintf(" (%d finding%s)", n, plural(n))
		}
		if res.State == StateSkipped && res.Reason != "" {
			line += ": " + res.Reason
		}
		fmt.Fprintln(r.opts.Progress, r.red.text(line))
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (r *runner) orderOf(id string) int {
	for i, op := range r.v.Operations {
		if op.ID == id {
			return i
		}
	}
	return len(r.v.Operations)
}

func (r *runner) skipped(op *specs.Operation, reason string) *OperationResult {
	res := newResult(op)
	res.State, res.Reason = StateSkipped, reason
	if op.Inferred {
		r.addInferred(InferredResult{Operation: op.ID, Item: "operation", Verdict: VerdictUnseen, Detail: reason})
	}
	return res
}

func newResult(op *specs.Operation) *OperationResult {
	return &OperationResult{ID: op.ID, Method: op.Method, Path: op.Path, Inferred: op.Inferred}
}

func (r *runner) addInferred(ir InferredResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ir.Detail = r.red.text(ir.Detail)
	r.rep.Inferred = append(r.rep.Inferred, ir)
}

// request builds the request for op: fixtures and flow ids as parameters, the fixture body, the
// credentials (unless omit) and the --header headers.
func (r *runner) request(ctx context.Context, op *specs.Operation, ids map[string]string, body any, omit bool) (*reqgen.Request, error) {
	fx := r.opts.Fixtures.For(op)
	params := fx.Params
	for k, v := range ids {
		params[k] = v
	}
	creds := reqgen.Credentials{Omit: omit}
	if !omit {
		values, _, err := r.auth.schemes(ctx)
		if err != nil {
			return nil, err
		}
		creds.Values = values
	}
	req, err := r.build.Build(op, creds, params)
	if err != nil {
		return nil, fmt.Errorf("build request for %s: %w", op, err)
	}
	if body == nil {
		body = fx.Body
	}
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("encode fixture body for %s: %w", op, err)
		}
		req.Body, req.ContentType = data, "application/json"
		req.Header.Set("Content-Type", "application/json")
	}
	for name, vals := range r.opts.Credentials.Headers {
		if omit && r.credHeaders[strings.ToLower(name)] {
			continue
		}
		req.Header.Del(name)
		for _, v := range vals {
			req.Header.Add(name, v)
		}
	}
	return req, nil
}
