package query

import (
	"strings"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

func TestRedactHL7(t *testing.T) {
	in := "MSH|^~\\&|APP|FAC|||20260101||QBP^Q11^QBP_Q11|C1|P|2.5.1\r" +
		"QPD|Z44^Request Evaluated History and Forecast^CDCPHINVS|TAG|123^^^CT0000^SR|Doe^Jane^Q^^^^L|Roe^Mary^^^^^M|20150102|F|1 Elm St^^Hartford^CT^06101^USA^P|^PRN^PH^^^860^5551234\n" +
		"PID|1||123^^^CT0000^SR||DOE^JANE\r\n" +
		"NK1|1|DOE^JOHN|FTH^Father^HL70063\r" +
		"RXA|0|1|20150826|20150826|94^MMRV^CVX|999\r" +
		"OBX|1|CE|30956-7^Vaccine Type^LN|1|03^MMR^CVX||||||F|||20150826\r" +
		"OBX|2|DT|30980-7^Date Vaccine Due^LN|1|20150102||||||F\r" +
		"ORC|RE||SB0005-08-20170903^CTWIZ\r" +
		"MSA|AE|C1|Birth date 20170903 is after the dose\r" +
		"ERR|x|QPD^1^4|101^Required field missing^HL70357|E|1^Birth date^L|x|Doe 20170903|Check Jane's birth date\r"
	want := "  MSH|^~\\&|APP|FAC|||20260101||QBP^Q11^QBP_Q11|C1|P|2.5.1\n" +
		"  QPD|Z44^Request Evaluated History and Forecast^CDCPHINVS|TAG|*^^^*^*|*^*^*^^^^*|*^*^^^^^*|*|*|*^^*^*^*^*^*|^*^*^^^*^*\n" +
		"  PID|*||*^^^*^*||*^*\n" +
		"  NK1|*|*^*|*^*^*\n" +
		"  RXA|*|*|*|*|*^*^*|*\n" +
		"  OBX|1|CE|30956-7^Vaccine Type^LN|1|03^*^CVX||||||F|||*\n" +
		"  OBX|2|DT|30980-7^Date Vaccine Due^LN|1|*||||||F\n" +
		"  ORC|*||*^*\n" +
		"  MSA|AE|C1|*\n" +
		"  ERR|*|QPD^1^4|*^*^*|E|*^*^*|*|*|*\n"
	if got := string(redactHL7([]byte(in))); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// Values the trace cannot vouch for are redacted too: unknown and local
// segments, the rest of a value that held a raw line break, and messages
// with their own separators behind MLLP framing.
func TestRedactHL7Defensive(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"local and unknown segments", "MSH|^~\\&|A\rZPI|1|Doe^Jane\rIN1|1|Doe Insurance\r",
			"  MSH|^~\\&|A\n  ZPI|*|*^*\n  IN1|*|*\n"},
		{"raw line break inside a value", "MSH|^~\\&|A\rPID|1||123^^^CT0000^SR||DOE^JANE||20150102|F|||12 Elm St\nApt 3|Hartford\r",
			"  MSH|^~\\&|A\n  PID|*||*^^^*^*||*^*||*|*|||*\n  *\n"},
		{"own separators after MLLP framing", "\x0b\rMSH#*@!%#A\rPID#1##123*Doe\r\x1c\r",
			"  *\n  MSH#*@!%#A\n  PID#*##***\n  *\n"},
		{"space before the name", "MSH|^~\\&|A\r PID|1||123^^^CT0000^SR||DOE^JANE\r",
			"   PID|*||*^^^*^*||*^*\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := string(redactHL7([]byte(c.in)))
			if !strings.Contains(got, c.want) {
				t.Errorf("got\n%q\nwant it to contain\n%q", got, c.want)
			}
			for _, secret := range []string{"Doe", "DOE", "JANE", "Jane", "123", "20150102", "Elm", "Apt", "Hartford", "Insurance"} {
				if strings.Contains(got, secret) {
					t.Errorf("%q survived: %q", secret, got)
				}
			}
		})
	}
}

