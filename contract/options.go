package contract

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/vendormock/vendormock/specs"
)

// Mode says what a run may do to the sandbox.
type Mode string

const (
	// ModeSafe sends only GET and HEAD requests: nothing is written to a shared sandbox.
	ModeSafe Mode = "safe"
	// ModeFull also creates, updates and deletes, in flows that clean up what they created.
	ModeFull Mode = "full"
)

// ErrUnreachable is returned when the sandbox could not be reached before any check ran.
var ErrUnreachable = errors.New("sandbox unreachable")

// ErrAuth is returned when authentication failed before any check ran (login refused, or the first
// authenticated request answered 401/403).
var ErrAuth = errors.New("authentication failed")

// ErrConfig is returned for options that cannot work (no vendor, bad base URL, unknown scheme).
var ErrConfig = errors.New("invalid contract configuration")

// Options configure a run.
type Options struct {
	// Vendor is the description to check.
	Vendor *specs.Vendor
	// Spec names the description in reports (bundled name or file path).
	Spec string
	// BaseURL is where the vendor's paths are appended ("https://sandbox.example.com/api/v1").
	BaseURL string
	// Client sends the requests; it owns TLS settings and transport timeouts.
	Client *http.Client
	// Now is the clock (latency, reports, Retry-After dates, token expiry); default time.Now.
	Now func() time.Time
	// Sleep waits for rate limiting and backoff; it must return early with ctx.Err() when ctx ends.
	// Default: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger gets debug and warning lines; it never sees credentials. Nil discards.
	Logger *slog.Logger
	// Progress, when set, gets one line per finished operation (the console's stderr).
	Progress io.Writer

	Mode Mode
	// Credentials to send; see Credentials.
	Credentials Credentials
	// Login, when set, obtains a token before the first check and again when it expires.
	Login *Login
	// Fixtures are known values of the sandbox (ids, bodies) keyed by operationId or path.
	Fixtures Fixtures
	// Include and Exclude are globs on operationId or "METHOD /path" (* matches anything).
	Include, Exclude []string
	// Rate bounds requests per second over all workers (0: unlimited).
	Rate float64
	// Concurrency is the number of operations (or flows) checked at once (default 1).
	Concurrency int
	// Timeout bounds one request, retries excluded (default 30s).
	Timeout time.Duration
	// Retries is how often a request is repeated after 429, 5xx or a transport error.
	Retries int
	// Strict also reports properties the schema does not declare.
	Strict bool
	// NoRedact keeps personal data in reports and recordings (credentials are always removed).
	NoRedact bool
	// RecordDir, when set, receives the sandbox's successful answers as DIR/<vendor>/<operationId>.json.
	RecordDir string
	// Seed makes generated request values repeatable.
	Seed int64
}

// Credentials are what the runner sends to prove who it is. Every value here is a secret: it is
// removed from reports, logs and recordings.
type Credentials struct {
	// Headers are sent on every request (--header); they are left out of the no-credentials check
	// when they carry a security scheme (Authorization, Cookie, an apiKey header).
	Headers http.Header
	// Schemes maps a security scheme name to its raw value (a token, "user:password", an API key).
	Schemes map[string]string
}

// Login describes an operation that exchanges credentials for a token.
type Login struct {
	// Operation is the login operation; it may belong to another description (heydonto-auth).
	Operation *specs.Operation
	// BaseURL is where the login operation's path is appended (default: Options.BaseURL).
	BaseURL string
	// Body is the JSON request body (a secret).
	Body []byte
	// TokenPointer is the JSON pointer of the token in the answer ("/token").
	TokenPointer string
	// Schemes receive the token; empty means every bearer, http and oauth2 scheme of the vendor.
	Schemes []string
	// TTL is how long a token lives when it is not a JWT with an exp claim (0: until a 401).
	TTL time.Duration
}

func (o *Options) defaults() error {
	if o.Vendor == nil {
		return errors.Join(ErrConfig, errors.New("no vendor description"))
	}
	if o.Client == nil {
		return errors.Join(ErrConfig, errors.New("no HTTP client"))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Mode == "" {
		o.Mode = ModeSafe
	}
	if o.Mode != ModeSafe && o.Mode != ModeFull {
		return errors.Join(ErrConfig, errors.New("mode "+string(o.Mode)+": want safe or full"))
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 1
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Login != nil && o.Login.TokenPointer == "" {
		o.Login.TokenPointer = "/token"
	}
	return nil
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
