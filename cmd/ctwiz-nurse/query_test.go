package main

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

const (
	fakePassword = "pw&<secret>"
	fakeUser     = "nurse.jones"
)

// fakeRegistry is a CT WiZ stand-in over TLS: the student's last name
// chooses the answer, a wrong password gets a SecurityFault.
func fakeRegistry(t *testing.T) (configPath string) {
	t.Helper()
	answer := func(name, control string) string {
		b, err := os.ReadFile(filepath.Join(samples, name))
		if err != nil {
			t.Error(err)
			return ""
		}
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		for i, l := range lines {
			if f := strings.Split(l, "|"); f[0] == "MSA" && len(f) > 2 {
				f[2] = control
				lines[i] = strings.Join(f, "|")
			}
		}
		return strings.Join(lines, "\r") + "\r"
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _, err := cdcsoap.DecodeRequest(r.Body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		if req.Operation == cdcsoap.OpConnectivityTest {
			_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, &cdcsoap.Response{Operation: req.Operation, Return: req.EchoBack})
			return
		}
		if req.Password != fakePassword || req.Username != fakeUser {
			_ = cdcsoap.WriteFault(w, cdcsoap.SOAP12, cdcsoap.NewFault(cdcsoap.SecurityFault, 401, "Invalid Username, Password or FacilityID"))
			return
		}
		m, err := hl7.Parse([]byte(req.HL7Message))
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		var file string
		switch last := m.Get("QPD-4.1"); {
		case m.Get("QPD-3.5") == "SR": // a fetch: the record of that registry ID
			rec := strings.Replace(answer("rsp_z42_ct_wiz_webiz.hl7", m.ControlID()), "867287^^^CT0000^SR", m.Get("QPD-3.1")+"^^^CT0000^SR", 1)
			// ... and of the candidate listed (Child, Robert) for the IDs
			// the candidate list gives, as the wrong-student guard checks.
			if m.Get("QPD-3.1") != "867287" {
				rec = strings.Replace(rec, "BUTTE^DIANTHE^MARIAM^^^^L|Blaine^^^^^^M|20140815", "Child^Robert^^^^^L|Blaine^^^^^^M|20050512", 1)
			}
			_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, &cdcsoap.Response{Operation: req.Operation, Return: rec})
			return
		case last == "Single":
			one := strings.Join(strings.Split(answer("rsp_z31_ig_two_candidates.hl7", m.ControlID()), "\r")[:5], "\r") + "\r" // up to the first candidate's NK1
			_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, &cdcsoap.Response{Operation: req.Operation, Return: one})
			return
		case last == "Butte":
			file = "rsp_z42_ct_wiz_webiz.hl7"
		case last == "Child":
			file = "rsp_z31_ig_two_candidates.hl7"
		case last == "Nobody":
			file = "rsp_z33_nf_ig.hl7"
		case last == "Smith":
			file = "rsp_z33_tm_ig.hl7"
		case last == "Reject":
			file = "ack_ar_q11_unrecognized_type_ig.hl7"
		case last == "Error":
			file = "rsp_z33_ae_err_ig.hl7"
		case last == "Protected":
			pd := "MSH|^~\\&|WebIZ|CT0000|||20260101||RSP^K11^RSP_K11|R1|T|2.5.1|||NE|NE|||||Z33^CDCPHINVS\rMSA|AA|" + m.ControlID() + "\rQAK|T|PD|Z44^^CDCPHINVS\r"
			_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, &cdcsoap.Response{Operation: req.Operation, Return: pd})
			return
		case last == "Broken":
			_ = cdcsoap.WriteFault(w, cdcsoap.SOAP12, cdcsoap.NewFault(cdcsoap.UnknownFault, 54353, "An unexpected problem occured"))
			return
		case last == "Garbage":
			_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, &cdcsoap.Response{Operation: req.Operation, Return: "not HL7"})
			return
		}
		_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, &cdcsoap.Response{Operation: req.Operation, Return: answer(file, m.ControlID())})
	}))
	t.Cleanup(srv.Close)
	return qaConfig(t, srv)
}

