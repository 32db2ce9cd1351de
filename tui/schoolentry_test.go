package tui

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
)

// searchWithGrade fills the form (last, first, date of birth), types
// grade into the Grade field, and searches.
func searchWithGrade(t *testing.T, m Model, last, first, dob, grade string) Model {
	t.Helper()
	m = fillForm(t, m, last, first, dob)
	m = press(t, m, "tab", "tab", "ctrl+u") // sex, grade
	m = typeText(t, m, grade)
	return press(t, m, "enter")
}

// content is the whole record as laid out for the screen's width, without
// styling: what scrolling would show.
func content(m Model) string {
	return ansi.Strip(renderRecord(m.record.resp, m.record.school, m.st, m.width))
}

// kindergartner is a record of a student born 2021-03-10 (5 years old on
// testStart, so Hib and pneumococcal are not asked) with every
// kindergarten requirement met, and the HepA doses given as hepA.
func kindergartner(hepA ...string) *hl7.Response {
	r := &hl7.Response{Outcome: hl7.OutcomeRecord, Profile: "Z42",
		Patients: []hl7.Patient{{Family: "KIM", Given: "Jae", BirthDate: "2021-03-10", Sex: "M", RegistryID: "9000099"}}}
	doses := map[string][]string{
		"08": {"2021-03-10", "2021-05-10", "2021-09-10"},                             // HepB
		"20": {"2021-05-10", "2021-07-10", "2021-09-10", "2022-06-10", "2025-03-10"}, // DTaP
		"10": {"2021-05-10", "2021-07-10", "2021-09-10", "2025-03-10"},               // IPV
		"03": {"2022-03-10", "2025-03-10"},                                           // MMR
		"21": {"2022-03-10", "2025-03-10"},                                           // varicella
		"83": hepA,
	}
	for cvx, dates := range doses {
		for _, d := range dates {
			r.Immunizations = append(r.Immunizations, hl7.Immunization{Date: d, CVX: cvx, Status: "CP"})
		}
	}
	return r
}

// TestSchoolEntryOnTheRecord: with a grade typed in the form, the record
// opens with the School entry section above the forecast: the overall
// status as a badge word, the label, one line per requirement in words a
// nurse can say to a parent, and the documents that could meet what is
// not met.
func TestSchoolEntryOnTheRecord(t *testing.T) {
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, _ := newTestModel(t, reg)
	m = searchWithGrade(t, m, "Butte", "Dianthe", "08/15/2014", "7")
	if m.Screen() != "record" {
		t.Fatalf("screen %s:\n%s", m.Screen(), plain(m))
	}
	// What the first screen shows at 80x24.
	first := plain(m)
	mustContain(t, first, "School entry, grade 7, 2026-27   NOT COMPLIANT", "DTaP/Tdap/Td MISSING")
	mustContain(t, strings.Join(strings.Fields(first), " "),
		"checked by ctwiz-nurse against the CT DPH requirements for 2026-27; not an official determination")
	c := content(m)
	school, forecast := strings.Index(c, "School entry"), strings.Index(c, "Forecast")
	if school < 0 || forecast < school {
		t.Fatalf("the section (at %d) is not above the forecast (at %d):\n%s", school, forecast, c)
	}
	words := strings.Join(strings.Fields(c[school:forecast]), " ")
	for _, want := range []string{
		"DTaP/Tdap/Td MISSING 4 or more doses, the last on or after the 4th birthday needed for grade 7; none recorded; the next dose can be given now",
		"Tdap MISSING 1 dose of Tdap on or after the 7th birthday needed for grade 7; none recorded",
		"MMR met for grade 7 (2015-08-26, 2018-08-26)",
		"Varicella met for grade 7",
		"HepB MISSING 3 doses, the last at 24 weeks of age or older needed for grade 7",
		"MenACWY MISSING 1 dose of MenACWY needed for grade 7",
		"Could also be met by lab proof of immunity, or a medical exemption, or a religious exemption on file before 28 April 2021.",
		"Could also be met by a medical exemption, or a religious exemption on file before 28 April 2021.",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("the section lacks %q:\n%s", want, c[school:forecast])
		}
	}
	if strings.Contains(words, "Hib") || strings.Contains(words, "Influenza") {
		t.Errorf("a requirement that does not apply to grade 7 is listed:\n%s", c[school:forecast])
	}
	// A met requirement names no document.
	for _, l := range strings.Split(c[school:forecast], "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "MMR") && strings.Contains(l, "Could also") {
			t.Errorf("a met requirement names documents: %q", l)
		}
	}
}

