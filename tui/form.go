package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// Form field keys, in the order the nurse tabs through them.
const (
	fLast = iota
	fFirst
	fDOB
	fSex
	fGrade // not sent: the grade of the school-entry check
	fMiddle
	fMaiden
	fStreet
	fCity
	fZip
	fPhone
	fRegID
	nFields
)

var fieldSpec = [nFields]struct {
	label, hint, name string // name: as hl7.FieldError calls it
	required          bool
	limit             int
}{
	fLast:   {"Last name", "", "last name", true, 50},
	fFirst:  {"First name", "", "first name", true, 50},
	fDOB:    {"Date of birth", "MM/DD/YYYY", "date of birth", true, 10},
	fSex:    {"Sex", "F, M or U", "sex", false, 7},
	fGrade:  {"Grade", "PK, K or 1-12: checks school entry", "grade", false, 16},
	fMiddle: {"Middle name", "", "middle name", false, 50},
	fMaiden: {"Mother's maiden name", "LAST or LAST, FIRST", "mother's maiden name", false, 50},
	fStreet: {"Street", "", "street", false, 80},
	fCity:   {"City", "", "city", false, 50},
	fZip:    {"Zip", "5 digits or ZIP+4", "zip", false, 10},
	fPhone:  {"Phone", "with area code", "phone", false, 20},
	fRegID:  {"Registry ID", "CT WiZ ID", "registry ID", false, 20},
}

// formModel is the search form. What she typed stays while a query runs,
// after a cancel, not found or too many, and is cleared only by a new
// search or the lock.
type formModel struct {
	inputs  [nFields]textinput.Model
	errs    [nFields]string
	focus   int
	full    int    // the field that refused text over its limit, or -1
	message string // why the form came back: not found, too many, cancelled
	warn    bool   // message is a problem rather than information
	// grade is the profile's default grade, typed in again by clear.
	grade string
}

// form intents, acted on by the root model.
type (
	// searchIntent asks the root to send the query, and to check the
	// record it brings against the school-entry requirements for grade
	// ("" for no check).
	searchIntent struct {
		d     hl7.Demographics
		grade schoolentry.Grade
	}
	// invalidIntent tells the root nothing was sent: the form says why,
	// and the status line must not still speak of the last search.
	invalidIntent struct{}
)

// newFormModel is the empty form, with the profile's default grade (a
// grade schoolentry.ParseGrade reads, or "") in the Grade field.
func newFormModel(grade string) formModel {
	if g, err := schoolentry.ParseGrade(grade); err == nil {
		grade = string(g) // "kindergarten" in the profile shows as K
	}
	f := formModel{grade: grade}
	for i := range f.inputs {
		in := newInput()
		in.CharLimit = fieldSpec[i].limit
		f.inputs[i] = in
	}
	f.inputs[fGrade].SetValue(grade)
	f.inputs[0].Focus()
	f.full = -1
	return f
}

// newInput is a text field with a steady cursor: a blinking one would
// redraw the screen twice a second for nothing.
func newInput() textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	is := in.Styles()
	is.Cursor.Blink = false
	in.SetStyles(is)
	return in
}

func (f formModel) update(msg tea.Msg, k keyMap, now time.Time) (formModel, tea.Cmd, any) {
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(km, k.Submit):
			d, grade, ok := f.validate(now)
			if !ok {
				return f, nil, invalidIntent{}
			}
			return f, nil, searchIntent{d, grade}
		case key.Matches(km, k.Next):
			return f, f.setFocus((f.focus + 1) % nFields), nil
		case key.Matches(km, k.Prev):
			return f, f.setFocus((f.focus + nFields - 1) % nFields), nil
		}
	}
	var typed string
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		typed = msg.Text
	case tea.PasteMsg:
		typed = msg.Content
	}
	in := &f.inputs[f.focus]
	before := in.Value()
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	after := in.Value()
	switch grown := len([]rune(after)) - len([]rune(before)); {
	case typed != "" && grown < len([]rune(typed)) && len([]rune(after)) >= in.CharLimit:
		f.full = f.focus // what did not fit was refused: say so, and why
	case after != before:
		f.full = -1
	}
	if after != before && f.errs[f.focus] != "" {
		// She is fixing it: the reason goes only once the field is right.
		// Moving the cursor changes nothing and keeps it.
		_, errs, _ := f.check(now)
		f.errs[f.focus] = errs[f.focus]
	}
	return f, cmd, nil
}

