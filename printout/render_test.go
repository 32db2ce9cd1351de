package printout

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
)

var printedAt = time.Date(2026, 11, 25, 10, 3, 0, 0, time.FixedZone("EST", -5*3600))

// decodeSample decodes one of the hl7 package's reference replies.
func decodeSample(t testing.TB, name string) *hl7.Response {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "hl7", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	r, err := hl7.Decode(data, "")
	if err != nil {
		t.Fatalf("decoding %s: %v", name, err)
	}
	return r
}

// schoolSchedule is a realistic childhood series, repeated to make long
// records: CVX, vaccine as registries name it, group, group CVX.
var schoolSchedule = []struct{ cvx, vaccine, group, gcvx string }{
	{"08", "Hep B, ped/adol", "HepB", "45"},
	{"20", "DTaP", "DTaP/Tdap/Td", "107"},
	{"10", "IPV", "Polio", "89"},
	{"48", "Hib (PRP-T)", "Hib", "17"},
	{"133", "Pneumococcal conjugate PCV 13", "Pneumococcal", "152"},
	{"116", "Rotavirus, pentavalent", "Rotavirus", "122"},
	{"03", "MMR", "MMR", "03"},
	{"21", "Varicella", "Varicella", "21"},
	{"83", "Hep A, ped/adol, 2 dose", "HepA", "85"},
	{"141", "Influenza, seasonal, injectable", "Influenza", "88"},
	{"115", "Tdap", "DTaP/Tdap/Td", "107"},
	{"114", "Meningococcal MCV4P", "Meningococcal", "108"},
	{"165", "HPV9", "HPV", "137"},
}

// longRecord is a record of n evaluated doses, one every 30 days from
// 2015, with a forecast for every group and a registry warning.
func longRecord(n int, family, given string) *hl7.Response {
	r := &hl7.Response{
		Profile: "Z42", Status: "OK", Ack: "AA", Outcome: hl7.OutcomeRecord,
		Patients: []hl7.Patient{{RegistryID: "5550123", Family: family, Given: given, BirthDate: "2014-08-15", Sex: "F"}},
		Errors:   []hl7.RegistryError{{Severity: "W", Code: "0", AppCode: "5", Message: "Patient's registry ID was merged with another record"}},
	}
	day := time.Date(2015, 1, 5, 0, 0, 0, 0, time.UTC)
	count := map[string]int{}
	for i := range n {
		s := schoolSchedule[i%len(schoolSchedule)]
		count[s.group]++
		valid, reason := "Y", ""
		if i%17 == 16 {
			valid, reason = "N", "Minimum interval not met"
		}
		r.Immunizations = append(r.Immunizations, hl7.Immunization{
			Date: day.AddDate(0, 0, 30*i).Format(time.DateOnly), CVX: s.cvx, Vaccine: s.vaccine, Status: "CP",
			Evaluations: []hl7.Evaluation{{Group: s.group, CVX: s.gcvx, Dose: fmt.Sprint(count[s.group]), Valid: valid, Reason: reason}},
		})
	}
	for i, s := range schoolSchedule[:10] {
		r.Forecast = append(r.Forecast, hl7.Forecast{
			Group: s.group, CVX: s.gcvx, Status: []string{hl7.StatusDue, hl7.StatusOverdue, hl7.StatusOnSchedule}[i%3],
			Earliest: "2026-09-01", Due: "2026-10-01", Overdue: "2026-12-01",
		})
	}
	return r
}

// pdfPages renders r and returns the text of each page as pdftotext
// reads it, with runs of spaces collapsed so that a table row is one line
// of single-spaced cells.
func pdfPages(t *testing.T, r *hl7.Response, info Info) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r, info); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return pdfText(t, buf.Bytes())
}

var spaces = regexp.MustCompile(` +`)

func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
	}
	cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	for i, p := range pages {
		lines := strings.Split(p, "\n")
		for j, l := range lines {
			lines[j] = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
		}
		pages[i] = strings.Join(lines, "\n")
	}
	return pages
}

