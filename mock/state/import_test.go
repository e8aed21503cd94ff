package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// The import as it was before it streamed: the whole document decoded into maps, then
// checked (each record by the same addRecord). FuzzImportStreaming holds the streaming
// reader to the same answers.

// parseSessions checks a document's sessions and returns their collections and the document's
// (unchecked) extensions value.
func (s *Store) wholeParseSessions(r io.Reader) (map[string][]*collData, any, error) {
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
	if err := wholeOnlyKeys(top, "document", "format", "version", "sessions", "extensions"); err != nil {
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
		if err := wholeOnlyKeys(sess, fmt.Sprintf("session %q", id), "collections"); err != nil {
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
			c, err := s.wholeParseCollection(ci, colls[name])
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

func (s *Store) wholeParseCollection(ci int, v any) (*collData, error) {
	def := &s.colls[ci]
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, invalid("not an object")
	}
	if def.Singleton {
		if err := wholeOnlyKeys(obj, "singleton collection", "singleton"); err != nil {
			return nil, err
		}
		c := newCollData(0)
		var err error
		if c.single, err = singletonRecord(obj["singleton"]); err != nil {
			return nil, err
		}
		return c, nil
	}
	if err := wholeOnlyKeys(obj, "collection", "next", "records"); err != nil {
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
		if err := s.addRecord(c, ci, i, raw); err != nil {
			return nil, err
		}
	}
	c.live = len(c.entries)
	return c, nil
}

func wholeOnlyKeys(obj map[string]any, what string, allowed ...string) error {
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

// FuzzImportStreaming compares the streaming reader with the whole-document one: both accept
// or both refuse a document, and accepted documents give the same collections and
// extensions. Documents naming a key twice are left out: the streaming reader refuses those
// it walks, where maps kept the last.
func FuzzImportStreaming(f *testing.F) {
	addExportSeeds(f)
	for _, doc := range []string{
		`{"version":1,"sessions":{"x":{"collections":{"users":{"records":[{"id":1.0,"v":[1e3,-0,0.5,"s",null,true,{"k":{}}]}],"next":3}}}},"format":"vendormock-state"}`,
		`{"format":"vendormock-state","version":1,"sessions":{"":{"collections":{"me":{"singleton":null},"brands":{"records":[{"id":"7","deleted":true}]}}}}}`,
		`{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"users":{"next":2,"records":[{"id":9}]}}}},"extensions":{"x":[1]}}`,
		`{"format":"vendormock-state","version":1,"sessions":{"a":{}}}`,
		`{"format":"vendormock-state","sessions":{}}`,
		`{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"users":{"records":[{"id":1},{"id":"1"}]}}}}}`,
		`{"format":"vendormock-state","version":1,"sessions":{}} {}`,
	} {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if hasDuplicateKeys(doc) {
			return
		}
		s := busyStore(t)
		gotColls, gotExts, gotErr := s.parseSessions(bytes.NewReader(doc))
		wantColls, wantExts, wantErr := s.wholeParseSessions(bytes.NewReader(doc))
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("streaming: %v; whole document: %v", gotErr, wantErr)
		}
		if gotErr != nil {
			return
		}
		if !reflect.DeepEqual(gotExts, wantExts) {
			t.Fatalf("extensions %v, want %v", gotExts, wantExts)
		}
		if len(gotColls) != len(wantColls) {
			t.Fatalf("%d sessions, want %d", len(gotColls), len(wantColls))
		}
		for id, want := range wantColls {
			got, ok := gotColls[id]
			if !ok {
				t.Fatalf("session %q missing", id)
			}
			for ci := range want {
				if msg := sameCollData(s, got[ci], want[ci]); msg != "" {
					t.Fatalf("session %q, collection %q: %s", id, s.colls[ci].Name, msg)
				}
			}
		}
	})
}

// hasDuplicateKeys reports whether any object of a JSON document names a key twice (in a
// document that does not parse, up to where it breaks off).
func hasDuplicateKeys(doc []byte) bool {
	type frame struct {
		obj, expectKey bool
		keys           map[string]bool
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	var stack []*frame
	for {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		if d, ok := t.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.obj && top.expectKey {
			k, _ := t.(string)
			if top.keys[k] {
				return true
			}
			top.keys[k], top.expectKey = true, false
			continue
		}
		if top != nil && top.obj {
			top.expectKey = true
		}
		if d, ok := t.(json.Delim); ok {
			stack = append(stack, &frame{obj: d == '{', expectKey: d == '{', keys: map[string]bool{}})
		}
	}
}

func TestHasDuplicateKeys(t *testing.T) {
	for doc, want := range map[string]bool{
		`{"a":1,"b":{"a":2}}`:           false,
		`{"a":1,"a":2}`:                 true,
		`{"a":{"b":[{"c":1,"c":2}]}}`:   true,
		`{"a":[{"b":1},{"b":2}],"c":3}`: false,
		`{"a":1,"b"`:                    false, // breaks off
		`{"a":1,"a"`:                    true,  // breaks off after the second "a"
	} {
		if got := hasDuplicateKeys([]byte(doc)); got != want {
			t.Errorf("hasDuplicateKeys(%s) = %v, want %v", doc, got, want)
		}
	}
}

func sameCollData(s *Store, got, want *collData) string {
	if (got == nil) != (want == nil) {
		return fmt.Sprintf("parsed %v, want %v", got != nil, want != nil)
	}
	if got == nil {
		return ""
	}
	if got.live != want.live || got.hidden != want.hidden || got.next != want.next || len(got.entries) != len(want.entries) {
		return fmt.Sprintf("live/hidden/next/entries %d/%d/%d/%d, want %d/%d/%d/%d", got.live, got.hidden, got.next, len(got.entries),
			want.live, want.hidden, want.next, len(want.entries))
	}
	if !reflect.DeepEqual(got.single, want.single) {
		return fmt.Sprintf("singleton %v, want %v", got.single, want.single)
	}
	for i, e := range want.entries {
		g := got.entries[i]
		if g.id != e.id || g.hidden != e.hidden || got.index[g.id] != want.index[e.id] {
			return fmt.Sprintf("entry %d: id %q hidden %v, want %q %v", i, g.id, g.hidden, e.id, e.hidden)
		}
		if gr, wr := s.peek(g.rec), s.peek(e.rec); !reflect.DeepEqual(gr, wr) {
			return fmt.Sprintf("entry %d: %v, want %v", i, gr, wr)
		}
	}
	return ""
}
