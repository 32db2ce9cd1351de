package onboard_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/conformance"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/onboard"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// serve starts h on loopback (plain http) and returns the client
// configuration of the sandbox account.
func serve(t *testing.T, h http.Handler) query.Config {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return account(srv.URL + sandbox.Path)
}

func account(endpoint string) query.Config {
	return query.Config{Endpoint: endpoint, Username: sandbox.DefaultUsername, Password: sandbox.DefaultPassword, FacilityID: sandbox.DefaultFacility,
		ProcessingID: "T", Timeout: 30 * time.Second, RetryBackoff: time.Millisecond}
}

func newSandbox(t *testing.T, mode sandbox.Mode) *sandbox.Server {
	t.Helper()
	s, err := sandbox.New(sandbox.Options{Misbehave: mode})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sandboxScenarios(t *testing.T) []onboard.Scenario {
	t.Helper()
	sc, err := onboard.ReadScenarios(bytes.NewReader(sandbox.OnboardingScenarios))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func runOnboard(t *testing.T, cfg query.Config, sc []onboard.Scenario) *onboard.Report {
	t.Helper()
	rep, err := onboard.Run(t.Context(), onboard.Options{Config: cfg, Scenarios: sc, Environment: "SANDBOX", Profile: "sandbox", Version: "ctwiz-nurse test",
		Messages: true, Now: func() time.Time { return time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// find returns the findings and phase-1 checks of a report named check.
func find(rep *onboard.Report, check string) []string {
	var out []string
	for _, p := range rep.Phases {
		for _, c := range p.Checks {
			if c.Name == check {
				out = append(out, string(c.Level)+": "+c.Detail)
			}
		}
		for _, q := range p.Queries {
			for _, f := range q.Findings {
				if f.Check == check {
					out = append(out, string(f.Level)+": "+f.Detail)
				}
			}
		}
	}
	return out
}

func has(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// patientData are the values of the sandbox scenario file and of the
// students' records that must never reach a report.
var patientData = []string{"Sandoval", "SANDOVAL", "Maya", "MAYA", "Parker", "PARKER", "Liam", "Nguyen", "NGUYEN", "Minh", "OBrien", "O'BRIEN", "Siobh", "Smith", "SMITH", "Michael", "Doe", "Jane",
	"2008-04-12", "20080412", "04/12/2008", "2019-06-20", "20190620", "2017-09-03", "20170903", "2016-11-30", "2015-09-01", "2016-01-01",
	"9000001", "9000002", "9000003", "9000004", "9000005"}

// The sandbox, with its own scenario file, passes all three phases; the
// report says so in the lines DPH quotes, and holds no patient data, in
// Markdown or PDF, messages included.
func TestSandboxPassesAllPhases(t *testing.T) {
	rep := runOnboard(t, serve(t, newSandbox(t, sandbox.Normal)), sandboxScenarios(t))
	if n := rep.Failed(); n != 0 {
		t.Fatalf("phase %d failed: %q", n, rep.Summary())
	}
	sum := rep.Summary()
	if sum[0] != "Phase 1: 5 of 5 checks passed, 0 failed, 0 warnings" || sum[1] != "Phase 2: 6 of 6 scenarios as expected, 0 conformance errors, 0 warnings" ||
		!strings.HasPrefix(sum[2], "Phase 3: 1 of 1 candidate fetches returned that one student, 0 conformance errors, 0 warnings; 7 queries: median ") {
		t.Errorf("summary %q", sum)
	}
	want := map[string]string{"complete record": "record", "overdue doses": "record", "twins": "candidates", "apostrophe and accents": "record", "common name": "too_many", "no record": "not_found"}
	for _, q := range rep.Phases[1].Queries {
		if want[q.Label] != q.Got || !q.AsExpected || len(q.Findings) < 8 {
			t.Errorf("scenario %s: got %s, as expected %v, %d findings", q.Label, q.Got, q.AsExpected, len(q.Findings))
		}
	}
	if q := rep.Phases[2].Queries; len(q) != 1 || q[0].Label != "twins" || !strings.HasPrefix(q[0].Detail, "the fetch by registry ID returned that one student: one record (Z42)") {
		t.Errorf("phase 3: %+v", q)
	}
	if ti := rep.Timings; ti.Count != 7 || ti.Median <= 0 || ti.P95 < ti.Median || ti.Slowest < ti.P95 || ti.SlowestStep == "" {
		t.Errorf("timings %+v", ti)
	}
	if len(rep.Messages) != 7 {
		t.Errorf("%d messages, want 7", len(rep.Messages))
	}

	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	text := md.String()
	for _, s := range []string{"# CT WiZ query interface onboarding report", "| Environment | SANDBOX |", "| Facility | SANDBOX |", "| Date | 2026-12-01 09:30 UTC |", "| App version | ctwiz-nurse test |",
		"Phase 2: 6 of 6 scenarios as expected, 0 conformance errors, 0 warnings", "**Result: all three phases passed.**",
		"| dns | PASS | the endpoint is an IP address (127.0.0.1): no lookup needed |", "| account | PASS | CT WiZ accepted the account",
		"| twins | candidates | candidates | as expected | 0 errors, 0 warnings |", "### Scenario common name", "| msa-2-echo | CDC IG 2.5.1 R1.5, MSA-2 (R)",
		"## Messages exchanged", "  PID|*||*^^^*^*~*^^^*^*||*^*^", "QPD|Z44^Request Evaluated History and Forecast^CDCPHINVS|CTWN"} {
		if !strings.Contains(text, s) {
			t.Errorf("Markdown lacks %q", s)
		}
	}
	noPatientData(t, "Markdown", text)

	var pdf bytes.Buffer
	if err := rep.WritePDF(&pdf); err != nil {
		t.Fatal(err)
	}
	text = pdfText(t, pdf.Bytes())
	for _, s := range []string{"CT WiZ query interface onboarding report", "Phase 2: 6 of 6 scenarios as expected, 0 conformance errors, 0 warnings", "Result: all three phases passed.", "Scenario twins", "Messages exchanged", "Page 1 of "} {
		if !strings.Contains(text, s) {
			t.Errorf("PDF text lacks %q", s)
		}
	}
	noPatientData(t, "PDF", text)
}

func noPatientData(t *testing.T, what, text string) {
	t.Helper()
	for _, v := range patientData {
		if strings.Contains(text, v) {
			t.Errorf("the %s report contains %q", what, v)
		}
	}
}

// pdfText is the PDF's text as pdftotext reads it, joined into one line
// per paragraph so that wrapped lines still match.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (apt-get install poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-raw", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// Each of the sandbox's non-conformant replies fails its check, by name,
// and phase 2 with it; the WebIZ habit only warns.
func TestMisbehaviourFailsItsCheck(t *testing.T) {
	tests := []struct {
		mode   sandbox.Mode
		failed int // the first failed phase
		check  string
		want   string // level: detail prefix
	}{
		{sandbox.WrongControlID, 2, conformance.CheckControlID, `fail: MSA-2 "SBX-ANOTHER-QUERY" is not the query's MSH-10`},
		{sandbox.Z31WithRXA, 2, conformance.CheckProfileContent, "fail: Z31 lists 2 candidate(s) but also carries ORC/RXA"},
		{sandbox.Z42NoForecast, 2, conformance.CheckProfileContent, "fail: Z42 has no forecast"},
		{sandbox.NoStatus, 2, conformance.CheckForecast, "fail: forecast HepB has no series status (OBX 59783-1)"},
		{sandbox.BadERR, 2, conformance.CheckERR, `fail: ERR 1: ERR-3 "ABC" is not a code of table 0357; ERR-4 (severity) is empty; ERR-2 is not a location`},
		{sandbox.NoForecast, 2, conformance.CheckProfileQuery, "fail: Z44 query answered with Z32"},
		{sandbox.AEWarning, 0, conformance.CheckAck, "warn: MSA-1 is AE, but the reply holds a complete record"},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			rep := runOnboard(t, serve(t, newSandbox(t, tt.mode)), sandboxScenarios(t))
			if got := rep.Failed(); got != tt.failed {
				t.Errorf("first failed phase %d, want %d: %q", got, tt.failed, rep.Summary())
			}
			if got := find(rep, tt.check); !has(got, tt.want) {
				t.Errorf("%s findings %q, want one starting %q", tt.check, got, tt.want)
			}
			if !rep.Phases[0].Passed() {
				t.Errorf("phase 1 failed: %+v", rep.Phases[0].Checks)
			}
		})
	}
}

// certificate makes a key pair and a certificate for names (DNS names or
// IP addresses) signed by parent, or self-signed when parent is nil.
func certificate(t *testing.T, parent *tls.Certificate, cn string, names []string, from, until time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn, Organization: []string{"ctwiz-nurse tests"}},
		NotBefore: from, NotAfter: until, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: names == nil}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	signer, signKey := tmpl, any(key)
	if parent != nil {
		signer, signKey = parent.Leaf, parent.PrivateKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// The TLS checks of phase 1 against loopback servers holding a good, a
// self-signed, an expired, a wrong-host and a nearly expired certificate.
func TestTLSPhase(t *testing.T) {
	now := time.Now()
	ca := certificate(t, nil, "ctwiz-nurse test CA", nil, now.Add(-time.Hour), now.Add(365*24*time.Hour))
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	tests := []struct {
		name   string
		cert   tls.Certificate
		failed int
		want   map[string]string // check: level and detail prefix
	}{
		{"good", certificate(t, &ca, "registry", []string{"127.0.0.1"}, now.Add(-day), now.Add(200*day)), 0, map[string]string{
			onboard.CheckTLSVersion: "pass: TLS 1.3", onboard.CheckTLSChain: `pass: 1 certificate(s) sent, verified to "ctwiz-nurse test CA" from the profile's ca_file`,
			onboard.CheckTLSIssuer: `pass: issued by "ctwiz-nurse test CA"`, onboard.CheckTLSExpiry: "pass: valid until", onboard.CheckTLSHostname: "pass: the certificate names 127.0.0.1",
			onboard.CheckAccount: "pass: CT WiZ accepted the account"}},
		{"self-signed", certificate(t, nil, "registry", []string{"127.0.0.1"}, now.Add(-day), now.Add(200*day)), 1, map[string]string{
			onboard.CheckTLSChain:    "fail: 1 certificate(s) sent, not trusted against the profile's ca_file: its certificate is self-signed or from an unknown authority",
			onboard.CheckTLSHostname: "pass:"}},
		{"expired", certificate(t, &ca, "registry", []string{"127.0.0.1"}, now.Add(-90*day), now.Add(-3*day)), 1, map[string]string{
			onboard.CheckTLSChain:  "fail: 1 certificate(s) sent, not trusted against the profile's ca_file: its certificate has expired",
			onboard.CheckTLSExpiry: "fail: the certificate expired on "}},
		{"wrong hostname", certificate(t, &ca, "registry", []string{"registry.example.org"}, now.Add(-day), now.Add(200*day)), 1, map[string]string{
			onboard.CheckTLSChain: "pass:", onboard.CheckTLSHostname: "fail: the certificate is for registry.example.org, not 127.0.0.1"}},
		{"expires soon", certificate(t, &ca, "registry", []string{"127.0.0.1"}, now.Add(-day), now.Add(10*day+time.Hour)), 0, map[string]string{
			onboard.CheckTLSExpiry: "warn: the certificate expires on "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(newSandbox(t, sandbox.Normal))
			srv.TLS = &tls.Config{Certificates: []tls.Certificate{tt.cert}}
			srv.StartTLS()
			defer srv.Close()
			cfg := account(srv.URL + sandbox.Path)
			cfg.CAFile = caFile
			rep := runOnboard(t, cfg, sandboxScenarios(t))
			if got := rep.Failed(); got != tt.failed {
				t.Errorf("first failed phase %d, want %d: %+v", got, tt.failed, rep.Phases[0].Checks)
			}
			for check, want := range tt.want {
				if got := find(rep, check); !has(got, want) {
					t.Errorf("%s: %q, want %q", check, got, want)
				}
			}
			if tt.failed == 1 && (rep.Phases[1].Ran || rep.Phases[2].Ran || rep.Phases[0].Why == "" || len(find(rep, onboard.CheckAccount)) != 0) {
				t.Errorf("phase 1 failed, yet the run went on or gave no advice: %+v", rep.Phases)
			}
		})
	}
}

// A refused account stops the run after phase 1 and says what to do; so
// does an endpoint nobody listens on.
func TestPhase1Stops(t *testing.T) {
	t.Run("refused account", func(t *testing.T) {
		cfg := serve(t, newSandbox(t, sandbox.Normal))
		cfg.Password = "not-the-password"
		cfg.Relogin = "store them again with 'ctwiz-nurse login --profile qa'"
		rep := runOnboard(t, cfg, sandboxScenarios(t))
		if got := find(rep, onboard.CheckAccount); !has(got, "fail: CT WiZ refused the account: SecurityFault") {
			t.Errorf("account %q", got)
		}
		if rep.Failed() != 1 || rep.Phases[1].Ran || !strings.Contains(rep.Verdict(), "Check them, store them again with 'ctwiz-nurse login --profile qa', and if they are right, ask the CT WiZ help desk") {
			t.Errorf("verdict %q", rep.Verdict())
		}
		var md bytes.Buffer
		_ = rep.WriteMarkdown(&md)
		if strings.Contains(md.String(), "not-the-password") || !strings.Contains(md.String(), "Phase 2: not run (phase 1 failed)") {
			t.Errorf("report:\n%s", md.String())
		}
	})
	t.Run("nobody listening", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		rep := runOnboard(t, account("http://"+addr+sandbox.Path), sandboxScenarios(t))
		if got := find(rep, onboard.CheckTCP); rep.Failed() != 1 || !has(got, "fail: could not connect to 127.0.0.1 port") || !strings.Contains(rep.Verdict(), "firewall") {
			t.Errorf("tcp %q, verdict %q", got, rep.Verdict())
		}
	})
	t.Run("unknown facility", func(t *testing.T) {
		// A registry that signs the account in but does not know the
		// sending facility, as an ERR on MSH-4 says.
		cfg := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			req, _, err := cdcsoap.DecodeRequest(r.Body)
			if err != nil {
				t.Error(err)
				return
			}
			resp := &cdcsoap.Response{Operation: req.Operation, Return: req.EchoBack}
			if req.Operation == cdcsoap.OpSubmitSingleMessage {
				m, _ := hl7.Parse([]byte(req.HL7Message))
				resp.Return = "MSH|^~\\&|WebIZ|CT0000|||20261201||ACK^Q11^ACK|1|T|2.5.1\rMSA|AR|" + m.ControlID() + "\rERR||MSH^1^4|103^Table value not found^HL70357|E||||Unknown sending facility\r"
			}
			_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, resp)
		}))
		rep := runOnboard(t, cfg, sandboxScenarios(t))
		if got := find(rep, onboard.CheckAccount); rep.Failed() != 1 || !has(got, "fail: CT WiZ answered the first query with an error about the facility (ERR E MSH-4 103)") ||
			!strings.Contains(rep.Verdict(), "check facility_id") {
			t.Errorf("account %q, verdict %q", got, rep.Verdict())
		}
	})
}

