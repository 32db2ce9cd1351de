package hl7

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseSegmentTerminators(t *testing.T) {
	body := []string{"MSH|^~\\&|APP|FAC|||20240101||RSP^K11^RSP_K11|42|P|2.5.1", "MSA|AA|42", "PID|1||99^^^CT0000^SR||Doe^Jane"}
	cases := map[string]string{
		"CR":                 strings.Join(body, "\r") + "\r",
		"LF":                 strings.Join(body, "\n") + "\n",
		"CRLF":               strings.Join(body, "\r\n") + "\r\n",
		"no final":           strings.Join(body, "\r"),
		"MLLP":               "\x0b" + strings.Join(body, "\r") + "\r\x1c\r",
		"blank lines":        "\n\n" + strings.Join(body, "\n\n") + "\n\n",
		"mixed CR and CR LF": body[0] + "\r" + body[1] + "\r\n" + body[2],
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := Parse([]byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Segments) != 3 {
				t.Fatalf("got %d segments, want 3", len(m.Segments))
			}
			if got := m.Get("PID-5.2"); got != "Jane" {
				t.Errorf("PID-5.2 = %q", got)
			}
			if got := m.ControlID(); got != "42" {
				t.Errorf("MSH-10 = %q", got)
			}
		})
	}
}

