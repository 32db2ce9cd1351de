//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package credentials

import (
	"fmt"
	"os"
	"path/filepath"
)

// preventBusAutolaunch reports whether there is no D-Bus session bus to
// reach the Secret Service on. Without one, godbus would run dbus-launch,
// which starts a new bus and a locked gnome-keyring that outlive the
// command: one more pair on every run on a headless machine. Pointing the
// variable at an address no transport accepts makes the keychain call
// fail at once instead, and the failure is reported as ErrUnavailable.
func preventBusAutolaunch() bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return false // includes an explicit "autolaunch:"
	}
	// The places godbus itself looks when the variable is unset.
	dir := fmt.Sprintf("/run/user/%d", os.Getuid())
	for _, f := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return false
		}
	}
	os.Setenv("DBUS_SESSION_BUS_ADDRESS", noBusAddress)
	return true
}