// inputWidth is the width of the fields' boxes on a terminal w wide.
func inputWidth(w int) int { return min(max(w-formLabelW-4-20, 16), 40) }

const formLabelW = 22

// resize fits the fields to a terminal w columns wide. Text longer than
// its box scrolls with the cursor, so the box's width is the input's
// own, not only the view's.
func (f *formModel) resize(w int) {
	inW := inputWidth(w) - 1 // the cursor takes a column
	for i := range f.inputs {
		in := &f.inputs[i]
		if in.Width() == inW {
			continue
		}
		in.SetWidth(inW)
		pos := in.Position()
		in.CursorStart() // the scroll offsets were for the old width
		in.SetCursor(pos)
	}
}

func (f *formModel) setFocus(i int) tea.Cmd {
	f.inputs[f.focus].Blur()
	f.full = -1
	f.focus = i
	return f.inputs[i].Focus()
}

func (f formModel) value(i int) string { return strings.TrimSpace(f.inputs[i].Value()) }

// validate turns the form into demographics and the grade to check,
// marking every field that is wrong (not only the first) with the
// reason. The registry's rules are hl7.Demographics.Validate's; this only
// reads the text.
func (f *formModel) validate(now time.Time) (hl7.Demographics, schoolentry.Grade, bool) {
	d, errs, other := f.check(now)
	f.errs = errs
	if other != "" {
		f.message, f.warn = other, true
	}
	first := -1
	for i, e := range f.errs {
		if e != "" && first < 0 {
			first = i
		}
	}
	if first >= 0 {
		f.message, f.warn = "Please correct the marked fields: nothing was sent.", true
		f.setFocus(first)
		return d, "", false
	}
	grade, _ := schoolentry.ParseGrade(f.value(fGrade))
	return d, grade, true
}

// check reads the form into demographics and says what is wrong with
// each field; other is a rule broken on a field the form does not show.
func (f formModel) check(now time.Time) (d hl7.Demographics, errs [nFields]string, other string) {
	d = hl7.Demographics{
		Last: f.value(fLast), First: f.value(fFirst), Middle: f.value(fMiddle),
		Address: hl7.Address{Street: f.value(fStreet), City: f.value(fCity), Zip: f.value(fZip)},
		Phone:   f.value(fPhone),
	}
	d.MotherMaidenLast, d.MotherMaidenFirst = hl7.SplitMaidenName(f.value(fMaiden))
	if s := f.value(fDOB); s != "" {
		t, err := hl7.ParseDate(s, now)
		var de *hl7.DateError
		if errors.As(err, &de) {
			errs[fDOB] = de.Reason()
		}
		d.BirthDate = t
	}
	if sex, ok := hl7.ParseSex(f.value(fSex)); ok {
		d.Sex = sex
	} else {
		errs[fSex] = "type F, M or U"
	}
	if id := f.value(fRegID); id != "" {
		d.IDs = []hl7.Identifier{{ID: id, Type: "SR"}}
	}
	if g := f.value(fGrade); g != "" {
		if _, err := schoolentry.ParseGrade(g); err != nil {
			errs[fGrade] = "type PK (pre-K), K or a grade from 1 to 12"
		}
	}
	// Validate reports one field at a time: note it, neutralise it in a
	// copy, and ask again, so every wrong field is flagged at once.
	probe := d
	for range nFields {
		if errs[fDOB] != "" {
			probe.BirthDate = now.AddDate(-10, 0, 0)
		}
		err := probe.Validate(now)
		var fe *hl7.FieldError
		if err == nil || !errors.As(err, &fe) {
			break
		}
		i := fieldIndex(fe.Field)
		if i < 0 || errs[i] != "" {
			// A rule on a field the form does not show: say so once.
			other = err.Error()
			break
		}
		errs[i] = fe.Problem
		neutralise(&probe, i, now)
	}
	return d, errs, other
}

func fieldIndex(name string) int {
	for i, s := range fieldSpec {
		if s.name == name {
			return i
		}
	}
	return -1
}

