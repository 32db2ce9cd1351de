package printout

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func isPDF(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("%%EOF")) {
		t.Errorf("%s is not a complete PDF", path)
	}
}

// TestSave covers Save, which replaces a file, and SaveNew, which leaves
// an existing file (another student's record, perhaps) alone.
func TestSave(t *testing.T) {
	r := decodeSample(t, "rsp_z42_ct_wiz_webiz.hl7")
	info := Info{PrintedAt: printedAt}
	home := t.TempDir()
	t.Setenv("HOME", home)
	dir := t.TempDir()
	existing := func(path string) string {
		if err := os.WriteFile(path, []byte("another student's record"), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		name, path, at string // at: where the file must be ("" = path)
		r              *hl7.Response
		saveNew        bool   // SaveNew rather than Save
		wantErr        string // and the file is not written
		kept           bool   // an existing file is left as it was
	}{
		{name: "new file", path: filepath.Join(dir, "butte.pdf"), r: r},
		{name: "replaces a file", path: existing(filepath.Join(dir, "old.pdf")), r: r},
		{name: "home folder", path: "~/record.pdf", at: filepath.Join(home, "record.pdf"), r: r},
		{name: "missing folder", path: filepath.Join(dir, "nope", "x.pdf"), r: r,
			wantErr: "the folder " + filepath.Join(dir, "nope") + " does not exist; type a folder that exists, or create it first"},
		{name: "a folder", path: dir, r: r, wantErr: "it is a folder; add a file name", kept: true},
		{name: "no record", path: filepath.Join(dir, "none.pdf"), r: &hl7.Response{Outcome: hl7.OutcomeNotFound}, wantErr: ErrNoRecord.Error()},
		{name: "SaveNew: new file", path: filepath.Join(dir, "new.pdf"), r: r, saveNew: true},
		{name: "SaveNew: existing file", path: existing(filepath.Join(dir, "taken.pdf")), r: r, saveNew: true,
			wantErr: filepath.Join(dir, "taken.pdf") + " already exists", kept: true},
		{name: "SaveNew: existing file in the home folder", path: "~/taken.pdf", at: existing(filepath.Join(home, "taken.pdf")), r: r,
			saveNew: true, wantErr: filepath.Join(home, "taken.pdf") + " already exists", kept: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := tc.at
			if at == "" {
				at = tc.path
			}
			before, _ := os.ReadFile(at)
			save := Save
			if tc.saveNew {
				save = SaveNew
			}
			err := save(tc.path, tc.r, info)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Save = %v, want an error saying %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), ".ctwiz-nurse") {
					t.Errorf("the error names the temporary file: %v", err)
				}
				if tc.kept {
					if fi, _ := os.Stat(at); fi.IsDir() {
						return
					}
					if !errors.Is(err, fs.ErrExist) {
						t.Errorf("Save = %v, want fs.ErrExist", err)
					}
					if after, _ := os.ReadFile(at); !bytes.Equal(after, before) {
						t.Error("an existing file was replaced")
					}
				} else if _, err := os.Stat(at); err == nil {
					t.Errorf("a failed Save left %s", at)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			isPDF(t, at)
			if m := mode(t, at); runtime.GOOS != "windows" && m != 0o600 {
				t.Errorf("mode %v, want 0600: the file holds patient data", m)
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".ctwiz-nurse-*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestSpool(t *testing.T) {
	r := decodeSample(t, "rsp_z42_ct_wiz_webiz.hl7")
	info := Info{PrintedAt: printedAt}
	tests := []struct {
		name    string
		runtime bool // XDG_RUNTIME_DIR set: the spool goes there, else to TMPDIR
	}{
		{"in XDG_RUNTIME_DIR", true},
		{"in TMPDIR", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			if tc.runtime {
				t.Setenv("XDG_RUNTIME_DIR", base)
			} else {
				t.Setenv("XDG_RUNTIME_DIR", "")
				t.Setenv("TMPDIR", base)
			}
			var s Spool
			a, err := s.Write(r, info)
			if err != nil {
				t.Fatal(err)
			}
			b, err := s.Write(r, info)
			if err != nil {
				t.Fatal(err)
			}
			if a == b || filepath.Dir(a) != filepath.Dir(b) {
				t.Errorf("two PDFs %s and %s: want distinct files in one folder", a, b)
			}
			dir := filepath.Dir(a)
			if filepath.Dir(dir) != base || !strings.HasPrefix(filepath.Base(dir), "ctwiz-nurse-print-") {
				t.Errorf("spool folder %s, want ctwiz-nurse-print-* in %s", dir, base)
			}
			if strings.Contains(a, "BUTTE") || strings.Contains(a, "867287") {
				t.Errorf("file name %s names the student", a)
			}
			isPDF(t, a)
			if runtime.GOOS != "windows" {
				if m := mode(t, dir); m != 0o700 {
					t.Errorf("folder mode %v, want 0700", m)
				}
				if m := mode(t, a); m != 0o600 {
					t.Errorf("file mode %v, want 0600", m)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("Close left %s: %v", dir, err)
			}
			if err := s.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
			// Usable again after Close, with a new private folder.
			c, err := s.Write(r, info)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if filepath.Dir(c) == dir {
				t.Errorf("Write after Close reused the removed folder")
			}
		})
	}
}

// A run that was killed cannot remove its spool: the next run does, at
// start (RemoveStale) or at its first print, and leaves the folders of
// running processes alone.
func TestSpoolRemovesStaleFolders(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("process liveness is checked on Unix only")
	}
	tests := []struct {
		name   string
		remove func(t *testing.T)
	}{
		{"at start", func(t *testing.T) { RemoveStale() }},
		{"at the first print", func(t *testing.T) {
			var s Spool
			t.Cleanup(func() { s.Close() })
			if _, err := s.Write(decodeSample(t, "rsp_z42_ct_wiz_webiz.hl7"), Info{PrintedAt: printedAt}); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			t.Setenv("XDG_RUNTIME_DIR", base)
			gone := exec.Command("true")
			if err := gone.Run(); err != nil {
				t.Fatal(err)
			}
			dead := filepath.Join(base, fmt.Sprintf("%s%d-123", spoolPrefix, gone.Process.Pid))
			alive := filepath.Join(base, fmt.Sprintf("%s%d-456", spoolPrefix, os.Getppid()))
			other := filepath.Join(base, spoolPrefix+"notapid")
			for _, d := range []string{dead, alive, other} {
				if err := os.Mkdir(d, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(d, "record-1.pdf"), []byte("%PDF-"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			tt.remove(t)
			if _, err := os.Stat(dead); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the spool of a finished process is still there: %v", err)
			}
			for _, d := range []string{alive, other} {
				if _, err := os.Stat(d); err != nil {
					t.Errorf("%s was removed: %v", d, err)
				}
			}
		})
	}
}

func TestSpoolRejectsNoRecord(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	var s Spool
	defer s.Close()
	path, err := s.Write(&hl7.Response{Outcome: hl7.OutcomeCandidates}, Info{PrintedAt: printedAt})
	if !errors.Is(err, ErrNoRecord) {
		t.Fatalf("Write = %q, %v; want ErrNoRecord", path, err)
	}
	files, _ := filepath.Glob(filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "ctwiz-nurse-print-*", "*"))
	if len(files) != 0 {
		t.Errorf("a failed rendering left %v", files)
	}
}

// Without CUPS, printing fails with ErrNoCUPS and the temporary PDF is
// removed all the same.
func TestPrintWithoutCUPS(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	var s Spool
	defer s.Close()
	err := s.Print(context.Background(), decodeSample(t, "rsp_z42_ct_wiz_webiz.hl7"), Info{PrintedAt: printedAt}, "", 1)
	if !errors.Is(err, ErrNoCUPS) {
		t.Fatalf("Print = %v, want ErrNoCUPS", err)
	}
	files, _ := filepath.Glob(filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "ctwiz-nurse-print-*", "*"))
	if len(files) != 0 {
		t.Errorf("PDFs left after a failed hand-over: %v", files)
	}
}

func TestLPError(t *testing.T) {
	// Messages as CUPS 2.4's lp prints them (LC_ALL=C).
	tests := []struct {
		printer, out string
		down         bool
		want         string
	}{
		{"Nurse_Office", "lp: Error - The printer or class does not exist.", false, `there is no printer named "Nurse_Office"`},
		{"Nurse_Office", "lp: Error - The printer or class does not exist.", true, "the printing service (CUPS) is not running"},
		{"", "lp: Error - No default destination.", false, "no default printer is set"},
		{"Front", `lp: Error - Destination "Front" is not accepting jobs.`, false, `printer "Front" is not accepting jobs`},
		{"Front", "lp: something new", false, "the printer did not take the job (lp: lp: something new)"},
	}
	for _, tc := range tests {
		err := lpError(tc.printer, tc.out, errors.New("exit status 1"), tc.down)
		if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.out) {
			t.Errorf("lpError(%q) = %q, want it to say %q and quote lp", tc.out, err, tc.want)
		}
	}
}

// xdgViewer points a real xdg-open at a desktop entry whose "viewer" runs
// script with the file as $1, in a private XDG environment.
func xdgViewer(t *testing.T, script string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("xdg-open is the Linux launcher")
	}
	if _, err := exec.LookPath("xdg-open"); err != nil {
		t.Skip("xdg-open is not installed (apt-get install xdg-utils)")
	}
	home := t.TempDir()
	apps := filepath.Join(home, "data", "applications")
	if err := os.MkdirAll(apps, 0o755); err != nil {
		t.Fatal(err)
	}
	sh := filepath.Join(home, "viewer.sh")
	if err := os.WriteFile(sh, []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	entry := "[Desktop Entry]\nType=Application\nName=Test viewer\nExec=" + sh + " %f\nMimeType=application/pdf;\n"
	if err := os.WriteFile(filepath.Join(apps, "ctwiz-test-viewer.desktop"), []byte(entry), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "mimeapps.list"), []byte("[Default Applications]\napplication/pdf=ctwiz-test-viewer.desktop\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	t.Setenv("XDG_DATA_DIRS", filepath.Join(home, "data"))
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("XDG_CURRENT_DESKTOP", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("DISPLAY", ":99") // xdg-open asks desktop entries only when there is a display
}

func TestOpen(t *testing.T) {
	r := decodeSample(t, "rsp_z42_ct_wiz_webiz.hl7")
	info := Info{PrintedAt: printedAt}
	out := filepath.Join(t.TempDir(), "viewed")
	tests := []struct {
		name, script string
		wantErr      string
		minWait      time.Duration
	}{
		{name: "viewer returns", script: `cp "$1" ` + out + `.pdf; echo noise from the viewer; echo more >&2`},
		{name: "viewer keeps running", script: `cp "$1" ` + out + `.pdf; sleep 7`, minWait: openGrace},
		{name: "viewer fails", script: `echo "cannot display: no screen" >&2; exit 4`, wantErr: "cannot display: no screen"},
		{name: "viewer fails saying much", script: `printf 'first\n\n  second\nthird\n' >&2; exit 4`, wantErr: "(xdg-open: first; second; third)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			xdgViewer(t, tc.script)
			t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
			os.Remove(out + ".pdf")
			var s Spool
			start := time.Now()
			err := s.Open(context.Background(), r, info)
			took := time.Since(start)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Open = %v, want an error quoting %q", err, tc.wantErr)
				}
				// The message is one status line in the interface.
				if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "links2") {
					t.Errorf("Open = %q: more than one line, or the launcher's noise", err)
				}
				s.Close()
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if took < tc.minWait || took > openGrace+3*time.Second {
				t.Errorf("Open took %v", took)
			}
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				if _, err := os.Stat(out + ".pdf"); err == nil {
					break
				}
			}
			isPDF(t, out+".pdf")
			// The viewer's copy stays until the app exits.
			files, _ := filepath.Glob(filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "ctwiz-nurse-print-*", "*.pdf"))
			if len(files) != 1 {
				t.Errorf("spool holds %v, want the one PDF the viewer reads", files)
			}
			s.Close()
			files, _ = filepath.Glob(filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "ctwiz-nurse-print-*"))
			if len(files) != 0 {
				t.Errorf("Close left %v", files)
			}
		})
	}
}

