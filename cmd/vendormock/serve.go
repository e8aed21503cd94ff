package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/vendormock/vendormock/fixtures"
	"github.com/vendormock/vendormock/internal/pretouch"
	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/scenarios"
	"github.com/vendormock/vendormock/specs"
)

const serveUsage = `Usage: vendormock serve [flags]

Serves every operation of the loaded descriptions with realistic, schema-valid data.
Without --spec the bundled vendors are served: /heydonto, /heydonto-auth, /herohealth,
/opendental, /kana-practice, /kana-users. Control endpoints live under /__admin/.

Credentials: any well-formed credential is accepted by default. With --auth strict only these are:
  - tokens the mock's login operations issued, live and not revoked, for the vendor that issued
    them and its family (heydonto-auth tokens also open /heydonto);
  - keys listed per vendor in <vendor>/credentials.json (bundled, or in --fixtures DIR) or given
    with --api-key VENDOR=KEY, matched exactly as the request sends them: the x-api-key value,
    the token after "Bearer ", for Open Dental the whole "ODFHIR {DeveloperKey}/{CustomerKey}".
  Bundled sample keys: Hero Health x-api-key: vm-herohealth-sample-key; Open Dental
  Authorization: ODFHIR vm-sample-developer-key/vm-sample-customer-key.
Issued tokens are state: --state-file and GET/PUT /__admin/state keep them; POST /__admin/reset
forgets them all, POST /__admin/reset?session=ID those of logins that sent X-Vendormock-Session: ID.

Examples:
  vendormock serve
  vendormock serve --spec ./openapi.yaml                 # served at /
  vendormock serve --spec billing=./billing/openapi.yaml --bundled
  vendormock serve --port 0 --seed 42 --log-format json
  vendormock serve --scenario opendental/free-tier-throttle --scenarios ./my-scenarios
  vendormock serve --auth strict --api-key herohealth=my-key --api-key 'opendental=ODFHIR dev/cust'
  vendormock serve --auth strict --state-file ./state.json   # records and issued tokens survive restarts

`

// serveConfig is the validated configuration of the serve command.
type serveConfig struct {
	specFlags
	host         string
	port         int
	seed         int64
	logFormat    string
	logLevel     string
	logRequests  bool
	maxBodyBytes int64
	journalSize  int
	scenarioFlags
	stateFile   string
	seedRecords int
	maxRecords  int
	pretouchMiB int
	auth        string
	apiKeys     []string
}

func (c *serveConfig) register(fs *pflag.FlagSet) {
	c.specFlags.register(fs)
	fs.StringVar(&c.host, "host", "127.0.0.1", "address to listen on")
	fs.IntVar(&c.port, "port", 4010, "port to listen on (0 picks a free one)")
	fs.Int64Var(&c.seed, "seed", 1, "seed for generated data: the same seed gives the same answers")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.BoolVar(&c.logRequests, "log-requests", true, "log one line per request")
	fs.Int64Var(&c.maxBodyBytes, "max-body-bytes", mock.DefaultMaxBodyBytes, "largest accepted request body (413 above it)")
	c.scenarioFlags.register(fs)
	fs.IntVar(&c.journalSize, "journal-size", mock.DefaultJournalSize, "how many recent requests GET /__admin/requests keeps")
	fs.StringVar(&c.stateFile, "state-file", "", "load state (records and issued tokens) from this file at start and save it (atomically, at most once a second) after changes and on shutdown")
	fs.IntVar(&c.seedRecords, "seed-records", mock.DefaultSeedRecords, "records each collection holds at start")
	fs.IntVar(&c.maxRecords, "max-records", 100000, "records one session may store (507 past it)")
	fs.IntVar(&c.pretouchMiB, "pretouch-mib", -1, "MiB of heap made resident in one call before start-up allocates (fewer page faults, a faster start on VMs): -1 sizes it from the descriptions, 0 turns it off")
	fs.StringVar(&c.auth, "auth", "permissive", "credential checks: permissive (any well-formed credential) or strict (only tokens issued by login operations and keys listed in <vendor>/credentials.json or --api-key)")
	fs.StringArrayVar(&c.apiKeys, "api-key", nil, "VENDOR=KEY: a key --auth strict accepts for one vendor, as the request sends it (opendental='ODFHIR dev/cust'); repeatable")
}

