package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
)

// class is a roster of four rows: a student found at once, one with two
// candidates (needs_review), one not found, and a row that cannot be sent.
const class = "Last_Name,First_Name,DOB,Grade_Level\n" +
	"Butte,Dianthe,2014-08-15,7\n" +
	"Child,Robert,2005-05-12,12\n" +
	"Doe,Jane,2016-01-01,4\n" +
	"Bad,Row,13/45/2016,4\n"

// rosterRegistry answers as the sandbox would: Butte's record, Child's
// two candidates, nobody else; a fetch answers with the candidate's
// record, or with wrong's (another student) when set, compared with what
// was asked as the query client compares it.
func rosterRegistry(t *testing.T, wrong *bool) *fakeRegistry {
	return &fakeRegistry{
		secret: "pw",
		find: func(_ context.Context, d hl7.Demographics) (*hl7.Response, error) {
			switch d.Last {
			case "Butte":
				r := loadResponse(t, "record_webiz.json")
				r.Mismatch = hl7.ComparePatient(d, r.Patients[0])
				return r, nil
			case "Child":
				return loadResponse(t, "candidates_two.json"), nil
			}
			return &hl7.Response{Outcome: hl7.OutcomeNotFound}, nil
		},
		fetch: func(_ context.Context, p hl7.Patient, d hl7.Demographics) (*hl7.Response, error) {
			r := loadResponse(t, "record_webiz.json")
			if !*wrong {
				r.Patients[0].Family, r.Patients[0].Given, r.Patients[0].Middle = p.Family, p.Given, ""
				r.Patients[0].BirthDate, r.Patients[0].RegistryID = p.BirthDate, p.RegistryID
			}
			asked := d
			asked.Last, asked.First = p.Family, p.Given
			r.Mismatch = hl7.ComparePatient(asked, r.Patients[0])
			return r, nil
		},
	}
}

// openClass reads class into a job whose report is in a temporary folder.
func openClass(t *testing.T) *RosterJob {
	t.Helper()
	path := filepath.Join(t.TempDir(), "class.csv")
	if err := os.WriteFile(path, []byte(class), 0o600); err != nil {
		t.Fatal(err)
	}
	job, err := OpenRoster(path, "", 0, testStart)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { job.Report.Close() })
	return job
}

// reportLine is the report's row for a roster line.
func reportLine(t *testing.T, job *RosterJob, line string) []string {
	t.Helper()
	rows, err := job.Report.Rows()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r[0] == line {
			return r
		}
	}
	t.Fatalf("line %s is not in the report: %q", line, rows)
	return nil
}

// TestRosterTableFills: before anything is sent, the row that cannot be
// and the question; then one row per student as each message arrives.
func TestRosterTableFills(t *testing.T) {
	wrong := false
	m, _ := newTestModel(t, rosterRegistry(t, &wrong), func(o *Options) { o.Roster = openClass(t) })
	if m.Screen() != "roster" {
		t.Fatalf("screen %s", m.Screen())
	}
	mustContain(t, plain(m), "Roster class.csv", "Not sent", "line 5: birth date", "3 queries, one at a time",
		"CT WiZ allows queries only for students of your own school(s).", "y/enter start")
	if len(m.roster.rows) != 0 {
		t.Fatalf("%d rows before the run", len(m.roster.rows))
	}
	// The run's messages, as roster.Run hands them over, one at a time.
	m.roster.phase, m.roster.stop = rosterRunning, make(chan struct{})
	for i, s := range m.roster.job.Roster.Students {
		res := roster.Result{Student: s, Outcome: roster.NotFound}
		m = update(t, m, rosterCheckedMsg{run: m.roster.run, res: res, prog: roster.Progress{Done: i + 1, Total: 3, Queries: i + 1, Started: testStart}})
		if len(m.roster.rows) != i+1 {
			t.Fatalf("after %d messages, %d rows", i+1, len(m.roster.rows))
		}
		mustContain(t, plain(m), s.Last+", "+s.First, "not_found "+string(rune('1'+i)))
	}
	// A message of an earlier run is dropped.
	if m2 := update(t, m, rosterCheckedMsg{run: m.roster.run + 1}); len(m2.roster.rows) != 3 {
		t.Errorf("a message of another run added a row")
	}
	// q stops after the query in flight: the screen stays.
	m = press(t, m, "q")
	if m.Screen() != "roster" || m.roster.phase != rosterStopping {
		t.Errorf("q: screen %s, phase %d", m.Screen(), m.roster.phase)
	}
	mustContain(t, plain(m), "Stopping after the query in flight")
}

