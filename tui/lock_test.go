package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// The record_webiz.json student as the record screen shows her: none of
// it may be on the lock screen.
var recordValues = []string{"BUTTE", "DIANTHE", "Butte", "Dianthe", "08/15/2014", "867287", "IVERSEN", "Blaine", "Forecast"}

// openRecord searches for the record_webiz.json student and checks her
// record is on screen, so that the lock has something to clear.
func openRecord(t *testing.T, m Model) Model {
	t.Helper()
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter")
	if m.Screen() != "record" {
		t.Fatalf("screen %s, want the record", m.Screen())
	}
	mustContain(t, plain(m), "BUTTE, DIANTHE", "867287")
	return m
}

// TestLockAsksForThePassword: the idle lock and ctrl+l both lead to a
// screen that shows nothing of the record and opens only for the account's
// password, masked as it is typed; a wrong one says how many tries are
// left, Enter alone counts for nothing, and the right one gives a new,
// empty search (issue 11.2). At 40x12 the field and the messages still
// show, without the frame.
func TestLockAsksForThePassword(t *testing.T) {
	const secret = "s3cret-Pw"
	lockBy := map[string]func(t *testing.T, m Model, clk *clock) Model{
		"idle": func(t *testing.T, m Model, clk *clock) Model {
			clk.add(5 * time.Minute)
			return update(t, m, idleCheckMsg{})
		},
		"ctrl+l": func(t *testing.T, m Model, _ *clock) Model { return press(t, m, "ctrl+l") },
	}
	for _, how := range []string{"idle", "ctrl+l"} {
		for _, size := range [][2]int{{80, 24}, {60, 15}, {40, 12}} {
			t.Run(fmt.Sprintf("%s %dx%d", how, size[0], size[1]), func(t *testing.T) {
				reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json")), secret: secret}
				m, clk := newTestModel(t, reg, func(o *Options) { o.IdleLock = 5 * time.Minute })
				m = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				m = openRecord(t, m)
				m = lockBy[how](t, m, clk)
				if m.Screen() != "lock" {
					t.Fatalf("screen %s, want the lock", m.Screen())
				}
				locked := func(step string, wants ...string) {
					t.Helper()
					v := strings.Join(strings.Fields(plain(m)), " ") // 40 columns wrap the messages
					if m.Screen() != "lock" {
						t.Fatalf("%s: screen %s, want the lock", step, m.Screen())
					}
					mustNotContain(t, v, recordValues...)
					mustContain(t, v, wants...)
					if m.record.resp != nil || m.demo.Last != "" {
						t.Errorf("%s: the record is still in memory", step)
					}
				}
				locked("locked", "Type your CT WiZ password to unlock", "Password [", "enter unlock", "ctrl+c quit")

				m = press(t, m, "enter")
				locked("enter alone", "Type your CT WiZ password, then press Enter.")
				m = typeText(t, m, "wrong-1")
				locked("typing", "•••••••")
				mustNotContain(t, plain(m), "wrong-1")
				m = press(t, m, "enter")
				locked("first wrong", "Wrong password: 2 tries left.")
				if m.lock.password.Value() != "" {
					t.Error("the wrong password stays in the field")
				}
				m = typeText(t, m, secret+"x")
				m = press(t, m, "enter")
				locked("second wrong", "Wrong password: 1 try left.")

				m = typeText(t, m, secret)
				m = press(t, m, "enter")
				if m.Screen() != "form" || m.form.hasInput() || m.LockedOut() {
					t.Fatalf("after the right password: screen %s, form kept %v, locked out %v", m.Screen(), m.form.hasInput(), m.LockedOut())
				}
				v := plain(m)
				mustContain(t, v, "Find a student", "Unlocked. Start a new search.")
				mustNotContain(t, v, recordValues...)

				// The next lock gives three tries again.
				m = press(t, m, "ctrl+l")
				m = typeText(t, m, "wrong")
				m = press(t, m, "enter")
				locked("locked again", "Wrong password: 2 tries left.")
			})
		}
	}
}

// TestLockThreeWrongPasswordsQuit: the third wrong password closes the
// program, and the model says why, for cmd's exit code 7.
func TestLockThreeWrongPasswordsQuit(t *testing.T) {
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json")), secret: "right"}
	m, _ := newTestModel(t, reg)
	m = openRecord(t, m)
	m = press(t, m, "ctrl+l")
	for i, pw := range []string{"one", "two"} {
		m = typeText(t, m, pw)
		next, cmd := m.Update(keyMsg("enter"))
		m = next.(Model)
		if cmd != nil || m.LockedOut() {
			t.Fatalf("wrong password %d quits", i+1)
		}
	}
	m = typeText(t, m, "three")
	next, cmd := m.Update(keyMsg("enter"))
	m = next.(Model)
	if cmd == nil || cmd() != tea.Quit() {
		t.Fatal("the third wrong password does not quit")
	}
	if !m.LockedOut() {
		t.Error("LockedOut is false after three wrong passwords: the program would exit 0")
	}
	mustNotContain(t, plain(m), recordValues...)
}

// TestLockHint: the built-in sandbox's password is said on its lock
// screen only (cmd sets UnlockHint for --sandbox).
func TestLockHint(t *testing.T) {
	const hint = "Built-in sandbox: the password is sandbox."
	for _, tt := range []struct {
		name string
		hint string
	}{{"sandbox", hint}, {"a real registry", ""}} {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newTestModel(t, &fakeRegistry{}, func(o *Options) { o.UnlockHint = tt.hint })
			m = press(t, m, "ctrl+l")
			if tt.hint != "" {
				mustContain(t, plain(m), hint)
			} else {
				mustNotContain(t, plain(m), "the password is")
			}
		})
	}
}

// TestIdleOnTheLockClearsTheField: a password half typed at the lock and
// left is gone after the idle time; the tries are not given back.
func TestIdleOnTheLockClearsTheField(t *testing.T) {
	m, clk := newTestModel(t, &fakeRegistry{secret: "right"}, func(o *Options) { o.IdleLock = time.Minute })
	m = press(t, m, "ctrl+l")
	m = typeText(t, m, "wrong")
	m = press(t, m, "enter")
	m = typeText(t, m, "rig")
	clk.add(30 * time.Second)
	m = update(t, m, idleCheckMsg{})
	if m.lock.password.Value() != "rig" {
		t.Fatal("cleared before the idle time")
	}
	clk.add(30 * time.Second)
	m = update(t, m, idleCheckMsg{})
	if m.Screen() != "lock" || m.lock.password.Value() != "" || m.lock.tries != 2 {
		t.Errorf("after the idle time: screen %s, field %q, tries %d", m.Screen(), m.lock.password.Value(), m.lock.tries)
	}
}
