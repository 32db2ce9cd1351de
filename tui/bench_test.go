package tui

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
)

// bigRecord is a student with n doses across the school schedule, with
// evaluations, and a full forecast.
func bigRecord(n int) *hl7.Response {
	vaccines := []struct{ cvx, name, group string }{
		{"20", "DTaP", "DTaP/Tdap/Td"}, {"10", "IPV", "Polio"}, {"03", "MMR", "MMR"}, {"21", "varicella", "Varicella"},
		{"08", "Hep B, adolescent or pediatric", "HepB"}, {"83", "Hep A, ped/adol, 2 dose", "HepA"}, {"88", "influenza, unspecified formulation", "Influenza"},
	}
	r := &hl7.Response{Outcome: hl7.OutcomeRecord, Profile: "Z42",
		Patients: []hl7.Patient{{RegistryID: "867287", Family: "BENCH", Given: "MARK", BirthDate: "2012-03-04", Sex: "M"}}}
	start := time.Date(2012, 3, 4, 0, 0, 0, 0, time.UTC)
	for i := range n {
		v := vaccines[i%len(vaccines)]
		valid := "Y"
		if i%9 == 0 {
			valid = "N"
		}
		r.Immunizations = append(r.Immunizations, hl7.Immunization{
			Date: start.AddDate(0, 0, 30*i).Format("2006-01-02"), CVX: v.cvx, Vaccine: v.name, Lot: fmt.Sprintf("LOT%04d", i),
			Historical: i%3 == 0, Status: "CP",
			Evaluations: []hl7.Evaluation{{Group: v.group, Dose: fmt.Sprint(i/len(vaccines) + 1), Valid: valid, Reason: map[bool]string{true: "too soon after the previous dose"}[valid == "N"]}},
		})
	}
	for i, v := range vaccines {
		st := []string{hl7.StatusOverdue, hl7.StatusDue, hl7.StatusOnSchedule, hl7.StatusComplete}[i%4]
		r.Forecast = append(r.Forecast, hl7.Forecast{Group: v.group, CVX: v.cvx, Status: st, Dose: "3",
			Earliest: "2026-01-01", Due: "2026-02-01", Overdue: "2026-03-01"})
	}
	return r
}

func recordModelFor(b *testing.B, r *hl7.Response) Model {
	reg := &fakeRegistry{find: answer(r)}
	m, _ := newTestModel(b, reg, func(o *Options) { o.NoColor = false })
	m = fillForm(b, m, "Bench", "Mark", "03/04/2012")
	m = press(b, m, "enter")
	if m.Screen() != "record" {
		b.Fatalf("screen %s", m.Screen())
	}
	return m
}

// BenchmarkRecordView100Doses is one frame of the record screen of a
// 100-dose record (target: under 2 ms).
func BenchmarkRecordView100Doses(b *testing.B) {
	m := recordModelFor(b, bigRecord(100))
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkRecordLayout100Doses lays out a 100-dose record, as done once
// when it arrives and on each resize.
func BenchmarkRecordLayout100Doses(b *testing.B) {
	r, st := bigRecord(100), newStyles(false)
	for b.Loop() {
		_ = renderRecord(r, nil, st, 100)
	}
}

// firstWrite reports the moment the first frame (the search form's
// title) reaches the terminal; mode and query sequences come before it.
type firstWrite struct {
	once sync.Once
	ch   chan struct{}
	mu   sync.Mutex
	buf  []byte
}

func (f *firstWrite) Write(p []byte) (int, error) {
	f.mu.Lock()
	f.buf = append(f.buf, p...)
	seen := bytes.Contains(f.buf, []byte("Find a student"))
	f.mu.Unlock()
	if seen {
		f.once.Do(func() { close(f.ch) })
	}
	return len(p), nil
}

// BenchmarkStartToFirstFrame is the time from building the model to the
// first frame written to the terminal (target: under 100 ms).
func BenchmarkStartToFirstFrame(b *testing.B) {
	for b.Loop() {
		out := &firstWrite{ch: make(chan struct{})}
		pr, pw := io.Pipe()
		m := New(Options{Profile: "sandbox", Environment: "SANDBOX", User: "nurse", Facility: "SCH001", Registry: &fakeRegistry{}})
		p := tea.NewProgram(m, tea.WithInput(pr), tea.WithOutput(out), tea.WithWindowSize(80, 24), tea.WithoutSignals())
		done := make(chan struct{})
		go func() { _, _ = p.Run(); close(done) }()
		<-out.ch
		b.StopTimer()
		p.Quit()
		pw.Close()
		<-done
		b.StartTimer()
	}
}

// BenchmarkRosterChecked1000: a roster run of 1,000 students as the
// screen sees it, one message per student, each followed by a frame.
// Per op: the whole run; divide by 1,000 for one student.
func BenchmarkRosterChecked1000(b *testing.B) {
	var csv bytes.Buffer
	csv.WriteString("Last_Name,First_Name,DOB,Grade_Level\n")
	for i := range 1000 {
		fmt.Fprintf(&csv, "STUDENT%d,Ada,2019-09-01,1\n", i)
	}
	path := b.TempDir() + "/class.csv"
	if err := os.WriteFile(path, csv.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	job, err := OpenRoster(path, "", 0, testStart)
	if err != nil {
		b.Fatal(err)
	}
	defer job.Report.Close()
	m, _ := newTestModel(b, &fakeRegistry{}, func(o *Options) { o.Roster = job })
	m.roster.phase, m.roster.stop = rosterRunning, make(chan struct{})
	b.ReportAllocs()
	for b.Loop() {
		r := m
		r.roster.rows = nil
		for i, s := range job.Roster.Students {
			res := roster.Result{Student: s, Outcome: roster.NotCompliant, Missing: []string{"MMR", "HepA"}}
			next, _ := r.Update(rosterCheckedMsg{run: r.roster.run, res: res, prog: roster.Progress{Done: i + 1, Total: 1000, Queries: i + 1, Started: testStart}})
			r = next.(Model)
			_ = r.View()
		}
	}
}
