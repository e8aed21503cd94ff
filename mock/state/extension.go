package state

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Extension is state kept beside the record collections that is exported, imported, saved,
// loaded and reset with them, such as the tokens a mock server issued. Its part of the state
// document is one JSON value under "extensions"/<name>. The store calls an extension without
// holding its own locks.
type Extension interface {
	// ExportState returns the extension's part of the document (valid JSON), or nil when it
	// holds nothing worth saving; the document then has no entry for it.
	ExportState() (json.RawMessage, error)
	// PrepareImport checks the extension's part of a document being imported (nil when the
	// document has none, as files written before the extension existed) and returns a
	// function that installs it. It must change nothing itself: Import installs every part
	// of a document or none.
	PrepareImport(raw json.RawMessage) (install func(), err error)
	// ResetState forgets what belongs to one session, or everything when all is set, and
	// reports whether anything changed.
	ResetState(session string, all bool) bool
}

type namedExtension struct {
	name string
	ext  Extension
}

// extensionPart is one extension's exported state.
type extensionPart struct {
	name string
	raw  json.RawMessage
}

// Register adds an extension under a name (letters, digits, "-" and "_"). Register every
// extension before the store is used: before LoadFile, Import, Export or Autosave.
func (s *Store) Register(name string, e Extension) error {
	if name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
		return fmt.Errorf("register extension %q: want letters, digits, - and _: %w", name, ErrInvalid)
	}
	if e == nil {
		return fmt.Errorf("register extension %q: nil extension: %w", name, ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.exts {
		if x.name == name {
			return fmt.Errorf("register extension %q: registered twice: %w", name, ErrConflict)
		}
	}
	s.exts = append(s.exts, namedExtension{name: name, ext: e})
	sort.Slice(s.exts, func(i, j int) bool { return s.exts[i].name < s.exts[j].name })
	return nil
}

// MarkChanged records a change made outside the collections (by an extension), so that
// Version grows and Autosave saves it.
func (s *Store) MarkChanged() { s.touch() }

func (s *Store) extensions() []namedExtension {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]namedExtension(nil), s.exts...)
}

// exportExtensions collects each extension's part, compacted, in name order.
func (s *Store) exportExtensions() ([]extensionPart, error) {
	var out []extensionPart
	for _, x := range s.extensions() {
		raw, err := x.ext.ExportState()
		if err != nil {
			return nil, fmt.Errorf("export extension %q: %w", x.name, err)
		}
		if raw == nil {
			continue
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return nil, fmt.Errorf("export extension %q: %w", x.name, err)
		}
		out = append(out, extensionPart{name: x.name, raw: buf.Bytes()})
	}
	return out, nil
}

// prepareExtensions checks a document's "extensions" value (nil when absent) and returns the
// functions that install each registered extension's part.
func (s *Store) prepareExtensions(v any) ([]func(), error) {
	var parts map[string]any
	if v != nil {
		var ok bool
		if parts, ok = v.(map[string]any); !ok {
			return nil, invalid("document extensions: not an object")
		}
	}
	exts := s.extensions()
	known := make([]string, len(exts))
	for i, x := range exts {
		known[i] = x.name
	}
	for _, name := range sortedKeys(parts) {
		found := false
		for _, k := range known {
			found = found || k == name
		}
		if !found {
			return nil, invalid("document extensions: unknown extension %q (this server has: %s)", name, strings.Join(known, ", "))
		}
	}
	installs := make([]func(), 0, len(exts))
	for _, x := range exts {
		var raw json.RawMessage
		if p, ok := parts[x.name]; ok {
			b, err := json.Marshal(p)
			if err != nil {
				return nil, invalid("extension %q: %v", x.name, err)
			}
			raw = b
		}
		install, err := x.ext.PrepareImport(raw)
		if err != nil {
			return nil, fmt.Errorf("extension %q: %w", x.name, err)
		}
		if install != nil {
			installs = append(installs, install)
		}
	}
	return installs, nil
}

// resetExtensions resets every extension for a session (or all) and reports a change.
func (s *Store) resetExtensions(session string, all bool) bool {
	changed := false
	for _, x := range s.extensions() {
		if x.ext.ResetState(session, all) {
			changed = true
		}
	}
	return changed
}
