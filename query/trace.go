package query

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// tracef writes one entry of the trace. It is the trace's only writer,
// and scrubs the password from the entry in case a registry echoed it in
// what the entry quotes.
func (c *Client) tracef(format string, args ...any) {
	if c.cfg.Trace == nil {
		return
	}
	line := fmt.Sprintf("%s "+format+"\n", append([]any{time.Now().Format("15:04:05.000")}, args...)...)
	c.traceMu.Lock()
	defer c.traceMu.Unlock()
	io.WriteString(c.cfg.Trace, c.scrub.text(line))
}

// traceHL7 writes an HL7 message, one segment a line, with redactHL7
// applied.
func (c *Client) traceHL7(label string, msg []byte) {
	if c.cfg.Trace == nil {
		return
	}
	c.tracef("HL7 %s (%d bytes, patient values shown as *):\n%s", label, len(msg), redactHL7(msg))
}

// Redact returns msg as the trace shows it: one segment a line, each
// indented two spaces, with patient values replaced by * (see keep)
// and the password scrubbed from what is kept.
func (c *Client) Redact(msg []byte) string {
	return c.scrub.text(string(redactHL7(msg)))
}

// keep says how much of field n (1-based; for MSH, the field after
// MSH-1, so n=2 is MSH-3... see redactHL7) of a segment the trace shows:
// every value of MSH, QAK, RCP and RXR (codes, identifiers of the
// systems, timestamps); MSA's code and control ID (MSA-3 is free text that
// can echo a value); ERR's location and severity (the rest is free text);
// QPD's profile and tag (from QPD-3 the demographics); OBX's set ID, value
// type, observation code and sub-ID, result status, and its value only
// when that is a known code (keepOBXValue). Nothing of any other segment:
// PID, PD1, NK1, RXA, ORC (its filler number can hold a dose date), and
// any segment not known to be free of patient data.
func keep(name []byte, n int) keepRule {
	switch string(name) {
	case "MSH", "QAK", "RCP", "RXR":
		return keepCodes
	case "MSA":
		return keepIf(n <= 2)
	case "ERR":
		return keepIf(n == 2 || n == 4)
	case "QPD":
		return keepIf(n <= 2)
	case "OBX":
		switch {
		case n <= 4 || n == 11:
			return keepCodes
		case n == 5:
			return keepOBXValue
		}
	}
	return keepNothing
}

type keepRule int

const (
	keepNothing  keepRule = iota
	keepCodes             // each value that reads as a code (isCode)
	keepOBXValue          // OBX-5: a known code and its coding system only
)

func keepIf(b bool) keepRule {
	if b {
		return keepCodes
	}
	return keepNothing
}

// isCode reports whether a kept value looks like what those fields hold
// (codes, identifiers, timestamps, a code's name): letters, digits,
// spaces and a little punctuation, never an escape sequence. Anything
// else (an echoed password, text a registry escaped) is redacted.
func isCode(v []byte) bool {
	if len(v) > 80 {
		return false
	}
	for _, c := range v {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == ' ', c == '.', c == '-', c == '_', c == ':', c == '+', c == '/', c == '(', c == ')', c == ',':
		default:
			return false
		}
	}
	return true
}

// knownOBXCode reports whether an OBX-5.1 is from a code set the
// evaluation and forecast use: a CVX code or dose number (digits), a
// LOINC answer (LA12345-6), a schedule (VXC16), yes/no, or a one-letter
// status code (STC). A date, a name or any text is not, nor a code's
// text: only the code and its coding system are shown.
func knownOBXCode(v []byte) bool {
	s := string(v)
	switch {
	case len(s) >= 1 && len(s) <= 3 && strings.Trim(s, "0123456789") == "":
		return true
	case len(s) >= 6 && len(s) <= 10 && strings.HasPrefix(s, "LA") && s[len(s)-2] == '-' && strings.Trim(s[2:], "0123456789-") == "":
		return true
	case len(s) >= 4 && len(s) <= 6 && strings.HasPrefix(s, "VXC") && strings.Trim(s[3:], "0123456789") == "":
		return true
	case s == "Y" || s == "N" || s == "YES" || s == "NO":
		return true
	case len(s) == 1 && s[0] >= 'A' && s[0] <= 'Z':
		return true
	}
	return false
}

// segmentName reports whether b looks like a segment name: three capital
// letters or digits. Anything else is a line of a value that held a raw
// line break, and is redacted whole.
func segmentName(b []byte) bool {
	if len(b) != 3 {
		return false
	}
	for _, c := range b {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// redactHL7 keeps the structure of msg (segment names, separators, codes)
// and replaces each value that may hold patient data by "*". The
// separators are those MSH declares, as hl7.Parse reads them (MSH-2 may
// declare fewer than four); a message without them is redacted line by
// line.
func redactHL7(msg []byte) []byte {
	var out bytes.Buffer
	d, err := hl7.ReadDelimiters(msg)
	if err != nil {
		for range bytes.FieldsFuncSeq(msg, isLineEnd) {
			out.WriteString("  *\n")
		}
		return out.Bytes()
	}
	for seg := range bytes.FieldsFuncSeq(msg, isLineEnd) {
		out.WriteString("  ")
		fields := bytes.Split(seg, []byte{d.Field})
		name := bytes.TrimSpace(fields[0])
		if !segmentName(name) {
			out.WriteString("*\n")
			continue
		}
		out.Write(fields[0])
		msh := string(name) == "MSH"
		for n, f := range fields[1:] {
			n++
			out.WriteByte(d.Field)
			if msh && n == 1 {
				// MSH-2, the encoding characters: shown when they are
				// only that.
				if len(f) <= 4 && !bytes.ContainsFunc(f, func(r rune) bool { return r == utf8.RuneError || isCode([]byte(string(r))) }) {
					out.Write(f)
				} else {
					out.WriteByte('*')
				}
				continue
			}
			redactField(&out, f, d, keep(name, n))
		}
		out.WriteByte('\n')
	}
	return out.Bytes()
}

func isLineEnd(r rune) bool { return r == '\r' || r == '\n' }

// redactField writes field f with its separators, each value kept as the
// rule allows or replaced by "*".
func redactField(out *bytes.Buffer, f []byte, d hl7.Delimiters, rule keepRule) {
	isSep := func(c byte) bool {
		return c != 0 && (c == d.Component || c == d.Repetition || c == d.SubComponent)
	}
	comp, sub, code := 1, 1, false // code: this repetition's OBX-5.1 is a known code
	start := 0
	for i := 0; i <= len(f); i++ {
		if i < len(f) && !isSep(f[i]) {
			continue
		}
		v := f[start:i]
		show := false
		switch rule {
		case keepCodes:
			show = isCode(v)
		case keepOBXValue:
			if comp == 1 && sub == 1 {
				code = knownOBXCode(v)
			}
			show = code && sub == 1 && (comp == 1 || comp == 3) && isCode(v)
		}
		switch {
		case show:
			out.Write(v)
		case len(v) > 0:
			out.WriteByte('*')
		}
		if i == len(f) {
			break
		}
		out.WriteByte(f[i])
		switch f[i] {
		case d.Repetition:
			comp, sub, code = 1, 1, false
		case d.Component:
			comp, sub = comp+1, 1
		case d.SubComponent:
			sub++
		}
		start = i + 1
	}
}
