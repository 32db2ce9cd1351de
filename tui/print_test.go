package tui

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
)

// TestSaveThroughPrintout saves the record shown with the real printout
// renderer and reads the PDF's text back.
func TestSaveThroughPrintout(t *testing.T) {
	spool := &printout.Spool{}
	t.Cleanup(func() { spool.Close() })
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, _ := newTestModel(t, reg, func(o *Options) { o.Printer = SystemPrinter{Spool: spool} })
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter", "p", "s")
	m = press(t, m, "ctrl+u")
	path := filepath.Join(t.TempDir(), "butte.pdf")
	m = typeText(t, m, path)
	m = press(t, m, "enter")
	mustContain(t, plain(m), "Saved to "+path[:20])
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no PDF: %v\n%s", err, plain(m))
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:min(len(b), 20)])
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	// The same name again: the file is kept until she confirms.
	if err := os.WriteFile(path, []byte("another record"), 0o600); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, "p", "s", "ctrl+u")
	m = typeText(t, m, path)
	m = press(t, m, "enter")
	mustContain(t, plain(m), "already exists")
	if b, _ := os.ReadFile(path); string(b) != "another record" {
		t.Fatal("an existing file was replaced without asking")
	}
	m = press(t, m, "enter")
	mustContain(t, plain(m), "Saved to "+path[:20])
	if b, _ := os.ReadFile(path); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("Enter on the same name again did not replace the file")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: the PDF's text is not checked")
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Immunization Record", "BUTTE", "08/15/2014", "SANDBOX - synthetic data", "nurse.one"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}
