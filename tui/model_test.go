package tui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
)

func TestTwinsChooseOneThenRecord(t *testing.T) {
	cands := loadResponse(t, "candidates_two.json")
	rec := loadResponse(t, "record_webiz.json")
	reg := &fakeRegistry{find: answer(cands)}
	reg.fetch = func(_ context.Context, p hl7.Patient, _ hl7.Demographics) (*hl7.Response, error) {
		if p.RegistryID != "123456" {
			t.Errorf("fetched candidate %q, want the second one (123456)", p.RegistryID)
		}
		return rec, nil
	}
	m, _ := newTestModel(t, reg)
	m = fillForm(t, m, "Child", "Robert", "05/12/2005")
	m = press(t, m, "enter")
	if m.Screen() != "candidates" {
		t.Fatalf("screen %s after a Z31, want candidates\n%s", m.Screen(), plain(m))
	}
	if len(reg.finds) != 1 || reg.finds[0].Last != "Child" || !reg.finds[0].BirthDate.Equal(time.Date(2005, 5, 12, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("sent %+v", reg.finds)
	}
	v := plain(m)
	mustContain(t, v, "2 students match", "Child, Robert", "05/12/2005", "99445566", "123456")
	if len(reg.fetched) != 0 {
		t.Fatal("a candidate was fetched before the nurse chose")
	}
	m = press(t, m, "down")
	if lines := strings.Split(plain(m), "\n"); !strings.Contains(strings.Join(lines, "\n"), "> Child, Robert") {
		t.Errorf("the chosen row is not marked:\n%s", plain(m))
	}
	m = press(t, m, "enter")
	if m.Screen() != "record" {
		t.Fatalf("screen %s, want record\n%s", m.Screen(), plain(m))
	}
	v = plain(m)
	mustContain(t, v, "BUTTE, DIANTHE MARIAM", "Registry ID 867287", "Born 08/15/2014", "Forecast", "OVERDUE")
	// Esc goes back to the candidates, not the form.
	m = press(t, m, "esc")
	if m.Screen() != "candidates" {
		t.Errorf("Esc from a chosen record went to %s, want candidates", m.Screen())
	}
}

func TestRecordViewContent(t *testing.T) {
	tests := []struct {
		file  string
		wants []string
	}{
		{"record_webiz.json", []string{"BUTTE, DIANTHE MARIAM", "Mother's maiden name Blaine", "44 IVERSEN AVE, DAGGETT, MI 49821",
			"MMR", "Varicella", "08/26/2015", "08/26/2018", "MMRV", "historical", "valid",
			"HepB", "OVERDUE", "08/15/2014", "09/11/2014", "History (2 doses)"}},
		{"record_warning.json", []string{"Registry messages", "WARNING", "Field too long: 16 > 15", "3/WEBIZ-501", "QPD-3.1"}},
		{"record_ig.json", []string{"History (3 doses)"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := loadResponse(t, tt.file)
			for _, w := range []int{80, 120, 200} {
				st := newStyles(true)
				out := ansi.Strip(recordHeader(r, st, min(w, maxRecordWidth), testStart) + "\n" + renderRecord(r, nil, st, w))
				mustContain(t, out, tt.wants...)
				for _, line := range strings.Split(out, "\n") {
					// On a wide terminal the record keeps to a readable width.
					if lw := lipgloss.Width(line); lw > min(w, maxRecordWidth) {
						t.Errorf("width %d: line of %d columns: %q", w, lw, line)
					}
				}
			}
		})
	}
}

func TestHistoryGroupedAndSorted(t *testing.T) {
	r := &hl7.Response{Outcome: hl7.OutcomeRecord, Patients: []hl7.Patient{{Family: "DOE", Given: "JANE", BirthDate: "2015-01-02"}},
		Immunizations: []hl7.Immunization{
			{Date: "2016-03-01", CVX: "20", Vaccine: "DTaP", Evaluations: []hl7.Evaluation{{Group: "DTaP/Tdap/Td", Dose: "2", Valid: "N", Reason: "too soon after the previous dose"}}},
			{Date: "2015-03-01", CVX: "20", Vaccine: "DTaP", Lot: "LOT1", Evaluations: []hl7.Evaluation{{Group: "DTaP/Tdap/Td", Dose: "1", Valid: "Y"}}},
			{Date: "2016-01-10", CVX: "03", Vaccine: "MMR", Status: "RE", Refusal: "parental decision"},
		}}
	out := ansi.Strip(renderRecord(r, nil, newStyles(true), 80))
	d1, d2 := strings.Index(out, "03/01/2015"), strings.Index(out, "03/01/2016")
	if d1 < 0 || d2 < 0 || d1 > d2 {
		t.Errorf("doses not in date order:\n%s", out)
	}
	if strings.Index(out, "DTaP/Tdap/Td") > strings.Index(out, "  MMR") {
		t.Errorf("groups not in order:\n%s", out)
	}
	mustContain(t, out, "NOT VALID", "not valid: too soon after the previous dose", "refused: parental decision", "LOT1",
		"The registry sent no forecast", "History (2 doses, 1 refused or not given)")
}

func TestFormValidation(t *testing.T) {
	tests := []struct {
		name                    string
		last, first, dob, extra string // extra: sex
		field                   int
		want                    string
	}{
		{"all empty", "", "", "", "", fLast, "required"},
		{"no first name", "Doe", "", "01/02/2015", "", fFirst, "required"},
		{"bad date", "Doe", "Jane", "13/45/2015", "", fDOB, "not a real date: there is no month 13"},
		{"future date", "Doe", "Jane", "01/02/2099", "", fDOB, "is in the future"},
		{"bad sex", "Doe", "Jane", "2015-01-02", "X", fSex, "type F, M or U"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &fakeRegistry{find: answer(&hl7.Response{Outcome: hl7.OutcomeNotFound})}
			m, _ := newTestModel(t, reg)
			m = fillForm(t, m, tt.last, tt.first, tt.dob)
			m = press(t, m, "tab")
			m = typeText(t, m, tt.extra)
			m = press(t, m, "enter")
			if reg.findCount() != 0 {
				t.Fatal("invalid demographics were sent")
			}
			if m.Screen() != "form" || !strings.Contains(m.form.errs[tt.field], tt.want) {
				t.Fatalf("field %s error %q, want %q", fieldSpec[tt.field].label, m.form.errs[tt.field], tt.want)
			}
			if m.form.focus != firstErr(m.form.errs) {
				t.Errorf("focus on field %d, want the first wrong one", m.form.focus)
			}
			mustContain(t, plain(m), "✗ "+tt.want, "nothing was sent")
		})
	}
}

