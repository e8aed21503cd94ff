package state

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Record is one stored resource: a JSON object of JSON-compatible values (map[string]any,
// []any, string, int64, float64, json.Number, bool, nil). Records are immutable once
// handed to or returned by the store.
type Record = map[string]any

// IDKind says how a collection makes ids for records created without one.
type IDKind int

const (
	// IDInt makes integer ids 1, 2, 3... per collection, stored as int64.
	IDInt IDKind = iota
	// IDDigits makes digit-string ids "1", "2", "3"... per collection.
	IDDigits
	// IDUUID makes UUIDs derived from the store seed, the collection name and a sequence
	// number, so the same seed gives the same ids.
	IDUUID
	// IDString makes ids "<IDPrefix><n>".
	IDString
)

// String names the kind as it appears in error messages.
func (k IDKind) String() string {
	switch k {
	case IDInt:
		return "int"
	case IDDigits:
		return "digits"
	case IDUUID:
		return "uuid"
	case IDString:
		return "string"
	}
	return fmt.Sprintf("IDKind(%d)", int(k))
}

// Collection declares one named set of records. Collections are declared once, in New.
type Collection struct {
	// Name is the unique key callers use, such as "heydonto/users".
	Name string
	// IDField is the property holding the id, such as "id" or "PatNum". Required unless
	// Singleton is set.
	IDField string
	// IDKind says how ids are made for records created without one.
	IDKind IDKind
	// IDPrefix is the prefix of ids made for IDString.
	IDPrefix string
	// Singleton marks a collection of at most one record without an id (/v1/me).
	Singleton bool
	// SoftDelete, when set, names a field that Delete sets to true instead of removing
	// the record. Records whose field is true are hidden from Get, List and Count unless
	// the query asks for them.
	SoftDelete string
}

// Options configure a Store.
type Options struct {
	// Seed makes UUID ids deterministic.
	Seed int64
	// Now is the clock Autosave measures its interval with; nil means time.Now.
	Now func() time.Time
	// MaxRecordsPerSession caps the records of one session over all its collections,
	// soft-deleted ones included; 0 means 100000. Create over the cap fails with an error
	// wrapping ErrCapacity.
	MaxRecordsPerSession int
	// Logger receives autosave failures; nil discards them.
	Logger *slog.Logger
}

// DefaultMaxRecordsPerSession is the cap used when Options.MaxRecordsPerSession is 0.
const DefaultMaxRecordsPerSession = 100000

// Errors reported by the store; check them with errors.Is.
var (
	// ErrNotFound reports a missing (or soft-deleted) record.
	ErrNotFound = errors.New("record not found")
	// ErrConflict reports an id that is already taken.
	ErrConflict = errors.New("id already taken")
	// ErrCapacity reports a session that reached Options.MaxRecordsPerSession.
	ErrCapacity = errors.New("session record limit reached")
	// ErrUnknownCollection reports a collection name that New was not given.
	ErrUnknownCollection = errors.New("unknown collection")
	// ErrWrongKind reports a record operation on a singleton collection or a singleton
	// operation on a record collection.
	ErrWrongKind = errors.New("operation does not fit the collection kind")
	// ErrInvalid reports an unusable record, id or state document.
	ErrInvalid = errors.New("invalid input")
)

// Store holds the base state and every session. It is safe for concurrent use.
type Store struct {
	seed       int64
	now        func() time.Time
	log        *slog.Logger
	maxRecords int
	colls      []Collection
	byName     map[string]int // immutable after New, so read without locking

	mu        sync.RWMutex // guards base, baseTotal and sessions; taken before any Session.mu
	base      []*collData  // never modified once installed
	baseTotal int
	sessions  map[string]*Session
	exts      []namedExtension // sorted by name; see Register

	version atomic.Uint64 // grows with every change
	saved   atomic.Uint64 // the version the state file holds, for Autosave
	changed chan struct{}
	saveMu  sync.Mutex // orders SaveFile calls so an older snapshot never replaces a newer one

	shapes []shapeTable // per collection
	cache  recordCache

	// Test hooks: after replaces time.After in Autosave, onSave observes each autosave.
	after  func(time.Duration) <-chan time.Time
	onSave func(error)
}

// New makes a store with the given collections, each empty until SetBase.
func New(opts Options, collections []Collection) (*Store, error) {
	s := &Store{
		seed:       opts.Seed,
		now:        opts.Now,
		log:        opts.Logger,
		maxRecords: opts.MaxRecordsPerSession,
		colls:      slices.Clone(collections),
		byName:     make(map[string]int, len(collections)),
		shapes:     make([]shapeTable, len(collections)),
		sessions:   make(map[string]*Session),
		changed:    make(chan struct{}, 1),
		after:      time.After,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.maxRecords < 0 {
		return nil, fmt.Errorf("max records per session %d: must not be negative", s.maxRecords)
	}
	if s.maxRecords == 0 {
		s.maxRecords = DefaultMaxRecordsPerSession
	}
	for i, c := range s.colls {
		switch {
		case c.Name == "":
			return nil, fmt.Errorf("collection %d: empty name", i)
		case !c.Singleton && c.IDField == "":
			return nil, fmt.Errorf("collection %q: empty id field", c.Name)
		case c.IDKind < IDInt || c.IDKind > IDString:
			return nil, fmt.Errorf("collection %q: unknown id kind %d", c.Name, int(c.IDKind))
		}
		if _, dup := s.byName[c.Name]; dup {
			return nil, fmt.Errorf("collection %q: declared twice", c.Name)
		}
		s.byName[c.Name] = i
	}
	for i := range s.shapes {
		s.shapes[i].dict = newDict()
		s.shapes[i].max = maxShapes
	}
	s.base = make([]*collData, len(s.colls))
	for i := range s.base {
		s.base[i] = newCollData(0)
	}
	s.sessions[""] = s.newSession("")
	return s, nil
}

// Collections returns the declared collections in declaration order.
func (s *Store) Collections() []Collection { return slices.Clone(s.colls) }

// SetBase installs the seed state every session starts from: records per collection, in
// order (a singleton collection takes at most one). Ids already in the records are kept
// and each sequence continues after the highest numeric one; records without an id get
// one. Every session is reset to the new base. On error nothing changes.
func (s *Store) SetBase(records map[string][]Record) error {
	base := make([]*collData, len(s.colls))
	total := 0
	for i := range base {
		base[i] = newCollData(0)
	}
	for _, name := range sortedKeys(records) {
		ci, ok := s.byName[name]
		if !ok {
			return fmt.Errorf("set base: collection %q: %w", name, ErrUnknownCollection)
		}
		def := &s.colls[ci]
		recs := records[name]
		if def.Singleton {
			if len(recs) > 1 {
				return fmt.Errorf("set base: collection %q: singleton given %d records: %w", name, len(recs), ErrInvalid)
			}
			if len(recs) == 1 {
				base[ci].single = cloneRecord(recs[0])
			}
			continue
		}
		c := newCollData(len(recs))
		var pending []int // records without an id get one after every given id is known
		for j, rec := range recs {
			if rec == nil {
				return fmt.Errorf("set base: collection %q: record %d: nil record: %w", name, j, ErrInvalid)
			}
			if isEmptyID(rec[def.IDField]) {
				pending = append(pending, j)
				c.entries = append(c.entries, entry{})
				continue
			}
			key, err := IDKey(rec[def.IDField])
			if err != nil {
				return fmt.Errorf("set base: collection %q: record %d: %w", name, j, err)
			}
			if _, taken := c.index[key]; taken {
				return fmt.Errorf("set base: collection %q: record %d: id %q: %w", name, j, key, ErrConflict)
			}
			c.bumpSequence(def, key)
			c.index[key] = j
			c.entries = append(c.entries, entry{id: key, rec: s.freezeIn(ci, rec, false), hidden: isSoftDeleted(def, rec)})
		}
		for _, j := range pending {
			v, key := s.makeID(def, c)
			rec := cloneRecord(recs[j])
			rec[def.IDField] = v
			c.index[key] = j
			c.entries[j] = entry{id: key, rec: s.freezeIn(ci, rec, false), hidden: isSoftDeleted(def, rec)}
		}
		c.live = len(c.entries)
		for _, e := range c.entries {
			if e.hidden {
				c.hidden++
			}
		}
		total += c.live
		base[ci] = c
	}
	if total > s.maxRecords {
		return fmt.Errorf("set base: %d records over the limit of %d per session: %w", total, s.maxRecords, ErrCapacity)
	}
	s.mu.Lock()
	s.base, s.baseTotal = base, total
	for _, x := range s.sessions {
		x.mu.Lock()
		x.resetTo(base, total)
		x.mu.Unlock()
	}
	s.mu.Unlock()
	s.touch()
	return nil
}

// Session returns the session with the given id, creating it from the base on first use;
// "" is the shared default session. A session is cheap to create: it shares the base until
// it writes.
func (s *Store) Session(id string) *Session {
	s.mu.RLock()
	x := s.sessions[id]
	s.mu.RUnlock()
	if x != nil {
		return x
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if x = s.sessions[id]; x == nil {
		x = s.newSession(id)
		s.sessions[id] = x
	}
	return x
}

// Reset puts one session back to the base; "" resets only the default session. Resetting
// a session that does not exist changes no records. Extensions forget what belongs to the
// session.
func (s *Store) Reset(session string) {
	s.mu.RLock()
	x := s.sessions[session]
	if x != nil {
		x.mu.Lock()
		x.resetTo(s.base, s.baseTotal)
		x.mu.Unlock()
	}
	s.mu.RUnlock()
	if s.resetExtensions(session, false) || x != nil {
		s.touch()
	}
}

// ResetAll puts the default session back to the base and drops every other session, and
// resets every extension. A dropped *Session still held by a caller is reset too but no
// longer belongs to the store.
func (s *Store) ResetAll() {
	s.resetExtensions("", true)
	s.mu.Lock()
	for id, x := range s.sessions {
		x.mu.Lock()
		x.resetTo(s.base, s.baseTotal)
		x.mu.Unlock()
		if id != "" {
			delete(s.sessions, id)
		}
	}
	s.mu.Unlock()
	s.touch()
}

// Sessions returns the ids of the existing sessions, sorted; the default session is "".
func (s *Store) Sessions() []string {
	s.mu.RLock()
	ids := sortedKeys(s.sessions)
	s.mu.RUnlock()
	return ids
}

// Changed returns a channel that receives a value (coalesced) after changes to the state.
// Autosave consumes it, so use either Autosave or Changed, or Version for polling.
func (s *Store) Changed() <-chan struct{} { return s.changed }

// Version returns a counter that grows with every change to the state.
func (s *Store) Version() uint64 { return s.version.Load() }

func (s *Store) touch() {
	s.version.Add(1)
	s.signal()
}

func (s *Store) signal() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

func (s *Store) newSession(id string) *Session {
	x := &Session{store: s, id: id}
	x.resetTo(s.base, s.baseTotal)
	return x
}

// collection resolves a name and checks its kind.
func (s *Store) collection(name string, singleton bool) (int, *Collection, error) {
	ci, ok := s.byName[name]
	if !ok {
		return 0, nil, fmt.Errorf("collection %q: %w", name, ErrUnknownCollection)
	}
	def := &s.colls[ci]
	if def.Singleton != singleton {
		if def.Singleton {
			return 0, nil, fmt.Errorf("collection %q is a singleton: %w", name, ErrWrongKind)
		}
		return 0, nil, fmt.Errorf("collection %q is not a singleton: %w", name, ErrWrongKind)
	}
	return ci, def, nil
}
