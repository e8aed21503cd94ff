package state

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
)

func TestSessions_Isolated(t *testing.T) {
	s := seededStore(t)
	def, a, b := s.Session(""), s.Session("a"), s.Session("b")
	if s.Session("a") != a {
		t.Fatal("Session returned a new session for a known id")
	}
	mustCreate(t, a, "users", Record{"name": "only a"})
	_, err := b.Replace("users", "1", Record{"name": "only b"})
	wantErr(t, err, nil)
	wantErr(t, def.Delete("users", "2"), nil)

	for _, tc := range []struct {
		x     *Session
		ids   []string
		name1 string
	}{
		{def, []string{"1", "5"}, "Ada"},
		{a, []string{"1", "2", "5", "6"}, "Ada"},
		{b, []string{"1", "2", "5"}, "only b"},
		{s.Session("c"), []string{"1", "2", "5"}, "Ada"},
	} {
		t.Run("session "+tc.x.ID(), func(t *testing.T) {
			if got := ids(t, "id", tc.x.List("users", Query{}).Items); !slices.Equal(got, tc.ids) {
				t.Fatalf("ids = %v, want %v", got, tc.ids)
			}
			if r, _ := tc.x.Get("users", "1"); r["name"] != tc.name1 {
				t.Fatalf("user 1 = %v, want name %q", r, tc.name1)
			}
		})
	}
	// the base itself is untouched
	if s.base[0].live != 3 {
		t.Fatalf("base holds %d users, want 3", s.base[0].live)
	}
	if got := s.Sessions(); !slices.Equal(got, []string{"", "a", "b", "c"}) {
		t.Fatalf("Sessions = %q", got)
	}
}

func TestSessions_SameIDsInEachSession(t *testing.T) {
	s := seededStore(t)
	for _, id := range []string{"a", "b"} {
		if got := mustCreate(t, s.Session(id), "users", Record{}); got["id"] != int64(6) {
			t.Fatalf("session %s made id %v, want 6 (sequences are per session)", id, got["id"])
		}
	}
}

func TestReset(t *testing.T) {
	s := seededStore(t)
	def, a, b := s.Session(""), s.Session("a"), s.Session("b")
	for _, x := range []*Session{def, a, b} {
		mustCreate(t, x, "users", Record{})
	}
	s.Reset("a")
	if n := a.Count("users"); n != 3 {
		t.Fatalf("a after Reset(a) has %d users, want 3", n)
	}
	if n := b.Count("users"); n != 4 {
		t.Fatalf("b after Reset(a) has %d users, want 4", n)
	}
	if got := mustCreate(t, a, "users", Record{}); got["id"] != int64(6) {
		t.Fatalf("sequence after Reset: id %v, want 6", got["id"])
	}
	s.Reset("")
	if n := def.Count("users"); n != 3 {
		t.Fatalf("default after Reset(\"\") has %d users", n)
	}
	if n := b.Count("users"); n != 4 {
		t.Fatal("Reset(\"\") reset another session")
	}
	s.Reset("unknown") // no panic, no session made
	if slices.Contains(s.Sessions(), "unknown") {
		t.Fatal("Reset created a session")
	}
}

func TestResetAll(t *testing.T) {
	s := seededStore(t)
	def, a := s.Session(""), s.Session("a")
	mustCreate(t, def, "users", Record{})
	mustCreate(t, a, "users", Record{})
	s.ResetAll()
	if got := s.Sessions(); !slices.Equal(got, []string{""}) {
		t.Fatalf("Sessions after ResetAll = %q", got)
	}
	if def.Count("users") != 3 || s.Session("a").Count("users") != 3 {
		t.Fatal("ResetAll kept writes")
	}
	if s.Session("a") == a {
		t.Fatal("ResetAll kept session a")
	}
}

func TestConcurrentCreate(t *testing.T) {
	s := seededStore(t)
	const n = 64
	x := s.Session("busy")
	var wg sync.WaitGroup
	got := make([]Record, n)
	for i := range n {
		wg.Go(func() {
			r, err := x.Create("users", Record{"n": int64(i)})
			if err != nil {
				t.Error(err)
			}
			got[i] = r
		})
	}
	wg.Wait()
	seen := map[any]bool{}
	for _, r := range got {
		if seen[r["id"]] {
			t.Fatalf("id %v made twice", r["id"])
		}
		seen[r["id"]] = true
	}
	if c := x.Count("users"); c != n+3 {
		t.Fatalf("Count = %d, want %d", c, n+3)
	}
	if c := s.Session("").Count("users"); c != 3 {
		t.Fatalf("default session sees %d users", c)
	}
}