// hasLine reports whether some line holds all parts in order.
func hasLine(text string, parts ...string) bool {
	for l := range strings.SplitSeq(text, "\n") {
		rest, ok := l, true
		for _, p := range parts {
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		if ok {
			return true
		}
	}
	return false
}

func TestRenderText(t *testing.T) {
	accented := longRecord(6, "Nguyễn-Wójcik", "Zoë")
	accented.Patients[0].Middle = "Łucja Ñúñez"
	sandbox := decodeSample(t, "rsp_z42_ct_wiz_webiz.hl7")
	longName := longRecord(50, "MONTGOMERY-BLAKE-VANDERHOEVEN-FITZWILLIAM", "Theodore Alexander Maximilian")
	longName.Patients[0].Middle, longName.Patients[0].Suffix = "Bartholomew", "III"

	tests := []struct {
		name     string
		r        *hl7.Response
		info     Info
		pages    int      // expected page count; 0 means 1
		want     []string // more lines that must appear, cells separated by "|"
		wantNone []string
	}{
		{
			name: "CT WiZ Z42, MMRV in two groups, 18 forecasts",
			r:    decodeSample(t, "rsp_z42_ct_wiz_webiz.hl7"),
			info: Info{PrintedAt: printedAt, User: "nurse.jones", Facility: "CT1234"},
			want: []string{
				"Student|BUTTE, DIANTHE MARIAM",
				"Date of birth|08/15/2014|Age|12 years 3 months|Sex|Female",
				"Registry ID|867287|Address|44 IVERSEN AVE, DAGGETT, MI 49821",
				"Source: CT WiZ query, as of 11/25/2026 10:03 AM EST",
				"Printed 11/25/2026 10:03 AM EST by nurse.jones, facility CT1234",
				"MMR", "Varicella",
				"08/26/2015|MMRV|94|1|Yes",
				"08/26/2018|MMRV|94|2|Yes",
				"Too old: Rotavirus",
			},
			wantNone: []string{SandboxLabel, "Registry messages"},
		},
		{
			name: "WebIZ AE with a warning and an invalid dose",
			r:    decodeSample(t, "rsp_z42_webiz_ae_with_err_warning.hl7"),
			info: Info{PrintedAt: printedAt, QueriedAt: printedAt.Add(-5 * time.Minute)},
			want: []string{
				"Student|OKMULGEE, BLY ROCCO",
				"Date of birth|07/11/2018|Age|8 years 4 months|Sex|Female",
				"Registry ID|3982562|Address|",
				"Source: CT WiZ query, as of 11/25/2026 9:58 AM EST",
				"09/14/2018|DTaP, unspecified|107|No|Historical; Age: Too young,",
				"Registry messages",
				"Warning|Internal Parser Error: Field too long: 16 > 15|WEBIZ-501",
			},
		},
		{
			name: "IG Z42: an unreadable date, a forecast without status",
			r:    decodeSample(t, "rsp_z42_ig_complete_example.hl7"),
			info: Info{PrintedAt: printedAt},
			want: []string{"Student|Child, Bobbie Q", "Registry ID|(none)", "2009-10-51|DTaP-Hep B-IPV|110", "Note|RXA-3"},
		},
		{
			name: "Z32 history without forecast",
			r:    decodeSample(t, "rsp_z32_ig_example.hl7"),
			info: Info{PrintedAt: printedAt},
			want: []string{"Student|Child, Robert Quenton", "The registry sent no forecast with this record.",
				"Valid", "|Not evaluated"}, // a history the registry did not evaluate
		},
		{
			name: "accented name from the sandbox",
			r:    accented,
			info: Info{PrintedAt: printedAt, Sandbox: true},
			want: []string{
				"Student|Nguyễn-Wójcik, Zoë Łucja Ñúñez",
				SandboxLabel + " (not from CT WiZ), as of 11/25/2026 10:03 AM EST",
			},
			wantNone: []string{"Source: CT WiZ query"},
		},
		{
			name:  "100 doses over several pages",
			r:     longRecord(100, "Quintero", "Ana"),
			info:  Info{PrintedAt: printedAt, Sandbox: true},
			pages: 4,
			want:  []string{"(continued)", "Minimum interval not met", "Warning|merged with another record"},
		},
		{
			name:  "a very long name shrinks to fit, on every page",
			r:     longName,
			info:  Info{PrintedAt: printedAt, Sandbox: true},
			pages: 3,
			want:  []string{"Student|MONTGOMERY-BLAKE-VANDERHOEVEN-FITZWILLIAM, Theodore Alexander Maximilian Bartholomew III"},
		},
		{
			name: "sandbox label on every page",
			r:    sandbox,
			info: Info{PrintedAt: printedAt, Sandbox: true},
			want: []string{SandboxLabel},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pages := pdfPages(t, tc.r, tc.info)
			all := strings.Join(pages, "\n")
			if want := max(tc.pages, 1); len(pages) != want {
				t.Errorf("%d pages, want %d", len(pages), want)
			}
			p := tc.r.Patients[0]
			for i, page := range pages {
				n := i + 1
				if !strings.Contains(page, Confidential) || !hasLine(page, fmt.Sprintf("Page %d of %d", n, len(pages))) {
					t.Errorf("page %d lacks the confidentiality notice or its page number:\n%s", n, page)
				}
				if tc.info.Sandbox && !strings.Contains(page, SandboxLabel) {
					t.Errorf("page %d of a sandbox record lacks %q", n, SandboxLabel)
				}
				if n > 1 && !hasLine(page, Title, p.Family, "born "+hl7.USDate(p.BirthDate)) {
					t.Errorf("page %d does not name the student in its header:\n%s", n, page)
				}
				if n > 1 && strings.Contains(pages[n-2], "Date given") && !strings.Contains(pages[n-2], "Forecast") &&
					!hasLine(page, "Date given", "Vaccine", "CVX", "Dose", "Valid") {
					t.Errorf("page %d continues the history without repeating its header:\n%s", n, page)
				}
			}
			// What to give next comes before what was given.
			if f, h := strings.Index(all, "Forecast: next doses"), strings.Index(all, "Immunization history"); f < 0 || h < 0 || f > h {
				t.Errorf("the forecast (at %d) is not before the history (at %d)", f, h)
			}
			if !hasLine(pages[0], Title) {
				t.Errorf("no title %q", Title)
			}
			for _, w := range tc.want {
				if !hasLine(all, strings.Split(w, "|")...) {
					t.Errorf("no line with %q in:\n%s", w, all)
				}
			}
			for _, w := range tc.wantNone {
				if strings.Contains(all, w) {
					t.Errorf("unexpected %q", w)
				}
			}
			// Every dose, with its date and vaccine (whose first word is on
			// the row's first line), in each group it counts toward.
			for _, hr := range historyRows(tc.r.Immunizations) {
				name := VaccineName(hr.imm.CVX, hr.imm.Vaccine)
				first := strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == ',' })[0]
				if !hasLine(all, hl7.USDate(hr.imm.Date), first, hr.imm.CVX) {
					t.Errorf("dose %s %s (CVX %s) is missing", hr.imm.Date, name, hr.imm.CVX)
				}
				if !strings.Contains(all, hr.group) {
					t.Errorf("group %q is missing", hr.group)
				}
			}
			if n := len(historyRows(tc.r.Immunizations)); n != countDoseLines(all) {
				t.Errorf("%d dose lines printed, want %d", countDoseLines(all), n)
			}
			// Every vaccine group's row with its dates in column order.
			for _, row := range hl7.ViewForecast(tc.r.Forecast, p.BirthDate).Rows {
				f := row.Next
				parts := nonEmpty(row.Group, StatusWord(f.Status), hl7.USDate(f.Earliest), hl7.USDate(f.Due), hl7.USDate(f.Overdue))
				if !hasLine(all, parts...) {
					t.Errorf("forecast row %v is missing", parts)
				}
			}
		})
	}
}

