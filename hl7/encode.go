package hl7

import (
	"fmt"
	"strings"
)

// Field is a field's value for building a message: repetitions, each of
// components, each of sub-components. Every string is escaped when the
// segment is built, so values are plain text.
type Field [][][]string

// F is a field with one repetition of the given components.
func F(components ...string) Field {
	rep := make([][]string, len(components))
	for i, c := range components {
		rep[i] = []string{c}
	}
	return Field{rep}
}

// Reps joins single-repetition fields into one repeating field.
func Reps(fields ...Field) Field {
	var out Field
	for _, f := range fields {
		out = append(out, f...)
	}
	return out
}

// NewSegment builds a segment with the default delimiters. fields[0] is
// field 1. Use NewMSH for the header.
func NewSegment(name string, fields ...Field) Segment {
	return DefaultDelimiters.segment(name, fields)
}

// NewMSH builds an MSH segment with the default delimiters; fields[0] is
// MSH-3 (MSH-1 and MSH-2 are the delimiters themselves).
func NewMSH(fields ...Field) Segment {
	d := DefaultDelimiters
	s := d.segment("MSH", fields)
	enc := string([]byte{d.Field, d.Component, d.Repetition, d.Escape, d.SubComponent})
	s.Raw = "MSH" + enc + strings.TrimPrefix(s.Raw, "MSH")
	return s
}

func (d Delimiters) segment(name string, fields []Field) Segment {
	var b strings.Builder
	b.WriteString(name)
	// Trailing empty fields are left out, as HL7 allows.
	last := len(fields)
	for last > 0 && fields[last-1].empty() {
		last--
	}
	for _, f := range fields[:last] {
		b.WriteByte(d.Field)
		for r, rep := range f {
			if r > 0 {
				b.WriteByte(d.Repetition)
			}
			rep = trimEmpty(rep)
			for c, comp := range rep {
				if c > 0 {
					b.WriteByte(d.Component)
				}
				for s, sub := range trimEmptyStrings(comp) {
					if s > 0 {
						b.WriteByte(d.SubComponent)
					}
					b.WriteString(d.EscapeValue(sub))
				}
			}
		}
	}
	return Segment{Name: name, Raw: b.String(), d: d}
}

func (f Field) empty() bool {
	for _, rep := range f {
		if len(trimEmpty(rep)) > 0 {
			return false
		}
	}
	return true
}

func trimEmpty(rep [][]string) [][]string {
	for len(rep) > 0 && len(trimEmptyStrings(rep[len(rep)-1])) == 0 {
		rep = rep[:len(rep)-1]
	}
	return rep
}

func trimEmptyStrings(c []string) []string {
	for len(c) > 0 && c[len(c)-1] == "" {
		c = c[:len(c)-1]
	}
	return c
}

// NewMessage assembles segments into a message with the default delimiters.
// The first segment must be an MSH.
func NewMessage(segments ...Segment) (*Message, error) {
	if len(segments) == 0 || segments[0].Name != "MSH" {
		return nil, fmt.Errorf("hl7: a message must start with MSH")
	}
	return &Message{Delims: DefaultDelimiters, Segments: segments}, nil
}

// Encode writes the message in wire form: segments each terminated by CR.
func Encode(m *Message) []byte {
	n := 0
	for _, s := range m.Segments {
		n += len(s.Raw) + 1
	}
	b := make([]byte, 0, n)
	for _, s := range m.Segments {
		b = append(b, s.Raw...)
		b = append(b, '\r')
	}
	return b
}
