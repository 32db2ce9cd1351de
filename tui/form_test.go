package tui

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// fieldLine is the view's line holding the field labelled label, as
// drawn (styles kept) and as read (styles stripped).
func fieldLine(t *testing.T, m Model, label string) (raw, text string) {
	t.Helper()
	for _, l := range strings.Split(m.View().Content, "\n") {
		if s := ansi.Strip(l); strings.Contains(s, label) {
			return l, s
		}
	}
	t.Fatalf("no line for %q:\n%s", label, plain(m))
	return "", ""
}

// reverse finds reverse video: the cursor.
var reverse = regexp.MustCompile(`\x1b\[(\d+;)*7[;m]`)

// box is the text between a field's brackets.
func box(line string) string {
	_, rest, _ := strings.Cut(line, "[")
	in, _, _ := strings.Cut(rest, "]")
	return in
}

// TestLongTextScrollsWithTheCursor: text longer than its box scrolls so
// the end being typed and the cursor stay in sight, and the cursor keys
// bring the start back (issue 11.6).
func TestLongTextScrollsWithTheCursor(t *testing.T) {
	const street = "1200 Boulevard of the Farmington Valley Apartments, Building 7"
	for _, size := range [][3]int{{80, 24, 34}, {60, 15, 16}} { // width, height, box
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m, _ := newTestModel(t, &fakeRegistry{})
			m = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m.form.setFocus(fStreet)
			m = typeText(t, m, street)
			raw, text := fieldLine(t, m, "Street")
			if b := box(text); !strings.HasSuffix(strings.TrimRight(b, " "), "Building 7") || strings.Contains(b, "…") {
				t.Errorf("the end being typed is not in the box: [%s]", b)
			}
			if !reverse.MatchString(raw) {
				t.Errorf("no cursor in the field: %q", raw)
			}
			if w := len([]rune(box(text))); w != size[2] {
				t.Errorf("box %d columns wide, want %d", w, size[2])
			}
			m = press(t, m, "home")
			_, text = fieldLine(t, m, "Street")
			if b := box(text); !strings.HasPrefix(b, "1200 Boulevard") {
				t.Errorf("home did not scroll back to the start: [%s]", b)
			}
			// Another field: the street shows its start, and "…" for more.
			m = press(t, m, "tab")
			_, text = fieldLine(t, m, "Street")
			if b := box(text); !strings.HasPrefix(b, "1200 Boulevard") || !strings.HasSuffix(b, "…") {
				t.Errorf("a field left shows [%s], want its start and …", b)
			}
			if lines := strings.Split(plain(m), "\n"); len(lines) > size[1] {
				t.Errorf("%d lines at height %d", len(lines), size[1])
			}
		})
	}
}

// TestTextOverTheLimitIsRefusedAloud: what does not fit a field's limit
// is refused, typed or pasted, and the field says its limit; the note
// goes once the field is edited below it (issue 11.6).
func TestTextOverTheLimitIsRefusedAloud(t *testing.T) {
	long := strings.Repeat("Abcdefghij", 5) // 50: the last name's limit
	for _, paste := range []bool{false, true} {
		t.Run(fmt.Sprintf("paste=%v", paste), func(t *testing.T) {
			m, _ := newTestModel(t, &fakeRegistry{})
			if paste {
				m = update(t, m, tea.PasteMsg{Content: long + "XYZ"})
			} else {
				m = typeText(t, m, long)
				_, text := fieldLine(t, m, "Last name")
				if strings.Contains(text, "at most") {
					t.Fatalf("the limit is announced before it is passed: %s", text)
				}
				m = typeText(t, m, "XYZ")
			}
			if got := m.form.value(fLast); got != long {
				t.Errorf("value %q, want the first 50 characters", got)
			}
			mustContain(t, plain(m), "at most 50 characters")
			m = press(t, m, "backspace")
			mustNotContain(t, plain(m), "at most 50 characters")
		})
	}
}

// TestFieldReasonStaysWhileWrong: the cursor keys do not clear a field's
// reason; editing keeps it while the field is still wrong and clears it
// once right (issue 11.9).
func TestFieldReasonStaysWhileWrong(t *testing.T) {
	reg := &fakeRegistry{find: answer(&hl7.Response{Outcome: hl7.OutcomeNotFound})}
	m, _ := newTestModel(t, reg)
	m = fillForm(t, m, "Doe", "Jane", "2015-01-02")
	m = fillZipPhone(t, m, "123", "8605551212")
	m = press(t, m, "enter")
	const reason = "must be 5 digits or ZIP+4"
	if m.form.focus != fZip || m.form.errs[fZip] != reason {
		t.Fatalf("focus %d, zip reason %q", m.form.focus, m.form.errs[fZip])
	}
	for _, k := range []string{"left", "right", "home", "end"} {
		m = press(t, m, k)
		if m.form.errs[fZip] != reason {
			t.Fatalf("%s cleared the zip's reason", k)
		}
		mustContain(t, plain(m), "✗ "+reason)
	}
	m = typeText(t, m, "4")
	if m.form.errs[fZip] != reason {
		t.Errorf("1234 is still wrong, but the reason went")
	}
	m = typeText(t, m, "5")
	if m.form.errs[fZip] != "" {
		t.Errorf("12345 is right, but the reason stays: %q", m.form.errs[fZip])
	}
	mustNotContain(t, plain(m), "✗")
}

