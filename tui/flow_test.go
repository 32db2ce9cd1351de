package tui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// The flows run the whole program (renderer, input, commands) with
// teatest and compare the last screen, without styling, to a golden file
// in testdata/ (go test ./tui -run Flow -update rewrites them).

func startFlow(t *testing.T, reg Registry, w, h int) *teatest.TestModel {
	t.Helper()
	c := &clock{t: testStart}
	m := New(Options{Profile: "sandbox", Environment: "SANDBOX", User: "nurse.one", Facility: "SCH001",
		Registry: reg, NoColor: true, Now: c.now})
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
}

// waitScreen waits until the screen shows every one of wants.
func waitScreen(t *testing.T, tm *teatest.TestModel, wants ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		s := ansi.Strip(string(b))
		for _, w := range wants {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func send(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
}

func typeInto(tm *teatest.TestModel, fields ...string) {
	for i, f := range fields {
		if i > 0 {
			send(tm, "tab")
		}
		for _, r := range f {
			tm.Send(keyMsg(string(r)))
		}
	}
}

// finalScreen quits and returns the last view without styling, trailing
// spaces trimmed so the golden files are plain text.
func finalScreen(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	send(tm, "ctrl+c")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	lines := strings.Split(ansi.Strip(fm.View().Content), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestFlowTwinsToRecord(t *testing.T) {
	reg := &fakeRegistry{find: answer(loadResponse(t, "candidates_two.json"))}
	reg.fetch = func(context.Context, hl7.Patient, hl7.Demographics) (*hl7.Response, error) {
		return loadResponse(t, "record_webiz.json"), nil
	}
	tm := startFlow(t, reg, 80, 24)
	waitScreen(t, tm, "Find a student")
	typeInto(tm, "Child", "Robert", "05/12/2005")
	send(tm, "enter")
	waitScreen(t, tm, "2 students match")
	send(tm, "down", "enter")
	waitScreen(t, tm, "Forecast")
	golden.RequireEqual(t, finalScreen(t, tm))
}

func TestFlowNotFoundKeepsForm(t *testing.T) {
	reg := &fakeRegistry{find: answer(&hl7.Response{Outcome: hl7.OutcomeNotFound})}
	tm := startFlow(t, reg, 100, 30)
	waitScreen(t, tm, "Find a student")
	typeInto(tm, "Nobody", "Known", "2015-01-02")
	send(tm, "enter")
	waitScreen(t, tm, "Not found.")
	golden.RequireEqual(t, finalScreen(t, tm))
}

func TestFlowTooMany(t *testing.T) {
	reg := &fakeRegistry{find: answer(&hl7.Response{Outcome: hl7.OutcomeTooMany})}
	tm := startFlow(t, reg, 80, 24)
	waitScreen(t, tm, "Find a student")
	typeInto(tm, "Smith", "John", "01/01/2015", "M")
	send(tm, "enter")
	waitScreen(t, tm, "Too many matches.")
	golden.RequireEqual(t, finalScreen(t, tm))
}

func TestFlowEscDuringSlowQuery(t *testing.T) {
	reg := &fakeRegistry{find: func(ctx context.Context, _ hl7.Demographics) (*hl7.Response, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	tm := startFlow(t, reg, 80, 24)
	waitScreen(t, tm, "Find a student")
	typeInto(tm, "Slow", "Sam", "01/02/2015")
	send(tm, "enter")
	waitScreen(t, tm, "Searching CT WiZ")
	send(tm, "esc")
	waitScreen(t, tm, "Search cancelled.")
	golden.RequireEqual(t, finalScreen(t, tm))
}

func TestFlowLockAndResize(t *testing.T) {
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	tm := startFlow(t, reg, 100, 30)
	waitScreen(t, tm, "Find a student")
	typeInto(tm, "Butte", "Dianthe", "08/15/2014")
	send(tm, "enter")
	waitScreen(t, tm, "BUTTE, DIANTHE")
	tm.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	send(tm, "ctrl+l")
	waitScreen(t, tm, "Locked.")
	out := finalScreen(t, tm)
	if bytes.Contains([]byte(out), []byte("BUTTE")) {
		t.Error("the lock screen shows the student")
	}
	golden.RequireEqual(t, out)
}
