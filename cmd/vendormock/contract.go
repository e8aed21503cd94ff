package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/vendormock/vendormock/contract"
	"github.com/vendormock/vendormock/specs"
)

const contractUsage = `Usage: vendormock contract --spec NAME|PATH --base-url URL [flags]

Checks a real vendor sandbox against a description and reports drift: for every operation it
sends a valid request and checks the answer's status, content type, body schema and documented
headers; a request without credentials must be refused with the documented 401. --mode full
also creates, reads, updates, lists and deletes records (cleaning up what it created) and checks
that an invalid body gets a documented 4xx. Values like ${ENV_VAR} in --header, --auth and
--base-url are read from the environment, so secrets stay out of shell history.

Exit codes: 0 no (new) drift, 1 drift found, 2 usage or configuration error, 3 sandbox
unreachable or authentication failed before any check ran, 130 interrupted (partial reports
are written).

Examples:
  vendormock contract --spec heydonto --base-url https://api-staging.heydonto.com \
    --login heydonto-auth:authcontroller_login --login-body-env HEYDONTO_LOGIN \
    --report junit=contract.xml --report html=contract.html
  vendormock contract --spec opendental --base-url https://api.opendental.com/api/v1 \
    --header 'Authorization: ODFHIR ${OD_DEV_KEY}/${OD_CUSTOMER_KEY}' --baseline od-baseline.json

`

// contractConfig is the validated contract command line.
type contractConfig struct {
	spec, baseURL                     string
	headers, auths                    []string
	login, loginSpec, loginBodyEnv    string
	loginTokenPointer, loginBaseURL   string
	loginTTL                          time.Duration
	mode                              string
	fixtures                          string
	include, exclude                  []string
	rate                              string
	concurrency, retries              int
	timeout                           time.Duration
	strict, noRedact, insecure, quiet bool
	baseline                          string
	updateBaseline                    bool
	reports                           []string
	record                            string
	seed                              int64
	logFormat, logLevel               string
}

func (c *contractConfig) register(fs *pflag.FlagSet) {
	fs.StringVar(&c.spec, "spec", "", "description to check: a bundled vendor name ("+strings.Join(specs.BundledNames(), ", ")+") or a file path")
	fs.StringVar(&c.baseURL, "base-url", "", "sandbox base URL the description's paths are appended to (include a base path such as /api/v1)")
	fs.StringArrayVar(&c.headers, "header", nil, "header sent on every request, 'Name: value' (repeatable; ${ENV_VAR} is expanded)")
	fs.StringArrayVar(&c.auths, "auth", nil, "credential for a security scheme, scheme=value: a token, user:password or API key (repeatable; ${ENV_VAR} is expanded)")
	fs.StringVar(&c.login, "login", "", "operation that logs in first: OPERATION_ID, or SPEC:OPERATION_ID for one in another bundled description")
	fs.StringVar(&c.loginSpec, "login-spec", "", "description (name or path) holding the --login operation (default: --spec)")
	fs.StringVar(&c.loginBodyEnv, "login-body-env", "", "environment variable holding the login request's JSON body")
	fs.StringVar(&c.loginTokenPointer, "login-token-pointer", "/token", "JSON pointer of the token in the login answer")
	fs.StringVar(&c.loginBaseURL, "login-base-url", "", "base URL of the login operation (default: --base-url)")
	fs.DurationVar(&c.loginTTL, "login-ttl", 0, "log in again after this long when the token is not a JWT with an expiry (0: only after a 401)")
	fs.StringVar(&c.mode, "mode", "safe", "safe (GET and HEAD only) or full (create, read, update, list, delete flows)")
	fs.StringVar(&c.fixtures, "fixtures", "", "directory of YAML/JSON fixtures: known ids and bodies keyed by operationId, 'METHOD /path', /path or *")
	fs.StringArrayVar(&c.include, "include", nil, "only operations matching a glob on operationId or 'METHOD /path' (repeatable, comma-separated)")
	fs.StringArrayVar(&c.exclude, "exclude", nil, "leave out operations matching a glob (repeatable, comma-separated)")
	fs.StringVar(&c.rate, "rate", "", "request rate limit: N/s, N/m or N (per second); default unlimited")
	fs.IntVar(&c.concurrency, "concurrency", 1, "operations (or flows) checked at once")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "timeout of one request")
	fs.IntVar(&c.retries, "retries", 2, "retries after 429, 5xx or a connection error (backoff honours Retry-After)")
	fs.BoolVar(&c.strict, "strict", false, "also report properties the schema does not declare")
	fs.StringVar(&c.baseline, "baseline", "", "file of accepted findings: only findings not in it fail the run")
	fs.BoolVar(&c.updateBaseline, "update-baseline", false, "write every finding of this run to --baseline (the run then exits 0)")
	fs.StringArrayVar(&c.reports, "report", nil, "write a report, FORMAT=FILE with FORMAT json, junit, markdown or html; FILE - is stdout (repeatable)")
	fs.StringVar(&c.record, "record", "", "save the sandbox's successful answers (redacted) as DIR/<vendor>/<operationId>.json fixtures")
	fs.BoolVar(&c.noRedact, "no-redact", false, "keep personal data in reports and recordings (credentials are always removed)")
	fs.BoolVar(&c.insecure, "insecure", false, "do not verify the sandbox's TLS certificate")
	fs.BoolVar(&c.quiet, "quiet", false, "no progress lines on stderr (the summary is still printed)")
	fs.Int64Var(&c.seed, "seed", 1, "seed of generated request values")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&c.logLevel, "log-level", "warn", "log level: debug, info, warn or error")
}

