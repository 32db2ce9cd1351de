package hl7

import (
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Delimiters are a message's separators, read from MSH-1 and MSH-2.
type Delimiters struct {
	Field, Component, Repetition, Escape, SubComponent byte
}

// DefaultDelimiters are the separators every message built here uses: |^~\&.
var DefaultDelimiters = Delimiters{'|', '^', '~', '\\', '&'}

// ErrNotHL7 is returned by Parse for input that is not an HL7 v2 message.
var ErrNotHL7 = errors.New("not an HL7 v2 message")

// Message is a parsed HL7 v2 message. Segments keep their wire text and are
// split on access, which keeps parsing cheap; values are unescaped when read.
type Message struct {
	Delims   Delimiters
	Segments []Segment
}

// Segment is one segment: its name and its text as on the wire (escaped),
// including the name. Fields are numbered the HL7 way: for MSH, field 1 is
// the field separator and field 2 the encoding characters.
type Segment struct {
	Name string
	Raw  string
	d    Delimiters
}

// Parse reads one HL7 v2 message. Segments may end in CR, LF or CRLF, the
// last with or without a terminator; MLLP framing bytes are ignored. The
// separators are taken from MSH-1 and MSH-2.
func Parse(data []byte) (*Message, error) {
	d, s, err := header(string(data))
	if err != nil {
		return nil, err
	}
	m := &Message{Delims: d, Segments: make([]Segment, 0, max(strings.Count(s, "\r"), strings.Count(s, "\n"))+1)}
	// cr and lf are the next CR and LF at or after pos (len(s) when there
	// is none), each looked for again only once passed: one scan of the
	// message for each, where IndexAny would test every byte against both.
	cr, lf := -1, -1
	for pos := 0; pos < len(s); {
		if cr < pos {
			cr = indexFrom(s, pos, '\r')
		}
		if lf < pos {
			lf = indexFrom(s, pos, '\n')
		}
		end := min(cr, lf)
		line := s[pos:end]
		pos = end + 1
		// Blank lines between segments are dropped; spaces inside a
		// segment are data and kept.
		if trimSpace(line) == "" {
			continue
		}
		name := line
		if j := strings.IndexByte(line, d.Field); j >= 0 {
			name = line[:j]
		}
		m.Segments = append(m.Segments, Segment{Name: trimSpace(name), Raw: line, d: d})
	}
	return m, nil
}

// trimSpace is strings.TrimSpace with a fast path for the usual value,
// which starts and ends with a printable ASCII character: decoding trims
// several values per segment.
func trimSpace(s string) string {
	if s == "" || s[0] > ' ' && s[0] < utf8.RuneSelf && s[len(s)-1] > ' ' && s[len(s)-1] < utf8.RuneSelf {
		return s
	}
	return strings.TrimSpace(s)
}

// indexFrom is the index in s of the first c at or after from, or len(s).
func indexFrom(s string, from int, c byte) int {
	if i := strings.IndexByte(s[from:], c); i >= 0 {
		return from + i
	}
	return len(s)
}

func (d Delimiters) check() error {
	seps := []byte{d.Field, d.Component, d.Repetition, d.Escape, d.SubComponent}
	for i, c := range seps {
		if c == 0 {
			continue
		}
		if c == '\r' || c == '\n' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			return fmt.Errorf("MSH-1/MSH-2 separator %q is not usable", c)
		}
		for _, o := range seps[i+1:] {
			if o == c {
				return fmt.Errorf("MSH-1/MSH-2 repeat the separator %q", c)
			}
		}
	}
	return nil
}

// ReadDelimiters reads the separators a message declares in MSH-1 and
// MSH-2, as Parse does, without splitting the message into segments.
func ReadDelimiters(data []byte) (Delimiters, error) {
	d, _, err := header(string(data))
	return d, err
}

