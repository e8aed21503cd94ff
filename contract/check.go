package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/vendormock/vendormock/internal/reqgen"
	"github.com/vendormock/vendormock/specs"
	"github.com/vendormock/vendormock/specs/validate"
)

// excerptLimit bounds request and response excerpts in reports.
const excerptLimit = 2000

// checkOperation sends the valid request for op and checks the answer; with negatives it also
// sends the no-credentials request and, in full mode, an invalid body. It returns the result and
// the valid request's answer (nil when none came back).
func (r *runner) checkOperation(ctx context.Context, op *specs.Operation, ids map[string]string, negatives bool) (*OperationResult, *answer) {
	res := newResult(op)
	req, err := r.request(ctx, op, ids, nil, false)
	if err != nil {
		res.State, res.Reason = StateSkipped, r.red.text(err.Error())
		return res, nil
	}
	ans, ex := r.exchange(ctx, op, CheckValid, req, true)
	res.Exchanges = append(res.Exchanges, ex)
	if ans == nil {
		if ctx.Err() != nil {
			res.State, res.Reason = StateSkipped, "interrupted"
			return res, nil
		}
		res.Findings = append(res.Findings, r.finding(op, CheckValid, Finding{Kind: KindTransport,
			Message: ex.Error}))
		return res, nil
	}
	res.Status, res.Latency = ans.Status, Duration(ans.Latency)
	findings := r.checkAnswer(op, CheckValid, req, ans)
	res.Findings = append(res.Findings, findings...)
	if ans.Status < 200 || ans.Status > 299 {
		res.Reason = fmt.Sprintf("the valid request was answered %d; add known ids or bodies with --fixtures to check the success answer", ans.Status)
	} else {
		r.record(op, ans)
	}
	r.inferred(op, ans, findings)
	if negatives && ctx.Err() == nil && requiresCredentials(op) {
		res.Findings = append(res.Findings, r.checkNoCredentials(ctx, op, ids, res)...)
	}
	if negatives && ctx.Err() == nil && r.opts.Mode == ModeFull {
		res.Findings = append(res.Findings, r.checkInvalidBody(ctx, op, ids, req, res)...)
	}
	res.Findings = dedupe(res.Findings)
	return res, ans
}

// exchange sends a request (refreshing a login token once after a 401) and makes its excerpt.
func (r *runner) exchange(ctx context.Context, op *specs.Operation, check string, req *reqgen.Request, authed bool) (*answer, Exchange) {
	ex := Exchange{Check: check, Request: r.requestExcerpt(req)}
	var (
		before func(context.Context, http.Header) error
		gen    int
	)
	if authed && r.opts.Login != nil {
		// Credentials are put in after the rate limiter's wait, so a token never expires in the queue.
		before = func(ctx context.Context, h http.Header) error {
			var err error
			gen, err = r.credentialOverlay(ctx, op, h)
			return err
		}
	}
	url := req.URL(r.opts.BaseURL)
	ans, err := r.send.sendWith(ctx, req.Method, url, req.Header, req.Body, before)
	if err == nil && before != nil && ans.Status == http.StatusUnauthorized {
		if again, lerr := r.auth.refresh(ctx, gen); again && lerr == nil {
			ans, err = r.send.sendWith(ctx, req.Method, url, req.Header, req.Body, before)
		}
	}
	if err != nil {
		ex.Error = r.red.text(err.Error())
		return nil, ex
	}
	ex.Status, ex.Latency, ex.Attempts = ans.Status, Duration(ans.Latency), ans.Attempts
	ex.Response = r.responseExcerpt(ans)
	return ans, ex
}

// credentialOverlay writes the current credentials of op into h (logging in first when the token
// expired) and returns the login generation they come from.
func (r *runner) credentialOverlay(ctx context.Context, op *specs.Operation, h http.Header) (int, error) {
	values, gen, err := r.auth.schemes(ctx)
	if err != nil {
		return gen, err
	}
	fresh, err := r.build.Build(op, reqgen.Credentials{Values: values}, r.opts.Fixtures.For(op).Params)
	if err != nil {
		return gen, fmt.Errorf("build request for %s: %w", op, err)
	}
	for k, v := range fresh.Header {
		if r.credHeaders[strings.ToLower(k)] && r.opts.Credentials.Headers.Get(k) == "" {
			h[k] = v
		}
	}
	return gen, nil
}

