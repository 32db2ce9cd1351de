//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// TestTUIWrongStudent: the reported reproduction (issue 11.1) in the real
// binary: Jones, Bob with SANDOVAL, Maya's registry ID 9000001 typed in
// the registry ID field. Her record is held back: asked and registry side
// by side; esc goes back to the form, y opens the record.
func TestTUIWrongStudent(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		t.Run(strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1]), func(t *testing.T) {
			p := startTUI(t, size[0], size[1], nil, "--sandbox")
			p.waitFor("Find a student", "Last name")
			p.typeText("Jones")
			p.keys("Tab")
			p.typeText("Bob")
			p.keys("Tab")
			p.typeText("04/12/2008")
			p.keys("BTab", "BTab", "BTab") // from the birth date back round to the registry ID, the last field
			p.typeText("9000001")
			p.keys("Enter")
			s := p.waitFor("another student's", "Asked", "Registry", "Jones", "SANDOVAL", "differs", "9000001", "y yes")
			p.checkFits(s, size[0])
			if n := len(strings.Split(strings.TrimRight(s, "\n"), "\n")); n > size[1] {
				t.Errorf("%d lines at height %d", n, size[1])
			}
			for _, hidden := range []string{"Forecast", "MMR"} {
				if strings.Contains(s, hidden) {
					t.Errorf("the held-back record shows %q:\n%s", hidden, s)
				}
			}
			p.keys("Escape")
			s = p.waitFor("Find a student")
			if !strings.Contains(s, "9000001") { // the focused field: at 60x15 the form scrolls to it
				t.Errorf("esc lost what was typed:\n%s", s)
			}
			p.keys("Enter")
			p.waitFor("another student's", "SANDOVAL")
			p.keys("y")
			s = p.waitFor("SANDOVAL, Maya", "Forecast")
			p.checkFits(s, size[0])
			p.quit("q")
			p.checkLog("SANDOVAL", "Maya", "Jones", "9000001", "2008-04-12")
		})
	}
}

// TestTUIWrongPatient: a registry that answers a plain search with
// another patient's record (--misbehave wrong-patient): Sandoval, Maya
// gets PARKER, Liam, held back; the idle lock clears it.
func TestTUIWrongPatient(t *testing.T) {
	endpoint := startSandboxProcess(t, "--misbehave", "wrong-patient")
	env := []string{"CTWIZ_USERNAME=" + sandbox.DefaultUsername, "CTWIZ_PASSWORD=" + sandbox.DefaultPassword, "CTWIZ_FACILITY_ID=" + sandbox.DefaultFacility}
	p := startTUI(t, 60, 15, env, "--endpoint", endpoint)
	p.search("Sandoval", "Maya", "04/12/2008")
	s := p.waitFor("another student's", "Sandoval", "PARKER", "06/20/2019", "differs")
	p.checkFits(s, 60)
	p.keys("C-l")
	s = p.waitFor("Locked")
	for _, gone := range []string{"PARKER", "Sandoval"} {
		if strings.Contains(s, gone) {
			t.Errorf("the lock screen shows %q:\n%s", gone, s)
		}
	}
	p.quit("C-c")
}

// TestQueryWrongStudentCommand: 'query' in the real binary exits 9 with
// both sides printed, and 0 with --accept-mismatch.
func TestQueryWrongStudentCommand(t *testing.T) {
	bob := []string{"query", "--sandbox", "--last", "Jones", "--first", "Bob", "--dob", "2008-04-12", "--id", "9000001"}
	for _, tc := range []struct {
		args []string
		code int
		want []string
		not  string
	}{
		{bob, 9, []string{"may be another student's", "Jones", "SANDOVAL", "differs", "--accept-mismatch"}, "Forecast"},
		{append(bob, "--accept-mismatch"), 0, []string{"SANDOVAL, Maya", "Shown with --accept-mismatch"}, ""},
	} {
		cmd := exec.Command(tuiBinary(t), tc.args...)
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir())
		out, _ := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s", tc.args[len(tc.args)-1], code, tc.code, out)
		}
		for _, w := range tc.want {
			if !strings.Contains(string(out), w) {
				t.Errorf("output lacks %q:\n%s", w, out)
			}
		}
		if tc.not != "" && strings.Contains(string(out), tc.not) {
			t.Errorf("output has %q:\n%s", tc.not, out)
		}
	}
}
