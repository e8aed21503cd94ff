package state

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// busyStore has writes in the default session and in "a", including a singleton, a
// soft delete, nested values and numbers of each kind.
func busyStore(tb testing.TB) *Store {
	tb.Helper()
	s := seededStore(tb)
	def, a := s.Session(""), s.Session("a")
	s.Session("idle")
	mustCreate(tb, def, "users", Record{"name": "Dee", "score": 2.5, "big": int64(1) << 60, "n": json.Number("7"), "whole": 3.0, "tags": []any{"x", int64(1)}, "addr": map[string]any{"city": "Leeds", "geo": nil}})
	mustCreate(tb, def, "sites", Record{"name": "<main> & co"})
	if err := def.Delete("brands", "1"); err != nil {
		tb.Fatal(err)
	}
	if err := a.Delete("users", "2"); err != nil {
		tb.Fatal(err)
	}
	mustCreate(tb, a, "notes", Record{"text": "ünïcödé"})
	if _, err := a.SetSingleton("me", Record{"name": "Bob"}); err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestExport_RoundTrip(t *testing.T) {
	src := busyStore(t)
	doc := export(t, src)
	if !json.Valid(doc) {
		t.Fatalf("export is not JSON:\n%s", doc)
	}
	dst := seededStore(t)
	dst.Session("stale") // dropped by the import
	if err := dst.Import(bytes.NewReader(doc)); err != nil {
		t.Fatalf("Import: %v", err)
	}
	if again := export(t, dst); !bytes.Equal(again, doc) {
		t.Fatalf("export after import differs:\n%s\nwant\n%s", again, doc)
	}
	if got := strings.Join(dst.Sessions(), ","); got != ",a,idle" {
		t.Fatalf("Sessions = %q", got)
	}
	def := dst.Session("")
	u, ok := def.Get("users", "6")
	if !ok {
		t.Fatal("created user missing after import")
	}
	for field, want := range map[string]any{"big": int64(1) << 60, "score": 2.5, "n": int64(7), "whole": int64(3)} {
		if u[field] != want {
			t.Errorf("%s = %#v (%T), want %#v", field, u[field], u[field], want)
		}
	}
	if _, ok := def.Get("brands", "1"); ok {
		t.Error("soft-deleted brand visible after import")
	}
	if r, _ := dst.Session("a").Singleton("me"); r["name"] != "Bob" {
		t.Errorf("singleton after import = %v", r)
	}
	// sequences continue where they were
	if r := mustCreate(t, def, "users", Record{}); r["id"] != int64(7) {
		t.Errorf("next id after import = %v, want 7", r["id"])
	}
	// unchanged collections come from the base and still share it
	if dst.Session("a").colls[1] != dst.base[1] {
		t.Error("an unchanged collection was imported as a copy")
	}
}

func TestExport_Deterministic(t *testing.T) {
	a, b := export(t, busyStore(t)), export(t, busyStore(t))
	if !bytes.Equal(a, b) {
		t.Fatalf("same calls, different exports:\n%s\n%s", a, b)
	}
	if !bytes.Contains(a, []byte(`"<main> & co"`)) {
		t.Errorf("export escapes HTML characters:\n%s", a)
	}
}

func TestExportFull(t *testing.T) {
	s := busyStore(t)
	var buf bytes.Buffer
	if err := s.ExportFull(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Sessions map[string]struct {
			Collections map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if n := len(doc.Sessions["idle"].Collections); n != len(testCollections) {
		t.Fatalf("idle session exports %d collections, want all %d", n, len(testCollections))
	}
	dst := seededStore(t)
	if err := dst.Import(&buf); err != nil {
		t.Fatal(err)
	}
	if got, want := export(t, dst), export(t, s); !bytes.Contains(got, []byte(`"idle"`)) || len(got) < len(want) {
		t.Fatalf("import of a full export lost data:\n%s", got)
	}
}

func TestExport_WritesContinueAfterSnapshot(t *testing.T) {
	s := seededStore(t)
	x := s.Session("")
	mustCreate(t, x, "users", Record{"name": "before"})
	doc := export(t, s)
	mustCreate(t, x, "users", Record{"name": "after"})
	if bytes.Contains(doc, []byte("after")) {
		t.Fatal("a write after the snapshot changed it")
	}
	if x.Count("users") != 5 {
		t.Fatalf("Count = %d, want 5", x.Count("users"))
	}
}

func TestImport_Rejects(t *testing.T) {
	valid := `{"format":"vendormock-state","version":1,"sessions":{"":{"collections":{}}}}`
	for _, tc := range []struct {
		name string
		doc  string
		err  error
	}{
		{"empty", ``, ErrInvalid},
		{"not json", `{"format":`, ErrInvalid},
		{"trailing data", valid + `{}`, ErrInvalid},
		{"array", `[]`, ErrInvalid},
		{"wrong format", `{"format":"x","version":1,"sessions":{}}`, ErrInvalid},
		{"wrong version", `{"format":"vendormock-state","version":2,"sessions":{}}`, ErrInvalid},
		{"unknown top key", `{"format":"vendormock-state","version":1,"sessions":{},"x":1}`, ErrInvalid},
		{"sessions not object", `{"format":"vendormock-state","version":1,"sessions":[]}`, ErrInvalid},
		{"session not object", `{"format":"vendormock-state","version":1,"sessions":{"a":1}}`, ErrInvalid},
		{"session unknown key", `{"format":"vendormock-state","version":1,"sessions":{"a":{"colls":{}}}}`, ErrInvalid},
		{"unknown collection", `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"nope":{"records":[]}}}}}`, ErrUnknownCollection},
		{"records not array", `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"users":{"records":{}}}}}}`, ErrInvalid},
		{"record not object", `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"users":{"records":[1]}}}}}`, ErrInvalid},
		{"record without id", `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"users":{"records":[{"name":"x"}]}}}}}`, ErrInvalid},
		{"duplicate id", `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"users":{"records":[{"id":1},{"id":"1"}]}}}}}`, ErrConflict},
		{"bad next", `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"users":{"next":0,"records":[]}}}}}`, ErrInvalid},
		{"huge number", `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"users":{"records":[{"id":1,"x":1e999}]}}}}}`, ErrInvalid},
		{"singleton array", `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"me":{"singleton":[]}}}}}`, ErrInvalid},
		{"key twice", `{"format":"vendormock-state","version":1,"sessions":{},"sessions":{}}`, ErrInvalid},
		{"session twice", `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{}},"a":{"collections":{}}}}`, ErrInvalid},
		{"collection twice", `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"users":{"records":[]},"users":{"records":[]}}}}}`, ErrInvalid},
		{"no sessions", `{"format":"vendormock-state","version":1}`, ErrInvalid},
		{"no version", `{"format":"vendormock-state","sessions":{}}`, ErrInvalid},
		{"records missing", `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"users":{"next":2}}}}}`, ErrInvalid},
		{"truncated in records", `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"users":{"records":[{"id":1},`, ErrInvalid},
		{"singleton with records", `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"me":{"records":[]}}}}}`, ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := busyStore(t)
			before, version := export(t, s), s.Version()
			wantErr(t, s.Import(strings.NewReader(tc.doc)), tc.err)
			if after := export(t, s); !bytes.Equal(after, before) || s.Version() != version {
				t.Fatal("a rejected import changed the state")
			}
		})
	}
}

func TestImport_Capacity(t *testing.T) {
	s := newStore(t, Options{MaxRecordsPerSession: 1})
	doc := `{"format":"vendormock-state","version":1,"sessions":{"a":{"collections":{"users":{"records":[{"id":1},{"id":2}]}}}}}`
	wantErr(t, s.Import(strings.NewReader(doc)), ErrCapacity)
}

func TestImport_NextAfterHighestID(t *testing.T) {
	s := newStore(t, Options{})
	doc := `{"format":"vendormock-state","version":1,"sessions":{"":{"collections":{"users":{"next":2,"records":[{"id":9}]}}}}}`
	wantErr(t, s.Import(strings.NewReader(doc)), nil)
	if r := mustCreate(t, s.Session(""), "users", Record{}); r["id"] != int64(10) {
		t.Fatalf("next id = %v, want 10", r["id"])
	}
}

func TestImport_NumberTypes(t *testing.T) {
	s := newStore(t, Options{})
	doc := `{"format":"vendormock-state","version":1,"sessions":{"":{"collections":{"users":{"records":[` +
		`{"id":1.0,"a":1e3,"b":-0,"c":0.25,"d":123456789012345678901234567890,"e":[2.0,{"f":3}]}]}}}}}`
	wantErr(t, s.Import(strings.NewReader(doc)), nil)
	r, ok := s.Session("").Get("users", "1")
	if !ok {
		t.Fatal("record 1.0 not found as 1")
	}
	want := map[string]any{"id": int64(1), "a": int64(1000), "b": int64(0), "c": 0.25, "d": 1.2345678901234568e29}
	for k, v := range want {
		if r[k] != v {
			t.Errorf("%s = %#v (%T), want %#v", k, r[k], r[k], v)
		}
	}
	e := r["e"].([]any)
	if e[0] != int64(2) || e[1].(map[string]any)["f"] != int64(3) {
		t.Errorf("nested numbers = %#v", e)
	}
}
