package tui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

type screen int

const (
	screenLogin screen = iota
	screenForm
	screenLoading
	screenCandidates
	screenRecord
	screenError
	screenLock
	screenMismatch   // a record held back: not the student asked for
	screenRoster     // a class list and its run
	screenRosterOpen // the path of a class list to open
)

var screenNames = [...]string{"login", "form", "loading", "candidates", "record", "error", "lock", "mismatch", "roster", "open roster"}

func (s screen) String() string { return screenNames[s] }

// Messages: the results of the work done in tea.Cmds.
type (
	// findDoneMsg and fetchDoneMsg carry a query's result; seq drops the
	// answer of a query the nurse cancelled.
	findDoneMsg struct {
		seq  int
		resp *hl7.Response
		err  error
	}
	fetchDoneMsg struct {
		seq  int
		resp *hl7.Response
		err  error
	}
	// pingDoneMsg carries the connectivity test's result; seq tells
	// whether a query has been sent since, whose own answer says more.
	pingDoneMsg struct {
		seq int
		err error
	}
	loginDoneMsg struct {
		reg Registry
		c   credentials.Credentials // as typed: stored once CT WiZ accepts them
		err error
	}
	// storedMsg says how storing the accepted credentials went.
	storedMsg    struct{ err error }
	printDoneMsg struct {
		text    string
		err     error
		how     printHow
		path    string // the file being saved, when saving
		replace bool   // the nurse had confirmed replacing path
	}
	// destinationMsg names the printer the print menu's p sends to.
	destinationMsg struct {
		name string
		err  error
	}
	// idleCheckMsg fires when the idle lock may be due.
	idleCheckMsg struct{}
)

type statusKind int

const (
	statusInfo statusKind = iota
	statusOK
	statusWarn
)

// Model is the root model: it owns what the screens share (header,
// registry, the query in flight, the idle lock) and routes messages to
// the current screen's model.
type Model struct {
	opts  Options
	st    styles
	keys  keyMap
	help  help.Model
	now   func() time.Time
	log   *slog.Logger
	idle  time.Duration
	reg   Registry
	width int

	height         int
	screen         screen
	user, facility string

	login   loginModel
	form    formModel
	loading loadingModel
	cands   candidatesModel
	record  recordModel
	errv    errorModel
	errBack screen // where Enter on the error screen returns
	lock    lockModel
	mism    mismatchModel
	roster  rosterModel
	prompt  rosterPrompt
	// rosterLine is the roster row whose student is on screen (its
	// record, candidates...); 0 when none. resolving: her choice there
	// is to be written to the report when its record opens.
	rosterLine int
	resolving  bool

	// The request in flight, or the last one (for retry).
	seq     int
	cancel  context.CancelFunc
	demo    hl7.Demographics
	grade   schoolentry.Grade // the school-entry check's grade; "" none
	chosen  *hl7.Patient      // the candidate being fetched
	started time.Time

	status     string
	statusKind statusKind
	lastInput  time.Time
	// lockedOut: the lock took its last wrong password and the program
	// is closing (LockedOut).
	lockedOut bool
	// pending holds the credentials typed at the login screen until
	// CT WiZ accepts them (storeAccepted); nil once stored, or when
	// there is nothing to store.
	pending *credentials.Credentials
}

// New builds the interface. It starts on the login screen when there is
// no registry client yet.
func New(opts Options) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.IdleLock <= 0 {
		opts.IdleLock = DefaultIdleLock
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	m := Model{
		opts: opts, st: newStyles(opts.NoColor), keys: newKeyMap(), help: help.New(),
		now: opts.Now, log: opts.Logger, idle: opts.IdleLock, reg: opts.Registry,
		width: 80, height: 24, user: opts.User, facility: opts.Facility,
	}
	m.help.Styles = m.st.help
	m.form = newFormModel(opts.Grade)
	m.form.resize(m.width)
	m.lastInput = m.now()
	if m.reg == nil {
		m.screen = screenLogin
		note, warn := "No CT WiZ credentials are stored for this profile yet.", false
		if opts.LoginNote != "" {
			note, warn = opts.LoginNote, true
		}
		m.login = newLoginModel(opts.User, opts.Facility, note, warn, opts.LoginNote != "")
	} else {
		m.screen = screenForm
	}
	if opts.Roster != nil {
		m = m.openRoster(opts.Roster)
	}
	return m
}

// Screen names the current screen, for tests and logs.
func (m Model) Screen() string { return m.screen.String() }

// LockedOut reports whether the interface closed because the lock was
// given three wrong passwords; cmd/ctwiz-nurse then exits 7.
func (m Model) LockedOut() bool { return m.lockedOut }

