package mock

import (
	"sync"

	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// schemaMemo caches a value computed from a schema, per schema object: requests must not walk
// the description again. Safe for concurrent use; callers must not modify what it returns.
type schemaMemo[T any] struct{ m sync.Map }

func (c *schemaMemo[T]) get(s *base.Schema, compute func(*base.Schema) T) T {
	if v, ok := c.m.Load(s); ok {
		return v.(T)
	}
	v, _ := c.m.LoadOrStore(s, compute(s))
	return v.(T)
}