// TestOpenWithNoPDFProgram runs the real xdg-open where no program opens
// PDFs (no desktop entry, no browser): it lists every browser it tried
// and exits 3. The nurse reads ErrNoViewer's advice, not that list.
func TestOpenWithNoPDFProgram(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("xdg-open is the Linux launcher")
	}
	if _, err := exec.LookPath("xdg-open"); err != nil {
		t.Skip("xdg-open is not installed (apt-get install xdg-utils)")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", home)
	t.Setenv("XDG_DATA_DIRS", home)
	t.Setenv("XDG_CONFIG_HOME", home)
	t.Setenv("XDG_CURRENT_DESKTOP", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("DISPLAY", "")
	t.Setenv("BROWSER", "ctwiz-no-such-browser:ctwiz-no-such-browser-either")
	pdf := filepath.Join(t.TempDir(), "record.pdf")
	if err := Save(pdf, decodeSample(t, "rsp_z42_ct_wiz_webiz.hl7"), Info{PrintedAt: printedAt}); err != nil {
		t.Fatal(err)
	}
	err := Open(context.Background(), pdf)
	if !errors.Is(err, ErrNoViewer) {
		t.Fatalf("Open = %v, want ErrNoViewer", err)
	}
	if strings.Contains(err.Error(), "ctwiz-no-such-browser") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Open = %q: quotes xdg-open's list of browsers", err)
	}
}

