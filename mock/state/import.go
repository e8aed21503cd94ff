package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Import replaces the whole state with a document written by Export or ExportFull:
// sessions it lists get its collections over the base, other sessions are dropped (the
// default one reset). The document is checked completely first; on error nothing changes.
func (s *Store) Import(r io.Reader) error {
	next, installs, err := s.parseDocument(r)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	s.mu.Lock()
	for id, x := range s.sessions {
		if _, ok := next[id]; ok || id == "" {
			continue
		}
		x.mu.Lock()
		x.resetTo(s.base, s.baseTotal)
		x.mu.Unlock()
		delete(s.sessions, id)
	}
	if _, ok := next[""]; !ok {
		next[""] = nil
	}
	for id, colls := range next {
		x := s.sessions[id]
		if x == nil {
			x = &Session{store: s, id: id}
			s.sessions[id] = x
		}
		x.mu.Lock()
		x.resetTo(s.base, s.baseTotal)
		for ci, c := range colls {
			if c != nil {
				x.total += c.live - x.colls[ci].live
				x.colls[ci] = c
				x.owned[ci] = true
			}
		}
		x.mu.Unlock()
	}
	s.mu.Unlock()
	for _, install := range installs {
		install()
	}
	s.touch()
	return nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, ErrInvalid)...)
}

// parseDocument checks a state document and builds the collections of each session, and
// the functions that install the extensions' parts.
func (s *Store) parseDocument(r io.Reader) (map[string][]*collData, []func(), error) {
	sessions, exts, err := s.parseSessions(r)
	if err != nil {
		return nil, nil, err
	}
	installs, err := s.prepareExtensions(exts)
	if err != nil {
		return nil, nil, err
	}
	return sessions, installs, nil
}

// normalize turns decoded json.Numbers into int64 when integral and in range (so a stored
// float64 2.0, written as 2, comes back as int64 2), float64 otherwise, in place, so imported state holds the same types as state built by callers.
// Numbers too large for a float64 are refused: Export could not write them back.
func normalize(v any) (any, error) {
	switch t := v.(type) {
	case json.Number:
		s := t.String()
		if !strings.ContainsAny(s, ".eE") {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return n, nil
			}
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) {
			return nil, invalid("number %s: out of range", s)
		}
		if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int64(f), nil // 1.0 and 1e3 are integers too; JSON does not tell them apart
		}
		return f, nil
	case map[string]any:
		for k, e := range t {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			t[k] = n
		}
	case []any:
		for i, e := range t {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			t[i] = n
		}
	}
	return v, nil
}

// A state document is read token by token and its records are decoded one at a time, each
// frozen before the next is read. Decoded whole, every record was a map before the first
// was frozen: a 98 MB state file reached 740 MiB RSS and took 4.5–6 s to start.

// docReader walks a state document.
type docReader struct {
	dec *json.Decoder
}

func (d *docReader) token() (json.Token, error) {
	t, err := d.dec.Token()
	if err != nil {
		return nil, invalid("decode document: %v", err)
	}
	return t, nil
}

// open reads the opening delimiter of an object or array; what names the value in the error
// when something else is there.
func (d *docReader) open(want json.Delim, what string) error {
	t, err := d.token()
	if err != nil {
		return err
	}
	if t != want {
		kind := "an object"
		if want == '[' {
			kind = "an array"
		}
		return invalid("%s: not %s", what, kind)
	}
	return nil
}

// members reads the members of an object whose opening brace has been read, calling f with
// each key; f reads the value. A key given twice is refused: decoded into a map the last one
// would win, and a reader that does not keep the whole document cannot do that.
func (d *docReader) members(what string, f func(key string) error) error {
	seen := map[string]bool{}
	for {
		t, err := d.token()
		if err != nil {
			return err
		}
		if t == json.Delim('}') {
			return nil
		}
		k, isKey := t.(string)
		if !isKey {
			return invalid("decode document: unexpected %v", t)
		}
		if seen[k] {
			return invalid("%s: key %q given twice", what, k)
		}
		seen[k] = true
		if err := f(k); err != nil {
			return err
		}
	}
}

// object reads an object: its opening brace, then its members (see members).
func (d *docReader) object(what string, f func(key string) error) error {
	if err := d.open('{', what); err != nil {
		return err
	}
	return d.members(what, f)
}

// value decodes the next value whole (numbers as json.Number).
func (d *docReader) value() (any, error) {
	var v any
	if err := d.dec.Decode(&v); err != nil {
		return nil, invalid("decode document: %v", err)
	}
	return v, nil
}

// checkFormat and checkVersion check the document's "format" and "version" (nil: absent).
func checkFormat(v any) error {
	if f, _ := v.(string); f != documentFormat {
		return invalid("document format %v: want %q", v, documentFormat)
	}
	return nil
}

func checkVersion(v any) error {
	if n, ok := v.(json.Number); !ok || n.String() != strconv.Itoa(documentVersion) {
		return invalid("document version %v: want %d", v, documentVersion)
	}
	return nil
}

// parseSessions checks a document's sessions and returns their collections and the document's
// (unchecked) extensions value.
func (s *Store) parseSessions(r io.Reader) (map[string][]*collData, any, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	d := &docReader{dec: dec}
	if t, err := d.token(); err != nil {
		return nil, nil, err
	} else if t != json.Delim('{') {
		return nil, nil, invalid("document is not an object")
	}
	var (
		out                                   map[string][]*collData
		exts                                  any
		haveFormat, haveVersion, haveSessions bool
	)
	err := d.members("document", func(k string) error {
		var v any
		var err error
		switch k {
		case "format":
			haveFormat = true
			if v, err = d.value(); err != nil {
				return err
			}
			return checkFormat(v)
		case "version":
			haveVersion = true
			if v, err = d.value(); err != nil {
				return err
			}
			return checkVersion(v)
		case "extensions":
			exts, err = d.value()
			return err
		case "sessions":
			haveSessions = true
			out, err = s.readSessions(d)
			return err
		}
		return invalid("document: unknown key %q (want format, version, sessions, extensions)", k)
	})
	if err != nil {
		return nil, nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, invalid("decode document: data after the document")
	}
	if !haveFormat {
		return nil, nil, checkFormat(nil)
	}
	if !haveVersion {
		return nil, nil, checkVersion(nil)
	}
	if !haveSessions {
		return nil, nil, invalid("document sessions: not an object")
	}
	return out, exts, nil
}

