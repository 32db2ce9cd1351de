package hl7

import (
	"strconv"
	"strings"
)

// unescape turns the HL7 escape sequences of a value back into text:
// \F\ \S\ \T\ \R\ \E\, \Xhh..\ and \.br\. An unknown or unterminated
// escape is kept as it is. Values without escapes are returned without
// allocating.
func (d Delimiters) unescape(v string) string {
	if d.Escape == 0 || strings.IndexByte(v, d.Escape) < 0 {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	for {
		i := strings.IndexByte(v, d.Escape)
		if i < 0 {
			b.WriteString(v)
			return b.String()
		}
		b.WriteString(v[:i])
		v = v[i+1:]
		j := strings.IndexByte(v, d.Escape)
		if j < 0 { // unterminated: literal
			b.WriteByte(d.Escape)
			b.WriteString(v)
			return b.String()
		}
		seq := v[:j]
		if out, ok := d.expand(seq); ok {
			b.WriteString(out)
			v = v[j+1:]
			continue
		}
		// Unknown: keep the escape character and go on after it, so the
		// closing character may still start a real escape.
		b.WriteByte(d.Escape)
	}
}

func (d Delimiters) expand(seq string) (string, bool) {
	switch seq {
	case "F":
		return string(d.Field), true
	case "S":
		return string(d.Component), true
	case "T":
		return string(d.SubComponent), true
	case "R":
		return string(d.Repetition), true
	case "E":
		return string(d.Escape), true
	case ".br":
		return "\n", true
	}
	if len(seq) > 1 && (seq[0] == 'X' || seq[0] == 'x') && len(seq)%2 == 1 {
		var b []byte
		for k := 1; k < len(seq); k += 2 {
			n, err := strconv.ParseUint(seq[k:k+2], 16, 8)
			if err != nil {
				return "", false
			}
			b = append(b, byte(n))
		}
		return string(b), true
	}
	return "", false
}

// Unescape returns v with the escape sequences of the default delimiters
// read, as a decoded value would be: the reverse of Escape.
func Unescape(v string) string { return DefaultDelimiters.unescape(v) }

// UnescapeValue returns a value from the wire with its escape sequences
// read: the reverse of EscapeValue.
func (d Delimiters) UnescapeValue(v string) string { return d.unescape(v) }

// Escape returns v escaped for the default delimiters; see Delimiters.Escape.
func Escape(v string) string { return DefaultDelimiters.EscapeValue(v) }

// EscapeValue returns v with every separator written as its escape sequence, so
// that no value can create a field, component, repetition, sub-component or
// segment. Line breaks become \.br\ (CR LF and lone CR count as one
// break) and other control characters \Xhh\.
func (d Delimiters) EscapeValue(v string) string {
	if !d.needsEscape(v) {
		return v
	}
	var b strings.Builder
	b.Grow(len(v) + 8)
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == d.Escape:
			b.WriteString(d.seq("E"))
		case c == d.Field:
			b.WriteString(d.seq("F"))
		case c == d.Component:
			b.WriteString(d.seq("S"))
		case c == d.Repetition:
			b.WriteString(d.seq("R"))
		case c == d.SubComponent:
			b.WriteString(d.seq("T"))
		case c == '\r' && i+1 < len(v) && v[i+1] == '\n':
			// CR LF: written once, below, for the LF.
		case c == '\r' || c == '\n':
			b.WriteString(d.seq(".br"))
		case c < 0x20 || c == 0x7f:
			b.WriteString(d.seq("X" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:])))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (d Delimiters) seq(s string) string {
	return string(d.Escape) + s + string(d.Escape)
}

func (d Delimiters) needsEscape(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 || c == 0x7f || c == d.Field || c == d.Component || c == d.Repetition || c == d.Escape || c == d.SubComponent {
			return true
		}
	}
	return false
}