// countDoseLines counts history rows: lines starting with a date and a
// vaccine (forecast rows start with a group name).
func countDoseLines(text string) int {
	re := regexp.MustCompile(`(?m)^(\d\d/\d\d/\d{4}|\d{4}-\d\d-\d\d) \D`) // a date not understood is shown as sent
	return len(re.FindAllString(text, -1))
}

// Registry text can hold what the PDF library cannot draw: emoji (beyond
// the Basic Multilingual Plane), control characters, invalid UTF-8.
func TestRenderOddCharacters(t *testing.T) {
	r := longRecord(3, "Wang 王", "Zoë😀")
	r.Patients[0].Middle = "A\x00B\tC\xff"
	r.Immunizations[0].CVX, r.Immunizations[0].Vaccine = "9999", "DTaP 💉" // an unknown code: the registry's words
	r.Immunizations[0].Evaluations[0].Reason = "line one\nline two"
	r.Errors[0].Message = "bad \x1b[31m escape"
	pages := pdfPages(t, r, Info{PrintedAt: printedAt, User: "nurse 🩺"})
	all := strings.Join(pages, "\n")
	for _, want := range []string{"Student|Wang 王, Zoë\ufffd A B C\ufffd", "DTaP \ufffd", "line one line two", "bad [31m escape", "by nurse \ufffd"} {
		if !hasLine(all, strings.Split(want, "|")...) {
			t.Errorf("no line with %q in:\n%s", want, all)
		}
	}
}

