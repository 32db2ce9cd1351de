package main

import "fmt"

// runInterface starts the terminal interface. Until the tui package lands
// it explains what is available instead.
func runInterface(e *env, args []string) int {
	fmt.Fprintln(e.stderr, "ctwiz-nurse: the terminal interface is not built yet; use a command:")
	usage(e.stderr)
	return exitUsage
}
