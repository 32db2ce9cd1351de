//go:build !unix

package printout

import "os/exec"

// detach is needed only where a closing terminal hangs up its children.
func detach(*exec.Cmd) {}

// processAlive cannot tell here: every spool folder is taken as in use.
func processAlive(int) bool { return true }
