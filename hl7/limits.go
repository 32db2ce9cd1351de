package hl7

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// ErrTooComplex is wrapped by Decode's error for a reply holding more than
// any real immunization record does. Such a reply is refused rather than
// decoded: a registry (or whatever answers in its name) could otherwise
// keep the program busy for minutes, or fill the screen with thousands of
// identifiers.
var ErrTooComplex = errors.New("reply too complex")

// What one reply may hold. A real record has a few hundred segments (a
// 300-dose history has about 2,000), a handful of identifiers or phone
// numbers per patient, and about a hundred OBX in some thirty vaccine
// groups after the forecast's RXA. Grouping an OBX looks through the
// groups already open, so their number is what bounds its cost.
const (
	MaxSegments      = 10_000 // segments in a reply
	MaxRepetitions   = 100    // repetitions of any one field
	MaxOBXPerRXA     = 1_000  // segments between an RXA and the next RXA, ORC or PID
	MaxGroupsPerRXA  = 50     // vaccine groups (evaluations or forecasts) under one RXA
	maxComplexReport = 60     // how much of a segment name the error quotes
)

var tooManyGroups = fmt.Errorf("%w: an RXA has more than %d vaccine groups", ErrTooComplex, MaxGroupsPerRXA)

// checkLimits refuses a message past MaxSegments or with a field past
// MaxRepetitions, in one pass over its text; fewReps skips the second
// check, for a message known to hold fewer repetitions in all.
func checkLimits(m *Message, fewReps bool) error {
	if n := len(m.Segments); n > MaxSegments {
		return fmt.Errorf("%w: %d segments (a reply may hold %d)", ErrTooComplex, n, MaxSegments)
	}
	if fewReps {
		return nil
	}
	for i, s := range m.Segments {
		if field, reps := s.mostRepeated(); reps > MaxRepetitions {
			name := s.Name
			if len(name) > maxComplexReport {
				name = name[:maxComplexReport]
			}
			return fmt.Errorf("%w: %s-%d of segment %d repeats %d times (a field may repeat %d times)", ErrTooComplex, name, field, i+1, reps, MaxRepetitions)
		}
	}
	return nil
}

// checkSegmentCount refuses data of more than MaxSegments non-blank
// lines before it is parsed, so that millions of tiny segments in a
// 16 MiB reply are never held as a list of segments.
func checkSegmentCount(data []byte) error {
	if bytes.Count(data, []byte{'\r'})+bytes.Count(data, []byte{'\n'}) < MaxSegments {
		return nil // fewer lines than that: the usual case, counted fast
	}
	n, blank := 0, true
	for _, c := range data {
		switch {
		case c == '\r' || c == '\n':
			blank = true
		case blank && c > ' ':
			blank = false
			if n++; n > MaxSegments {
				return fmt.Errorf("%w: more than %d segments (a reply may hold %d)", ErrTooComplex, MaxSegments, MaxSegments)
			}
		}
	}
	return nil
}

// checkGroup refuses an RXA followed by more than MaxOBXPerRXA segments.
func checkGroup(g []Segment) error {
	if n := len(g) - 1; n > MaxOBXPerRXA {
		return fmt.Errorf("%w: an RXA is followed by %d segments (at most %d)", ErrTooComplex, n, MaxOBXPerRXA)
	}
	return nil
}

// mostRepeated returns the field (numbered as Field does) with the most
// repetitions, and how many it has, reading the segment once.
func (s Segment) mostRepeated() (field, reps int) {
	if s.d.Repetition == 0 || strings.IndexByte(s.Raw, s.d.Repetition) < 0 {
		return 0, 0 // most segments repeat nothing
	}
	raw, n := s.Raw, 0 // n: the field being read; 0 is the name
	if s.isMSH() {
		// MSH-2 holds the repetition separator itself: count from MSH-3.
		i := strings.IndexByte(raw[min(4, len(raw)):], s.d.Field)
		if i < 0 {
			return 0, 0
		}
		raw, n = raw[4+i+1:], 3
	}
	count := 1
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case s.d.Field:
			n, count = n+1, 1
		case s.d.Repetition:
			count++
			if count > reps {
				field, reps = n, count
			}
		}
	}
	return field, reps
}
