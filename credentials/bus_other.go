//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package credentials

// preventBusAutolaunch has nothing to do where the keychain is not
// reached over D-Bus.
func preventBusAutolaunch() bool { return false }
