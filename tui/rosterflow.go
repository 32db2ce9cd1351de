package tui

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
)

// DefaultRosterPace is the pause between a roster run's queries when
// the interface opens a class list itself (the command's --pace default).
const DefaultRosterPace = time.Second

// RosterEnd says, once the interface has closed, whether a roster run
// was started and whether every row of the roster is in its report: the
// roster command's exit code.
func (m Model) RosterEnd() (started, finished bool) {
	return m.roster.started, m.roster.finished
}

// openRoster shows job's roster screen: the question, or the table when
// there is nothing left to send. Queries go one at a time from now on,
// the run's and hers.
func (m Model) openRoster(job *RosterJob) Model {
	m.roster = newRosterModel(job, m.st, m.width, m.bodyHeight())
	m.prompt = rosterPrompt{}
	m.reg = m.serialRegistry()
	if m.reg != nil {
		m.screen = screenRoster
	}
	m.reloadRoster()
	m.setStatus(statusInfo, "")
	return m
}

// closeRoster leaves the roster for the search form; declined: she
// answered no, and a report created for this run is removed (nothing
// was sent).
func (m Model) closeRoster(declined bool) (Model, tea.Cmd) {
	job := m.roster.job
	if declined && m.opts.Roster == job {
		// The roster command: no means nothing is sent, and it ends
		// (and removes a report it created).
		return m, tea.Quit
	}
	job.close(declined)
	started, finished := m.roster.started, m.roster.finished
	m.roster = rosterModel{started: started, finished: finished}
	m.screen = screenForm
	m.setStatus(statusInfo, map[bool]string{true: "Nothing sent.", false: "Roster closed; its report stays in " + job.Report.Path() + "."}[declined])
	return m, nil
}

// backToRoster shows the roster again, read back from the report when
// the lock dropped it.
func (m Model) backToRoster() Model {
	m.screen = screenRoster
	m.rosterLine, m.resolving = 0, false
	m.chosen, m.cands = nil, candidatesModel{}
	if m.roster.rows == nil {
		m.reloadRoster()
	}
	return m
}

func (m *Model) reloadRoster() {
	if err := m.roster.reload(); err != nil {
		m.setStatus(statusWarn, "The report could not be read: "+err.Error())
	}
}

// rosterDay is the day of a roster's school-entry checks.
func (m Model) rosterDay() time.Time {
	if m.roster.job != nil && !m.roster.job.AsOf.IsZero() {
		return m.roster.job.AsOf
	}
	return cmp.Or(m.opts.CheckDay, m.now())
}

// openRosterRow opens a row's student: her record (kept by the run, or
// fetched by registry ID), or for needs_review the candidates the run
// kept (or, when the lock dropped them, the same search again), so that
// her choice resolves the row.
func (m Model) openRosterRow(row rosterRow) (Model, tea.Cmd) {
	s := row.student
	if s == nil {
		m.setStatus(statusInfo, fmt.Sprintf("Line %d was not sent: %s.", row.line(), row.fields[10]))
		return m, nil
	}
	m.rosterLine, m.resolving = s.Line, false
	m.demo, m.grade = s.Demographics(), cmp.Or(s.Grade, m.roster.job.Grade)
	m.chosen, m.cands = nil, candidatesModel{}
	id := row.fields[9]
	switch {
	case row.outcome() == roster.NeedsReview && len(row.cands) > 0:
		m.resolving = true
		m.cands = newCandidatesModel(row.cands, m.st, m.width, m.bodyHeight())
		m.screen = screenCandidates
		m.setStatus(statusInfo, "Line "+row.fields[0]+" needs review: choose the student, or esc to go back to the roster.")
		return m, nil
	case row.outcome() == roster.NeedsReview:
		m.resolving = true
		return m.startFind()
	case row.record != nil:
		return m.openRecord(row.record, false), nil
	case id != "":
		m.chosen = &hl7.Patient{RegistryID: id, Family: s.Last, Given: s.First, BirthDate: s.BirthDate.Format(time.DateOnly)}
		return m.startFetch()
	}
	m.rosterLine = 0
	m.setStatus(statusInfo, fmt.Sprintf("Line %d has no record to open: %s.", s.Line, row.fields[6]))
	return m, nil
}

// resolveCmd checks the record she chose for the row under review and
// rewrites its report row.
func (m Model) resolveCmd() tea.Cmd {
	s, resp, job := m.roster.byLine[m.rosterLine], m.record.resp, m.roster.job
	if s == nil || job == nil {
		return nil
	}
	checker := &roster.Checker{Grade: job.Grade, AsOf: m.rosterDay()}
	return func() tea.Msg {
		res := checker.Resolve(*s, resp)
		return rosterRewrittenMsg{res, job.Report.Rewrite(res)}
	}
}

