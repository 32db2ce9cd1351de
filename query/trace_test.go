package query

import (
	"bytes"
	"strings"
	"testing"
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
		"  OBX|1|CE|30956-7^Vaccine Type^LN|1|03^MMR^CVX||||||F|||*\n" +
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

// No character of a redacted field survives, whatever it holds.
func FuzzRedactHL7(f *testing.F) {
	f.Add("Doe^Jane", "123^^^CT0000^SR")
	f.Add("A\\F\\B", "~&")
	f.Fuzz(func(t *testing.T, name, id string) {
		if strings.ContainsAny(name+id, "|\r\n") {
			return // these would start another field or segment
		}
		out := redactHL7([]byte("MSH|^~\\&|A\rPID|1||" + id + "||" + name + "\r"))
		_, pid, _ := bytes.Cut(out, []byte("\n  PID|"))
		if strings.Trim(string(pid), "*^~\\&|\n") != "" {
			t.Fatalf("redacted PID keeps %q", pid)
		}
	})
}

// Whatever follows the MSH, a line of the trace is either a segment known
// to hold no patient data, or its name followed only by separators and
// "*" (PID, NK1, unknown segments, broken lines).
func FuzzRedactHL7Lines(f *testing.F) {
	f.Add("PID|1||123^^^CT0000^SR||DOE^JANE\rZPI|x\nApt 3|Hartford")
	f.Add("OBX|1|DT|30980-7|1|20150102\rQPD|Z44|T|123|Doe")
	f.Fuzz(func(t *testing.T, body string) {
		out := redactHL7([]byte("MSH|^~\\&|A\r" + body))
		for i, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
			line = strings.TrimPrefix(line, "  ")
			if i == 0 {
				continue // the MSH
			}
			name, rest, _ := strings.Cut(line, "|")
			switch strings.TrimSpace(name) {
			case "MSH", "MSA", "QAK", "ERR", "RCP", "RXR", "QPD", "OBX":
				continue // checked by TestRedactHL7
			}
			if strings.Trim(rest, "*^~\\&|") != "" || (name != "*" && strings.Trim(strings.TrimSpace(name), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "") {
				t.Fatalf("line %q of the trace keeps a value", line)
			}
		}
	})
}