func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.idleTimer(m.idle)}
	if m.opts.RosterStart && m.screen == screenRoster && m.roster.phase == rosterConfirm {
		cmds = append(cmds, func() tea.Msg { return rosterStartMsg{} })
	}
	if m.reg != nil {
		cmds = append(cmds, pingCmd(m.reg, m.seq))
	}
	return tea.Batch(cmds...)
}

func (m Model) idleTimer(d time.Duration) tea.Cmd {
	return tea.Tick(max(d, time.Second), func(time.Time) tea.Msg { return idleCheckMsg{} })
}

func pingCmd(reg Registry, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_, err := reg.Ping(ctx)
		return pingDoneMsg{seq, err}
	}
}

// Update handles msg; when the screen changed, the new one gets the body
// size its own footer leaves.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.update(msg)
	nm := next.(Model)
	if nm.roster.job != nil && nm.screen == screenForm {
		// While a roster is open, what would go back to the search form
		// goes back to the roster.
		nm = nm.backToRoster()
	}
	if nm.resolving && nm.screen == screenRecord {
		nm.resolving = false
		cmd = tea.Batch(cmd, nm.resolveCmd())
	}
	if nm.screen != m.screen || nm.bodyHeight() != m.bodyHeight() {
		nm.resize()
	}
	return nm, cmd
}

func (m Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.KeyPressMsg:
		m.lastInput = m.now()
		if key.Matches(msg, m.keys.ForceQuit) {
			return m.quit()
		}
		if m.typingFreely() {
			break
		}
		switch {
		case key.Matches(msg, m.keys.Quit) && m.screen == screenRoster && m.roster.running():
			// q stops the run after the query in flight; she stays.
			m.roster.stopRun()
			return m, nil
		case key.Matches(msg, m.keys.OpenRoster) && m.screen == screenForm:
			m.prompt = newRosterPrompt()
			m.screen = screenRosterOpen
			m.setStatus(statusInfo, "")
			return m, m.prompt.path.Focus()
		case key.Matches(msg, m.keys.Help) && m.screen != screenLogin:
			m.help.ShowAll = !m.help.ShowAll
			m.resize()
			return m, nil
		case key.Matches(msg, m.keys.Lock) && m.screen != screenLogin && m.screen != screenLock:
			return m.lockNow(0)
		case key.Matches(msg, m.keys.Quit) && m.quitAllowed():
			return m.quit()
		}
	case tea.PasteMsg, tea.MouseMsg:
		m.lastInput = m.now()
	case idleCheckMsg:
		return m.idleCheck()
	case pingDoneMsg:
		if msg.seq != m.seq {
			// A query went out since: its answer (or its own error) is
			// what the status line and the body speak of.
			m.log.Info("ping result after a query started", "failed", msg.err != nil)
			return m, nil
		}
		if msg.err != nil {
			p := describe(msg.err)
			m.log.Warn("ping failed", "kind", p.kind)
			m.setStatus(statusWarn, "Registry check failed: "+p.text)
		} else {
			m.log.Info("ping ok")
			if m.status == "" {
				// connectivityTest checks the way there, not the account.
				m.setStatus(statusOK, "CT WiZ is reachable.")
			}
		}
		return m, nil
	case findDoneMsg:
		if msg.seq != m.seq || m.screen != screenLoading {
			return m, nil // cancelled, or overtaken by the lock
		}
		store := m.storeAccepted(msg.err)
		next, cmd := m.found(msg.resp, msg.err)
		return next, tea.Batch(cmd, store)
	case fetchDoneMsg:
		if msg.seq != m.seq || m.screen != screenLoading {
			return m, nil
		}
		store := m.storeAccepted(msg.err)
		next, cmd := m.fetched(msg.resp, msg.err)
		return next, tea.Batch(cmd, store)
	case loginDoneMsg:
		return m.loggedIn(msg)
	case storedMsg:
		if msg.err != nil {
			// Said once; the search goes on with the account in memory.
			m.log.Warn("credentials not saved")
			m.setStatus(statusWarn, "Signed in for this session only: "+msg.err.Error())
		} else {
			m.log.Info("credentials saved after CT WiZ accepted them")
		}
		return m, nil
	case rosterCheckedMsg:
		if msg.run != m.roster.run {
			return m, nil
		}
		m.roster.checked(msg, m.screen != screenLock, m.now())
		m.lock.run = m.roster.lockNote()
		return m, waitRoster(m.roster.events)
	case rosterEndedMsg:
		if msg.run != m.roster.run {
			return m, nil
		}
		m.roster.ended(msg)
		m.lock.run = m.roster.lockNote()
		m.log.Info("roster run ended", "ending", int(msg.sum.Ending), "queries", msg.sum.Queries, "write_failed", msg.err != nil)
		if m.roster.quit {
			return m, tea.Quit
		}
		if m.screen != screenLock {
			// The rows not sent and the repeats, written by the run
			// between students, join the table.
			m.reloadRoster()
		}
		return m, nil
	case rosterRewrittenMsg:
		return m.rewritten(msg)
	case rosterStartMsg:
		return m.act(rosterStartIntent{})
	case rosterOpenedMsg:
		if m.screen != screenRosterOpen {
			// She left (esc, the lock) while it opened: nothing was
			// sent, so no report stays.
			if msg.job != nil {
				msg.job.close(true)
			}
			return m, nil
		}
		if msg.err != nil {
			m.prompt.err = msg.err.Error()
			return m, nil
		}
		m.log.Info("roster opened", "students", len(msg.job.Roster.Students))
		return m.openRoster(msg.job), nil
	case destinationMsg:
		if m.screen == screenRecord && m.record.printMenu {
			switch {
			case msg.err != nil:
				m.record.printer = "(printing unavailable: " + msg.err.Error() + ")"
			case msg.name == "":
				m.record.printer = "(no default printer is set)"
			default:
				m.record.printer = msg.name
			}
		}
		return m, nil
	case printDoneMsg:
		if errors.Is(msg.err, fs.ErrExist) && !msg.replace && m.screen == screenRecord {
			// Ask before replacing: the file may be another student's record.
			// Asked once: a replace that still fails is an error to show.
			m.setStatus(statusInfo, "")
			return m, m.record.askFileName(msg.path, msg.path)
		}
		if msg.err != nil {
			m.log.Warn("print failed", "how", msg.how.String())
			m.setStatus(statusWarn, msg.how.failed()+": "+msg.err.Error())
		} else {
			m.log.Info("printed")
			m.setStatus(statusOK, msg.text)
		}
		return m, nil
	}
	return m.route(msg)
}