func firstErr(errs [nFields]string) int {
	for i, e := range errs {
		if e != "" {
			return i
		}
	}
	return -1
}

// fillZipPhone types zip and phone after fillForm left the focus on the
// date of birth.
func fillZipPhone(t *testing.T, m Model, zip, phone string) Model {
	t.Helper()
	for range fZip - fDOB {
		m = press(t, m, "tab")
	}
	m = typeText(t, m, zip)
	m = press(t, m, "tab")
	return typeText(t, m, phone)
}

func TestFormMarksEveryWrongField(t *testing.T) {
	reg := &fakeRegistry{find: answer(&hl7.Response{Outcome: hl7.OutcomeNotFound})}
	m, _ := newTestModel(t, reg)
	m = fillForm(t, m, "Doe", "", "2015-02-30")
	m = fillZipPhone(t, m, "123", "555")
	m = press(t, m, "enter")
	for _, f := range []int{fFirst, fDOB, fZip, fPhone} {
		if m.form.errs[f] == "" {
			t.Errorf("%s not flagged; errors %q", fieldSpec[f].label, m.form.errs)
		}
	}
	if reg.findCount() != 0 {
		t.Error("sent")
	}
}

func TestFormSendsOptionalFields(t *testing.T) {
	reg := &fakeRegistry{find: answer(&hl7.Response{Outcome: hl7.OutcomeNotFound})}
	m, _ := newTestModel(t, reg)
	m = fillForm(t, m, "Doe", "Jane", "2015-01-02")
	vals := []string{"female", "K", "Ann", "Smith", "1 Main St", "Hartford", "06106", "(860) 555-1234", "867287"}
	for _, v := range vals {
		m = press(t, m, "tab")
		m = typeText(t, m, v)
	}
	m = press(t, m, "enter")
	if reg.findCount() != 1 {
		t.Fatalf("%d queries sent", reg.findCount())
	}
	d := reg.finds[0]
	if d.Sex != "F" || d.Middle != "Ann" || d.MotherMaidenLast != "Smith" || d.Address.Street != "1 Main St" || d.Address.City != "Hartford" ||
		d.Address.Zip != "06106" || d.Phone != "(860) 555-1234" || len(d.IDs) != 1 || d.IDs[0].ID != "867287" || d.IDs[0].Type != "SR" {
		t.Errorf("sent %+v", d)
	}
}

