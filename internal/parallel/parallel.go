// Package parallel runs independent start-up jobs on all cores.
package parallel

import (
	"runtime"
	"sync"
)

// Map applies f to every element, at most GOMAXPROCS at a time, and returns the results in
// input order. The error is the first in input order, so it does not depend on scheduling.
func Map[T, R any](in []T, f func(T) (R, error)) ([]R, error) {
	out := make([]R, len(in))
	errs := make([]error, len(in))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, v := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i], errs[i] = f(v)
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