func TestOpenWithoutLauncher(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if err := Open(context.Background(), "/nonexistent.pdf"); !errors.Is(err, ErrNoViewer) {
		t.Fatalf("Open = %v, want ErrNoViewer", err)
	}
}

// TestSaveUnwritableFolder: a folder she cannot write to is named, and
// the temporary file is not (issue 11.7).
func TestSaveUnwritableFolder(t *testing.T) {
	if os.Geteuid() == 0 || runtime.GOOS == "windows" {
		t.Skip("root writes anywhere; Windows has no such mode bits")
	}
	dir := filepath.Join(t.TempDir(), "locked")
	if err := os.Mkdir(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	err := Save(filepath.Join(dir, "x.pdf"), decodeSample(t, "rsp_z42_ct_wiz_webiz.hl7"), Info{PrintedAt: printedAt})
	if err == nil || !strings.Contains(err.Error(), "permission denied: choose a folder you can write to") || strings.Contains(err.Error(), ".ctwiz-nurse") {
		t.Errorf("Save = %v", err)
	}
}

// TestSavePath: the name a nurse types becomes the file saved: a folder
// gets the offered name, a name without ".pdf" gets it (issue 11.7).
func TestSavePath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	dir := t.TempDir()
	const offered = "BUTTE-DIANTHE-immunizations.pdf"
	tests := []struct{ typed, want string }{
		{filepath.Join(dir, "butte"), filepath.Join(dir, "butte.pdf")},
		{filepath.Join(dir, "butte.pdf"), filepath.Join(dir, "butte.pdf")},
		{filepath.Join(dir, "BUTTE.PDF"), filepath.Join(dir, "BUTTE.PDF")},
		{filepath.Join(dir, "butte.txt"), filepath.Join(dir, "butte.txt.pdf")},
		{dir, filepath.Join(dir, offered)},
		{dir + "/", filepath.Join(dir, offered)},
		{"~/", filepath.Join(home, offered)},
		{"~/butte", filepath.Join(home, "butte.pdf")},
		{filepath.Join(dir, "nope", "butte"), filepath.Join(dir, "nope", "butte.pdf")},
	}
	for _, tt := range tests {
		if got := SavePath(tt.typed, offered); got != tt.want {
			t.Errorf("SavePath(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

// fakeCUPS puts lp and lpstat scripts first on PATH: lp writes its
// arguments to the returned file, lpstat -d prints lpstatOut.
func fakeCUPS(t *testing.T, lpstatOut string) (argsFile string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell scripts stand in for CUPS")
	}
	bin := t.TempDir()
	argsFile = filepath.Join(bin, "lp-args")
	scripts := map[string]string{
		"lp":     "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + argsFile + "\necho 'request id is office-1 (1 file(s))'\n",
		"lpstat": "#!/bin/sh\nprintf '%s\\n' '" + lpstatOut + "'\n",
	}
	for name, s := range scripts {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(s), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return argsFile
}

// TestToPrinterCopies: the number of copies goes to lp as -n, with the
// printer as -d (issue 11.20).
func TestToPrinterCopies(t *testing.T) {
	pdf := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		printer string
		copies  int
		want    string
	}{
		{"office", 3, "-t\n" + Title + "\n-d\noffice\n-n\n3\n" + pdf + "\n"},
		{"", 1, "-t\n" + Title + "\n" + pdf + "\n"},
		{"office", 0, "-t\n" + Title + "\n-d\noffice\n" + pdf + "\n"},
	}
	for _, tt := range tests {
		args := fakeCUPS(t, "")
		if err := ToPrinter(context.Background(), pdf, tt.printer, tt.copies); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(args); string(b) != tt.want {
			t.Errorf("ToPrinter(%q, %d): lp %q, want %q", tt.printer, tt.copies, b, tt.want)
		}
	}
}

// TestDefaultPrinter reads lpstat -d: the print menu names the printer
// the job goes to (issue 11.20).
func TestDefaultPrinter(t *testing.T) {
	tests := []struct{ out, want string }{
		{"system default destination: office-laser", "office-laser"},
		{"no system default destination", ""},
	}
	for _, tt := range tests {
		fakeCUPS(t, tt.out)
		if got, err := DefaultPrinter(context.Background()); err != nil || got != tt.want {
			t.Errorf("lpstat %q: DefaultPrinter = %q, %v; want %q", tt.out, got, err, tt.want)
		}
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := DefaultPrinter(context.Background()); !errors.Is(err, ErrNoCUPS) {
		t.Errorf("without CUPS: %v, want ErrNoCUPS", err)
	}
}
