package state

import (
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strconv"
	"sync"
	"testing"
)

func baseUser(i int) Record {
	return Record{
		"id": int64(i), "name": fmt.Sprintf("User%d", i), "age": int64(20 + i%50), "score": float64(i) / 4,
		"tags":    []any{"t" + strconv.Itoa(i%3), int64(i)},
		"address": map[string]any{"city": fmt.Sprintf("City%d", i%7), "zip": "LS1"},
	}
}

// TestConcurrentSessions runs writers, each in its own session over a shared base, readers
// of the base and of a session being written, exports (which share collections again) and
// collections (which clear the weak part of the cache) at once, and checks every answer.
// Run it with -race.
func TestConcurrentSessions(t *testing.T) {
	const n = 300
	s := newStore(t, Options{})
	base := make([]Record, n)
	for i := range base {
		base[i] = baseUser(i + 1)
	}
	if err := s.SetBase(map[string][]Record{"users": base}); err != nil {
		t.Fatal(err)
	}
	rounds := 400
	if testing.Short() {
		rounds = 100
	}
	errs := make(chan error, 100)
	fail := func(format string, args ...any) {
		select {
		case errs <- fmt.Errorf(format, args...):
		default:
		}
	}
	checkBase := func(x *Session, i int) {
		id := strconv.Itoa(i)
		got, ok := x.Get("users", id)
		if !ok || !reflect.DeepEqual(got, baseUser(i)) {
			fail("session %q: base record %s = %v, %v", x.ID(), id, got, ok)
		}
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			x := s.Session("writer" + strconv.Itoa(w))
			own := map[string]Record{}
			var ids []string
			for i := range rounds {
				switch i % 6 {
				case 0, 5:
					rec := Record{"name": fmt.Sprintf("w%d-%d", w, i), "age": int64(i), "tags": []any{"own"}, "address": map[string]any{"city": "Own"}}
					out, err := x.Create("users", rec)
					if err != nil {
						fail("create: %v", err)
						return
					}
					id, _ := IDKey(out["id"])
					want := cloneRecord(rec)
					want["id"] = out["id"]
					own[id], ids = want, append(ids, id)
				case 1:
					id := ids[i%len(ids)]
					out, err := x.Merge("users", id, Record{"age": int64(-i), "address": map[string]any{"zip": "Z"}})
					if err != nil {
						fail("merge %s: %v", id, err)
						return
					}
					want := MergePatch(own[id], Record{"age": int64(-i), "address": map[string]any{"zip": "Z"}}).(map[string]any)
					if !reflect.DeepEqual(out, Record(want)) {
						fail("merge %s = %v, want %v", id, out, want)
					}
					own[id] = want
				case 2:
					for id, want := range own {
						if got, ok := x.Get("users", id); !ok || !reflect.DeepEqual(got, want) {
							fail("session %q: own record %s = %v, want %v", x.ID(), id, got, want)
						}
					}
				case 3:
					checkBase(x, n/2+1+(i*7)%(n/2)) // the upper half stays as the base has it
					if i%4 == 3 {
						if _, err := x.Merge("users", strconv.Itoa(1+i%(n/2)), Record{"name": "changed"}); err != nil {
							fail("merge base: %v", err)
						}
					}
				case 4:
					p := x.List("users", Query{Filters: []Filter{{Field: "tags", Op: Eq, Values: []string{"own"}}}, Sort: []SortKey{{Field: "age", Desc: true}}})
					if p.Total != len(own) {
						fail("session %q lists %d own records, has %d", x.ID(), p.Total, len(own))
					}
					for _, rec := range p.Items {
						id, _ := IDKey(rec["id"])
						if !reflect.DeepEqual(rec, own[id]) {
							fail("listed %v, want %v", rec, own[id])
						}
					}
				}
				if i%97 == 0 {
					runtime.GC()
				}
			}
		})
	}
	for r := range 2 {
		wg.Go(func() {
			x := s.Session("reader" + strconv.Itoa(r))
			for i := range rounds * 2 {
				checkBase(x, 1+(i*13+r)%n)
				p := x.List("users", Query{Filters: []Filter{{Field: "address.city", Op: Eq, Values: []string{"city3"}}}, Search: "user", Offset: i % 20, Limit: 5})
				for _, rec := range p.Items {
					id, _ := IDKey(rec["id"])
					k, _ := strconv.Atoi(id)
					if !reflect.DeepEqual(rec, baseUser(k)) {
						fail("reader listed %v", rec)
					}
				}
			}
		})
	}
	// one session written and read at once
	shared := s.Session("shared")
	wg.Go(func() {
		for i := range rounds {
			if _, err := shared.Create("users", Record{"name": "s" + strconv.Itoa(i), "i": int64(i)}); err != nil {
				fail("shared create: %v", err)
			}
			if i%3 == 0 {
				if err := shared.Delete("users", strconv.Itoa(1+i/3)); err != nil {
					fail("shared delete: %v", err)
				}
			}
		}
	})
	wg.Go(func() {
		for i := range rounds {
			p := shared.List("users", Query{Sort: []SortKey{{Field: "i"}}, Offset: i, Limit: 10})
			for _, rec := range p.Items {
				if v, ok := rec["i"]; ok && rec["name"] != "s"+fmt.Sprint(v) {
					fail("shared session listed %v", rec)
				}
			}
		}
	})
	wg.Go(func() {
		for range rounds / 20 {
			if err := s.Export(io.Discard); err != nil {
				fail("export: %v", err)
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// the maps handed out were not modified: they still decode from the frozen records
	for _, id := range s.Sessions() {
		x := s.Session(id)
		for _, e := range x.colls[0].entries {
			if e.rec != nil && !reflect.DeepEqual(s.record(e.rec), e.rec.decode()) {
				t.Fatalf("session %q: cached record %s differs from its frozen form", id, e.id)
			}
		}
	}
}

// TestCache_SurvivesCollection: the records read last keep their decoded map through a
// garbage collection; the others are decoded again, equal.
func TestCache_SurvivesCollection(t *testing.T) {
	s := newStore(t, Options{})
	x := s.Session("")
	var ids []string
	for i := range 2 * ringSize {
		out := mustCreate(t, x, "users", baseUser(i+1))
		id, _ := IDKey(out["id"])
		ids = append(ids, id)
	}
	first, _ := x.Get("users", ids[0])
	last, _ := x.Get("users", ids[len(ids)-1])
	runtime.GC()
	runtime.GC()
	if again, _ := x.Get("users", ids[len(ids)-1]); !sameMap(again, last) {
		t.Fatal("the record read last was decoded again after a collection")
	}
	if again, _ := x.Get("users", ids[0]); !reflect.DeepEqual(again, first) {
		t.Fatalf("record decoded again = %v, want %v", again, first)
	}
	hot, _ := x.Get("users", ids[1])
	for i := range 3 * ringSize { // reading keeps a record in the ring while others come and go
		x.Get("users", ids[i%len(ids)])
		x.Get("users", ids[1])
	}
	runtime.GC()
	if again, _ := x.Get("users", ids[1]); !sameMap(again, hot) {
		t.Fatal("a hot record left the cache")
	}
}