// A registry that answers the fetch by registry ID with no record fails
// phase 3, by scenario.
func TestPhase3Fails(t *testing.T) {
	s := newSandbox(t, sandbox.Normal)
	cfg := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, _, err := cdcsoap.DecodeRequest(bytes.NewReader(body))
		if err == nil && req.Operation == cdcsoap.OpSubmitSingleMessage && strings.Contains(req.HL7Message, "^SR|") {
			m, _ := hl7.Parse([]byte(req.HL7Message))
			nf := "MSH|^~\\&|CTWIZ-SANDBOX|SANDBOX|||20261201||RSP^K11^RSP_K11|1|T|2.5.1|||||||||Z33^CDCPHINVS\rMSA|AA|" + m.ControlID() + "\rQAK|" + m.Get("QPD-2") + "|NF|Z44^^CDCPHINVS\r"
			_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, &cdcsoap.Response{Operation: req.Operation, Return: nf})
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.ServeHTTP(w, r)
	}))
	rep := runOnboard(t, cfg, sandboxScenarios(t))
	q := rep.Phases[2].Queries
	if rep.Failed() != 3 || len(q) != 1 || q[0].Label != "twins" || q[0].Got != "not_found" || q[0].AsExpected {
		t.Fatalf("failed %d, phase 3 %+v", rep.Failed(), q)
	}
	if !strings.HasPrefix(rep.Summary()[2], "Phase 3: 0 of 1 candidate fetches returned that one student") {
		t.Errorf("summary %q", rep.Summary()[2])
	}
}