func (m Model) rewritten(msg rosterRewrittenMsg) (tea.Model, tea.Cmd) {
	line := msg.res.Student.Line
	if msg.err != nil {
		m.log.Warn("roster row not rewritten")
		m.setStatus(statusWarn, fmt.Sprintf("Line %d was not updated in the report: %v", line, msg.err))
		return m, nil
	}
	m.log.Info("roster row resolved", "outcome", string(msg.res.Outcome))
	if m.screen == screenLock {
		return m, nil // read back from the report at unlock
	}
	m.roster.resolved(msg.res)
	if m.rosterLine == line {
		m.cands = candidatesModel{} // resolved: back goes to the roster
	}
	m.setStatus(statusOK, fmt.Sprintf("Line %d is now %s in %s.", line, msg.res.Outcome, filepath.Base(m.roster.job.Report.Path())))
	return m, nil
}

// serialRegistry is the registry with one query at a time: a roster run
// and the queries she makes meanwhile wait for each other.
func (m Model) serialRegistry() Registry {
	switch r := m.reg.(type) {
	case nil, *oneAtATime:
		return r
	}
	return &oneAtATime{reg: m.reg, turn: make(chan struct{}, 1)}
}

// oneAtATime lets one query through at a time; waiting for its turn
// ends with the query's context.
type oneAtATime struct {
	reg  Registry
	turn chan struct{}
}

func (o *oneAtATime) wait(ctx context.Context) error {
	select {
	case o.turn <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (o *oneAtATime) Find(ctx context.Context, d hl7.Demographics) (*hl7.Response, error) {
	if err := o.wait(ctx); err != nil {
		return nil, err
	}
	defer func() { <-o.turn }()
	return o.reg.Find(ctx, d)
}

func (o *oneAtATime) Fetch(ctx context.Context, p hl7.Patient, d hl7.Demographics) (*hl7.Response, error) {
	if err := o.wait(ctx); err != nil {
		return nil, err
	}
	defer func() { <-o.turn }()
	return o.reg.Fetch(ctx, p, d)
}

func (o *oneAtATime) Ping(ctx context.Context) (string, error) { return o.reg.Ping(ctx) }

func (o *oneAtATime) SamePassword(typed string) bool { return o.reg.SamePassword(typed) }

// rosterPrompt is the search form's ctrl+o: the path of a class list,
// read when she presses enter; its reason stays until she edits the path.
type rosterPrompt struct {
	path textinput.Model
	err  string
}

type (
	rosterPathIntent struct{ path string }
	rosterOpenedMsg  struct {
		job *RosterJob
		err error
	}
)

func newRosterPrompt() rosterPrompt {
	p := rosterPrompt{path: newInput()}
	p.path.Prompt = "Class list (CSV): "
	p.path.CharLimit = 4096
	return p
}

func (p rosterPrompt) update(msg tea.Msg, k keyMap) (rosterPrompt, tea.Cmd, any) {
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(km, k.Back):
			return p, nil, backIntent{}
		case key.Matches(km, k.Submit):
			path := strings.TrimSpace(p.path.Value())
			if path == "" {
				p.err = "Type the path of the class list exported from the student information system."
				return p, nil, nil
			}
			if rest, ok := strings.CutPrefix(path, "~/"); ok {
				if home, err := os.UserHomeDir(); err == nil {
					path = filepath.Join(home, rest)
				}
			}
			return p, nil, rosterPathIntent{path}
		}
	}
	before := p.path.Value()
	var cmd tea.Cmd
	p.path, cmd = p.path.Update(msg)
	if p.path.Value() != before {
		p.err = ""
	}
	return p, cmd, nil
}

func (p rosterPrompt) view(st styles, w, h int) string {
	p.path.SetWidth(max(w-lipgloss.Width(p.path.Prompt)-1, 10))
	out := st.title.Render("Open a class list") + "\n\n" +
		wrap("A CSV exported from the student information system, with last name, first name, birth date and grade columns. "+
			"Its report is written beside it (-report.csv); an existing report is continued.", w) + "\n\n" + p.path.View()
	if p.err != "" {
		out += "\n" + st.fieldErr.Render(wrap(p.err, w))
	}
	return out
}

// rosterHelp is the roster screen's keys, by the run's phase.
func (k keyMap) rosterHelp(r rosterModel) screenHelp {
	if r.phase == rosterConfirm {
		return screenHelp{
			short: []key.Binding{k.RosterStart, k.RosterDecline, k.ForceQuit},
			full:  [][]key.Binding{{k.RosterStart, k.RosterDecline}, {k.Lock, k.ForceQuit}},
		}
	}
	open := k.Choose
	open.SetHelp("enter", "open")
	if row, ok := r.selected(); ok && row.outcome() == roster.NeedsReview {
		open.SetHelp("enter", "review")
	}
	quit, back, resume := k.Quit, k.Back, k.Retry
	resume.SetHelp("r", "resume")
	back.SetHelp("esc", "close")
	var act []key.Binding
	switch {
	case r.running():
		quit.SetHelp("q", "stop")
	case !r.finished && r.pending > 0:
		act = append(act, resume)
	}
	if r.phase == rosterEnded {
		act = append(act, back)
	}
	return screenHelp{
		short: append([]key.Binding{k.Scroll, k.Filter, open}, append(act, k.Help, quit)...),
		full: [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, append([]key.Binding{k.Filter, open}, act...),
			{k.Lock, k.Help, quit, k.ForceQuit}},
	}
}
