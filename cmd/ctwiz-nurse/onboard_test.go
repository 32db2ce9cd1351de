package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// onboardRegistry serves a sandbox registry on loopback; when noFetch, it
// answers every fetch by registry ID with "not found", so phase 3 fails.
func onboardRegistry(t *testing.T, noFetch bool) string {
	t.Helper()
	s, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if req, _, err := cdcsoap.DecodeRequest(bytes.NewReader(body)); noFetch && err == nil && strings.Contains(req.HL7Message, "^SR|") {
			m, _ := hl7.Parse([]byte(req.HL7Message))
			_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, &cdcsoap.Response{Operation: req.Operation,
				Return: "MSH|^~\\&|X|X|||20261201||RSP^K11^RSP_K11|1|T|2.5.1|||||||||Z33^CDCPHINVS\rMSA|AA|" + m.ControlID() + "\rQAK|" + m.Get("QPD-2") + "|NF\r"})
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + sandbox.Path
}

func TestOnboardCommand(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mock-bus")
	keyring.MockInit()
	dir := t.TempDir()
	account := map[string]string{envUsername: sandbox.DefaultUsername, envPassword: sandbox.DefaultPassword, envFacilityID: sandbox.DefaultFacility}
	scenarios := filepath.Join(dir, "scenarios.csv")
	if err := os.WriteFile(scenarios, sandbox.OnboardingScenarios, 0o600); err != nil {
		t.Fatal(err)
	}
	wrongExpectation := filepath.Join(dir, "wrong.csv")
	if err := os.WriteFile(wrongExpectation, []byte("label,last,first,dob,expect\nexact match,Sandoval,Maya,2008-04-12,not_found\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := "http://" + l.Addr().String() + "/iis"
	l.Close()
	tests := []struct {
		name   string
		vars   map[string]string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"sandbox", nil, []string{"--sandbox"}, exitOK,
			[]string{"# CT WiZ query interface onboarding report", "| Environment | SANDBOX |", "| App version | ctwiz-nurse "},
			[]string{"Phase 2: 6 of 6 scenarios as expected, 0 conformance errors, 0 warnings", "Result: all three phases passed."}},
		{"scenario file", account, []string{"--endpoint", onboardRegistry(t, false), "--scenarios", scenarios}, exitOK,
			[]string{"| twins | candidates | candidates | as expected |"}, []string{"Onboarding tests against CT WiZ SANDBOX at http://127.0.0.1:"}},
		{"phase 1 fails", account, []string{"--endpoint", closedPort, "--scenarios", scenarios}, exitOnboardConnect,
			[]string{"| tcp | FAIL | could not connect to 127.0.0.1 port"}, []string{"Phase 2: not run (phase 1 failed)", "Result: phase 1 failed. Check the endpoint's port"}},
		{"phase 1 fails: refused account", map[string]string{envUsername: "someone", envPassword: "wrong"}, []string{"--endpoint", onboardRegistry(t, false), "--scenarios", scenarios}, exitOnboardConnect,
			[]string{"| account | FAIL | CT WiZ refused the account: SecurityFault"}, []string{"correct CTWIZ_USERNAME, CTWIZ_PASSWORD and CTWIZ_FACILITY_ID"}},
		{"phase 2 fails", account, []string{"--endpoint", onboardRegistry(t, false), "--scenarios", wrongExpectation}, exitOnboardQueries,
			[]string{"| exact match | not_found | record | NOT as expected |"}, []string{"Phase 2: 0 of 1 scenarios as expected", "Result: phase 2 failed."}},
		{"phase 3 fails", account, []string{"--endpoint", onboardRegistry(t, true), "--scenarios", scenarios}, exitOnboardWorkflow,
			[]string{"| twins | record | not_found | NOT as expected |"}, []string{"Phase 3: 0 of 1 candidate fetches returned that one student", "Result: phase 3 failed."}},
		{"scenarios required", nil, []string{"--endpoint", closedPort}, exitUsage, nil, []string{"--scenarios FILE.csv is required"}},
		{"report extension", nil, []string{"--sandbox", "--report", filepath.Join(dir, "r.txt")}, exitUsage, nil, []string{"must end in .md (Markdown) or .pdf"}},
		{"bad scenario", nil, []string{"--sandbox", "--scenarios", "/nonexistent.csv"}, exitUsage, nil, []string{"--scenarios: open /nonexistent.csv"}},
		{"password flag", nil, []string{"--sandbox", "--password", "x"}, exitUsage, nil, []string{"never given on the command line"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("XDG_CONFIG_HOME", t.TempDir())
			code, out, errs := runCmd(t, "", func(k string) string { return tt.vars[k] }, append([]string{"onboard"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, errs)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(errs, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errs)
				}
			}
		})
	}
}

// --report writes a private file, Markdown or PDF by its name, with the
// redacted HL7 appended on request.
func TestOnboardReportFile(t *testing.T) {
	keyring.MockInit()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := t.TempDir()
	md := filepath.Join(dir, "report.md")
	if err := os.WriteFile(md, []byte("an older report"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, "", nil, "onboard", "--sandbox", "--report", md, "--include-messages")
	b, err := os.ReadFile(md)
	if code != exitOK || err != nil || out != "" || !strings.Contains(errs, "Wrote the onboarding report to "+md) {
		t.Fatalf("exit %d, %v, stdout %q\n%s", code, err, out, errs)
	}
	if st, _ := os.Stat(md); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	if !strings.Contains(string(b), "## Messages exchanged") || strings.Contains(string(b), "an older report") || strings.Contains(string(b), "Sandoval") || strings.Contains(string(b), "SANDOVAL") {
		t.Errorf("report:\n%s", b)
	}
	pdf := filepath.Join(dir, "report.pdf")
	if code, _, errs := runCmd(t, "", nil, "onboard", "--sandbox", "--report", pdf); code != exitOK {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (apt-get install poppler-utils)")
	}
	text, err := exec.Command("pdftotext", "-raw", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Phase 2: 6 of 6 scenarios as expected, 0 conformance errors, 0 warnings", "Result: all three phases passed."} {
		if !strings.Contains(string(text), s) {
			t.Errorf("PDF lacks %q:\n%s", s, text)
		}
	}
	for _, s := range []string{"Sandoval", "SANDOVAL", "2008-04-12", "Nguyen", "9000001"} {
		if strings.Contains(string(text), s) {
			t.Errorf("PDF contains %q", s)
		}
	}
}
