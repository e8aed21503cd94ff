package state

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"weak"
)

// frozen is a stored record in its compact, immutable form: the record's sorted keys (its
// shape, shared by the records of a collection that have the same keys) and one string
// holding its values in the compact encoding (codec.go), laid out as
//
//	flags byte | checkpoints | values, in key order
//
// A checkpoint is the offset (from the first value) of every checkpointStride-th value,
// as uint16 or, when flags has flagWide, uint32; reading one field starts at the
// checkpoint before it and skips at most checkpointStride-1 values.
type frozen struct {
	shape *shape
	data  string
	// memo finds the record's decoded map, while the cache holds it (see recordCache).
	memo atomic.Pointer[weak.Pointer[decoded]]
}

type shape struct {
	keys []string // sorted
	// other holds the values the codec keeps as they are (types it does not encode); only
	// a record's private shape has them.
	other []any
	// dict is the collection's dictionary of repeated strings (tagDict values).
	dict *dict
	// wide marks a shape whose records may lack some of its keys: their values are
	// tagAbsent (see maxShapes).
	wide bool
	// plan is how the keys map onto the Fields that encoded a record of this shape last
	// (Row.AppendJSON).
	plan atomic.Pointer[fieldPlan]
}

const (
	checkpointStride = 4
	flagWide         = 1
)

// start returns the position of the first value and the width of a checkpoint.
func (f *frozen) start() (int, int) {
	w := 2
	if f.data[0]&flagWide != 0 {
		w = 4
	}
	n := len(f.shape.keys)
	if n == 0 {
		return 1, w
	}
	return 1 + (n-1)/checkpointStride*w, w
}

// pos returns the position of the value of field i (an index into shape.keys).
func (f *frozen) pos(i int) int {
	d := f.data
	pos, w := f.start()
	cp := i / checkpointStride
	if cp > 0 {
		o := 1 + (cp-1)*w
		if w == 2 {
			pos += int(d[o]) | int(d[o+1])<<8
		} else {
			pos += int(uint32At(d, o))
		}
	}
	for j := cp * checkpointStride; j < i; j++ {
		pos = skip(d, pos)
	}
	return pos
}

// index returns the position of a key in the shape, or -1.
func (sh *shape) index(key string) int {
	if i, ok := slices.BinarySearch(sh.keys, key); ok {
		return i
	}
	return -1
}

// decode builds the record as a map.
func (f *frozen) decode() Record {
	keys := f.shape.keys
	m := make(Record, len(keys))
	pos, _ := f.start()
	for _, k := range keys {
		if f.data[pos] == tagAbsent {
			pos++
			continue
		}
		m[k], pos = decodeAt(f.data, pos, f.shape)
	}
	return m
}

// shapeTable interns the shapes of one collection.
type shapeTable struct {
	dict  *dict                 // shared by the collection's shapes
	last  atomic.Pointer[shape] // the shape used last, tried first
	mu    sync.Mutex
	bySig map[string]*shape // by signature: each key, length first
	max   int               // how many shapes bySig may hold (maxShapes)
	wide  *shape            // the widest wide shape so far, nil before the table is full
}

// maxShapes bounds the shapes a collection interns. Past it, records with yet other key
// sets are written on the collection's wide shape, the union of their keys, with the keys a
// record lacks marked absent (tagAbsent, one byte each): records whose optional fields come
// and go (generated ones do) would otherwise each take a key list of their own, some 700
// bytes for an Open Dental patient. A record whose keys would leave more absent than a key
// list of its own costs (wideSlack), or whose keys would grow the union past maxWideKeys,
// gets a shape of its own.
const (
	maxShapes   = 1024
	maxWideKeys = 256
)

// wideSlack is how many absent keys a record of n keys may have on a wide shape: fewer
// bytes than a key list of its own would take.
func wideSlack(n int) int { return 16*n + 64 }

// fitsWide reports whether a record of n keys, all among a wide shape's k, may be written on
// it: it leaves at most wideSlack(n) absent.
func fitsWide(k, n int) bool { return n <= k && k-n <= wideSlack(n) }