// Validate checks flag values that pflag's types cannot.
func (c *serveConfig) Validate() error {
	if c.port < 0 || c.port > 65535 {
		return usageError("--port %d: want 0..65535", c.port)
	}
	if c.seed < 0 {
		return usageError("--seed must not be negative")
	}
	if c.maxBodyBytes <= 0 {
		return usageError("--max-body-bytes must be positive")
	}
	if c.journalSize <= 0 {
		return usageError("--journal-size must be positive")
	}
	if c.seedRecords < 0 || c.seedRecords > 10000 {
		return usageError("--seed-records %d: want 0..10000", c.seedRecords)
	}
	if c.maxRecords <= 0 {
		return usageError("--max-records must be positive")
	}
	if c.pretouchMiB < -1 || c.pretouchMiB > maxPretouchMiB {
		return usageError("--pretouch-mib %d: want -1 (sized from the descriptions), 0 (off) or up to %d", c.pretouchMiB, maxPretouchMiB)
	}
	if c.auth != "permissive" && c.auth != "strict" {
		return usageError("--auth %q: want permissive or strict", c.auth)
	}
	if _, err := c.apiKeyCredentials(); err != nil {
		return err
	}
	if err := c.scenarioFlags.Validate(); err != nil {
		return err
	}
	return nil
}

// apiKeyCredentials turns --api-key VENDOR=KEY flags into credentials, one set per vendor in
// the order first named. Keys are never echoed in messages.
func (c *serveConfig) apiKeyCredentials() ([]fixtures.Credentials, error) {
	var out []fixtures.Credentials
	byVendor := map[string]int{}
	for i, a := range c.apiKeys {
		vendor, key, ok := strings.Cut(a, "=")
		vendor = strings.TrimSpace(vendor)
		key = strings.TrimSpace(key)
		if !ok || vendor == "" || key == "" {
			return nil, usageError("--api-key #%d: want VENDOR=KEY, such as herohealth=my-key", i+1)
		}
		j, seen := byVendor[vendor]
		if !seen {
			j = len(out)
			byVendor[vendor] = j
			out = append(out, fixtures.Credentials{Path: "--api-key", Vendor: vendor})
		}
		out[j].Keys = append(out[j].Keys, fixtures.Key{Key: key, Note: fmt.Sprintf("--api-key #%d", i+1)})
	}
	return out, nil
}

// credentials are the bundled and --fixtures credentials.json files plus --api-key; an
// --api-key for a vendor that is not served is a usage error.
func (c *serveConfig) credentials(cat *specs.Catalog) ([]fixtures.Credentials, error) {
	files, err := c.credentialFiles()
	if err != nil {
		return nil, err
	}
	flags, err := c.apiKeyCredentials()
	if err != nil {
		return nil, err
	}
	for _, f := range flags {
		if !served(cat, f.Vendor) {
			return nil, usageError("--api-key %s=...: no vendor %q is served (served: %s)", f.Vendor, f.Vendor, strings.Join(cat.Names(), ", "))
		}
	}
	return append(files, flags...), nil
}

