package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

const rosterClass = "\ufeffStudent_Number;Last_Name;First_Name;DOB;Grade_Level\r\n" +
	"1;Sandoval;Maya;04/12/2008;12\r\n" +
	"2;Kim;Jae;2021-05-10;K\r\n" +
	"3;Okafor;Chidi;2011-10-02;\r\n" +
	"4;Doe;;2016-01-01;4\r\n" +
	"5;Smith;Michael;2015-09-01;6\r\n"

// writeClass writes rosterClass as class.csv in a new folder.
func writeClass(t *testing.T) (dir, class string) {
	t.Helper()
	dir = t.TempDir()
	class = filepath.Join(dir, "class.csv")
	if err := os.WriteFile(class, []byte(rosterClass), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, class
}

// TestRosterCommand runs 'roster FILE --sandbox --pace 0' in script mode:
// the rows not sent named before any query, the report row by row, the
// outcomes counted, exit 0; then a second run without --resume refuses
// to overwrite the report.
func TestRosterCommand(t *testing.T) {
	keyring.MockInit()
	dir, class := writeClass(t)
	code, out, stderr := runCmd(t, "", nil, "roster", class, "--sandbox", "--pace", "0", "--grade", "9", "--as-of", "2026-12-01")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		"class.csv: not sent: line 5: no first name\n",
		"5 rows: 4 students to check, 1 not sent, 0 repeated; 0 already in " + filepath.Join(dir, "class-report.csv") + ".\n",
		"4 queries, one at a time, 0s apart: about 4s if CT WiZ answers in a second.\n",
		"CT WiZ allows queries only for students of your own school(s).\n",
		"4/4 checked",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if want := "Checked this run: 4\n  compliant      1\n  in_process     1\n  not_compliant  1\n  too_many       1\n"; out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	data, err := os.ReadFile(filepath.Join(dir, "class-report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := "line,student_number,last_name,first_name,birth_date,grade,outcome,missing,next_date,registry_id,detail\n" +
		"2,1,Sandoval,Maya,2008-04-12,12,compliant,,,9000001,\n" +
		"3,2,Kim,Jae,2021-05-10,K,in_process,,DATE,9000022,\n" +
		"4,3,Okafor,Chidi,2011-10-02,9,not_compliant,Tdap; Varicella; MenACWY,,9000021,\n" +
		"5,4,Doe,,2016-01-01,4,error,,,,not sent: no first name\n" +
		"6,5,Smith,Michael,2015-09-01,6,too_many,,,,\n"
	// The sandbox's records follow its day (today): the date the next
	// HepA dose can be given moves with it.
	if got := regexp.MustCompile(`in_process,,\d{4}-\d\d-\d\d,`).ReplaceAllString(string(data), "in_process,,DATE,"); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", data, want)
	}
	code, _, stderr = runCmd(t, "", nil, "roster", class, "--sandbox", "--pace", "0", "--grade", "9")
	if code != exitUsage || !strings.Contains(stderr, "class-report.csv exists: give --resume to continue that run, or another --out") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	code, out, _ = runCmd(t, "", nil, "roster", class, "--sandbox", "--resume", "--grade", "9")
	if code != exitOK || out != "Checked this run: 0\n" {
		t.Errorf("resume of a finished run: exit %d, %q", code, out)
	}
}

// TestRosterUsage: what cannot be a run is refused with exit 2 before
// anything is sent.
func TestRosterUsage(t *testing.T) {
	dir := t.TempDir()
	noGrade := filepath.Join(dir, "nograde.csv")
	if err := os.WriteFile(noGrade, []byte("Last_Name,First_Name,DOB\nKim,Jae,2021-05-10\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"roster"}, "Usage: ctwiz-nurse roster FILE"},
		{[]string{"roster", filepath.Join(dir, "missing.csv")}, "ctwiz-nurse roster: cannot read the roster: open "},
		{[]string{"roster", noGrade}, "no grade column"},
		{[]string{"roster", noGrade, "--grade", "13"}, "--grade: "},
		{[]string{"roster", noGrade, "--columns", "height=H"}, "--columns: "},
	} {
		code, _, stderr := runCmd(t, "", nil, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d\n%s", tc.args, code, stderr)
		}
	}
}

// TestRosterNoAccountNoReport: a run that cannot start (no stored
// account) leaves no report, so the next run needs no --resume.
func TestRosterNoAccountNoReport(t *testing.T) {
	keyring.MockInit()
	dir, class := writeClass(t)
	t.Setenv("XDG_CONFIG_HOME", dir)
	code, _, stderr := runCmd(t, "", nil, "roster", class, "--endpoint", "http://127.0.0.1:9/iis", "--grade", "9")
	if code == exitOK || code == exitRosterStopped {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "class-report.csv")); !os.IsNotExist(err) {
		t.Errorf("a report was left: %v", err)
	}
}

// TestRosterPausesWhenRegistryDoesNotAnswer: a registry that refuses
// connections pauses the run at the first student (exit 10), which is not
// written, instead of failing every student.
func TestRosterPausesWhenRegistryDoesNotAnswer(t *testing.T) {
	keyring.MockInit()
	dir, class := writeClass(t)
	t.Setenv("XDG_CONFIG_HOME", dir)
	getenv := func(k string) string {
		return map[string]string{"CTWIZ_USERNAME": "nurse", "CTWIZ_PASSWORD": "pw", "CTWIZ_FACILITY_ID": "F1"}[k]
	}
	// Port 9 (discard) on loopback: nothing listens there in a test.
	code, out, stderr := runCmd(t, "", getenv, "roster", class, "--endpoint", "http://127.0.0.1:9/iis", "--grade", "9", "--pace", "0")
	if code != exitRosterStopped || !strings.Contains(stderr, "the run is paused before line 2: ") ||
		!strings.Contains(stderr, "nothing was lost: fix this and run again with --resume") || out != "Checked this run: 0\n" {
		t.Fatalf("exit %d\nstdout %q\n%s", code, out, stderr)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "class-report.csv"))
	if strings.Count(string(data), "\n") != 1 {
		t.Errorf("report holds more than its header:\n%s", data)
	}
}