// typingFreely reports whether every printable key belongs to a text
// field, so '?', 'q' and the like must not be taken as commands.
func (m Model) typingFreely() bool {
	return m.screen == screenLogin || m.screen == screenLock || m.screen == screenRosterOpen || (m.screen == screenRecord && (m.record.naming || m.record.copying))
}

// quitAllowed: 'q' quits where no text is being typed.
func (m Model) quitAllowed() bool {
	switch m.screen {
	case screenCandidates, screenRecord, screenError, screenLoading, screenMismatch, screenRoster:
		return true
	}
	return false
}

func (m Model) quit() (tea.Model, tea.Cmd) {
	if m.roster.phase == rosterRunning {
		// The query in flight is written first; a second ctrl+c quits
		// at once (that student is checked again on resume).
		m.roster.stopRun()
		m.roster.quit = true
		m.setStatus(statusInfo, "Stopping after the query in flight, then quitting. ctrl+c again quits now.")
		return m, nil
	}
	if j := m.roster.job; j != nil && !m.roster.started {
		// A class list opened from the search form and never started
		// leaves no report, as answering no does.
		j.close(true)
	}
	if m.cancel != nil {
		m.cancel()
	}
	m.log.Info("quit")
	return m, tea.Quit
}

// route hands msg to the current screen and acts on what it asks for.
func (m Model) route(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	var intent any
	now := m.now()
	switch m.screen {
	case screenLogin:
		m.login, cmd, intent = m.login.update(msg, m.keys)
	case screenForm:
		m.form, cmd, intent = m.form.update(msg, m.keys, now)
	case screenLoading:
		m.loading, cmd, intent = m.loading.update(msg, m.keys, now)
	case screenCandidates:
		m.cands, cmd, intent = m.cands.update(msg, m.keys)
	case screenRecord:
		m.record, cmd, intent = m.record.update(msg, m.keys)
	case screenError:
		m.errv, cmd, intent = m.errv.update(msg, m.keys)
	case screenLock:
		m.lock, cmd, intent = m.lock.update(msg, m.keys)
	case screenMismatch:
		m.mism, cmd, intent = m.mism.update(msg, m.keys)
	case screenRoster:
		m.roster, cmd, intent = m.roster.update(msg, m.keys)
	case screenRosterOpen:
		m.prompt, cmd, intent = m.prompt.update(msg, m.keys)
	}
	if intent == nil {
		return m, cmd
	}
	m2, cmd2 := m.act(intent)
	return m2, tea.Batch(cmd, cmd2)
}

