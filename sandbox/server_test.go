package sandbox

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

var testNow = func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) }

func newTestServer(t *testing.T, o Options) (*Server, *httptest.Server) {
	t.Helper()
	if o.Now == nil {
		o.Now = testNow
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

// post sends a raw SOAP body and returns the HTTP status and the decoded
// response or fault.
func post(t *testing.T, url, contentType, body string) (int, *cdcsoap.Response, error) {
	t.Helper()
	resp, err := http.Post(url, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	r, _, err := cdcsoap.DecodeResponse(resp.Body)
	return resp.StatusCode, r, err
}

func submit(t *testing.T, url string, user, pass, fac, msg string) (int, *cdcsoap.Response, error) {
	t.Helper()
	req := cdcsoap.Request{Operation: cdcsoap.OpSubmitSingleMessage, Username: user, Password: pass, FacilityID: fac, HL7Message: msg}
	return post(t, url, cdcsoap.ContentType(cdcsoap.SOAP12, req.Operation), string(req.AppendXML(nil, cdcsoap.SOAP12)))
}

func seg(lines ...string) string { return strings.Join(lines, "\r") + "\r" }

const qbpMSH = `MSH|^~\&|APP|FAC|CT|CT0000|20261125100000-0500||QBP^Q11^QBP_Q11|Q1|P|2.5.1|||ER|AL|||||Z44^CDCPHINVS`

func TestFaults(t *testing.T) {
	_, srv := newTestServer(t, Options{})
	url := srv.URL + Path
	cases := []struct {
		name   string
		status int
		kind   cdcsoap.FaultKind
		send   func() (int, *cdcsoap.Response, error)
	}{
		{"wrong password", 400, cdcsoap.SecurityFault, func() (int, *cdcsoap.Response, error) {
			return submit(t, url, DefaultUsername, "nope", DefaultFacility, seg(qbpMSH))
		}},
		{"two MSH in one payload", 400, cdcsoap.MessageTooLargeFault, func() (int, *cdcsoap.Response, error) {
			return submit(t, url, DefaultUsername, DefaultPassword, DefaultFacility, seg(qbpMSH, "QPD|Z44|T1", qbpMSH, "QPD|Z44|T2"))
		}},
		{"unknown operation", 400, cdcsoap.UnsupportedOperationFault, func() (int, *cdcsoap.Response, error) {
			return post(t, url, "application/soap+xml", `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><submitBatch xmlns="urn:cdc:iisb:2011"/></soap:Body></soap:Envelope>`)
		}},
		{"not XML", 400, cdcsoap.UnknownFault, func() (int, *cdcsoap.Response, error) {
			return post(t, url, "application/soap+xml", `MSH|^~\&|not soap`)
		}},
		{"over 4 MiB", 400, cdcsoap.MessageTooLargeFault, func() (int, *cdcsoap.Response, error) {
			return submit(t, url, DefaultUsername, DefaultPassword, DefaultFacility, strings.Repeat("x", MaxMessage))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, _, err := c.send()
			f, ok := errors.AsType[*cdcsoap.Fault](err)
			if !ok || f.Kind != c.kind || status != c.status {
				t.Errorf("status %d, %v; want %d %s", status, err, c.status, c.kind)
			}
		})
	}
	t.Run("SOAP 1.1 request gets a SOAP 1.1 answer", func(t *testing.T) {
		req := cdcsoap.Request{Operation: cdcsoap.OpConnectivityTest, EchoBack: "hi"}
		hreq, _ := http.NewRequest("POST", url, bytes.NewReader(req.AppendXML(nil, cdcsoap.SOAP11)))
		hreq.Header.Set("Content-Type", cdcsoap.ContentType(cdcsoap.SOAP11, req.Operation))
		hreq.Header.Set("SOAPAction", cdcsoap.SOAPAction(req.Operation))
		resp, err := http.DefaultClient.Do(hreq)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		r, v, err := cdcsoap.DecodeResponse(resp.Body)
		if err != nil || v != cdcsoap.SOAP11 || r.Return != "hi" {
			t.Errorf("%v %v %+v", err, v, r)
		}
	})
}

func TestWSDL(t *testing.T) {
	_, srv := newTestServer(t, Options{NoBuiltin: true})
	resp, err := http.Get(srv.URL + Path + "?wsdl")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `location="`+srv.URL+Path+`"`) ||
		!strings.Contains(string(body), "urn:cdc:iisb:2011") {
		t.Errorf("status %d, WSDL without the endpoint %s:\n%.300s", resp.StatusCode, srv.URL+Path, body)
	}
	if r, _ := http.Get(srv.URL + "/other"); r.StatusCode != 404 {
		t.Errorf("GET /other: %d", r.StatusCode)
	}
}

// answerOf submits msg and decodes the HL7 reply.
func answerOf(t *testing.T, s *Server, msg string) *hl7.Message {
	t.Helper()
	m, err := hl7.Parse(s.answer([]byte(msg)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func errs(m *hl7.Message) []string {
	var out []string
	for e := range m.All("ERR") {
		out = append(out, e.Field(2)+" "+e.Value(3, 1, 1, 1)+" "+e.Value(4, 1, 1, 1))
	}
	return out
}

// TestQueryErrors: what a query lacks, or gets wrong, is answered the HL7
// way, naming the field.
func TestQueryErrors(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	cases := []struct {
		name       string
		msg        string
		typ, ack   string
		status     string
		profile    string
		wantErrors []string
	}{
		{"no first name", seg(qbpMSH, "QPD|Z44^Request Evaluated History and Forecast^CDCPHINVS|T1||SANDOVAL||20080412"),
			"RSP", "AE", "AE", "Z33", []string{"QPD^1^4^1^2 101 E"}},
		{"nothing but a tag", seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1"),
			"RSP", "AE", "AE", "Z33", []string{"QPD^1^4^1^1 101 E", "QPD^1^4^1^2 101 E", "QPD^1^6 101 E"}},
		{"no query tag", seg(qbpMSH, "QPD|Z44^^CDCPHINVS||^^^^SR|SANDOVAL^Maya||20080412"),
			"RSP", "AE", "AE", "Z33", []string{"QPD^1^2 101 E"}},
		{"birth date not a date", seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1||SANDOVAL^Maya||2008-04-12"),
			"RSP", "AE", "AE", "Z33", []string{"QPD^1^6 102 E"}},
		{"unknown profile", seg(qbpMSH, "QPD|Z99^^CDCPHINVS|T1||SANDOVAL^Maya||20080412"),
			"RSP", "AR", "AR", "Z33", []string{"QPD^1^1^1^1 103 E"}},
		{"by registry ID", seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1|9000002^^^SANDBOX^SR|X^Y||20190620"),
			"RSP", "AA", "OK", "Z42", nil},
		{"registry ID with another birth date", seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1|9000002^^^SANDBOX^SR|PARKER^Liam||20190621"),
			"RSP", "AA", "NF", "Z33", nil},
		{"RCP-2 limit of 1 with twins", seg(qbpMSH, "QPD|Z34^^CDCPHINVS|T1||NGUYEN^Minh||20170903", "RCP|I|1^RD&Records&HL70126"),
			"RSP", "AA", "TM", "Z33", nil},
		{"sex disagrees: a candidate, not a record", seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1||SANDOVAL^Maya||20080412|M"),
			"RSP", "AA", "OK", "Z31", nil},
		{"no QPD", seg(qbpMSH, "RCP|I|10^RD&Records&HL70126"),
			"RSP", "AE", "AE", "Z33", []string{"QPD 100 E"}},
		{"unsupported event", strings.Replace(seg(qbpMSH, "QPD|Z44|T1"), "QBP^Q11^QBP_Q11", "QBP^Q13^QBP_Q13", 1),
			"ACK", "AR", "", "", []string{"MSH^1^9^1^2 201 E"}},
		{"unsupported processing ID", strings.Replace(seg(qbpMSH, "QPD|Z44|T1"), "|Q1|P|", "|Q1|X|", 1),
			"ACK", "AR", "", "", []string{"MSH^1^11 202 E"}},
		{"profile only in MSH-21", seg(qbpMSH, "QPD||T1||SANDOVAL^Maya||20080412"),
			"RSP", "AA", "OK", "Z42", nil},
		{"not HL7 at all", "hello", "ACK", "AR", "", "", []string{"MSH^1^1 100 E"}},
		{"junk after MSH: no version", "MSH\x00\xff|", "ACK", "AR", "", "", []string{"MSH^1^12 203 E"}},
		{"unsupported version", strings.Replace(seg(qbpMSH, "QPD|Z44|T1"), "2.5.1", "2.3.1", 1),
			"ACK", "AR", "", "", []string{"MSH^1^12 203 E"}},
		{"unsupported message type", seg(`MSH|^~\&|A|B|C|D|20261125||ADT^A01|X1|P|2.5.1`),
			"ACK", "AR", "", "", []string{"MSH^1^9^1^1 200 E"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := answerOf(t, s, c.msg)
			if got := m.Get("MSH-9.1"); got != c.typ || m.Get("MSA-1") != c.ack || m.Get("QAK-2") != c.status || m.Get("MSH-21.1") != c.profile {
				t.Errorf("got %s MSA %s QAK %s %s; want %s %s %s %s", got, m.Get("MSA-1"), m.Get("QAK-2"), m.Get("MSH-21.1"), c.typ, c.ack, c.status, c.profile)
			}
			if got := errs(m); strings.Join(got, ";") != strings.Join(c.wantErrors, ";") {
				t.Errorf("ERR %q, want %q", got, c.wantErrors)
			}
			if c.typ == "RSP" && (m.Get("MSA-2") != "Q1" || m.Get("MSH-3") != SendingApp || m.Get("MSH-4") != SendingFacility) {
				t.Errorf("MSA-2 %q MSH-3/4 %q %q", m.Get("MSA-2"), m.Get("MSH-3"), m.Get("MSH-4"))
			}
		})
	}
}

const vxuHead = `MSH|^~\&|EHR|CLINIC|CTWIZ|CT0000|20261125||VXU^V04^VXU_V04|V%s|P|2.5.1|||ER|AL` + "\r" +
	`PID|1||MR77^^^CLINIC^MR||TESTER^Tess^^^^^L|MOM^Mo^^^^^M|20200101|F` + "\r" +
	`NK1|1|TESTER^Mo^^^^^L|MTH^Mother^HL70063` + "\r"

// rxa is an RXA as a clinic sends it.
func rxa(date, cvx, lot, refusal, status, action string) string {
	var ref hl7.Field
	if refusal != "" {
		ref = hl7.F(refusal, "Parental decision", "NIP002")
	}
	return hl7.NewSegment("RXA", hl7.F("0"), hl7.F("1"), hl7.F(date), hl7.F(date), hl7.F(cvx, "", "CVX"), hl7.F("999"),
		nil, nil, nil, nil, nil, nil, nil, nil, hl7.F(lot), nil, nil, ref, nil, hl7.F(status), hl7.F(action)).Raw
}

func vxu(id string, rxas ...string) string {
	return strings.Replace(vxuHead, "V%s", "V"+id, 1) + seg(rxas...)
}

func history(t *testing.T, s *Server) []string {
	t.Helper()
	m := answerOf(t, s, seg(strings.Replace(qbpMSH, "Z44^", "Z34^", 1), "QPD|Z34^^CDCPHINVS|T1||TESTER^Tess||20200101"))
	if m.Get("QAK-2") != "OK" {
		t.Fatalf("the stored patient is not found: %s", m.Get("QAK-2"))
	}
	var out []string
	for rxa := range m.All("RXA") {
		out = append(out, rxa.Value(5, 1, 1, 1)+" "+rxa.Value(3, 1, 1, 1)+" "+rxa.Value(15, 1, 1, 1)+" "+rxa.Value(20, 1, 1, 1))
	}
	return out
}

// TestVXU: submissions are stored, updated and deleted by RXA-21, and
// answered with an ACK that says what was wrong.
func TestVXU(t *testing.T) {
	s, _ := newTestServer(t, Options{NoBuiltin: true})
	steps := []struct {
		name    string
		msg     string
		ack     string
		errs    []string
		history []string
	}{
		{"add two doses", vxu("1",
			"ORC|RE||D1^CLINIC", rxa("20210101", "03", "LOT1", "", "CP", "A"),
			"ORC|RE||D2^CLINIC", rxa("20210101", "21", "LOT2", "", "CP", "A")),
			"AA", nil, []string{"03 20210101 LOT1 CP", "21 20210101 LOT2 CP"}},
		{"update the lot of D1", vxu("2",
			"ORC|RE||D1^CLINIC", rxa("20210101", "03", "LOT9", "", "CP", "U")),
			"AA", nil, []string{"03 20210101 LOT9 CP", "21 20210101 LOT2 CP"}},
		{"delete D2", vxu("3",
			"ORC|RE||D2^CLINIC", rxa("20210101", "21", "", "", "CP", "D")),
			"AA", nil, []string{"03 20210101 LOT9 CP"}},
		{"delete what is not there: a warning", vxu("4",
			"ORC|RE||D7^CLINIC", rxa("20210101", "21", "", "", "CP", "D")),
			"AA", []string{"RXA^1^21 0 W"}, []string{"03 20210101 LOT9 CP"}},
		{"the same dose sent again (same ORC-3): updated, with a warning", vxu("6",
			"ORC|RE||D1^CLINIC", rxa("20210101", "03", "LOT8", "", "CP", "A")),
			"AA", []string{"RXA^1^21 0 W"}, []string{"03 20210101 LOT8 CP"}},
		{"an update of a dose not on file: added, with a warning", vxu("7",
			"ORC|RE||D5^CLINIC", rxa("20210301", "21", "LOT5", "", "CP", "U")),
			"AA", []string{"RXA^1^21 0 W"}, []string{"03 20210101 LOT8 CP", "21 20210301 LOT5 CP"}},
		{"without ORC a dose is known by CVX and date: '3' deletes '03'", vxu("8",
			rxa("20230101", "03", "LOT6", "", "CP", "A")),
			"AA", nil, []string{"03 20210101 LOT8 CP", "21 20210301 LOT5 CP", "03 20230101 LOT6 CP"}},
		{"...and deleted as CVX 3", vxu("9", rxa("20230101", "3", "", "", "CP", "D")),
			"AA", nil, []string{"03 20210101 LOT8 CP", "21 20210301 LOT5 CP"}},
		{"each bad RXA named by field; the good one stored", vxu("10",
			rxa("", "03", "", "", "CP", "A"),
			rxa("20190101", "03", "", "", "CP", "A"),
			rxa("20240101", "", "", "", "CP", "A"),
			rxa("20240101", "998", "", "", "NA", "A"),
			rxa("20240101", "03", "", "", "XX", "A"),
			rxa("20240101", "03", "", "", "CP", "X"),
			rxa("20240102", "21", "LOT7", "", "CP", "")),
			"AE", []string{"RXA^1^3 101 E", "RXA^2^3 102 E", "RXA^3^5^1^1 101 E", "RXA^4^5^1^1 0 W", "RXA^5^20 103 E", "RXA^6^21 103 E"},
			[]string{"03 20210101 LOT8 CP", "21 20210301 LOT5 CP", "21 20240102 LOT7 CP"}},
		{"a refusal without ORC, and a bad date and an unknown CVX", vxu("11",
			rxa("20220101", "03", "", "00", "RE", "A"),
			rxa("2022-02-01", "03", "", "", "CP", "A"),
			rxa("20220301", "9999", "", "", "CP", "A"),
			rxa("20300301", "03", "", "", "CP", "A")),
			"AE", []string{"RXA^2^3 102 E", "RXA^3^5^1^1 103 E", "RXA^4^3 102 E"},
			[]string{"03 20210101 LOT8 CP", "21 20210301 LOT5 CP", "03 20220101  RE", "21 20240102 LOT7 CP"}},
	}
	for _, st := range steps {
		m := answerOf(t, s, st.msg)
		sent, err := hl7.Parse([]byte(st.msg))
		if err != nil {
			t.Fatal(err)
		}
		if m.Get("MSH-9.1") != "ACK" || m.Get("MSA-1") != st.ack || m.Get("MSA-2") != sent.ControlID() {
			t.Errorf("%s: %s MSA %s|%s, want ACK MSA %s|%s", st.name, m.Get("MSH-9.1"), m.Get("MSA-1"), m.Get("MSA-2"), st.ack, sent.ControlID())
		}
		if got := errs(m); strings.Join(got, ";") != strings.Join(st.errs, ";") {
			t.Errorf("%s: ERR %q, want %q", st.name, got, st.errs)
		}
		if got := history(t, s); strings.Join(got, ";") != strings.Join(st.history, ";") {
			t.Errorf("%s: history %q, want %q", st.name, got, st.history)
		}
	}
	// A PID without a first name, or with a birth date that is not one or
	// is in the future, stores nothing, and says which field.
	for _, c := range []struct{ pid, want string }{
		{`PID|1||MR88^^^CLINIC^MR||NOFIRST^^^^^^L||20200101|F`, "PID^1^5^1^2 101 E"},
		{`PID|1||MR88^^^CLINIC^MR||^Nolast^^^^^L||20200101|F`, "PID^1^5^1^1 101 E"},
		{`PID|1||MR88^^^CLINIC^MR||NODATE^Ned^^^^^L||2020-01-01|F`, "PID^1^7 102 E"},
		{`PID|1||MR88^^^CLINIC^MR||FUTURE^Fay^^^^^L||20301231|F`, "PID^1^7 102 E"},
		{`PID|1||MR88^^^CLINIC^MR||NOBIRTH^Nia^^^^^L|||F`, "PID^1^7 101 E"},
	} {
		m := answerOf(t, s, seg(`MSH|^~\&|EHR|CLINIC|CTWIZ|CT0000|20261125||VXU^V04^VXU_V04|V20|P|2.5.1`, c.pid, rxa("20210101", "03", "", "", "CP", "A")))
		if m.Get("MSA-1") != "AE" || strings.Join(errs(m), ";") != c.want {
			t.Errorf("%s: MSA %s ERR %q, want AE %q", c.pid, m.Get("MSA-1"), errs(m), c.want)
		}
	}
	if n := len(s.reg.patients); n != 1 {
		t.Errorf("%d patients stored, want only TESTER", n)
	}
	// Without a PID nothing is stored.
	m := answerOf(t, s, seg(`MSH|^~\&|EHR|CLINIC|CTWIZ|CT0000|20261125||VXU^V04^VXU_V04|V9|P|2.5.1`, "RXA|0|1|20210101|20210101|03"))
	if m.Get("MSA-1") != "AE" || strings.Join(errs(m), "") != "PID 100 E" {
		t.Errorf("VXU without PID: MSA %s ERR %q", m.Get("MSA-1"), errs(m))
	}
}

func TestSeedFile(t *testing.T) {
	s, _ := newTestServer(t, Options{NoBuiltin: true})
	f, err := os.Open("testdata/seed.hl7")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := s.Seed(f); err != nil {
		t.Fatal(err)
	}
	m := answerOf(t, s, seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1||FAIRCHILD^Cameron||20090214"))
	if m.Get("QAK-2") != "OK" || m.Get("PID-3.4") != Authority {
		t.Errorf("seeded patient: QAK %s PID-3 %s", m.Get("QAK-2"), m.Get("PID-3"))
	}
	n := 0
	for rxa := range m.All("RXA") {
		if rxa.Value(5, 1, 1, 1) != "998" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d doses after add, add, delete; want 2", n)
	}
	err = s.Seed(strings.NewReader(seg(`MSH|^~\&|A|B|C|D|20261125||VXU^V04|X|P|2.5.1`, "PID|1||X^^^A^MR||^Nofirst||20100101")))
	if err == nil || !strings.Contains(err.Error(), "message 1") || !strings.Contains(err.Error(), "PID-5") {
		t.Errorf("a bad seed message: %v", err)
	}
}

// TestConcurrent: queries and submissions at once are safe (run with -race).
func TestConcurrent(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 20 {
				if j%4 == 0 {
					s.answer([]byte(vxu("c", "ORC|RE||C"+string(rune('A'+i))+"^CLINIC", rxa("20210101", "03", "", "", "CP", "A"))))
					continue
				}
				m, _ := hl7.Parse(s.answer([]byte(seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1||PARKER^Liam||20190620"))))
				if m.Get("QAK-2") != "OK" {
					t.Errorf("QAK-2 %s", m.Get("QAK-2"))
				}
			}
		})
	}
	wg.Wait()
}

// TestRequestBodies: a query is answered alike however its body comes:
// with its length and small (read whole, scanned), with no length
// (chunked: decoded as it arrives), over the size read whole, or in a
// shape the scanner leaves to encoding/xml (SOAP 1.1, a header).
func TestRequestBodies(t *testing.T) {
	_, srv := newTestServer(t, Options{})
	msg := seg(qbpMSH, "QPD|Z44^^CDCPHINVS|T1||PARKER^Liam||20190620", "RCP|I|1")
	req := cdcsoap.Request{Operation: cdcsoap.OpSubmitSingleMessage, Username: DefaultUsername,
		Password: DefaultPassword, FacilityID: DefaultFacility, HL7Message: msg}
	own := string(req.AppendXML(nil, cdcsoap.SOAP12))
	ct := cdcsoap.ContentType(cdcsoap.SOAP12, req.Operation)
	// The reply without its MSH (time and control ID differ each time).
	answer := func(t *testing.T, body io.Reader, length int64, contentType string) string {
		t.Helper()
		hreq, _ := http.NewRequest("POST", srv.URL+Path, body)
		hreq.ContentLength = length
		hreq.Header.Set("Content-Type", contentType)
		resp, err := http.DefaultClient.Do(hreq)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		r, _, err := cdcsoap.DecodeResponse(resp.Body)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("HTTP %d: %v", resp.StatusCode, err)
		}
		_, rest, _ := strings.Cut(r.Return, "\r")
		return rest
	}
	want := answer(t, strings.NewReader(own), int64(len(own)), ct)
	if !strings.Contains(want, "QAK|T1|OK|") || !strings.Contains(want, "PARKER^Liam") {
		t.Fatalf("the reply is not Liam's record:\n%s", want)
	}
	padded := strings.Replace(own, "<soap:Body>", "<soap:Body>"+strings.Repeat(" ", smallRequest), 1)
	header := strings.Replace(own, "<soap:Body>", "<soap:Header/><soap:Body>", 1)
	soap11 := string(req.AppendXML(nil, cdcsoap.SOAP11))
	for _, tt := range []struct {
		name, body, contentType string
		length                  int64
	}{
		{"no length", own, ct, -1},
		{"over the size read whole", padded, ct, int64(len(padded))},
		{"with a header", header, ct, int64(len(header))},
		{"SOAP 1.1", soap11, cdcsoap.ContentType(cdcsoap.SOAP11, req.Operation), int64(len(soap11))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := answer(t, io.MultiReader(strings.NewReader(tt.body)), tt.length, tt.contentType); got != want {
				t.Errorf("got\n%q\nwant\n%q", got, want)
			}
		})
	}
}
