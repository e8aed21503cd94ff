package state

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// collData is one collection's records as one session sees them. Once shared (by the base,
// by several sessions, or by an export snapshot) it is never modified: a session that wants
// to write clones it first (see Session.writable).
type collData struct {
	entries []entry        // insertion order; removed records leave a tombstone (rec == nil)
	index   map[string]int // id -> position in entries
	live    int            // entries that are not tombstones, soft-deleted ones included
	hidden  int            // live entries that are soft-deleted
	next    int64          // next sequence number for a made id
	single  Record         // the record of a singleton collection, nil when unset
}

type entry struct {
	id     string
	rec    *frozen
	hidden bool // soft-deleted
}

func newCollData(n int) *collData {
	return &collData{entries: make([]entry, 0, n), index: make(map[string]int, n), next: 1}
}

// clone copies the index and the entry slice (not the records), dropping tombstones.
func (c *collData) clone() *collData {
	n := &collData{
		entries: make([]entry, 0, c.live+c.live/4+4),
		index:   make(map[string]int, c.live),
		live:    c.live,
		hidden:  c.hidden,
		next:    c.next,
		single:  c.single,
	}
	for _, e := range c.entries {
		if e.rec != nil {
			n.index[e.id] = len(n.entries)
			n.entries = append(n.entries, e)
		}
	}
	return n
}

// visible is the number of records Get and List show without IncludeDeleted.
func (c *collData) visible() int { return c.live - c.hidden }

// compact drops tombstones in place once they outnumber the live records; only for data
// the session owns.
func (c *collData) compact() {
	if len(c.entries) < 64 || len(c.entries)-c.live < c.live {
		return
	}
	kept := c.entries[:0]
	for _, e := range c.entries {
		if e.rec != nil {
			c.index[e.id] = len(kept)
			kept = append(kept, e)
		}
	}
	clear(c.entries[len(kept):]) // let the removed records be collected
	c.entries = kept
}

// bumpSequence moves the sequence past an id given by a caller, so made ids continue after
// the highest numeric one.
func (c *collData) bumpSequence(def *Collection, key string) {
	if n, ok := sequenceOf(def, key); ok && n >= c.next && n < math.MaxInt64 {
		c.next = n + 1
	}
}

func sequenceOf(def *Collection, key string) (int64, bool) {
	switch def.IDKind {
	case IDInt, IDDigits:
	case IDString:
		var ok bool
		if key, ok = strings.CutPrefix(key, def.IDPrefix); !ok {
			return 0, false
		}
	default:
		return 0, false
	}
	n, err := strconv.ParseInt(key, 10, 64)
	return n, err == nil && n >= 0
}

// makeID makes the next free id of a collection the caller owns.
func (s *Store) makeID(def *Collection, c *collData) (any, string) {
	for {
		n := c.next
		c.next++
		var v any
		var key string
		switch def.IDKind {
		case IDInt:
			key = strconv.FormatInt(n, 10)
			v = n
		case IDDigits:
			key = strconv.FormatInt(n, 10)
			v = key
		case IDUUID:
			key = uuidFor(s.seed, def.Name, n)
			v = key
		default:
			key = def.IDPrefix + strconv.FormatInt(n, 10)
			v = key
		}
		if _, taken := c.index[key]; !taken {
			return v, key
		}
	}
}

// uuidFor derives a version 4 style UUID from (seed, collection, n).
func uuidFor(seed int64, coll string, n int64) string {
	var buf [16]byte
	binary.BigEndian.PutUint64(buf[:8], uint64(seed))
	binary.BigEndian.PutUint64(buf[8:], uint64(n))
	h := sha256.New()
	h.Write(buf[:])
	h.Write([]byte(coll))
	var sum [sha256.Size]byte
	b := h.Sum(sum[:0])[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// isEmptyID reports an id value that asks the store to make one.
func isEmptyID(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	}
	return false
}

// IDKey returns the string form ids are indexed and looked up by, which Get, Replace,
// Merge and Delete take: strings as they are, integral numbers in decimal. Other values
// (empty strings, fractions, booleans, objects) give an error wrapping ErrInvalid.
func IDKey(v any) (string, error) {
	switch t := v.(type) {
	case string:
		if t != "" {
			return t, nil
		}
	case int64:
		return strconv.FormatInt(t, 10), nil
	case int:
		return strconv.Itoa(t), nil
	case int32:
		return strconv.FormatInt(int64(t), 10), nil
	case uint64:
		return strconv.FormatUint(t, 10), nil
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1<<53 {
			return strconv.FormatInt(int64(t), 10), nil
		}
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return strconv.FormatInt(n, 10), nil
		}
		if f, err := t.Float64(); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return strconv.FormatInt(int64(f), 10), nil
		}
	}
	return "", fmt.Errorf("id %v (%T): not a non-empty string or an integer: %w", v, v, ErrInvalid)
}

func isSoftDeleted(def *Collection, rec Record) bool {
	if def.SoftDelete == "" {
		return false
	}
	b, _ := rec[def.SoftDelete].(bool)
	return b
}

// cloneRecord copies the top level of a record so the store can set fields (the id, the
// soft-delete flag) without touching the caller's map; nested values are shared, which is
// safe because records are immutable.
func cloneRecord(rec Record) Record {
	out := make(Record, len(rec)+1)
	maps.Copy(out, rec)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp.Compare[string])
	return keys
}
