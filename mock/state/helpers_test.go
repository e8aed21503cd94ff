package state

import (
	"bytes"
	"errors"
	"log/slog"
	"testing"
	"time"
)

// testCollections covers every id kind, soft delete and a singleton.
var testCollections = []Collection{
	{Name: "users", IDField: "id", IDKind: IDInt},
	{Name: "hero/users", IDField: "userid", IDKind: IDDigits},
	{Name: "sites", IDField: "id", IDKind: IDUUID},
	{Name: "notes", IDField: "noteId", IDKind: IDString, IDPrefix: "note_"},
	{Name: "brands", IDField: "id", IDKind: IDInt, SoftDelete: "deleted"},
	{Name: "me", Singleton: true},
}

var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newStore(tb testing.TB, opts Options) *Store {
	tb.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	s, err := New(opts, testCollections)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return s
}

// seededStore has three users (ids 1, 2, 5) and two brands in its base.
func seededStore(tb testing.TB) *Store {
	tb.Helper()
	s := newStore(tb, Options{})
	err := s.SetBase(map[string][]Record{
		"users": {
			{"id": int64(1), "name": "Ada", "age": int64(36)},
			{"id": int64(2), "name": "Bob", "age": int64(41)},
			{"id": int64(5), "name": "Cy", "age": int64(29)},
		},
		"brands": {
			{"id": int64(1), "name": "Acme", "deleted": false},
			{"id": int64(2), "name": "Bolt", "deleted": false},
		},
		"me": {{"name": "Ada"}},
	})
	if err != nil {
		tb.Fatalf("SetBase: %v", err)
	}
	return s
}

func mustCreate(tb testing.TB, x *Session, coll string, rec Record) Record {
	tb.Helper()
	out, err := x.Create(coll, rec)
	if err != nil {
		tb.Fatalf("Create(%s, %v): %v", coll, rec, err)
	}
	return out
}

func export(tb testing.TB, s *Store) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := s.Export(&buf); err != nil {
		tb.Fatalf("Export: %v", err)
	}
	return buf.Bytes()
}

func wantErr(tb testing.TB, err, target error) {
	tb.Helper()
	if target == nil {
		if err != nil {
			tb.Fatalf("err = %v, want nil", err)
		}
		return
	}
	if !errors.Is(err, target) {
		tb.Fatalf("err = %v, want %v", err, target)
	}
}

// ids lists the id field of each record in string form.
func ids(tb testing.TB, field string, recs []Record) []string {
	tb.Helper()
	out := make([]string, 0, len(recs))
	for _, r := range recs {
		k, err := IDKey(r[field])
		if err != nil {
			tb.Fatalf("record %v: %v", r, err)
		}
		out = append(out, k)
	}
	return out
}
