package tui

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// RosterJob is a class list opened for a run: the roster command fills
// it from its flags, the search form's ctrl+o from a path (OpenRoster).
type RosterJob struct {
	File   string // the class list as named
	Roster *roster.Roster
	Report *roster.Report
	// Created says the report was created for this job, not resumed:
	// declining to start removes it, as the command does.
	Created bool
	Pace    time.Duration
	Max     int               // most queries a run sends; 0 no cap
	Grade   schoolentry.Grade // for rows without a grade
	AsOf    time.Time         // the school-entry check's day; zero: today
	// closeReport says the interface opened the report and closes it
	// when the nurse leaves the roster.
	closeReport bool
}

// close closes a report the interface opened; unsent says nothing was
// sent for this job, so a report created for it goes, as answering no
// to the command does.
func (j *RosterJob) close(unsent bool) {
	if !j.closeReport {
		return
	}
	j.Report.Close()
	if unsent && j.Created {
		os.Remove(j.Report.Path())
	}
}

// OpenRoster reads the class list at path and opens its report beside
// it (the command's default name), continuing that report when it
// exists: the interface resumes rather than refuses. grade fills rows
// without one.
func OpenRoster(path string, grade schoolentry.Grade, pace time.Duration, asOf time.Time) (*RosterJob, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	ro, err := roster.Read(f, roster.Options{Grade: grade, Now: asOf})
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	out := roster.DefaultReportPath(path)
	_, statErr := os.Stat(out)
	resume := statErr == nil
	rep, err := roster.OpenReport(out, ro, resume)
	if err != nil {
		return nil, err
	}
	return &RosterJob{File: path, Roster: ro, Report: rep, Created: !resume, Pace: pace, Grade: grade, AsOf: asOf, closeReport: true}, nil
}

type rosterPhase int

const (
	rosterConfirm  rosterPhase = iota // the rows not sent, the question
	rosterRunning                     // one query at a time
	rosterStopping                    // stop asked: the query in flight ends first
	rosterEnded                       // finished, stopped, capped, paused, or nothing to do
)

// Messages of a run: one per student checked, then its end. run drops
// the messages of a run before the current one.
type (
	rosterCheckedMsg struct {
		run  int
		res  roster.Result
		prog roster.Progress
	}
	rosterEndedMsg struct {
		run int
		sum roster.Summary
		err error
	}
	// rosterStartMsg starts the run at once (--yes).
	rosterStartMsg struct{}
	// rosterRewrittenMsg says a resolved row is in the report.
	rosterRewrittenMsg struct {
		res roster.Result
		err error
	}
)

// rosterRow is one row of the report in the table, with what the run
// kept of the student in memory (the record, the candidates); the lock
// drops them all and the table is read back from the report.
type rosterRow struct {
	fields  []string // the report row, roster.ReportHeader's columns
	student *roster.Student
	cands   []hl7.Patient
	record  *hl7.Response
}

func (r rosterRow) line() int               { n, _ := strconv.Atoi(r.fields[0]); return n }
func (r rosterRow) outcome() roster.Outcome { return roster.Outcome(r.fields[6]) }

// note is the table's last column: what is missing, the next date, or
// the detail.
func (r rosterRow) note() string {
	switch {
	case r.fields[7] != "":
		return r.fields[7]
	case r.fields[8] != "":
		return "next dose " + usDate(r.fields[8])
	}
	return r.fields[10]
}

// rosterModel is the roster screen: the rows that cannot be sent and the
// question, then the report filling in as the run goes, with a progress
// bar, the counts by outcome and a filter.
type rosterModel struct {
	job     *RosterJob
	byLine  map[int]*roster.Student
	phase   rosterPhase
	pending int // queries the next run sends
	// done are the students in the report, written is every row in it
	// (the view reads these, never the file).
	done, written int
	rows          []rosterRow
	shown         []int          // the rows the filter lets through
	filter        roster.Outcome // "" all
	table         table.Model
	bar           progress.Model
	nameW         int

	run      int // the current run's number
	events   chan tea.Msg
	stop     chan struct{}
	prog     roster.Progress
	rate     string // rate and time left, as of the last student
	ending   roster.Ending
	pause    *roster.Result
	writeErr error
	started  bool // a run was started (the question answered yes)
	finished bool // every row is in the report
	quit     bool // quit once the query in flight is written (ctrl+c)
}