// qaConfig writes a config.toml whose default profile "qa" (a test
// environment) points at srv and trusts its certificate.
func qaConfig(t *testing.T, srv *httptest.Server) (configPath string) {
	t.Helper()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	configPath = filepath.Join(dir, "config.toml")
	conf := fmt.Sprintf("default_profile = \"qa\"\n[profiles.qa]\nendpoint = %q\nfacility_id = \"CTNURSE01\"\nprocessing_id = \"T\"\nca_file = %q\ntimeout = \"5s\"\n", srv.URL+"/IISService", ca)
	if err := os.WriteFile(configPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return configPath
}

func TestQueryExitCodes(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mock-bus")
	keyring.MockInit() // empty keychain: credentials come from the environment
	configPath := fakeRegistry(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := "http://" + l.Addr().String() + "/IISService"
	l.Close()
	vars := map[string]string{envUsername: fakeUser, envPassword: fakePassword}
	wrong := map[string]string{envUsername: fakeUser, envPassword: "wrong"}
	student := []string{"--first", "Dianthe", "--dob", "08/15/2014"}
	tests := []struct {
		name   string
		vars   map[string]string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"record", vars, append([]string{"--last", "Butte"}, student...), exitOK,
			[]string{"Outcome: record", "BUTTE, DIANTHE MARIAM", "registry ID 867287", "Immunization history (2)", "Forecast ("}, []string{"Asking CT WiZ QA/TEST at https://127.0.0.1:"}},
		{"candidates listed", vars, append([]string{"--last", "Child"}, student...), exitCandidates,
			[]string{"Outcome: candidates", "1. Child, Robert", "2. Child, Robert", "registry ID 99445566", "registry ID 123456"}, []string{"run the same command with --pick N"}},
		{"one candidate is numbered and not chosen", vars, append([]string{"--last", "Single"}, student...), exitCandidates,
			[]string{"Outcome: candidates", "1. Child, Robert", "registry ID 99445566"}, []string{"CT WiZ found 1 possible student. Compare it with your records; if it is the student, run the same command with --pick 1"}},
		{"pick fetches the record", vars, append([]string{"--last", "Child", "--pick", "2"}, student...), exitOK,
			[]string{"Outcome: record", "registry ID 123456"}, nil},
		{"pick out of range lists the candidates again", vars, append([]string{"--last", "Child", "--pick", "3"}, student...), exitUsage,
			[]string{"Outcome: candidates", "1. Child, Robert", "2. Child, Robert"}, []string{"--pick 3: CT WiZ listed 2 candidates; run the command again with --pick 1 to --pick 2"}},
		{"pick beyond a list of one", vars, append([]string{"--last", "Single", "--pick", "2"}, student...), exitUsage,
			[]string{"1. Child, Robert"}, []string{"--pick 2: CT WiZ listed 1 candidate; run the command again with --pick 1\n"}},
		{"pick without a candidate list", vars, append([]string{"--last", "Butte", "--pick", "1"}, student...), exitOK,
			[]string{"Outcome: record"}, []string{"--pick 1 not used: CT WiZ did not list candidates (one patient's record)"}},
		{"pick zero or below", vars, append([]string{"--last", "Child", "--pick", "-1"}, student...), exitUsage,
			nil, []string{"--pick takes a candidate number from 1"}},
		{"id fetches the record", vars, append([]string{"--last", "Butte", "--id", "867287"}, student...), exitOK,
			[]string{"Outcome: record"}, nil},
		{"not found", vars, append([]string{"--last", "Nobody"}, student...), exitNotFound,
			[]string{"Outcome: not_found"}, []string{"No student matched. That is common", "To search again, check the spelling and the date of birth.\n"}},
		{"not found with a middle name", vars, append([]string{"--last", "Nobody", "--middle", "Q"}, student...), exitNotFound,
			nil, []string{"To search again, check the spelling and the date of birth, try without --middle."}},
		{"too many names what to add", vars, append([]string{"--last", "Smith", "--sex", "F", "--phone", "860-555-1212"}, student...), exitTooMany,
			[]string{"Outcome: too_many"}, []string{"Add details to narrow the search: --middle, --mother-maiden, --street/--city/--zip."}},
		{"too many with every detail", vars, append([]string{"--last", "Smith", "--middle", "Q", "--sex", "F", "--mother-maiden", "Roe", "--zip", "06106", "--phone", "8605551212"}, student...), exitTooMany,
			nil, []string{"Too many students matched, even with every detail given", "--id"}},
		{"rejected without a reason", vars, append([]string{"--last", "Reject"}, student...), exitRejected,
			[]string{"Outcome: rejected"}, []string{"CT WiZ returned no record and did not say why"}},
		{"registry error with its message", vars, append([]string{"--last", "Error"}, student...), exitRejected,
			[]string{"Outcome: error", "error required field missing [QPD-2 101]"}, []string{"CT WiZ returned no record; its messages above say why"}},
		{"protected data", vars, append([]string{"--last", "Protected"}, student...), exitRejected,
			[]string{"Outcome: error"}, []string{"protected data (QAK PD)"}},
		{"registry fault", vars, append([]string{"--last", "Broken"}, student...), exitRejected,
			nil, []string{"CT WiZ reported a problem (UnknownFault 54353: An unexpected problem occured)"}},
		{"wrong password", wrong, append([]string{"--last", "Butte"}, student...), exitAuth,
			nil, []string{"CT WiZ rejected the username, password or facility ID"}},
		{"no credentials", nil, append([]string{"--last", "Butte"}, student...), exitAuth,
			nil, []string{`no CT WiZ credentials for profile "qa"`}},
		{"network failure", vars, append([]string{"--last", "Butte", "--endpoint", closedPort}, student...), exitNetwork,
			nil, []string{"refused the connection"}},
		{"reply not HL7", vars, append([]string{"--last", "Garbage"}, student...), exitFailure,
			nil, []string{"CT WiZ's reply does not hold a readable HL7 answer"}},
		{"missing date of birth", vars, []string{"--last", "Butte", "--first", "Dianthe"}, exitUsage,
			nil, []string{"--dob required"}},
		{"impossible date", vars, []string{"--last", "Butte", "--first", "Dianthe", "--dob", "02/30/2015"}, exitUsage,
			nil, []string{`--dob: "02/30/2015" is not a real date`}},
		{"future date", vars, []string{"--last", "Butte", "--first", "Dianthe", "--dob", "2999-01-01"}, exitUsage,
			nil, []string{"date of birth: is in the future"}},
		{"stray argument", vars, append([]string{"--last", "Butte", "Dianthe"}, student...), exitUsage,
			nil, []string{`ctwiz-nurse query: unexpected argument after --last and its value (not shown, in case it is a password) (every value is given with a flag, e.g. --last)`}},
		{"help", vars, []string{"-h"}, exitOK, nil, []string{"Usage: ctwiz-nurse query", "Exit codes: 0 record"}},
		{"password flag refused", vars, append([]string{"--last", "Butte", "--password=hunter2"}, student...), exitUsage,
			nil, []string{"the password is never given on the command line"}},
		{"unknown profile", vars, append([]string{"--last", "Butte", "--profile", "production"}, student...), exitConfig,
			nil, []string{`there is no profile "production"; configured profiles: qa`}},
		{"plain http to a remote host", vars, append([]string{"--last", "Butte", "--endpoint", "http://ctwiz.example.org/IISService"}, student...), exitConfig,
			nil, []string{"uses plain http://"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"query", "--config", configPath}, tt.args...)
			code, stdout, stderr := runCmd(t, "", func(k string) string { return tt.vars[k] }, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if strings.Contains(stdout+stderr, fakePassword) || strings.Contains(stdout+stderr, "hunter2") {
				t.Error("a password was printed")
			}
		})
	}
}

