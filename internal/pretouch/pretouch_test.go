package pretouch

import (
	"runtime"
	"runtime/debug"
	"syscall"
	"testing"
)

func TestHeapNothing(t *testing.T) {
	for _, n := range []int{0, -1, -1 << 40} {
		if got := Heap(n); got != 0 {
			t.Errorf("Heap(%d) = %d, want 0", n, got)
		}
	}
}

func minorFaults(t *testing.T) int64 {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return ru.Minflt
}

// allocate allocates n bytes in 1 KiB objects and writes to each, as start-up builds its
// heap, and returns the minor page faults that took.
func allocate(t *testing.T, n int) ([][]byte, int64) {
	t.Helper()
	before := minorFaults(t)
	keep := make([][]byte, 0, n>>10)
	for range cap(keep) {
		b := make([]byte, 1<<10)
		b[0], b[len(b)-1] = 1, 1
		keep = append(keep, b)
	}
	return keep, minorFaults(t) - before
}

// TestHeapSparesFaults checks what Heap is for: allocations after it land on resident pages
// instead of faulting fresh ones in one at a time.
func TestHeapSparesFaults(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("populating is Linux-only; elsewhere Heap only collects")
	}
	if raceEnabled {
		t.Skip("under -race every heap page also faults in its shadow memory, which Heap does not populate")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // as start-up runs it
	const n = 32 << 20
	control, fresh := allocate(t, n) // kept: its pages must not be reused below
	got := Heap(2 * n)
	if got == 0 {
		t.Skip("the kernel refuses MADV_POPULATE_WRITE (before Linux 5.14)")
	}
	if got > 2*n || got < 2*n-4*pageSize*runtime.GOMAXPROCS(0) {
		t.Fatalf("Heap(%d) populated %d bytes, want nearly all", 2*n, got)
	}
	keep, faults := allocate(t, n)
	runtime.KeepAlive(control)
	runtime.KeepAlive(keep)
	t.Logf("%d MiB: %d page faults on fresh heap, %d after Heap", n>>20, fresh, faults)
	if fresh < int64(n/pageSize/2) {
		t.Fatalf("the control took %d faults for %d pages: this kernel faults in more than a page at a time, so the test measures nothing", fresh, n/pageSize)
	}
	if faults > fresh/4 {
		t.Errorf("after Heap allocating took %d page faults, want at most a quarter of the %d it took on fresh heap", faults, fresh)
	}
}
