package main

import "golang.org/x/sys/unix"

// disableCoreDumps keeps the process memory, and the CT WiZ password in
// it, out of core files and out of reach of the user's other programs.
// The core size limit alone is not enough on Linux: a core_pattern that
// pipes to a program (systemd-coredump, apport) is fed whatever the
// limit, and systemd-coredump records the environment (CTWIZ_PASSWORD)
// in the journal. A process that is not dumpable is not dumped at all
// (unless fs.suid_dumpable=2, which makes root alone able to read the
// dump), and its /proc files (environ, mem) and ptrace are closed to
// other processes of the same user.
func disableCoreDumps() {
	// Lowering a limit or the dumpable flag is always allowed; if either
	// failed anyway there is nothing the nurse could do, so errors are
	// not reported.
	_ = unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0})
	_ = unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0)
}
