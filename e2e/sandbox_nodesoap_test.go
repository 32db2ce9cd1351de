//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// startSandboxBinary runs 'ctwiz-nurse sandbox' (the real binary) on a free
// loopback port and returns its endpoint, the first line it prints. At
// cleanup it is stopped with Ctrl-C (SIGINT) and must exit 0, having
// written nothing to disk: its working folder, home, temporary and XDG
// folders are empty ones of its own, checked after it exits.
func startSandboxBinary(t *testing.T, args ...string) string {
	t.Helper()
	root := t.TempDir()
	cmd := exec.Command(tuiBinary(t), append([]string{"sandbox", "--listen", "127.0.0.1:0", "--today", "2026-11-25", "--quiet"}, args...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "HOME="+root, "TMPDIR="+root, "XDG_CONFIG_HOME="+root,
		"XDG_CACHE_HOME="+root, "XDG_DATA_HOME="+root, "XDG_STATE_HOME="+root)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			first <- sc.Text()
		}
		close(first)
	}()
	// stop ends the sandbox and waits for it, so its stderr can be read
	// (exec copies into the buffer until Wait returns).
	stop := func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	var endpoint string
	select {
	case endpoint = <-first:
	case <-time.After(20 * time.Second):
		stop()
		t.Fatalf("the sandbox printed no endpoint within 20 s; stderr:\n%s", stderr.String())
	}
	if !strings.HasPrefix(endpoint, "http://127.0.0.1:") || !strings.HasSuffix(endpoint, "/iis") {
		stop()
		t.Fatalf("first line %q is not the endpoint URL; stderr:\n%s", endpoint, stderr.String())
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("the sandbox did not exit cleanly on Ctrl-C: %v\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "SYNTHETIC DATA ONLY") {
				t.Errorf("the sandbox did not say its data is synthetic:\n%s", stderr.String())
			}
			_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
				if err == nil && path != root {
					t.Errorf("the sandbox wrote %s (it must keep everything in memory)", path)
				}
				return nil
			})
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Error("the sandbox did not stop within 10 s of Ctrl-C")
		}
	})
	return endpoint
}

type nodeCall struct {
	Op         string `json:"op"`
	EchoBack   string `json:"echoBack,omitempty"`
	Username   string `json:"username,omitempty"`
	Password   string `json:"password,omitempty"`
	FacilityID string `json:"facilityID,omitempty"`
	HL7Message string `json:"hl7Message,omitempty"`
}

type nodeResult struct {
	Return *string `json:"return"`
	Fault  *struct {
		Kind, Code, Reason, Detail string
		Status                     int
	} `json:"fault"`
	Error string `json:"error"`
}

// nodeSoapCalls runs e2e/testdata/sandbox/client.js, a node-soap client
// that builds its requests from the WSDL served at endpoint?wsdl.
func nodeSoapCalls(t *testing.T, endpoint string, calls []nodeCall) []nodeResult {
	t.Helper()
	node, nodePath := requireNodeSoap(t)
	in, err := json.Marshal(calls)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join("testdata", "sandbox", "client.js"), endpoint)
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodePath)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("client.js: %v\n%s", err, stderr.String())
	}
	var results []nodeResult
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(calls) {
		t.Fatalf("client.js printed %d results for %d calls (%v):\n%s", len(results), len(calls), err, out)
	}
	return results
}

func qbp(t *testing.T, last, first, born, profile, control string) string {
	t.Helper()
	b, _ := time.Parse(time.DateOnly, born)
	m, err := hl7.BuildQuery(hl7.Demographics{Last: last, First: first, BirthDate: b},
		hl7.QueryOptions{Profile: profile, SendingFacility: "E2E", ControlID: control})
	if err != nil {
		t.Fatal(err)
	}
	return string(hl7.Encode(m))
}

