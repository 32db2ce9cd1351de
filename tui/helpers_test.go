package tui

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
)

// fakeRegistry answers from functions the test sets and records what it
// was asked, so model tests can check what would have been sent.
type fakeRegistry struct {
	mu      sync.Mutex
	find    func(ctx context.Context, d hl7.Demographics) (*hl7.Response, error)
	fetch   func(ctx context.Context, p hl7.Patient, d hl7.Demographics) (*hl7.Response, error)
	finds   []hl7.Demographics
	fetched []hl7.Patient
	pings   int
	pingErr error  // what Ping answers
	secret  string // the password SamePassword knows; "" none
}

func (f *fakeRegistry) Find(ctx context.Context, d hl7.Demographics) (*hl7.Response, error) {
	f.mu.Lock()
	f.finds = append(f.finds, d)
	fn := f.find
	f.mu.Unlock()
	return fn(ctx, d)
}

func (f *fakeRegistry) Fetch(ctx context.Context, p hl7.Patient, d hl7.Demographics) (*hl7.Response, error) {
	f.mu.Lock()
	f.fetched = append(f.fetched, p)
	fn := f.fetch
	f.mu.Unlock()
	return fn(ctx, p, d)
}

func (f *fakeRegistry) Ping(ctx context.Context) (string, error) {
	f.mu.Lock()
	f.pings++
	err := f.pingErr
	f.mu.Unlock()
	if err != nil {
		return "", err
	}
	return "ok", nil
}

func (f *fakeRegistry) SamePassword(typed string) bool {
	return f.secret != "" && typed == f.secret
}

func (f *fakeRegistry) findCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.finds)
}

// answer returns a registry func that always gives resp.
func answer(resp *hl7.Response) func(context.Context, hl7.Demographics) (*hl7.Response, error) {
	return func(context.Context, hl7.Demographics) (*hl7.Response, error) { return resp, nil }
}

type fakeStore struct {
	mu    sync.Mutex
	saved map[string]credentials.Credentials
	err   error
	sets  int // calls to Set, failed ones included
}

func (s *fakeStore) Set(profile string, c credentials.Credentials) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sets++
	if s.err != nil {
		return s.err
	}
	if s.saved == nil {
		s.saved = map[string]credentials.Credentials{}
	}
	s.saved[profile] = c
	return nil
}

type fakePrinter struct {
	mu          sync.Mutex
	calls       []string
	exists      map[string]bool // files Save must not replace unless told to
	destination string          // the printer Destination names; "" no default
}

func (p *fakePrinter) note(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, s)
}

func (p *fakePrinter) Print(ctx context.Context, r *hl7.Response, _ printout.Info, copies int) (string, error) {
	p.note(fmt.Sprintf("print %d", copies))
	return "Sent to printer office.", nil
}

func (p *fakePrinter) Destination(context.Context) (string, error) { return p.destination, nil }

func (p *fakePrinter) View(ctx context.Context, r *hl7.Response, _ printout.Info) (string, error) {
	p.note("view")
	return "Opened in the PDF viewer.", nil
}

func (p *fakePrinter) Save(ctx context.Context, r *hl7.Response, _ printout.Info, path string, replace bool) (string, error) {
	if p.exists[path] && !replace {
		p.note("refused " + path)
		return "", fmt.Errorf("%s already exists: %w", path, fs.ErrExist)
	}
	if replace {
		p.note("replace " + path)
	} else {
		p.note("save " + path)
	}
	return "Saved " + path + ".", nil
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var testStart = time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)

func loadResponse(t testing.TB, name string) *hl7.Response {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var r hl7.Response
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &r
}

func newTestModel(t testing.TB, reg Registry, opts ...func(*Options)) (Model, *clock) {
	t.Helper()
	c := &clock{t: testStart}
	o := Options{Profile: "sandbox", Environment: "SANDBOX", User: "nurse.one", Facility: "SCH001",
		Registry: reg, NoColor: true, Now: c.now}
	for _, f := range opts {
		f(&o)
	}
	m := New(o)
	return update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}), c
}

// keyMsg builds the key press a terminal would send for s.
func keyMsg(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+l":
		return tea.KeyPressMsg{Code: 'l', Mod: tea.ModCtrl}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	case "ctrl+o":
		return tea.KeyPressMsg{Code: 'o', Mod: tea.ModCtrl}
	}
	r := []rune(s)
	if len(r) != 1 {
		panic("keyMsg: unknown key " + s)
	}
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

func update(t testing.TB, m Model, msg tea.Msg) Model {
	t.Helper()
	next, _ := m.Update(msg)
	return next.(Model)
}

// press sends keys and runs what they start, feeding back the results of
// registry, login and print work (not timers) until the model is idle.
func press(t testing.TB, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		next, cmd := m.Update(keyMsg(k))
		m = settle(t, next.(Model), cmd)
	}
	return m
}

func typeText(t testing.TB, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		m = press(t, m, string(r))
	}
	return m
}

// settle runs cmd's work and feeds each result message back.
func settle(t testing.TB, m Model, cmd tea.Cmd) Model {
	t.Helper()
	for _, msg := range results(cmd, 2*time.Second) {
		next, c := m.Update(msg)
		m = settle(t, next.(Model), c)
	}
	return m
}

// results runs every command in cmd concurrently and returns the result
// messages that arrive within wait: registry, login, print and ping
// answers. Timers and spinner ticks are left behind.
func results(cmd tea.Cmd, wait time.Duration) []tea.Msg {
	if cmd == nil {
		return nil
	}
	out := make(chan tea.Msg, 16)
	var wg sync.WaitGroup
	var run func(c tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := c()
			switch msg := msg.(type) {
			case tea.BatchMsg:
				for _, c := range msg {
					run(c)
				}
			case findDoneMsg, fetchDoneMsg, loginDoneMsg, storedMsg, printDoneMsg, pingDoneMsg, destinationMsg,
				rosterCheckedMsg, rosterEndedMsg, rosterRewrittenMsg, rosterOpenedMsg, rosterStartMsg:
				out <- msg
			}
		}()
	}
	run(cmd)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var msgs []tea.Msg
	timeout := time.After(wait)
	for {
		select {
		case msg := <-out:
			msgs = append(msgs, msg)
		case <-done:
			for {
				select {
				case msg := <-out:
					msgs = append(msgs, msg)
				default:
					return msgs
				}
			}
		case <-timeout:
			return msgs
		}
	}
}

// plain is the model's view without styling.
func plain(m Model) string { return ansi.Strip(m.View().Content) }

func mustContain(t testing.TB, view string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(view, w) {
			t.Errorf("view lacks %q:\n%s", w, view)
		}
	}
}

func mustNotContain(t testing.TB, view string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(view, w) {
			t.Errorf("view shows %q:\n%s", w, view)
		}
	}
}

// fillForm types a search into the form: last, first, date of birth.
func fillForm(t testing.TB, m Model, last, first, dob string) Model {
	t.Helper()
	m = typeText(t, m, last)
	m = press(t, m, "tab")
	m = typeText(t, m, first)
	m = press(t, m, "tab")
	return typeText(t, m, dob)
}
