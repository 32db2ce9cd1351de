//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTUIStalePDFRemovedAtStart: a record opened in the viewer (p, v) by
// an interface that is then killed (kill -9, so it cannot clean up) is
// removed when the interface next starts, before anything is printed.
func TestTUIStalePDFRemovedAtStart(t *testing.T) {
	runtimeDir, fake := t.TempDir(), t.TempDir()
	// A viewer that opens nothing and returns at once.
	if err := os.WriteFile(filepath.Join(fake, "xdg-open"), []byte("#!/bin/sh\nexit 0\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	env := []string{"XDG_RUNTIME_DIR=" + runtimeDir, "PATH=" + fake + string(os.PathListSeparator) + os.Getenv("PATH")}
	p := startTUI(t, 100, 30, env, "--sandbox")
	p.search("SANDOVAL", "Maya", "04/12/2008")
	p.waitFor("SANDOVAL, Maya Rose", "Forecast")
	p.keys("p")
	p.waitFor("Print this record:", "v viewer")
	p.keys("v")
	var pdfs []string
	for deadline := time.Now().Add(20 * time.Second); len(pdfs) == 0; time.Sleep(50 * time.Millisecond) {
		pdfs, _ = filepath.Glob(filepath.Join(runtimeDir, "ctwiz-nurse-print-*", "record-*.pdf"))
		if time.Now().After(deadline) {
			t.Fatalf("no PDF for the viewer in %s:\n%s", runtimeDir, p.screen())
		}
	}
	folder := filepath.Dir(pdfs[0])
	// The folder is named for the interface's process ID.
	pid, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(filepath.Base(folder), "ctwiz-nurse-print-"), "-", 2)[0])
	if err != nil {
		t.Fatalf("folder %s: %v", folder, err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 %d: %v", pid, err)
	}
	p.waitFor("EXIT=137")
	if _, err := os.Stat(pdfs[0]); err != nil {
		t.Fatalf("the killed interface's PDF is already gone, so the test proves nothing: %v", err)
	}

	again := startTUI(t, 100, 30, env, "--sandbox")
	again.waitFor("Find a student")
	if _, err := os.Stat(folder); !os.IsNotExist(err) {
		t.Errorf("the killed interface's PDF folder is still there after the next start: %v", err)
	}
	again.quit("C-c")
}