// TestSchoolEntryBadgeWords: the overall status is one badge word, and
// each requirement's status its own word, for the three outcomes.
func TestSchoolEntryBadgeWords(t *testing.T) {
	tests := []struct {
		name   string
		resp   *hl7.Response
		badge  string
		line   string // a requirement's line, its words joined by single spaces
		absent string
	}{
		{"every requirement met", kindergartner("2022-03-10", "2022-09-10"), "COMPLIANT",
			"HepA met for kindergarten (2022-03-10, 2022-09-10)", "NOT COMPLIANT"},
		{"the second HepA cannot be given yet", kindergartner("2026-08-01"), "IN PROCESS",
			"HepA IN PROCESS 2 doses at least 6 months apart, the first on or after the 1st birthday needed for kindergarten; 1 dose counts (2026-08-01); the next dose can be given from 2027-02-01",
			"NOT COMPLIANT"},
		{"no HepA", kindergartner(), "NOT COMPLIANT",
			"HepA MISSING 2 doses at least 6 months apart, the first on or after the 1st birthday needed for kindergarten; none recorded; the next dose can be given now",
			"IN PROCESS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &fakeRegistry{find: answer(tt.resp)}
			m, _ := newTestModel(t, reg)
			m = searchWithGrade(t, m, "Kim", "Jae", "03/10/2021", "K")
			mustContain(t, plain(m), "School entry, kindergarten, 2026-27   "+tt.badge)
			words := strings.Join(strings.Fields(content(m)), " ")
			if !strings.Contains(words, tt.line) {
				t.Errorf("the section lacks %q:\n%s", tt.line, content(m))
			}
			if strings.Contains(words, tt.absent) {
				t.Errorf("the section says %q:\n%s", tt.absent, content(m))
			}
			if strings.Contains(words, "Hib") || strings.Contains(words, "Pneumococcal") {
				t.Errorf("Hib or pneumococcal asked of a 5-year-old:\n%s", content(m))
			}
		})
	}
}

// TestSchoolEntryColours: the badge and the statuses carry colour when
// colour is on, and the words stay the same without it (NO_COLOR loses
// no meaning).
func TestSchoolEntryColours(t *testing.T) {
	reg := &fakeRegistry{find: answer(kindergartner())}
	m, _ := newTestModel(t, reg, func(o *Options) { o.NoColor = false })
	m = searchWithGrade(t, m, "Kim", "Jae", "03/10/2021", "K")
	raw := renderRecord(m.record.resp, m.record.school, m.st, 80)
	if !strings.Contains(raw, m.st.schoolBadge["not_compliant"].Render("NOT COMPLIANT")) ||
		!strings.Contains(raw, m.st.requirement["missing"].Render("MISSING")) {
		t.Errorf("the badge or a status is not styled:\n%q", raw)
	}
	if m.st.requirement["missing"].Render("MISSING") == "MISSING" {
		t.Error("MISSING has no style with colour on")
	}
}

// TestNoGradeNoSection: without a grade there is no check and no
// section, on screen or on paper.
func TestNoGradeNoSection(t *testing.T) {
	pr := &infoPrinter{}
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, _ := newTestModel(t, reg, func(o *Options) { o.Printer = pr })
	m = fillForm(t, m, "Butte", "Dianthe", "08/15/2014")
	m = press(t, m, "enter")
	if m.Screen() != "record" || m.record.school != nil || strings.Contains(content(m), "School entry") {
		t.Fatalf("a section without a grade:\n%s", content(m))
	}
	press(t, m, "p", "v")
	if pr.info.SchoolEntry != nil {
		t.Error("the paper has a school-entry section without a grade")
	}
}

// infoPrinter keeps the printout.Info the interface printed with.
type infoPrinter struct {
	fakePrinter
	info printout.Info
}

func (p *infoPrinter) View(ctx context.Context, r *hl7.Response, info printout.Info) (string, error) {
	p.info = info
	return p.fakePrinter.View(ctx, r, info)
}

// TestGradeField: the Grade field takes what a nurse types (PK, pre-K, K,
// KG, 1-12, 01); anything else is refused with the reason, and nothing
// is sent.
func TestGradeField(t *testing.T) {
	tests := []struct {
		typed, heading, reason string
	}{
		{"pre-K", "School entry, pre-K,", ""},
		{"pk", "School entry, pre-K,", ""},
		{"kg", "School entry, kindergarten,", ""},
		{"07", "School entry, grade 7,", ""},
		{"12", "School entry, grade 12,", ""},
		{"13", "", "type PK (pre-K), K or a grade from 1 to 12"},
		{"first", "", "type PK (pre-K), K or a grade from 1 to 12"},
		{"0", "", "type PK (pre-K), K or a grade from 1 to 12"},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
			m, _ := newTestModel(t, reg)
			m = searchWithGrade(t, m, "Butte", "Dianthe", "08/15/2014", tt.typed)
			if tt.reason == "" {
				mustContain(t, plain(m), tt.heading)
				return
			}
			if reg.findCount() != 0 || m.Screen() != "form" || m.form.focus != fGrade {
				t.Fatalf("%d sent, screen %s, focus %d:\n%s", reg.findCount(), m.Screen(), m.form.focus, plain(m))
			}
			mustContain(t, plain(m), "✗ "+tt.reason, "nothing was sent")
			// Fixing it takes the reason away.
			m = press(t, m, "ctrl+u")
			m = typeText(t, m, "K")
			mustNotContain(t, plain(m), tt.reason)
		})
	}
}