func TestConcurrentMixed(t *testing.T) {
	s := seededStore(t)
	var wg sync.WaitGroup
	for w := range 8 {
		sess := fmt.Sprintf("s%d", w%3)
		wg.Go(func() {
			x := s.Session(sess)
			for i := range 200 {
				r, err := x.Create("users", Record{"w": int64(w), "i": int64(i)})
				if err != nil {
					t.Error(err)
					return
				}
				id, _ := IDKey(r["id"])
				switch i % 4 {
				case 1:
					_, err = x.Merge("users", id, Record{"touched": true})
				case 2:
					err = x.Delete("users", id)
				case 3:
					_, err = x.Replace("users", id, Record{"w": int64(w)})
				}
				if err != nil {
					t.Error(err)
				}
			}
		})
		wg.Go(func() {
			x := s.Session(sess)
			for range 200 {
				p := x.List("users", Query{Filters: []Filter{{"w", Gte, []string{"0"}}}, Sort: []SortKey{{Field: "i", Desc: true}}, Limit: 5})
				if len(p.Items) > 5 || p.Total < len(p.Items) {
					t.Errorf("inconsistent page: %d items, total %d", len(p.Items), p.Total)
				}
				x.Get("users", "1")
				x.Count("users")
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if err := s.Export(discard{}); err != nil {
				t.Error(err)
			}
			if _, err := s.Session("spare").Create("users", Record{}); err != nil {
				t.Error(err)
			}
			s.Reset("spare") // writers never see this session, so their reads stay valid
		}
	})
	wg.Wait()
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func TestSessions_CopyOnWriteSharesUntilWrite(t *testing.T) {
	s := seededStore(t)
	x := s.Session("cow")
	for i := range testCollections {
		if x.colls[i] != s.base[i] {
			t.Fatalf("new session copied collection %s", testCollections[i].Name)
		}
	}
	before, _ := x.Get("users", "1")
	mustCreate(t, x, "users", Record{})
	if x.colls[0] == s.base[0] {
		t.Fatal("write went to the shared base")
	}
	for i := 1; i < len(testCollections); i++ {
		if x.colls[i] != s.base[i] {
			t.Fatalf("write to users copied %s too", testCollections[i].Name)
		}
	}
	if after, _ := x.Get("users", "1"); !sameMap(before, after) {
		t.Fatal("copy-on-write copied the records, not just the index")
	}
}

// sameMap reports whether two records are the same map, not just equal ones.
func sameMap(a, b Record) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

func TestChanged(t *testing.T) {
	s := seededStore(t)
	<-s.Changed() // SetBase
	v := s.Version()
	x := s.Session("")
	for _, write := range []func() error{
		func() error { _, err := x.Create("users", Record{}); return err },
		func() error { _, err := x.Merge("users", "1", Record{"a": int64(1)}); return err },
		func() error { _, err := x.Replace("users", "1", Record{}); return err },
		func() error { return x.Delete("users", "1") },
		func() error { _, err := x.SetSingleton("me", Record{}); return err },
		func() error { s.Reset(""); return nil },
		func() error { s.ResetAll(); return nil },
	} {
		if err := write(); err != nil {
			t.Fatal(err)
		}
		select {
		case <-s.Changed():
		default:
			t.Fatal("a write did not signal Changed")
		}
		if s.Version() <= v {
			t.Fatal("a write did not move Version")
		}
		v = s.Version()
	}
	x.Get("users", "2")
	x.List("users", Query{})
	x.Count("users")
	if _, err := x.Create("users", Record{"id": int64(2)}); err == nil {
		t.Fatal("conflicting create succeeded")
	}
	select {
	case <-s.Changed():
		t.Fatal("reads or a failed write signalled Changed")
	default:
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{IDInt.String(), "int"}, {IDDigits.String(), "digits"}, {IDUUID.String(), "uuid"},
		{IDString.String(), "string"}, {IDKind(7).String(), "IDKind(7)"},
		{Eq.String(), "eq"}, {Gte.String(), "gte"}, {Lte.String(), "lte"}, {Gt.String(), "gt"},
		{Lt.String(), "lt"}, {Contains.String(), "contains"}, {FilterOp(9).String(), "FilterOp(9)"},
	} {
		if tc.got != tc.want {
			t.Errorf("String() = %q, want %q", tc.got, tc.want)
		}
	}
	s := seededStore(t)
	if got := s.Collections(); len(got) != len(testCollections) || got[0].Name != "users" {
		t.Fatalf("Collections = %v", got)
	}
	if id := s.Session("abc").ID(); id != "abc" {
		t.Fatalf("ID = %q", id)
	}
}
