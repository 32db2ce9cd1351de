package sandbox

import (
	"strings"
	"testing"
)

// TestMatching: the sandbox's matching rules over the built-in students,
// one query per case: what comes back (profile and registry IDs).
func TestMatching(t *testing.T) {
	s, _ := newTestServer(t, Options{MaxCandidates: 10})
	wide, _ := newTestServer(t, Options{MaxCandidates: 20})
	cases := []struct {
		name   string
		server *Server
		qpd    string // QPD-3 onwards
		rcp    string // RCP-2.1, "" for none
		want   string // "Z42 id", "Z31 id,id", "Z33 TM" or "Z33 NF"
	}{
		{"exact name and birth date", s, "|SANDOVAL^Maya||20080412", "", "Z42 9000001"},
		{"case, accents, apostrophe and spaces ignored", s, "|  obrien ^SIOBHAN||20161130", "", "Z42 9000005"},
		{"hyphen typed as a space", s, "|Garcia Lopez^José||20140704", "", "Z42 9000006"},
		{"the middle name does not matter", s, "|SANDOVAL^Maya^Xavier||20080412", "", "Z42 9000001"},
		{"sex agrees", s, "|SANDOVAL^Maya||20080412|F", "", "Z42 9000001"},
		{"mother's maiden name agrees", s, "|SANDOVAL^Maya|Reyes^Ana|20080412", "", "Z42 9000001"},
		{"sex disagrees: a candidate, not a record", s, "|SANDOVAL^Maya||20080412|M", "", "Z31 9000001"},
		{"mother's maiden name disagrees: a candidate", s, "|SANDOVAL^Maya|JONES|20080412", "", "Z31 9000001"},
		{"same last name and birth date, other first name: a candidate", s, "|SANDOVAL^Mia||20080412", "", "Z31 9000001"},
		{"same first name and birth date, other last name: a candidate", s, "|SANDOVALE^Maya||20080412", "", "Z31 9000001"},
		{"other birth date: not found", s, "|SANDOVAL^Maya||20080413", "", "Z33 NF"},
		{"twins by the shared part of their first name: both", s, "|NGUYEN^Minh||20170903", "", "Z31 9000003,9000004"},
		{"each twin by full name", s, "|NGUYEN^Minh Khoa||20170903|M", "", "Z42 9000004"},
		{"twins with RCP-2 of 2", s, "|NGUYEN^Minh||20170903", "2", "Z31 9000003,9000004"},
		{"twins with RCP-2 of 1: too many", s, "|NGUYEN^Minh||20170903", "1", "Z33 TM"},
		{"eleven Smiths, server limit 10: too many", s, "|SMITH^Michael||20150901", "", "Z33 TM"},
		{"eleven Smiths, RCP-2 50: still the server's 10", s, "|SMITH^Michael||20150901", "50", "Z33 TM"},
		{"eleven Smiths, server limit 20, RCP-2 11: all eleven", wide, "|SMITH^Michael||20150901", "11",
			"Z31 9000010,9000011,9000012,9000013,9000014,9000015,9000016,9000017,9000018,9000019,9000020"},
		{"one Smith by full name among eleven", s, "|SMITH^Emma||20150901", "", "Z42 9000010"},
		{"registry ID (SR) alone", s, "9000002^^^SANDBOX^SR||", "", "Z42 9000002"},
		{"registry ID of another authority's form", s, "9000002^^^CT0000^SR|PARKER^Liam||20190620", "", "Z42 9000002"},
		{"registry ID wins over another name", s, "9000002^^^SANDBOX^SR|SANDOVAL^Maya||20190620", "", "Z42 9000002"},
		{"registry ID with another birth date: not found", s, "9000002^^^SANDBOX^SR|PARKER^Liam||20080412", "", "Z33 NF"},
		{"unknown registry ID: not found", s, "1234^^^SANDBOX^SR|PARKER^Liam||20190620", "", "Z33 NF"},
		{"an MR identifier is not a registry ID: matched by name", s, "9000002^^^CLINIC^MR|SANDOVAL^Maya||20080412", "", "Z42 9000001"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg := []string{qbpMSH, "QPD|Z44^Request Evaluated History and Forecast^CDCPHINVS|T1|" + c.qpd}
			if c.rcp != "" {
				msg = append(msg, "RCP|I|"+c.rcp+"^RD&Records&HL70126")
			}
			m := answerOf(t, c.server, seg(msg...))
			got := m.Get("MSH-21.1")
			var ids []string
			for pid := range m.All("PID") {
				ids = append(ids, pid.Value(3, 1, 1, 1))
			}
			if len(ids) > 0 {
				got += " " + strings.Join(ids, ",")
			} else {
				got += " " + m.Get("QAK-2")
			}
			if got != c.want {
				t.Errorf("got %s, want %s", got, c.want)
			}
			if m.Get("MSA-1") != "AA" {
				t.Errorf("MSA-1 %s, want AA", m.Get("MSA-1"))
			}
		})
	}
}

// TestCandidatesHaveNoDoses: a Z31 carries demographics only.
func TestCandidatesHaveNoDoses(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	m := answerOf(t, s, seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1||NGUYEN^Minh||20170903"))
	for _, name := range []string{"ORC", "RXA", "OBX"} {
		if _, ok := m.First(name); ok {
			t.Errorf("a Z31 candidate list carries %s", name)
		}
	}
	n := 0
	for pid := range m.All("PID") {
		n++
		if pid.Value(1, 1, 1, 1) != string(rune('0'+n)) || pid.Value(3, 1, 4, 1) != Authority || pid.Value(3, 1, 5, 1) != "SR" {
			t.Errorf("candidate %d: PID-1 %s PID-3 %s", n, pid.Value(1, 1, 1, 1), pid.Field(3))
		}
	}
}