// readSessions reads the "sessions" object.
func (s *Store) readSessions(d *docReader) (map[string][]*collData, error) {
	s.mu.RLock()
	baseTotal, base := s.baseTotal, s.base
	s.mu.RUnlock()
	out := map[string][]*collData{}
	err := d.object("document sessions", func(id string) error {
		var parsed []*collData
		err := d.object(fmt.Sprintf("session %q", id), func(k string) error {
			if k != "collections" {
				return invalid("session %q: unknown key %q (want collections)", id, k)
			}
			var err error
			parsed, err = s.readCollections(d, id)
			return err
		})
		if err != nil {
			return err
		}
		if parsed == nil {
			return invalid("session %q: collections: not an object", id)
		}
		if total := s.sessionTotal(parsed, base, baseTotal); total > s.maxRecords {
			return fmt.Errorf("session %q: %d records over the limit of %d: %w", id, total, s.maxRecords, ErrCapacity)
		}
		out[id] = parsed
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// sessionTotal is the records a session holds with the parsed collections over the base.
func (s *Store) sessionTotal(parsed, base []*collData, baseTotal int) int {
	total := baseTotal
	for ci, c := range parsed {
		if c != nil {
			total += c.live - base[ci].live
		}
	}
	return total
}

// readCollections reads one session's "collections" object.
func (s *Store) readCollections(d *docReader, id string) ([]*collData, error) {
	parsed := make([]*collData, len(s.colls))
	err := d.object(fmt.Sprintf("session %q: collections", id), func(name string) error {
		ci, known := s.byName[name]
		if !known {
			return fmt.Errorf("session %q: collection %q: %w", id, name, ErrUnknownCollection)
		}
		c, err := s.readCollection(d, ci)
		if err != nil {
			return fmt.Errorf("session %q: collection %q: %w", id, name, err)
		}
		parsed[ci] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return parsed, nil
}

// readCollection reads one collection: {"next": N, "records": [...]} or {"singleton": ...}.
func (s *Store) readCollection(d *docReader, ci int) (*collData, error) {
	if s.colls[ci].Singleton {
		c := newCollData(0)
		err := d.object("collection", func(k string) error {
			if k != "singleton" {
				return invalid("singleton collection: unknown key %q (want singleton)", k)
			}
			v, err := d.value()
			if err != nil {
				return err
			}
			c.single, err = singletonRecord(v)
			return err
		})
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	var c *collData
	next := int64(1)
	err := d.object("collection", func(k string) error {
		switch k {
		case "next":
			raw, err := d.value()
			if err != nil {
				return err
			}
			n, isNum := raw.(json.Number)
			v, err := n.Int64()
			if !isNum || err != nil || v < 1 {
				return invalid("next %v: not a positive integer", raw)
			}
			next = v
			return nil
		case "records":
			var err error
			c, err = s.readRecords(d, ci)
			return err
		}
		return invalid("collection: unknown key %q (want next, records)", k)
	})
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, invalid("records: not an array")
	}
	// The given next holds unless a record's id is past it (then made ids continue after
	// the highest), whichever of the two keys came first.
	c.next = max(c.next, next)
	return c, nil
}

// readRecords reads a "records" array, freezing each record as it is decoded.
func (s *Store) readRecords(d *docReader, ci int) (*collData, error) {
	if err := d.open('[', "records"); err != nil {
		return nil, err
	}
	c := newCollData(0)
	for i := 0; d.dec.More(); i++ {
		raw, err := d.value()
		if err != nil {
			return nil, err
		}
		if err := s.addRecord(c, ci, i, raw); err != nil {
			return nil, err
		}
	}
	if _, err := d.token(); err != nil { // the closing bracket
		return nil, err
	}
	c.live = len(c.entries)
	return c, nil
}

// addRecord checks the i-th decoded record of a collection and adds it, frozen, to c.
func (s *Store) addRecord(c *collData, ci, i int, raw any) error {
	def := &s.colls[ci]
	v, err := normalize(raw)
	if err != nil {
		return fmt.Errorf("record %d: %w", i, err)
	}
	rec, ok := v.(map[string]any)
	if !ok {
		return invalid("record %d: not an object", i)
	}
	key, err := IDKey(rec[def.IDField])
	if err != nil {
		return fmt.Errorf("record %d: field %q: %w", i, def.IDField, err)
	}
	if _, taken := c.index[key]; taken {
		return fmt.Errorf("record %d: id %q: %w", i, key, ErrConflict)
	}
	c.bumpSequence(def, key)
	e := entry{id: key, rec: s.freeze(ci, rec), hidden: isSoftDeleted(def, rec)}
	c.index[key] = len(c.entries)
	c.entries = append(c.entries, e)
	if e.hidden {
		c.hidden++
	}
	return nil
}

// singletonRecord checks a decoded singleton value: an object or null.
func singletonRecord(raw any) (Record, error) {
	v, err := normalize(raw)
	if err != nil {
		return nil, fmt.Errorf("singleton: %w", err)
	}
	switch rec := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return rec, nil
	}
	return nil, invalid("singleton: not an object or null")
}
