//go:build e2e

package e2e

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// The real binary's onboard command against node-soap answering replies
// that break the CDC implementation guide (conformance/testdata): each
// fails phase 2 (exit 12) with the check that names what is broken, and
// the report, HL7 appended, holds no patient value of the query or of the
// reply.
func TestOnboardAgainstNonConformantNodeSoap(t *testing.T) {
	bin := os.Getenv("CTWIZ_E2E_BIN")
	if bin == "" {
		t.Skip("CTWIZ_E2E_BIN is not set: build the binary and set it (test.sh does)")
	}
	broken := filepath.Join("..", "conformance", "testdata")
	tests := []struct {
		name   string
		reply  string
		asIs   bool   // MSA-2 as the file has it, not the query's MSH-10
		expect string // the scenario's expected outcome
		row    string // the report's row for the failed check
	}{
		{"wrong MSA-2", filepath.Join("..", "hl7", "testdata", "rsp_z42_ct_wiz_webiz.hl7"), true, "record",
			`| msa-2-echo | FAIL | MSA-2 "41zv-QA.2.1.2" is not the query's MSH-10 "`},
		{"Z31 with RXA", filepath.Join(broken, "z31_with_rxa.hl7"), false, "candidates",
			"| profile-content | FAIL | Z31 lists 2 candidate(s) but also carries ORC/RXA"},
		{"Z42 without forecast", filepath.Join(broken, "z42_without_forecast.hl7"), false, "record",
			"| profile-content | FAIL | Z42 has no forecast"},
		{"forecast group without status", filepath.Join(broken, "forecast_missing_status.hl7"), false, "record",
			"| forecast-groups | FAIL | forecast HepB has no series status (OBX 59783-1)"},
		{"malformed ERR", filepath.Join(broken, "malformed_err.hl7"), false, "not_found",
			`| err-format | FAIL | ERR 1: ERR-3 "ABC" is not a code of table 0357`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var extra []string
			if tt.asIs {
				extra = []string{"as-is"}
			}
			endpoint, _ := startNodeSoapWith(t, tt.reply, extra...)
			home := t.TempDir()
			scenarios := filepath.Join(home, "scenarios.csv")
			if err := os.WriteFile(scenarios, []byte("label,last,first,dob,expect\nthe case,Butte,Dianthe,2014-08-15,"+tt.expect+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			report := filepath.Join(home, "report.md")
			cmd := exec.Command(bin, "onboard", "--endpoint", endpoint, "--scenarios", scenarios, "--report", report, "--include-messages")
			cmd.Env = []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "PATH=" + os.Getenv("PATH"),
				"CTWIZ_USERNAME=" + nodeSoapUser, "CTWIZ_PASSWORD=" + nodeSoapPassword}
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if ee := (*exec.ExitError)(nil); err != nil && !errors.As(err, &ee) {
				t.Fatal(err)
			}
			b, rerr := os.ReadFile(report)
			text := string(b)
			if code := cmd.ProcessState.ExitCode(); code != 12 || rerr != nil {
				t.Fatalf("exit %d (want 12, phase 2), report %v\n%s%s", code, rerr, stdout.String(), stderr.String())
			}
			for _, s := range []string{"Phase 1: 5 of 5 checks passed", "Result: phase 2 failed.", tt.row, "## Messages exchanged"} {
				if !strings.Contains(text, s) && !strings.Contains(stderr.String(), s) {
					t.Errorf("the report lacks %q:\n%s", s, text)
				}
			}
			for _, v := range append([]string{nodeSoapPassword, "Butte", "BUTTE", "Dianthe", "DIANTHE", "2014-08-15", "20140815"}, patientValues(t, tt.reply)...) {
				if strings.Contains(text, v) || strings.Contains(stdout.String()+stderr.String(), v) {
					t.Errorf("the report or output holds the patient value %q", v)
				}
			}
		})
	}
}

// patientValues are the names, birth dates and identifiers of every PID
// and of the echoed query (QPD) in an HL7 file, those of four letters or
// more (a shorter one, such as the mother's name "Que", is also a piece of
// words the report uses: "Queries").
func patientValues(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := hl7.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for name, fields := range map[string][]string{"PID": {"3.1", "5.1", "5.2", "6.1", "7"}, "QPD": {"3.1", "4.1", "4.2", "5.1", "6"}} {
		for seg := range m.All(name) {
			for _, f := range fields {
				if v := seg.Get(name + "-" + f); len(v) > 3 {
					out = append(out, v)
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s holds no patient values: the check would prove nothing", path)
	}
	return out
}
