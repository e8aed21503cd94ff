package mock

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"
	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/fixtures"
	"github.com/vendormock/vendormock/internal/parallel"
	"github.com/vendormock/vendormock/mock/fake"
	"github.com/vendormock/vendormock/mock/state"
	"github.com/vendormock/vendormock/scenarios"
	"github.com/vendormock/vendormock/specs"
	"github.com/vendormock/vendormock/specs/validate"
)

// DefaultMaxBodyBytes bounds request bodies (413 past it).
const DefaultMaxBodyBytes = 10 << 20

// AdminPrefix is the reserved path prefix of the control endpoints.
const AdminPrefix = "/__admin/"

// Options configure a Server.
type Options struct {
	Catalog *specs.Catalog
	Logger  *slog.Logger
	// Seed makes generated data repeatable: the same seed gives the same bytes for the same request.
	Seed int64
	// Now is the clock (default time.Now).
	Now func() time.Time
	// MaxBodyBytes bounds request bodies (default DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// LogRequests writes one log line per request at info level.
	LogRequests bool
	// SeedRecords is how many records each inferred collection holds at start (default
	// DefaultSeedRecords; negative means none).
	SeedRecords int
	// MaxRecordsPerSession caps stored records per session (507 past it; 0: the store's default).
	MaxRecordsPerSession int
	// Fixtures add to or replace generated start records (bundled and users' fixture files).
	Fixtures []fixtures.File
	// Scenarios decides scripted answers (errors, delays, faults); nil serves without scenarios.
	Scenarios *scenarios.Engine
	// LoadScenarios, when set, builds Scenarios (which must then be nil): NewServer calls it
	// once, while it compiles the vendors, so that the two share the cores at start-up.
	LoadScenarios func() (*scenarios.Engine, error)
	// JournalSize is how many recent requests GET /__admin/requests keeps (default
	// DefaultJournalSize).
	JournalSize int
	// AuthStrict accepts only tokens issued by the mock's login operations (live, not revoked)
	// and the keys listed in Credentials; the default accepts any well-formed credential.
	AuthStrict bool
	// Credentials are the keys (and static bearer tokens) strict mode accepts, per vendor:
	// bundled and users' credentials.json files and --api-key flags.
	Credentials []fixtures.Credentials
}

// Server serves every operation of every vendor in the catalog. It is an http.Handler.
type Server struct {
	// bufs pools answer buffers (*[]byte) for writeEncoded.
	bufs sync.Pool
	opts Options
	log  *slog.Logger
	// admin routes /__admin/; mounted are the vendors with a mount, root the root-mounted one
	// (or the 404). Mounts never nest (/heydonto-auth is not under /heydonto), so a plain
	// prefix test picks the vendor, and only its own router matches the operation.
	admin   *mux.Router
	mounted []*vendorRuntime
	root    http.Handler
	vendors []*vendorRuntime
	journal *journal
	store   *state.Store
	tokens  *tokenRegistry
}

type vendorRuntime struct {
	v   *specs.Vendor
	val *validate.Validator
	gen *fake.Generator
	ops []*opRuntime
	log *slog.Logger
	// resources are the collections and singletons inferred from the description.
	resources []*resource
	// dispatch routes the vendor's requests (see router.go).
	dispatch *dispatcher
	// fieldCache holds declared property names per answer schema; propCache properties(s).
	fieldCache schemaMemo[map[string]bool]
	propCache  schemaMemo[map[string]*base.Schema]
	// keys are the credentials strict mode accepts for this vendor: key -> security scheme
	// names ("" for any scheme). Read-only once the server is built.
	keys map[string][]string
}