// header skips the framing Parse tolerates before the MSH and reads the
// separators; it returns them with the message from the MSH on.
func header(s string) (Delimiters, string, error) {
	// MLLP: 0x0B before, 0x1C (and CR) after. Leading blank lines and a
	// byte-order mark are tolerated too, as files and editors add them.
	s = strings.TrimLeft(s, "\x0b\r\n\t \ufeff")
	if i := strings.IndexByte(s, 0x1c); i >= 0 {
		s = s[:i]
	}
	if !strings.HasPrefix(s, "MSH") && !strings.HasPrefix(s, "FHS") && !strings.HasPrefix(s, "BHS") {
		return Delimiters{}, "", fmt.Errorf("%w: it does not start with an MSH segment", ErrNotHL7)
	}
	if len(s) < 5 {
		return Delimiters{}, "", fmt.Errorf("%w: the MSH segment is too short to hold its separators", ErrNotHL7)
	}
	// MSH-2 normally holds four characters; a registry may send fewer (no
	// escape or sub-component separator), which then stay zero.
	d := Delimiters{Field: s[3]}
	enc := s[4:]
	if i := strings.IndexAny(enc, string(d.Field)+"\r\n"); i >= 0 {
		enc = enc[:i]
	}
	for i, p := range []*byte{&d.Component, &d.Repetition, &d.Escape, &d.SubComponent} {
		if i < len(enc) {
			*p = enc[i]
		}
	}
	if err := d.check(); err != nil {
		return Delimiters{}, "", fmt.Errorf("%w: %v", ErrNotHL7, err)
	}
	return d, s, nil
}

// All yields the segments named name, in order.
func (m *Message) All(name string) iter.Seq[Segment] {
	return func(yield func(Segment) bool) {
		for _, s := range m.Segments {
			if s.Name == name && !yield(s) {
				return
			}
		}
	}
}

// First returns the first segment named name.
func (m *Message) First(name string) (Segment, bool) {
	for _, s := range m.Segments {
		if s.Name == name {
			return s, true
		}
	}
	return Segment{}, false
}

// Groups yields the segment groups that each start with a segment named
// start and run until the next start or until a segment named in stop.
// For example Groups("RXA", "ORC", "PID") yields each RXA with its RXR and
// OBX segments.
func (m *Message) Groups(start string, stop ...string) iter.Seq[[]Segment] {
	return func(yield func([]Segment) bool) {
		from := -1
		for i, s := range m.Segments {
			isStop := s.Name == start
			for _, n := range stop {
				isStop = isStop || s.Name == n
			}
			if isStop && from >= 0 {
				if !yield(m.Segments[from:i]) {
					return
				}
				from = -1
			}
			if s.Name == start {
				from = i
			}
		}
		if from >= 0 {
			yield(m.Segments[from:])
		}
	}
}

// Get returns the unescaped value at an HL7 path such as "MSH-9.1",
// "PID-5.1", "PID-3[2].1" (second repetition) or "RCP-2.2.1"
// (sub-component), from the first segment with that name. An absent value
// is "".
func (m *Message) Get(path string) string {
	p, err := parsePath(path)
	if err != nil {
		return ""
	}
	s, ok := m.First(p.seg)
	if !ok {
		return ""
	}
	return s.Value(p.field, p.rep, p.comp, p.sub)
}

// ControlID returns MSH-10.
func (m *Message) ControlID() string { return m.Get("MSH-10") }

// Get returns the unescaped value at a path that starts with this segment's
// name, as Message.Get does.
func (s Segment) Get(path string) string {
	p, err := parsePath(path)
	if err != nil || p.seg != s.Name {
		return ""
	}
	return s.Value(p.field, p.rep, p.comp, p.sub)
}

// Value returns the unescaped value of a field (numbered from 1),
// repetition, component and sub-component (each numbered from 1; 0 for
// rep, comp or sub means 1). An absent value is "".
func (s Segment) Value(field, rep, comp, sub int) string {
	return s.d.unescape(s.raw(field, rep, comp, sub))
}