// validate checks the flags that do not need files or the environment.
func (c *contractConfig) validate() error {
	switch {
	case c.spec == "":
		return usageError("contract: --spec is required")
	case c.baseURL == "":
		return usageError("contract: --base-url is required")
	case c.mode != "safe" && c.mode != "full":
		return usageError("contract: --mode %q: want safe or full", c.mode)
	case c.concurrency < 1:
		return usageError("contract: --concurrency must be at least 1")
	case c.retries < 0:
		return usageError("contract: --retries must not be negative")
	case c.timeout <= 0:
		return usageError("contract: --timeout must be positive")
	case c.updateBaseline && c.baseline == "":
		return usageError("contract: --update-baseline needs --baseline FILE")
	case c.loginBodyEnv != "" && c.login == "":
		return usageError("contract: --login-body-env needs --login")
	case c.login != "" && c.loginBodyEnv == "":
		return usageError("contract: --login needs --login-body-env VAR (the JSON body, kept out of the command line)")
	}
	if c.loginTokenPointer != "" && !strings.HasPrefix(c.loginTokenPointer, "/") {
		return usageError("contract: --login-token-pointer %q: a JSON pointer starts with /", c.loginTokenPointer)
	}
	if _, err := parseRate(c.rate); err != nil {
		return err
	}
	if _, err := parseReports(c.reports); err != nil {
		return err
	}
	return nil
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandEnv replaces ${VAR} with the variable's value; an unset variable is a usage error, so a
// typo never sends an empty credential.
func expandEnv(flag, s string) (string, error) {
	var missing string
	out := envRef.ReplaceAllStringFunc(s, func(m string) string {
		name := envRef.FindStringSubmatch(m)[1]
		v, ok := os.LookupEnv(name)
		if !ok && missing == "" {
			missing = name
		}
		return v
	})
	if missing != "" {
		return "", usageError("contract: %s: environment variable %s is not set", flag, missing)
	}
	return out, nil
}

// parseRate reads N/s, N/m or N (per second).
func parseRate(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	num, unit, _ := strings.Cut(s, "/")
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || n <= 0 {
		return 0, usageError("contract: --rate %q: want N/s, N/m or N with N > 0", s)
	}
	switch strings.TrimSpace(unit) {
	case "", "s", "sec", "second":
		return n, nil
	case "m", "min", "minute":
		return n / 60, nil
	}
	return 0, usageError("contract: --rate %q: want N/s, N/m or N with N > 0", s)
}

type reportTarget struct{ format, file string }

func parseReports(list []string) ([]reportTarget, error) {
	var out []reportTarget
	for _, r := range list {
		format, file, ok := strings.Cut(r, "=")
		if !ok || file == "" {
			return nil, usageError("contract: --report %q: want FORMAT=FILE (%s)", r, strings.Join(contract.Formats(), ", "))
		}
		format = strings.ToLower(strings.TrimSpace(format))
		if format == "md" {
			format = "markdown"
		}
		known := false
		for _, f := range contract.Formats() {
			known = known || f == format
		}
		if !known {
			return nil, usageError("contract: --report %q: unknown format %q (want %s)", r, format, strings.Join(contract.Formats(), ", "))
		}
		out = append(out, reportTarget{format, file})
	}
	return out, nil
}

// specSource resolves NAME (bundled) or a file path.
func specSource(ref string) specs.Source {
	for _, s := range specs.Bundled() {
		if s.Name == ref {
			return s
		}
	}
	name := strings.TrimSuffix(filepath.Base(ref), filepath.Ext(ref))
	if name == "openapi" || name == "swagger" {
		name = filepath.Base(filepath.Dir(filepath.Clean(ref)))
	}
	name = strings.ToLower(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, name))
	return specs.Source{Name: strings.TrimLeft(strings.Trim(name, "-"), "_"), Path: filepath.Clean(ref)}
}

