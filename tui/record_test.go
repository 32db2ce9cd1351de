package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

// TestRecordHeaderStaysWhileScrolling: the student's name, birth date and
// age stay at the top of the record however far it is scrolled
// (issue 11.17).
func TestRecordHeaderStaysWhileScrolling(t *testing.T) {
	r := bigRecord(40) // BENCH, MARK, born 03/04/2012
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m, _ := newTestModel(t, &fakeRegistry{find: answer(r)})
			m = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m = fillForm(t, m, "Bench", "Mark", "03/04/2012")
			m = press(t, m, "enter")
			for _, keys := range [][]string{nil, {"pgdown"}, {"pgdown", "pgdown"}, {"end"}} {
				for _, k := range keys {
					m = update(t, m, tea.KeyPressMsg{Code: map[string]rune{"pgdown": tea.KeyPgDown, "end": tea.KeyEnd}[k]})
				}
				v := plain(m)
				lines := strings.Split(v, "\n")
				if len(lines) != size[1] {
					t.Errorf("%v: %d lines at height %d", keys, len(lines), size[1])
				}
				// Under the header line and its blank line: the student.
				if !strings.HasPrefix(lines[2], "BENCH, MARK") || !strings.Contains(lines[3], "Born 03/04/2012 · age 14 years 5 months") {
					t.Errorf("%v: the student is not pinned at the top:\n%s", keys, v)
				}
				for _, l := range lines {
					if lipgloss.Width(l) > size[0] {
						t.Errorf("%v: line wider than %d: %q", keys, size[0], l)
					}
				}
			}
			mustContain(t, plain(m), "end of the record")
		})
	}
}

// TestLongNamesAreNeverCutSilently: a name too long for the screen wraps
// in the record's header, and past two lines ends in "…" (issue 11.8).
func TestLongNamesAreNeverCutSilently(t *testing.T) {
	p := hl7.Patient{Family: "MONTGOMERY-BLAKE-WORTHINGTON", Given: "Theodore", Middle: "Alexander Maximilian", Suffix: "Jr", BirthDate: "2008-01-05", RegistryID: "9000009"}
	r := &hl7.Response{Outcome: hl7.OutcomeRecord, Patients: []hl7.Patient{p}}
	st := newStyles(true)
	tests := []struct {
		w     int
		lines []string
	}{
		{80, []string{"MONTGOMERY-BLAKE-WORTHINGTON, Theodore Alexander Maximilian Jr"}},
		{40, []string{"MONTGOMERY-BLAKE-WORTHINGTON, Theodore", "Alexander Maximilian Jr"}},
		{24, []string{"MONTGOMERY-BLAKE-", "WORTHINGTON, Theodore A…"}},
	}
	for _, tt := range tests {
		h := strings.Split(ansi.Strip(recordHeader(r, st, tt.w, testStart)), "\n")
		for i, want := range tt.lines {
			if strings.TrimRight(h[i], " ") != want {
				t.Errorf("width %d: line %d is %q, want %q", tt.w, i+1, h[i], want)
			}
		}
		for _, l := range h {
			if lipgloss.Width(l) > tt.w {
				t.Errorf("width %d: %q is wider", tt.w, l)
			}
		}
	}
}

// TestCandidateNamesKeepTheGivenNames: twins with a long family name
// still differ on screen at 80 and 60 columns: the family name is cut
// with "…", the given names are whole (issue 11.8).
func TestCandidateNamesKeepTheGivenNames(t *testing.T) {
	twin := func(given, id string) hl7.Patient {
		return hl7.Patient{Family: "MONTGOMERY-BLAKE-WORTHINGTON", Given: given, Middle: "Alexandra", BirthDate: "2015-09-01", Sex: "F",
			MotherMaidenName: "FITZGERALD", RegistryID: id, Address: hl7.Address{Street: "1200 Farmington Avenue", City: "West Hartford", Zip: "06107"}}
	}
	cands := &hl7.Response{Outcome: hl7.OutcomeCandidates, Patients: []hl7.Patient{twin("Josephine", "9000101"), twin("Jacqueline", "9000102")}}
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m, _ := newTestModel(t, &fakeRegistry{find: answer(cands)})
			m = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m = fillForm(t, m, "Montgomery-Blake-Worthington", "J", "09/01/2015")
			m = press(t, m, "enter")
			v := plain(m)
			mustContain(t, v, "2 students match", "9000101", "9000102", "09/01/2015")
			if !strings.Contains(v, "…, Josephine") || !strings.Contains(v, "…, Jacqueline") {
				t.Errorf("the twins' given names are cut:\n%s", v)
			}
			for _, l := range strings.Split(v, "\n") {
				if lipgloss.Width(l) > size[0] {
					t.Errorf("line wider than %d: %q", size[0], l)
				}
			}
		})
	}
}

