package printout

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// Spool holds the PDFs that exist only to be handed to a printer or a
// viewer: files of mode 0600 in a private directory of mode 0700, made on
// first use under $XDG_RUNTIME_DIR (a per-user tmpfs) or else the system's
// temporary folder. The zero Spool is ready to use and safe for concurrent
// use; Close it when the app exits. Folders left by a run that was killed
// are removed when the next run first uses its Spool.
type Spool struct {
	mu  sync.Mutex
	dir string
	n   int
}

// spoolPrefix starts every spool folder's name, followed by the owning
// process's ID.
const spoolPrefix = "ctwiz-nurse-print-"

// spoolBase is the folder spool folders are made in: $XDG_RUNTIME_DIR (a
// per-user tmpfs), else the system's temporary folder.
func spoolBase() string {
	base := os.Getenv("XDG_RUNTIME_DIR")
	if fi, err := os.Stat(base); base == "" || err != nil || !fi.IsDir() {
		base = os.TempDir()
	}
	return base
}

// RemoveStale removes the spool folders, and the records in them, that a
// killed or crashed run left behind. The interface calls it at start: a
// record sent to the viewer just before the program was killed must not
// wait on disk for the next print.
func RemoveStale() { removeStale(spoolBase()) }

// removeStale removes the spool folders in base whose process is gone.
// Failures are ignored (another user's folder, a race with its owner):
// this is a best effort.
func removeStale(base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, spoolPrefix+"*"))
	for _, d := range dirs {
		pid, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(d), spoolPrefix), "-")
		if n, err := strconv.Atoi(pid); err == nil && n > 0 && n != os.Getpid() && !processAlive(n) {
			os.RemoveAll(d)
		}
	}
}

// Write renders the record into a new private file and returns its path.
func (s *Spool) Write(r *hl7.Response, info Info) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		base := spoolBase()
		removeStale(base)
		dir, err := os.MkdirTemp(base, fmt.Sprintf("%s%d-", spoolPrefix, os.Getpid())) // mode 0700
		if err != nil {
			return "", fmt.Errorf("cannot make a private folder for the PDF in %s: %w", base, err)
		}
		s.dir = dir
	}
	s.n++
	// The name says nothing about the student: print queues show it.
	path := filepath.Join(s.dir, fmt.Sprintf("record-%d.pdf", s.n))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("cannot write the PDF: %w", err)
	}
	err = Render(f, r, info)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", err
	}
	return path, nil
}

// Print renders the record and sends copies to printer ("" = the
// default) with ToPrinter, then removes the file: CUPS keeps its own copy.
func (s *Spool) Print(ctx context.Context, r *hl7.Response, info Info, printer string, copies int) error {
	path, err := s.Write(r, info)
	if err != nil {
		return err
	}
	defer os.Remove(path)
	return ToPrinter(ctx, path, printer, copies)
}

// Open renders the record and shows it in the system's PDF viewer. The
// file stays until Close, since the viewer reads it after Open returns.
func (s *Spool) Open(ctx context.Context, r *hl7.Response, info Info) error {
	path, err := s.Write(r, info)
	if err != nil {
		return err
	}
	if err := Open(ctx, path); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// Close removes the private directory and every PDF left in it.
func (s *Spool) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		return nil
	}
	err := os.RemoveAll(s.dir)
	s.dir = ""
	if err != nil {
		return fmt.Errorf("removing the temporary PDFs: %w", err)
	}
	return nil
}