// TestStatusLineFollowsTheBody: the status line never speaks of an
// earlier search once the form shows a correction to make, and a
// connectivity check that fails after a search started does not claim
// the registry failed over it (issue 11.9).
func TestStatusLineFollowsTheBody(t *testing.T) {
	t.Run("not found, then a wrong field", func(t *testing.T) {
		reg := &fakeRegistry{find: answer(&hl7.Response{Outcome: hl7.OutcomeNotFound})}
		m, _ := newTestModel(t, reg)
		m = fillForm(t, m, "Doe", "Jane", "2015-01-02")
		m = press(t, m, "enter")
		mustContain(t, plain(m), "Not found.", "No student matches")
		m = press(t, m, "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
		m = press(t, m, "enter")
		v := plain(m)
		mustContain(t, v, "Please correct the marked fields")
		mustNotContain(t, v, "Not found.", "No student matches")
	})
	t.Run("new search, then a wrong field", func(t *testing.T) {
		m, _ := newTestModel(t, &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))})
		m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
		m = press(t, m, "enter", "n")
		mustContain(t, plain(m), "New search.")
		m = press(t, m, "enter")
		v := plain(m)
		mustContain(t, v, "Please correct the marked fields")
		mustNotContain(t, v, "New search.")
	})
	t.Run("an old answer's words go with a new search", func(t *testing.T) {
		reg := &fakeRegistry{find: answer(&hl7.Response{Outcome: hl7.OutcomeNotFound})}
		m, _ := newTestModel(t, reg)
		m = fillForm(t, m, "Doe", "Jane", "2015-01-02")
		m = press(t, m, "enter")
		reg.find = answer(loadResponse(t, "candidates_two.json"))
		m = press(t, m, "enter", "esc")
		if m.Screen() != "form" {
			t.Fatalf("screen %s", m.Screen())
		}
		mustNotContain(t, plain(m), "No student matches")
	})
	t.Run("a failed check over a running search", func(t *testing.T) {
		reg := &fakeRegistry{pingErr: errors.New("connection refused")}
		reg.find = func(ctx context.Context, _ hl7.Demographics) (*hl7.Response, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}
		m, _ := newTestModel(t, reg)
		var ping []tea.Msg
		for _, msg := range results(m.Init(), time.Second) {
			ping = append(ping, msg)
		}
		if len(ping) != 1 {
			t.Fatalf("the start sent %d checks", len(ping))
		}
		m = fillForm(t, m, "Doe", "Jane", "2015-01-02")
		next, _ := m.Update(keyMsg("enter")) // the search runs on
		m = update(t, next.(Model), ping[0])
		if m.Screen() != "loading" {
			t.Fatalf("screen %s", m.Screen())
		}
		mustNotContain(t, plain(m), "Registry check failed")
		m = press(t, m, "esc")
	})
	t.Run("a failed check before any search is shown", func(t *testing.T) {
		m, _ := newTestModel(t, &fakeRegistry{pingErr: errors.New("connection refused")})
		for _, msg := range results(m.Init(), time.Second) {
			m = update(t, m, msg)
		}
		mustContain(t, plain(m), "Registry check failed")
	})
}

// TestFormReadsTheDateForms: the form reads dates with the one parser the
// CLI and the roster use (hl7.ParseDate): each form sends the same birth
// date, and a refused one shows the parser's reason with the accepted
// forms, and sends nothing (issue 11.12). testStart is in 2026, so a
// two-digit year reads as 2004-2027.
func TestFormReadsTheDateForms(t *testing.T) {
	for _, dob := range []string{"2019-06-20", "2019-6-20", "6/20/2019", "6-20-2019", "06202019", "20190620", "6/20/19"} {
		reg := &fakeRegistry{find: answer(&hl7.Response{Outcome: hl7.OutcomeNotFound})}
		m, _ := newTestModel(t, reg)
		m = fillForm(t, m, "Parker", "Liam", dob)
		m = press(t, m, "enter")
		if reg.findCount() != 1 || reg.finds[0].BirthDate.Format(time.DateOnly) != "2019-06-20" {
			t.Errorf("%q: %d searches %v, errors %q", dob, reg.findCount(), reg.finds, m.form.errs)
		}
	}
	const accepted = "; accepted: YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for 2004-2027"
	for dob, reason := range map[string]string{
		"6/20/50":   "not read: a two-digit year is read only as 2004-2027, where a century off is no student; type the four-digit year" + accepted,
		"20/6/2019": "not a real date: there is no month 20 (the month comes first)" + accepted,
		"062019":    "not a date" + accepted,
	} {
		reg := &fakeRegistry{find: answer(&hl7.Response{Outcome: hl7.OutcomeNotFound})}
		m, _ := newTestModel(t, reg)
		m = fillForm(t, m, "Parker", "Liam", dob)
		m = press(t, m, "enter")
		if reg.findCount() != 0 || m.form.errs[fDOB] != reason {
			t.Errorf("%q: %d searches, reason %q, want %q", dob, reg.findCount(), m.form.errs[fDOB], reason)
		}
		// Beside the field or wrapped under it, never cut: compare the words.
		if v := strings.Join(strings.Fields(plain(m)), " "); !strings.Contains(v, "✗ "+reason) {
			t.Errorf("%q: reason not whole on screen:\n%s", dob, plain(m))
		}
	}
}