// TestHistoryWords: a dose the registry did not evaluate says "not
// evaluated", never a blank or "-" that reads as "not valid"; a refusal
// is not a dose; vaccines read by their CVX code's CDC name whatever the
// registry typed, with the code beside it (issue 11.19).
func TestHistoryWords(t *testing.T) {
	r := &hl7.Response{Outcome: hl7.OutcomeRecord, Patients: []hl7.Patient{{Family: "DOE", Given: "JANE", BirthDate: "2015-01-02"}},
		Immunizations: []hl7.Immunization{
			{Date: "2015-03-01", CVX: "107", Vaccine: "DTap, UF", Status: "CP"},
			{Date: "2015-05-01", CVX: "107", Vaccine: "DTAP", Status: "CP", Evaluations: []hl7.Evaluation{{Group: "DTaP/Tdap/Td", Dose: "2", Valid: "Y"}}},
			{Date: "2016-01-10", CVX: "21", Vaccine: "VARICELLA", Status: "RE", Refusal: "parental decision"},
		}}
	for _, w := range []int{120, 80, 60, 40} {
		out := ansi.Strip(renderRecord(r, nil, newStyles(true), w))
		if n := strings.Count(out, "DTaP, unspecified"); n != 2 {
			t.Errorf("width %d: %d doses of CVX 107 read \"DTaP, unspecified…\", want 2:\n%s", w, n, out)
		}
		mustNotContain(t, out, "DTap, UF", "DTAP ", "VARICELLA")
		mustContain(t, out, "not evaluated", "valid", "Varicella", "107")
		if strings.Count(out, "not evaluated") != 1 {
			t.Errorf("width %d: the refusal or the evaluated dose says \"not evaluated\":\n%s", w, out)
		}
	}
	out := ansi.Strip(renderRecord(r, nil, newStyles(true), 120))
	mustContain(t, out, "DTaP, unspecified formulation")
}

// TestRecordForecastOneRowPerGroup: the real CT WiZ reply in hl7/testdata
// (18 entries, up to two per group, two for adulthood) reads as one row
// per vaccine group in the record view, the later entry as its "then"
// date, the complete and too-old groups on one line, the adult entries
// counted; at 80x24 the history starts on the first screen (issue 10;
// issue 11.11, 11.18).
func TestRecordForecastOneRowPerGroup(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "hl7", "testdata", "rsp_z42_ct_wiz_webiz.hl7"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := hl7.Decode(data, "")
	if err != nil {
		t.Fatal(err)
	}
	out := ansi.Strip(renderRecord(r, nil, newStyles(true), 80))
	for _, want := range []string{
		"  DTaP/Tdap/Td  OVERDUE  -    09/26/2014 10/15/2014 12/12/2014 09/24/2018",
		"  HepB          OVERDUE  -    08/15/2014 08/15/2014 09/11/2014 09/24/2018",
		"  Hib           OVERDUE  -    09/26/2014 10/15/2014 12/12/2014",
		"  Influenza     Upcoming -    09/23/2018 09/23/2018 -",
		"  Complete: MMR, Varicella · Too old: Rotavirus",
		"  2 left out as they begin at adult age: Zoster at 50, Pneumococcal at 65.",
	} {
		mustContain(t, out, want)
	}
	for _, g := range []string{"DTaP/Tdap/Td", "HepA", "HepB", "Hib", "Pneumococcal", "Polio", "HPV", "Influenza", "Meningococcal"} {
		if n := len(regexp.MustCompile(`(?m)^  `+regexp.QuoteMeta(g)+` `).FindAllString(out, -1)); n != 1 {
			t.Errorf("%s: %d rows, want one:\n%s", g, n, out)
		}
	}
	for _, never := range []string{"upcoming", "08/15/2064", "08/15/2079", "  Zoster"} {
		if strings.Contains(out, never) {
			t.Errorf("%q shown:\n%s", never, out)
		}
	}
	// The body's first screen at 80x24 (18 lines under the pinned header)
	// reaches the history.
	if lines := strings.Split(out, "\n"); !slices.ContainsFunc(lines[:min(18, len(lines))], func(l string) bool { return strings.HasPrefix(l, "History (") }) {
		t.Errorf("the history does not start in the first 18 lines:\n%s", out)
	}
}