// runContract is the contract subcommand: it checks a sandbox and maps the outcome to exit codes.
func runContract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg contractConfig
	fs := pflag.NewFlagSet("contract", pflag.ContinueOnError)
	cfg.register(fs)
	if help, err := parseFlags(fs, args, stdout, contractUsage); help || err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	logger, err := newLogger(stderr, cfg.logFormat, cfg.logLevel)
	if err != nil {
		return err
	}
	opts, err := cfg.options(ctx, logger)
	if err != nil {
		return err
	}
	if !cfg.quiet {
		opts.Progress = stderr
	}
	var baseline *contract.Baseline
	if cfg.baseline != "" && !cfg.updateBaseline {
		if baseline, err = contract.LoadBaseline(cfg.baseline); err != nil {
			return usageError("contract: %v", err)
		}
	}
	rep, runErr := contract.Run(ctx, opts, baseline)
	switch {
	case errors.Is(runErr, contract.ErrConfig):
		return usageError("contract: %v", runErr)
	case errors.Is(runErr, contract.ErrUnreachable), errors.Is(runErr, contract.ErrAuth):
		return &exitError{code: 3, err: fmt.Errorf("contract: %w", runErr)}
	case rep == nil && runErr != nil:
		return &exitError{code: 130, err: fmt.Errorf("contract: %w", runErr)}
	}
	// Reports are written even for an interrupted run: partial results are still results.
	if cfg.updateBaseline {
		b := contract.BaselineFrom(rep)
		if err := b.Write(cfg.baseline); err != nil {
			return fmt.Errorf("contract: %w", err)
		}
		fmt.Fprintf(stderr, "baseline %s: %d accepted finding(s)\n", cfg.baseline, len(b.Findings))
	}
	if err := writeReports(cfg.reports, rep, stdout); err != nil {
		return err
	}
	if err := contract.WriteSummary(stderr, rep); err != nil {
		return fmt.Errorf("contract: %w", err)
	}
	switch {
	case runErr != nil:
		return &exitError{code: 130, err: fmt.Errorf("contract: %w", runErr)}
	case rep.HasNewDrift() && !cfg.updateBaseline:
		return &exitError{code: 1}
	}
	return nil
}

func writeReports(list []string, rep *contract.Report, stdout io.Writer) error {
	targets, err := parseReports(list)
	if err != nil {
		return err
	}
	for _, t := range targets {
		if t.file == "-" {
			if err := contract.Write(stdout, t.format, rep); err != nil {
				return fmt.Errorf("contract: %w", err)
			}
			continue
		}
		f, err := os.Create(t.file)
		if err != nil {
			return fmt.Errorf("contract: report: %w", err)
		}
		werr := contract.Write(f, t.format, rep)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("contract: report %s: %w", t.file, werr)
		}
	}
	return nil
}

