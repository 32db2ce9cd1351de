//go:build e2e

package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// TestVersionMatchesBuildInfo: the real binary's --version names the
// module version and VCS revision the Go toolchain recorded in it, as
// `go version -m` reads them from the file.
func TestVersionMatchesBuildInfo(t *testing.T) {
	bin := tuiBinary(t)
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("--version: %v", err)
	}
	meta, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatalf("go version -m: %v", err)
	}
	var version, revision string
	for _, line := range strings.Split(string(meta), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 3 && f[0] == "mod":
			version = f[2]
		case len(f) >= 2 && f[0] == "build" && strings.HasPrefix(f[1], "vcs.revision="):
			revision = strings.TrimPrefix(f[1], "vcs.revision=")
		}
	}
	want := []string{"ctwiz-nurse " + version + ","}
	if revision != "" {
		want = append(want, "revision "+revision)
	} else {
		want = append(want, "revision unknown")
	}
	for _, w := range want {
		if !strings.Contains(string(out), w) {
			t.Errorf("--version = %q, want %q (go version -m:\n%s)", out, w, meta)
		}
	}
}
