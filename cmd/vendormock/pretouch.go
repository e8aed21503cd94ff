package main

import (
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/vendormock/vendormock/specs"
)

// Start-up builds its heap from nothing with the collector held back, so nearly every byte it
// allocates lands on a fresh page, and each fresh page is a page fault. On virtual machines a
// fault is costly (see internal/pretouch): on the 2-core VM bench.sh runs on, the bundled
// vendors' ~90 MB took ~25,000 faults and ~250 ms of system time, half of start-up. Making
// the heap resident in one call first (pretouch.Heap) saves most of it.
const (
	// Start-up allocates ~80 bytes per byte of description and ~32 KiB more per file
	// (measured with --log-level debug: the bundled vendors, 1.16 MB of YAML in 6 files,
	// allocate 90 MB; a generated spec of 408 KB in 2,861 files allocates 133 MB).
	pretouchPerByte = 80
	pretouchPerFile = 32 << 10
	// pretouchMax bounds what is populated: beyond it pages fault in one by one as before.
	pretouchMax = 256 << 20
	// pretouchScanFiles bounds the files looked at to size a description on disk (a
	// multi-file description's root names the rest only through $refs).
	pretouchScanFiles = 10000
)

// pretouchEstimate is how many bytes of heap to make resident before loading sources, from
// the descriptions' bytes and files, capped. A description on disk counts every .yaml, .yml
// and .json file in its directory tree: the files its $refs can reach.
func pretouchEstimate(sources []specs.Source) int {
	var bytes, files int64
	for _, src := range sources {
		if src.FS != nil {
			if info, err := fs.Stat(src.FS, src.Path); err == nil {
				bytes, files = bytes+info.Size(), files+1
			}
			continue
		}
		b, f := descriptionTree(filepath.Dir(src.Path), pretouchScanFiles)
		bytes, files = bytes+b, files+f
	}
	return int(min(bytes*pretouchPerByte+files*pretouchPerFile, pretouchMax))
}

// descriptionTree sums the sizes of the description files (.yaml, .yml, .json) under dir and
// counts them, skipping hidden directories and looking at most at limit entries.
func descriptionTree(dir string, limit int) (bytes, files int64) {
	seen := 0
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable parts only make the estimate smaller
		}
		if seen++; seen > limit {
			return filepath.SkipAll
		}
		if d.IsDir() {
			if path != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".yaml", ".yml", ".json":
			if info, err := d.Info(); err == nil && info.Mode().IsRegular() {
				bytes, files = bytes+info.Size(), files+1
			}
		}
		return nil
	})
	return bytes, files
}
