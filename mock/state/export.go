package state

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// The state document:
//
//	{"format": "vendormock-state", "version": 1, "sessions": {
//	  "<session id>": {"collections": {
//	    "<name>": {"next": 21, "records": [{...}, ...]},
//	    "<singleton name>": {"singleton": {...} | null}}}},
//	 "extensions": {"<name>": <the extension's JSON>}}
//
// Sessions and collections are sorted by name and records keep insertion order, so the same
// state always gives the same bytes. "extensions" is optional (absent when no registered
// extension has state): documents written before extensions existed load unchanged.
const (
	documentFormat  = "vendormock-state"
	documentVersion = 1
)

// sessionSnapshot is one session's collections frozen for export; nil where the session
// still shares the base (unless the export is full).
type sessionSnapshot struct {
	id    string
	colls []*collData
}

// snapshot freezes every session: the collections it captures become shared, so the next
// write to them copies first and the snapshot can be written without holding locks.
func (s *Store) snapshot(full bool) []sessionSnapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]sessionSnapshot, 0, len(s.sessions))
	for _, id := range sortedKeys(s.sessions) {
		x := s.sessions[id]
		snap := sessionSnapshot{id: id, colls: make([]*collData, len(s.colls))}
		x.mu.Lock()
		for i, c := range x.colls {
			if full || c != s.base[i] {
				snap.colls[i] = c
				x.owned[i] = false
			}
		}
		x.mu.Unlock()
		out = append(out, snap)
	}
	return out
}

// document is the state frozen for writing: sessions and extensions' parts.
type document struct {
	sessions []sessionSnapshot
	exts     []extensionPart
}

// capture freezes the sessions (see snapshot) and collects the extensions' parts.
func (s *Store) capture(full bool) (document, error) {
	snaps := s.snapshot(full)
	exts, err := s.exportExtensions()
	if err != nil {
		return document{}, err
	}
	return document{sessions: snaps, exts: exts}, nil
}

// Export writes the whole state as JSON: every session, and in each the collections that
// differ from the base (Import takes the others from the base), and the extensions' state.
// Same state, same bytes.
func (s *Store) Export(w io.Writer) error {
	doc, err := s.capture(false)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return s.writeDocument(w, doc)
}

// ExportFull writes the whole state like Export but with every collection of every
// session, for people reading it.
func (s *Store) ExportFull(w io.Writer) error {
	doc, err := s.capture(true)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return s.writeDocument(w, doc)
}