// TestProfileGrade: the profile's default grade is in the Grade field
// when the form opens, and again after a new search; the nurse may change
// it for one student or empty it for no check.
func TestProfileGrade(t *testing.T) {
	reg := &fakeRegistry{find: answer(kindergartner())}
	m, _ := newTestModel(t, reg, func(o *Options) { o.Grade = "kindergarten" })
	if v := m.form.inputs[fGrade].Value(); v != "K" {
		t.Fatalf("the Grade field holds %q, want the profile's K", v)
	}
	mustContain(t, plain(m), "Grade                 [K ")
	m = fillForm(t, m, "Kim", "Jae", "03/10/2021")
	m = press(t, m, "enter")
	mustContain(t, plain(m), "School entry, kindergarten, 2026-27   NOT COMPLIANT")

	m = press(t, m, "n") // a new search: the profile's grade again
	if v := m.form.inputs[fGrade].Value(); v != "K" {
		t.Fatalf("after a new search the Grade field holds %q, want K", v)
	}
	m = searchWithGrade(t, m, "Kim", "Jae", "03/10/2021", "1")
	mustContain(t, plain(m), "School entry, grade 1, 2026-27")

	m = press(t, m, "n")
	m = searchWithGrade(t, m, "Kim", "Jae", "03/10/2021", "")
	if m.record.school != nil || strings.Contains(content(m), "School entry") {
		t.Errorf("an emptied Grade field still checks:\n%s", content(m))
	}
}

// TestSchoolEntryCheckDay: the check is as of today (the clock), or the
// day Options.CheckDay fixes (the sandbox's today); a day whose school
// year has no rules says so in the section instead of a status.
func TestSchoolEntryCheckDay(t *testing.T) {
	tests := []struct {
		name     string
		checkDay time.Time
		want     string
	}{
		{"today", time.Time{}, "School entry, kindergarten, 2026-27"},
		{"the sandbox's today", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), "School entry, kindergarten, 2025-26"},
		{"a school year without rules", time.Date(2030, 9, 1, 0, 0, 0, 0, time.UTC),
			"Not checked: no Connecticut school-entry rules for the 2030-31 school year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &fakeRegistry{find: answer(kindergartner())}
			m, _ := newTestModel(t, reg, func(o *Options) { o.CheckDay = tt.checkDay })
			m = searchWithGrade(t, m, "Kim", "Jae", "03/10/2021", "K")
			if words := strings.Join(strings.Fields(content(m)), " "); !strings.Contains(words, tt.want) {
				t.Errorf("the record lacks %q:\n%s", tt.want, content(m))
			}
		})
	}
}

// TestSchoolEntryFits: the section's lines fit 80, 60 and tiny
// terminals: the status words and dates are never cut, and below 46
// columns each requirement's details go under its name.
func TestSchoolEntryFits(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}, {40, 12}, {24, 8}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			reg := &fakeRegistry{find: answer(kindergartner("2026-08-01"))}
			m, _ := newTestModel(t, reg)
			m = searchWithGrade(t, m, "Kim", "Jae", "03/10/2021", "K")
			m = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			for _, l := range strings.Split(plain(m), "\n") {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("a line of %d columns: %q", w, l)
				}
			}
			c := content(m)
			c = c[strings.Index(c, "School entry"):strings.Index(c, "Forecast")]
			for _, l := range strings.Split(c, "\n") {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("a line of the section of %d columns: %q", w, l)
				}
			}
			words := strings.Join(strings.Fields(c), " ")
			for _, want := range []string{"IN PROCESS", "checked by ctwiz-nurse against the CT DPH requirements for 2026-27; not an official determination",
				"the next dose can be given from 2027-02-01", "HepA"} {
				if !strings.Contains(words, want) {
					t.Errorf("the record lacks %q:\n%s", want, c)
				}
			}
		})
	}
}

// TestSchoolEntryPrinted: the grade typed in the interface reaches the
// paper: the PDF saved from the record carries the School entry section
// with its label (read back with pdftotext).
func TestSchoolEntryPrinted(t *testing.T) {
	spool := &printout.Spool{}
	t.Cleanup(func() { spool.Close() })
	reg := &fakeRegistry{find: answer(loadResponse(t, "record_webiz.json"))}
	m, _ := newTestModel(t, reg, func(o *Options) { o.Printer = SystemPrinter{Spool: spool} })
	m = searchWithGrade(t, m, "Butte", "Dianthe", "08/15/2014", "7")
	path := filepath.Join(t.TempDir(), "butte.pdf")
	m = press(t, m, "p", "s", "ctrl+u")
	m = typeText(t, m, path)
	m = press(t, m, "enter")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("not saved: %v\n%s", err, plain(m))
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{
		"School entry - grade 7, 2026-27: NOT COMPLIANT",
		"Checked by ctwiz-nurse against the CT DPH requirements for 2026-27; not an official determination.",
		"Tdap MISSING 1 dose of Tdap on or after the 7th birthday",
		"MMR met for grade 7 (2015-08-26, 2018-08-26)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, out)
		}
	}
	if s, f := strings.Index(text, "School entry"), strings.Index(text, "Forecast"); s < 0 || f < s {
		t.Errorf("the section (at %d) is not above the forecast (at %d)", s, f)
	}
}
