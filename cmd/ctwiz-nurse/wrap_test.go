package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// TestWrapText: long lines break at spaces only, never inside a word;
// continuation lines take the line's indentation plus two spaces; what
// fits, and a line that redraws itself, is left exactly as it was.
func TestWrapText(t *testing.T) {
	for _, c := range []struct {
		name  string
		in    string
		width int
		want  string
	}{
		{"fits", "ctwiz-nurse query: --last required\n", 40, "ctwiz-nurse query: --last required\n"},
		{"exactly the width", "aaaa bbbb cccc", 14, "aaaa bbbb cccc"},
		{"one over", "aaaa bbbb cccc", 13, "aaaa bbbb\n  cccc"},
		{"message", "ctwiz-nurse query: --dob: \"6/20/50\" is not read: type the four-digit year\n", 30,
			"ctwiz-nurse query: --dob:\n  \"6/20/50\" is not read: type\n  the four-digit year\n"},
		{"indented line keeps its indentation", "  1. CHILD, Robert, born 01/02/2015, registry ID 99445566", 30,
			"  1. CHILD, Robert, born\n    01/02/2015, registry ID\n    99445566"},
		{"a word wider than the line is not cut", "see https://ctwiz.example.org/IISService/path for more", 20,
			"see\n  https://ctwiz.example.org/IISService/path\n  for more"},
		{"a long first word stays on its line", "https://ctwiz.example.org/IISService is down", 20,
			"https://ctwiz.example.org/IISService\n  is down"},
		{"hyphenated words stay whole", "accepted: YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY", 24,
			"accepted: YYYY-MM-DD,\n  M/D/YYYY, M-D-YYYY,\n  MMDDYYYY"},
		{"spaces inside a line kept, dropped at a break", "  compliant      3 students were checked today", 22,
			"  compliant      3\n    students were\n    checked today"},
		{"a prompt keeps its trailing space", "Test the connection now? No patient data is sent. [Y/n] ", 30,
			"Test the connection now? No\n  patient data is sent. [Y/n] "},
		{"each line on its own, blank lines kept", "first line is long enough\n\nsecond line too long here\n", 16,
			"first line is\n  long enough\n\nsecond line too\n  long here\n"},
		{"tab indentation (flag help)", "  -dob string\n    \tdate of birth (required): YYYY-MM-DD or M/D/YYYY\n", 40,
			"  -dob string\n    \tdate of birth (required):\n    \t  YYYY-MM-DD or M/D/YYYY\n"},
		{"no room to indent", "          deeply indented text that is long", 20,
			"          deeply\nindented text that\nis long"},
		{"accents are one column", "García-López José, née Müller", 18, "García-López José,\n  née Müller"},
		{"escape sequences take no room", "\x1b[1mbold\x1b[0m words here", 15, "\x1b[1mbold\x1b[0m words here"},
		{"a redrawn line is left alone", "\r\x1b[K37/200 checked, 12/min, about 13m20s left, compliant 30", 20,
			"\r\x1b[K37/200 checked, 12/min, about 13m20s left, compliant 30"},
		{"no width", "a long line that would wrap", 0, "a long line that would wrap"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := wrapText(c.in, c.width)
			if got != c.want {
				t.Fatalf("wrapText(%q, %d) =\n%q\nwant\n%q", c.in, c.width, got, c.want)
			}
			// The words, in order, are the words written: none cut.
			if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(c.in), " ") {
				t.Errorf("the words changed:\n%q\n%q", got, c.in)
			}
		})
	}
}

// TestMessagesPipedStayOneLine: standard error as main sets it up, when
// it is a pipe, is the pipe itself (nothing wraps), and a message far
// longer than any terminal arrives as one line, as scripts grep it.
func TestMessagesPipedStayOneLine(t *testing.T) {
	keyring.MockInit()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	stderr := messageWriter(w)
	if stderr != io.Writer(w) {
		t.Fatalf("a pipe became %T", stderr)
	}
	got := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		got <- string(b)
	}()
	code := run(&env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: stderr, getenv: func(string) string { return "" }},
		[]string{"query", "--sandbox", "--last", "Parker", "--first", "Liam", "--dob", "6/20/50"})
	w.Close()
	y := time.Now().Year()
	want := fmt.Sprintf(`ctwiz-nurse query: --dob: "6/20/50" is not read: a two-digit year is read only as %d-%d, where a century off is no student; type the four-digit year; accepted: YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for %d-%d`+"\n", y-22, y+1, y-22, y+1)
	if out := <-got; code != exitUsage || out != want {
		t.Errorf("exit %d, stderr\n%q\nwant one line\n%q", code, out, want)
	}
}
