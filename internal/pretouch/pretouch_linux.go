package pretouch

import "syscall"

// madvPopulateWrite is MADV_POPULATE_WRITE (Linux 5.14): fault a range in, writable, in one
// call. The syscall package does not name it.
const madvPopulateWrite = 23

// populate makes the pages of [start, end) resident (both page-aligned) and returns the
// bytes populated, or 0 when the kernel refuses (EINVAL before 5.14).
func populate(start, end uintptr) int {
	if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, start, end-start, madvPopulateWrite); errno != 0 {
		return 0
	}
	return int(end - start)
}