// OBX values of every type are redacted but known codes; the separators
// are read as MSH declares them, also when MSH-2 holds fewer than four.
func TestRedactHL7OBXAndHeaders(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"OBX values of any type",
			"MSH|^~\\&|A\r" +
				"OBX|1|ST|30982-3^Reason Code^LN|1|Jane Doe moved||||||F\r" +
				"OBX|2|CWE|30956-7^Vaccine Type^LN|2|DOE^Jane^L||||||F\r" +
				"OBX|3|DTM|30980-7^Date Vaccine Due^LN|3|20150102120000||||||F\r" +
				"OBX|4|NM|30973-2^Dose Number^LN|4|2|dose^Doe|1-3|N|||F|||20150102\r" +
				"OBX|5|CE|59783-1^Series Status^LN|5|LA13421-5^Complete Doe^LN~Doe^^LN||||||F\r" +
				"OBX|6|TX|29768-9^VIS date^LN|6|Doe\\X41\\||||||F\r",
			"  OBX|1|ST|30982-3^Reason Code^LN|1|*||||||F\n" +
				"  OBX|2|CWE|30956-7^Vaccine Type^LN|2|*^*^*||||||F\n" +
				"  OBX|3|DTM|30980-7^Date Vaccine Due^LN|3|*||||||F\n" +
				"  OBX|4|NM|30973-2^Dose Number^LN|4|2|*^*|*|*|||F|||*\n" +
				"  OBX|5|CE|59783-1^Series Status^LN|5|LA13421-5^*^LN~*^^*||||||F\n" +
				"  OBX|6|TX|29768-9^VIS date^LN|6|*||||||F\n"},
		{"two encoding characters", "MSH|^~|A\rPID|1||123^^^CT0000^SR||DOE&X^JANE\\F\\Q\rOBX|1|ST|30982-3|1|Doe&Jane\\X\r",
			"  MSH|^~|A\n  PID|*||*^^^*^*||*^*\n  OBX|1|ST|30982-3|1|*\n"},
		{"one encoding character", "MSH|^|A\rPID|1||1~2&3||DOE~JANE\r", "  MSH|^|A\n  PID|*||*||*\n"},
		{"own separators", "MSH#*@!%#A\rPID#1##123*Doe@Roe\rQAK#T1#OK\r", "  MSH#*@!%#A\n  PID#*##***@*\n  QAK#T1#OK\n"},
		{"long MSH-2", "MSH|^~\\&Doe|A\rQAK|T1|OK\r", "  MSH|*|A\n  QAK|T1|OK\n"},
		{"kept fields with escapes or odd text", "MSH|^~\\&|\\X446F65\\|F&<x>|||2026||RSP^K11|C1\rQAK|\\F\\|Doe\\T\\Roe\r",
			"  MSH|^~\\&|*|F&*|||2026||RSP^K11|C1\n  QAK|*|*\n"},
		{"not HL7", "Dear Jane Doe\rPID|1||123\r", "  *\n  *\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := string(redactHL7([]byte(c.in)))
			if !strings.HasSuffix(got, c.want) {
				t.Errorf("got\n%s\nwant it to end with\n%s", got, c.want)
			}
			for _, secret := range []string{"Doe", "DOE", "Jane", "JANE", "123", "20150102", "Roe", "X41", "446F65", "Complete", "moved"} {
				if strings.Contains(got, secret) {
					t.Errorf("%q survived: %q", secret, got)
				}
			}
		})
	}
}

// fuzzHeader builds an MSH from a fuzzed field separator and encoding
// characters, or reports that they cannot start a message line. A "*"
// field separator is left out: the trace's fields could not be told from
// its redaction marks.
func fuzzHeader(fs byte, enc string) (string, bool) {
	sep := string([]byte{fs})
	if fs == '\r' || fs == '\n' || fs == '*' || strings.ContainsAny(enc, "\r\n") || strings.Contains(enc, sep) {
		return "", false
	}
	return "MSH" + sep + enc + sep + "A\r", true
}

// onlyRedacted reports whether a redacted field's output is made of "*"
// and the message's separators, with nothing of the value left.
func onlyRedacted(field string, d hl7.Delimiters) bool {
	for i := 0; i < len(field); i++ {
		if c := field[i]; c != '*' && c != d.Field && (c == 0 || (c != d.Component && c != d.Repetition && c != d.SubComponent)) {
			return false
		}
	}
	return true
}

// valueParts splits a field of the trace at the component, repetition and
// sub-component separators, byte by byte.
func valueParts(v string, d hl7.Delimiters) []string {
	var parts []string
	start := 0
	for i := 0; i <= len(v); i++ {
		if i == len(v) || (v[i] != 0 && (v[i] == d.Component || v[i] == d.Repetition || v[i] == d.SubComponent)) {
			if i > start {
				parts = append(parts, v[start:i])
			}
			start = i + 1
		}
	}
	return parts
}

