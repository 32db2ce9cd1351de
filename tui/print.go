package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
)

// Printer hands a record to the system: the default printer, the
// system's PDF viewer, or a file the nurse names. Each call returns a
// short line for the status bar. SystemPrinter is the real one.
type Printer interface {
	// Print sends copies of the record to the printer Destination names.
	Print(ctx context.Context, r *hl7.Response, info printout.Info, copies int) (string, error)
	// Destination names the printer Print sends to (the profile's, else
	// the system's default); "" when no default printer is set.
	Destination(ctx context.Context) (string, error)
	View(ctx context.Context, r *hl7.Response, info printout.Info) (string, error)
	// Save writes the PDF to path. Unless replace is set, an existing
	// file is left alone and the error wraps fs.ErrExist.
	Save(ctx context.Context, r *hl7.Response, info printout.Info, path string, replace bool) (string, error)
}

// SystemPrinter prints through the printout package: CUPS lp, the
// system's viewer, or a file. Temporary PDFs live in Spool, which the
// caller closes when the interface exits.
type SystemPrinter struct {
	Spool   *printout.Spool
	Printer string // CUPS queue; "" is the system's default printer
}

func (p SystemPrinter) Print(ctx context.Context, r *hl7.Response, info printout.Info, copies int) (string, error) {
	if err := p.Spool.Print(ctx, r, info, p.Printer, copies); err != nil {
		return "", err
	}
	what := "Sent"
	if copies > 1 {
		what = fmt.Sprintf("Sent %d copies", copies)
	}
	if p.Printer == "" {
		return what + " to the default printer.", nil
	}
	return what + " to printer " + p.Printer + ".", nil
}

func (p SystemPrinter) Destination(ctx context.Context) (string, error) {
	if p.Printer != "" {
		return p.Printer, nil
	}
	return printout.DefaultPrinter(ctx)
}

func (p SystemPrinter) View(ctx context.Context, r *hl7.Response, info printout.Info) (string, error) {
	if err := p.Spool.Open(ctx, r, info); err != nil {
		return "", err
	}
	return "Opened in the PDF viewer: print from there.", nil
}

func (p SystemPrinter) Save(_ context.Context, r *hl7.Response, info printout.Info, path string, replace bool) (string, error) {
	save := printout.SaveNew
	if replace {
		save = printout.Save
	}
	if err := save(path, r, info); err != nil {
		return "", err
	}
	shown := path
	if !strings.HasPrefix(path, "~/") {
		if abs, err := filepath.Abs(path); err == nil {
			shown = abs
		}
	}
	return "Saved to " + shown + ".", nil
}

// fileNameFor is the name the save prompt offers: the student's name, so
// the records of two students saved one after the other do not share one
// name. Anything but letters and digits becomes a hyphen.
func fileNameFor(p hl7.Patient) string {
	name := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '-'
	}, strings.Join(nonEmpty(p.Family, p.Given), " "))
	name = strings.Join(strings.FieldsFunc(name, func(r rune) bool { return r == '-' }), "-")
	if name == "" {
		return "immunization-record.pdf"
	}
	return name + "-immunizations.pdf"
}