func served(cat *specs.Catalog, vendor string) bool {
	_, err := cat.Vendor(vendor)
	return err == nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	cfg.register(fs)
	if help, err := parseFlags(fs, args, stdout, serveUsage); help || err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	logOut := newLogWriter(stderr, 100*time.Millisecond)
	defer logOut.Close()
	logger, err := newLogger(logOut, cfg.logFormat, cfg.logLevel)
	if err != nil {
		return err
	}
	sources, err := cfg.sources()
	if err != nil {
		return err
	}
	start := time.Now()
	self, _ := os.ReadFile("/proc/self/cgroup") // not Linux: no limit
	container := cgroupMemoryLimit(os.DirFS("/sys/fs/cgroup"), self)
	touch := cfg.pretouchMiB << 20
	if cfg.pretouchMiB < 0 {
		touch = capToContainer(pretouchEstimate(sources), container)
	}
	soft := softMemoryLimit(os.Getenv("GOMEMLIMIT"), container)
	cat, srv, gc, err := buildWithoutGC(touch, soft, logger, func() (*specs.Catalog, *mock.Server, error) { return cfg.build(ctx, sources, logger) })
	if err != nil {
		return err
	}
	if soft > 0 {
		logger.Info("memory limit from the container", "soft_limit_mib", soft>>20, "container_mib", container>>20)
	}
	// At the latest on return; once the goroutine below runs it, this waits for it to finish, so
	// a later start-up in the same process (tests) starts from the settings before this one.
	defer gc.settle()
	if cfg.stateFile != "" {
		gc.restore() // a state file can be large: load it with the collector on
		if err := srv.Store().LoadFile(cfg.stateFile); err != nil {
			return fmt.Errorf("--state-file: %w", err)
		}
		saveCtx, stopSaving := context.WithCancel(context.Background())
		saved := make(chan error, 1)
		go func() { saved <- srv.Store().Autosave(saveCtx, cfg.stateFile, time.Second) }()
		defer func() {
			// After the server has drained: the final save.
			stopSaving()
			if err := <-saved; err != nil {
				logger.Error("state not saved", "file", cfg.stateFile, "error", err)
			}
		}()
		logger.Info("state file", "file", cfg.stateFile)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.host, strconv.Itoa(cfg.port)))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// The collector comes back and start-up's garbage goes back to the OS while the server
	// already answers: the full collection that returns it is not on the way to the first answer.
	go gc.settle()
	for _, v := range cat.Vendors {
		mount := v.Mount
		if mount == "" {
			mount = "/"
		}
		logger.Info("spec mounted", "vendor", v.Name, "mount", mount, "operations", len(v.Operations), "source", v.Source.Display())
	}
	logger.Info("listening", "url", "http://"+ln.Addr().String(), "operations", cat.OperationCount(), "startup", time.Since(start).Round(time.Millisecond))
	return serveUntilDone(ctx, ln, srv, logger)
}

// buildWithoutGC runs start-up with the collector held back: start-up allocates about 100 MB
// while its live heap grows from nothing, so the default pacing collects many times for
// little (it doubled start-up). A memory limit still bounds it. First it makes touch bytes of
// heap resident in one call (see pretouch.go). The caller settles the returned gcHold once it
// listens; on error the settings are already back. A soft limit above zero (see
// softMemoryLimit) also bounds start-up, and is the memory limit once the settings are back.
func buildWithoutGC(touch int, soft int64, logger *slog.Logger, build func() (*specs.Catalog, *mock.Server, error)) (*specs.Catalog, *mock.Server, *gcHold, error) {
	during := int64(startupMemoryLimit)
	if soft > 0 {
		during = min(during, soft)
	}
	h := &gcHold{percent: debug.SetGCPercent(-1), limit: debug.SetMemoryLimit(during)}
	if soft > 0 {
		h.limit = soft
	}
	t0 := time.Now()
	touched := pretouch.Heap(touch)
	logger.Debug("start-up phase", "phase", "pretouch heap", "bytes", touched, "took", time.Since(t0))
	// ReadMemStats stops the world: only for the debug log.
	measure := logger.Enabled(context.Background(), slog.LevelDebug)
	var allocs0 uint64
	if measure {
		allocs0 = allocatedBytes()
	}
	cat, srv, err := build()
	if measure {
		logger.Debug("start-up allocated", "bytes", allocatedBytes()-allocs0, "pretouched", touched)
	}
	if err != nil {
		h.restore()
		return nil, nil, nil, err
	}
	return cat, srv, h, nil
}

// allocatedBytes is the heap allocated since the process started.
func allocatedBytes() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// gcHold is the collector held back for start-up: the settings before it.
type gcHold struct {
	percent  int
	limit    int64
	restored sync.Once
	freed    sync.Once
}

// restore brings the collector settings back.
func (h *gcHold) restore() {
	h.restored.Do(func() {
		debug.SetGCPercent(h.percent)
		debug.SetMemoryLimit(h.limit)
	})
}

