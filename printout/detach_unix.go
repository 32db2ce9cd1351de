//go:build unix

package printout

import (
	"os/exec"
	"syscall"
)

// detach starts the viewer in its own session, so closing the terminal
// (SIGHUP) does not close the record the nurse is looking at.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}