// No character of a redacted field survives, whatever it holds and
// whatever separators the MSH declares; an OBX value keeps only known
// codes.
func FuzzRedactHL7(f *testing.F) {
	f.Add(byte('|'), `^~\&`, "Doe^Jane", "123^^^CT0000^SR", "ST", "Jane moved")
	f.Add(byte('|'), "^~", "A\\F\\B", "~&", "CWE", "DOE^Jane^L")
	f.Add(byte('#'), "*@!%", "Doe*Jane", "1@2", "DTM", "20150102")
	f.Fuzz(func(t *testing.T, fs byte, enc, name, id, typ, value string) {
		head, ok := fuzzHeader(fs, enc)
		sep := string([]byte{fs})
		if !ok || strings.ContainsAny(name+id+typ+value+"30982-3x", "\r\n") || strings.Contains(name+id+typ+value+"30982-3x", sep) {
			return // these would start another field or segment
		}
		msg := head + "PID" + sep + "1" + sep + sep + id + sep + sep + name + "\r" +
			"OBX" + sep + "1" + sep + typ + sep + "30982-3" + sep + "1" + sep + value + sep + "x" + value + "\r"
		out := string(redactHL7([]byte(msg)))
		m, err := hl7.Parse([]byte(msg))
		if err != nil {
			if strings.Trim(out, "* \n") != "" {
				t.Fatalf("unparsable message kept %q", out)
			}
			return
		}
		lines := strings.Split(out, "\n")
		pid := strings.Split(strings.TrimPrefix(lines[1], "  PID"+sep), sep)
		if len(pid) != 5 || !onlyRedacted(pid[2], m.Delims) || !onlyRedacted(pid[4], m.Delims) {
			t.Fatalf("redacted PID keeps %q", lines[1])
		}
		obx := strings.Split(strings.TrimPrefix(lines[2], "  OBX"+sep), sep)
		if len(obx) != 6 || !onlyRedacted(obx[5], m.Delims) {
			t.Fatalf("redacted OBX-6 keeps %q", lines[2])
		}
		checkOBXValue(t, obx[4], m.Delims)
	})
}

// checkOBXValue fails unless each part of an OBX-5 in the trace is
// redacted, a known code, or (third component) its coding system. When
// "*" is itself a separator, the components cannot be counted.
func checkOBXValue(t *testing.T, v string, d hl7.Delimiters) {
	t.Helper()
	starSep := d.Component == '*' || d.Repetition == '*' || d.SubComponent == '*'
	comp, start := 1, 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && (v[i] == 0 || (v[i] != d.Component && v[i] != d.Repetition && v[i] != d.SubComponent)) {
			continue
		}
		if part := v[start:i]; part != "" && part != "*" && !knownOBXCode([]byte(part)) && ((comp != 3 && !starSep) || !isCode([]byte(part))) {
			t.Fatalf("OBX-5 %q keeps %q", v, part)
		}
		if i < len(v) {
			switch v[i] {
			case d.Repetition:
				comp = 1
			case d.Component:
				comp++
			}
		}
		start = i + 1
	}
}

// Whatever the MSH and whatever follows it, a line of the trace is a
// segment known to hold no patient data with only codes kept, an OBX
// with only codes kept, or a name followed only by separators and "*"
// (PID, NK1, unknown segments, broken lines).
func FuzzRedactHL7Lines(f *testing.F) {
	f.Add(byte('|'), `^~\&`, "PID|1||123^^^CT0000^SR||DOE^JANE\rZPI|x\nApt 3|Hartford")
	f.Add(byte('|'), "^~", "OBX|1|DT|30980-7|1|20150102\rQPD|Z44|T|123|Doe\rOBX|2|ST|30982-3|1|Doe^Jane|x")
	f.Add(byte('#'), "*@!%", "OBX#1#CE#59783-1#1#LA13421-5*Complete*LN#kg\rERR##QPD*1*3#101#E#x#Doe")
	f.Fuzz(func(t *testing.T, fs byte, enc, body string) {
		head, ok := fuzzHeader(fs, enc)
		if !ok {
			return
		}
		msg := head + body
		out := redactHL7([]byte(msg))
		m, err := hl7.Parse([]byte(msg))
		for i, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
			line = strings.TrimPrefix(line, "  ")
			if err != nil {
				if line != "*" {
					t.Fatalf("unparsable message: line %q kept", line)
				}
				continue
			}
			if i == 0 {
				continue // the MSH
			}
			fields := strings.Split(line, string([]byte{fs}))
			name := strings.TrimSpace(fields[0])
			for n, v := range fields[1:] {
				n++
				switch rule := keep([]byte(name), n); {
				case name == "MSH":
					// A second MSH: its codes, checked below like any kept field.
				case name == "OBX" && n == 5:
					checkOBXValue(t, v, m.Delims)
					continue
				case rule == keepNothing:
					if !onlyRedacted(v, m.Delims) {
						t.Fatalf("line %q of the trace keeps field %d", line, n)
					}
					continue
				}
				for _, part := range valueParts(v, m.Delims) {
					if part != "*" && !isCode([]byte(part)) {
						t.Fatalf("line %q of the trace keeps %q", line, part)
					}
				}
			}
			if name != "*" && !segmentName([]byte(name)) {
				t.Fatalf("line %q of the trace keeps a name", line)
			}
		}
	})
}