func (m Model) act(intent any) (Model, tea.Cmd) {
	switch it := intent.(type) {
	case invalidIntent:
		m.setStatus(statusInfo, "")
		return m, nil
	case searchIntent:
		m.demo, m.grade = it.d, it.grade
		m.chosen = nil
		return m.startFind()
	case chooseIntent:
		p := it.p
		m.chosen = &p
		return m.startFetch()
	case cancelIntent:
		if m.cancel != nil {
			m.cancel()
			m.cancel = nil
		}
		m.seq++ // whatever still arrives is dropped
		m.log.Info("query cancelled", "after_ms", m.now().Sub(m.started).Milliseconds())
		if m.chosen != nil && len(m.cands.patients) > 0 {
			m.screen = screenCandidates
			m.setStatus(statusInfo, "Cancelled. Choose a student again, or Esc for the form.")
		} else {
			m.screen = screenForm
			m.form.message, m.form.warn = "Search cancelled. What you typed is kept: change it or press Enter to search again.", false
			m.setStatus(statusInfo, "Search cancelled.")
		}
		return m, nil
	case confirmIntent:
		m.log.Info("record opened although not the student asked for")
		resp, from := m.mism.resp, m.mism.fromCandidates
		m.mism = mismatchModel{}
		return m.openRecord(resp, from), nil
	case backIntent:
		switch m.screen {
		case screenRosterOpen:
			m.prompt = rosterPrompt{}
			m.screen = screenForm
		case screenRecord, screenMismatch:
			m.record, m.mism = recordModel{}, mismatchModel{}
			if m.chosen != nil && len(m.cands.patients) > 0 {
				m.screen = screenCandidates
			} else {
				m.screen = screenForm
			}
		case screenCandidates:
			m.cands = candidatesModel{}
			m.screen = screenForm
		case screenError:
			m.errv = errorModel{}
			m.screen = m.errBack
		}
		m.setStatus(statusInfo, "")
		return m, nil
	case newSearchIntent:
		m.dropPatientData()
		m.screen = screenForm
		m.setStatus(statusInfo, "New search.")
		return m, nil
	case retryIntent:
		m.errv = errorModel{}
		if m.chosen != nil {
			return m.startFetch()
		}
		return m.startFind()
	case unlockIntent:
		return m.unlock(it.typed)
	case loginIntent:
		return m, m.loginCmd(it.c)
	case printIntent:
		return m.print(it)
	case rosterStartIntent:
		m.log.Info("roster run started", "queries", m.roster.pending)
		m.setStatus(statusInfo, "")
		return m, m.roster.start(m.serialRegistry(), m.rosterDay())
	case rosterDeclineIntent:
		m.log.Info("roster not started")
		return m.closeRoster(true)
	case rosterCloseIntent:
		return m.closeRoster(false)
	case rosterOpenIntent:
		return m.openRosterRow(it.row)
	case rosterPathIntent:
		grade, _ := schoolentry.ParseGrade(m.opts.Grade) // config validated it
		pace, day := cmp.Or(m.opts.RosterPace, DefaultRosterPace), m.rosterDay()
		return m, func() tea.Msg {
			job, err := OpenRoster(it.path, grade, pace, day)
			return rosterOpenedMsg{job, err}
		}
	case printMenuIntent:
		if m.opts.Printer == nil {
			return m, nil
		}
		pr := m.opts.Printer
		return m, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			name, err := pr.Destination(ctx)
			return destinationMsg{name, err}
		}
	}
	return m, nil
}

func (m Model) startFind() (Model, tea.Cmd) {
	ctx := m.begin("Searching CT WiZ")
	// The form's word on the last search (not found, too many) is stale
	// once another is sent; the new answer brings its own.
	m.form.message, m.form.warn = "", false
	seq, reg, d := m.seq, m.reg, m.demo
	m.log.Info("find started")
	return m, tea.Batch(m.loading.spin.Tick, func() tea.Msg {
		resp, err := reg.Find(ctx, d)
		return findDoneMsg{seq, resp, err}
	})
}

func (m Model) startFetch() (Model, tea.Cmd) {
	ctx := m.begin("Fetching the student's record")
	seq, reg, d, p := m.seq, m.reg, m.demo, *m.chosen
	m.log.Info("fetch started")
	return m, tea.Batch(m.loading.spin.Tick, func() tea.Msg {
		resp, err := reg.Fetch(ctx, p, d)
		return fetchDoneMsg{seq, resp, err}
	})
}

