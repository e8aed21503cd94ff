package state

import (
	"hash/maphash"
	"maps"
	"strings"
	"sync"
	"sync/atomic"
)

// A collection's records repeat many strings: enum values ("Standard Account", "WirelessPh"),
// and what the generator picks from lists (cities, first names, notes). Each collection keeps
// a dictionary of strings seen more than once, and the codec writes one of them as tagDict and
// its index in two or three bytes instead of its text (see "Compact records" in doc.go).
//
// A string joins the dictionary the second time it is encoded; the first sighting is noted in
// a small lossy table of hashes, so strings that never repeat (ids, phone numbers, emails)
// take no room and no lock. Entries are never removed and the dictionary stops growing at
// dictMax strings, so its memory is bounded by the collection, not by the traffic; records
// written before a string joined keep it inline, which decodes to the same value.
//
// The base's records (the seed data, written at start-up) are frozen without the dictionary:
// a collection's dictionary comes into use with its first write, so that start-up does not
// pay for the dictionaries of collections nobody writes to.
//
// Readers (decoding, views, JSON) are lock-free: the strings are published through an atomic
// pointer before any record that uses their index can exist.
const (
	dictMax    = 1024 // strings per collection
	dictMinLen = 3    // shorter strings cost no more inline than as an index
	dictMaxLen = 64   // longer strings rarely repeat
	dictSeen   = 1024 // slots of the table of strings seen once (8 KiB, made on first use)
)

type dict struct {
	seed maphash.Seed
	// seen holds the hash of a string seen once, per slot (lossy: a later string may take
	// the slot, and the first one then needs a third sighting).
	seen atomic.Pointer[[dictSeen]atomic.Uint64]
	ids  atomic.Pointer[map[string]uint64] // replaced, never modified
	strs atomic.Pointer[[]string]          // appended to only past every reader's length
	mu   sync.Mutex                        // serialises additions
}

func newDict() *dict { return &dict{seed: maphash.MakeSeed()} }

// id returns the index of s in the dictionary, adding s when it was seen before and there
// is room, and reports whether s has one.
func (d *dict) id(s string) (uint64, bool) {
	if len(s) < dictMinLen || len(s) > dictMaxLen {
		return 0, false
	}
	if m := d.ids.Load(); m != nil {
		if i, ok := (*m)[s]; ok {
			return i, true
		}
	}
	if d.size() >= dictMax {
		return 0, false
	}
	h := maphash.String(d.seed, s) | 1 // a zero slot is empty
	slot := &d.seenTable()[h%dictSeen]
	if slot.Load() != h {
		slot.Store(h)
		return 0, false
	}
	return d.add(s)
}

func (d *dict) seenTable() *[dictSeen]atomic.Uint64 {
	if t := d.seen.Load(); t != nil {
		return t
	}
	d.seen.CompareAndSwap(nil, new([dictSeen]atomic.Uint64))
	return d.seen.Load()
}

func (d *dict) add(s string) (uint64, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var ids map[string]uint64
	if m := d.ids.Load(); m != nil {
		if i, ok := (*m)[s]; ok {
			return i, true // added since the caller looked
		}
		ids = *m
	}
	var strs []string
	if p := d.strs.Load(); p != nil {
		strs = *p
	}
	if len(strs) >= dictMax {
		return 0, false
	}
	s = strings.Clone(s) // not a view of a request body
	i := uint64(len(strs))
	strs = append(strs, s)
	d.strs.Store(&strs) // before the index can be encoded
	next := make(map[string]uint64, len(ids)+1)
	maps.Copy(next, ids)
	next[s] = i
	d.ids.Store(&next)
	return i, true
}

// str returns the string of an index that a record holds.
func (d *dict) str(i uint64) string { return (*d.strs.Load())[i] }

// size is how many strings the dictionary holds.
func (d *dict) size() int {
	if p := d.strs.Load(); p != nil {
		return len(*p)
	}
	return 0
}