// checkAnswer checks one answer: documented status, content type, body schema, documented
// headers (specs/validate), and with Strict the properties the schema does not declare.
func (r *runner) checkAnswer(op *specs.Operation, check string, req *reqgen.Request, ans *answer) []Finding {
	vreq, err := http.NewRequest(req.Method, req.URL(""), nil)
	if err != nil {
		return []Finding{r.finding(op, check, Finding{Kind: KindTransport, Message: "cannot validate: " + err.Error()})}
	}
	vreq.Header = req.Header.Clone()
	body := ans.Body
	if req.Method == "HEAD" {
		// A HEAD answer has no body by definition: only its status and headers can drift.
		if !op.Documents(ans.Status) && !documentsDefault(op) {
			return []Finding{r.finding(op, check, Finding{Kind: KindStatus, Expected: strings.Join(op.Statuses, ", "),
				Actual: itoa(ans.Status), Message: fmt.Sprintf("status %d is not documented for %s", ans.Status, op.ID)})}
		}
		return nil
	}
	var out []Finding
	// libopenapi renders schemas lazily and not safely for concurrent use (the race detector
	// sees it), so answers are validated one at a time; the network dominates anyway.
	r.valMu.Lock()
	vfs := r.val.Response(vreq, op, ans.Status, ans.Header, body)
	r.valMu.Unlock()
	for _, f := range vfs {
		cf := fromValidate(f)
		if name, ok := documentedHeader(op, ans.Status, f.Name); ok && f.Pointer == "" {
			// Header problems come back as response findings named after the header; the
			// validator's "actual" is then the whole body, so show the header's value instead.
			cf.Kind, cf.Name, cf.Actual = KindHeader, name, ans.Header.Get(name)
			if cf.Actual == "" {
				cf.Actual = "missing"
			}
		}
		out = append(out, r.finding(op, check, cf))
	}
	if r.opts.Strict {
		if s := responseSchema(op, ans.Status, ans.Header.Get("Content-Type")); s != nil {
			var doc any
			if json.Unmarshal(body, &doc) == nil {
				for _, f := range undeclared(s, doc, "", 0) {
					out = append(out, r.finding(op, check, f))
				}
			}
		}
	}
	return out
}

// documentedHeader finds a response header documented for the status by name (any case).
func documentedHeader(op *specs.Operation, status int, name string) (string, bool) {
	resp, _ := op.Response(status)
	if name == "" || resp == nil || resp.Headers == nil {
		return "", false
	}
	for k := range resp.Headers.KeysFromOldest() {
		if strings.EqualFold(k, name) {
			return k, true
		}
	}
	return "", false
}

func documentsDefault(op *specs.Operation) bool {
	for _, s := range op.Statuses {
		if s == "default" {
			return true
		}
	}
	return false
}

// fromValidate maps a validate.Finding to a contract finding and its kind.
func fromValidate(f validate.Finding) Finding {
	out := Finding{Name: f.Name, Pointer: f.Pointer, Keyword: f.Keyword, Expected: f.Expected, Actual: f.Actual, Message: f.Message}
	if out.Expected == "" {
		out.Expected = expectedFrom(f.Keyword, f.Message)
	}
	switch {
	case f.In == "status":
		out.Kind = KindStatus
	case f.In == "content-type" || strings.Contains(strings.ToLower(f.Message), "content type") ||
		strings.Contains(strings.ToLower(f.Message), "content-type"):
		out.Kind, out.Name = KindContentType, "Content-Type"
	case f.In == "header" || f.Pointer == "" && strings.Contains(strings.ToLower(f.Message), "header"):
		out.Kind = KindHeader
	case f.Keyword == "additionalProperties":
		out.Kind = KindUndeclared
	default:
		out.Kind = KindBody
	}
	return out
}

// finding completes a finding: operation, check, stable key; values redacted.
func (r *runner) finding(op *specs.Operation, check string, f Finding) Finding {
	f.Operation, f.Check = op.ID, check
	if f.Count == 0 {
		f.Count = 1
	}
	f.Key = findingKey(f)
	return r.red.finding(f)
}

// findingKey identifies a finding across runs; array indices become * so that the same drift in
// the 3rd element tomorrow is the same finding as in the 1st today.
func findingKey(f Finding) string {
	toks := strings.Split(f.Pointer, "/")
	for i, t := range toks {
		if _, err := strconv.Atoi(t); err == nil && i > 0 {
			toks[i] = "*"
		}
	}
	parts := []string{f.Operation, f.Check, f.Kind}
	if f.Name != "" && !strings.EqualFold(f.Name, f.Kind) {
		parts = append(parts, strings.ToLower(f.Name))
	}
	if p := strings.Join(toks, "/"); p != "" {
		parts = append(parts, p)
	}
	if f.Keyword != "" && f.Keyword != f.Kind {
		parts = append(parts, f.Keyword)
	}
	return strings.Join(parts, " ")
}

// dedupe merges findings with the same key (one per drifted field, not per array element).
func dedupe(fs []Finding) []Finding {
	seen := map[string]int{}
	var out []Finding
	for _, f := range fs {
		if i, ok := seen[f.Key]; ok {
			out[i].Count += f.Count
			continue
		}
		seen[f.Key] = len(out)
		out = append(out, f)
	}
	return out
}

