package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionText(t *testing.T) {
	const rev = "0a489be1f2c3d4e5f60718293a4b5c6d7e8f9012"
	info := func(version string, settings ...debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/ctwiz-nurse/ctwiz-nurse", Version: version}, Settings: settings}
	}
	tests := []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"release", info("v1.2.0", debug.BuildSetting{Key: "vcs.revision", Value: rev}, debug.BuildSetting{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, debug.BuildSetting{Key: "vcs.modified", Value: "false"}), true,
			"ctwiz-nurse v1.2.0, revision " + rev + " (2026-12-01T10:00:00Z), go1.26.8"},
		{"local build with changes", info("v0.0.0-20261201100000-0a489be1f2c3+dirty", debug.BuildSetting{Key: "vcs.revision", Value: rev}, debug.BuildSetting{Key: "vcs.modified", Value: "true"}), true,
			"ctwiz-nurse v0.0.0-20261201100000-0a489be1f2c3+dirty, revision " + rev + ", with uncommitted changes, go1.26.8"},
		{"no VCS", info("(devel)"), true, "ctwiz-nurse (devel), revision unknown (built outside version control, or with -buildvcs=false), go1.26.8"},
		{"empty version", info(""), true, "ctwiz-nurse (devel), revision unknown"},
		{"no build info", nil, false, "no build information"},
	}
	for _, tt := range tests {
		if got := versionText(tt.info, tt.ok); !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestVersionFlag(t *testing.T) {
	for _, arg := range []string{"--version", "-version", "version"} {
		code, out, errs := runCmd(t, "", nil, arg)
		if code != exitOK || !strings.HasPrefix(out, "ctwiz-nurse ") || errs != "" {
			t.Errorf("%s: exit %d\nstdout: %s\nstderr: %s", arg, code, out, errs)
		}
	}
}
