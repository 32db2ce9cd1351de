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
	for range len("immunization-record.pdf") {
		m = press(t, m, "backspace")
	}
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