// NewServer compiles routes, validators and response plans for every operation once, so that a
// request does no work that grows with the size of the descriptions.
func NewServer(opts Options) (*Server, error) {
	if opts.Catalog == nil {
		return nil, errors.New("mock: no catalog")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	s := &Server{opts: opts, log: opts.Logger}
	s.tokens = newTokenRegistry(opts.Seed, opts.Now)
	s.journal = newJournal(opts.JournalSize, s.redactedHeaders())
	s.admin = mux.NewRouter().SkipClean(true)
	s.admin.NotFoundHandler = http.HandlerFunc(s.notFound)
	s.admin.MethodNotAllowedHandler = http.HandlerFunc(s.notFound)
	s.addAdminRoutes(s.admin.PathPrefix(strings.TrimSuffix(AdminPrefix, "/")).Subrouter())
	s.root = http.HandlerFunc(s.notFound)

	// Vendors mounted under a name first, the root mount (if any) last, so /billing/x never falls
	// into a root-mounted description.
	if opts.LoadScenarios != nil && opts.Scenarios != nil {
		return nil, errors.New("mock: both Scenarios and LoadScenarios are set")
	}
	scenariosDone := make(chan error, 1)
	if opts.LoadScenarios != nil {
		go func() {
			e, err := opts.LoadScenarios()
			s.opts.Scenarios = e // read only after scenariosDone
			scenariosDone <- err
		}()
	} else {
		scenariosDone <- nil
	}
	vendors, err := s.compileVendors(opts.Catalog.Vendors)
	// A scenario error first: scenario files are what users edit most.
	if serr := <-scenariosDone; serr != nil {
		return nil, serr
	}
	if err != nil {
		return nil, err
	}
	for _, vr := range vendors {
		s.vendors = append(s.vendors, vr)
		if vr.v.Mount == "" {
			s.root = vr.dispatch
			continue
		}
		s.mounted = append(s.mounted, vr)
	}
	if err := s.checkScenarioTemplates(); err != nil {
		return nil, err
	}
	if err := s.applyCredentials(); err != nil {
		return nil, err
	}
	if err := s.initState(); err != nil {
		return nil, err
	}
	return s, nil
}

// compileVendors compiles the vendors in parallel (they share nothing; the largest, started
// first, dominates start-up) and reports the first error in catalog order.
func (s *Server) compileVendors(vendors []*specs.Vendor) ([]*vendorRuntime, error) {
	return parallel.MapHeaviestFirst(vendors, operationCount, func(v *specs.Vendor) (*vendorRuntime, error) {
		t0 := time.Now()
		defer func() { s.log.Debug("vendor compiled", "vendor", v.Name, "took", time.Since(t0)) }()
		vr, err := s.compileVendor(v)
		if err != nil {
			return nil, err
		}
		vr.dispatch = s.vendorDispatcher(vr)
		return vr, nil
	})
}

func operationCount(v *specs.Vendor) int64 { return int64(len(v.Operations)) }

func (s *Server) compileVendor(v *specs.Vendor) (*vendorRuntime, error) {
	locale := fake.LocaleUS
	if v.Sidecar != nil && v.Sidecar.Locale == "UK" {
		locale = fake.LocaleUK
	}
	var hints map[string]string
	if v.Sidecar != nil {
		hints = v.Sidecar.Faker
		for prop, name := range hints {
			if !fake.Known(name) {
				return nil, &specs.LoadError{File: v.Sidecar.File, Pointer: "#/faker/" + specs.PointerEscape(prop),
					Err: fmt.Errorf("unknown generator %q (known: %s)", name, strings.Join(fake.Names(), ", "))}
			}
		}
	}
	vr := &vendorRuntime{
		v:   v,
		val: validate.New(v, validate.Options{Logger: s.log}),
		gen: fake.New(fake.Options{Seed: s.opts.Seed, Now: s.opts.Now, Locale: locale, Hints: hints, Schema: v.Schema, KeyName: v.KeyName}),
		log: s.log.With("vendor", v.Name),
	}
	byOp := map[*specs.Operation]*opRuntime{}
	for _, op := range v.Operations {
		o, err := s.compileOperation(vr, op)
		if err != nil {
			return nil, err
		}
		vr.ops = append(vr.ops, o)
		byOp[op] = o
	}
	vr.resources = inferResources(v)
	for _, r := range vr.resources {
		for role, op := range r.ops {
			o := byOp[op]
			o.res, o.role = r, role
			if role == roleList {
				o.paging = inferPaging(op)
			}
		}
	}
	return vr, nil
}

// ServeHTTP answers a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t := &tracker{ResponseWriter: w, start: time.Now()}
	// Deferred, so that a request whose handler aborts (a scenario fault over HTTP/2 panics with
	// http.ErrAbortHandler) is logged and journaled too.
	defer s.afterRequest(r, t)
	setCORS(w.Header(), r)
	if isPreflight(r) {
		s.preflight(t, r)
	} else {
		s.route(t, withoutTrailingSlash(r))
	}
}

