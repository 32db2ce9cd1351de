package query

import (
	"bytes"
	"fmt"
	"time"
)

func (c *Client) tracef(format string, args ...any) {
	if c.cfg.Trace == nil {
		return
	}
	c.traceMu.Lock()
	defer c.traceMu.Unlock()
	fmt.Fprintf(c.cfg.Trace, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05.000")}, args...)...)
}

// traceHL7 writes an HL7 message, one segment a line, with redactHL7
// applied.
func (c *Client) traceHL7(label string, msg []byte) {
	if c.cfg.Trace == nil {
		return
	}
	c.tracef("HL7 %s (%d bytes, patient values shown as *):\n%s", label, len(msg), redactHL7(msg))
}

// redacted reports whether field n (1-based) of a segment holds patient
// data: all of PID, PD1, NK1 and RXA; the demographics of QPD (from
// QPD-3); the dates of OBX (a forecast date can be the birth date).
func redacted(name []byte, n int, obxType []byte) bool {
	switch string(name) {
	case "PID", "PD1", "NK1", "RXA":
		return true
	case "QPD":
		return n >= 3
	case "OBX":
		return n >= 14 || (n == 5 && (string(obxType) == "DT" || string(obxType) == "TS"))
	}
	return false
}

// redactHL7 keeps the structure of msg (segment names, separators, codes)
// and replaces each redacted value by "*".
func redactHL7(msg []byte) []byte {
	delims := []byte(`|^~\&`)
	if len(msg) >= 8 && bytes.HasPrefix(msg, []byte("MSH")) {
		delims = msg[3:8]
	}
	var out bytes.Buffer
	for seg := range bytes.FieldsFuncSeq(msg, func(r rune) bool { return r == '\r' || r == '\n' }) {
		out.WriteString("  ")
		fields := bytes.Split(seg, delims[:1])
		var obxType []byte
		if len(fields) > 2 {
			obxType = fields[2]
		}
		for n, f := range fields {
			if n > 0 {
				out.WriteByte(delims[0])
			}
			if n == 0 || !redacted(fields[0], n, obxType) {
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