// TestSandboxWithNodeSoap: an independent SOAP client (node-soap, reading
// the WSDL the sandbox serves) and the sandbox agree on the CDC WSDL:
// queries for the built-in cases, a VXU submission, the echo and faults.
func TestSandboxWithNodeSoap(t *testing.T) {
	endpoint := startSandboxBinary(t)
	const user, pass, fac = "sandbox-nurse", "sandbox", "SANDBOX"
	submit := func(msg string) nodeCall {
		return nodeCall{Op: "submitSingleMessage", Username: user, Password: pass, FacilityID: fac, HL7Message: msg}
	}
	vxu := strings.Join([]string{
		`MSH|^~\&|E2E-EHR|E2E-CLINIC|CTWIZ|CT0000|20261125||VXU^V04^VXU_V04|E2EVXU1|P|2.5.1|||ER|AL`,
		`PID|1||E2E-1^^^E2E^MR||NODE^Sally \T\ Sue^^^^^L||20200105|F`, // \T\ is an escaped &
		`ORC|RE||E2E-D1^E2E`,
		`RXA|0|1|20210110|20210110|03^MMR^CVX|0.5|mL^^UCUM||00^New^NIP001||||||LOT-E2E||MSD^Merck^MVX|||CP|A`,
	}, "\r") + "\r"
	calls := []nodeCall{
		{Op: "connectivityTest", EchoBack: "hello from node-soap"},
		submit(qbp(t, "Sandoval", "Maya", "2008-04-12", "Z44", "E2E1")),
		submit(qbp(t, "Sandoval", "Maya", "2008-04-12", "Z34", "E2E2")),
		submit(qbp(t, "Nguyen", "Minh", "2017-09-03", "Z44", "E2E3")),
		submit(qbp(t, "Smith", "Michael", "2015-09-01", "Z44", "E2E4")),
		submit(qbp(t, "Doe", "Jane", "2016-01-01", "Z44", "E2E5")),
		submit(vxu),
		submit(qbp(t, "Node", "Sally & Sue", "2020-01-05", "Z44", "E2E6")),
		{Op: "submitSingleMessage", Username: user, Password: "wrong", FacilityID: fac, HL7Message: qbp(t, "Sandoval", "Maya", "2008-04-12", "Z44", "E2E7")},
		submit(qbp(t, "A", "B", "2010-01-01", "Z44", "E2E8") + qbp(t, "C", "D", "2010-01-01", "Z44", "E2E9")),
	}
	res := nodeSoapCalls(t, endpoint, calls)

	if r := res[0]; r.Return == nil || *r.Return != "hello from node-soap" {
		t.Errorf("connectivityTest: %+v", r)
	}
	want := []struct {
		i       int
		control string
		profile string
		outcome hl7.Outcome
	}{
		{1, "E2E1", "Z42", hl7.OutcomeRecord},
		{2, "E2E2", "Z32", hl7.OutcomeRecord},
		{3, "E2E3", "Z31", hl7.OutcomeCandidates},
		{4, "E2E4", "Z33", hl7.OutcomeTooMany},
		{5, "E2E5", "Z33", hl7.OutcomeNotFound},
		{7, "E2E6", "Z42", hl7.OutcomeRecord},
	}
	for _, w := range want {
		r := res[w.i]
		if r.Return == nil {
			t.Errorf("call %d: no return: %+v", w.i, r)
			continue
		}
		resp, err := hl7.Decode([]byte(*r.Return), w.control)
		if err != nil {
			t.Errorf("call %d: %v", w.i, err)
			continue
		}
		if resp.Profile != w.profile || resp.Outcome != w.outcome {
			t.Errorf("call %d: %s %s, want %s %s", w.i, resp.Profile, resp.Outcome, w.profile, w.outcome)
		}
		if w.i == 7 && (len(resp.Patients) != 1 || resp.Patients[0].Given != "Sally & Sue" || len(resp.Immunizations) != 1 || resp.Immunizations[0].Lot != "LOT-E2E") {
			t.Errorf("the submitted patient: %+v %+v", resp.Patients, resp.Immunizations)
		}
	}
	if r := res[6]; r.Return == nil || !strings.Contains(*r.Return, "MSA|AA|E2EVXU1") {
		t.Errorf("VXU: %+v", r)
	}
	if f := res[8].Fault; f == nil || f.Kind != "SecurityFault" || f.Code != "401" {
		t.Errorf("wrong password: %+v", res[8])
	}
	if f := res[9].Fault; f == nil || f.Kind != "MessageTooLargeFault" {
		t.Errorf("two messages in one payload: %+v", res[9])
	}
}

