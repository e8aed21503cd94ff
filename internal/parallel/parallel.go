// Package parallel runs independent start-up jobs on all cores.
package parallel

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Map applies f to every element, at most GOMAXPROCS at a time, and returns the results in
// input order. The error is the first in input order, so it does not depend on scheduling.
func Map[T, R any](in []T, f func(T) (R, error)) ([]R, error) {
	order := make([]int, len(in))
	for i := range order {
		order[i] = i
	}
	return run(in, order, f)
}

// MapHeaviestFirst is Map that starts the jobs in order of decreasing weight (ties in input
// order): with few cores and one job much larger than the rest, starting it first keeps it
// from finishing last, alone. Results and the error are in input order, as with Map.
func MapHeaviestFirst[T, R any](in []T, weight func(T) int64, f func(T) (R, error)) ([]R, error) {
	order := make([]int, len(in))
	w := make([]int64, len(in))
	for i, v := range in {
		order[i] = i
		w[i] = weight(v)
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(w[b], w[a]) })
	return run(in, order, f)
}

// run starts the jobs in the given order on at most GOMAXPROCS workers.
func run[T, R any](in []T, order []int, f func(T) (R, error)) ([]R, error) {
	out := make([]R, len(in))
	errs := make([]error, len(in))
	workers := min(runtime.GOMAXPROCS(0), len(in))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= len(order) {
					return
				}
				i := order[k]
				out[i], errs[i] = f(in[i])
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