// TestRosterRunResolveReview: the whole run through the model (y starts
// it; roster.Run in a goroutine, one message per student), the filter,
// and a needs_review row resolved: enter lists the candidates the run
// kept, her choice is fetched by registry ID and its record opens, and
// the row and REPORT.csv say what the record gives. A record that is
// not the candidate chosen is held back by the wrong-student guard and
// changes nothing until she confirms it.
func TestRosterRunResolveReview(t *testing.T) {
	wrong := true
	reg := rosterRegistry(t, &wrong)
	job := openClass(t)
	m, _ := newTestModel(t, reg, func(o *Options) { o.Roster = job })
	m = press(t, m, "y")
	if !m.roster.finished || len(m.roster.rows) != 4 || reg.findCount() != 3 {
		t.Fatalf("finished %v, %d rows, %d finds", m.roster.finished, len(m.roster.rows), reg.findCount())
	}
	v := plain(m)
	mustContain(t, v, "3/3 checked", "Every row is in class-report.csv", "Butte, Dianthe", "Child, Robert",
		"needs_review", "2 candidates", "not_found", "Bad, Row", "not sent")
	if started, finished := m.RosterEnd(); !started || !finished {
		t.Errorf("RosterEnd %v %v", started, finished)
	}

	// f cycles the outcomes: needs_review shows Child alone.
	for m.roster.filter != roster.NeedsReview {
		m = press(t, m, "f")
	}
	v = plain(m)
	mustContain(t, v, "Showing needs_review: 1 of 4 rows", "Child, Robert", "enter review")
	mustNotContain(t, v, "Butte, Dianthe", "Doe, Jane")

	m = press(t, m, "enter")
	if m.Screen() != "candidates" || len(m.cands.patients) != 2 || reg.findCount() != 3 {
		t.Fatalf("enter: screen %s, %d candidates, %d finds (the run's candidates are kept, not asked again)",
			m.Screen(), len(m.cands.patients), reg.findCount())
	}
	// The fetch answers with another student: held back, nothing written.
	held := press(t, m, "enter")
	if held.Screen() != "mismatch" {
		t.Fatalf("screen %s, want the record held back", held.Screen())
	}
	if row := reportLine(t, job, "3"); row[6] != "needs_review" {
		t.Errorf("a record held back changed the report: %q", row)
	}
	if held = press(t, held, "esc"); held.Screen() != "candidates" {
		t.Errorf("esc: screen %s", held.Screen())
	}

	wrong = false
	m = press(t, m, "down", "enter")
	if m.Screen() != "record" || m.record.resp.Patients[0].RegistryID != "123456" {
		t.Fatalf("screen %s", m.Screen())
	}
	row := reportLine(t, job, "3")
	if row[6] == "needs_review" || row[9] != "123456" || row[10] != roster.ChosenDetail {
		t.Fatalf("report row after the choice: %q", row)
	}
	mustContain(t, plain(m), "Line 3 is now "+row[6]+" in class-report.csv", "School entry")
	m = press(t, m, "esc")
	if m.Screen() != "roster" {
		t.Fatalf("esc from the record: screen %s, want the roster", m.Screen())
	}
	m = press(t, m, "f") // the filter goes on to too_many; the row is no longer needs_review
	for m.roster.filter != "" {
		m = press(t, m, "f")
	}
	mustContain(t, plain(m), row[6])
	if got := m.roster.rows[1].fields; got[9] != "123456" {
		t.Errorf("table row %q", got)
	}
	if fi, err := os.Stat(job.Report.Path()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v (%v)", fi.Mode(), err)
	}
}

// TestRosterLock: the lock drops every student of the roster from the
// screen and the model; unlocking reads the table back from the report.
func TestRosterLock(t *testing.T) {
	wrong := false
	job := openClass(t)
	m, _ := newTestModel(t, rosterRegistry(t, &wrong), func(o *Options) { o.Roster = job })
	m = press(t, m, "y")
	m = press(t, m, "ctrl+l")
	if m.Screen() != "lock" || m.roster.rows != nil {
		t.Fatalf("screen %s, %d rows kept", m.Screen(), len(m.roster.rows))
	}
	mustNotContain(t, plain(m), "Butte", "Child", "Doe")
	mustContain(t, words(plain(m)), "The roster is read back from class-report.csv when")
	m = typeText(t, m, "pw")
	m = press(t, m, "enter")
	if m.Screen() != "roster" || len(m.roster.rows) != 4 || m.roster.rows[0].record != nil {
		t.Fatalf("unlock: screen %s, %d rows", m.Screen(), len(m.roster.rows))
	}
	mustContain(t, plain(m), "Butte, Dianthe", "Child, Robert")
	// The candidates went with the lock: enter searches again.
	m = press(t, m, "down", "enter")
	if m.Screen() != "candidates" || len(m.cands.patients) != 2 {
		t.Errorf("screen %s after the lock", m.Screen())
	}
}