// settle restores the settings and returns start-up's garbage to the OS (a full collection,
// tens of milliseconds). Safe to call concurrently: a second call waits for the first.
func (h *gcHold) settle() {
	h.restore()
	h.freed.Do(debug.FreeOSMemory)
}

// maxPretouchMiB bounds --pretouch-mib well under startupMemoryLimit: past the limit the
// scavenger would return the populated pages before start-up used them.
const maxPretouchMiB = 512

// softMemoryLimit is the memory limit serve sets for the Go runtime: 90% of the container's
// (cgroup) limit, so that the collector works harder as the heap nears it instead of the
// kernel killing the process, as Prometheus's --auto-gomemlimit does; 0 (none) outside a
// limited container and when GOMEMLIMIT is set, which the runtime has applied already.
func softMemoryLimit(gomemlimit string, container int64) int64 {
	if gomemlimit != "" || container <= 0 {
		return 0
	}
	return container / 10 * 9
}

// startupMemoryLimit caps the heap while start-up runs without collections (a user spec much
// larger than the bundled ones then collects as usual).
const startupMemoryLimit = 768 << 20

// build loads the descriptions, scenarios and fixtures and makes the server: everything
// startup does before it listens (BenchmarkStartup measures it).
func (c *serveConfig) build(ctx context.Context, sources []specs.Source, logger *slog.Logger) (*specs.Catalog, *mock.Server, error) {
	t0 := time.Now()
	// Detached: the server keeps a copy of each model without libopenapi's parsed documents
	// (bundled vendors: 19 MiB of live heap instead of 52; see specs.Vendor.Detached).
	cat, err := specs.Load(ctx, sources, specs.Options{Logger: logger, Detach: true})
	if err != nil {
		return nil, nil, err
	}
	logger.Debug("start-up phase", "phase", "load descriptions", "took", time.Since(t0))
	// Start-up runs with the collector held back (buildWithoutGC), and parsing leaves its garbage
	// between the nodes the documents keep. One collection here lets compiling and seeding fill
	// those gaps instead of fresh pages: ~6 MiB less RSS at start for ~15 ms (bundled vendors).
	t0 = time.Now()
	runtime.GC()
	logger.Debug("start-up phase", "phase", "collect loading's garbage", "took", time.Since(t0))
	t0 = time.Now()
	loadScenarios := func() (*scenarios.Engine, error) {
		t0 := time.Now()
		defer func() { logger.Debug("start-up phase", "phase", "compile scenarios", "took", time.Since(t0)) }()
		return c.scenarioFlags.engine(ctx, cat, c.seed, logger)
	}
	fixtureFiles, err := c.fixtureFiles()
	if err != nil {
		return nil, nil, err
	}
	creds, err := c.credentials(cat)
	if err != nil {
		return nil, nil, err
	}
	srv, err := mock.NewServer(mock.Options{
		Fixtures: fixtureFiles, Credentials: creds,
		Catalog: cat, Logger: logger, Seed: c.seed, Now: time.Now,
		MaxBodyBytes: c.maxBodyBytes, LogRequests: c.logRequests,
		LoadScenarios: loadScenarios, JournalSize: c.journalSize,
		SeedRecords: seedRecordsOption(c.seedRecords), MaxRecordsPerSession: c.maxRecords,
		AuthStrict: c.auth == "strict",
	})
	if err == nil && c.auth == "strict" {
		for _, cr := range creds {
			if served(cat, cr.Vendor) {
				logger.Info("strict auth keys", "vendor", cr.Vendor, "source", cr.Where(), "keys", len(cr.Keys))
			}
		}
	}
	if err != nil {
		return nil, nil, err
	}
	logger.Debug("start-up phase", "phase", "compile and seed vendors", "took", time.Since(t0))
	return cat, srv, nil
}

// serveUntilDone serves until the context ends (SIGINT/SIGTERM), then drains connections.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// seedRecordsOption maps the flag (0 means empty collections) onto mock.Options (0 means default).
func seedRecordsOption(n int) int {
	if n == 0 {
		return -1
	}
	return n
}
