package roster_test

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
)

var hillside = roster.Letterhead{School: "Hillside Elementary School", Nurse: "Dana Reyes, RN", Phone: "(860) 555-0142",
	AsOf: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}

// pdfPages is the text of each page of pdf as pdftotext reads it, runs
// of spaces made one, so a table row reads as one line.
func pdfPages(t *testing.T, pdf []byte) []string {
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
		pages[i] = regexp.MustCompile(`[ \t]+`).ReplaceAllString(p, " ")
	}
	return pages
}

func readHillside(t *testing.T) []roster.ReportRow {
	rows, err := roster.ReadReport("testdata/report-hillside.csv")
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestSummaryPDF: the counts by grade and outcome (Okafor's repeated
// row counted once), the students not compliant or in process with what
// each needs, then those to look into with what to do.
func TestSummaryPDF(t *testing.T) {
	var buf bytes.Buffer
	if err := roster.WriteSummary(&buf, readHillside(t), hillside); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pdfPages(t, buf.Bytes()), "\n")
	flat := strings.Join(strings.Fields(text), " ") // sentences, wherever they wrap
	for _, want := range []string{
		roster.SummaryTitle,
		"Hillside Elementary School",
		"11 students (12 rows of the class list, 1 repeating a student listed once)",
		"as of December 1, 2026: checked by ctwiz-nurse against the CT DPH requirements for 2026-27; not an official determination.",
		"School nurse: Dana Reyes, RN, (860) 555-0142",
		"Not compliant or in process: 4",
		"To look into (needs review, not found, too many matches, error): 5",
		"Confidential - CGS 19a-7h - Hillside Elementary School",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	for _, want := range []string{
		// Grade, then compliant, in process, not compliant, not found,
		// needs review, too many, error, total.
		"\nPK 0 0 1 0 0 0 0 1\n",
		"\nK 1 1 0 0 0 0 0 2\n",
		"\nGrade 2 0 0 1 0 0 0 0 1\n",
		"\nGrade 3 0 0 0 0 1 0 0 1\n",
		"\nGrade 4 0 0 0 1 0 0 1 2\n",
		"\nGrade 9 0 0 1 0 0 0 0 1\n",
		"\nAll 2 1 3 1 1 1 2 11\n",
		// Each student's row, as far as its first line goes.
		"\nAdeyemi, Tobi 8 2022-10-15 PK Not compliant DTaP/Tdap/Td, Polio, MMR, HepB,",
		"\nKim, Jae 2 2021-05-10 K In process next dose from 2027-01-15\n",
		"\nWójcik, Zofia 9 2019-03-03 2 Not compliant MMR\n",
		"\nOkafor, Chidi 3 2011-10-02 9 Not compliant Tdap, Varicella, MenACWY\n",
		"\nNguyen, Minh 6 2017-09-03 3 Needs review 2 candidates; choose the student in",
		"\nDoe 4 2016-01-01 4 Error not sent: no first name; correct the class",
		"\nDoe, Jane 7 2016-01-01 4 Not found not in CT WiZ under this name and birth",
		"\nSmith, Michael 5 2015-09-01 6 Too many CT WiZ needs more than the class list",
		"\nBrown, Eli 11 2014-05-05 7 Error the query failed: timeout\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	// In process and not compliant by grade, then name; Sandoval and
	// Lopez (compliant) are counted, not listed.
	if a, k, w, o := strings.Index(text, "Adeyemi"), strings.Index(text, "Kim, Jae"), strings.Index(text, "Wójcik"), strings.Index(text, "Okafor, Chidi"); !(a < k && k < w && w < o) {
		t.Errorf("not in grade order: %d %d %d %d", a, k, w, o)
	}
	if strings.Contains(text, "Sandoval") || strings.Contains(text, "Lopez") || strings.Count(text, "Okafor") != 1 {
		t.Errorf("a compliant student listed, or Okafor twice:\n%s", text)
	}
}

// TestLettersPDF: one page per student not compliant (Okafor once,
// though the roster repeats him), each addressed to that student's
// parent or guardian, listing what the grade requires and the
// documents that could meet it, signed with the school, the nurse and
// her phone, and naming no other student.
func TestLettersPDF(t *testing.T) {
	var buf bytes.Buffer
	n, err := roster.WriteLetters(&buf, readHillside(t), hillside)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, buf.Bytes())
	if n != 3 || len(pages) != 3 {
		t.Fatalf("%d letters on %d pages, want 3", n, len(pages))
	}
	letters := []struct {
		name   string
		want   []string
		others []string
	}{
		{"Tobi Adeyemi", []string{"Born October 15, 2022, Pre-K, student number 8", "Connecticut requires students in pre-K",
			"• DTaP/Tdap/Td: 4 doses.", "• Influenza: 1 dose between 1 August and 31 December; or 2 doses at least 28 days apart",
			"• Pneumococcal: 1 dose on or after the 1st birthday (under 5 years).", "• HepB: 3 doses, the last at 24 weeks of age or older."},
			[]string{"Wójcik", "Okafor", "Zofia", "Chidi"}},
		{"Zofia Wójcik", []string{"Born March 3, 2019, Grade 2, student number 9", "does not show that Zofia has the following:",
			"• MMR: 2 doses at least 28 days apart, the first on or after the 1st birthday. Could also be met by lab proof of immunity,"},
			[]string{"Adeyemi", "Okafor", "Tobi", "Chidi", "Tdap"}},
		{"Chidi Okafor", []string{"Born October 2, 2011, Grade 9, student number 3", "Connecticut requires students in grade 9",
			"• Tdap: 1 dose of Tdap on or after the 7th birthday. Could also be met by a medical exemption",
			"• Varicella: 2 doses, the first on or after the 1st birthday; or 2 doses at least 4 weeks apart",
			"a clinician's verified chickenpox history", "• MenACWY: 1 dose of MenACWY."},
			[]string{"Adeyemi", "Wójcik", "Tobi", "Zofia", "MMR:"}},
	}
	for i, l := range letters {
		p := pages[i]
		for _, want := range append(l.want,
			"Hillside Elementary School", "December 1, 2026", "To the parent or guardian of "+l.name,
			"please contact me at (860) 555-0142.", "Sincerely,\nDana Reyes, RN\nSchool nurse, Hillside Elementary School\n(860) 555-0142\n",
			"checked by ctwiz-nurse against the CT DPH requirements for 2026-27; not an official determination.") {
			if !strings.Contains(p, want) {
				t.Errorf("letter %d lacks %q:\n%s", i+1, want, p)
			}
		}
		for _, other := range append(l.others, "Sandoval", "Kim", "Nguyen", "Smith", "Doe", "Page ") {
			if strings.Contains(p, other) {
				t.Errorf("letter %d (%s) shows %q:\n%s", i+1, l.name, other, p)
			}
		}
	}
}

// TestLettersNone: a class with no student not compliant gets one page
// that says so; a report the year's rules do not fit is refused before
// any page.
func TestLettersNone(t *testing.T) {
	rows := readHillside(t)
	var none []roster.ReportRow
	for _, r := range rows {
		if r.Outcome != roster.NotCompliant {
			none = append(none, r)
		}
	}
	var buf bytes.Buffer
	n, err := roster.WriteLetters(&buf, none, hillside)
	if err != nil || n != 0 {
		t.Fatalf("%d letters, %v", n, err)
	}
	if pages := pdfPages(t, buf.Bytes()); len(pages) != 1 || !strings.Contains(pages[0], "No letters: no student of the class list is not compliant as of December 1, 2026.") {
		t.Errorf("pages %q", pages)
	}
	bad := []roster.ReportRow{{Line: 4, Last: "Okafor", First: "Chidi", Grade: "9", Outcome: roster.NotCompliant, Missing: []string{"Hib"}}}
	if _, err := roster.WriteLetters(&buf, bad, hillside); err == nil || err.Error() != "line 4: Hib is not a 2026-27 requirement for grade 9" {
		t.Errorf("got %v", err)
	}
}