func (s *Store) writeDocument(w io.Writer, doc document) error {
	snaps := doc.sessions
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	put := func(v any) error {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return err
	}
	fmt.Fprintf(bw, "{\"format\":%q,\"version\":%d,\"sessions\":{", documentFormat, documentVersion)
	for si, snap := range snaps {
		if si > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
		if err := put(snap.id); err != nil {
			return fmt.Errorf("export session %q: %w", snap.id, err)
		}
		bw.WriteString(":{\"collections\":{")
		first := true
		for _, name := range sortedKeys(s.byName) {
			ci := s.byName[name]
			c := snap.colls[ci]
			if c == nil {
				continue
			}
			if !first {
				bw.WriteString(",")
			}
			first = false
			bw.WriteString("\n")
			if err := put(name); err != nil {
				return fmt.Errorf("export session %q: collection %q: %w", snap.id, name, err)
			}
			if s.colls[ci].Singleton {
				bw.WriteString(":{\"singleton\":")
				if err := put(c.single); err != nil {
					return fmt.Errorf("export session %q: collection %q: %w", snap.id, name, err)
				}
				bw.WriteString("}")
				continue
			}
			bw.WriteString(":{\"next\":" + strconv.FormatInt(c.next, 10) + ",\"records\":[")
			n := 0
			for _, e := range c.entries {
				if e.rec == nil {
					continue
				}
				if n > 0 {
					bw.WriteString(",")
				}
				n++
				bw.WriteString("\n")
				if err := put(s.peek(e.rec)); err != nil {
					return fmt.Errorf("export session %q: collection %q: record %q: %w", snap.id, name, e.id, err)
				}
			}
			bw.WriteString("]}")
		}
		bw.WriteString("}}")
	}
	bw.WriteString("}")
	if len(doc.exts) > 0 {
		bw.WriteString(",\n\"extensions\":{")
		for i, p := range doc.exts {
			if i > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n")
			if err := put(p.name); err != nil {
				return fmt.Errorf("export extension %q: %w", p.name, err)
			}
			bw.WriteString(":")
			bw.Write(p.raw)
		}
		bw.WriteString("}")
	}
	bw.WriteString("}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

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

// parseSessions checks a document's sessions and returns their collections and the document's
// (unchecked) extensions value.
func (s *Store) parseSessions(r io.Reader) (map[string][]*collData, any, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, invalid("decode document: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, invalid("decode document: data after the document")
	}
	top, ok := doc.(map[string]any)
	if !ok {
		return nil, nil, invalid("document is not an object")
	}
	if err := onlyKeys(top, "document", "format", "version", "sessions", "extensions"); err != nil {
		return nil, nil, err
	}
	if f, _ := top["format"].(string); f != documentFormat {
		return nil, nil, invalid("document format %v: want %q", top["format"], documentFormat)
	}
	if v, ok := top["version"].(json.Number); !ok || v.String() != strconv.Itoa(documentVersion) {
		return nil, nil, invalid("document version %v: want %d", top["version"], documentVersion)
	}
	sessions, ok := top["sessions"].(map[string]any)
	if !ok {
		return nil, nil, invalid("document sessions: not an object")
	}
	out := make(map[string][]*collData, len(sessions))
	s.mu.RLock()
	baseTotal, base := s.baseTotal, s.base
	s.mu.RUnlock()
	for _, id := range sortedKeys(sessions) {
		sess, ok := sessions[id].(map[string]any)
		if !ok {
			return nil, nil, invalid("session %q: not an object", id)
		}
		if err := onlyKeys(sess, fmt.Sprintf("session %q", id), "collections"); err != nil {
			return nil, nil, err
		}
		colls, ok := sess["collections"].(map[string]any)
		if !ok {
			return nil, nil, invalid("session %q: collections: not an object", id)
		}
		parsed := make([]*collData, len(s.colls))
		total := baseTotal
		for _, name := range sortedKeys(colls) {
			ci, ok := s.byName[name]
			if !ok {
				return nil, nil, fmt.Errorf("session %q: collection %q: %w", id, name, ErrUnknownCollection)
			}
			c, err := s.parseCollection(ci, colls[name])
			if err != nil {
				return nil, nil, fmt.Errorf("session %q: collection %q: %w", id, name, err)
			}
			parsed[ci] = c
			total += c.live - base[ci].live
		}
		if total > s.maxRecords {
			return nil, nil, fmt.Errorf("session %q: %d records over the limit of %d: %w", id, total, s.maxRecords, ErrCapacity)
		}
		out[id] = parsed
	}
	return out, top["extensions"], nil
}

func (s *Store) parseCollection(ci int, v any) (*collData, error) {
	def := &s.colls[ci]
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, invalid("not an object")
	}
	if def.Singleton {
		if err := onlyKeys(obj, "singleton collection", "singleton"); err != nil {
			return nil, err
		}
		c := newCollData(0)
		v, err := normalize(obj["singleton"])
		if err != nil {
			return nil, fmt.Errorf("singleton: %w", err)
		}
		switch rec := v.(type) {
		case nil:
		case map[string]any:
			c.single = rec
		default:
			return nil, invalid("singleton: not an object or null")
		}
		return c, nil
	}
	if err := onlyKeys(obj, "collection", "next", "records"); err != nil {
		return nil, err
	}
	recs, ok := obj["records"].([]any)
	if !ok {
		return nil, invalid("records: not an array")
	}
	c := newCollData(len(recs))
	if raw, ok := obj["next"]; ok {
		n, isNum := raw.(json.Number)
		next, err := n.Int64()
		if !isNum || err != nil || next < 1 {
			return nil, invalid("next %v: not a positive integer", raw)
		}
		c.next = next
	}
	for i, raw := range recs {
		v, err := normalize(raw)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
		rec, ok := v.(map[string]any)
		if !ok {
			return nil, invalid("record %d: not an object", i)
		}
		key, err := IDKey(rec[def.IDField])
		if err != nil {
			return nil, fmt.Errorf("record %d: field %q: %w", i, def.IDField, err)
		}
		if _, taken := c.index[key]; taken {
			return nil, fmt.Errorf("record %d: id %q: %w", i, key, ErrConflict)
		}
		c.bumpSequence(def, key)
		e := entry{id: key, rec: s.freeze(ci, rec), hidden: isSoftDeleted(def, rec)}
		c.index[key] = len(c.entries)
		c.entries = append(c.entries, e)
		if e.hidden {
			c.hidden++
		}
	}
	c.live = len(c.entries)
	return c, nil
}

func onlyKeys(obj map[string]any, what string, allowed ...string) error {
	for k := range obj {
		found := false
		for _, a := range allowed {
			found = found || k == a
		}
		if !found {
			return invalid("%s: unknown key %q (want %s)", what, k, strings.Join(allowed, ", "))
		}
	}
	return nil
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