// roster intents, acted on by the root model.
type (
	rosterStartIntent   struct{}
	rosterDeclineIntent struct{}
	rosterOpenIntent    struct{ row rosterRow }
	rosterCloseIntent   struct{}
)

func newRosterModel(job *RosterJob, st styles, w, h int) rosterModel {
	r := rosterModel{job: job, byLine: map[int]*roster.Student{}}
	for i := range job.Roster.Students {
		s := &job.Roster.Students[i]
		r.byLine[s.Line] = s
	}
	r.table = table.New(table.WithFocused(true), table.WithStyles(st.table))
	r.bar = st.progressBar()
	r.count()
	if r.pending == 0 && r.written == job.Roster.Rows {
		r.phase, r.finished = rosterEnded, true // a report resumed that has every row: nothing to ask
	}
	r.resize(w, h)
	return r
}

// count reads how far the report is: the students done, the rows
// written, the queries a run would send now.
func (r *rosterModel) count() {
	left := roster.Pending(r.job.Roster, r.job.Report)
	r.done, r.written = len(r.job.Roster.Students)-left, r.job.Report.DoneCount()
	r.pending = left
	if r.job.Max > 0 {
		r.pending = min(left, r.job.Max)
	}
}

// running says a run is in flight (its goroutine has not ended).
func (r rosterModel) running() bool { return r.phase == rosterRunning || r.phase == rosterStopping }

// stopRun asks the run to end after the query in flight.
func (r *rosterModel) stopRun() {
	if r.phase == rosterRunning {
		close(r.stop)
		r.phase = rosterStopping
	}
}

// start runs roster.Run in a goroutine; each student checked comes back
// as a message, read one at a time by waitRoster.
func (r *rosterModel) start(client roster.Finder, day time.Time) tea.Cmd {
	r.run++
	r.phase, r.started, r.pause, r.writeErr, r.rate = rosterRunning, true, nil, nil, ""
	events, stop, id, job := make(chan tea.Msg), make(chan struct{}), r.run, r.job
	r.events, r.stop = events, stop
	run := &roster.Run{
		Checker: &roster.Checker{Client: client, Grade: job.Grade, AsOf: day},
		Pace:    job.Pace, Max: job.Max, Stop: stop,
		Checked: func(res roster.Result, p roster.Progress) {
			p.Counts = maps.Clone(p.Counts) // the run goes on counting in its own
			events <- rosterCheckedMsg{id, res, p}
		},
	}
	go func() {
		sum, err := run.Do(context.Background(), job.Roster, job.Report)
		events <- rosterEndedMsg{id, sum, err}
	}()
	return waitRoster(events)
}

func waitRoster(events chan tea.Msg) tea.Cmd {
	return func() tea.Msg { return <-events }
}

// checked records one student; with keep false (the screen is locked)
// only the progress is kept, not the student.
func (r *rosterModel) checked(msg rosterCheckedMsg, keep bool, now time.Time) {
	r.prog, r.done = msg.prog, msg.prog.Done
	if elapsed := now.Sub(msg.prog.Started); msg.prog.Queries > 0 && elapsed > 0 {
		perMin := float64(msg.prog.Queries) / elapsed.Minutes()
		left := time.Duration(float64(elapsed) / float64(msg.prog.Queries) * float64(r.pending-msg.prog.Queries))
		r.rate = fmt.Sprintf("%.0f/min · about %s left", perMin, max(left, 0).Round(time.Second))
	}
	if !keep {
		return
	}
	res := msg.res
	if n := len(r.rows); n > 0 && r.rows[n-1].line() >= res.Student.Line {
		return // read back from the report already (after the lock)
	}
	row := rosterRow{fields: roster.ResultRow(res), student: r.byLine[res.Student.Line], cands: res.Candidates}
	if res.Compliance != nil {
		row.record = res.Record // a record the run checked: enter opens it without a query
	}
	// One row more: the table's other rows stay as they are (a run of
	// thousands would otherwise lay out every row for each student).
	r.rows = append(r.rows, row)
	if r.filter == "" || row.outcome() == r.filter {
		r.shown = append(r.shown, len(r.rows)-1)
		r.table.SetRows(append(slices.Clip(r.table.Rows()), r.tableRow(len(r.shown)-1, len(r.shown) == 1)))
	}
}

