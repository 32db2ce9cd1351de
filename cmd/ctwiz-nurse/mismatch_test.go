package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// TestQueryWrongStudent: the wrong-student guard of 'query', through the
// real client and a loopback sandbox (issue 11.1). A record whose patient
// is not the student asked for is shown side by side, not as a record,
// and exits 9; --accept-mismatch shows it and exits 0.
func TestQueryWrongStudent(t *testing.T) {
	keyring.MockInit()
	endpoint := func(mode sandbox.Mode) string {
		s, err := sandbox.New(sandbox.Options{Misbehave: mode})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(s)
		t.Cleanup(hs.Close)
		return hs.URL + sandbox.Path
	}
	cfg := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	account := func(k string) string {
		return map[string]string{"CTWIZ_USERNAME": sandbox.DefaultUsername, "CTWIZ_PASSWORD": sandbox.DefaultPassword, "CTWIZ_FACILITY_ID": sandbox.DefaultFacility}[k]
	}
	normal, wrong, noID := endpoint(sandbox.Normal), endpoint(sandbox.WrongPatient), endpoint(sandbox.NoRegistryID)
	bob := []string{"--last", "Jones", "--first", "Bob", "--dob", "2008-04-12", "--id", "9000001"}
	maya := []string{"--last", "Sandoval", "--first", "Maya", "--dob", "2008-04-12"}
	for _, tc := range []struct {
		name     string
		endpoint string
		args     []string
		code     int
		want     []string // in stdout
		wantErr  string   // in stderr
		notInOut []string
	}{
		{"Jones, Bob + ID 9000001 opens SANDOVAL, Maya", normal, bob, exitMismatch,
			[]string{"may be another student's", "Asked", "Registry", "Last name", "Jones", "SANDOVAL", "differs", "Bob", "Maya", "04/12/2008", "9000001"},
			"--accept-mismatch", []string{"Immunizations", "MMR", "Forecast"}},
		{"the same, with --accept-mismatch", normal, append(bob, "--accept-mismatch"), exitOK,
			[]string{"SANDOVAL, Maya", "MMR"}, "Shown with --accept-mismatch", nil},
		{"the student's own ID", normal, append(maya, "--id", "9000001"), exitOK, []string{"SANDOVAL, Maya", "MMR"}, "", []string{"differs"}},
		{"a name written otherwise is not a mismatch", normal,
			[]string{"--last", "garcia lopez", "--first", "JOSE", "--middle", "a.", "--dob", "2014-07-04", "--id", "9000006"}, exitOK, []string{"GARCÍA-LÓPEZ"}, "", []string{"differs"}},
		{"a plain search answered with another patient", wrong, maya, exitMismatch,
			[]string{"PARKER", "Liam", "06/20/2019", "Sandoval", "differs"}, "--accept-mismatch", []string{"Immunizations"}},
		{"a fetch of a listed twin answered without registry ID", noID,
			[]string{"--last", "Nguyen", "--first", "Minh", "--dob", "2017-09-03", "--pick", "2"}, exitMismatch,
			[]string{"Registry ID", "9000004", "(none)", "differs"}, "", []string{"Immunizations"}},
		{"a plain search answered without registry ID is the student", noID, maya, exitOK, []string{"SANDOVAL, Maya"}, "", []string{"differs"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"query", "--config", cfg, "--endpoint", tc.endpoint}, tc.args...)
			code, out, errs := runCmd(t, "", account, args...)
			if code != tc.code || !strings.Contains(errs, tc.wantErr) {
				t.Errorf("exit %d (want %d), stderr lacks %q:\n%s%s", code, tc.code, tc.wantErr, out, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.notInOut {
				if strings.Contains(out, w) {
					t.Errorf("stdout has %q:\n%s", w, out)
				}
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		var resp hl7.Response
		code, out, errs := runCmd(t, "", account, append([]string{"query", "--config", cfg, "--endpoint", normal, "--json"}, bob...)...)
		if err := json.Unmarshal([]byte(out), &resp); err != nil || code != exitMismatch {
			t.Fatalf("exit %d, %v:\n%s%s", code, err, out, errs)
		}
		m := resp.Mismatch
		if resp.Outcome != hl7.OutcomeMismatch || len(resp.Immunizations) != 0 || len(resp.Forecast) != 0 || m == nil ||
			m.Asked.Family != "Jones" || m.Registry.Family != "SANDOVAL" || len(m.Fields) != 2 || m.Fields[0].Field != "family" || m.Fields[1].Field != "given" {
			t.Errorf("outcome %s, %d doses, %d forecasts, mismatch %+v", resp.Outcome, len(resp.Immunizations), len(resp.Forecast), m)
		}
		// Every key of the reply is still there (add keys only).
		for _, k := range []string{`"immunizations": []`, `"forecast": []`, `"patients"`, `"warnings"`, `"mismatch"`} {
			if !strings.Contains(out, k) {
				t.Errorf("JSON lacks %s", k)
			}
		}
		code, out, _ = runCmd(t, "", account, append([]string{"query", "--config", cfg, "--endpoint", normal, "--json", "--accept-mismatch"}, bob...)...)
		resp = hl7.Response{}
		if err := json.Unmarshal([]byte(out), &resp); err != nil || code != exitOK || resp.Outcome != hl7.OutcomeRecord ||
			len(resp.Immunizations) == 0 || resp.Mismatch == nil {
			t.Errorf("--accept-mismatch: exit %d, %v, outcome %s, %d doses, mismatch %v", code, err, resp.Outcome, len(resp.Immunizations), resp.Mismatch)
		}
		// A record that is the student has no mismatch key at all.
		_, out, _ = runCmd(t, "", account, append([]string{"query", "--config", cfg, "--endpoint", normal, "--json"}, maya...)...)
		if strings.Contains(out, `"mismatch"`) {
			t.Errorf("a matching record has a mismatch key")
		}
	})
}
