// Package pretouch makes heap memory resident in bulk, before a burst of allocation needs it.
//
// A process that builds a large heap from nothing (vendormock's start-up allocates ~90 MB
// with the collector held back) takes one page fault for every 4 KiB page it touches first.
// On virtual machines a fault is expensive: on the 2-core Firecracker VM the benchmarks run
// on, touching 100 MiB page by page costs ~330 ms of system time, while asking the kernel to
// populate the same range in one madvise(MADV_POPULATE_WRITE) call costs ~20 ms. This is
// what the JVM's -XX:+AlwaysPreTouch does for its heap.
//
// Heap allocates one large block, has the kernel populate it in one call, and frees it with
// a collection, so that the Go allocator hands out those resident pages (which it zeroes
// itself when it reuses them) instead of fresh ones. Pages that stay unused are returned
// to the OS by the next debug.FreeOSMemory or by the background scavenger.
package pretouch

import (
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

var pageSize = os.Getpagesize()

// Heap makes about n bytes of free heap memory resident and reports how many bytes it
// populated: 0 where the platform or kernel cannot (then nothing changed but one
// collection). n is rounded down to whole pages.
//
// Call it with the collector's percent set to -1 (debug.SetGCPercent) or with a memory
// limit far above n: the freed block must stay resident until the allocation burst that
// follows uses it, and with default pacing on a near-empty heap the scavenger would start
// returning it.
func Heap(n int) int {
	if n <= 0 {
		return 0
	}
	block := make([]byte, n)
	// The whole pages inside the block, in parallel parts: the kernel populates ranges
	// concurrently (~30% faster on 2 cores).
	page := uintptr(pageSize)
	base := uintptr(unsafe.Pointer(unsafe.SliceData(block)))
	start, end := (base+page-1)&^(page-1), (base+uintptr(n))&^(page-1)
	parts := uintptr(min(runtime.GOMAXPROCS(0), 4))
	step := ((end-start)/parts + page - 1) &^ (page - 1)
	var done atomic.Int64
	var wg sync.WaitGroup
	for at := start; step > 0 && at < end; at += step {
		wg.Go(func() { done.Add(int64(populate(at, min(at+step, end)))) })
	}
	wg.Wait()
	runtime.KeepAlive(block)
	runtime.GC() // frees the block's pages into the allocator, resident
	return int(done.Load())
}
