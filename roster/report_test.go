package roster_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
)

// TestReadReport reads back the report a run of classCSV writes (the
// rows TestRunReport checks), with a row torn by a kill at the end: every
// whole row, its requirements split, a repeated row naming the row it
// repeats; a file that is not a report is refused by name.
func TestReadReport(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.csv")
	text := strings.Join(roster.ReportHeader, ",") + "\n" + strings.Join(wantReport, "\n") + "\n8,6,Smi"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	rows, err := roster.ReadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(wantReport) {
		t.Fatalf("%d rows, want %d", len(rows), len(wantReport))
	}
	for _, tc := range []struct {
		i    int
		want roster.ReportRow
	}{
		{1, roster.ReportRow{Line: 3, Number: "2", Last: "Parker", First: "Liam", BirthDate: "2019-06-20", Grade: "2", Outcome: roster.NotCompliant,
			Missing: []string{"DTaP/Tdap/Td", "Polio", "MMR", "Varicella", "HepA"}, RegistryID: "9000002"}},
		{2, roster.ReportRow{Line: 4, Number: "3", Last: "Doe", First: "Jane", BirthDate: "13/01/2016", Grade: "4", Outcome: roster.Error,
			Detail: `not sent: birth date "13/01/2016" is not a real date: there is no month 13 (the month comes first); accepted: YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for 2004-2027`}},
		{4, roster.ReportRow{Line: 6, Number: "2", Last: "Parker", First: "Liam", BirthDate: "06/20/2019", Grade: "2", Outcome: roster.NotCompliant,
			Missing: []string{"DTaP/Tdap/Td", "Polio", "MMR", "Varicella", "HepA"}, RegistryID: "9000002", Detail: "same student as line 3", Repeats: 3}},
		{5, roster.ReportRow{Line: 7, Number: "5", Last: "Adeyemi", First: "Tobi", BirthDate: "2022-10-15", Grade: "PK", Outcome: roster.InProcess,
			NextDate: "2026-12-01", RegistryID: "9000023"}},
	} {
		if !reflect.DeepEqual(rows[tc.i], tc.want) {
			t.Errorf("row %d:\n%+v\nwant\n%+v", tc.i, rows[tc.i], tc.want)
		}
	}
	other := filepath.Join(dir, "class.csv")
	if err := os.WriteFile(other, []byte(classCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := roster.ReadReport(other); err == nil || err.Error() != other+" is not a ctwiz-nurse roster report" {
		t.Errorf("a class list read as a report: %v", err)
	}
}

// TestResultRowDetail: the report's detail column reads as a sentence
// would, one candidate or several (issue 11.10's wording, in the CSV too).
func TestResultRowDetail(t *testing.T) {
	for _, tc := range []struct {
		res  roster.Result
		want string
	}{
		{roster.Result{Outcome: roster.NeedsReview, Candidates: make([]hl7.Patient, 1)}, "1 candidate"},
		{roster.Result{Outcome: roster.NeedsReview, Candidates: make([]hl7.Patient, 2)}, "2 candidates"},
		{roster.Result{Outcome: roster.NeedsReview, Candidates: make([]hl7.Patient, 1), Chosen: true}, roster.ChosenDetail},
		{roster.Result{Outcome: roster.Error, ErrorKind: "timeout"}, "timeout"},
	} {
		row := roster.ResultRow(tc.res)
		if got := row[len(row)-1]; got != tc.want {
			t.Errorf("%d candidates, chosen %v: detail %q, want %q", len(tc.res.Candidates), tc.res.Chosen, got, tc.want)
		}
	}
}
