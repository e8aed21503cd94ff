package state

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"testing"
)

func TestNew_Rejects(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  Options
		colls []Collection
	}{
		{"empty name", Options{}, []Collection{{IDField: "id"}}},
		{"no id field", Options{}, []Collection{{Name: "a"}}},
		{"bad kind", Options{}, []Collection{{Name: "a", IDField: "id", IDKind: 9}}},
		{"duplicate", Options{}, []Collection{{Name: "a", IDField: "id"}, {Name: "a", IDField: "id"}}},
		{"negative cap", Options{MaxRecordsPerSession: -1}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.opts, tc.colls); err == nil {
				t.Fatal("New succeeded, want error")
			}
		})
	}
}

func TestCreate(t *testing.T) {
	uuidRE := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, tc := range []struct {
		name   string
		coll   string
		recs   []Record
		field  string
		want   []any // ids of the created records, nil to check with match
		match  *regexp.Regexp
		errIs  error // of the last create
		errAny bool
	}{
		{"int ids", "users", []Record{{"n": 1}, {"n": 2}}, "id", []any{int64(1), int64(2)}, nil, nil, false},
		{"digit ids", "hero/users", []Record{{}, {}}, "userid", []any{"1", "2"}, nil, nil, false},
		{"prefixed ids", "notes", []Record{{}, {}}, "noteId", []any{"note_1", "note_2"}, nil, nil, false},
		{"uuid ids", "sites", []Record{{}, {}}, "id", nil, uuidRE, nil, false},
		{"given id kept", "users", []Record{{"id": int64(7)}}, "id", []any{int64(7)}, nil, nil, false},
		{"given id bumps sequence", "users", []Record{{"id": int64(7)}, {}}, "id", []any{int64(7), int64(8)}, nil, nil, false},
		{"given string id bumps sequence", "users", []Record{{"id": "2"}, {}, {}}, "id", []any{"2", int64(3), int64(4)}, nil, nil, false},
		{"prefixed given id bumps", "notes", []Record{{"noteId": "note_9"}, {}}, "noteId", []any{"note_9", "note_10"}, nil, nil, false},
		{"empty id made", "users", []Record{{"id": ""}, {"id": nil}}, "id", []any{int64(1), int64(2)}, nil, nil, false},
		{"conflict", "users", []Record{{"id": int64(3)}, {"id": "3"}}, "id", nil, nil, ErrConflict, false},
		{"float id conflicts with int", "users", []Record{{"id": int64(3)}, {"id": 3.0}}, "id", nil, nil, ErrConflict, false},
		{"bad id type", "users", []Record{{"id": true}}, "id", nil, nil, ErrInvalid, false},
		{"unknown collection", "nope", []Record{{}}, "id", nil, nil, ErrUnknownCollection, false},
		{"singleton", "me", []Record{{}}, "id", nil, nil, ErrWrongKind, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := newStore(t, Options{}).Session("")
			var got []any
			var err error
			for _, r := range tc.recs {
				var out Record
				if out, err = x.Create(tc.coll, r); err == nil {
					got = append(got, out[tc.field])
				}
			}
			if tc.errIs != nil {
				wantErr(t, err, tc.errIs)
				return
			}
			wantErr(t, err, nil)
			if tc.match != nil {
				for _, id := range got {
					if s, _ := id.(string); !tc.match.MatchString(s) {
						t.Errorf("id %v does not match %v", id, tc.match)
					}
				}
				if got[0] == got[1] {
					t.Errorf("ids repeat: %v", got)
				}
				return
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("ids = %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestCreate_KeepsInputAndReturnsStored(t *testing.T) {
	x := newStore(t, Options{}).Session("")
	in := Record{"name": "Ada"}
	out := mustCreate(t, x, "users", in)
	if _, ok := in["id"]; ok {
		t.Fatal("Create modified the caller's record")
	}
	got, ok := x.Get("users", "1")
	if !ok || got["name"] != "Ada" || got["id"] != int64(1) {
		t.Fatalf("Get = %v, %v; want the created record", got, ok)
	}
	if out["id"] != got["id"] {
		t.Fatalf("Create returned %v, Get %v", out, got)
	}
}

func TestCreate_UUIDDeterministic(t *testing.T) {
	make3 := func(seed int64) []any {
		x := newStore(t, Options{Seed: seed}).Session("")
		var out []any
		for range 3 {
			out = append(out, mustCreate(t, x, "sites", Record{})["id"])
		}
		return out
	}
	a, b, c := make3(1), make3(1), make3(2)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different ids: %v %v", a, b)
	}
	if slices.Equal(a, c) {
		t.Fatalf("different seeds, same ids: %v", a)
	}
}

func TestGet(t *testing.T) {
	s := seededStore(t)
	x := s.Session("")
	mustCreate(t, x, "hero/users", Record{"userid": "12"})
	for _, tc := range []struct {
		coll, id string
		found    bool
	}{
		{"users", "5", true},
		{"users", "3", false},
		{"users", "05", false},
		{"hero/users", "12", true},
		{"nope", "1", false},
		{"me", "1", false},
	} {
		if _, ok := x.Get(tc.coll, tc.id); ok != tc.found {
			t.Errorf("Get(%s, %s) found = %v, want %v", tc.coll, tc.id, ok, tc.found)
		}
	}
}

func TestReplace(t *testing.T) {
	x := seededStore(t).Session("")
	before, _ := x.Get("users", "2")
	out, err := x.Replace("users", "2", Record{"id": int64(99), "name": "Bea"})
	wantErr(t, err, nil)
	if out["id"] != int64(2) || out["name"] != "Bea" || out["age"] != nil {
		t.Fatalf("Replace = %v, want id 2 kept, name replaced, age gone", out)
	}
	if got, _ := x.Get("users", "2"); got["name"] != "Bea" {
		t.Fatalf("Get after Replace = %v", got)
	}
	if before["name"] != "Bob" {
		t.Fatalf("Replace modified the old record in place: %v", before)
	}
	if _, ok := x.Get("users", "99"); ok {
		t.Fatal("Replace moved the record to the id in the body")
	}
	if page := x.List("users", Query{}); page.Items[1]["name"] != "Bea" {
		t.Fatalf("Replace moved the record in the list: %v", page.Items)
	}
	_, err = x.Replace("users", "4", Record{})
	wantErr(t, err, ErrNotFound)
	_, err = x.Replace("me", "1", Record{})
	wantErr(t, err, ErrWrongKind)
}

func TestMerge(t *testing.T) {
	x := seededStore(t).Session("")
	out, err := x.Merge("users", "1", Record{"age": nil, "id": int64(50), "address": map[string]any{"city": "Leeds"}})
	wantErr(t, err, nil)
	want := Record{"id": int64(1), "name": "Ada", "address": map[string]any{"city": "Leeds"}}
	if !equalJSON(out, want) {
		t.Fatalf("Merge = %v, want %v", out, want)
	}
	out, err = x.Merge("users", "1", Record{"address": map[string]any{"zip": "LS1"}})
	wantErr(t, err, nil)
	if addr := out["address"].(map[string]any); addr["city"] != "Leeds" || addr["zip"] != "LS1" {
		t.Fatalf("nested merge = %v", addr)
	}
	_, err = x.Merge("users", "77", Record{})
	wantErr(t, err, ErrNotFound)
}

func TestDelete(t *testing.T) {
	x := seededStore(t).Session("")
	wantErr(t, x.Delete("users", "2"), nil)
	if _, ok := x.Get("users", "2"); ok {
		t.Fatal("Get found a deleted record")
	}
	wantErr(t, x.Delete("users", "2"), ErrNotFound)
	wantErr(t, x.Delete("nope", "2"), ErrUnknownCollection)
	if n := x.Count("users"); n != 2 {
		t.Fatalf("Count = %d, want 2", n)
	}
	if got := ids(t, "id", x.List("users", Query{}).Items); !slices.Equal(got, []string{"1", "5"}) {
		t.Fatalf("List ids = %v", got)
	}
	// a deleted id is free again, and new ids continue the sequence
	mustCreate(t, x, "users", Record{"id": int64(2)})
	if got := mustCreate(t, x, "users", Record{}); got["id"] != int64(6) {
		t.Fatalf("next id = %v, want 6", got["id"])
	}
}

func TestDelete_ManyCompacts(t *testing.T) {
	x := newStore(t, Options{}).Session("")
	for range 300 {
		mustCreate(t, x, "users", Record{})
	}
	for i := 1; i <= 290; i++ {
		wantErr(t, x.Delete("users", itoa(i)), nil)
	}
	page := x.List("users", Query{Offset: 2, Limit: 3})
	if got := ids(t, "id", page.Items); page.Total != 10 || !slices.Equal(got, []string{"293", "294", "295"}) {
		t.Fatalf("List = %v total %d", got, page.Total)
	}
	if _, ok := x.Get("users", "300"); !ok {
		t.Fatal("Get lost a record after compaction")
	}
	if n := len(x.colls[0].entries); n > 64 {
		t.Fatalf("entries = %d, tombstones were not compacted", n)
	}
}

func TestSoftDelete(t *testing.T) {
	x := seededStore(t).Session("")
	wantErr(t, x.Delete("brands", "1"), nil)
	if _, ok := x.Get("brands", "1"); ok {
		t.Fatal("Get found a soft-deleted record")
	}
	wantErr(t, x.Delete("brands", "1"), ErrNotFound)
	_, err := x.Merge("brands", "1", Record{"name": "x"})
	wantErr(t, err, ErrNotFound)
	if n := x.Count("brands"); n != 1 {
		t.Fatalf("Count = %d, want 1", n)
	}
	if p := x.List("brands", Query{}); p.Total != 1 || len(p.Items) != 1 {
		t.Fatalf("List = %+v, want only the live brand", p)
	}
	p := x.List("brands", Query{IncludeDeleted: true})
	if p.Total != 2 || p.Items[0]["deleted"] != true {
		t.Fatalf("List with deleted = %+v", p)
	}
	_, err = x.Create("brands", Record{"id": int64(1)})
	wantErr(t, err, ErrConflict)
	// a record created already deleted is hidden as well
	mustCreate(t, x, "brands", Record{"id": int64(9), "deleted": true})
	if _, ok := x.Get("brands", "9"); ok || x.Count("brands") != 1 {
		t.Fatal("record created with the soft-delete flag is visible")
	}
}

func TestSingleton(t *testing.T) {
	s := seededStore(t)
	x, y := s.Session(""), s.Session("other")
	if got, ok := x.Singleton("me"); !ok || got["name"] != "Ada" {
		t.Fatalf("Singleton = %v, %v", got, ok)
	}
	_, err := x.SetSingleton("me", Record{"name": "Bob"})
	wantErr(t, err, nil)
	if got, _ := x.Singleton("me"); got["name"] != "Bob" {
		t.Fatalf("Singleton after set = %v", got)
	}
	if got, _ := y.Singleton("me"); got["name"] != "Ada" {
		t.Fatalf("other session sees %v", got)
	}
	_, err = x.SetSingleton("users", Record{})
	wantErr(t, err, ErrWrongKind)
	wantErr(t, x.ClearSingleton("users"), ErrWrongKind)
	wantErr(t, y.ClearSingleton("me"), nil)
	if _, ok := y.Singleton("me"); ok {
		t.Fatal("cleared singleton found")
	}
	if got, _ := x.Singleton("me"); got["name"] != "Bob" {
		t.Fatal("clearing in one session cleared another")
	}
	_, err = x.SetSingleton("me", nil)
	wantErr(t, err, ErrInvalid)
	if _, ok := newStore(t, Options{}).Session("").Singleton("me"); ok {
		t.Fatal("unset singleton found")
	}
	if p := x.List("me", Query{}); p.Total != 0 {
		t.Fatalf("List of a singleton = %+v", p)
	}
}

func TestCapacity(t *testing.T) {
	s := newStore(t, Options{MaxRecordsPerSession: 3})
	x := s.Session("a")
	mustCreate(t, x, "users", Record{})
	mustCreate(t, x, "notes", Record{})
	mustCreate(t, x, "brands", Record{})
	_, err := x.Create("users", Record{})
	wantErr(t, err, ErrCapacity)
	// soft-deleted records still count, removed ones do not
	wantErr(t, x.Delete("brands", "1"), nil)
	_, err = x.Create("users", Record{})
	wantErr(t, err, ErrCapacity)
	wantErr(t, x.Delete("users", "1"), nil)
	mustCreate(t, x, "users", Record{})
	// the cap is per session
	mustCreate(t, s.Session("b"), "users", Record{})
	// and a base over the cap is refused
	err = s.SetBase(map[string][]Record{"users": {{}, {}, {}, {}}})
	wantErr(t, err, ErrCapacity)
}

func TestSetBase(t *testing.T) {
	s := newStore(t, Options{})
	err := s.SetBase(map[string][]Record{
		"users":      {{"name": "a"}, {"id": int64(10), "name": "b"}, {"name": "c"}},
		"hero/users": {{"userid": "4"}},
	})
	wantErr(t, err, nil)
	x := s.Session("")
	if got := ids(t, "id", x.List("users", Query{}).Items); !slices.Equal(got, []string{"11", "10", "12"}) {
		t.Fatalf("base ids = %v, want given id kept and others after it", got)
	}
	if got := mustCreate(t, x, "hero/users", Record{}); got["userid"] != "5" {
		t.Fatalf("next digit id = %v, want 5", got["userid"])
	}
	for _, tc := range []struct {
		name string
		recs map[string][]Record
		err  error
	}{
		{"unknown", map[string][]Record{"nope": {{}}}, ErrUnknownCollection},
		{"duplicate", map[string][]Record{"users": {{"id": int64(1)}, {"id": "1"}}}, ErrConflict},
		{"two singletons", map[string][]Record{"me": {{}, {}}}, ErrInvalid},
		{"bad id", map[string][]Record{"users": {{"id": []any{}}}}, ErrInvalid},
		{"nil record", map[string][]Record{"users": {nil}}, ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := export(t, s)
			wantErr(t, s.SetBase(tc.recs), tc.err)
			if after := export(t, s); string(after) != string(before) {
				t.Fatal("failed SetBase changed the state")
			}
		})
	}
}

func TestIDKey(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
		ok   bool
	}{
		{"abc", "abc", true}, {"", "", false}, {int64(-5), "-5", true}, {5, "5", true},
		{int32(7), "7", true}, {uint64(8), "8", true}, {9.0, "9", true}, {9.5, "", false},
		{json.Number("12"), "12", true}, {json.Number("12.0"), "12", true}, {json.Number("1.5"), "", false},
		{true, "", false}, {nil, "", false}, {[]any{}, "", false},
	} {
		got, err := IDKey(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("IDKey(%#v) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("IDKey(%#v) error %v does not wrap ErrInvalid", tc.in, err)
		}
	}
}

func TestUpdate(t *testing.T) {
	x := seededStore(t).Session("")
	out, err := x.Update("users", "2", func(old Record) (Record, error) {
		r := cloneRecord(old)
		r["age"] = old["age"].(int64) + 1
		r["id"] = "changed"
		return r, nil
	})
	wantErr(t, err, nil)
	if out["age"] != int64(42) || out["id"] != int64(2) {
		t.Fatalf("Update = %v, want age 42 and the id kept", out)
	}
	boom := errors.New("boom")
	before := x.store.Version()
	_, err = x.Update("users", "2", func(Record) (Record, error) { return nil, boom })
	wantErr(t, err, boom)
	_, err = x.Update("users", "2", func(Record) (Record, error) { return nil, nil })
	wantErr(t, err, ErrInvalid)
	if got, _ := x.Get("users", "2"); got["age"] != int64(42) || x.store.Version() != before {
		t.Fatalf("failed Update changed the record: %v", got)
	}
	_, err = x.Update("users", "9", func(old Record) (Record, error) { return old, nil })
	wantErr(t, err, ErrNotFound)
	if out, err := x.Replace("users", "2", nil); err != nil || len(out) != 1 {
		t.Fatalf("Replace with nil = %v, %v; want only the id", out, err)
	}
}
