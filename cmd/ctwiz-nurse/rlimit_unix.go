//go:build unix && !linux

package main

import "golang.org/x/sys/unix"

// disableCoreDumps sets the core file size limit to 0 so a crash never
// writes the process memory, and the CT WiZ password in it, to disk.
func disableCoreDumps() {
	// Lowering a limit is always allowed; if it failed anyway there is
	// nothing the nurse could do about it, so the error is not reported.
	_ = unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0})
}