// Field returns field n (numbered from 1) as on the wire, still escaped,
// with all its repetitions and components.
func (s Segment) Field(n int) string {
	if n < 1 {
		return ""
	}
	if s.isMSH() {
		// MSH-1 is the separator itself, so the wire's second part is MSH-2.
		if n == 1 {
			return string(s.d.Field)
		}
		return nth(s.Raw, s.d.Field, n)
	}
	return nth(s.Raw, s.d.Field, n+1)
}

// Reps returns the number of repetitions in field n (0 when it is empty).
func (s Segment) Reps(n int) int {
	f := s.Field(n)
	if f == "" {
		return 0
	}
	if s.isMSH() && n == 2 {
		return 1
	}
	return strings.Count(f, string(s.d.Repetition)) + 1
}

// Repetition is one repetition of a field, as on the wire.
type Repetition struct {
	raw string
	d   Delimiters
}

// Value returns the unescaped component and sub-component (each numbered
// from 1) of the repetition.
func (r Repetition) Value(comp, sub int) string {
	return r.d.unescape(nth(nth(r.raw, r.d.Component, comp), r.d.SubComponent, sub))
}

// empty reports whether the repetition holds nothing but component
// separators.
func (r Repetition) empty() bool {
	for i := 0; i < len(r.raw); i++ {
		if r.raw[i] != r.d.Component || r.d.Component == 0 {
			return false
		}
	}
	return true
}

// Repetitions yields the repetitions of field n (none when it is empty).
// The field is read once, however many repetitions it has, where asking
// Value for each repetition in turn would read it again every time.
func (s Segment) Repetitions(n int) iter.Seq[Repetition] {
	return s.d.repetitions(s.Field(n))
}

// repetitions yields the repetitions of a field's wire text.
func (d Delimiters) repetitions(field string) iter.Seq[Repetition] {
	return func(yield func(Repetition) bool) {
		if field == "" {
			return
		}
		if d.Repetition == 0 {
			yield(Repetition{field, d})
			return
		}
		for {
			i := strings.IndexByte(field, d.Repetition)
			if i < 0 {
				yield(Repetition{field, d})
				return
			}
			if !yield(Repetition{field[:i], d}) {
				return
			}
			field = field[i+1:]
		}
	}
}

func (s Segment) isMSH() bool { return s.Name == "MSH" || s.Name == "FHS" || s.Name == "BHS" }

func (s Segment) raw(field, rep, comp, sub int) string {
	v := s.Field(field)
	if s.isMSH() && field <= 2 {
		return v // the separators are not split or unescaped
	}
	if v == "" {
		return ""
	}
	v = nth(v, s.d.Repetition, max(rep, 1))
	v = nth(v, s.d.Component, max(comp, 1))
	return nth(v, s.d.SubComponent, max(sub, 1))
}

// nth returns the n-th (from 1) part of s split at sep, without allocating.
// A zero sep (a separator the message does not declare) means s is one part.
func nth(s string, sep byte, n int) string {
	if sep == 0 {
		if n == 1 {
			return s
		}
		return ""
	}
	// A byte loop: fields are short, so this beats repeated IndexByte calls.
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != sep {
			continue
		}
		if n == 1 {
			return s[start:i]
		}
		n--
		start = i + 1
	}
	if n == 1 {
		return s[start:]
	}
	return ""
}

// fields splits the segment's fields 1..len(dst) into dst in one pass,
// for decoders that read many fields of one segment.
func (s Segment) fields(dst []string) {
	clear(dst)
	raw := s.Raw
	if s.isMSH() {
		for i := range dst {
			dst[i] = s.Field(i + 1)
		}
		return
	}
	// The name first, then one IndexByte per field: a segment is long
	// enough that a vectorised search beats a byte loop.
	sep := s.d.Field
	if sep == 0 {
		return // no separator: no field past the name, as Field reads it
	}
	i := strings.IndexByte(raw, sep)
	for n := range dst {
		if i < 0 {
			return
		}
		raw = raw[i+1:]
		if i = strings.IndexByte(raw, sep); i < 0 {
			dst[n] = raw
		} else {
			dst[n] = raw[:i]
		}
	}
}

