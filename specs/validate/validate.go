package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/pb33f/jsonschema/v6"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/cache"
	"github.com/pb33f/libopenapi-validator/config"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/parameters"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/vendormock/vendormock/specs"
)

// Validator checks traffic of one vendor. Build it once per vendor; it is safe for concurrent use.
type Validator struct {
	// mu serialises calls into libopenapi-validator: schemas compile on first use, and
	// libopenapi's schema rendering is not safe for concurrent use (the race detector finds it).
	mu      sync.Mutex
	vendor  *specs.Vendor
	lib     validator.Validator
	schemas schema_validation.SchemaValidator
	// fast holds a compiled schema per schema object and purpose: request bodies and values
	// are checked, and their failures explained, with it, without a lock.
	fast sync.Map // fastKey → *jsonschema.Schema (nil when it does not compile)
	seq  int      // names compiled schemas; guarded by mu
	// passed remembers bodyless requests that passed (validation is a function of the request);
	// paramsPassed the parameters of requests with a JSON body that passed.
	passed       passCache
	paramsPassed passCache
	options      *config.ValidationOptions
	log          *slog.Logger
	// libCache is the library's schema cache, shared by its request, response and schema validators.
	libCache cache.SchemaCache
}

// Options tune a Validator.
type Options struct {
	Logger *slog.Logger
}

// New builds the validator of a vendor and compiles its schemas.
func New(v *specs.Vendor, opts Options) *Validator {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	schemaCache := cache.NewDefaultCache()
	// Every call passes the operation's path item (the mock has routed the request already), so
	// the library needs no path table: without paths it builds no radix tree and does not
	// compile every schema of the description at construction (schemas compile on first use).
	doc := *v.ParamModel
	doc.Paths = nil
	// Requests arrive relative to the mount, i.e. without the server's base path; without
	// servers the library strips nothing (it parsed every server URL on every call to do so).
	doc.Servers = nil
	lib := validator.NewValidatorFromV3Model(&doc,
		// Credentials are checked by the mock itself, so a missing one is a 401, not a 400.
		config.WithoutSecurityValidation(),
		config.WithFormatAssertions(),
		config.WithSchemaCache(schemaCache),
		// Without a regex cache the library compiles a path regex on every request.
		config.WithRegexCache(&sync.Map{}),
		config.WithLogger(logger))
	return &Validator{
		log:      logger,
		libCache: schemaCache,
		options:  config.NewValidationOptions(config.WithFormatAssertions(), config.WithLogger(logger)),
		vendor:   v,
		lib:      lib,
		schemas:  schema_validation.NewSchemaValidatorWithLogger(logger, config.WithFormatAssertions(), config.WithSchemaCache(schemaCache)),
	}
}

// Request validates a request whose URL path is relative to the vendor's mount and written the way
// the description writes it; body is the request body already read (nil for none).
func (v *Validator) Request(r *http.Request, op *specs.Operation, body []byte) []Finding {
	findings, _ := v.RequestDecoded(r, op, body)
	return findings
}

// RequestDecoded is Request that also hands back the JSON body when validation decoded it to
// pass it (nil otherwise), so that the caller need not decode it again. The value is the
// caller's: nothing else holds it.
func (v *Validator) RequestDecoded(r *http.Request, op *specs.Operation, body []byte) ([]Finding, any) {
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.RawPath = ""
	r2.URL = &u
	if body != nil {
		r2.Body = io.NopCloser(bytes.NewReader(body))
		r2.ContentLength = int64(len(body))
	} else {
		r2.Body = http.NoBody
	}
	if ok, doc := v.requestPasses(r2, op, body); ok {
		return nil, doc
	}
	var key passKey
	if len(body) == 0 {
		key = passKeyOf(r, op)
		if v.passed.known(key) {
			return nil, nil
		}
	}
	// The parameters through the library (against the operation's path item in the parameter
	// document for a detached vendor), the body through the schema compiled once.
	errs := v.paramErrors(r2, op)
	berrs, doc := v.bodyErrors(r2, op, body)
	errs = append(errs, berrs...)
	if len(errs) == 0 {
		if len(body) == 0 {
			v.passed.add(key)
		}
		return nil, nil
	}
	return convert(errs, doc, true), nil
}