func TestRenderDeterministic(t *testing.T) {
	r := longRecord(40, "Nguyễn", "Zoë")
	render := func(info Info) []byte {
		var buf bytes.Buffer
		if err := Render(&buf, r, info); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	info := Info{PrintedAt: printedAt, Facility: "CT1234", User: "nurse"}
	a, b := render(info), render(info)
	if !bytes.Equal(a, b) {
		t.Fatalf("two renderings of the same record differ (%d and %d bytes)", len(a), len(b))
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20261125")) {
		t.Errorf("creation date is not the print time")
	}
	later := info
	later.PrintedAt = printedAt.Add(time.Minute)
	if bytes.Equal(a, render(later)) {
		t.Errorf("a different print time gave the same bytes")
	}
}

func TestRenderNoRecord(t *testing.T) {
	tests := []struct {
		name string
		r    *hl7.Response
	}{
		{"nil", nil},
		{"candidates", decodeSample(t, "rsp_z31_ig_two_candidates.hl7")},
		{"not found", decodeSample(t, "rsp_z33_nf_ig.hl7")},
		{"record without patient", &hl7.Response{Outcome: hl7.OutcomeRecord}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, tc.r, Info{PrintedAt: printedAt}); !errors.Is(err, ErrNoRecord) {
				t.Fatalf("Render = %v, want ErrNoRecord", err)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes for no record", buf.Len())
			}
		})
	}
}