// TestRosterSmallTerminal: at 60x15 every screen of the roster fits.
func TestRosterSmallTerminal(t *testing.T) {
	wrong := false
	m, _ := newTestModel(t, rosterRegistry(t, &wrong), func(o *Options) { o.Roster = openClass(t) })
	m = update(t, m, tea.WindowSizeMsg{Width: 60, Height: 15})
	check := func(what string) {
		t.Helper()
		v := plain(m)
		lines := strings.Split(v, "\n")
		if len(lines) > 15 {
			t.Errorf("%s: %d lines", what, len(lines))
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > 60 {
				t.Errorf("%s: line wider than 60: %q", what, l)
			}
		}
	}
	check("question")
	mustContain(t, words(plain(m)), "Start?", "CT WiZ allows queries only for students of your own school(s).")
	m = press(t, m, "y")
	check("table")
	mustContain(t, plain(m), "3/3 checked", "Dianthe", "? more keys")
}

func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestRosterFromSearchForm: ctrl+o on the search form asks for a class
// list; a wrong path is refused with the reason, which goes when she
// edits; the right one opens the roster; n sends nothing and removes
// the report it created.
func TestRosterFromSearchForm(t *testing.T) {
	wrong := false
	dir := t.TempDir()
	path := filepath.Join(dir, "class.csv")
	if err := os.WriteFile(path, []byte(class), 0o600); err != nil {
		t.Fatal(err)
	}
	m, _ := newTestModel(t, rosterRegistry(t, &wrong))
	mustContain(t, plain(m), "ctrl+o")
	m = press(t, m, "ctrl+o")
	if m.Screen() != "open roster" {
		t.Fatalf("screen %s", m.Screen())
	}
	m = typeText(t, m, filepath.Join(dir, "nope.csv"))
	m = press(t, m, "enter")
	mustContain(t, plain(m), "no such file")
	m = press(t, m, "backspace")
	mustNotContain(t, plain(m), "no such file")
	m = press(t, m, "ctrl+u")
	m = typeText(t, m, path)
	m = press(t, m, "enter")
	if m.Screen() != "roster" {
		t.Fatalf("screen %s: %s", m.Screen(), plain(m))
	}
	mustContain(t, plain(m), "3 queries")
	report := filepath.Join(dir, "class-report.csv")
	if _, err := os.Stat(report); err != nil {
		t.Fatal(err)
	}
	// q before starting quits and leaves no report either.
	if q, _ := m.Update(keyMsg("q")); q.(Model).roster.job == nil {
		t.Fatal("q closed the roster")
	}
	if _, err := os.Stat(report); !os.IsNotExist(err) {
		t.Errorf("q before starting left the report (%v)", err)
	}
	if err := os.WriteFile(report, []byte(strings.Join(roster.ReportHeader, ",")+"\n"), 0o600); err != nil {
		t.Fatal(err) // as it was, for n below
	}
	m = press(t, m, "n")
	if m.Screen() != "form" {
		t.Errorf("n: screen %s", m.Screen())
	}
	if _, err := os.Stat(report); !os.IsNotExist(err) {
		t.Errorf("declining left the report (%v)", err)
	}
	mustContain(t, plain(m), "Nothing sent.")
}

// TestRosterRecordOnTheRunsDay: a row's record is checked on the run's
// day (the roster command's --as-of), not today, so the record screen
// and the report row agree.
func TestRosterRecordOnTheRunsDay(t *testing.T) {
	wrong := false
	job := openClass(t)
	job.AsOf = testStart.AddDate(-1, 0, 0)
	m, _ := newTestModel(t, rosterRegistry(t, &wrong), func(o *Options) { o.Roster = job })
	m = press(t, m, "y", "enter") // the first row: Butte, whose record the run kept
	if m.Screen() != "record" || m.record.school == nil {
		t.Fatalf("screen %s, school check %v", m.Screen(), m.record.school)
	}
	if m.record.school.err != nil {
		t.Fatal(m.record.school.err)
	}
	if got := m.record.school.res.SchoolYear; got != "2025-26" {
		t.Errorf("record checked for the school year %s, want the run's 2025-26", got)
	}
}

// TestRosterOpenAbandoned: a class list still opening when she leaves
// (esc) leaves no report behind, as answering no does.
func TestRosterOpenAbandoned(t *testing.T) {
	wrong := false
	dir := t.TempDir()
	path := filepath.Join(dir, "class.csv")
	if err := os.WriteFile(path, []byte(class), 0o600); err != nil {
		t.Fatal(err)
	}
	m, _ := newTestModel(t, rosterRegistry(t, &wrong))
	m = press(t, m, "ctrl+o")
	m = typeText(t, m, path)
	next, open := m.Update(keyMsg("enter"))
	if open == nil {
		t.Fatal("enter opened nothing")
	}
	m = press(t, next.(Model), "esc")
	if m.Screen() == "open roster" {
		t.Fatalf("esc stayed on %s", m.Screen())
	}
	m = update(t, m, open())
	if m.Screen() == "roster" {
		t.Fatal("the class list opened after she left")
	}
	if _, err := os.Stat(filepath.Join(dir, "class-report.csv")); !os.IsNotExist(err) {
		t.Errorf("the abandoned class list left its report (%v)", err)
	}
}