// Response validates an answer: documented status, content type, body schema and headers.
func (v *Validator) Response(r *http.Request, op *specs.Operation, status int, header http.Header, body []byte) []Finding {
	var out []Finding
	if !op.Documents(status) && !hasDefault(op) {
		return []Finding{{In: "status", Expected: strings.Join(op.Statuses, ", "), Actual: strconv.Itoa(status),
			Message: fmt.Sprintf("status %d is not documented for %s", status, op.ID)}}
	}
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.RawPath = ""
	r2.URL = &u
	r2.Body = http.NoBody
	resp := &http.Response{
		StatusCode:    status,
		Header:        header,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       r2,
	}
	if v.vendor.IsDetached() {
		// The library checks the status and headers against the parameter document, whose
		// answers have headers and no content; the body is checked here.
		v.mu.Lock()
		_, errs := v.lib.GetResponseBodyValidator().ValidateResponseBodyWithPathItem(r2, resp, op.ParamItem, op.Path)
		v.mu.Unlock()
		berrs, doc := v.responseBodyErrors(r2, resp, op, status, body)
		return append(out, convert(append(berrs, errs...), doc, false)...)
	}
	// The library compiles response schemas with the whole description as a resource unless
	// its cache already holds them (see compile).
	if rs, _ := op.Response(status); rs != nil && rs.Content != nil {
		for _, mt := range rs.Content.FromOldest() {
			if mt.Schema != nil {
				v.compiledFor(op.Vendor.Schema(mt.Schema), schema_validation.SchemaValidationPurposeResponseBody)
			}
		}
	}
	v.mu.Lock()
	ok, errs := v.lib.GetResponseBodyValidator().ValidateResponseBodyWithPathItem(r2, resp, op.PathItem, op.Path)
	v.mu.Unlock()
	if !ok {
		var doc any
		if err := json.Unmarshal(body, &doc); err != nil {
			doc = nil
		}
		out = append(out, convert(errs, doc, false)...)
	}
	return out
}

func hasDefault(op *specs.Operation) bool {
	for _, s := range op.Statuses {
		if s == "default" {
			return true
		}
	}
	return false
}

// Value validates a decoded JSON value against a schema (fixtures, scenario bodies, self-checks).
func (v *Validator) Value(s *base.Schema, value any) []Finding {
	var errs []*liberrors.ValidationError
	if c := v.Compiled(s); c != nil {
		err := c.Validate(value)
		if err == nil {
			return nil
		}
		errs = []*liberrors.ValidationError{{
			ValidationType:         helpers.Schema,
			Message:                "schema does not pass validation",
			Reason:                 "Schema failed to validate against the contract requirements",
			SchemaValidationErrors: schemaFailures(err, false),
		}}
	} else if v.vendor.IsDetached() {
		return nil // a schema that does not compile (logged when compiled) checks nothing
	} else {
		v.mu.Lock()
		ok, libErrs := v.schemas.ValidateSchemaObjectWithVersion(s, value, v.vendor.SchemaVersion())
		v.mu.Unlock()
		if ok {
			return nil
		}
		errs = libErrs
	}
	out := convert(errs, value, false)
	for i := range out {
		if out[i].In == "response" {
			out[i].In = "body" // a value check is about the document itself
		}
	}
	return out
}

// Compiled is s compiled once for checking values (nil when it does not compile): Value's
// fast path, and callers that only need pass/fail check with it directly, without findings
// and without a lock.
func (v *Validator) Compiled(s *base.Schema) *jsonschema.Schema {
	return v.compiledFor(s, schema_validation.SchemaValidationPurposeGeneric)
}

