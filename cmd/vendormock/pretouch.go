package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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
	// Start-up allocates ~110 bytes per byte of description and ~32 KiB more per file
	// (measured with --log-level debug: the bundled vendors, 1.16 MB of YAML in 6 files,
	// allocate 129 MB, detaching included; a generated spec of 408 KB in 2,861 files
	// allocates 138 MB).
	pretouchPerByte = 110
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

// cgroupMemoryLimit reads the memory limit of the process's cgroup from the cgroup file
// system (cgroup: /sys/fs/cgroup) and /proc/self/cgroup (self), or 0 when there is none or it
// cannot be read: memory.max on cgroup v2, memory/memory.limit_in_bytes on v1 (where "no limit"
// is a huge number). It looks in the process's own cgroup first (a systemd unit, a pod whose
// cgroups are not namespaced), then at the root, which is the container's own in a container
// with a cgroup namespace.
func cgroupMemoryLimit(cgroup fs.FS, self []byte) int64 {
	var candidates []string
	for _, line := range strings.Split(string(self), "\n") {
		// "0::/path" on v2, "4:memory:/path" (or "4:cpu,memory:/path") on v1.
		parts := strings.SplitN(strings.TrimSpace(line), ":", 3)
		if len(parts) != 3 {
			continue
		}
		dir := strings.Trim(parts[2], "/")
		if dir == "" || !fs.ValidPath(dir) {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "":
			candidates = append(candidates, dir+"/memory.max")
		case slices.Contains(strings.Split(parts[1], ","), "memory"):
			candidates = append(candidates, "memory/"+dir+"/memory.limit_in_bytes")
		}
	}
	candidates = append(candidates, "memory.max", "memory/memory.limit_in_bytes")
	for _, name := range candidates {
		data, err := fs.ReadFile(cgroup, name)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
		if err != nil || n <= 0 || n >= 1<<60 { // "max", or v1's unlimited
			continue
		}
		return n
	}
	return 0
}
