package validate

import (
	"sync/atomic"

	"github.com/pb33f/libopenapi-validator/cache"
)

// lazyCache makes libopenapi-validator compile schemas on first use instead of all at
// construction: while the validator is being built (warming) every key reads as present, so
// warming compiles nothing; afterwards it is a plain cache that request-time validation fills.
// Warming every schema of a large description (Open Dental: 344 operations) takes seconds, and
// start-up must stay well under one.
type lazyCache struct {
	warming atomic.Bool
	inner   cache.SchemaCache
}

func newLazyCache() *lazyCache {
	c := &lazyCache{inner: cache.NewDefaultCache()}
	c.warming.Store(true)
	return c
}

func (c *lazyCache) Load(key uint64) (*cache.SchemaCacheEntry, bool) {
	if c.warming.Load() {
		return nil, true
	}
	return c.inner.Load(key)
}

func (c *lazyCache) Store(key uint64, value *cache.SchemaCacheEntry) {
	if !c.warming.Load() {
		c.inner.Store(key, value)
	}
}

func (c *lazyCache) Range(f func(key uint64, value *cache.SchemaCacheEntry) bool) {
	c.inner.Range(f)
}