func TestHistoryRows(t *testing.T) {
	imms := []hl7.Immunization{
		{Date: "2019-05-01", CVX: "999", Vaccine: "Unknown vaccine"},
		{Date: "2018-08-26", CVX: "94", Vaccine: "MMRV"}, // no evaluation: the CDC table's groups
		{Date: "2015-08-26", CVX: "94", Vaccine: "MMRV", Evaluations: []hl7.Evaluation{
			{Group: "MMR", CVX: "03", Dose: "1", Valid: "Y"},
			{CVX: "21", Dose: "1", Valid: "Y"}, // no group name: from the group's CVX
		}},
		{Date: "2016-01-02", CVX: "20", Vaccine: "DTaP", Evaluations: []hl7.Evaluation{{Dose: "1"}}},
	}
	var got []string
	for _, hr := range historyRows(imms) {
		got = append(got, hr.group+" "+hr.imm.Date+" "+hr.ev.Dose)
	}
	want := []string{
		"DTaP/Tdap/Td 2016-01-02 1",
		"MMR 2015-08-26 1",
		"MMR 2018-08-26 ",
		"Varicella 2015-08-26 1",
		"Varicella 2018-08-26 ",
		"Other 2019-05-01 ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestFormatting(t *testing.T) {
	tests := []struct{ got, want string }{
		{hl7.USDate("2014-08-15"), "08/15/2014"},
		{hl7.USDate("2009-10-51"), "2009-10-51"}, // not a date: as sent
		{hl7.USDate(""), ""},
		{fullName(hl7.Patient{Family: "Butte", Given: "Dianthe", Middle: "M", Suffix: "Jr"}), "Butte, Dianthe M Jr"},
		{fullName(hl7.Patient{Given: "Cher"}), "Cher"},
		{sexName("f"), "Female"},
		{sexName(""), "Unknown"},
		{severityName("E"), "Error"},
		{doseNotes(&hl7.Immunization{Status: "RE", Refusal: "Parental decision"}, hl7.Evaluation{}), "Refused: Parental decision"},
		{doseNotes(&hl7.Immunization{Status: "CP"}, hl7.Evaluation{Reason: "Too young"}), "Too young"},
		{doseNotes(&hl7.Immunization{Status: "CP", Historical: true}, hl7.Evaluation{Valid: "Y"}), "Historical"},
		{doseNotes(&hl7.Immunization{Status: "CP", Historical: true}, hl7.Evaluation{Reason: "Too young"}), "Historical; Too young"},
		{StatusWord(hl7.StatusOverdue), "OVERDUE"},
		{StatusWord(hl7.StatusDue), "DUE NOW"},
		{StatusWord(hl7.StatusOnSchedule), "Upcoming"},
		{StatusWord(hl7.StatusNotRecommended), "Not recommended"},
		{StatusWord(hl7.StatusComplete), "Complete"},
		{StatusWord("incomplete"), "Incomplete"}, // a registry's own word
		{ThenWords([]hl7.Forecast{{Due: "2018-09-24"}, {Dose: "3", Earliest: "2019-01-02"}, {Status: hl7.StatusComplete}}), "09/24/2018, dose 3 01/02/2019, Complete"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func BenchmarkRender100Doses(b *testing.B) {
	r := longRecord(100, "Nguyễn-Wójcik", "Zoë")
	info := Info{PrintedAt: printedAt, Facility: "CT1234", User: "nurse"}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Render(&buf, r, info); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "pdf-bytes")
}

// TestForecastMostUrgentFirst: the paper lists the forecast in the
// screen's order, overdue then due now then upcoming then the rest, by
// group, whatever order the registry sent.
func TestForecastMostUrgentFirst(t *testing.T) {
	r := longRecord(3, "Quintero", "Ana")
	r.Forecast = []hl7.Forecast{
		{Group: "Varicella", Status: hl7.StatusComplete},
		{Group: "Polio", Status: hl7.StatusOnSchedule, Earliest: "2027-01-01", Due: "2027-02-01", Overdue: "2027-03-01"},
		{Group: "MMR", Status: hl7.StatusOverdue, Earliest: "2020-01-01", Due: "2020-02-01", Overdue: "2020-03-01"},
		{Group: "Influenza", Status: hl7.StatusDue, Earliest: "2026-08-01", Due: "2026-08-01"},
		{Group: "HepA", Status: hl7.StatusOverdue, Earliest: "2021-01-01", Due: "2021-02-01", Overdue: "2021-03-01"},
		{Group: "HPV", Status: hl7.StatusNotRecommended},
		{Group: "Rotavirus", Status: hl7.StatusContraindicated},
	}
	want := []string{"HepA|OVERDUE", "MMR|OVERDUE", "Influenza|DUE NOW", "Polio|Upcoming", "Rotavirus|Contraindicated", "HPV|Not recommended", "Complete: Varicella"}
	lines := strings.Split(strings.Join(pdfPages(t, r, Info{PrintedAt: printedAt}), "\n"), "\n")
	at := -1
	for _, w := range want {
		found := -1
		for i, l := range lines {
			if hasLine(l, strings.Split(w, "|")...) {
				found = i
				break
			}
		}
		if found < 0 {
			t.Fatalf("no forecast row %q in:\n%s", w, strings.Join(lines, "\n"))
		}
		if found < at {
			t.Errorf("row %q is printed above a more urgent one", w)
		}
		at = found
	}
}

func TestAge(t *testing.T) {
	on := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct{ birth, want string }{
		{"2017-06-01", "9 years 3 months"},
		{"2017-06-02", "9 years 2 months"}, // the monthly birthday is tomorrow
		{"2016-09-01", "10 years"},
		{"2025-09-01", "1 year"},
		{"2025-08-01", "1 year 1 month"},
		{"2026-02-15", "6 months"},
		{"2026-08-01", "1 month"},
		{"2026-08-20", "0 months"},
		{"2008-02-29", "18 years 6 months"},
		{"2026-09-02", ""}, // not born yet
		{"", ""},
		{"2017-13-01", ""},
	}
	for _, tt := range tests {
		if got := Age(tt.birth, on); got != tt.want {
			t.Errorf("Age(%q) = %q, want %q", tt.birth, got, tt.want)
		}
	}
}

// TestVaccineNames: one CVX reads the same whatever the registry wrote;
// an unknown code keeps the registry's words, tidied (issue 11.19).
func TestVaccineNames(t *testing.T) {
	tests := []struct{ cvx, sent, want string }{
		{"107", "DTap, UF", "DTaP, unspecified formulation"},
		{"107", "DTAP", "DTaP, unspecified formulation"},
		{"107", "", "DTaP, unspecified formulation"},
		{"21", "VARICELLA", "Varicella"},
		{"3", "measles mumps rubella", "MMR"},
		{"110", "DTAP-Hep B-IPV", "DTaP-Hep B-IPV"},
		{"31", "Hep B Peds NOS", "Hep A, pediatric, unspecified formulation"}, // the code decides
		{"9999", "  Local   vaccine ", "Local vaccine"},
		{"9999", "", "CVX 9999"},
	}
	for _, tt := range tests {
		if got := VaccineName(tt.cvx, tt.sent); got != tt.want {
			t.Errorf("VaccineName(%q, %q) = %q, want %q", tt.cvx, tt.sent, got, tt.want)
		}
	}
}

// TestForecastDoseNumbers: the paper's forecast gives the next dose's
// number where the registry sent one (issue 11.20).
func TestForecastDoseNumbers(t *testing.T) {
	r := longRecord(3, "Doe", "Jane")
	r.Forecast[0].Dose, r.Forecast[1].Dose = "4", "2" // HepB due, DTaP overdue; Polio none
	all := strings.Join(pdfPages(t, r, Info{PrintedAt: printedAt}), "\n")
	for _, want := range [][]string{
		{"Vaccine group", "Status", "Dose", "Earliest", "Due", "Overdue"},
		{"HepB", "DUE NOW", "4", "09/01/2026"},
		{"DTaP/Tdap/Td", "OVERDUE", "2", "09/01/2026"},
		{"Polio", "Upcoming", "09/01/2026"},
	} {
		if !hasLine(all, want...) {
			t.Errorf("no line with %q in:\n%s", want, all)
		}
	}
}

// TestForecastOneRowPerGroupCTWiZ: the real CT WiZ reply (18 entries, up
// to two per group, two that begin at adult age) prints one row per
// vaccine group with its most urgent entry, the later one as "Then", the
// groups with nothing to give on one line, and the adult entries counted
// (issue 10; issue 11.11, 11.18).
func TestForecastOneRowPerGroupCTWiZ(t *testing.T) {
	r := decodeSample(t, "rsp_z42_ct_wiz_webiz.hl7")
	all := strings.Join(pdfPages(t, r, Info{PrintedAt: printedAt}), "\n")
	start, end := strings.Index(all, "Forecast: next doses"), strings.Index(all, "Immunization history")
	if start < 0 || end < start {
		t.Fatalf("no forecast before the history:\n%s", all)
	}
	forecast := all[start:end]
	for _, want := range [][]string{
		{"DTaP/Tdap/Td", "OVERDUE", "09/26/2014", "10/15/2014", "12/12/2014", "Then 09/24/2018"},
		{"HepA", "OVERDUE", "08/15/2015", "08/15/2015", "09/11/2016", "Then 02/27/2019"},
		{"HepB", "OVERDUE", "08/15/2014", "08/15/2014", "09/11/2014", "Then 09/24/2018"},
		{"Hib", "OVERDUE", "09/26/2014"},
		{"Pneumococcal", "OVERDUE", "09/26/2014"},
		{"Polio", "OVERDUE", "09/26/2014", "Then 09/24/2018"},
		{"HPV", "Upcoming", "08/15/2023", "08/15/2025", "09/11/2027"},
		{"Influenza", "Upcoming", "09/23/2018"},
		{"Meningococcal", "Upcoming", "08/15/2025"},
		{"Complete: MMR, Varicella"},
		{"Too old: Rotavirus"},
		{"2 left out as they begin at adult age: Zoster at 50, Pneumococcal at 65."},
	} {
		if !hasLine(forecast, want...) {
			t.Errorf("no line with %q in:\n%s", want, forecast)
		}
	}
	for _, g := range []string{"DTaP/Tdap/Td", "HepA", "HepB", "Hib", "Pneumococcal", "Polio", "HPV", "Influenza", "Meningococcal"} {
		if n := len(regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(g)+` `).FindAllString(forecast, -1)); n != 1 {
			t.Errorf("%s: %d rows, want one:\n%s", g, n, forecast)
		}
	}
	for _, never := range []string{"Zoster ", "08/15/2079", "08/15/2064"} {
		if strings.Contains(strings.ReplaceAll(forecast, "Zoster at 50", ""), never) {
			t.Errorf("the adult entry %q is shown:\n%s", never, forecast)
		}
	}
}