func TestReadScenarios(t *testing.T) {
	head := "label,last,first,dob,expect,registry_id\n"
	tests := []struct {
		name, csv, err string
	}{
		{"name in label", head + "Sandoval exact,Sandoval,Maya,2008-04-12,record,\n", "line 2: the label contains the student's name"},
		{"bad outcome", head + "exact,Sandoval,Maya,2008-04-12,found,\n", "line 2: expect must be record, candidates, too_many or not_found"},
		{"bad date", head + "exact,Sandoval,Maya,2008-02-30,record,\n", "line 2: dob is not a date it reads; accepted: YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for "},
		{"future date", head + "exact,Sandoval,Maya,2099-01-01,record,\n", "line 2: date of birth: is in the future"},
		{"missing column", "label,last,first,expect\n", `the header has no "dob" column`},
		{"unknown column", "label,last,first,dob,expect,ssn\n", `unknown column "ssn"`},
		{"same label", head + "a,Sandoval,Maya,2008-04-12,record,\na,Parker,Liam,2019-06-20,record,\n", `line 3: the label "a" is used twice`},
		{"empty", "", "the scenario file is empty"},
		{"header only", head, "no scenario"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := onboard.ReadScenarios(strings.NewReader(tt.csv))
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err %v, want %q", err, tt.err)
			}
			for _, v := range []string{"Sandoval", "Maya", "2008", "2099"} {
				if strings.Contains(err.Error(), v) {
					t.Errorf("the error quotes %q: %v", v, err)
				}
			}
		})
	}
	sc, err := onboard.ReadScenarios(strings.NewReader("# comment\nLABEL,Last,First,DOB,Expect,mother_maiden,phone\n twins , Nguyen,Minh,09/03/2017,CANDIDATES,\"Tran, Lan\",860-555-0100\n"))
	if err != nil || len(sc) != 1 {
		t.Fatal(err)
	}
	d := sc[0].Demographics
	if sc[0].Label != "twins" || sc[0].Expect != hl7.OutcomeCandidates || d.BirthDate.Format(time.DateOnly) != "2017-09-03" || d.MotherMaidenLast != "Tran" || d.MotherMaidenFirst != "Lan" || d.Phone != "860-555-0100" {
		t.Errorf("%+v", sc[0])
	}
}

// The sandbox's scenario file covers every outcome a scenario may expect.
func TestSandboxScenariosCoverEveryOutcome(t *testing.T) {
	seen := map[hl7.Outcome]bool{}
	for _, s := range sandboxScenarios(t) {
		seen[s.Expect] = true
	}
	for _, o := range onboard.Expectations {
		if !seen[o] {
			t.Errorf("no scenario expects %s", o)
		}
	}
}

// Run refuses to start without scenarios or with a configuration the
// client refuses; it never dials.
func TestRunRefuses(t *testing.T) {
	if _, err := onboard.Run(context.Background(), onboard.Options{Config: account("http://127.0.0.1:1/iis")}); err == nil {
		t.Error("no scenarios: no error")
	}
	if _, err := onboard.Run(context.Background(), onboard.Options{Config: account("http://example.org/iis"), Scenarios: sandboxScenarios(t)}); err == nil || !strings.Contains(err.Error(), "plain http://") {
		t.Errorf("plain http to another host: %v", err)
	}
}
