package state

import (
	"fmt"
	"sync"
)

// Session is one isolated view of the state. It is safe for concurrent use. Get a session
// from Store.Session for each request rather than keeping it: ResetAll and Import drop
// sessions from the store.
type Session struct {
	store *Store
	id    string

	mu    sync.RWMutex
	colls []*collData // per collection, indexed like Store.colls
	owned []bool      // whether colls[i] belongs to this session alone and may be modified
	total int         // live records over all collections, for the capacity limit
}

// ID returns the session id; "" is the default session.
func (x *Session) ID() string { return x.id }

// resetTo shares the given collections; the caller holds x.mu (or owns x).
func (x *Session) resetTo(colls []*collData, total int) {
	x.colls = append(x.colls[:0], colls...)
	if x.owned == nil {
		x.owned = make([]bool, len(colls))
	} else {
		clear(x.owned)
	}
	x.total = total
}

// writable returns collection ci ready to be modified, copying it first if it is shared.
func (x *Session) writable(ci int) *collData {
	if !x.owned[ci] {
		x.colls[ci] = x.colls[ci].clone()
		x.owned[ci] = true
	}
	return x.colls[ci]
}

// Create stores a new record and returns it. The id comes from rec's id field when it is
// set (an id already taken gives an error wrapping ErrConflict); otherwise the store makes
// one of the collection's IDKind.
func (x *Session) Create(coll string, rec Record) (Record, error) {
	ci, def, err := x.store.collection(coll, false)
	if err != nil {
		return nil, fmt.Errorf("create: %w", err)
	}
	out := cloneRecord(rec)
	given := !isEmptyID(rec[def.IDField])
	var key string
	if given {
		if key, err = IDKey(rec[def.IDField]); err != nil {
			return nil, fmt.Errorf("create in %q: %w", coll, err)
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.total >= x.store.maxRecords {
		return nil, fmt.Errorf("create in %q: session %q holds %d records: %w", coll, x.id, x.total, ErrCapacity)
	}
	if given {
		if _, taken := x.colls[ci].index[key]; taken {
			return nil, fmt.Errorf("create in %q: id %q: %w", coll, key, ErrConflict)
		}
	}
	c := x.writable(ci)
	if given {
		c.bumpSequence(def, key)
	} else {
		var v any
		v, key = x.store.makeID(def, c)
		out[def.IDField] = v
	}
	f := x.store.freeze(ci, out)
	x.store.remember(f, out)
	e := entry{id: key, rec: f, hidden: isSoftDeleted(def, out)}
	c.index[key] = len(c.entries)
	c.entries = append(c.entries, e)
	c.live++
	if e.hidden {
		c.hidden++
	}
	x.total++
	x.store.touch()
	return out, nil
}

// Get returns the record with the given id (in string form, so "5" finds 5); soft-deleted
// records are not found.
func (x *Session) Get(coll string, id string) (Record, bool) {
	ci, ok := x.store.byName[coll]
	if !ok {
		return nil, false
	}
	x.mu.RLock()
	c := x.colls[ci]
	i, ok := c.index[id]
	var e entry
	if ok {
		e = c.entries[i]
	}
	x.mu.RUnlock()
	if !ok || e.hidden {
		return nil, false
	}
	return x.store.record(e.rec), true
}

// Replace stores rec in place of the record with the given id, keeping its id field and
// position, and returns the stored record; ErrNotFound if there is no such record.
func (x *Session) Replace(coll, id string, rec Record) (Record, error) {
	if rec == nil {
		rec = Record{}
	}
	return x.update("replace", coll, id, false, func(Record) (Record, error) { return rec, nil })
}

// Merge applies a JSON merge patch (RFC 7386) to the record with the given id, keeping its
// id field, and returns the stored record; ErrNotFound if there is no such record.
func (x *Session) Merge(coll, id string, patch Record) (Record, error) {
	return x.update("merge", coll, id, true, func(old Record) (Record, error) {
		out, _ := MergePatch(old, patch).(Record) // a Record patch always gives a Record
		return out, nil
	})
}

// Update replaces the record with the given id by what change makes of it, atomically:
// no other write to the session runs in between. change gets the stored record, which it
// must not modify, and must not call the session. The id field is kept. An error from
// change is returned as it is and nothing changes; ErrNotFound if there is no such
// record.
func (x *Session) Update(coll, id string, change func(old Record) (Record, error)) (Record, error) {
	return x.update("update", coll, id, false, change)
}

// update stores what change makes of a record; fresh says the result is a new map the
// store may keep as it is, otherwise it is copied before the id field is set.
func (x *Session) update(verb, coll, id string, fresh bool, change func(old Record) (Record, error)) (Record, error) {
	ci, def, err := x.store.collection(coll, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", verb, err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.colls[ci].index[id]
	if !ok || x.colls[ci].entries[i].hidden {
		return nil, fmt.Errorf("%s %q in %q: %w", verb, id, coll, ErrNotFound)
	}
	old := x.store.record(x.colls[ci].entries[i].rec)
	rec, err := change(old)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, fmt.Errorf("%s %q in %q: nil record: %w", verb, id, coll, ErrInvalid)
	}
	out := rec
	if !fresh {
		out = cloneRecord(rec)
	}
	out[def.IDField] = old[def.IDField]
	f := x.store.freeze(ci, out)
	x.store.remember(f, out)
	c := x.writable(ci)
	i = c.index[id] // the clone may have moved it
	if isSoftDeleted(def, out) {
		c.hidden++
		c.entries[i].hidden = true
	}
	c.entries[i].rec = f
	x.store.touch()
	return out, nil
}

// Delete removes the record with the given id, or marks it deleted when the collection
// soft-deletes; ErrNotFound if there is no such record or it is already soft-deleted.
func (x *Session) Delete(coll, id string) error {
	ci, def, err := x.store.collection(coll, false)
	if err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.colls[ci].index[id]
	if !ok || x.colls[ci].entries[i].hidden {
		return fmt.Errorf("delete %q in %q: %w", id, coll, ErrNotFound)
	}
	c := x.writable(ci)
	i = c.index[id]
	if def.SoftDelete != "" {
		out := cloneRecord(x.store.record(c.entries[i].rec))
		out[def.SoftDelete] = true
		c.entries[i].rec = x.store.freeze(ci, out)
		c.entries[i].hidden = true
		c.hidden++
	} else {
		c.entries[i] = entry{}
		delete(c.index, id)
		c.live--
		x.total--
		c.compact()
	}
	x.store.touch()
	return nil
}

// Singleton returns the record of a singleton collection, if it is set.
func (x *Session) Singleton(coll string) (Record, bool) {
	ci, ok := x.store.byName[coll]
	if !ok {
		return nil, false
	}
	x.mu.RLock()
	rec := x.colls[ci].single
	x.mu.RUnlock()
	return rec, rec != nil
}

// SetSingleton stores the record of a singleton collection and returns it.
func (x *Session) SetSingleton(coll string, rec Record) (Record, error) {
	ci, _, err := x.store.collection(coll, true)
	if err != nil {
		return nil, fmt.Errorf("set singleton: %w", err)
	}
	if rec == nil {
		return nil, fmt.Errorf("set singleton %q: nil record: %w", coll, ErrInvalid)
	}
	out := cloneRecord(rec)
	x.mu.Lock()
	x.writable(ci).single = out
	x.mu.Unlock()
	x.store.touch()
	return out, nil
}

// ClearSingleton unsets the record of a singleton collection (after a logout, say).
func (x *Session) ClearSingleton(coll string) error {
	ci, _, err := x.store.collection(coll, true)
	if err != nil {
		return fmt.Errorf("clear singleton: %w", err)
	}
	x.mu.Lock()
	x.writable(ci).single = nil
	x.mu.Unlock()
	x.store.touch()
	return nil
}

// Count returns the number of records Get can find in a collection (soft-deleted ones
// excluded); 0 for an unknown collection.
func (x *Session) Count(coll string) int {
	ci, ok := x.store.byName[coll]
	if !ok {
		return 0
	}
	x.mu.RLock()
	n := x.colls[ci].visible()
	x.mu.RUnlock()
	return n
}