func (t *shapeTable) intern(e *encoder, rec Record) *shape {
	keys := make([]string, 0, len(rec))
	for k := range rec {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	sig := e.sig[:0]
	for _, k := range keys {
		sig = binary.AppendUvarint(sig, uint64(len(k)))
		sig = append(sig, k...)
	}
	e.sig = sig
	t.mu.Lock()
	defer t.mu.Unlock()
	sh := t.bySig[string(sig)]
	switch {
	case sh != nil:
	case len(t.bySig) < t.max:
		sh = &shape{keys: keys, dict: t.dict}
		if t.bySig == nil {
			t.bySig = make(map[string]*shape)
		}
		t.bySig[string(sig)] = sh
	default:
		if sh = t.widen(keys); sh == nil {
			sh = &shape{keys: keys, dict: t.dict}
		}
	}
	t.last.Store(sh)
	return sh
}

// widen returns the wide shape for a record with keys: the current one when it holds them
// all, or a new one over the union (records already written keep the shape they have), or
// nil when the record should get a shape of its own. The caller holds t.mu.
func (t *shapeTable) widen(keys []string) *shape {
	union := keys
	if t.wide != nil {
		union = unionSorted(t.wide.keys, keys)
	}
	if len(union) > maxWideKeys || !fitsWide(len(union), len(keys)) {
		return nil
	}
	if t.wide == nil || len(union) > len(t.wide.keys) {
		t.wide = &shape{keys: union, dict: t.dict, wide: true}
	}
	return t.wide
}

// unionSorted merges two sorted key lists without duplicates; it returns a itself when a
// already holds every key of b.
func unionSorted(a, b []string) []string {
	var out []string
	i, j := 0, 0
	for j < len(b) {
		switch {
		case i < len(a) && a[i] < b[j]:
			i++
			continue
		case i < len(a) && a[i] == b[j]:
			i++
			j++
			continue
		}
		// b[j] is not in a: build the union from here.
		out = make([]string, 0, len(a)+len(b)-j)
		out = append(out, a[:i]...)
		break
	}
	if out == nil {
		return a
	}
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

var encoders = sync.Pool{New: func() any { return new(encoder) }}

// freeze makes the compact form of a record of collection ci.
func (s *Store) freeze(ci int, rec Record) *frozen { return s.freezeIn(ci, rec, true) }

// freezeIn is freeze, with the collection's dictionary or without it (for the base).
func (s *Store) freezeIn(ci int, rec Record, withDict bool) *frozen {
	e := encoders.Get().(*encoder)
	t := &s.shapes[ci]
	if withDict {
		e.dict = t.dict
	}
	sh := t.last.Load()
	if sh == nil || !e.record(sh, rec) {
		sh = t.intern(e, rec)
		e.record(sh, rec)
	}
	f := &frozen{shape: sh, data: e.finish()}
	if len(e.other) > 0 {
		f.shape = &shape{keys: sh.keys, other: slices.Clone(e.other), dict: sh.dict, wide: sh.wide}
	}
	e.reset()
	e.dict = nil
	if cap(e.buf) <= 64<<10 {
		encoders.Put(e)
	}
	return f
}

// record encodes the values of rec in the order of sh, and reports false when rec's keys
// are not sh's (or, for a wide shape, not among them with little enough absent).
func (e *encoder) record(sh *shape, rec Record) bool {
	e.reset()
	if len(rec) != len(sh.keys) && !(sh.wide && fitsWide(len(sh.keys), len(rec))) {
		return false
	}
	present := 0
	for i, k := range sh.keys {
		if i > 0 && i%checkpointStride == 0 {
			e.cps = append(e.cps, len(e.buf))
		}
		v, ok := rec[k]
		if !ok {
			if !sh.wide {
				return false
			}
			e.buf = append(e.buf, tagAbsent)
			continue
		}
		present++
		e.value(v, 1)
	}
	return present == len(rec)
}

// finish lays out the record encoded last: flags, checkpoints, values.
func (e *encoder) finish() string {
	w, flags := 2, byte(0)
	if len(e.cps) > 0 && e.cps[len(e.cps)-1] > math.MaxUint16 {
		w, flags = 4, flagWide
	}
	var b strings.Builder
	b.Grow(1 + w*len(e.cps) + len(e.buf))
	b.WriteByte(flags)
	for _, c := range e.cps {
		b.WriteByte(byte(c))
		b.WriteByte(byte(c >> 8))
		if w == 4 {
			b.WriteByte(byte(c >> 16))
			b.WriteByte(byte(c >> 24))
		}
	}
	b.Write(e.buf)
	return b.String()
}

// The cache of decoded records. Reads hand out maps, and decoding a record for every read
// would cost more than the map lookup it replaces, so a decoded record keeps its map: its
// frozen form holds a weak pointer to it, so that every map decoded since the last garbage
// collection is found again (memory the heap holds until then anyway), and the store's ring
// holds strong pointers to the ones decoded or read last, so that the hot records survive
// collections. The ring's size bounds the memory the cache keeps alive.
const ringSize = 256

type recordCache struct {
	next atomic.Uint32
	ring [ringSize]atomic.Pointer[decoded]
}

// decoded is a record's map in the cache.
type decoded struct {
	m   Record
	pin atomic.Uint32 // the ring position it was put at last
}

// pin puts d in the ring, in place of the record put there ringSize pins ago.
func (c *recordCache) pin(d *decoded) {
	i := c.next.Add(1)
	d.pin.Store(i)
	c.ring[i%ringSize].Store(d)
}

// touch pins d again when it is about to leave the ring.
func (c *recordCache) touch(d *decoded) {
	if c.next.Load()-d.pin.Load() >= ringSize/2 {
		c.pin(d)
	}
}

// cached returns the map of f when the cache has it.
func (f *frozen) cached() *decoded {
	if w := f.memo.Load(); w != nil {
		return w.Value()
	}
	return nil
}

// record returns f as a map, from the cache or decoded (and then cached).
func (s *Store) record(f *frozen) Record {
	if d := f.cached(); d != nil {
		s.cache.touch(d)
		return d.m
	}
	m := f.decode()
	s.remember(f, m)
	return m
}

// peek returns f as a map from the cache, or decoded without caching it (for export,
// which reads every record once).
func (s *Store) peek(f *frozen) Record {
	if d := f.cached(); d != nil {
		return d.m
	}
	return f.decode()
}

// remember caches m as the map of f: m is what f was frozen from, or decoded from it, and
// nobody modifies it.
func (s *Store) remember(f *frozen, m Record) {
	d := &decoded{m: m}
	w := weak.Make(d)
	f.memo.Store(&w)
	s.cache.pin(d)
}