// The mother's maiden name is read as the command line reads
// --mother-maiden: "LAST, FIRST" goes as two components, so the registry
// compares the last name with its own (issue 11.5).
func TestMotherMaidenNameIsSplitAsOnTheCommandLine(t *testing.T) {
	tests := []struct{ typed, last, first string }{
		{"Reyes, Maria", "Reyes", "Maria"},
		{"Reyes", "Reyes", ""},
		{" de la Cruz ,Ana Maria", "de la Cruz", "Ana Maria"},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			reg := &fakeRegistry{find: answer(&hl7.Response{Outcome: hl7.OutcomeNotFound})}
			m, _ := newTestModel(t, reg)
			m = fillForm(t, m, "Sandoval", "Maya", "04/12/2008")
			m = press(t, m, "tab", "tab", "tab", "tab")
			m = typeText(t, m, tt.typed)
			m = press(t, m, "enter")
			if reg.findCount() != 1 {
				t.Fatalf("%d queries sent\n%s", reg.findCount(), plain(m))
			}
			if d := reg.finds[0]; d.MotherMaidenLast != tt.last || d.MotherMaidenFirst != tt.first {
				t.Errorf("sent maiden name %q, %q; want %q, %q", d.MotherMaidenLast, d.MotherMaidenFirst, tt.last, tt.first)
			}
		})
	}
}

// One candidate is "1 student matches", "1 possible student" (issue 11.10).
func TestCandidateCountsReadAsEnglish(t *testing.T) {
	two := loadResponse(t, "candidates_two.json")
	one := *two
	one.Patients = two.Patients[:1]
	tests := []struct {
		resp        *hl7.Response
		title, stat string
	}{
		{&one, "1 student matches", "1 possible student: choose the right one."},
		{two, "2 students match", "2 possible students: choose the right one."},
	}
	for _, tt := range tests {
		m, _ := newTestModel(t, &fakeRegistry{find: answer(tt.resp)})
		m = fillForm(t, m, "Child", "Robert", "05/12/2005")
		m = press(t, m, "enter")
		v := plain(m)
		mustContain(t, v, tt.title)
		if m.status != tt.stat {
			t.Errorf("status %q, want %q", m.status, tt.stat)
		}
		mustNotContain(t, v, "1 students", "1 possible students")
	}
}

func TestNotFoundAndTooManyKeepTheForm(t *testing.T) {
	tests := []struct {
		outcome hl7.Outcome
		wants   []string
	}{
		{hl7.OutcomeNotFound, []string{"No student matches", "born out of state", "opted out", "spelling"}},
		{hl7.OutcomeTooMany, []string{"Too many students match", "Add sex, middle name, mother's maiden name"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.outcome), func(t *testing.T) {
			reg := &fakeRegistry{find: answer(&hl7.Response{Outcome: tt.outcome})}
			m, _ := newTestModel(t, reg)
			m = fillForm(t, m, "Smith", "John", "01/02/2015")
			m = press(t, m, "enter")
			if m.Screen() != "form" {
				t.Fatalf("screen %s", m.Screen())
			}
			if got := m.form.value(fLast); got != "Smith" {
				t.Errorf("last name %q after %s, want it kept", got, tt.outcome)
			}
			mustContain(t, plain(m), tt.wants...)
		})
	}
}