// begin cancels any query still running and shows the loading screen.
func (m *Model) begin(what string) context.Context {
	if m.cancel != nil {
		m.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	m.seq++
	m.started = m.now()
	m.loading = newLoadingModel(what, m.started)
	m.screen = screenLoading
	m.setStatus(statusInfo, "")
	return ctx
}

func (m *Model) finish(op string, resp *hl7.Response, err error) {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	attrs := []any{"ms", m.now().Sub(m.started).Milliseconds()}
	if err != nil {
		attrs = append(attrs, "error_kind", describe(err).kind)
	} else if resp != nil {
		attrs = append(attrs, "outcome", string(resp.Outcome),
			"profile", logCode(resp.Profile, "Z31", "Z32", "Z33", "Z42"),
			"status", logCode(resp.Status, "OK", "NF", "TM", "AE", "AR", "PD"),
			"results", len(resp.Patients))
	}
	m.log.Info(op+" done", attrs...)
}

// logCode is v when it is one of codes, else "other". MSH-21 and QAK-2
// are the registry's text, and a registry can put anything there, a
// student's name included: the log holds only known codes.
func logCode(v string, codes ...string) string {
	if slices.Contains(codes, v) {
		return v
	}
	if v == "" {
		return ""
	}
	return "other"
}

func (m Model) found(resp *hl7.Response, err error) (tea.Model, tea.Cmd) {
	m.finish("find", resp, err)
	if err != nil {
		return m.failed(err, screenForm)
	}
	switch resp.Outcome {
	case hl7.OutcomeRecord:
		return m.showRecord(resp, false), nil
	case hl7.OutcomeCandidates:
		m.cands = newCandidatesModel(resp.Patients, m.st, m.width, m.bodyHeight())
		m.screen = screenCandidates
		n := len(resp.Patients)
		m.setStatus(statusInfo, fmt.Sprintf("%d possible %s: choose the right one.", n, plural(n, "student", "students")))
		return m, nil
	case hl7.OutcomeNotFound:
		m.screen = screenForm
		m.form.message, m.form.warn = "No student matches. The usual reasons: born out of state, the family opted out of CT WiZ, "+
			"or the name or birth date is recorded differently (hyphenated or maiden names, nicknames, swapped day and month). "+
			"Check the spelling, try the legal name, or add the mother's maiden name.", true
		m.setStatus(statusInfo, "Not found.")
		return m, nil
	case hl7.OutcomeTooMany:
		m.screen = screenForm
		msg := "Too many students match."
		if add := m.form.missingOptional(); len(add) > 0 {
			msg += " Add " + joinAnd(add) + " to narrow the search."
			m.form.setFocus(fieldIndex(add[0]))
		} else {
			msg += " Check the name and date of birth."
		}
		m.form.message, m.form.warn = msg, true
		m.setStatus(statusInfo, "Too many matches.")
		return m, nil
	}
	return m.rejected(resp, screenForm)
}

func (m Model) fetched(resp *hl7.Response, err error) (tea.Model, tea.Cmd) {
	m.finish("fetch", resp, err)
	if err != nil {
		return m.failed(err, screenCandidates)
	}
	switch resp.Outcome {
	case hl7.OutcomeRecord:
		return m.showRecord(resp, true), nil
	case hl7.OutcomeCandidates:
		m.cands = newCandidatesModel(resp.Patients, m.st, m.width, m.bodyHeight())
		m.screen = screenCandidates
		return m, nil
	case hl7.OutcomeNotFound, hl7.OutcomeTooMany:
		m.errv = errorModel{title: "The registry no longer finds this student",
			message: "CT WiZ answered the request for this student's record with no record. The record may have been merged or removed since the search. Search again."}
		m.errBack = screenForm
		m.screen = screenError
		return m, nil
	}
	return m.rejected(resp, screenCandidates)
}

// showRecord shows a record, or when its patient is not the student
// asked for, holds it back on the mismatch screen until the nurse
// confirms it is the student.
func (m Model) showRecord(resp *hl7.Response, fromCandidates bool) Model {
	if resp.Mismatch != nil {
		m.log.Info("record held back: not the student asked for", "fields", len(resp.Mismatch.Fields))
		m.mism = mismatchModel{resp: resp, fromCandidates: fromCandidates}
		m.screen = screenMismatch
		m.setStatus(statusWarn, "Not shown: the record may be another student's.")
		return m
	}
	return m.openRecord(resp, fromCandidates)
}

func (m Model) openRecord(resp *hl7.Response, fromCandidates bool) Model {
	// The check is as of today (or the sandbox's today), or a roster
	// run's day, so a row's record says what its report row does: the
	// interface asks for no date.
	school := checkSchoolEntry(resp, m.grade, m.rosterDay())
	m.record = newRecordModel(resp, school, fromCandidates, m.st, m.width, m.bodyHeight(), m.now())
	m.screen = screenRecord
	m.setStatus(statusInfo, "")
	if n := len(resp.Errors); n > 0 {
		m.setStatus(statusWarn, fmt.Sprintf("The registry sent %d %s with this record: see Registry messages.", n, plural(n, "message", "messages")))
	}
	return m
}

// rejected shows a reply that carries no data: the registry's own errors
// are the message.
func (m Model) rejected(resp *hl7.Response, back screen) (tea.Model, tea.Cmd) {
	e := errorModel{title: "CT WiZ could not answer this query", registry: resp.Errors}
	switch resp.Outcome {
	case hl7.OutcomeRejected:
		e.message = "The registry rejected the query. The messages below say why; correct the search or tell your CT WiZ contact if it keeps happening."
	default:
		e.message = "The registry reported an error and sent no record. It may be a temporary problem: try again, or call the CT WiZ help desk if it persists."
		e.retry = true
	}
	if resp.Status == "PD" {
		e.message = "This student's record is protected: the registry does not share it with this account."
		e.retry = false
	}
	m.errv, m.errBack, m.screen = e, back, screenError
	return m, nil
}

func (m Model) failed(err error, back screen) (tea.Model, tea.Cmd) {
	p := describe(err)
	if p.auth && m.opts.Connect != nil {
		text := p.text
		if m.pending != nil {
			// What she typed was refused before it was ever stored.
			text += " Nothing was saved in the keychain."
			m.pending = nil
		}
		m.login = newLoginModel(m.user, m.facility, text, true, m.opts.LoginNote != "")
		m.screen = screenLogin
		m.setStatus(statusWarn, "Sign in again, then repeat the search.")
		return m, m.login.inputs[m.login.focus].Focus()
	}
	var fe *hl7.FieldError
	if errors.As(err, &fe) && m.chosen == nil {
		// The query package refused the demographics: mark the field.
		if i := fieldIndex(fe.Field); i >= 0 {
			m.form.errs[i] = fe.Problem
			m.form.message, m.form.warn = "Please correct the marked field: nothing was sent.", true
			m.form.setFocus(i)
			m.screen = screenForm
			return m, nil
		}
	}
	m.errv = errorModel{title: p.title, message: p.text, retry: p.retry}
	m.errBack, m.screen = back, screenError
	if back == screenCandidates && len(m.cands.patients) == 0 {
		m.errBack = screenForm
	}
	return m, nil
}

// loginCmd connects with the credentials typed at the login screen. They
// are not stored yet: only a reply from CT WiZ shows they are right
// (storeAccepted).
func (m Model) loginCmd(c credentials.Credentials) tea.Cmd {
	connect := m.opts.Connect
	return func() tea.Msg {
		if connect == nil {
			return loginDoneMsg{err: errors.New("signing in is not available here: start ctwiz-nurse with a profile")}
		}
		reg, err := connect(c)
		return loginDoneMsg{reg: reg, c: c, err: err}
	}
}

func (m Model) loggedIn(msg loginDoneMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.log.Warn("sign-in failed", "kind", describe(msg.err).kind)
		m.login.failed(describe(msg.err).text)
		return m, nil
	}
	m.reg, m.user, m.facility = msg.reg, msg.c.Username, msg.c.FacilityID
	m.login = loginModel{} // the typed password goes with it
	m.screen = screenForm
	m.log.Info("signed in")
	if m.opts.Store != nil {
		c := msg.c
		m.pending = &c
		m.setStatus(statusOK, "Signed in. Your credentials go into the keychain once CT WiZ accepts them, at your first search.")
	} else {
		m.setStatus(statusOK, "Signed in for this session only.")
	}
	return m, pingCmd(m.reg, m.seq)
}

