package parallel

import (
	"errors"
	"fmt"
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