func TestEscCancelsTheQueryAtOnce(t *testing.T) {
	cancelled := make(chan error, 1)
	reg := &fakeRegistry{find: func(ctx context.Context, _ hl7.Demographics) (*hl7.Response, error) {
		<-ctx.Done()
		cancelled <- ctx.Err()
		return nil, ctx.Err()
	}}
	m, clk := newTestModel(t, reg)
	m = fillForm(t, m, "Slow", "Sam", "01/02/2015")
	next, cmd := m.Update(keyMsg("enter"))
	m = next.(Model)
	if m.Screen() != "loading" {
		t.Fatalf("screen %s", m.Screen())
	}
	late := make(chan []tea.Msg, 1)
	go func() { late <- results(cmd, 5*time.Second) }()
	clk.add(3 * time.Second)
	m = update(t, m, m.loading.spin.Tick())
	mustContain(t, plain(m), "Searching CT WiZ", "3s", "Esc to cancel")

	m = update(t, m, keyMsg("esc"))
	if m.Screen() != "form" {
		t.Fatalf("screen %s after Esc", m.Screen())
	}
	select {
	case err := <-cancelled:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("query ended with %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the query's context was not cancelled")
	}
	if m.form.value(fLast) != "Slow" || m.form.value(fDOB) != "01/02/2015" {
		t.Error("the form lost what was typed")
	}
	mustContain(t, plain(m), "Search cancelled")
	// The cancelled query's answer arrives late and is ignored.
	for _, msg := range <-late {
		m = update(t, m, msg)
	}
	if m.Screen() != "form" {
		t.Errorf("a cancelled query's answer moved the screen to %s", m.Screen())
	}
}

func TestRegistryRejectionShowsItsErrors(t *testing.T) {
	resp := &hl7.Response{Outcome: hl7.OutcomeRejected, Errors: []hl7.RegistryError{{Severity: "E", Code: "101", Location: "QPD-6", Message: "Birth date is required"}}}
	reg := &fakeRegistry{find: answer(resp)}
	m, _ := newTestModel(t, reg)
	m = fillForm(t, m, "Doe", "Jane", "01/02/2015")
	m = press(t, m, "enter")
	if m.Screen() != "error" {
		t.Fatalf("screen %s", m.Screen())
	}
	mustContain(t, plain(m), "rejected the query", "Birth date is required", "QPD-6")
	m = press(t, m, "enter")
	if m.Screen() != "form" || m.form.value(fLast) != "Doe" {
		t.Errorf("back went to %s", m.Screen())
	}
}

func TestNetworkErrorOffersRetry(t *testing.T) {
	calls := 0
	reg := &fakeRegistry{}
	reg.find = func(context.Context, hl7.Demographics) (*hl7.Response, error) {
		calls++
		if calls == 1 {
			return nil, context.DeadlineExceeded
		}
		return loadResponse(t, "record_webiz.json"), nil
	}
	m, _ := newTestModel(t, reg)
	m = fillForm(t, m, "Doe", "Jane", "01/02/2015")
	m = press(t, m, "enter")
	if m.Screen() != "error" {
		t.Fatalf("screen %s", m.Screen())
	}
	mustContain(t, plain(m), "did not answer in time", "r to try again")
	m = press(t, m, "r")
	if m.Screen() != "record" {
		t.Errorf("retry went to %s", m.Screen())
	}
}

func TestIdleLockDropsPatientData(t *testing.T) {
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, clk := newTestModel(t, reg, func(o *Options) { o.IdleLock = 5 * time.Minute })
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter")
	if m.Screen() != "record" {
		t.Fatalf("screen %s", m.Screen())
	}
	clk.add(4 * time.Minute)
	m = update(t, m, idleCheckMsg{})
	if m.Screen() != "record" {
		t.Fatal("locked before the idle time")
	}
	clk.add(time.Minute)
	m = update(t, m, idleCheckMsg{})
	if m.Screen() != "lock" {
		t.Fatalf("screen %s after 5 idle minutes", m.Screen())
	}
	if m.record.resp != nil || m.demo.Last != "" || m.form.value(fLast) != "" || m.cands.patients != nil {
		t.Error("patient data kept after the lock")
	}
	v := plain(m)
	mustContain(t, v, "Locked after 5 minutes without activity", "cleared")
	mustNotContain(t, v, "BUTTE", "DIANTHE", "Butte", "08/15/2014")
}

