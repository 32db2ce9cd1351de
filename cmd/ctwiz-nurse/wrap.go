package main

import (
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/term"
)

// Messages (errors, usage hints, the roster's reminders) go to standard
// error. At a terminal they are word-wrapped to its width; written to a
// file or a pipe each stays one line, for scripts that grep them.
// Standard output (records, tables, JSON) is data and is never wrapped.

// messageWriter is what main gives the commands as standard error: f
// itself, or f wrapped when it is a terminal.
func messageWriter(f *os.File) io.Writer {
	if !term.IsTerminal(int(f.Fd())) {
		return f
	}
	return terminalWriter{f}
}

// terminalWriter wraps what is written to the terminal's current width
// (read at each write, so a resized window is followed). Each write is
// taken to begin a line: messages are written whole, one Fprintf each,
// and after a prompt the nurse's Enter has brought the cursor back to the
// first column.
type terminalWriter struct{ f *os.File }

// Fd lets isTerminal see the terminal behind the writer.
func (w terminalWriter) Fd() uintptr { return w.f.Fd() }

func (w terminalWriter) Write(p []byte) (int, error) {
	width, _, err := term.GetSize(int(w.f.Fd()))
	if err != nil {
		return w.f.Write(p)
	}
	if _, err := io.WriteString(w.f, wrapText(string(p), width)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// wrapText breaks each line of s that is wider than width at spaces,
// never inside a word (a word wider than the line gets a line of its
// own). Continuation lines take the line's own indentation plus two
// spaces, so a wrapped message reads as one. A line holding a carriage
// return redraws itself (the roster's progress) and is left alone, as is
// everything when width is not positive.
func wrapText(s string, width int) string {
	if width <= 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if !strings.Contains(l, "\r") && columns(l) > width {
			lines[i] = wrapLine(l, width)
		}
	}
	return strings.Join(lines, "\n")
}

func wrapLine(line string, width int) string {
	body := strings.TrimLeft(line, " \t")
	lead := line[:len(line)-len(body)]
	cont := lead + "  "
	if 2*columns(cont) > width {
		cont = "" // no room to indent: the words come first
	}
	var b strings.Builder
	b.WriteString(lead)
	col, start := columns(lead), columns(lead) // start: where this line's words begin
	for body != "" {
		word := strings.TrimLeft(body, " ")
		gap := body[:len(body)-len(word)]
		if word == "" { // trailing spaces, as after a prompt
			b.WriteString(gap)
			break
		}
		if end := strings.IndexByte(word, ' '); end >= 0 {
			word, body = word[:end], word[end:]
		} else {
			body = ""
		}
		w := ansi.StringWidth(word)
		if col > start && col+len(gap)+w > width {
			b.WriteString("\n" + cont)
			col, start = columns(cont), columns(cont)
		} else {
			b.WriteString(gap)
			col += len(gap)
		}
		b.WriteString(word)
		col += w
	}
	return b.String()
}

// columns is the width of s on a terminal: tabs stop every 8 columns,
// escape sequences take none.
func columns(s string) int {
	col := 0
	for i, part := range strings.Split(s, "\t") {
		if i > 0 {
			col = (col/8 + 1) * 8
		}
		col += ansi.StringWidth(part)
	}
	return col
}
