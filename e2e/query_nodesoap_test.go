//go:build e2e

package e2e

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/cdcsoap"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
)

const (
	nodeSoapUser     = "nurse.e2e"
	nodeSoapPassword = "e2e pässword & <xml>"
)

// startNodeSoap runs e2e/testdata/nodesoap/server.js, a CDC WSDL service
// built on node-soap (an independent SOAP implementation), answering with
// the CT WiZ sample reply. It returns the endpoint URL and the QPD-4
// fields the server received, in order.
func startNodeSoap(t *testing.T) (string, <-chan string) {
	t.Helper()
	return startNodeSoapWith(t, filepath.Join("..", "hl7", "testdata", "rsp_z42_ct_wiz_webiz.hl7"))
}

// startNodeSoapWith is startNodeSoap answering with the HL7 of reply;
// extra arguments go to server.js ("as-is": MSA-2 as the file has it).
func startNodeSoapWith(t *testing.T, reply string, extra ...string) (string, <-chan string) {
	t.Helper()
	node, nodePath := requireNodeSoap(t)
	cmd := exec.Command(node, append([]string{filepath.Join("testdata", "nodesoap", "server.js"),
		filepath.Join("..", "cdcsoap", "cdc_iis.wsdl"), reply, nodeSoapUser, nodeSoapPassword}, extra...)...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodePath)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	ready := make(chan string, 1)
	received := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if port, ok := strings.CutPrefix(sc.Text(), "LISTENING "); ok {
				ready <- port
			}
			if qpd4, ok := strings.CutPrefix(sc.Text(), "QPD-4 "); ok {
				received <- qpd4
			}
		}
		close(ready)
	}()
	select {
	case port, ok := <-ready:
		if !ok {
			t.Fatal("the node-soap server exited before listening")
		}
		return "http://127.0.0.1:" + port + "/IISService", received
	case <-time.After(20 * time.Second):
		t.Fatal("the node-soap server did not start within 20 s")
	}
	return "", nil
}

// requireNodeSoap returns the node binary and the NODE_PATH holding
// node-soap (from NODE_SOAP_DIR, which test.sh sets), or skips the test
// saying what to install.
func requireNodeSoap(t *testing.T) (node, nodePath string) {
	t.Helper()
	dir := os.Getenv("NODE_SOAP_DIR")
	if dir == "" {
		t.Skip("NODE_SOAP_DIR is not set: install node-soap with `npm install soap@1.13.0` into a folder and export NODE_SOAP_DIR (test.sh does)")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "soap")); err != nil {
		t.Skipf("node-soap is not installed in NODE_SOAP_DIR=%s: %v", dir, err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (apt-get install nodejs)")
	}
	return node, filepath.Join(dir, "node_modules")
}