// TestIdleOnTheLoginScreenDropsTheSearch: after a refused sign-in the
// search waits behind the login screen; left idle, it is dropped as the
// lock would drop it.
func TestIdleOnTheLoginScreenDropsTheSearch(t *testing.T) {
	authErr := &query.Error{Kind: query.KindAuth, Err: errors.New("SecurityFault")}
	reg := &fakeRegistry{find: func(context.Context, hl7.Demographics) (*hl7.Response, error) { return nil, authErr }}
	m, clk := newTestModel(t, reg, func(o *Options) {
		o.IdleLock = 5 * time.Minute
		o.Connect = func(credentials.Credentials) (Registry, error) { return reg, nil }
	})
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter")
	if m.Screen() != "login" || m.form.value(fLast) != "Butte" {
		t.Fatalf("screen %s, form %q: want the login with the search kept", m.Screen(), m.form.value(fLast))
	}
	m = typeText(t, m, "half-typ")
	clk.add(4 * time.Minute)
	m = update(t, m, idleCheckMsg{})
	if m.form.value(fLast) != "Butte" {
		t.Fatal("the search was dropped before the idle time")
	}
	clk.add(time.Minute)
	m = update(t, m, idleCheckMsg{})
	if m.Screen() != "login" {
		t.Errorf("screen %s, want the login screen still", m.Screen())
	}
	if m.form.hasInput() || m.demo.Last != "" || m.login.inputs[lPassword].Value() != "" {
		t.Errorf("after the idle time: form %v, demographics %q, password kept %v",
			m.form.hasInput(), m.demo.Last, m.login.inputs[lPassword].Value() != "")
	}
	if m.login.inputs[lUser].Value() != "nurse.one" {
		t.Error("the username went too: she would have to type it again for nothing")
	}
}

func TestKeyPressesPostponeTheLock(t *testing.T) {
	m, clk := newTestModel(t, &fakeRegistry{}, func(o *Options) { o.IdleLock = time.Minute })
	clk.add(50 * time.Second)
	m = press(t, m, "a")
	clk.add(50 * time.Second)
	m = update(t, m, idleCheckMsg{})
	if m.Screen() == "lock" {
		t.Error("locked although a key was pressed 50s ago")
	}
	m = press(t, m, "ctrl+l")
	if m.Screen() != "lock" {
		t.Error("ctrl+l did not lock")
	}
}

func TestNewSearchClearsTheStudent(t *testing.T) {
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, _ := newTestModel(t, reg)
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter", "n")
	if m.Screen() != "form" || m.form.value(fLast) != "" || m.record.resp != nil {
		t.Errorf("n: screen %s, form %q", m.Screen(), m.form.value(fLast))
	}
}

// TestFieldReasonsAreNeverCut: a reason too long to sit beside its field
// goes under it, and on a small terminal the fields scroll so the focused
// one's reason and the form's message are in sight.
func TestFieldReasonsAreNeverCut(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			reg := &fakeRegistry{find: answer(&hl7.Response{Outcome: hl7.OutcomeNotFound})}
			m, _ := newTestModel(t, reg)
			m = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m = fillForm(t, m, "Doe", "Jane", "13/45/2016")
			m = fillZipPhone(t, m, "123", "555")
			m = press(t, m, "enter")
			reasons := map[int]string{
				fDOB:   "not a real date: there is no month 13 (the month comes first); accepted: YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for 2004-2027",
				fZip:   "must be 5 digits or ZIP+4",
				fPhone: "must have 10 digits (area code and number)",
			}
			for f, want := range reasons {
				if m.form.errs[f] != want {
					t.Fatalf("%s: error %q, want %q", fieldSpec[f].label, m.form.errs[f], want)
				}
			}
			for _, f := range []int{fDOB, fZip, fPhone} {
				for m.form.focus != f {
					m = press(t, m, "tab")
				}
				v := plain(m)
				if got := strings.Count(v, "\n") + 1; got != size[1] {
					t.Errorf("%d lines, want %d", got, size[1])
				}
				// The reason may wrap: compare the words.
				if !strings.Contains(strings.Join(strings.Fields(v), " "), "✗ "+reasons[f]) {
					t.Errorf("%s focused: reason %q not whole on screen:\n%s", fieldSpec[f].label, reasons[f], v)
				}
				mustContain(t, v, "> "+fieldSpec[f].label, "Please correct the marked fields: nothing was sent.")
			}
		})
	}
}

