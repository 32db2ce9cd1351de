//go:build !unix

package main

// disableCoreDumps does nothing where there is no core file limit:
// Windows writes crash dumps only when Windows Error Reporting is set up
// to, outside the program's control.
func disableCoreDumps() {}
