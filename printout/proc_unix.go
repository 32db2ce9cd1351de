//go:build unix

package printout

import (
	"errors"
	"os/exec"
	"syscall"
)

// detach starts the viewer in its own session, so closing the terminal
// (SIGHUP) does not close the record the nurse is looking at.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}

// processAlive reports whether process pid exists; another user's
// process (EPERM) counts as alive.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