// TestSandboxCommandSeed: the binary's sandbox with its own credentials and
// a seed file, queried by the binary's query command.
func TestSandboxCommandSeed(t *testing.T) {
	seed, err := filepath.Abs(filepath.Join("..", "sandbox", "testdata", "seed.hl7"))
	if err != nil {
		t.Fatal(err)
	}
	endpoint := startSandboxBinary(t, "--no-builtin", "--seed", seed,
		"--user", "trainer", "--password", "training day", "--facility", "TRAIN01")
	env := append(os.Environ(), "HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir(),
		"CTWIZ_USERNAME=trainer", "CTWIZ_PASSWORD=training day", "CTWIZ_FACILITY_ID=TRAIN01")
	queryCmd := func(last, first, dob string) (int, string, string) {
		cmd := exec.Command(tuiBinary(t), "query", "--endpoint", endpoint, "--json", "--last", last, "--first", first, "--dob", dob)
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, out.String(), errb.String()
	}
	code, out, stderr := queryCmd("Fairchild", "Cameron", "2009-02-14")
	var r hl7.Response
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Profile != "Z42" || len(r.Immunizations) != 2 {
		t.Errorf("seeded student: exit %d, %s %d doses\n%s", code, r.Profile, len(r.Immunizations), stderr)
	}
	if code, _, stderr := queryCmd("Sandoval", "Maya", "2008-04-12"); code != 3 {
		t.Errorf("a built-in student with --no-builtin: exit %d, want 3 (not found)\n%s", code, stderr)
	}
}

// TestSandboxCommandMisbehave: each --misbehave mode of the binary, as the
// binary's query command meets it (exit codes as documented).
func TestSandboxCommandMisbehave(t *testing.T) {
	cases := []struct {
		mode string
		code int
		want string // in stdout or stderr
	}{
		{"slow", 0, "Z42"}, // with --latency 1500ms: late, within the client's timeout
		{"soap11", 0, "Z42"},
		{"cdata", 0, "Z42"},
		{"lf", 0, "Z42"},
		{"ae-warning", 0, "SBX-501"},
		{"no-forecast", 0, "Z32"},
		{"html-error", 1, "500"},
		{"bad-xml", 1, ""},
		{"drop", 8, ""},
		{"wrong-patient", 9, "PARKER"}, // the wrong-student guard: another patient's record, held back
		{"no-registry-id", 0, "SANDOVAL"},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			args := []string{"--misbehave", c.mode}
			if c.mode == "slow" {
				args = append(args, "--latency", "1500ms")
			}
			endpoint := startSandboxBinary(t, args...)
			cmd := exec.Command(tuiBinary(t), "query", "--endpoint", endpoint, "--last", "Sandoval", "--first", "Maya", "--dob", "2008-04-12")
			cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir(),
				"CTWIZ_USERNAME=sandbox-nurse", "CTWIZ_PASSWORD=sandbox", "CTWIZ_FACILITY_ID=SANDBOX")
			start := time.Now()
			out, _ := cmd.CombinedOutput()
			if code := cmd.ProcessState.ExitCode(); code != c.code || !strings.Contains(string(out), c.want) {
				t.Errorf("exit %d (want %d), output lacks %q:\n%s", code, c.code, c.want, out)
			}
			if took := time.Since(start); c.mode == "slow" && took < 1500*time.Millisecond {
				t.Errorf("a slow reply came after %s, before the 1.5 s latency", took)
			}
		})
	}
}