// options loads the descriptions and fixtures, reads the environment and builds the client.
func (c *contractConfig) options(ctx context.Context, logger *slog.Logger) (contract.Options, error) {
	var opts contract.Options
	baseURL, err := expandEnv("--base-url", c.baseURL)
	if err != nil {
		return opts, err
	}
	src := specSource(c.spec)
	sources := []specs.Source{src}
	loginRef, loginOp := "", c.login
	if c.login != "" {
		loginRef = c.loginSpec
		if ref, id, ok := strings.Cut(c.login, ":"); ok && loginRef == "" {
			loginRef, loginOp = ref, id
		}
	}
	var loginSrc specs.Source
	if loginRef != "" && loginRef != c.spec {
		loginSrc = specSource(loginRef)
		if loginSrc.Name == src.Name {
			loginSrc.Name += "-login"
		}
		sources = append(sources, loginSrc)
	}
	cat, err := specs.Load(ctx, sources, specs.Options{Logger: logger})
	if err != nil {
		return opts, usageError("contract: %v", err)
	}
	vendor, err := cat.Vendor(src.Name)
	if err != nil {
		return opts, usageError("contract: %v", err)
	}
	opts = contract.Options{
		Vendor: vendor, Spec: c.spec, BaseURL: baseURL, Logger: logger, Mode: contract.Mode(c.mode),
		Include: c.include, Exclude: c.exclude, Concurrency: c.concurrency, Timeout: c.timeout,
		Retries: c.retries, Strict: c.strict, NoRedact: c.noRedact, RecordDir: c.record, Seed: c.seed,
		Now: time.Now,
	}
	opts.Rate, _ = parseRate(c.rate) // checked by validate
	opts.Credentials.Headers = http.Header{}
	for _, h := range c.headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return opts, usageError("contract: --header: want 'Name: value'") // the value may be a secret: not echoed
		}
		if value, err = expandEnv("--header "+strings.TrimSpace(name), strings.TrimSpace(value)); err != nil {
			return opts, err
		}
		opts.Credentials.Headers.Add(strings.TrimSpace(name), value)
	}
	opts.Credentials.Schemes = map[string]string{}
	for _, a := range c.auths {
		name, value, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return opts, usageError("contract: --auth: want scheme=value")
		}
		if value, err = expandEnv("--auth "+name, value); err != nil {
			return opts, err
		}
		opts.Credentials.Schemes[strings.TrimSpace(name)] = value
	}
	if c.login != "" {
		lv := vendor
		if loginSrc.Path != "" {
			if lv, err = cat.Vendor(loginSrc.Name); err != nil {
				return opts, usageError("contract: --login: %v", err)
			}
		}
		op, ok := lv.Operation(loginOp)
		if !ok {
			return opts, usageError("contract: --login: %s has no operation %q", lv.Source.Display(), loginOp)
		}
		body, ok := os.LookupEnv(c.loginBodyEnv)
		if !ok || strings.TrimSpace(body) == "" {
			return opts, usageError("contract: --login-body-env: environment variable %s is not set", c.loginBodyEnv)
		}
		loginBase := baseURL
		if c.loginBaseURL != "" {
			if loginBase, err = expandEnv("--login-base-url", c.loginBaseURL); err != nil {
				return opts, err
			}
		}
		opts.Login = &contract.Login{Operation: op, BaseURL: loginBase, Body: []byte(body),
			TokenPointer: c.loginTokenPointer, TTL: c.loginTTL}
	}
	if c.fixtures != "" {
		if opts.Fixtures, err = contract.LoadFixtures(c.fixtures); err != nil {
			return opts, usageError("contract: %v", err)
		}
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	if c.insecure {
		transport.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the user asked for --insecure
	}
	opts.Client = &http.Client{Transport: transport}
	return opts, nil
}
