package state

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
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
