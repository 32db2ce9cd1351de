package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// bigVXU is a VXU for one new patient with n doses, each its own ORC-3.
func bigVXU(n int) []byte {
	var b strings.Builder
	b.WriteString(`MSH|^~\&|EHR|CLINIC|CTWIZ|CT0000|20261125||VXU^V04^VXU_V04|BIG|P|2.5.1` + "\r" +
		`PID|1||BIG1^^^CLINIC^MR||BIGRECORD^Bea^^^^^L||20100101|F` + "\r")
	for i := range n {
		fmt.Fprintf(&b, "ORC|RE||D%d^CLINIC\rRXA|0|1|20210101|20210101|03|0.5\r", i)
	}
	return []byte(b.String())
}

// TestQueryWhileStoringLargeVXU: storing a VXU with 200,000 RXA (limits
// raised to let it in) does not hold up other clients: queries sent over
// loopback meanwhile each answer within 1 s (10 s under the race
// detector, which slows everything tenfold).
func TestQueryWhileStoringLargeVXU(t *testing.T) {
	const doses = 200_000
	s, srv := newTestServer(t, Options{Limits: Limits{MaxSegments: 2*doses + 10, MaxDosesPerPatient: doses}})
	msg := bigVXU(doses)
	req := cdcsoap.Request{Operation: cdcsoap.OpSubmitSingleMessage, Username: DefaultUsername, Password: DefaultPassword,
		FacilityID: DefaultFacility, HL7Message: seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1||PARKER^Liam||20190620")}
	body := req.AppendXML(nil, cdcsoap.SOAP12)

	var storing atomic.Bool
	storing.Store(true)
	stored := make(chan *hl7.Message, 1)
	go func() {
		defer storing.Store(false)
		ack, _ := hl7.Parse(s.answer(msg))
		stored <- ack
	}()
	deadline := time.After(120 * time.Second)
	overlapped := 0
	for storing.Load() {
		select {
		case <-deadline:
			t.Fatal("the 200,000-RXA VXU was not stored within 120 s")
		default:
		}
		start := time.Now()
		resp, err := http.Post(srv.URL+Path, cdcsoap.ContentType(cdcsoap.SOAP12, req.Operation), strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		r, _, err := cdcsoap.DecodeResponse(resp.Body)
		resp.Body.Close()
		took := time.Since(start)
		if err != nil {
			t.Fatalf("query during the VXU: %v", err)
		}
		if !strings.Contains(r.Return, "QAK|T1|OK|") {
			t.Fatalf("query during the VXU: %q", r.Return)
		}
		if took > slowdown*time.Second {
			t.Errorf("a query took %v while the VXU was being stored, want under %v", took.Round(time.Millisecond), slowdown*time.Second)
		}
		if storing.Load() {
			overlapped++
		}
	}
	ack := <-stored
	t.Logf("%d queries answered while the VXU was stored", overlapped)
	if ack.Get("MSA-1") != "AA" {
		t.Fatalf("the large VXU: MSA %s ERR %q", ack.Get("MSA-1"), errs(ack))
	}
	if overlapped < 3 {
		t.Errorf("only %d queries were answered while the VXU was stored; the test proves nothing", overlapped)
	}
	// The first registry ID after the built-in students'.
	if p := s.reg.byID[strconv.Itoa(firstRegistryID+len(Students()))]; p == nil || p.last != "BIGRECORD" || len(p.doses) != doses {
		t.Errorf("the large record was not stored whole")
	}
}

// TestManyIdentifiers: a PID-3 with 40,000 identifiers is stored quickly,
// keeping the first few, with a warning.
func TestManyIdentifiers(t *testing.T) {
	s, _ := newTestServer(t, Options{NoBuiltin: true})
	ids := make([]string, 40_000)
	for i := range ids {
		ids[i] = fmt.Sprintf("ID%d^^^CLINIC^MR", i)
	}
	msg := seg(`MSH|^~\&|EHR|CLINIC|CTWIZ|CT0000|20261125||VXU^V04^VXU_V04|V1|P|2.5.1`,
		`PID|1||`+strings.Join(ids, "~")+`||MANY^Ida||20100101|F`, rxa("20210101", "03", "", "", "CP", "A"))
	start := time.Now()
	m := answerOf(t, s, msg)
	if took := time.Since(start); took > slowdown*2*time.Second {
		t.Errorf("storing took %v", took)
	}
	if m.Get("MSA-1") != "AA" || strings.Join(errs(m), ";") != "PID^1^3 0 W" {
		t.Errorf("MSA %s ERR %q, want AA with a PID-3 warning", m.Get("MSA-1"), errs(m))
	}
	if n := len(s.reg.patients[0].ids); n != maxIdentifiers {
		t.Errorf("%d identifiers kept, want %d", n, maxIdentifiers)
	}
	// A later VXU with one of the kept identifiers is the same patient.
	m = answerOf(t, s, seg(`MSH|^~\&|EHR|CLINIC|CTWIZ|CT0000|20261125||VXU^V04^VXU_V04|V2|P|2.5.1`,
		`PID|1||ID7^^^CLINIC^MR||MANY^Ida||20100101|F`, rxa("20220101", "03", "", "", "CP", "A")))
	if m.Get("MSA-1") != "AA" || len(s.reg.patients) != 1 || len(s.reg.patients[0].doses) != 2 {
		t.Errorf("the second VXU: MSA %s, %d patients", m.Get("MSA-1"), len(s.reg.patients))
	}
}

// TestStoreLimits: each cap on the store answers with an HL7 error that
// says what the limit is, and stores nothing beyond it.
func TestStoreLimits(t *testing.T) {
	head := `MSH|^~\&|EHR|CLINIC|CTWIZ|CT0000|20261125||VXU^V04^VXU_V04|V1|P|2.5.1`
	patient := func(name string) string { return "PID|1||" + name + "^^^CLINIC^MR||" + name + "^Pat||20100101|F" }
	cases := []struct {
		name    string
		limits  Limits
		before  []string // messages stored first
		msg     string
		ack     string
		err     string // the ERR location and code
		message string // part of ERR-8
		stored  [2]int // patients and doses on file after
	}{
		{"patients", Limits{MaxPatients: 2},
			[]string{seg(head, patient("ONE")), seg(head, patient("TWO"))},
			seg(head, patient("THREE")), "AE", "PID 207 E", "limit of 2 patients", [2]int{2, 0}},
		{"patients: one on file may still be updated", Limits{MaxPatients: 1},
			[]string{seg(head, patient("ONE"))},
			seg(head, patient("ONE"), rxa("20210101", "03", "", "", "CP", "A")), "AA", "", "", [2]int{1, 1}},
		{"doses per patient", Limits{MaxDosesPerPatient: 2},
			nil,
			seg(head, patient("ONE"), rxa("20210101", "03", "", "", "CP", "A"), rxa("20210102", "03", "", "", "CP", "A"),
				rxa("20210103", "03", "", "", "CP", "A")), "AE", "RXA^3^21 207 E", "at most 2 vaccinations per patient", [2]int{1, 2}},
		{"doses in all", Limits{MaxDoses: 2},
			[]string{seg(head, patient("ONE"), rxa("20210101", "03", "", "", "CP", "A"))},
			seg(head, patient("TWO"), rxa("20210101", "03", "", "", "CP", "A"), rxa("20210102", "03", "", "", "CP", "A")),
			"AE", "RXA^2^21 207 E", "limit of 2 vaccinations in all", [2]int{2, 2}},
		{"segments", Limits{MaxSegments: 3},
			nil,
			seg(head, patient("ONE"), rxa("20210101", "03", "", "", "CP", "A"), rxa("20210102", "03", "", "", "CP", "A")),
			"AR", "MSH 207 E", "has 4 segments; the sandbox accepts at most 3", [2]int{0, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _ := newTestServer(t, Options{NoBuiltin: true, Limits: c.limits})
			for _, msg := range c.before {
				if m := answerOf(t, s, msg); m.Get("MSA-1") != "AA" {
					t.Fatalf("setting up: MSA %s ERR %q", m.Get("MSA-1"), errs(m))
				}
			}
			m := answerOf(t, s, c.msg)
			if m.Get("MSA-1") != c.ack || strings.Join(errs(m), ";") != c.err {
				t.Errorf("MSA %s ERR %q, want %s %q", m.Get("MSA-1"), errs(m), c.ack, c.err)
			}
			if e, _ := m.First("ERR"); !strings.Contains(e.Value(8, 1, 1, 1), c.message) {
				t.Errorf("ERR-8 %q does not say %q", e.Value(8, 1, 1, 1), c.message)
			}
			if got := [2]int{len(s.reg.patients), s.reg.doses}; got != c.stored {
				t.Errorf("%d patients and %d doses on file, want %d and %d", got[0], got[1], c.stored[0], c.stored[1])
			}
		})
	}
}

// TestRenamedPatient: a VXU that changes a stored patient's name (same
// submitter ID) moves the patient in the name indexes: found by the new
// name, no longer by the old.
func TestRenamedPatient(t *testing.T) {
	s, _ := newTestServer(t, Options{NoBuiltin: true})
	head := `MSH|^~\&|EHR|CLINIC|CTWIZ|CT0000|20261125||VXU^V04^VXU_V04|V1|P|2.5.1`
	for _, pid := range []string{
		"PID|1||A1^^^CLINIC^MR||FIRSTNAME^Ann||20100101|F",
		"PID|1||B1^^^CLINIC^MR||OTHER^Ann||20100101|F",
		"PID|1||A1^^^CLINIC^MR||SECONDNAME^Ann||20100101|F",
	} {
		if m := answerOf(t, s, seg(head, pid, rxa("20210101", "03", "", "", "CP", "A"))); m.Get("MSA-1") != "AA" {
			t.Fatalf("%s: MSA %s", pid, m.Get("MSA-1"))
		}
	}
	for _, c := range []struct{ qpd, want string }{
		{"SECONDNAME^Ann", "Z42 9000001"},
		{"FIRSTNAME^Bob", "Z33 NF"},
		{"FIRSTNAME^Ann", "Z31 9000001,9000002"}, // both by first name, in order of arrival
	} {
		m := answerOf(t, s, seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1||"+c.qpd+"||20100101"))
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
			t.Errorf("%s: got %s, want %s", c.qpd, got, c.want)
		}
	}
}
