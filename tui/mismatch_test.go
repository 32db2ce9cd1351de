package tui

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// comparing answers every search with the record of BUTTE, DIANTHE
// MARIAM, 08/15/2014, compared with what was asked as the query client
// compares it.
func comparing(t *testing.T) func(context.Context, hl7.Demographics) (*hl7.Response, error) {
	return func(_ context.Context, d hl7.Demographics) (*hl7.Response, error) {
		r := loadResponse(t, "record_webiz.json")
		r.Mismatch = hl7.ComparePatient(d, r.Patients[0])
		return r, nil
	}
}

// TestWrongStudentHeldBack: a record that is not the student asked for
// is not shown as a match: asked and registry side by side, opened only
// with y; esc goes back, n starts afresh, the lock clears it (issue 11.1).
func TestWrongStudentHeldBack(t *testing.T) {
	for _, size := range []tea.WindowSizeMsg{{Width: 80, Height: 24}, {Width: 60, Height: 15}} {
		reg := &fakeRegistry{find: comparing(t)}
		m, clk := newTestModel(t, reg, func(o *Options) { o.IdleLock = 5 * time.Minute })
		m = update(t, m, size)
		m = fillForm(t, m, "Jones", "Bob", "08/15/2014")
		m = press(t, m, "enter")
		if m.Screen() != "mismatch" || m.record.resp != nil {
			t.Fatalf("%dx%d: screen %s, want the record held back", size.Width, size.Height, m.Screen())
		}
		v := plain(m)
		mustContain(t, v, "another student's", "Asked", "Registry", "Jones", "BUTTE", "Bob", "DIANTHE MARIAM", "differs",
			"08/15/2014", "y yes, it is the student", "Not shown")
		mustNotContain(t, v, "Forecast", "History")

		// Esc: back to the form, with what was typed.
		back := press(t, m, "esc")
		if back.Screen() != "form" || back.form.value(fLast) != "Jones" || back.mism.resp != nil {
			t.Errorf("esc: screen %s, last name %q", back.Screen(), back.form.value(fLast))
		}
		// n: a new, empty search.
		if n := press(t, m, "n"); n.Screen() != "form" || n.form.value(fLast) != "" || n.mism.resp != nil {
			t.Errorf("n: screen %s, last name %q", n.Screen(), n.form.value(fLast))
		}
		// Enter is not a confirmation.
		if e := press(t, m, "enter"); e.Screen() != "mismatch" {
			t.Errorf("enter: screen %s", e.Screen())
		}
		// The idle lock clears it like any record.
		clk.add(5 * time.Minute)
		locked := update(t, m, idleCheckMsg{})
		if locked.Screen() != "lock" || locked.mism.resp != nil {
			t.Errorf("idle: screen %s, held record kept %v", locked.Screen(), locked.mism.resp != nil)
		}
		mustNotContain(t, plain(locked), "BUTTE", "Jones")
		// y: the nurse confirms; the record opens.
		opened := press(t, m, "y")
		if opened.Screen() != "record" || opened.record.resp == nil {
			t.Fatalf("y: screen %s", opened.Screen())
		}
		mustContain(t, plain(opened), "BUTTE")
	}
}

// TestWrongStudentFromCandidates: a record fetched for a candidate that
// is not that candidate goes back to the list on esc.
func TestWrongStudentFromCandidates(t *testing.T) {
	reg := &fakeRegistry{
		find: answer(loadResponse(t, "candidates_two.json")),
		fetch: func(_ context.Context, p hl7.Patient, d hl7.Demographics) (*hl7.Response, error) {
			r := loadResponse(t, "record_webiz.json")
			asked := d
			asked.Last, asked.First = p.Family, p.Given
			r.Mismatch = hl7.ComparePatient(asked, r.Patients[0])
			return r, nil
		},
	}
	m, _ := newTestModel(t, reg)
	m = fillForm(t, m, "Child", "Robert", "05/12/2005")
	m = press(t, m, "enter")
	if m.Screen() != "candidates" {
		t.Fatalf("screen %s", m.Screen())
	}
	m = press(t, m, "enter")
	if m.Screen() != "mismatch" {
		t.Fatalf("screen %s after choosing", m.Screen())
	}
	if m = press(t, m, "esc"); m.Screen() != "candidates" {
		t.Errorf("esc: screen %s, want the candidates", m.Screen())
	}
}

// TestStudentAskedForOpensAtOnce: the record of the student asked for
// opens without a question.
func TestStudentAskedForOpensAtOnce(t *testing.T) {
	m, _ := newTestModel(t, &fakeRegistry{find: comparing(t)})
	m = fillForm(t, m, "butte", "Dianthe", "08/15/2014")
	if m = press(t, m, "enter"); m.Screen() != "record" {
		t.Errorf("screen %s", m.Screen())
	}
}