// --json prints exactly the hl7.Response, as decode --json does.
func TestQueryJSON(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mock-bus")
	keyring.MockInit()
	configPath := fakeRegistry(t)
	vars := map[string]string{envUsername: fakeUser, envPassword: fakePassword}
	code, stdout, stderr := runCmd(t, "", func(k string) string { return vars[k] },
		"query", "--config", configPath, "--json", "--last", "Butte", "--first", "Dianthe", "--dob", "2014-08-15")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r hl7.Response
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatal(err)
	}
	want, _ := json.MarshalIndent(&r, "", "  ")
	if stdout != string(want)+"\n" {
		t.Errorf("stdout is not the indented JSON of the response:\n%s", stdout)
	}
	if r.Outcome != hl7.OutcomeRecord || r.Patients[0].RegistryID != "867287" {
		t.Errorf("outcome %s", r.Outcome)
	}
}

func TestQueryDebugTrace(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mock-bus")
	keyring.MockInit()
	configPath := fakeRegistry(t)
	trace := filepath.Join(t.TempDir(), "trace.log")
	// An earlier trace others could read: appended to, and made private.
	if err := os.WriteFile(trace, []byte("earlier trace\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{envUsername: fakeUser, envPassword: fakePassword}
	code, _, stderr := runCmd(t, "", func(k string) string { return vars[k] },
		"query", "--config", configPath, "--debug", trace, "--last", "Butte", "--first", "Dianthe", "--dob", "2014-08-15")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(trace); st.Mode().Perm() != 0o600 {
		t.Errorf("trace file mode %v", st.Mode().Perm())
	}
	for _, s := range []string{fakePassword, fakeUser, "Butte", "BUTTE", "Dianthe", "20140815", "867287"} {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("trace contains %q", s)
		}
	}
	if !bytes.HasPrefix(b, []byte("earlier trace\n")) || !bytes.Contains(b, []byte("HL7 received")) {
		t.Errorf("trace:\n%s", b)
	}
}

func TestPingCommand(t *testing.T) {
	configPath := fakeRegistry(t)
	code, stdout, stderr := runCmd(t, "", nil, "ping", "--config", configPath)
	if code != exitOK || !strings.Contains(stdout, `CT WiZ QA/TEST at https://127.0.0.1:`) || !strings.Contains(stdout, `: "ctwiz-nurse connectivity test"`) {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, _, stderr = runCmd(t, "", nil, "ping", "--config", configPath, "--endpoint", "https://ctwiz.invalid/IISService")
	if code != exitNetwork || !strings.Contains(stderr, "the name ctwiz.invalid could not be found") {
		t.Errorf("exit %d\nstderr: %s", code, stderr)
	}
	code, _, stderr = runCmd(t, "", nil, "ping", "--config", configPath, "qa")
	if code != exitUsage || !strings.Contains(stderr, `ctwiz-nurse ping: unexpected argument after --config and its value (not shown, in case it is a password)`) {
		t.Errorf("stray argument: exit %d\nstderr: %s", code, stderr)
	}
	code, _, stderr = runCmd(t, "", nil, "ping", "--config", filepath.Join(t.TempDir(), "none.toml"))
	if code != exitConfig || !strings.Contains(stderr, "does not exist") {
		t.Errorf("missing --config: exit %d\nstderr: %s", code, stderr)
	}
}
