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
	_, _, gc, err := buildWithoutGC(1<<20, logger, func() (*specs.Catalog, *mock.Server, error) {
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
	_, _, _, err = buildWithoutGC(0, logger, func() (*specs.Catalog, *mock.Server, error) { return nil, nil, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if p := gcPercent(); p != 77 {
		t.Errorf("after a failed build: GC percent %d, want 77", p)
	}
}