// ended records the run's end.
func (r *rosterModel) ended(msg rosterEndedMsg) {
	r.phase, r.ending, r.pause, r.writeErr = rosterEnded, msg.sum.Ending, msg.sum.Pause, msg.err
	r.finished = msg.err == nil && msg.sum.Ending == roster.Finished
	r.count()
}

// reload reads the table back from the report, keeping what is still in
// memory of each row (after a run, the rows not sent and the repeats are
// in it too; after the lock, nothing is in memory).
func (r *rosterModel) reload() error {
	recs, err := r.job.Report.Rows()
	if err != nil {
		return err
	}
	old := map[int]rosterRow{}
	for _, row := range r.rows {
		old[row.line()] = row
	}
	r.rows = r.rows[:0]
	for _, rec := range recs {
		row := rosterRow{fields: rec}
		if o, ok := old[row.line()]; ok && o.fields[6] == rec[6] {
			row = o
			row.fields = rec
		}
		row.student = r.byLine[row.line()]
		r.rows = append(r.rows, row)
	}
	r.refilter()
	return nil
}

// dropStudents forgets every student's row, record and candidates (the
// lock); the run itself goes on writing the report.
func (r *rosterModel) dropStudents() {
	r.rows, r.shown = nil, nil
	r.table.SetRows(nil)
}

// resolved replaces a row by the nurse's choice.
func (r *rosterModel) resolved(res roster.Result) {
	for i, row := range r.rows {
		if row.line() == res.Student.Line {
			r.rows[i].fields, r.rows[i].cands, r.rows[i].record = roster.ResultRow(res), nil, res.Record
		}
	}
	r.refilter()
}

// nextFilter cycles the filter: all, then each outcome in report order.
func (r *rosterModel) nextFilter() {
	i := slices.Index(roster.Outcomes, r.filter)
	if i+1 < len(roster.Outcomes) {
		r.filter = roster.Outcomes[i+1]
	} else {
		r.filter = ""
	}
	r.table.SetCursor(0)
	r.refilter()
}

func (r *rosterModel) refilter() {
	r.shown = r.shown[:0]
	for i, row := range r.rows {
		if r.filter == "" || row.outcome() == r.filter {
			r.shown = append(r.shown, i)
		}
	}
	r.refreshRows()
}

// refreshRows writes the table's rows, "> " before the chosen name as on
// the candidate list.
func (r *rosterModel) refreshRows() {
	r.refreshRowsAt(r.table.Cursor())
}

func (r *rosterModel) refreshRowsAt(cur int) {
	cur = max(min(cur, len(r.shown)-1), 0)
	rows := make([]table.Row, len(r.shown))
	for i := range r.shown {
		rows[i] = r.tableRow(i, i == cur)
	}
	r.table.SetRows(rows)
	r.table.SetCursor(cur)
}

// tableRow is the table's row for the i-th row shown.
func (r *rosterModel) tableRow(i int, chosen bool) table.Row {
	row := r.rows[r.shown[i]]
	f, marker := row.fields, "  "
	if chosen {
		marker = "> "
	}
	p := hl7.Patient{Family: f[2], Given: f[3]}
	return table.Row{marker + candidateName(p, r.nameW-2), usDate(f[4]), f[5], f[6], row.note()}
}

// selected is the row under the cursor.
func (r rosterModel) selected() (rosterRow, bool) {
	i := r.table.Cursor()
	if i < 0 || i >= len(r.shown) {
		return rosterRow{}, false
	}
	return r.rows[r.shown[i]], true
}

