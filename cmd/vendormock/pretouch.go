package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
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
	// pretouchScanFiles bounds the directory entries looked at to size a multi-file
	// description on disk.
	pretouchScanFiles = 5000
)

// pretouchEstimate is how many bytes of heap to make resident before loading sources, from
// the descriptions' bytes and files, capped. A description on disk whose $refs name other
// files counts every .yaml, .yml and .json file in its directory tree: the files its $refs
// can reach.
func pretouchEstimate(sources []specs.Source) int {
	var size, files int64
	for _, src := range sources {
		if src.FS != nil { // bundled: one file each
			if info, err := fs.Stat(src.FS, src.Path); err == nil {
				size, files = size+info.Size(), files+1
			}
			continue
		}
		info, err := os.Stat(src.Path)
		if err != nil {
			continue // loading reports it
		}
		if info.Size() >= pretouchMax/pretouchPerByte {
			return pretouchMax // no need to read it: it reaches the cap alone
		}
		data, err := os.ReadFile(src.Path)
		if err != nil {
			continue
		}
		if !hasExternalRef(data) {
			size, files = size+int64(len(data)), files+1
			continue
		}
		b, f := descriptionTree(filepath.Dir(src.Path), pretouchScanFiles)
		size, files = size+b, files+f
	}
	return int(min(size*pretouchPerByte+files*pretouchPerFile, pretouchMax))
}

// hasExternalRef reports whether a description, JSON or YAML, has a $ref whose value does
// not start with '#': one that names another file.
func hasExternalRef(data []byte) bool {
	for {
		i := bytes.Index(data, []byte("$ref"))
		if i < 0 {
			return false
		}
		data = data[i+len("$ref"):]
		rest := bytes.TrimLeft(data, "\"' \t")
		if len(rest) == 0 || rest[0] != ':' {
			continue
		}
		rest = bytes.TrimLeft(rest[1:], "\"' \t")
		if len(rest) > 0 && rest[0] != '#' && rest[0] != '\n' && rest[0] != '\r' {
			return true
		}
	}
}

// descriptionTree sums the sizes of the description files (.yaml, .yml, .json) under dir and
// counts them, skipping hidden directories and looking at most at limit entries.
func descriptionTree(dir string, limit int) (size, files int64) {
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
				size, files = size+info.Size(), files+1
			}
		}
		return nil
	})
	return size, files
}

// capToContainer keeps an estimated pretouch to half of the container's memory limit (0: no
// limit known): an estimate that overshoots must not take a small container's memory at once.
func capToContainer(touch int, limit int64) int {
	if limit > 0 && int64(touch) > limit/2 {
		return int(limit / 2)
	}
	return touch
}

// cgroupMemoryLimit reads the memory limit of the process's cgroup from its file system
// (/sys/fs/cgroup: memory.max on cgroup v2, memory/memory.limit_in_bytes on v1), or 0 when
// there is none or it cannot be read. v1 writes "no limit" as a huge number.
func cgroupMemoryLimit(cgroup fs.FS) int64 {
	for _, name := range []string{"memory.max", "memory/memory.limit_in_bytes"} {
		data, err := fs.ReadFile(cgroup, name)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
		if err != nil || n <= 0 || n >= 1<<60 { // "max", or v1's unlimited
			return 0
		}
		return n
	}
	return 0
}