// neutralise gives field i a value Validate accepts.
func neutralise(d *hl7.Demographics, i int, now time.Time) {
	switch i {
	case fLast:
		d.Last = "x"
	case fFirst:
		d.First = "x"
	case fDOB:
		d.BirthDate = now.AddDate(-10, 0, 0)
	case fSex:
		d.Sex = ""
	case fZip:
		d.Address.Zip = ""
	case fPhone:
		d.Phone = ""
	case fRegID:
		d.IDs = nil
	case fMiddle:
		d.Middle = ""
	case fMaiden:
		d.MotherMaidenLast, d.MotherMaidenFirst = "", ""
	case fStreet:
		d.Address.Street = ""
	case fCity:
		d.Address.City = ""
	}
}

// missingOptional names the optional fields still empty: what to add
// when the registry finds too many matches.
func (f formModel) missingOptional() []string {
	var out []string
	for i := fSex; i < nFields; i++ {
		if i != fGrade && f.value(i) == "" {
			out = append(out, fieldSpec[i].name)
		}
	}
	return out
}

// hasInput reports whether anything is typed in the form.
func (f formModel) hasInput() bool {
	for i := range f.inputs {
		if f.inputs[i].Value() != "" {
			return true
		}
	}
	return false
}

// clear empties the form: a new search never shows the previous student.
// The grade goes back to the profile's.
func (f *formModel) clear() {
	for i := range f.inputs {
		f.inputs[i].Reset()
	}
	f.inputs[fGrade].SetValue(f.grade)
	f.errs = [nFields]string{}
	f.message, f.warn = "", false
	f.setFocus(0)
}

// view lays out the form in h lines. When the fields and their reasons
// do not all fit (a small terminal, several wrong fields), the fields
// scroll so the focused one and its reason stay in sight, and the
// message saying why the form came back is always shown whole.
func (f formModel) view(st styles, w, h int) string {
	title := st.title.Render("Find a student") + st.faint.Render("   * required")
	labelW, inW := formLabelW, inputWidth(w)
	var lines []string
	focusFrom, focusTo := 0, 0 // the focused field's lines
	for i := range f.inputs {
		// The focused field scrolls with its cursor; the others show
		// their start, and "…" when there is more.
		box := cell(f.inputs[i].Value(), inW)
		if i == f.focus {
			box = cell(f.inputs[i].View(), inW)
		}
		label := fieldSpec[i].label
		if fieldSpec[i].required {
			label += " *"
		}
		marker := "  "
		ls := st.label
		if i == f.focus {
			marker = st.focused.Render("> ")
			ls = st.focused
			focusFrom = len(lines)
		}
		line := marker + cell(ls.Render(label), labelW) + "[" + box + "]"
		// Hints and errors sit beside the field, never inside it, so an
		// empty field never looks filled in. A reason too long for the
		// room beside the field goes under it: a cut reason ("must be 5
		// digits" without "or ZIP+4") misleads.
		note := ""
		if e := f.errs[i]; e != "" {
			note = st.fieldErr.Render("✗ " + e)
		} else if i == f.full {
			note = st.fieldErr.Render(fmt.Sprintf("at most %d characters: the rest was not typed", fieldSpec[i].limit))
		} else if h := fieldSpec[i].hint; h != "" && i == f.focus {
			note = st.hint.Render(h)
		}
		switch {
		case note == "":
		case lipgloss.Width(line)+1+lipgloss.Width(note) <= w:
			line += " " + note
		default:
			line += "\n" + indentWrap(strings.Repeat(" ", labelW+1), note, w)
		}
		lines = append(lines, strings.Split(line, "\n")...)
		if i == f.focus {
			focusTo = len(lines) - 1
		}
		if i == fGrade {
			lines = append(lines, st.faint.Render("  optional, improves matching:"))
		}
	}
	var bottom string
	if f.message != "" {
		ms := st.statusOK
		if f.warn {
			ms = st.statusErr
		}
		bottom = "\n\n" + ms.Render(wrap(f.message, w-2))
	}
	room := h - 2 // the title and its blank line
	if bottom != "" {
		room -= lipgloss.Height(bottom) - 1 // its first newline ends the last field's line
	}
	if room > 0 && len(lines) > room {
		first := min(max(focusTo-room+1, 0), focusFrom)
		first = min(first, len(lines)-room)
		lines = lines[first : first+room]
	}
	return title + "\n\n" + strings.Join(lines, "\n") + bottom
}