// Column widths: a birth date and the longest outcome (not_compliant)
// are never cut; the name and the note share the rest.
const (
	rosterDOBW, rosterGradeW, rosterOutcomeW = 10, 5, 13
	rosterCellPad                            = 2 // each cell's padding
)

func (r *rosterModel) resize(w, h int) {
	gradeW, gradeTitle := rosterGradeW, "Grade"
	if w < 80 {
		gradeW, gradeTitle = 2, "Gr" // PK, K, 1-12
	}
	flex := max(w-rosterDOBW-gradeW-rosterOutcomeW-5*rosterCellPad, 20)
	r.nameW = max(flex*3/5, 12)
	noteW := max(flex-r.nameW, 8)
	cur := r.table.Cursor()
	r.table.SetRows(nil) // rows must match the columns being set (the cursor with them)
	r.table.SetColumns([]table.Column{{Title: "Name", Width: r.nameW}, {Title: "Born", Width: rosterDOBW},
		{Title: gradeTitle, Width: gradeW}, {Title: "Outcome", Width: rosterOutcomeW}, {Title: "Missing / note", Width: noteW}})
	r.table.SetWidth(w)
	r.table.SetHeight(max(h-4, 2)) // the view gives it what the lines above leave
	r.refreshRowsAt(cur)
}

func (r rosterModel) update(msg tea.Msg, k keyMap) (rosterModel, tea.Cmd, any) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return r, nil, nil
	}
	if r.phase == rosterConfirm {
		switch {
		case key.Matches(km, k.RosterStart):
			return r, nil, rosterStartIntent{}
		case key.Matches(km, k.RosterDecline):
			return r, nil, rosterDeclineIntent{}
		}
		return r, nil, nil
	}
	switch {
	case key.Matches(km, k.Filter):
		r.nextFilter()
		return r, nil, nil
	case key.Matches(km, k.Choose):
		if row, ok := r.selected(); ok {
			return r, nil, rosterOpenIntent{row}
		}
		return r, nil, nil
	case key.Matches(km, k.Retry) && r.phase == rosterEnded && !r.finished && r.pending > 0:
		return r, nil, rosterStartIntent{}
	case key.Matches(km, k.Back) && r.phase == rosterEnded:
		return r, nil, rosterCloseIntent{}
	}
	before := r.table.Cursor()
	var cmd tea.Cmd
	r.table, cmd = r.table.Update(msg)
	if r.table.Cursor() != before {
		r.refreshRows()
	}
	return r, cmd, nil
}

// counts are the report's rows by outcome so far.
func (r rosterModel) counts() map[roster.Outcome]int {
	c := map[roster.Outcome]int{}
	for _, row := range r.rows {
		c[row.outcome()]++
	}
	return c
}

func (r rosterModel) view(st styles, w, h int) string {
	ro, rep := r.job.Roster, r.job.Report
	title := st.title.Render("Roster " + filepath.Base(r.job.File))
	if r.phase == rosterConfirm {
		return r.confirmView(st, title, w, h)
	}
	total, done := len(ro.Students), r.done
	pct := 0.0
	if total > 0 {
		pct = float64(done) / float64(total)
	}
	count := fmt.Sprintf("%d/%d checked", done, total)
	if r.rate != "" && r.running() {
		count += " · " + r.rate
	}
	bar := r.bar
	bar.SetWidth(min(w-lipgloss.Width(count)-1, 50))
	if bar.Width() >= 10 {
		count += " " + bar.ViewAs(pct)
	}
	counts := r.counts()
	var cs []string
	for _, o := range roster.Outcomes {
		if n := counts[o]; n > 0 {
			word := string(o) + " " + strconv.Itoa(n)
			if o == r.filter {
				word = st.bold.Render("[" + word + "]")
			}
			cs = append(cs, word)
		}
	}
	state := r.stateLine(st)
	if r.filter != "" {
		state = st.bold.Render(fmt.Sprintf("Showing %s: %d of %d rows.", r.filter, len(r.shown), len(r.rows))) + " " + state
	}
	head := strings.Join([]string{title + st.faint.Render(" → "+filepath.Base(rep.Path())), fit(count, w, 1),
		wrap(strings.Join(cs, " · "), w), wrap(state, w)}, "\n")
	if len(r.shown) == 0 {
		return head + "\n" + st.faint.Render(wrap(r.emptyNote(), w))
	}
	// The table takes what the lines above leave.
	t := r.table
	if th := max(h-lipgloss.Height(head), 2); th != t.Height()+1 { // Height leaves out the one header line
		t.SetHeight(th)
	}
	return head + "\n" + t.View()
}

