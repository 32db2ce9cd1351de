package main

import (
	"encoding/hex"
	"fmt"
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
)

// hostileRegistry is a registry that echoes the password it was sent in
// the reply: in the HL7 when the student's last name is Echo (a record
// whose ERR-8 and MSA-3 hold it, escaped and hex-escaped) or Reject (a
// rejection), as the name of the reply's element when it is Element.
func hostileRegistry(t *testing.T) (configPath string) {
	t.Helper()
	record, err := os.ReadFile(filepath.Join(samples, "rsp_z42_ct_wiz_webiz.hl7"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _, err := cdcsoap.DecodeRequest(r.Body)
		if err != nil || req.Operation != cdcsoap.OpSubmitSingleMessage {
			http.Error(w, "bad request", 400)
			return
		}
		m, err := hl7.Parse([]byte(req.HL7Message))
		if err != nil {
			http.Error(w, "bad request", 400)
			return
		}
		esc, hexed := hl7.Escape(req.Password), `\X`+strings.ToUpper(hex.EncodeToString([]byte(req.Password)))+`\`
		var reply string
		switch m.Get("QPD-4.1") {
		case "Echo":
			lines := strings.Split(strings.TrimRight(strings.ReplaceAll(string(record), "\r\n", "\n"), "\n"), "\n")
			for i, l := range lines {
				if strings.HasPrefix(l, "MSA|") {
					lines[i] = "MSA|AE|" + m.ControlID() + "|password " + esc
				}
			}
			reply = strings.Join(lines, "\r") + "\rERR||QPD^1^4|0^Message accepted^HL70357|W|" + hexed + "^" + esc + "^HL70533|||Password " + esc + " expires\r"
		case "Reject":
			reply = "MSH|^~\\&|" + esc + "|CT0000|||20260101||ACK^Q11^ACK|R1|P|2.5.1\rMSA|AR|" + m.ControlID() + "|" + esc + "\r" +
				"ERR||MSH^1^3|207^" + esc + "^HL70357|E|4^" + hexed + "^HL70533||||Bad password " + esc + "\r"
		case "Element":
			w.Header().Set("Content-Type", "application/soap+xml")
			fmt.Fprintf(w, `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><%sResponse xmlns="urn:cdc:iisb:2011"><return>x</return></%[1]sResponse></e:Body></e:Envelope>`, req.Password)
			return
		}
		_ = cdcsoap.WriteResponse(w, cdcsoap.SOAP12, &cdcsoap.Response{Operation: req.Operation, Return: reply})
	}))
	t.Cleanup(srv.Close)
	return qaConfig(t, srv)
}

// A password the registry echoes reaches none of what query prints,
// writes (--pdf, --debug) or exits with, in any form.
func TestQueryPasswordEchoed(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/mock-bus")
	keyring.MockInit()
	configPath := hostileRegistry(t)
	tests := []struct {
		name, last, password string
		json, pdf            bool
		code                 int
	}{
		{"record, readable, with PDF", "Echo", fakePassword, false, true, exitOK},
		{"record as JSON", "Echo", fakePassword, true, false, exitOK},
		{"rejection", "Reject", fakePassword, false, false, exitRejected},
		{"rejection as JSON", "Reject", fakePassword, true, false, exitRejected},
		{"reply element named after the password", "Element", "Pw9Hunter2", false, false, exitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			trace, pdf := filepath.Join(dir, "trace.txt"), filepath.Join(dir, "record.pdf")
			// The record is BUTTE's, not Echo's: --accept-mismatch shows it,
			// and the side by side (on stderr) must be scrubbed too.
			args := []string{"query", "--config", configPath, "--last", tt.last, "--first", "Dianthe", "--dob", "2014-08-15", "--debug", trace, "--accept-mismatch"}
			if tt.json {
				args = append(args, "--json")
			}
			if tt.pdf {
				args = append(args, "--pdf", pdf)
			}
			vars := map[string]string{envUsername: fakeUser, envPassword: tt.password}
			code, stdout, stderr := runCmd(t, "", func(k string) string { return vars[k] }, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			out := []string{stdout, stderr}
			for _, f := range []string{trace, pdf} {
				if b, err := os.ReadFile(f); err == nil {
					out = append(out, string(b))
				}
			}
			if tt.pdf {
				if _, err := exec.LookPath("pdftotext"); err != nil {
					t.Log("pdftotext is not installed: the PDF's text is not checked")
				} else if text, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output(); err != nil {
					t.Fatalf("pdftotext: %v", err)
				} else {
					out = append(out, string(text))
				}
			}
			all := strings.Join(out, "\n")
			if !strings.Contains(stdout+stderr, "[redacted]") {
				t.Errorf("the echo reached no output, so the test proves nothing:\n%s\n%s", stdout, stderr)
			}
			for _, form := range []string{tt.password, hl7.Escape(tt.password), strings.ToUpper(hex.EncodeToString([]byte(tt.password))), "secret"} {
				if strings.Contains(all, form) {
					t.Errorf("output holds the password as %q:\nstdout:\n%s\nstderr:\n%s", form, stdout, stderr)
				}
			}
		})
	}
}
