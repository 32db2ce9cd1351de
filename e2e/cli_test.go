//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
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

// TestCLIMessagesWrapAtTerminal: the real binary's error message, longer
// than the 60-column pane it runs in, is wrapped at spaces (no line wider
// than the pane, every word whole, continuation lines indented); piped,
// the same message is one line (issue 11.14).
func TestCLIMessagesWrapAtTerminal(t *testing.T) {
	const width = 60
	args := []string{"query", "--sandbox", "--last", "Parker", "--first", "Liam", "--dob", "6/20/50"}
	y := time.Now().Year()
	msg := fmt.Sprintf(`ctwiz-nurse query: --dob: "6/20/50" is not read: a two-digit year is read only as %d-%d, where a century off is no student; type the four-digit year; accepted: YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for %d-%d`, y-22, y+1, y-22, y+1)

	p := startTUI(t, width, 20, nil, args...)
	s := p.waitFor("EXIT=")
	if !strings.Contains(s, "EXIT=2") {
		t.Fatalf("exit is not 2:\n%s", s)
	}
	shown, _, _ := strings.Cut(s, "EXIT=")
	lines := strings.Split(strings.TrimRight(shown, "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("a %d-column message in %d lines at %d columns:\n%s", len(msg), len(lines), width, s)
	}
	for i, l := range lines {
		if n := utf8.RuneCountInString(l); n > width {
			t.Errorf("line %d is %d columns: %q", i+1, n, l)
		}
		if i > 0 && !strings.HasPrefix(l, "  ") {
			t.Errorf("continuation line %d is not indented: %q", i+1, l)
		}
	}
	// Every line ends at a space of the message: its words, read in
	// order, are the message's, so no word was cut.
	if got := strings.Join(strings.Fields(shown), " "); got != msg {
		t.Errorf("the words on screen:\n%s\nwant:\n%s", got, msg)
	}

	var stderr strings.Builder
	cmd := exec.Command(tuiBinary(t), args...)
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH"), "COLUMNS=60"}
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil || stderr.String() != msg+"\n" {
		t.Errorf("piped: %v, stderr\n%q\nwant one line\n%q", err, stderr.String(), msg+"\n")
	}
}