func nodeSoapClient(t *testing.T, endpoint, password string) *query.Client {
	t.Helper()
	c, err := query.New(query.Config{Endpoint: endpoint, Username: nodeSoapUser, Password: password, FacilityID: "CTNURSE01", ProcessingID: "T", Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func butte() hl7.Demographics {
	return hl7.Demographics{Last: "Butte", First: "Dianthe", BirthDate: time.Date(2014, 8, 15, 0, 0, 0, 0, time.UTC), Sex: "F"}
}

// The query client against node-soap: the WSDL, SOAP 1.2 both ways, the
// HL7 escaped in XML, MSA-2 matching, and the SecurityFault.
func TestQueryClientAgainstNodeSoap(t *testing.T) {
	endpoint, received := startNodeSoap(t)
	c := nodeSoapClient(t, endpoint, nodeSoapPassword)

	t.Run("ping", func(t *testing.T) {
		echo, err := c.Ping(t.Context())
		if err != nil || echo != "node-soap: ctwiz-nurse connectivity test" {
			t.Fatalf("Ping = %q, %v", echo, err)
		}
	})
	t.Run("record", func(t *testing.T) {
		resp, err := c.Find(t.Context(), butte())
		if err != nil {
			t.Fatal(err)
		}
		if resp.Outcome != hl7.OutcomeRecord || resp.Patients[0].RegistryID != "867287" || len(resp.Immunizations) != 2 || len(resp.Forecast) == 0 {
			t.Errorf("outcome %s, %d doses, %d forecasts", resp.Outcome, len(resp.Immunizations), len(resp.Forecast))
		}
		if got := <-received; got != "Butte^Dianthe^^^^^L" {
			t.Errorf("node-soap received QPD-4 %q", got)
		}
	})
	t.Run("hostile name travels", func(t *testing.T) {
		d := butte()
		d.Last = `A|B^C~D\E&F`
		if _, err := c.Find(t.Context(), d); err != nil {
			t.Fatal(err)
		}
		if got, want := <-received, `A\F\B\S\C\R\D\E\E\T\F^Dianthe^^^^^L`; got != want {
			t.Errorf("node-soap received QPD-4 %q, want %q", got, want)
		}
	})
	t.Run("SecurityFault", func(t *testing.T) {
		_, err := nodeSoapClient(t, endpoint, "wrong").Find(t.Context(), butte())
		var qe *query.Error
		if !errors.As(err, &qe) || qe.Kind != query.KindAuth || qe.Retryable || qe.Fault == nil || qe.Fault.Kind != cdcsoap.SecurityFault || qe.Fault.Code != "401" {
			t.Fatalf("err = %#v", err)
		}
		if !strings.HasPrefix(err.Error(), "CT WiZ rejected the username, password or facility ID (SecurityFault 401: Invalid Username, Password or FacilityID)") {
			t.Errorf("message %q", err.Error())
		}
	})
	t.Run("WSDL served with this endpoint", func(t *testing.T) {
		// node-soap publishes the contract it parsed: the same namespace
		// and operations as cdcsoap's copy.
		out, err := exec.Command("curl", "-sf", endpoint+"?wsdl").Output()
		if err != nil {
			t.Skipf("curl: %v", err)
		}
		for _, s := range []string{`targetNamespace="urn:cdc:iisb:2011"`, `location="` + endpoint + `"`, "submitSingleMessage", "connectivityTest", "SecurityFault"} {
			if !strings.Contains(string(out), s) {
				t.Errorf("served WSDL lacks %s", s)
			}
		}
	})
}

// The real binary's query and ping commands against node-soap, with
// credentials from the CTWIZ_* variables and exit codes as documented.
func TestQueryCommandAgainstNodeSoap(t *testing.T) {
	bin := os.Getenv("CTWIZ_E2E_BIN")
	if bin == "" {
		t.Skip("CTWIZ_E2E_BIN is not set: build the binary and set it (test.sh does)")
	}
	endpoint, _ := startNodeSoap(t)
	home := t.TempDir()
	run := func(password string, args ...string) (int, string, string) {
		cmd := exec.Command(bin, args...)
		cmd.Env = []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "PATH=" + os.Getenv("PATH"),
			"DBUS_SESSION_BUS_ADDRESS=" + os.Getenv("DBUS_SESSION_BUS_ADDRESS"),
			"CTWIZ_USERNAME=" + nodeSoapUser, "CTWIZ_PASSWORD=" + password}
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
	}
	student := []string{"query", "--endpoint", endpoint, "--last", "Butte", "--first", "Dianthe", "--dob", "08/15/2014"}

	code, stdout, stderr := run(nodeSoapPassword, "ping", "--endpoint", endpoint)
	if code != 0 || !strings.Contains(stdout, `SANDBOX at `+endpoint+` answered in`) {
		t.Errorf("ping: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = run(nodeSoapPassword, student...)
	if code != 0 || !strings.Contains(stdout, "Outcome: record") || !strings.Contains(stdout, "BUTTE, DIANTHE MARIAM") {
		t.Errorf("query: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = run(nodeSoapPassword, append(student, "--json")...)
	var r hl7.Response
	if err := json.Unmarshal([]byte(stdout), &r); code != 0 || err != nil || r.Outcome != hl7.OutcomeRecord {
		t.Errorf("query --json: exit %d, %v\n%s", code, err, stderr)
	}
	// --debug: a private trace with the exchange, and no patient value or
	// credential in it.
	trace := filepath.Join(home, "trace.log")
	code, _, stderr = run(nodeSoapPassword, append(student, "--debug", trace)...)
	b, err := os.ReadFile(trace)
	if code != 0 || err != nil || !strings.Contains(string(b), "HL7 received") {
		t.Errorf("query --debug: exit %d, %v\n%s", code, err, stderr)
	}
	if st, err := os.Stat(trace); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("trace file: %v %v", st.Mode(), err)
	}
	for _, secret := range []string{nodeSoapPassword, nodeSoapUser, "Butte", "BUTTE", "Dianthe", "DIANTHE", "20140815", "867287", "IVERSEN", "2695696"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the debug trace contains %q", secret)
		}
	}
	code, stdout, stderr = run("Wr0ngPa55!", student...)
	if code != 7 || !strings.Contains(stderr, "CT WiZ rejected the username, password or facility ID") || strings.Contains(stdout+stderr, "Wr0ngPa55!") {
		t.Errorf("wrong password: exit %d\n%s%s", code, stdout, stderr)
	}
}