// lockNote is what the lock screen says of a run: counts only, no
// student.
func (r rosterModel) lockNote() string {
	switch {
	case r.job == nil:
		return ""
	case !r.running():
		return "The roster is read back from " + filepath.Base(r.job.Report.Path()) + " when you unlock."
	}
	return fmt.Sprintf("The roster run goes on: %d of %d checked.", r.done, len(r.job.Roster.Students))
}

func (r rosterModel) emptyNote() string {
	switch {
	case r.filter != "":
		return "No row is " + string(r.filter) + " yet: f shows the next outcome."
	case r.running():
		return "The rows appear here as each student is checked."
	}
	return "No row in the report."
}

func (r rosterModel) stateLine(st styles) string {
	switch r.phase {
	case rosterRunning:
		return "Checking, one query at a time. q stops after the query in flight."
	case rosterStopping:
		return st.bold.Render("Stopping after the query in flight…")
	}
	switch {
	case r.writeErr != nil:
		return st.statusErr.Render("The report could not be written: " + r.writeErr.Error())
	case r.finished:
		return st.statusOK.Render("Every row is in " + filepath.Base(r.job.Report.Path()) + ".")
	case r.pause != nil:
		return st.statusErr.Render(fmt.Sprintf("Paused before line %d: %s. Nothing was lost: r resumes.", r.pause.Student.Line, describe(r.pause.Err).text))
	case r.ending == roster.Capped:
		return fmt.Sprintf("Stopped after %d queries (the cap): r continues.", r.job.Max)
	}
	return "Stopped: the report has every row checked so far; r continues."
}

// confirmView lists the rows that will not be sent, then the question.
func (r rosterModel) confirmView(st styles, title string, w, h int) string {
	ro, rep, pace := r.job.Roster, r.job.Report, r.job.Pace
	var b strings.Builder
	b.WriteString(title + "\n")
	b.WriteString(wrap(fmt.Sprintf("%d rows: %d students to check, %d not sent, %d repeated; %d already in %s.",
		ro.Rows, len(ro.Students), len(ro.Problems), len(ro.DuplicateOf), r.written, filepath.Base(rep.Path())), w) + "\n")
	tail := []string{
		wrap(fmt.Sprintf("%d %s, one at a time, %s apart: about %s if CT WiZ answers in a second.",
			r.pending, plural(r.pending, "query", "queries"), pace, roster.Estimate(r.pending, pace).Round(time.Second)), w),
		st.bold.Render(wrap("CT WiZ allows queries only for students of your own school(s).", w)),
		st.bold.Render("Start?") + " y or enter starts · n or esc does not",
	}
	tailH := 0
	for _, t := range tail {
		tailH += lipgloss.Height(t)
	}
	notSent := append(slices.Clone(ro.Problems), ro.Duplicates...)
	slices.SortStableFunc(notSent, func(a, b roster.Problem) int { return a.Line - b.Line })
	if len(notSent) > 0 {
		room := max(h-lipgloss.Height(b.String())-tailH-1, 2)
		b.WriteString(st.bold.Render("Not sent (each goes into the report with its reason):") + "\n")
		for i, p := range notSent {
			if i == room-2 && len(notSent) > room-1 {
				b.WriteString(st.faint.Render(fmt.Sprintf("  … and %d more", len(notSent)-i)) + "\n")
				break
			}
			b.WriteString(fit("  "+p.String(), w, 1) + "\n")
		}
	}
	return b.String() + strings.Join(tail, "\n")
}