// storeAccepted stores the credentials typed at the login screen once a
// query sent with them came back without error: any HL7 reply, a Z33
// "not found" or a rejection too, shows CT WiZ took the account, while
// a SecurityFault, or no reply at all, shows nothing yet. They are
// stored once; the keychain is asked in a tea.Cmd, as it may be slow.
func (m *Model) storeAccepted(err error) tea.Cmd {
	if err != nil || m.pending == nil {
		return nil
	}
	c, store, profile := *m.pending, m.opts.Store, m.opts.Profile
	m.pending = nil
	return func() tea.Msg { return storedMsg{store.Set(profile, c)} }
}

func (m Model) print(it printIntent) (Model, tea.Cmd) {
	if m.opts.Printer == nil {
		m.setStatus(statusWarn, "Printing is not set up in this build.")
		return m, nil
	}
	pr, resp := m.opts.Printer, m.record.resp
	offered := m.record.offeredName()
	info := printout.Info{PrintedAt: m.now(), QueriedAt: m.record.at, Facility: m.facility, User: m.user,
		Sandbox: m.opts.Environment == "SANDBOX"}
	if m.record.school != nil {
		info.SchoolEntry = m.record.school.res // the paper shows what the screen does
	}
	m.setStatus(statusInfo, "Preparing the PDF…")
	return m, func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var text string
		var err error
		switch it.how {
		case toPrinter:
			text, err = pr.Print(ctx, resp, info, it.copies)
		case toViewer:
			text, err = pr.View(ctx, resp, info)
		case toFile:
			// The name as typed may be a folder, or lack ".pdf".
			it.path = printout.SavePath(it.path, offered)
			text, err = pr.Save(ctx, resp, info, it.path, it.replace)
		}
		return printDoneMsg{text, err, it.how, it.path, it.replace}
	}
}

