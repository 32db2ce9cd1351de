package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// versionText is what --version prints: the module version and the VCS
// revision the binary was built from, as the Go toolchain recorded them,
// so a support call can name the exact build.
func versionText(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "ctwiz-nurse (no build information: built without module support)"
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var rev, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "ctwiz-nurse %s", version)
	switch {
	case rev == "":
		b.WriteString(", revision unknown (built outside version control, or with -buildvcs=false)")
	default:
		fmt.Fprintf(&b, ", revision %s", rev)
		if at != "" {
			fmt.Fprintf(&b, " (%s)", at)
		}
		if modified {
			b.WriteString(", with uncommitted changes")
		}
	}
	if info.GoVersion != "" {
		fmt.Fprintf(&b, ", %s", info.GoVersion)
	}
	return b.String()
}

func printVersion(e *env) int {
	info, ok := debug.ReadBuildInfo()
	fmt.Fprintln(e.stdout, versionText(info, ok))
	return exitOK
}