// part returns the unescaped rep/comp/sub of a field's wire text, as
// Segment.Value does for a field it finds itself.
func (s Segment) part(field string, rep, comp, sub int) string {
	if field == "" {
		return ""
	}
	v := nth(field, s.d.Repetition, rep)
	v = nth(v, s.d.Component, comp)
	return s.d.unescape(nth(v, s.d.SubComponent, sub))
}

// components returns the first three components of a field's first
// repetition (wire text), each its first sub-component, unescaped: what
// part(field, 1, c, 1) gives for c = 1, 2, 3, read in one pass.
func (d Delimiters) components(field string) (c [3]string) {
	rep, comp, sub, esc := sepOrNone(d.Repetition), sepOrNone(d.Component), sepOrNone(d.SubComponent), sepOrNone(d.Escape)
	for n := range c {
		end, subEnd, escaped := scanComponent(field, rep, comp, sub, esc)
		c[n] = d.unescapeIf(escaped, field[:subEnd])
		if end == len(field) || int(field[end]) == rep {
			break
		}
		field = field[end+1:]
	}
	return c
}

// scanComponent reads the component s starts with: where it ends (at a
// component or repetition separator, else len(s)), where its first
// sub-component ends, and whether it holds an escape character. A loop
// of its own, whose few variables stay in registers.
func scanComponent(s string, rep, comp, sub, esc int) (end, subEnd int, escaped bool) {
	subEnd = -1
	for i := 0; i < len(s); i++ {
		switch b := int(s[i]); {
		case b == comp || b == rep:
			if subEnd < 0 {
				subEnd = i
			}
			return i, subEnd, escaped
		case b == sub:
			if subEnd < 0 {
				subEnd = i
			}
		case b == esc:
			escaped = true
		}
	}
	if subEnd < 0 {
		subEnd = len(s)
	}
	return len(s), subEnd, escaped
}

// unescapeIf unescapes v when escaped, that is when the loop that found v
// saw an escape character: the others skip unescape's own search.
func (d Delimiters) unescapeIf(escaped bool, v string) string {
	if escaped {
		return d.unescape(v)
	}
	return v
}

// sepOrNone is a separator as an int that a byte can equal, or -1 (no
// byte) for a separator the message does not declare.
func sepOrNone(c byte) int {
	if c == 0 {
		return -1
	}
	return int(c)
}

type path struct {
	seg                   string
	field, rep, comp, sub int
}

// parsePath reads SEG-field[rep].comp.sub.
func parsePath(p string) (path, error) {
	var r path
	dash := strings.IndexByte(p, '-')
	if dash < 1 {
		return r, fmt.Errorf("hl7 path %q: want SEG-field", p)
	}
	r.seg, p = p[:dash], p[dash+1:]
	num := func(s string) (int, error) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0, fmt.Errorf("hl7 path: %q is not a position", s)
		}
		return n, nil
	}
	parts := strings.Split(p, ".")
	f := parts[0]
	r.rep = 1
	if i := strings.IndexByte(f, '['); i >= 0 {
		if !strings.HasSuffix(f, "]") {
			return r, fmt.Errorf("hl7 path %q: unclosed repetition", p)
		}
		n, err := num(f[i+1 : len(f)-1])
		if err != nil {
			return r, err
		}
		r.rep, f = n, f[:i]
	}
	var err error
	if r.field, err = num(f); err != nil {
		return r, err
	}
	r.comp, r.sub = 1, 1
	if len(parts) > 1 {
		if r.comp, err = num(parts[1]); err != nil {
			return r, err
		}
	}
	if len(parts) > 2 {
		if r.sub, err = num(parts[2]); err != nil {
			return r, err
		}
	}
	if len(parts) > 3 {
		return r, fmt.Errorf("hl7 path %q: too many parts", p)
	}
	return r, nil
}