// idleCheck locks when nothing was typed for the idle time, and re-arms
// the one timer for when it may next be due.
func (m Model) idleCheck() (tea.Model, tea.Cmd) {
	idleFor := m.now().Sub(m.lastInput)
	if m.screen == screenLogin && idleFor >= m.idle && (m.demo.Last != "" || m.form.hasInput()) {
		// A refused sign-in keeps her search for after the login; left
		// idle, the search goes as it would at the lock, and the
		// half-typed password with it. The login screen stays: it shows
		// no student.
		m.dropPatientData()
		m.login.inputs[lPassword].Reset()
		m.log.Info("idle on the login screen: search cleared")
		return m, m.idleTimer(m.idle)
	}
	if m.screen == screenLock && idleFor >= m.idle {
		// A password half typed and left goes, as at the login screen.
		m.lock.password.Reset()
	}
	if m.screen == screenLock || m.screen == screenLogin {
		return m, m.idleTimer(m.idle)
	}
	if idleFor >= m.idle {
		m2, _ := m.lockNow(m.idle)
		return m2, m.idleTimer(m.idle)
	}
	return m, m.idleTimer(m.idle - idleFor)
}

func (m Model) lockNow(after time.Duration) (Model, tea.Cmd) {
	m.dropPatientData()
	var cmd tea.Cmd
	m.roster.dropStudents()
	m.prompt = rosterPrompt{}
	m.lock, cmd = newLockModel(after, m.opts.UnlockHint)
	m.lock.run = m.roster.lockNote()
	m.screen = screenLock
	m.help.ShowAll = false
	m.setStatus(statusInfo, "")
	m.log.Info("locked", "idle", after > 0)
	return m, cmd
}

// unlock opens the lock to a new search when typed is the password of
// the account in use; the client compares them, and nothing is sent.
// The last wrong try closes the program.
func (m Model) unlock(typed string) (Model, tea.Cmd) {
	if m.reg.SamePassword(typed) {
		m.lock = lockModel{}
		m.screen = screenForm
		m.setStatus(statusInfo, "Unlocked. Start a new search.")
		if m.roster.job != nil {
			m.setStatus(statusInfo, "Unlocked.") // back to the roster
		}
		m.log.Info("unlocked")
		return m, nil
	}
	if m.lock.refused() {
		m.log.Warn("unlock refused: wrong password", "tries_left", m.lock.tries)
		return m, nil
	}
	m.log.Warn("unlock refused: no tries left, closing")
	m.lockedOut = true
	return m, tea.Quit
}

// dropPatientData forgets every student: the query in flight, the form,
// candidates, record and any error that quoted the registry.
func (m *Model) dropPatientData() {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	m.seq++
	m.demo, m.grade = hl7.Demographics{}, ""
	m.chosen = nil
	m.form.clear()
	m.cands = candidatesModel{}
	m.record = recordModel{}
	m.mism = mismatchModel{}
	m.errv = errorModel{}
	m.loading = loadingModel{}
	m.rosterLine, m.resolving = 0, false
}

// setStatus sets the status line. Messages quoting other programs may
// hold line breaks; the status line wraps its own words instead.
func (m *Model) setStatus(k statusKind, s string) {
	m.statusKind, m.status = k, strings.Join(strings.Fields(s), " ")
}

// resize gives each screen the body's new size.
func (m *Model) resize() {
	h := m.bodyHeight()
	m.help.SetWidth(m.width)
	m.form.resize(m.width)
	if m.record.resp != nil {
		m.record.resize(m.st, m.width, h)
	}
	if m.cands.patients != nil {
		m.cands.resize(m.width, h)
	}
	if m.roster.job != nil {
		m.roster.resize(m.width, h)
	}
}

func (m Model) footerHelp() string {
	k := m.keys
	if m.help.ShowAll {
		k.Help.SetHelp("?", "fewer keys")
	}
	h := k.helpFor(m.screen, m.record.printMenu, m.record.naming, m.record.copying)
	if m.screen == screenRoster {
		h = k.rosterHelp(m.roster)
	}
	if !m.help.ShowAll {
		whole := m.help // measured without the width, so nothing is cut with "…"
		whole.SetWidth(0)
		h.short = k.shortFor(h.short, m.width, func(h screenHelp) int { return lipgloss.Width(whole.View(h)) })
	}
	return m.help.View(h)
}

