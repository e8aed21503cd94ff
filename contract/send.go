package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// maxBody bounds how much of an answer is read; larger bodies are checked truncated.
const maxBody = 8 << 20

// limiter spaces requests evenly: at most rate per second over all workers.
type limiter struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
}

func newLimiter(rate float64, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	l := &limiter{now: now, sleep: sleep}
	if rate > 0 {
		l.interval = time.Duration(float64(time.Second) / rate)
	}
	return l
}

// wait blocks until the caller may send: slots are handed out in order, interval apart.
func (l *limiter) wait(ctx context.Context) error {
	if l.interval == 0 {
		return ctx.Err()
	}
	l.mu.Lock()
	now := l.now()
	if l.next.Before(now) {
		l.next = now
	}
	d := l.next.Sub(now)
	l.next = l.next.Add(l.interval)
	l.mu.Unlock()
	if d <= 0 {
		return ctx.Err()
	}
	return l.sleep(ctx, d)
}

// sender sends requests with rate limiting, per-request timeouts and retries.
type sender struct {
	client   *http.Client
	limit    *limiter
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
	timeout  time.Duration
	retries  int
	requests atomic.Int64
}

// answer is a response read fully.
type answer struct {
	Status   int
	Header   http.Header
	Body     []byte
	Latency  time.Duration
	Attempts int
}

// errTransport marks failures where no usable answer came back.
var errTransport = errors.New("no answer")

// send sends one request (the body is re-sent on every attempt). Retries follow 429, 5xx and
// transport errors, waiting Retry-After when the sandbox sends one, else 0.5s, 1s, 2s... up to 30s.
func (s *sender) send(ctx context.Context, method, target string, header http.Header, body []byte) (*answer, error) {
	return s.sendWith(ctx, method, target, header, body, nil)
}

// sendWith is send with a hook that runs after the rate limiter let the attempt go and before it
// is sent: it refreshes credentials, which may expire while a slow rate limit waits.
func (s *sender) sendWith(ctx context.Context, method, target string, header http.Header, body []byte,
	before func(context.Context, http.Header) error) (*answer, error) {
	var lastErr error
	for attempt := 0; ; attempt++ {
		if err := s.limit.wait(ctx); err != nil {
			return nil, err
		}
		if before != nil {
			if err := before(ctx, header); err != nil {
				return nil, err
			}
		}
		a, err := s.once(ctx, method, target, header, body)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		retry := err != nil || a.Status == http.StatusTooManyRequests || a.Status >= 500
		if !retry || attempt >= s.retries {
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w: %w", method, redactURL(target), errTransport, errors.Join(err, lastErr))
			}
			a.Attempts = attempt + 1
			return a, nil
		}
		lastErr = err
		wait := backoff(attempt)
		if a != nil {
			if d, ok := retryAfter(a.Header.Get("Retry-After"), s.now()); ok {
				wait = d
			}
		}
		if err := s.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

func (s *sender) once(ctx context.Context, method, target string, header http.Header, body []byte) (*answer, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header = header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json, */*;q=0.5")
	}
	s.requests.Add(1)
	start := s.now()
	resp, err := s.client.Do(req)
	if err != nil {
		// The client's error repeats the URL, which may carry an API key in the query.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			return nil, uerr.Err
		}
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("read answer: %w", err)
	}
	return &answer{Status: resp.StatusCode, Header: resp.Header, Body: data, Latency: s.now().Sub(start)}, nil
}

func backoff(attempt int) time.Duration {
	d := 500 * time.Millisecond << attempt
	if d > 30*time.Second || d <= 0 {
		return 30 * time.Second
	}
	return d
}

// retryAfter reads a Retry-After header: delay seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