// TestNarrowTerminalKeepsTheEssentials: on a narrow terminal the header
// keeps the user and facility whole, the footer keeps "? more keys" and
// "q quit", and a long status message wraps rather than being cut.
func TestNarrowTerminalKeepsTheEssentials(t *testing.T) {
	const warning = "Signed in for this session only: cannot store credentials: no Secret Service keychain is running: start the desktop's keyring"
	tests := []struct {
		width               int
		header, notInHeader []string
		footer, notInFooter []string
	}{
		{100, []string{"profile school-nurse-office", "user nurse.one · facility SCH001"}, nil,
			[]string{"scroll", "? more keys", "q quit"}, nil},
		{60, []string{"SANDBOX", "user nurse.one · facility SCH001"}, []string{"profile"},
			[]string{"p print", "? more keys", "q quit"}, []string{"scroll", "…"}},
		{40, []string{"SANDBOX", "nurse.one · SCH001"}, []string{"profile", "user"},
			[]string{"p print", "? more keys", "q quit"}, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.width), func(t *testing.T) {
			reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
			m, _ := newTestModel(t, reg, func(o *Options) { o.Profile = "school-nurse-office" })
			m = update(t, m, tea.WindowSizeMsg{Width: tt.width, Height: 24})
			m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
			m = press(t, m, "enter")
			lines := strings.Split(plain(m), "\n")
			header, footer := lines[0], lines[len(lines)-1]
			mustContain(t, header, tt.header...)
			mustNotContain(t, header, tt.notInHeader...)
			mustContain(t, footer, tt.footer...)
			mustNotContain(t, footer, tt.notInFooter...)

			if tt.width < 60 {
				return // three lines of status cannot hold it
			}
			m.setStatus(statusWarn, warning)
			m = update(t, m, tea.WindowSizeMsg{Width: tt.width, Height: 24})
			v := plain(m)
			if !strings.Contains(strings.Join(strings.Fields(v), " "), warning) {
				t.Errorf("the status message is cut:\n%s", v)
			}
			if got := len(strings.Split(v, "\n")); got != 24 {
				t.Errorf("%d lines, want 24", got)
			}
			for _, l := range strings.Split(v, "\n") {
				if lipgloss.Width(l) > tt.width {
					t.Errorf("line of %d columns: %q", lipgloss.Width(l), l)
				}
			}
		})
	}
}

func TestResizeKeepsTheScreenInside(t *testing.T) {
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, _ := newTestModel(t, reg)
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter")
	for _, size := range [][2]int{{80, 24}, {100, 30}, {60, 20}, {132, 50}} {
		m = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v := plain(m)
		lines := strings.Split(v, "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		for _, l := range lines {
			if lipgloss.Width(l) > size[0] {
				t.Errorf("%dx%d: line of %d columns: %q", size[0], size[1], lipgloss.Width(l), l)
			}
		}
		if size[0] >= 80 {
			mustContain(t, v, "SANDBOX", "OVERDUE")
		}
	}
}

func TestHeaderHelpAndQuit(t *testing.T) {
	m, _ := newTestModel(t, &fakeRegistry{}, func(o *Options) { o.Environment = "PRODUCTION"; o.Profile = "ctwiz" })
	v := plain(m)
	mustContain(t, v, "PRODUCTION", "profile ctwiz", "user nurse.one", "facility SCH001", "tab next field", "enter search")
	m = press(t, m, "?")
	mustContain(t, plain(m), "ctrl+l lock now", "shift+tab previous field", "fewer keys")
	if m.form.value(fLast) != "" {
		t.Error("? was typed into the form")
	}
	// q is a letter in the form, a command elsewhere.
	m = press(t, m, "q")
	if m.form.value(fLast) != "q" {
		t.Errorf("q in the form: %q", m.form.value(fLast))
	}
	if _, cmd := m.Update(keyMsg("ctrl+c")); cmd == nil || cmd() != tea.Quit() {
		t.Error("ctrl+c does not quit")
	}
	// On the lock screen q belongs to the password; ctrl+c quits.
	m = press(t, m, "ctrl+l", "q")
	if m.Screen() != "lock" || m.lock.password.Value() != "q" {
		t.Errorf("q on the lock screen: screen %s, typed %q", m.Screen(), m.lock.password.Value())
	}
	if _, cmd := m.Update(keyMsg("ctrl+c")); cmd == nil || cmd() != tea.Quit() {
		t.Error("ctrl+c does not quit the lock screen")
	}
}

func TestNoColorWritesNoColours(t *testing.T) {
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	for _, noColor := range []bool{true, false} {
		m, _ := newTestModel(t, reg, func(o *Options) { o.NoColor = noColor })
		m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
		m = press(t, m, "enter")
		raw := m.View().Content
		hasColour := strings.Contains(raw, "\x1b[31") || strings.Contains(raw, "\x1b[34") || strings.Contains(raw, "\x1b[44") ||
			strings.Contains(raw, "38;") || strings.Contains(raw, "48;")
		if noColor && hasColour {
			t.Errorf("NO_COLOR view has colour codes: %q", raw)
		}
		if !noColor && !hasColour {
			t.Errorf("colour view has no colour")
		}
		mustContain(t, ansi.Strip(raw), "OVERDUE", "SANDBOX", "Upcoming")
	}
}

