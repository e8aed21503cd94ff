package parallel

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

func TestMapKeepsOrderAndFirstError(t *testing.T) {
	in := make([]int, 50)
	for i := range in {
		in[i] = i
	}
	out, err := Map(in, func(v int) (string, error) { return fmt.Sprint(v * 2), nil })
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range out {
		if s != fmt.Sprint(i*2) {
			t.Fatalf("out[%d] = %s", i, s)
		}
	}
	var ran atomic.Int32
	_, err = Map(in, func(v int) (int, error) {
		ran.Add(1)
		if v == 7 || v == 30 {
			return 0, fmt.Errorf("job %d failed", v)
		}
		return v, nil
	})
	if err == nil || err.Error() != "job 7 failed" {
		t.Errorf("err = %v, want the first failure in input order", err)
	}
	if ran.Load() != int32(len(in)) {
		t.Errorf("%d jobs ran, want all %d", ran.Load(), len(in))
	}
	if out, err := Map([]int(nil), func(int) (int, error) { return 0, errors.New("never") }); err != nil || len(out) != 0 {
		t.Errorf("empty input: %v %v", out, err)
	}
}

func TestMapHeaviestFirstStartsHeavyJobsFirst(t *testing.T) {
	in := []int{3, 9, 1, 9, 5}
	var mu sync.Mutex
	var started []int
	out, err := MapHeaviestFirst(in, func(v int) int64 { return int64(v) }, func(v int) (int, error) {
		mu.Lock()
		started = append(started, v)
		mu.Unlock()
		if v == 1 || v == 5 {
			return 0, fmt.Errorf("job %d failed", v)
		}
		return v * 10, nil
	})
	if err == nil || err.Error() != "job 1 failed" {
		t.Errorf("err = %v, want the first failure in input order", err)
	}
	if out != nil {
		t.Errorf("out = %v, want nil on error", out)
	}
	if len(started) != len(in) || started[0] != 9 {
		t.Errorf("started %v, want all jobs, a weight-9 one first", started)
	}
	out, err = MapHeaviestFirst([]int{2, 7, 4}, func(v int) int64 { return int64(v) }, func(v int) (int, error) { return v * 10, nil })
	if err != nil || fmt.Sprint(out) != "[20 70 40]" {
		t.Errorf("out = %v, %v; want [20 70 40] in input order", out, err)
	}
}
