package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/config"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
)

// rosterPDFs are the PDFs a roster run writes once every row is in the
// report: the school's summary and the letters to parents. A run that
// ends before (stopped, capped, paused) writes neither: a partial summary
// would read as the school's status, and letters would be sent again when
// the run is finished.
type rosterPDFs struct {
	summary, letters string
}

func (r *rosterPDFs) register(fs *flag.FlagSet) {
	fs.StringVar(&r.summary, "summary", "", "when every row is checked, write the school's summary to `REPORT.pdf` (mode 0600)")
	fs.StringVar(&r.letters, "letters", "", "when every row is checked, write one letter per student not compliant to `LETTERS.pdf` (mode 0600; needs the profile's school_name and nurse_name)")
}

func (r *rosterPDFs) asked() bool { return r.summary != "" || r.letters != "" }

// check refuses, before anything is sent, what could not be written at
// the end: letters without the school and the nurse who signs them, a
// folder that does not exist, a name that is the roster's, the report's
// (files would be replaced by a PDF) or the other PDF's.
func (r *rosterPDFs) check(p config.Profile, configPath, file, out string) error {
	if r.letters != "" {
		var missing []string
		if p.SchoolName == "" {
			missing = append(missing, "school_name")
		}
		if p.NurseName == "" {
			missing = append(missing, "nurse_name")
		}
		if len(missing) > 0 {
			where := configPath
			if where == "" {
				if where, _ = config.DefaultPath(); where == "" {
					where = "config.toml"
				}
			}
			return fmt.Errorf("--letters: the letters are signed with the school's and the nurse's name: set %s (and nurse_phone) in the profile in %s",
				strings.Join(missing, " and "), where)
		}
	}
	taken := []string{filepath.Clean(file), filepath.Clean(out)}
	for _, path := range []string{r.summary, r.letters} {
		if path == "" {
			continue
		}
		if dir := filepath.Dir(path); !isDir(dir) {
			return fmt.Errorf("cannot write %s: the folder %s does not exist", path, dir)
		}
		if slices.Contains(taken, filepath.Clean(path)) {
			return fmt.Errorf("%s is named twice among the roster, the report, --summary and --letters: give the PDFs names of their own", path)
		}
		taken = append(taken, filepath.Clean(path))
	}
	return nil
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// write makes the PDFs from the report at reportPath (this run's rows and
// those of the runs it resumes) and saves each whole or not at all.
func (r *rosterPDFs) write(e *env, reportPath string, h roster.Letterhead) error {
	if !r.asked() {
		return nil
	}
	rows, err := roster.ReadReport(reportPath)
	if err != nil {
		return err
	}
	var errs []error
	save := func(path, what string, build func(*bytes.Buffer) error) bool {
		var buf bytes.Buffer
		err := build(&buf)
		if err != nil {
			err = fmt.Errorf("cannot make %s for %s: %w", what, path, err)
		} else {
			err = printout.SavePDF(path, buf.Bytes(), what)
		}
		errs = append(errs, err)
		return err == nil
	}
	if r.summary != "" && save(r.summary, "the summary", func(b *bytes.Buffer) error { return roster.WriteSummary(b, rows, h) }) {
		fmt.Fprintf(e.stderr, "Wrote the summary to %s.\n", r.summary)
	}
	var n int
	if r.letters != "" && save(r.letters, "the letters", func(b *bytes.Buffer) (err error) { n, err = roster.WriteLetters(b, rows, h); return err }) {
		letters := "letters, one page each,"
		if n == 1 {
			letters = "letter"
		}
		fmt.Fprintf(e.stderr, "Wrote %d %s to %s.\n", n, letters, r.letters)
	}
	return errors.Join(errs...)
}

// finished ends a run with every row in the report: the PDFs are
// written, and the exit code says whether they were.
func (r *rosterPDFs) finished(e *env, report string, h roster.Letterhead) int {
	fmt.Fprintf(e.stderr, "Every row is in %s.\n", report)
	if err := r.write(e, report, h); err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse roster: %v\n%s is complete: run again with --resume to write the PDFs without a query.\n", err, report)
		return exitFailure
	}
	return exitOK
}

// notYet tells a run that ended early, when PDFs were asked for, why
// there are none.
func (r *rosterPDFs) notYet(e *env) {
	if r.asked() {
		fmt.Fprintln(e.stderr, "No summary or letters yet: they are written when every row is checked, so they are never partial.")
	}
}

// letterhead is what the PDFs say of the school, the nurse and the day
// of the check (--as-of, else today).
func letterhead(p config.Profile, asOf time.Time) roster.Letterhead {
	if asOf.IsZero() {
		asOf = time.Now()
	}
	return roster.Letterhead{School: p.SchoolName, Nurse: p.NurseName, Phone: p.NursePhone, AsOf: asOf,
		Sandbox: p.Environment() == "SANDBOX"}
}