func TestPrintMenu(t *testing.T) {
	tests := []struct {
		keys   []string
		call   string
		status string
	}{
		{[]string{"p", "p", "enter"}, "print 1", "Sent to printer office."},
		{[]string{"p", "v"}, "view", "Opened in the PDF viewer."},
		{[]string{"p", "s", "enter"}, "save BUTTE-DIANTHE-immunizations.pdf", "Saved BUTTE-DIANTHE-immunizations.pdf."},
	}
	for _, tt := range tests {
		t.Run(tt.call, func(t *testing.T) {
			pr := &fakePrinter{}
			reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
			m, _ := newTestModel(t, reg, func(o *Options) { o.Printer = pr })
			m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
			m = press(t, m, "enter", "p")
			mustContain(t, plain(m), "Print this record:", "v viewer", "s save to file")
			m = press(t, m, tt.keys[1:]...)
			if len(pr.calls) != 1 || pr.calls[0] != tt.call {
				t.Errorf("printer calls %q, want %q", pr.calls, tt.call)
			}
			mustContain(t, plain(m), tt.status)
			if m.Screen() != "record" {
				t.Errorf("screen %s after printing", m.Screen())
			}
		})
	}
}

func TestSaveAsFileNameIsTyped(t *testing.T) {
	pr := &fakePrinter{}
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, _ := newTestModel(t, reg, func(o *Options) { o.Printer = pr })
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter", "p", "s")
	mustContain(t, plain(m), "Save as: BUTTE-DIANTHE-immunizations.pdf", "enter save", "esc cancel")
	mustNotContain(t, plain(m), "v viewer") // the print menu's keys no longer apply
	m = press(t, m, "ctrl+u")
	m = typeText(t, m, "q?n.pdf") // letters that are commands elsewhere
	m = press(t, m, "enter")
	if len(pr.calls) != 1 || pr.calls[0] != "save q?n.pdf" {
		t.Errorf("calls %q", pr.calls)
	}
}

// TestSaveAsksBeforeReplacing: a name already used (another student's
// record, perhaps) is replaced only after a second Enter on that name.
func TestSaveAsksBeforeReplacing(t *testing.T) {
	const name = "BUTTE-DIANTHE-immunizations.pdf"
	tests := []struct {
		name  string
		then  func(t *testing.T, m Model) Model
		calls []string
	}{
		{"enter again replaces", func(t *testing.T, m Model) Model { return press(t, m, "enter") },
			[]string{"refused " + name, "replace " + name}},
		{"another name is saved", func(t *testing.T, m Model) Model {
			m = press(t, m, "ctrl+u")
			m = typeText(t, m, "other.pdf")
			return press(t, m, "enter")
		}, []string{"refused " + name, "save other.pdf"}},
		{"esc saves nothing", func(t *testing.T, m Model) Model { return press(t, m, "esc") },
			[]string{"refused " + name}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := &fakePrinter{exists: map[string]bool{name: true}}
			reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
			m, _ := newTestModel(t, reg, func(o *Options) { o.Printer = pr })
			m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
			m = press(t, m, "enter", "p", "s", "enter")
			mustContain(t, plain(m), "Save as: "+name, name+" already exists: press Enter again to replace it")
			m = tt.then(t, m)
			if !slices.Equal(pr.calls, tt.calls) {
				t.Errorf("printer calls %q, want %q", pr.calls, tt.calls)
			}
			mustNotContain(t, plain(m), "already exists")
		})
	}
}

func TestFullHelpLeavesTheRecordsEndVisible(t *testing.T) {
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, _ := newTestModel(t, reg)
	m = press(t, m, "?")
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter", "G")
	v := plain(m)
	content := strings.Split(strings.TrimRight(ansi.Strip(renderRecord(m.record.resp, nil, m.st, 80)), "\n"), "\n")
	last := strings.TrimSpace(content[len(content)-1])
	mustContain(t, v, "end of the record", last, "home/g")
	if n := len(strings.Split(v, "\n")); n != 24 {
		t.Errorf("%d lines", n)
	}
}