// checkNoCredentials sends the request without credentials: the documented 401 must come back.
func (r *runner) checkNoCredentials(ctx context.Context, op *specs.Operation, ids map[string]string, res *OperationResult) []Finding {
	req, err := r.request(ctx, op, ids, nil, true)
	if err != nil {
		return nil
	}
	ans, ex := r.exchange(ctx, op, CheckNoCredentials, req, false)
	res.Exchanges = append(res.Exchanges, ex)
	if ans == nil {
		if ctx.Err() != nil {
			return nil
		}
		return []Finding{r.finding(op, CheckNoCredentials, Finding{Kind: KindTransport, Message: ex.Error})}
	}
	// 401 is the refusal HTTP defines; a description may document 403 instead (Django REST
	// framework's session auth). Either must be documented, which checkAnswer verifies.
	if ans.Status != http.StatusUnauthorized && ans.Status != http.StatusForbidden {
		want := "401"
		if !op.Documents(http.StatusUnauthorized) && op.Documents(http.StatusForbidden) {
			want = "403"
		}
		return []Finding{r.finding(op, CheckNoCredentials, Finding{Kind: KindAuth, Expected: want, Actual: itoa(ans.Status),
			Message: fmt.Sprintf("a request without credentials was answered %d, not %s", ans.Status, want)})}
	}
	return r.checkAnswer(op, CheckNoCredentials, req, ans)
}

// checkInvalidBody sends a body that breaks the schema: a documented 4xx must come back. A create
// that accepts it anyway has its record deleted again by the flow's cleanup when possible.
func (r *runner) checkInvalidBody(ctx context.Context, op *specs.Operation, ids map[string]string, valid *reqgen.Request, res *OperationResult) []Finding {
	if !strings.Contains(strings.ToLower(valid.ContentType), "json") || len(valid.Body) == 0 {
		return nil
	}
	if !op.Documents(http.StatusBadRequest) && !op.Documents(http.StatusUnprocessableEntity) {
		res.Exchanges = append(res.Exchanges, Exchange{Check: CheckInvalidBody,
			Error: "not sent: the description documents neither 400 nor 422 for an invalid body"})
		return nil
	}
	bad, why := invalidBody(op, valid.Body)
	if bad == nil {
		return nil
	}
	req, err := r.request(ctx, op, ids, bad, false)
	if err != nil {
		return nil
	}
	ans, ex := r.exchange(ctx, op, CheckInvalidBody, req, true)
	ex.Check += " (" + why + ")"
	res.Exchanges = append(res.Exchanges, ex)
	if ans == nil {
		if ctx.Err() != nil {
			return nil
		}
		return []Finding{r.finding(op, CheckInvalidBody, Finding{Kind: KindTransport, Message: ex.Error})}
	}
	if ans.Status < 400 || ans.Status > 499 {
		return []Finding{r.finding(op, CheckInvalidBody, Finding{Kind: KindInvalidBody, Expected: "a documented 4xx",
			Actual: itoa(ans.Status), Message: fmt.Sprintf("a body with %s was answered %d", why, ans.Status)})}
	}
	return r.checkAnswer(op, CheckInvalidBody, req, ans)
}

// invalidBody breaks a valid JSON body the way clients do: it drops a required property, or
// sends the wrong type when the schema requires none.
func invalidBody(op *specs.Operation, valid []byte) (any, string) {
	s := requestSchema(op)
	if s == nil {
		return nil, ""
	}
	var doc any
	if json.Unmarshal(valid, &doc) != nil {
		return nil, ""
	}
	if m, ok := doc.(map[string]any); ok {
		req := append([]string(nil), s.Required...)
		sort.Strings(req)
		for _, name := range req {
			if _, has := m[name]; has {
				out := make(map[string]any, len(m))
				for k, v := range m {
					if k != name {
						out[k] = v
					}
				}
				return out, "required property " + name + " missing"
			}
		}
		if hasType(s, "object") {
			return []any{}, "an array instead of an object"
		}
		return nil, ""
	}
	if _, ok := doc.([]any); ok && hasType(s, "array") {
		return map[string]any{}, "an object instead of an array"
	}
	return nil, ""
}

var (
	enumRE    = regexp.MustCompile(`must be one of (.+)$`)
	formatRE  = regexp.MustCompile(`is not valid '?([A-Za-z0-9_-]+)'?$`)
	patternRE = regexp.MustCompile(`does not match pattern (.+)$`)
)

// expectedFrom reads what the schema wanted out of a validator message, for keywords whose
// message does not say "got X, want Y".
func expectedFrom(keyword, msg string) string {
	switch keyword {
	case "enum":
		if m := enumRE.FindStringSubmatch(msg); m != nil {
			return "one of " + m[1]
		}
	case "format":
		if m := formatRE.FindStringSubmatch(msg); m != nil {
			return "format " + m[1]
		}
	case "pattern":
		if m := patternRE.FindStringSubmatch(msg); m != nil {
			return "pattern " + m[1]
		}
	}
	return ""
}
