package specs

import (
	"os"
	"runtime"
	"testing"
	"time"

	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// TestDetachSize (a measurement, run by hand: VENDORMOCK_DETACH=1) detaches every bundled
// vendor's model and reports the time it takes and the heap the copies keep.
func TestDetachSize(t *testing.T) {
	if os.Getenv("VENDORMOCK_DETACH") == "" {
		t.Skip("a measurement: VENDORMOCK_DETACH=1")
	}
	var took time.Duration
	cat, err := Load(t.Context(), Bundled(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var m0, m1, m2 runtime.MemStats
	runtime.ReadMemStats(&m0)
	var copies []*v3.Document
	t0 := time.Now()
	defer func() { t.Logf("detach took %v", took) }()
	for _, v := range cat.Vendors {
		d := newDetacher(v)
		copies = append(copies, detach(d, v.Model))
		t.Logf("%s: %d schemas", v.Name, len(d.schemas))
	}
	took = time.Since(t0)
	runtime.GC()
	runtime.ReadMemStats(&m1)
	cat = nil
	runtime.GC()
	runtime.ReadMemStats(&m2)
	t.Logf("heap with documents: %d MiB; with documents and copies: %d MiB; copies alone: %d MiB",
		m0.HeapAlloc>>20, m1.HeapAlloc>>20, m2.HeapAlloc>>20)
	runtime.KeepAlive(copies)
}

// TestDetachTime detaches each vendor twice: the first time also builds the schemas
// libopenapi builds lazily, the second only copies.
func TestDetachTime(t *testing.T) {
	if os.Getenv("VENDORMOCK_DETACH") == "" {
		t.Skip("a measurement: VENDORMOCK_DETACH=1")
	}
	cat, err := Load(t.Context(), Bundled(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range cat.Vendors {
		t0 := time.Now()
		detach(newDetacher(v), v.Model)
		first := time.Since(t0)
		t1 := time.Now()
		d := newDetacher(v)
		detach(d, v.Model)
		t.Logf("%s: first %v (builds and copies), second %v (copies) (%d schemas)", v.Name, first, time.Since(t1), len(d.schemas))
	}
}