func TestLockDuringAQueryCancelsIt(t *testing.T) {
	cancelled := make(chan struct{})
	reg := &fakeRegistry{find: func(ctx context.Context, _ hl7.Demographics) (*hl7.Response, error) {
		<-ctx.Done()
		close(cancelled)
		return loadResponse(t, "record_webiz.json"), nil // an answer that comes too late
	}}
	m, _ := newTestModel(t, reg)
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	next, cmd := m.Update(keyMsg("enter"))
	m = next.(Model)
	late := make(chan []tea.Msg, 1)
	go func() { late <- results(cmd, 5*time.Second) }()
	m = press(t, m, "ctrl+l")
	select {
	case <-cancelled:
	case <-time.After(2 * time.Second):
		t.Fatal("the lock did not cancel the query")
	}
	for _, msg := range <-late {
		m = update(t, m, msg)
	}
	if m.Screen() != "lock" || m.record.resp != nil {
		t.Errorf("a query answered after the lock showed: screen %s", m.Screen())
	}
}

type failingPrinter struct{ *fakePrinter }

func (failingPrinter) Print(context.Context, *hl7.Response, printout.Info, int) (string, error) {
	return "", printout.ErrNoCUPS
}

func TestPrintFailureInTheStatusLine(t *testing.T) {
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, _ := newTestModel(t, reg, func(o *Options) { o.Printer = failingPrinter{&fakePrinter{}} })
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter", "p", "p", "enter")
	mustContain(t, plain(m), "Printing failed: printing needs CUPS")
	if m.Screen() != "record" {
		t.Errorf("screen %s", m.Screen())
	}
	// A launcher's message over several lines stays in the status line.
	m = update(t, m, printDoneMsg{err: errors.New("the viewer said:\nline one\n\nline two")})
	mustContain(t, plain(m), "Printing failed: the viewer said: line one line two")
}

// TestNarrowTerminalsCutNoDate: below the width the columns need, the
// record stacks its rows rather than cut a date or a status.
func TestNarrowTerminalsCutNoDate(t *testing.T) {
	r := bigRecord(30)
	var dates []string
	for _, im := range r.Immunizations {
		dates = append(dates, usDate(im.Date))
	}
	for _, f := range r.Forecast {
		dates = append(dates, usDate(f.Earliest), usDate(f.Due), usDate(f.Overdue))
	}
	for _, w := range []int{80, 64, 50, 40} {
		out := ansi.Strip(renderRecord(r, nil, newStyles(true), w))
		for _, l := range strings.Split(out, "\n") {
			if lipgloss.Width(l) > w {
				t.Errorf("width %d: line of %d columns: %q", w, lipgloss.Width(l), l)
			}
		}
		mustContain(t, out, dates...)
		mustContain(t, out, "OVERDUE", "DUE NOW", "Upcoming", "Complete: ", "NOT VALID")
	}
}

func TestCandidatesAdaptToWidthAndKeepTheChoice(t *testing.T) {
	reg := &fakeRegistry{find: answer(loadResponse(t, "candidates_two.json"))}
	reg.fetch = func(context.Context, hl7.Patient, hl7.Demographics) (*hl7.Response, error) {
		return loadResponse(t, "record_webiz.json"), nil
	}
	m, _ := newTestModel(t, reg)
	m = fillForm(t, m, "Child", "Robert", "05/12/2005")
	m = press(t, m, "enter", "down")
	for _, w := range []int{200, 120, 80, 60} {
		m = update(t, m, tea.WindowSizeMsg{Width: w, Height: 24})
		v := plain(m)
		mustContain(t, v, "> Child, Robert", "99445566", "123456", "05/12/2005")
		if w < 80 && strings.Contains(v, "Address") {
			t.Errorf("width %d still shows the address column", w)
		}
		if w >= 120 {
			// Room for the whole title, and the ID near the rest of the row.
			mustContain(t, v, "Mother's maiden")
			for _, l := range strings.Split(v, "\n") {
				if i := strings.Index(l, "Registry ID"); i > 100 {
					t.Errorf("width %d: the registry ID column starts at %d", w, i)
				}
			}
		}
		for _, l := range strings.Split(v, "\n") {
			if lipgloss.Width(l) > w {
				t.Errorf("width %d: %q", w, l)
			}
		}
	}
	m = press(t, m, "enter")
	if len(reg.fetched) != 1 || reg.fetched[0].RegistryID != "123456" {
		t.Errorf("after resizing, fetched %+v", reg.fetched)
	}
}
