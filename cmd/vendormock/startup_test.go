package main

import (
	"errors"
	"io"
	"log/slog"
	"runtime/debug"
	"testing"

	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/specs"
)

func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestBuildWithoutGCRestoresSettings(t *testing.T) {
	before := debug.SetGCPercent(77)
	defer debug.SetGCPercent(before)

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	_, _, gc, err := buildWithoutGC(1<<20, 0, logger, func() (*specs.Catalog, *mock.Server, error) {
		if p := gcPercent(); p != -1 {
			t.Errorf("during build: GC percent %d, want -1 (off)", p)
		}
		return nil, nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := gcPercent(); p != -1 {
		t.Errorf("before settle: GC percent %d, want -1 (still off)", p)
	}
	done := make(chan struct{})
	go func() { gc.settle(); close(done) }()
	gc.settle() // waits for the one running
	<-done
	if p := gcPercent(); p != 77 {
		t.Errorf("after settle: GC percent %d, want 77", p)
	}

	boom := errors.New("boom")
	_, _, _, err = buildWithoutGC(0, 0, logger, func() (*specs.Catalog, *mock.Server, error) { return nil, nil, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if p := gcPercent(); p != 77 {
		t.Errorf("after a failed build: GC percent %d, want 77", p)
	}
}

func TestSoftMemoryLimit(t *testing.T) {
	const gib = 1 << 30
	cases := []struct {
		name       string
		gomemlimit string
		container  int64
		want       int64
	}{
		{"no container limit", "", 0, 0},
		{"container limit", "", gib, gib / 10 * 9},
		{"GOMEMLIMIT set", "500MiB", gib, 0},
		{"GOMEMLIMIT off", "off", gib, 0},
	}
	for _, tc := range cases {
		if got := softMemoryLimit(tc.gomemlimit, tc.container); got != tc.want {
			t.Errorf("%s: softMemoryLimit(%q, %d) = %d, want %d", tc.name, tc.gomemlimit, tc.container, got, tc.want)
		}
	}
}

// In a limited container the soft limit bounds start-up too (below the usual start-up cap),
// and is the runtime's memory limit once start-up settles.
func TestBuildWithoutGCSoftLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	const soft = 300 << 20
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	_, _, gc, err := buildWithoutGC(0, soft, logger, func() (*specs.Catalog, *mock.Server, error) {
		if l := debug.SetMemoryLimit(-1); l != soft {
			t.Errorf("during build: memory limit %d, want %d", l, soft)
		}
		return nil, nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	gc.settle()
	if l := debug.SetMemoryLimit(-1); l != soft {
		t.Errorf("after settle: memory limit %d, want %d", l, soft)
	}
}
