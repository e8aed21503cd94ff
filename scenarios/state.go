package scenarios

import (
	"encoding/binary"
	"errors"
	"hash/fnv"
	"math"
	"net/http"
	"strconv"
	"time"
)

// apply runs one matching rule: its counters, probability, rate limit and sequence decide
// whether it answers and how. It returns nil when the rule declines. e.mu is held.
func (e *Engine) apply(r *compiledRule, req *Request, body func() any) (*Outcome, error) {
	st := e.state[r]
	if st == nil {
		st = &ruleState{perOp: map[string]int{}, windows: map[string]*window{}}
		e.state[r] = st
	}
	if r.Times > 0 && st.answered >= r.Times {
		return nil, nil
	}
	st.perOp[req.Op.ID]++
	count := st.perOp[req.Op.ID]
	if r.Probability != nil && e.draw(r, req.Op.ID, count, "probability") >= *r.Probability {
		return nil, nil
	}
	out := &Outcome{Scenario: r.scenario.Name, Rule: r.Name, Pagination: r.Pagination}
	data := func() *TemplateData {
		return &TemplateData{Vendor: req.Vendor, Operation: req.Op.ID, Method: req.Op.Method, Path: req.Op.Path,
			PathParams: req.PathParams, Query: firstValues(req.Query, false), Header: firstValues(req.Header, true),
			Body: body(), Session: req.Session, Now: e.opts.Now(), Count: count}
	}
	respond, fault, delay := r.respond, r.Fault, r.Delay
	var rl *RateLimitInfo
	if r.RateLimit != nil {
		info, throttled := e.rateLimit(r, st, req)
		if !throttled {
			return nil, nil
		}
		rl = &info
		if respond == nil && fault == "" {
			respond = &compiledRespond{Respond: &Respond{Status: http.StatusTooManyRequests}}
		}
	}
	if len(r.steps) > 0 {
		i := count - 1
		if i >= len(r.steps) {
			if r.Cycle {
				i %= len(r.steps)
			} else {
				i = len(r.steps) - 1
			}
		}
		s := r.steps[i]
		out.Rule = r.Name + "#" + strconv.Itoa(i+1)
		respond, fault = s.respond, s.Fault
		if s.Delay != nil {
			delay = s.Delay
		}
	}
	if delay != nil {
		out.Delay = delay.Min
		if delay.Max > delay.Min {
			span := float64(delay.Max - delay.Min)
			out.Delay += time.Duration(e.draw(r, req.Op.ID, count, "delay") * span)
		}
	}
	out.Fault = fault
	if respond != nil {
		d := data()
		if rl != nil {
			d.RateLimit = *rl
		}
		if err := fillAnswer(out, respond, d, req.State); err != nil {
			if errors.Is(err, errPass) {
				return nil, nil // the template passed: the rule declines, as a pass step does
			}
			te := &TemplateError{Vendor: r.scenario.Vendor, Scenario: r.scenario.Name, Rule: out.Rule,
				File: r.scenario.File, Line: respond.Line, Err: err}
			var re *renderError
			if errors.As(err, &re) && re.line > 0 {
				te.Line = re.line
			}
			return nil, te
		}
		if rl != nil && out.Header.Get("Retry-After") == "" {
			out.Header.Set("Retry-After", strconv.Itoa(rl.Reset))
		}
	}
	if out.Status == 0 && out.Fault == "" && out.Delay == 0 && out.Pagination == nil {
		return nil, nil
	}
	st.answered++
	return out, nil
}

// fillAnswer renders a respond into the outcome; templates read stored records from st.
func fillAnswer(out *Outcome, resp *compiledRespond, d *TemplateData, st State) error {
	out.Status = resp.Status
	out.Generate = resp.Generate
	out.Message = resp.Message
	out.ContentType = resp.ContentType
	out.Header = http.Header{}
	for name, val := range resp.Headers {
		if t := resp.headers[name]; t != nil {
			b, err := t.render(d, st)
			if err != nil {
				return err
			}
			val = string(b)
		}
		out.Header.Set(name, val)
	}
	switch {
	case resp.tmpl != nil:
		b, err := resp.tmpl.render(d, st)
		if err != nil {
			return err
		}
		if err := resp.tmpl.checkJSON(b, resp.ContentType); err != nil {
			return err
		}
		out.Body, out.HasBody = b, true
	case resp.body != nil:
		out.Body, out.HasBody = resp.body, true
	}
	return nil
}

// rateLimit counts a request in its client's fixed window and reports whether it is over the
// limit. A window starts with the first request after the previous one ended.
func (e *Engine) rateLimit(r *compiledRule, st *ruleState, req *Request) (RateLimitInfo, bool) {
	now := e.opts.Now()
	key := clientKey(req, r.RateLimit.Per)
	w := st.windows[key]
	if w == nil || !now.Before(w.start.Add(r.RateLimit.Window)) {
		w = &window{start: now}
		st.windows[key] = w
	}
	w.count++
	left := w.start.Add(r.RateLimit.Window).Sub(now)
	info := RateLimitInfo{Limit: r.RateLimit.Requests, Remaining: max(0, r.RateLimit.Requests-w.count),
		Reset: max(1, int(math.Ceil(left.Seconds())))}
	return info, w.count > r.RateLimit.Requests
}

// draw is a repeatable number in [0,1) for one decision of one rule: a function of the seed, the
// rule, the operation and the call's count, so the order of other requests does not change it.
func (e *Engine) draw(r *compiledRule, op string, count int, what string) float64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(e.opts.Seed))
	h.Write(b[:])
	for _, s := range []string{r.scenario.Vendor, r.scenario.Name, r.Name, op, what, strconv.Itoa(count)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	x := h.Sum64()
	// splitmix64 finaliser: spreads FNV's weak low bits.
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / float64(1<<53)
}
