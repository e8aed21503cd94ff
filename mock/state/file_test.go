package state

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSaveFile_LoadFile(t *testing.T) {
	src := busyStore(t)
	path := filepath.Join(t.TempDir(), "state.json")
	if err := src.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, src.Session(""), "users", Record{"name": "second save"})
	if err := src.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	dst := seededStore(t)
	if err := dst.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if got, want := export(t, dst), export(t, src); !bytes.Equal(got, want) {
		t.Fatalf("loaded state differs:\n%s\nwant\n%s", got, want)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("directory holds %d files, want only the state file", len(entries))
	}
}

func TestLoadFile_Missing(t *testing.T) {
	s := busyStore(t)
	before := export(t, s)
	if err := s.LoadFile(filepath.Join(t.TempDir(), "none.json")); err != nil {
		t.Fatalf("LoadFile of a missing file: %v", err)
	}
	if !bytes.Equal(export(t, s), before) {
		t.Fatal("LoadFile of a missing file changed the state")
	}
}

func TestLoadFile_CorruptKeepsState(t *testing.T) {
	s := busyStore(t)
	before := export(t, s)
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	stale := filepath.Join(dir, ".state.json.tmp-123")
	for _, f := range []string{path, stale} {
		if err := os.WriteFile(f, []byte(`{"format":"vendormock-state"`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	wantErr(t, s.LoadFile(path), ErrInvalid)
	if !bytes.Equal(export(t, s), before) {
		t.Fatal("a corrupt file changed the state")
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatalf("stale temporary file kept: %v", err)
	}
}

func TestSaveFile_Errors(t *testing.T) {
	s := busyStore(t)
	if err := s.SaveFile(filepath.Join(t.TempDir(), "no", "such", "dir", "state.json")); err == nil {
		t.Fatal("SaveFile into a missing directory succeeded")
	}
	mustCreate(t, s.Session(""), "users", Record{"bad": make(chan int)})
	dir := t.TempDir()
	if err := s.SaveFile(filepath.Join(dir, "state.json")); err == nil {
		t.Fatal("SaveFile of an unencodable record succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("failed save left %d files", len(entries))
	}
}

// fakeTimer drives Autosave: Now reads clock, and each wait shows up on waits.
type fakeTimer struct {
	clock time.Time
	waits chan time.Duration
	fire  chan time.Time
}

func TestAutosave(t *testing.T) {
	ft := &fakeTimer{clock: fixedNow, waits: make(chan time.Duration, 1), fire: make(chan time.Time)}
	now := make(chan time.Time, 100) // Autosave reads the clock only from its goroutine
	s := newStore(t, Options{Now: func() time.Time { return <-now }})
	s.after = func(d time.Duration) <-chan time.Time { ft.waits <- d; return ft.fire }
	saves := make(chan error, 10)
	s.onSave = func(err error) { saves <- err }
	path := filepath.Join(t.TempDir(), "state.json")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Autosave(ctx, path, time.Second) }()
	x := s.Session("")

	load := func() int {
		t.Helper()
		dst := newStore(t, Options{})
		if err := dst.LoadFile(path); err != nil {
			t.Fatal(err)
		}
		return dst.Session("").Count("users")
	}

	// the first change is saved at once
	now <- fixedNow
	mustCreate(t, x, "users", Record{})
	if err := <-saves; err != nil {
		t.Fatal(err)
	}
	if n := load(); n != 1 {
		t.Fatalf("file holds %d users after the first save, want 1", n)
	}

	// changes within the interval wait for the rest of it
	now <- fixedNow.Add(300 * time.Millisecond) // read when the change arrives
	mustCreate(t, x, "users", Record{})
	if d := <-ft.waits; d != 700*time.Millisecond {
		t.Fatalf("Autosave waits %v, want the remaining 700ms", d)
	}
	mustCreate(t, x, "users", Record{})
	if n := load(); n != 1 {
		t.Fatalf("file holds %d users before the interval ended, want 1", n)
	}
	now <- fixedNow.Add(time.Second) // read after the save
	ft.fire <- fixedNow.Add(time.Second)
	if err := <-saves; err != nil {
		t.Fatal(err)
	}
	if n := load(); n != 3 {
		t.Fatalf("file holds %d users after the interval, want both changes (3)", n)
	}

	// a change pending when ctx ends is saved before Autosave returns
	now <- fixedNow.Add(1200 * time.Millisecond)
	mustCreate(t, x, "users", Record{})
	<-ft.waits
	now <- fixedNow.Add(1300 * time.Millisecond)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Autosave = %v", err)
	}
	if n := load(); n != 4 {
		t.Fatalf("file holds %d users after shutdown, want 4", n)
	}
}

func TestAutosave_NothingChanged(t *testing.T) {
	s := newStore(t, Options{})
	path := filepath.Join(t.TempDir(), "state.json")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Autosave(ctx, path, time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("Autosave without changes wrote the file: %v", err)
	}
}

func TestAutosave_FinalSaveError(t *testing.T) {
	s := newStore(t, Options{})
	mustCreate(t, s.Session(""), "users", Record{})
	<-s.Changed() // the change happened before Autosave started, and is still saved
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Autosave(ctx, filepath.Join(t.TempDir(), "missing", "state.json"), time.Second); err == nil {
		t.Fatal("Autosave hid the error of the final save")
	}
}

func TestAutosave_LoadedStateIsNotSavedAgain(t *testing.T) {
	src := busyStore(t)
	path := filepath.Join(t.TempDir(), "state.json")
	if err := src.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	dst := seededStore(t)
	if err := dst.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := dst.Autosave(ctx, path, time.Second); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.Stat(path); !os.SameFile(before, after) {
		t.Fatal("Autosave rewrote a file that already held the state")
	}
}
