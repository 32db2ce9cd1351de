package main

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestDisableCoreDumpsNotDumpable(t *testing.T) {
	disableCoreDumps()
	d, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d != 0 {
		t.Fatalf("PR_GET_DUMPABLE = %d, want 0: a core_pattern pipe would still get the memory", d)
	}
}
