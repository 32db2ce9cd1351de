package printout

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// ErrNoCUPS means the lp command (CUPS) is not installed, so ToPrinter
// cannot print; opening the PDF in a viewer or saving it still works.
var ErrNoCUPS = errors.New("printing needs CUPS, and its lp command was not found: install CUPS, or open the PDF in a viewer and print from there")

// ErrNoViewer means there is no program to hand a PDF to for viewing.
var ErrNoViewer = errors.New("no program to open PDFs was found: save the PDF to a file and open it yourself")

// ToPrinter sends copies (1 when below 1) of the PDF at pdfPath to a CUPS
// printer with lp. An empty printer means the system's default printer.
// lp's output is captured, never written to the terminal; it is quoted in
// the error when lp fails. The file may be removed once ToPrinter
// returns: CUPS has its own copy.
func ToPrinter(ctx context.Context, pdfPath, printer string, copies int) error {
	lp, err := exec.LookPath("lp")
	if err != nil {
		return ErrNoCUPS
	}
	abs, err := filepath.Abs(pdfPath) // an absolute path cannot be read as an lp option
	if err != nil {
		return fmt.Errorf("printing %s: %w", pdfPath, err)
	}
	// The job title shows in print queues and logs: never the student's name.
	args := []string{"-t", Title}
	if printer != "" {
		args = append(args, "-d", printer)
	}
	if copies > 1 {
		args = append(args, "-n", strconv.Itoa(copies))
	}
	args = append(args, abs)
	cmd := exec.CommandContext(ctx, lp, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C") // English messages, matched below
	out, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("printing was cancelled: %w", ctx.Err())
	}
	return lpError(printer, oneLine(string(out)), err, schedulerDown(ctx))
}

// DefaultPrinter names the system's default CUPS printer, as lpstat -d
// reports it; "" when none is set. It fails when CUPS is not installed.
func DefaultPrinter(ctx context.Context) (string, error) {
	if _, err := exec.LookPath("lpstat"); err != nil {
		return "", ErrNoCUPS
	}
	cmd := exec.CommandContext(ctx, "lpstat", "-d")
	cmd.Env = append(os.Environ(), "LC_ALL=C") // English output, read below
	out, _ := cmd.CombinedOutput()             // "no system default destination" exits 1
	_, name, ok := strings.Cut(string(out), "system default destination:")
	if !ok {
		return "", nil
	}
	return strings.TrimSpace(name), nil
}

// maxDetail bounds how much of a launcher's output an error quotes.
const maxDetail = 200

// oneLine is a program's output as it can be quoted in a one-line
// message: its lines joined with "; ", cut at maxDetail characters.
func oneLine(out string) string {
	var lines []string
	for l := range strings.Lines(out) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	s := strings.Join(lines, "; ")
	if r := []rune(s); len(r) > maxDetail {
		s = string(r[:maxDetail-1]) + "…"
	}
	return s
}

// schedulerDown asks lpstat whether cupsd is running: without it lp only
// says that the printer does not exist.
func schedulerDown(ctx context.Context) bool {
	cmd := exec.CommandContext(ctx, "lpstat", "-r")
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, _ := cmd.CombinedOutput()
	return strings.Contains(string(out), "not running")
}

// lpError says in plain words what lp's message means and what to do.
func lpError(printer, out string, err error, down bool) error {
	detail := out
	if detail == "" {
		detail = err.Error()
	}
	low := strings.ToLower(out)
	var what string
	switch {
	case down:
		what = "the printing service (CUPS) is not running: start it or ask IT, or open the PDF in a viewer and print from there"
	case strings.Contains(low, "no default destination"):
		what = "no default printer is set: choose one in the system's printer settings, or set printer in the profile"
	case strings.Contains(low, "does not exist") || strings.Contains(low, "not found"):
		what = fmt.Sprintf("there is no printer named %q: check the printer setting of the profile (lpstat -p lists the printers)", printer)
	case strings.Contains(low, "not accepting"):
		what = fmt.Sprintf("printer %q is not accepting jobs: ask IT to enable it, or choose another printer", printer)
	default:
		what = "the printer did not take the job"
	}
	return fmt.Errorf("%s (lp: %s)", what, detail)
}

// openGrace is how long Open waits for the launcher to fail. Desktop
// launchers return within a second or two; xdg-open without a desktop
// environment runs the viewer in the foreground until it is closed.
const openGrace = 5 * time.Second

