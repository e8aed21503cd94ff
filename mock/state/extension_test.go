package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// notes is a test extension: one string per session, exported as {"session": "note"}.
type notes struct {
	mu      sync.Mutex
	bySess  map[string]string
	failOn  string // PrepareImport refuses a part containing this
	resets  []string
	imports int
}

func (n *notes) set(session, v string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.bySess == nil {
		n.bySess = map[string]string{}
	}
	n.bySess[session] = v
}

func (n *notes) get() map[string]string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := map[string]string{}
	for k, v := range n.bySess {
		out[k] = v
	}
	return out
}

func (n *notes) ExportState() (json.RawMessage, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.bySess) == 0 {
		return nil, nil
	}
	return json.MarshalIndent(n.bySess, "", "  ") // compacted by the store
}

func (n *notes) PrepareImport(raw json.RawMessage) (func(), error) {
	next := map[string]string{}
	if raw != nil {
		if n.failOn != "" && bytes.Contains(raw, []byte(n.failOn)) {
			return nil, errors.New("refused: " + n.failOn)
		}
		if err := json.Unmarshal(raw, &next); err != nil {
			return nil, err
		}
	}
	return func() {
		n.mu.Lock()
		defer n.mu.Unlock()
		n.bySess = next
		n.imports++
	}, nil
}

func (n *notes) ResetState(session string, all bool) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if all {
		n.resets = append(n.resets, "*")
		changed := len(n.bySess) > 0
		n.bySess = nil
		return changed
	}
	n.resets = append(n.resets, session)
	_, ok := n.bySess[session]
	delete(n.bySess, session)
	return ok
}

func storeWithNotes(tb testing.TB) (*Store, *notes) {
	tb.Helper()
	s := seededStore(tb)
	n := &notes{}
	if err := s.Register("notes", n); err != nil {
		tb.Fatal(err)
	}
	return s, n
}

func TestExtension_ExportImport(t *testing.T) {
	src, n := storeWithNotes(t)
	plain := export(t, src)
	if bytes.Contains(plain, []byte("extensions")) {
		t.Fatalf("an extension without state must leave the document as before:\n%s", plain)
	}
	mustCreate(t, src.Session("a"), "users", Record{"name": "Dee"})
	n.set("", "default note")
	n.set("a", "note of a")
	doc := export(t, src)
	if !bytes.HasSuffix(doc, []byte("\n\"extensions\":{\n\"notes\":{\"\":\"default note\",\"a\":\"note of a\"}}}\n")) {
		t.Fatalf("document does not end with the compacted extension part:\n%s", doc)
	}

	dst, m := storeWithNotes(t)
	m.set("stale", "dropped by the import")
	if err := dst.Import(bytes.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
	if got := m.get(); len(got) != 2 || got["a"] != "note of a" || got[""] != "default note" {
		t.Fatalf("imported notes = %v", got)
	}
	if again := export(t, dst); !bytes.Equal(again, doc) {
		t.Fatalf("export after import differs:\n%s\nwant\n%s", again, doc)
	}

	// A document written before the extension existed loads, and leaves the extension empty.
	if err := dst.Import(bytes.NewReader(plain)); err != nil {
		t.Fatalf("import of a document without extensions: %v", err)
	}
	if got := m.get(); len(got) != 0 {
		t.Fatalf("notes after importing a document without them = %v", got)
	}
}

// TestExtension_ImportAllOrNothing: an unknown extension, a malformed value or a part the
// extension refuses leaves records and extensions as they were.
func TestExtension_ImportAllOrNothing(t *testing.T) {
	src, n := storeWithNotes(t)
	mustCreate(t, src.Session(""), "users", Record{"name": "New"})
	n.set("", "bad part")
	good := export(t, src)
	for _, tc := range []struct {
		name, doc, want string
		target          error
	}{
		{"unknown extension", strings.Replace(string(good), `"notes":`, `"tokens":`, 1), `unknown extension "tokens" (this server has: notes)`, ErrInvalid},
		{"not an object", string(good[:bytes.Index(good, []byte(`"extensions":`))]) + `"extensions":[1]}`, "extensions: not an object", ErrInvalid},
		{"refused part", string(good), `extension "notes": refused: bad part`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst, m := storeWithNotes(t)
			m.failOn = "bad part"
			m.set("", "kept")
			before := export(t, dst)
			err := dst.Import(strings.NewReader(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.target != nil && !errors.Is(err, tc.target)) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if after := export(t, dst); !bytes.Equal(after, before) {
				t.Fatalf("a failed import changed the state:\n%s\nwas\n%s", after, before)
			}
			if m.imports != 0 {
				t.Fatal("a failed import installed the extension's part")
			}
		})
	}
}

func TestExtension_Reset(t *testing.T) {
	s, n := storeWithNotes(t)
	n.set("", "d")
	n.set("a", "x")
	n.set("b", "y")
	v := s.Version()
	s.Reset("a") // no such store session: the extension still forgets it
	if s.Version() == v {
		t.Error("a reset that changed an extension did not count as a change")
	}
	if got := n.get(); got["a"] != "" || got["b"] != "y" || got[""] != "d" {
		t.Fatalf("after Reset(a): %v", got)
	}
	s.ResetAll()
	if got := n.get(); len(got) != 0 {
		t.Fatalf("after ResetAll: %v", got)
	}
	if strings.Join(n.resets, ",") != "a,*" {
		t.Fatalf("resets = %v", n.resets)
	}
	v = s.Version()
	s.MarkChanged()
	if s.Version() == v {
		t.Fatal("MarkChanged did not change the version")
	}
}

func TestExtension_SaveLoadFile(t *testing.T) {
	src, n := storeWithNotes(t)
	n.set("", "persisted")
	path := filepath.Join(t.TempDir(), "state.json")
	if err := src.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	dst, m := storeWithNotes(t)
	if err := dst.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if got := m.get(); got[""] != "persisted" {
		t.Fatalf("loaded notes = %v", got)
	}
}

func TestExtension_Register(t *testing.T) {
	s := seededStore(t)
	for _, tc := range []struct {
		name   string
		ext    Extension
		target error
	}{
		{"tokens", &notes{}, nil},
		{"tokens", &notes{}, ErrConflict},
		{"", &notes{}, ErrInvalid},
		{"a b", &notes{}, ErrInvalid},
		{"x", nil, ErrInvalid},
		{"a-b_2", &notes{}, nil},
	} {
		wantErr(t, s.Register(tc.name, tc.ext), tc.target)
	}
	var names []string
	for _, x := range s.extensions() {
		names = append(names, x.name)
	}
	if !sort.StringsAreSorted(names) || len(names) != 2 {
		t.Fatalf("extensions = %v", names)
	}
}
