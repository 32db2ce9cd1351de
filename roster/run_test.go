package roster_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

const classCSV = "Student_Number,Last_Name,First_Name,DOB,Grade_Level\r\n" +
	"1,Sandoval,Maya,2008-04-12,12\r\n" +
	"2,Parker,Liam,06/20/2019,2\r\n" +
	"3,Doe,Jane,13/01/2016,4\r\n" +
	"4,Nguyen,Minh,2017-09-03,3\r\n" +
	"2,Parker,Liam,06/20/2019,2\r\n" +
	"5,Adeyemi,Tobi,2022-10-15,PK\r\n" +
	"6,Smith,Michael,2015-09-01,6\r\n" +
	"7,Doe,Jane,2016-01-01,4\r\n"

// wantReport is the report of classCSV, row by row, without the header.
var wantReport = []string{
	"2,1,Sandoval,Maya,2008-04-12,12,compliant,,,9000001,",
	"3,2,Parker,Liam,2019-06-20,2,not_compliant,DTaP/Tdap/Td; Polio; MMR; Varicella; HepA,,9000002,",
	`4,3,Doe,Jane,13/01/2016,4,error,,,,"not sent: birth date ""13/01/2016"" is not a real date: there is no month 13 (the month comes first); accepted: YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for 2004-2027"`,
	"5,4,Nguyen,Minh,2017-09-03,3,needs_review,,,,2 candidates",
	"6,2,Parker,Liam,06/20/2019,2,not_compliant,DTaP/Tdap/Td; Polio; MMR; Varicella; HepA,,9000002,same student as line 3",
	"7,5,Adeyemi,Tobi,2022-10-15,PK,in_process,,2026-12-01,9000023,",
	"8,6,Smith,Michael,2015-09-01,6,too_many,,,,",
	"9,7,Doe,Jane,2016-01-01,4,not_found,,,,",
}

func readClass(t *testing.T) *roster.Roster {
	ro, err := roster.Read(strings.NewReader(classCSV), roster.Options{Now: today})
	if err != nil {
		t.Fatal(err)
	}
	return ro
}

func reportRows(t *testing.T, path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if lines[0] != strings.Join(roster.ReportHeader, ",") {
		t.Fatalf("header %q", lines[0])
	}
	return lines[1:]
}

// TestRunReport runs a class through the real sandbox: one row per input
// row in input order, the report mode 0600.
func TestRunReport(t *testing.T) {
	_, client := newSandbox(t, sandbox.Options{})
	ro := readClass(t)
	path := filepath.Join(t.TempDir(), "report.csv")
	rep, err := roster.OpenReport(path, ro, false)
	if err != nil {
		t.Fatal(err)
	}
	run := &roster.Run{Checker: &roster.Checker{Client: client, AsOf: today}}
	sum, err := run.Do(context.Background(), ro, rep)
	rep.Close()
	if err != nil || sum.Ending != roster.Finished || sum.Queries != 6 {
		t.Fatalf("ending %d, %d queries, %v", sum.Ending, sum.Queries, err)
	}
	got := reportRows(t, path)
	if strings.Join(got, "\n") != strings.Join(wantReport, "\n") {
		t.Errorf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantReport, "\n"))
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode())
	}
	if _, err := csv.NewReader(strings.NewReader(strings.Join(got, "\n"))).ReadAll(); err != nil {
		t.Error(err)
	}
}

// TestRunResume: a run capped, then one stopped, then resumed with a
// torn last row, ends with the same report and each student queried once.
func TestRunResume(t *testing.T) {
	_, client := newSandbox(t, sandbox.Options{})
	ro := readClass(t)
	path := filepath.Join(t.TempDir(), "report.csv")
	queries := 0
	for i, max := range []int{2, 0, 0} {
		rep, err := roster.OpenReport(path, ro, i > 0)
		if err != nil {
			t.Fatal(err)
		}
		stop := make(chan struct{})
		run := &roster.Run{Checker: &roster.Checker{Client: client, AsOf: today}, Max: max, Stop: stop}
		if i == 1 {
			run.Progress = func(p roster.Progress) {
				if p.Queries == 1 {
					close(stop) // Ctrl-C during the first query: it ends, and is written
				}
			}
		}
		sum, err := run.Do(context.Background(), ro, rep)
		rep.Close()
		if err != nil {
			t.Fatal(err)
		}
		queries += sum.Queries
		want := []roster.Ending{roster.Capped, roster.Stopped, roster.Finished}[i]
		if sum.Ending != want {
			t.Fatalf("run %d: ending %d, want %d", i, sum.Ending, want)
		}
		if i == 1 {
			// A kill in the middle of a row: the torn row is dropped.
			f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("8,6,Smi")
			f.Close()
		}
	}
	if queries != 6 {
		t.Errorf("%d queries, want 6 (each student once)", queries)
	}
	if got := reportRows(t, path); strings.Join(got, "\n") != strings.Join(wantReport, "\n") {
		t.Errorf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantReport, "\n"))
	}
	if _, err := roster.OpenReport(path, ro, false); err == nil || !strings.Contains(err.Error(), "exists: give --resume") {
		t.Errorf("got %v", err)
	}
}

// TestRunPausesOnAuth: a refused account pauses before the first
// student is written, instead of failing every student.
func TestRunPausesOnAuth(t *testing.T) {
	_, cfg := sandboxConfig(t, sandbox.Options{})
	cfg.Password = "wrong"
	ro := readClass(t)
	path := filepath.Join(t.TempDir(), "report.csv")
	rep, err := roster.OpenReport(path, ro, false)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := (&roster.Run{Checker: &roster.Checker{Client: newClient(t, cfg), AsOf: today}}).Do(context.Background(), ro, rep)
	rep.Close()
	if err != nil || sum.Ending != roster.Paused || sum.Queries != 1 || sum.Pause.Student.Line != 2 {
		t.Fatalf("ending %d, %d queries, %v", sum.Ending, sum.Queries, err)
	}
	if got := reportRows(t, path); len(got) != 0 {
		t.Errorf("rows written: %q", got)
	}
}