type fastKey struct {
	s       *base.Schema
	purpose schema_validation.SchemaValidationPurpose
}

// compiledFor is the schema compiled once for a purpose (a request body ignores readOnly
// requirements), or nil when it does not compile. Schemas are keyed by object: the vendor's
// Schema gives one object per schema of the description.
func (v *Validator) compiledFor(s *base.Schema, purpose schema_validation.SchemaValidationPurpose) *jsonschema.Schema {
	if s == nil {
		return nil
	}
	key := fastKey{s, purpose}
	if c, ok := v.fast.Load(key); ok {
		return c.(*jsonschema.Schema)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if c, ok := v.fast.Load(key); ok {
		return c.(*jsonschema.Schema)
	}
	c := v.compile(s, purpose)
	v.fast.Store(key, c)
	return c
}

// compile writes a schema out as JSON Schema (specs.RenderJSONSchema, which needs only the model's
// exported fields) and compiles it. On a parsed model the result also goes into the library's
// schema cache, so that what the library still checks itself (answers, in Response) uses the
// same compiled schema: its own compiler adds the whole description as a resource instead,
// which costs ~200 ms and tens of MiB per schema on Open Dental's.
func (v *Validator) compile(s *base.Schema, purpose schema_validation.SchemaValidationPurpose) *jsonschema.Schema {
	version := v.vendor.SchemaVersion()
	js, err := specs.RenderJSONSchema(s, v.vendor.Schema, useOf(purpose))
	if err != nil {
		v.log.Warn("schema not rendered", "vendor", v.vendor.Name, "error", err)
		return nil
	}
	v.seq++
	c, err := helpers.NewCompiledSchemaWithVersion("schema-"+strconv.Itoa(v.seq)+".json", js, v.options, version)
	if err != nil {
		v.log.Warn("schema does not compile", "vendor", v.vendor.Name, "error", err)
		return nil
	}
	if low := s.GoLow(); low != nil && purpose != schema_validation.SchemaValidationPurposeGeneric {
		v.libCache.Store(schema_validation.SchemaCacheKey(low.Hash(), version, purpose), &cache.SchemaCacheEntry{
			Schema: s, RenderedInline: js, ReferenceSchema: string(js), RenderedJSON: js, CompiledSchema: c,
		})
	}
	return c
}

// passKey is what a bodyless request's validation depends on: the operation, the path and
// query, and the headers and cookies it could declare.
type passKey struct {
	op          *specs.Operation
	path, query string
	headers     string
}

func passKeyOf(r *http.Request, op *specs.Operation) passKey {
	k := passKey{op: op, path: r.URL.Path, query: r.URL.RawQuery}
	var b strings.Builder
	for _, p := range op.Params {
		switch strings.ToLower(p.In) {
		case "header":
			b.WriteString(p.Name)
			b.WriteByte(0)
			for _, v := range r.Header.Values(p.Name) {
				b.WriteString(v)
				b.WriteByte(0)
			}
		case "cookie":
			for _, c := range r.Header.Values("Cookie") {
				b.WriteString(c)
				b.WriteByte(0)
			}
		}
	}
	b.WriteString(r.Header.Get("Content-Type"))
	k.headers = b.String()
	return k
}

// passCache is a bounded set of passKeys; when full it starts again (a run that sends more
// distinct requests than that gains nothing from it anyway).
type passCache struct {
	mu   sync.RWMutex
	keys map[passKey]struct{}
}

const passCacheSize = 4096

func (c *passCache) known(k passKey) bool {
	c.mu.RLock()
	_, ok := c.keys[k]
	c.mu.RUnlock()
	return ok
}

func (c *passCache) add(k passKey) {
	c.mu.Lock()
	if c.keys == nil || len(c.keys) >= passCacheSize {
		c.keys = make(map[passKey]struct{}, 64)
	}
	c.keys[k] = struct{}{}
	c.mu.Unlock()
}

// requestPasses is Request's fast path for the common case, a JSON body: the body checks
// against the operation's request schema compiled once, and the parameters through the
// library (the library's body check hashes the whole schema on every call). A false answer
// means "not known to pass": the caller then asks the library, which names the findings. A
// true one comes with the decoded body.
func (v *Validator) requestPasses(r2 *http.Request, op *specs.Operation, body []byte) (bool, any) {
	rb := op.Op.RequestBody
	ct := r2.Header.Get("Content-Type")
	if rb == nil || rb.Content == nil || len(body) == 0 || ct == "" || !strings.Contains(strings.ToLower(ct), "json") {
		return false, nil
	}
	mt, ok := helpers.FindMediaType(rb.Content, ct)
	if !ok || mt.Schema == nil {
		return false, nil
	}
	c := v.compiledFor(op.Vendor.Schema(mt.Schema), schema_validation.SchemaValidationPurposeRequestBody)
	if c == nil {
		return false, nil
	}
	var doc any
	if json.Unmarshal(body, &doc) != nil || c.Validate(doc) != nil {
		return false, nil
	}
	// The parameters' verdict depends on what passKey holds, not on the body: parameters that
	// passed with another body need no second look (and no turn on the library's lock).
	key := passKeyOf(r2, op)
	if v.paramsPassed.known(key) {
		return true, doc
	}
	if len(v.paramErrors(r2, op)) > 0 {
		return false, nil
	}
	v.paramsPassed.add(key)
	return true, doc
}

// paramChecks are the library's parameter checks in the order its request validation runs
// them (security is the mock's own business, see New).
func paramChecks(pv parameters.ParameterValidator) []func(*http.Request, *v3.PathItem, string) (bool, []*liberrors.ValidationError) {
	return []func(*http.Request, *v3.PathItem, string) (bool, []*liberrors.ValidationError){
		pv.ValidatePathParamsWithPathItem, pv.ValidateCookieParamsWithPathItem,
		pv.ValidateHeaderParamsWithPathItem, pv.ValidateQueryParamsWithPathItem,
	}
}

// convert maps the library's errors to findings, one per schema failure.
func convert(errs []*liberrors.ValidationError, doc any, request bool) []Finding {
	var out []Finding
	for _, e := range errs {
		in := location(e, request)
		if len(e.SchemaValidationErrors) == 0 {
			f := Finding{In: in, Name: e.ParameterName, Message: e.Message}
			if in == "content-type" {
				f.Name, f.Keyword = "Content-Type", "content-type"
			}
			f.Expected, f.Actual = splitGotWant(e.Reason)
			if f.Expected == "" && e.Reason != "" && e.Reason != e.Message {
				f.Message = e.Message + ": " + e.Reason
			}
			refine(&f, e.Reason)
			out = append(out, f)
			continue
		}
		for _, sf := range e.SchemaValidationErrors {
			ptr := pointerFrom(sf.InstancePath)
			if ptr == "" {
				ptr = pointerFromFieldPath(sf.FieldPath)
			}
			f := Finding{In: in, Name: e.ParameterName, Pointer: ptr, Message: sf.Reason}
			f.Expected, f.Actual = splitGotWant(sf.Reason)
			if sf.KeywordLocation != "" {
				parts := strings.Split(sf.KeywordLocation, "/")
				f.Keyword = parts[len(parts)-1]
			}
			if split := splitProperties(f, sf.Reason); split != nil {
				out = append(out, split...)
				continue
			}
			if f.Actual == "" && in == "body" {
				if s, ok := valueAt(doc, f.Pointer); ok {
					f.Actual = s
				}
			}
			if in != "body" && in != "response" {
				// A parameter's schema failure points into the parameter value, not a body.
				f.Pointer = ""
				if f.Actual == "" {
					f.Message = e.Message + ": " + sf.Reason
				}
			}
			refine(&f, sf.Reason)
			out = append(out, f)
		}
	}
	return out
}

func location(e *liberrors.ValidationError, request bool) string {
	switch e.ValidationType {
	case helpers.ParameterValidation, helpers.PathValidation:
		switch e.ValidationSubType {
		case helpers.ParameterValidationQuery, helpers.ParameterValidationHeader, helpers.ParameterValidationCookie, helpers.ParameterValidationPath:
			return e.ValidationSubType
		}
		return "path"
	case helpers.ParameterValidationQuery, helpers.ParameterValidationHeader, helpers.ParameterValidationCookie:
		return e.ValidationType
	case helpers.RequestBodyValidation, helpers.ResponseBodyValidation:
		if e.ValidationSubType == helpers.RequestBodyContentType {
			return "content-type"
		}
		if e.ValidationSubType == helpers.ResponseBodyResponseCode {
			return "status"
		}
		return "body"
	case helpers.SecurityValidation:
		return "security"
	}
	if request {
		return "request"
	}
	return "response"
}

var quoted = regexp.MustCompile(`'([^']*)'`)

// splitProperties turns "missing properties: 'a', 'b'" and "additional properties 'x' not
// allowed" into one finding per property, each with its own pointer.
func splitProperties(f Finding, reason string) []Finding {
	var expected, actual string
	switch f.Keyword {
	case "required":
		expected, actual = "required property", "missing"
	case "additionalProperties":
		expected, actual = "no undocumented property", ""
	default:
		return nil
	}
	names := quoted.FindAllStringSubmatch(reason, -1)
	if len(names) == 0 {
		return nil
	}
	out := make([]Finding, 0, len(names))
	for _, m := range names {
		g := f
		g.Pointer = f.Pointer + "/" + strings.ReplaceAll(strings.ReplaceAll(m[1], "~", "~0"), "/", "~1")
		g.Expected, g.Actual = expected, actual
		if f.Keyword == "required" {
			g.Message = "missing required property " + m[1]
		} else {
			g.Message = "property " + m[1] + " is not documented"
		}
		out = append(out, g)
	}
	return out
}

var (
	enumValues = regexp.MustCompile(`enum values: \[(.*)\]`)
	valueQuote = regexp.MustCompile(`[Vv]alue '([^']*)'`)
)

// refine phrases Expected by keyword ("<= 100", "one of: asc, desc") and fills Actual from the
// library's message when it quotes the sent value.
func refine(f *Finding, reason string) {
	if m := enumValues.FindStringSubmatch(reason); m != nil {
		f.Expected, f.Keyword = "one of: "+m[1], "enum"
	}
	if f.Actual == "" {
		if m := valueQuote.FindStringSubmatch(reason); m != nil {
			f.Actual = m[1]
		}
	}
	if f.Expected == "" || strings.ContainsAny(f.Expected[:1], "<>") {
		return
	}
	switch f.Keyword {
	case "maximum":
		f.Expected = "<= " + f.Expected
	case "minimum":
		f.Expected = ">= " + f.Expected
	case "exclusiveMaximum":
		f.Expected = "< " + f.Expected
	case "exclusiveMinimum":
		f.Expected = "> " + f.Expected
	case "maxLength":
		f.Expected = "at most " + f.Expected + " characters"
	case "minLength":
		f.Expected = "at least " + f.Expected + " characters"
	case "maxItems":
		f.Expected = "at most " + f.Expected + " items"
	case "minItems":
		f.Expected = "at least " + f.Expected + " items"
	}
}

func useOf(purpose schema_validation.SchemaValidationPurpose) specs.SchemaUse {
	switch purpose {
	case schema_validation.SchemaValidationPurposeRequestBody:
		return specs.UseRequest
	case schema_validation.SchemaValidationPurposeResponseBody:
		return specs.UseResponse
	}
	return specs.UseAny
}
