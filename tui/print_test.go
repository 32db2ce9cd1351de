package tui

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
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

// TestSaveNamesAndFolders: what a nurse types at "Save as" with the real
// saver. A folder gets the offered name and is saved without a loop of
// "already exists"; a name without ".pdf" gets it; a folder that does not
// exist is named, the temporary file never is, and no save failure says
// "Printing failed" (issue 11.7).
func TestSaveNamesAndFolders(t *testing.T) {
	const offered = "BUTTE-DIANTHE-immunizations.pdf"
	dir := t.TempDir()
	tests := []struct {
		name   string
		typed  string
		saved  string // the file that must exist afterwards; "" none
		status string
	}{
		{"an existing folder", dir, filepath.Join(dir, offered), "Saved to " + filepath.Join(dir, offered) + "."},
		{"no .pdf", filepath.Join(dir, "butte"), filepath.Join(dir, "butte.pdf"), "Saved to " + filepath.Join(dir, "butte.pdf") + "."},
		{"a folder that does not exist", filepath.Join(dir, "nope", "butte.pdf"), "",
			"The record was not saved: cannot save the record to " + filepath.Join(dir, "nope", "butte.pdf") + ": the folder " + filepath.Join(dir, "nope") + " does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spool := &printout.Spool{}
			t.Cleanup(func() { spool.Close() })
			reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
			m, _ := newTestModel(t, reg, func(o *Options) { o.Printer = SystemPrinter{Spool: spool} })
			m = update(t, m, tea.WindowSizeMsg{Width: 200, Height: 24}) // the whole status on one line
			m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
			m = press(t, m, "enter", "p", "s", "ctrl+u")
			m = typeText(t, m, tt.typed)
			m = press(t, m, "enter")
			v := plain(m)
			mustContain(t, v, tt.status)
			mustNotContain(t, v, "already exists", "Printing failed", ".ctwiz-nurse")
			if m.record.naming {
				t.Errorf("the prompt is still open:\n%s", v)
			}
			if tt.saved != "" {
				if b, err := os.ReadFile(tt.saved); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
					t.Errorf("%s: %v", tt.saved, err)
				}
			}
		})
	}
}

// A replace she confirmed that still meets an existing file says so
// instead of asking again and again.
func TestSaveAsksToReplaceOnce(t *testing.T) {
	pr := &stubbornPrinter{}
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, _ := newTestModel(t, reg, func(o *Options) { o.Printer = pr })
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter", "p", "s", "enter")
	mustContain(t, plain(m), "already exists: press Enter again")
	m = press(t, m, "enter")
	v := plain(m)
	mustNotContain(t, v, "press Enter again", "Printing failed")
	mustContain(t, v, "The record was not saved")
	if pr.saves != 2 || m.record.naming {
		t.Errorf("%d saves; prompt open %v", pr.saves, m.record.naming)
	}
}

// stubbornPrinter's Save always meets an existing file.
type stubbornPrinter struct {
	fakePrinter
	saves int
}

func (p *stubbornPrinter) Save(_ context.Context, _ *hl7.Response, _ printout.Info, path string, _ bool) (string, error) {
	p.saves++
	return "", fmt.Errorf("%s already exists: %w", path, fs.ErrExist)
}

// TestPrintMenuNamesThePrinterAndAsksCopies: the menu says which printer
// p sends to, then asks how many copies; a number out of range is
// refused with the range said (issue 11.20).
func TestPrintMenuNamesThePrinterAndAsksCopies(t *testing.T) {
	tests := []struct {
		name, destination string
		typed             []string // after ctrl+u at the copies prompt
		menu              string
		calls             []string
		status            string
	}{
		{"three copies", "office-laser", []string{"3", "enter"}, "p printer office-laser", []string{"print 3"}, "Sent to printer office."},
		{"one copy by default", "office-laser", nil, "p printer office-laser", []string{"print 1"}, "Sent to printer office."},
		{"zero is refused", "office-laser", []string{"0", "enter"}, "p printer office-laser", nil, "type a number of copies from 1 to 20."},
		{"q is a key, not quit", "office-laser", []string{"q", "enter"}, "p printer office-laser", nil, "type a number of copies from 1 to 20."},
		{"no default printer", "", []string{"esc"}, "p printer (no default printer is set)", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := &fakePrinter{destination: tt.destination}
			reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
			m, _ := newTestModel(t, reg, func(o *Options) { o.Printer = pr })
			m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
			m = press(t, m, "enter", "p")
			mustContain(t, plain(m), tt.menu, "v viewer")
			if tt.destination == "" {
				m = press(t, m, "esc")
				if len(pr.calls) != 0 {
					t.Errorf("calls %q", pr.calls)
				}
				return
			}
			m = press(t, m, "p")
			mustContain(t, plain(m), "Copies to print on "+tt.destination+": 1", "enter print")
			if tt.typed == nil {
				m = press(t, m, "enter")
			} else {
				m = press(t, m, "ctrl+u")
				for _, k := range tt.typed {
					m = press(t, m, k)
				}
			}
			if !slices.Equal(pr.calls, tt.calls) {
				t.Errorf("printer calls %q, want %q", pr.calls, tt.calls)
			}
			mustContain(t, plain(m), tt.status)
			if m.Screen() != "record" {
				t.Errorf("screen %s", m.Screen())
			}
		})
	}
}