// bodyHeight is what is left for the screen between the header (and its
// blank line) and the status and help lines.
func (m Model) bodyHeight() int {
	return m.bodyHeightFor(m.statusView(), m.footerHelp())
}

func (m Model) bodyHeightFor(status, footer string) int {
	return max(m.height-2-lipgloss.Height(status)-lipgloss.Height(footer), 1)
}

// statusView is the status line wrapped to the terminal's width: a long
// warning wraps rather than being cut, but never takes more than a
// quarter of the screen (three lines at least).
func (m Model) statusView() string {
	s := m.statusLine()
	if lipgloss.Width(s) <= m.width {
		return s
	}
	wrapped := lipgloss.Wrap(s, m.width, " ")
	return fit(wrapped, m.width, min(lipgloss.Height(wrapped), max(3, m.height/4)))
}

func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "ctwiz-nurse"
	return v
}

func (m Model) render() string {
	footer, status := m.footerHelp(), m.statusView()
	w, h := m.width, m.bodyHeightFor(status, footer)
	var body string
	switch m.screen {
	case screenLogin:
		body = m.login.view(m.st, w, h)
	case screenForm:
		body = m.form.view(m.st, w, h)
	case screenLoading:
		body = m.loading.view(m.st, w, h)
	case screenCandidates:
		body = m.cands.view(m.st, w, h)
	case screenRecord:
		body = m.record.view()
	case screenError:
		body = m.errv.view(m.st, w, h)
	case screenLock:
		body = m.lock.view(m.st, w, h)
	case screenMismatch:
		body = m.mism.view(m.st, w, h)
	case screenRoster:
		body = m.roster.view(m.st, w, h)
	case screenRosterOpen:
		body = m.prompt.view(m.st, w, h)
	}
	return m.header() + "\n\n" + fit(body, w, h) + "\n" + fit(status, w, lipgloss.Height(status)) + "\n" + fit(footer, w, lipgloss.Height(footer))
}

// header is the title, the environment badge, the profile, the user and
// the facility on one line. On a narrow terminal the profile name goes
// first, then the words "user" and "facility", so the account and the
// facility stay whole.
func (m Model) header() string {
	base := m.st.title.Render("CT WiZ") + " " + m.st.badgeFor(m.opts.Environment)
	withProfile := base
	if m.opts.Profile != "" {
		withProfile += " " + m.st.faint.Render("profile "+m.opts.Profile)
	}
	long := strings.Join(nonEmpty(labelled("user", m.user), labelled("facility", m.facility)), " · ")
	short := strings.Join(nonEmpty(m.user, m.facility), " · ")
	for _, v := range []struct{ left, right string }{{withProfile, long}, {base, long}, {base, short}} {
		gap := m.width - lipgloss.Width(v.left) - lipgloss.Width(v.right)
		if gap >= 1 {
			return v.left + strings.Repeat(" ", gap) + v.right
		}
	}
	return fit(base+" "+short, m.width, 1)
}

func labelled(label, v string) string {
	if v == "" {
		return ""
	}
	return label + " " + v
}

func (m Model) statusLine() string {
	if m.screen == screenRecord {
		switch {
		case m.record.naming && m.record.exists != "":
			return m.record.file.View() + "\n" +
				m.st.statusErr.Render(m.record.exists+" already exists: press Enter again to replace it, or change the name.")
		case m.record.naming:
			return m.record.file.View()
		case m.record.copying && m.record.copiesErr != "":
			return m.record.copies.View() + "\n" + m.st.statusErr.Render(m.record.copiesErr+".")
		case m.record.copying:
			return m.record.copies.View()
		case m.record.printMenu:
			return m.st.bold.Render("Print this record:") + " p printer " + cmp.Or(m.record.printer, "…") + " · v viewer · s save to file · esc cancel"
		}
	}
	if m.screen == screenRecord && m.status == "" && m.record.vp.TotalLineCount() > m.record.vp.Height() {
		vp := m.record.vp
		last := min(vp.YOffset()+vp.Height(), vp.TotalLineCount())
		more := "end of the record"
		if !vp.AtBottom() {
			more = "↓ pgdn for more"
		}
		return m.st.faint.Render(fmt.Sprintf("Lines %d-%d of %d · %s", vp.YOffset()+1, last, vp.TotalLineCount(), more))
	}
	switch m.statusKind {
	case statusOK:
		return m.st.statusOK.Render(m.status)
	case statusWarn:
		return m.st.statusErr.Render(m.status)
	}
	return m.status
}

func joinAnd(ss []string) string {
	switch len(ss) {
	case 0:
		return ""
	case 1:
		return ss[0]
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " or " + ss[len(ss)-1]
}
