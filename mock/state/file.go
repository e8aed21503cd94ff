package state

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// SaveFile writes the state (as Export does) to path atomically: it writes a temporary file
// in the same directory, syncs it, renames it over path and syncs the directory, so path
// always holds either the previous state or the new one, even after a crash.
func (s *Store) SaveFile(path string) error {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	version := s.Version() // read before the snapshot: a change racing the save is saved again later
	doc, err := s.capture(false)
	if err != nil {
		return fmt.Errorf("save state %s: %w", path, err)
	}
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, tempPattern(name))
	if err != nil {
		return fmt.Errorf("save state %s: %w", path, err)
	}
	tmp := f.Name()
	err = s.writeDocument(f, doc)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		// the temporary file is ours and useless now; a failure to remove it changes nothing
		_ = os.Remove(tmp)
		return fmt.Errorf("save state %s: %w", path, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("save state %s: sync directory: %w", path, err)
	}
	s.saved.Store(version)
	return nil
}

func tempPattern(name string) string { return "." + name + ".tmp-*" }

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// LoadFile imports the state saved at path; a missing file loads nothing and is no error.
// Temporary files a crashed SaveFile left next to path are removed.
func (s *Store) LoadFile(path string) error {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if stale, err := filepath.Glob(filepath.Join(dir, tempPattern(name))); err == nil {
		for _, p := range stale {
			if err := os.Remove(p); err != nil {
				s.log.Warn("remove stale state file", "file", p, "error", err)
			}
		}
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load state: %w", err)
	}
	defer f.Close() // read-only: a close error cannot lose data
	if err := s.Import(f); err != nil {
		return fmt.Errorf("load state %s: %w", path, err)
	}
	s.saved.Store(s.Version()) // the file holds this state already
	return nil
}

// Autosave saves the state to path after changes, at most once per interval (the first
// change after a quiet interval is saved at once, later ones are gathered until the
// interval has passed), and once more when ctx ends if anything changed since the last
// save. It returns when that final save is done, with its error. Failed saves in between
// are logged and retried after the next change. Changes made before Autosave starts count
// unless LoadFile or SaveFile wrote them. Autosave consumes Changed; run one per store.
func (s *Store) Autosave(ctx context.Context, path string, interval time.Duration) error {
	var last time.Time
	dirty := func() bool { return s.Version() != s.saved.Load() }
	save := func() error {
		err := s.SaveFile(path)
		last = s.now()
		if s.onSave != nil {
			s.onSave(err)
		}
		return err
	}
	final := func() error {
		if !dirty() {
			return nil
		}
		return save()
	}
	if dirty() {
		s.signal() // make sure the loop sees changes made before it started
	}
	for {
		select {
		case <-ctx.Done():
			return final()
		case <-s.changed:
		}
		if !last.IsZero() {
			if wait := interval - s.now().Sub(last); wait > 0 {
				select {
				case <-ctx.Done():
					return final()
				case <-s.after(wait):
				}
			}
		}
		if !dirty() {
			continue
		}
		if err := save(); err != nil {
			s.log.ErrorContext(ctx, "autosave state", "file", path, "error", err)
		}
	}
}
