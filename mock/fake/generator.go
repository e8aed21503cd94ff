package fake

import (
	"hash/fnv"
	"strings"
	"sync"
	"time"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// Direction selects which side of an exchange a value is generated for.
type Direction int

const (
	// Response omits writeOnly properties (passwords are never emitted).
	Response Direction = iota
	// Request omits readOnly properties (used to build request bodies).
	Request
)

// Locale selects regional flavour for addresses, phones and identifiers.
type Locale int

const (
	// LocaleUS produces US addresses, phone numbers and ZIP codes.
	LocaleUS Locale = iota
	// LocaleUK produces UK addresses, +44 phone numbers, postcodes and NHS numbers.
	LocaleUK
)

// maxAttempts bounds regeneration when a value fails the internal check.
const maxAttempts = 12

// DefaultMaxDepth is the recursion bound used when Options.MaxDepth is zero.
const DefaultMaxDepth = 5

// ExtensionFaker is the schema extension naming a generator for a schema.
const ExtensionFaker = "x-vendormock-faker"

// Options configures a Generator.
type Options struct {
	// Seed is the base seed; the same seed and key always give the same value.
	Seed int64
	// Now is the clock for date/time values near the present (default time.Now).
	// It is truncated to the UTC day.
	Now func() time.Time
	// Locale selects US or UK flavoured data.
	Locale Locale
	// Hints maps a property name ("email") or "SchemaTitleOrComponent.prop" to a
	// generator name (see Names). Hints beat built-in name hints; the
	// x-vendormock-faker extension beats hints.
	Hints map[string]string
	// MaxDepth bounds recursion into nested schemas (default 5).
	MaxDepth int
	// Schema resolves a proxy to its schema (default: the proxy's own Schema). A description's
	// loader passes one that gives one object per schema of the description, so plans are not
	// compiled, nor schemas built, once per place that references them.
	Schema func(*base.SchemaProxy) *base.Schema
	// KeyName is the key a schema is declared under (a property or component name), which
	// names it when it has no $ref and no title (default: read from libopenapi's low-level
	// objects, which a detached model does not have: see specs.Vendor.KeyName).
	KeyName func(*base.Schema) string
}

// Generator produces fake values for schemas. It is safe for concurrent use.
type Generator struct {
	opts  Options
	hints map[string]string // lower-cased keys
	plans sync.Map          // *base.Schema -> *plan
}

// New returns a Generator configured by opts.
func New(opts Options) *Generator {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	g := &Generator{opts: opts, hints: make(map[string]string, len(opts.Hints))}
	for k, v := range opts.Hints {
		g.hints[strings.ToLower(k)] = v
	}
	return g
}

// schemaOf is the schema a proxy resolves to (see Options.Schema).
func (g *Generator) schemaOf(sp *base.SchemaProxy) *base.Schema {
	if g.opts.Schema != nil {
		return g.opts.Schema(sp)
	}
	return sp.Schema()
}

// Generate returns a JSON-compatible value that validates against s: a
// map[string]any, []any, string, int64 (integers), float64 (numbers), bool or
// nil. The same (Seed, key, s, dir) always gives the same value. key
// identifies the call site, e.g. "heydonto/getBrands/200".
func (g *Generator) Generate(s *base.Schema, key string, dir Direction) any {
	if s == nil {
		return nil
	}
	p := g.plan(s)
	c := &genCtx{
		g:   g,
		f:   newFaker(g.seedFor(key, dir)),
		dir: dir,
		now: g.opts.Now().UTC().Truncate(24 * time.Hour),
	}
	var v any
	for attempt := 0; attempt < maxAttempts; attempt++ {
		v = c.value(p, nil, 0)
		if p.check(v, dir) {
			return v
		}
	}
	return v
}

// seedFor derives the per-call seed; it is never zero (gofakeit treats zero as
// "random").
func (g *Generator) seedFor(key string, dir Direction) uint64 {
	h := fnv.New64a()
	var b [9]byte
	s := uint64(g.opts.Seed)
	for i := 0; i < 8; i++ {
		b[i] = byte(s >> (8 * i))
	}
	b[8] = byte(dir)
	_, _ = h.Write(b[:])
	_, _ = h.Write([]byte(key))
	if v := h.Sum64(); v != 0 {
		return v
	}
	return 1
}

// plan returns the compiled plan for s, compiling it on first use.
func (g *Generator) plan(s *base.Schema) *plan {
	if v, ok := g.plans.Load(s); ok {
		return v.(*plan)
	}
	p := g.compile(s, 0)
	v, _ := g.plans.LoadOrStore(s, p)
	return v.(*plan)
}

// genCtx is the per-call generation state; it is used by one goroutine.
type genCtx struct {
	g   *Generator
	f   *gofakeit.Faker
	dir Direction
	now time.Time
}

// intn returns a deterministic int in [0, n).
func (c *genCtx) intn(n int) int {
	if n <= 1 {
		return 0
	}
	return c.f.IntN(n)
}

// between returns an int in [lo, hi].
func (c *genCtx) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + c.intn(hi-lo+1)
}

// chance reports true with probability pct/100.
func (c *genCtx) chance(pct int) bool { return c.intn(100) < pct }

// pick returns a random element of list.
func (c *genCtx) pick(list []string) string { return list[c.intn(len(list))] }

// newFaker returns a gofakeit.Faker seeded with seed (never zero).
func newFaker(seed uint64) *gofakeit.Faker {
	if seed == 0 {
		seed = 1
	}
	return gofakeit.New(seed)
}
