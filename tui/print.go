package tui

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
)

// Printer hands a record to the system: the default printer, the
// system's PDF viewer, or a file the nurse names. Each call returns a
// short line for the status bar. SystemPrinter is the real one.
type Printer interface {
	Print(ctx context.Context, r *hl7.Response, info printout.Info) (string, error)
	View(ctx context.Context, r *hl7.Response, info printout.Info) (string, error)
	Save(ctx context.Context, r *hl7.Response, info printout.Info, path string) (string, error)
}

// SystemPrinter prints through the printout package: CUPS lp, the
// system's viewer, or a file. Temporary PDFs live in Spool, which the
// caller closes when the interface exits.
type SystemPrinter struct {
	Spool   *printout.Spool
	Printer string // CUPS queue; "" is the system's default printer
}

func (p SystemPrinter) Print(ctx context.Context, r *hl7.Response, info printout.Info) (string, error) {
	if err := p.Spool.Print(ctx, r, info, p.Printer); err != nil {
		return "", err
	}
	if p.Printer == "" {
		return "Sent to the default printer.", nil
	}
	return "Sent to printer " + p.Printer + ".", nil
}

func (p SystemPrinter) View(ctx context.Context, r *hl7.Response, info printout.Info) (string, error) {
	if err := p.Spool.Open(ctx, r, info); err != nil {
		return "", err
	}
	return "Opened in the PDF viewer: print from there.", nil
}

func (p SystemPrinter) Save(_ context.Context, r *hl7.Response, info printout.Info, path string) (string, error) {
	if err := printout.Save(path, r, info); err != nil {
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