// Open shows the PDF at path in the system's PDF viewer: xdg-open on Linux
// and BSD, open on macOS, the registered handler on Windows. It returns
// once the launcher has handed the file over (or is still running after a
// short wait); the viewer keeps running after the app exits. The
// launcher's output is captured, never written to the terminal.
func Open(ctx context.Context, path string) error {
	name, args := viewerCommand(path)
	bin, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("%w (%s is not installed)", ErrNoViewer, name)
	}
	// The launcher writes to a file, not a pipe: a viewer still writing
	// warnings after this process exits must not die of SIGPIPE.
	out, err := os.CreateTemp("", "ctwiz-nurse-open-*.log")
	if err != nil {
		return fmt.Errorf("opening the PDF: %w", err)
	}
	defer func() {
		out.Close()
		os.Remove(out.Name())
	}()
	cmd := exec.Command(bin, append(args, path)...)
	cmd.Stdout, cmd.Stderr = out, out
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("opening the PDF with %s: %w", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			return nil
		}
		var exit *exec.ExitError
		if name == "xdg-open" && errors.As(err, &exit) && exit.ExitCode() == 3 {
			// xdg-open's "a required tool could not be found": its output
			// lists every browser it tried, which says nothing to a nurse.
			return fmt.Errorf("%w (xdg-open found no program for PDFs)", ErrNoViewer)
		}
		msg, _ := io.ReadAll(io.NewSectionReader(out, 0, 4096))
		detail := oneLine(string(msg))
		if detail == "" {
			detail = err.Error()
		}
		return fmt.Errorf("the PDF viewer could not be started (%s: %s): save the PDF to a file instead", name, detail)
	case <-time.After(openGrace):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func viewerCommand(path string) (name string, args []string) {
	switch runtime.GOOS {
	case "darwin":
		return "open", nil
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler"}
	}
	return "xdg-open", nil
}

// Save renders the record into the file at path (mode 0600, replacing
// the file if it exists). The file appears complete or not at all. A
// leading "~/" means the home folder, as a nurse would type it.
func Save(path string, r *hl7.Response, info Info) error {
	return save(path, r, info, true)
}

// SaveNew is Save that never replaces a file: when path exists it returns
// an error wrapping fs.ErrExist and writes nothing, so one student's
// record saved under a name already used never silently replaces
// another's.
func SaveNew(path string, r *hl7.Response, info Info) error {
	return save(path, r, info, false)
}

func save(path string, r *hl7.Response, info Info, replace bool) error {
	var buf bytes.Buffer
	if err := Render(&buf, r, info); err != nil {
		return err
	}
	return savePDF(expandHome(path), buf.Bytes(), "the record", replace)
}

// SavePDF writes a PDF made elsewhere (a roster's summary, its letters)
// into the file at path as Save does: mode 0600, replacing the file, the
// file complete or not at all, errors naming path. what names the
// document in them ("the summary").
func SavePDF(path string, pdf []byte, what string) error {
	return savePDF(expandHome(path), pdf, what, true)
}

func savePDF(path string, pdf []byte, what string, replace bool) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("cannot save %s to %s: it is a folder; add a file name", what, path)
	}
	if !replace {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%s already exists: %w", path, fs.ErrExist)
		}
	}
	// The PDF is written to a temporary file beside path, then renamed:
	// errors speak of path and its folder, never of that file.
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("cannot save %s to %s: the folder %s does not exist; type a folder that exists, or create it first", what, path, dir)
	}
	f, err := os.CreateTemp(dir, ".ctwiz-nurse-*.pdf") // created 0600
	if err != nil {
		return fmt.Errorf("cannot save %s to %s: %w: choose a folder you can write to", what, path, bare(err))
	}
	_, err = f.Write(pdf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("cannot save %s to %s: %w", what, path, bare(err))
	}
	return nil
}

// bare is err without the file names the os package adds: the
// temporary file's name means nothing to a nurse.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}

// SavePath is where a record saved under the name a nurse typed goes:
// into the folder she named, under offered (the name first suggested),
// when the name is an existing folder; with ".pdf" added when the name
// does not end in it. A leading "~/" is the home folder.
func SavePath(typed, offered string) string {
	path := expandHome(typed)
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return filepath.Join(path, offered)
	}
	if !strings.EqualFold(filepath.Ext(path), ".pdf") {
		path += ".pdf"
	}
	return path
}