// route hands a request to the admin router or to the vendor whose mount it is under.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if strings.HasPrefix(p, AdminPrefix) {
		s.admin.ServeHTTP(w, r)
		return
	}
	for _, vr := range s.mounted {
		if m := vr.v.Mount; strings.HasPrefix(p, m) && (len(p) == len(m) || p[len(m)] == '/') {
			vr.dispatch.ServeHTTP(w, r)
			return
		}
	}
	s.root.ServeHTTP(w, r)
}

// afterRequest runs once the answer is written: the request log line, and the journal.
func (s *Server) afterRequest(r *http.Request, t *tracker) {
	if s.opts.LogRequests {
		s.logRequest(r, t)
	}
	s.record(r, t)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.problem(w, r, http.StatusNotFound, "no such path",
		fmt.Sprintf("%s %s matches no operation of the loaded descriptions; GET %sspecs lists them", r.Method, r.URL.Path, AdminPrefix), nil)
}

// Shutdown is a hook for owners of long-lived resources; the server itself holds none yet.
func (s *Server) Shutdown(ctx context.Context) error { return ctx.Err() }

// withoutTrailingSlash matches routes, which are registered without a trailing slash; the
// operation puts the description's own slash back before validating.
func withoutTrailingSlash(r *http.Request) *http.Request {
	p := r.URL.Path
	if len(p) <= 1 || p[len(p)-1] != '/' {
		return r
	}
	u := *r.URL
	u.Path = trimSlash(p)
	if u.RawPath != "" {
		u.RawPath = trimSlash(u.RawPath)
	}
	r2 := r.WithContext(r.Context())
	r2.URL = &u
	return r2
}

// initState declares every inferred collection and seeds the start state.
func (s *Server) initState() error {
	var colls []state.Collection
	for _, vr := range s.vendors {
		for _, r := range vr.resources {
			colls = append(colls, state.Collection{Name: r.coll, IDField: r.idField, IDKind: r.idKind, Singleton: r.singleton})
		}
	}
	st, err := state.New(state.Options{Seed: s.opts.Seed, Now: s.opts.Now, MaxRecordsPerSession: s.opts.MaxRecordsPerSession, Logger: s.log}, colls)
	if err != nil {
		return fmt.Errorf("mock: state: %w", err)
	}
	n := s.opts.SeedRecords
	if n == 0 {
		n = DefaultSeedRecords
	}
	if n < 0 {
		n = 0
	}
	t0 := time.Now()
	base := seedRecords(s.vendors, n)
	if err := s.applyFixtures(base); err != nil {
		return err
	}
	if err := st.SetBase(base); err != nil {
		return fmt.Errorf("mock: seed state: %w", err)
	}
	s.log.Debug("records seeded", "per_collection", n, "took", time.Since(t0))
	// Issued tokens are state too: exported, saved, loaded and reset with the records.
	if err := st.Register(tokensExtension, s.tokens); err != nil {
		return fmt.Errorf("mock: state: %w", err)
	}
	s.tokens.changed = st.MarkChanged
	s.store = st
	return nil
}

// Store is the server's record store (for persistence set-up by the caller).
func (s *Server) Store() *state.Store { return s.store }