func TestParseReadsSeparatorsFromMSH(t *testing.T) {
	m, err := Parse([]byte("MSH#*@!%#APP#FAC#####RSP*K11#7\rPID#1##A%B@C*X#"))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"MSH-1": "#", "MSH-2": "*@!%", "MSH-3": "APP", "MSH-9": "RSP", "MSH-9.2": "K11", "MSH-10": "7",
		"PID-3.1": "A", "PID-3.1.2": "B", "PID-3[2].1": "C", "PID-3[2].2": "X",
	} {
		if got := m.Get(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
}

func TestParseShortEncodingCharacters(t *testing.T) {
	// Some registries send only ^~ in MSH-2: no escape, no sub-components.
	m, err := Parse([]byte("MSH|^~|APP\rPID|1||A&B\\X"))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Get("PID-3"); got != `A&B\X` {
		t.Errorf("PID-3 = %q, want the text kept", got)
	}
}

func TestParseRejectsNonHL7(t *testing.T) {
	for _, in := range []string{"", "hello", "<html><body>502</body></html>", "MSH", "MSH|", "MSH|^^~\\&|x", "MSH|A~\\&"} {
		if _, err := Parse([]byte(in)); !errors.Is(err, ErrNotHL7) {
			t.Errorf("Parse(%q) error = %v, want ErrNotHL7", in, err)
		}
	}
}

func TestPaths(t *testing.T) {
	m, err := Parse([]byte("MSH|^~\\&|A|B|C|D|20240101||QBP^Q11^QBP_Q11|X1|P|2.5.1\r" +
		"PID|1||111^^^MR1^MR~222^^^CT0000^SR||Doe^Jane^Q||20150101|F\r" +
		"RCP|I|5^RD&Records&HL70126\rOBX|1\rOBX|2"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ path, want string }{
		{"MSH-9", "QBP"}, {"MSH-9.3", "QBP_Q11"}, {"MSH-12", "2.5.1"},
		{"PID-3[2].1", "222"}, {"PID-3[2].5", "SR"}, {"PID-3.4", "MR1"}, {"PID-5.3", "Q"},
		{"RCP-2.2.1", "RD"}, {"RCP-2.2.3", "HL70126"}, {"RCP-2.1", "5"},
		{"PID-99", ""}, {"PID-3[9].1", ""}, {"ZZZ-1", ""}, {"PID", ""}, {"PID-x", ""}, {"PID-3[.1", ""},
		{"OBX-1", "1"},
	}
	for _, c := range cases {
		if got := m.Get(c.path); got != c.want {
			t.Errorf("Get(%q) = %q, want %q", c.path, got, c.want)
		}
	}
	var n int
	for s := range m.All("OBX") {
		n++
		if s.Name != "OBX" {
			t.Errorf("All yielded %s", s.Name)
		}
	}
	if n != 2 {
		t.Errorf("All(OBX) yielded %d, want 2", n)
	}
	pid, _ := m.First("PID")
	if got := pid.Reps(3); got != 2 {
		t.Errorf("Reps(PID-3) = %d", got)
	}
	if got := pid.Get("PID-5.2"); got != "Jane" {
		t.Errorf("Segment.Get = %q", got)
	}
}

func TestGroups(t *testing.T) {
	m, err := Parse([]byte("MSH|^~\\&\rPID|1\rORC|1\rRXA|0|1|A\rOBX|1\rOBX|2\rORC|2\rRXA|0|1|B\rOBX|1"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for g := range m.Groups("RXA", "ORC", "PID") {
		var names []string
		for _, s := range g {
			names = append(names, s.Name)
		}
		got = append(got, strings.Join(names, " "))
	}
	want := []string{"RXA OBX OBX", "RXA OBX"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Groups = %q, want %q", got, want)
	}
}

func TestUnescape(t *testing.T) {
	d := DefaultDelimiters
	cases := map[string]string{
		`O\F\Brien`:    "O|Brien",
		`a\S\b\T\c`:    "a^b&c",
		`x\R\y\E\z`:    `x~y\z`,
		`line\.br\two`: "line\ntwo",
		`\X41420D\`:    "AB\r",
		`\X4\`:         `\X4\`,  // odd length: kept
		`\XZZ\`:        `\XZZ\`, // not hex: kept
		`\Q\`:          `\Q\`,   // unknown: kept
		`tail\`:        `tail\`, // unterminated: kept
		`\H\bold\N\`:   `\H\bold\N\`,
		`\\F\`:         `\|`,
		`plain`:        "plain",
	}
	for in, want := range cases {
		if got := d.unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

// Hostile values can never create a field, component, repetition,
// sub-component or segment, and come back exactly.
func TestEscapeHostileValues(t *testing.T) {
	hostile := []string{
		`O'Brien|X^Y~Z\W&V`,
		`A|B^C~D\E&F`,
		"two\rsegments\nMSH|^~\\&|",
		"crlf\r\nhere",
		"\x00\x01\x1f\x7f",
		`\F\ already escaped`,
		"Zoë Ñúñez-Ōkami",
		`\`, `\\`, `\.br\`, `\X41\`,
	}
	for _, v := range hostile {
		m, err := NewMessage(NewMSH(F("APP")), NewSegment("PID", F("1"), nil, nil, F(v, v), nil, Reps(F(v), F(v))))
		if err != nil {
			t.Fatal(err)
		}
		wire := Encode(m)
		if n := bytes.Count(wire, []byte{'\r'}); n != 2 {
			t.Fatalf("%q: %d segment terminators, want 2: %q", v, n, wire)
		}
		p, err := Parse(wire)
		if err != nil {
			t.Fatal(err)
		}
		pid := p.Segments[1]
		if got := strings.Count(pid.Raw, "|"); got != 6 {
			t.Errorf("%q: PID has %d field separators, want 6: %q", v, got, pid.Raw)
		}
		want := strings.ReplaceAll(v, "\r\n", "\n")
		want = strings.ReplaceAll(want, "\r", "\n")
		for _, path := range []string{"PID-4.1", "PID-4.2", "PID-6[1].1", "PID-6[2].1"} {
			if got := p.Get(path); got != want {
				t.Errorf("%q: %s = %q", v, path, got)
			}
		}
		if got := p.Get("PID-4.3"); got != "" {
			t.Errorf("%q: a component leaked: PID-4.3 = %q", v, got)
		}
		if got := p.Get("PID-6[3].1"); got != "" {
			t.Errorf("%q: a repetition leaked: %q", v, got)
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	msgs := sampleFiles(t)
	for name, data := range msgs {
		t.Run(name, func(t *testing.T) {
			m, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			again, err := Parse(Encode(m))
			if err != nil {
				t.Fatal(err)
			}
			if !equalMessages(m, again) {
				t.Errorf("Parse(Encode(m)) != m")
			}
			if !bytes.Equal(Encode(again), Encode(m)) {
				t.Errorf("Encode is not stable")
			}
		})
	}
}

func equalMessages(a, b *Message) bool {
	if a.Delims != b.Delims || len(a.Segments) != len(b.Segments) {
		return false
	}
	for i := range a.Segments {
		if a.Segments[i] != b.Segments[i] {
			return false
		}
	}
	return true
}

func TestBuiltSegmentsTrimTrailingEmpties(t *testing.T) {
	s := NewSegment("QPD", F("a"), nil, F("", ""), Field{{{"x", ""}, {""}}}, nil, nil)
	if s.Raw != "QPD|a|||x" {
		t.Errorf("Raw = %q", s.Raw)
	}
	msh := NewMSH()
	if msh.Raw != `MSH|^~\&` {
		t.Errorf("empty MSH = %q", msh.Raw)
	}
	if _, err := NewMessage(NewSegment("PID")); err == nil {
		t.Error("NewMessage without MSH: no error")
	}
}
