package query

import (
	"bytes"
	"fmt"
	"io"
	"time"
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

// redacted reports whether field n (1-based) of a segment may hold
// patient data: every field of a segment not known to be free of it (PID,
// PD1, NK1, RXA, ORC whose filler number can hold a dose date, and any
// other or unreadable segment); MSA's text (from MSA-3) and every field of
// ERR but its location and severity, free text that can echo a value; the
// demographics of QPD (from QPD-3); the dates of OBX (a forecast date can
// be the birth date).
func redacted(name []byte, n int, obxType []byte) bool {
	switch string(name) {
	case "MSH", "QAK", "RCP", "RXR":
		return false
	case "MSA":
		return n >= 3
	case "ERR":
		return n != 2 && n != 4
	case "QPD":
		return n >= 3
	case "OBX":
		return n >= 14 || (n == 5 && (string(obxType) == "DT" || string(obxType) == "TS"))
	}
	return true
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
// and replaces each redacted value by "*".
func redactHL7(msg []byte) []byte {
	delims := []byte(`|^~\&`)
	// As hl7.Parse does: MLLP framing, blank lines or a byte-order mark
	// may come before the MSH that names the separators.
	if m := bytes.TrimLeft(msg, "\x0b\r\n\t \ufeff"); len(m) >= 8 && bytes.HasPrefix(m, []byte("MSH")) {
		delims = m[3:8]
	}
	var out bytes.Buffer
	for seg := range bytes.FieldsFuncSeq(msg, func(r rune) bool { return r == '\r' || r == '\n' }) {
		out.WriteString("  ")
		fields := bytes.Split(seg, delims[:1])
		name := bytes.TrimSpace(fields[0])
		if !segmentName(name) {
			out.WriteString("*\n")
			continue
		}
		var obxType []byte
		if len(fields) > 2 {
			obxType = fields[2]
		}
		for n, f := range fields {
			if n > 0 {
				out.WriteByte(delims[0])
			}
			if n == 0 || !redacted(name, n, obxType) {
				out.Write(f)
				continue
			}
			inValue := false
			for _, b := range f {
				switch {
				case bytes.IndexByte(delims[1:], b) >= 0:
					inValue = false
					out.WriteByte(b)
				case !inValue:
					inValue = true
					out.WriteByte('*')
				}
			}
		}
		out.WriteByte('\n')
	}
	return out.Bytes()
}
