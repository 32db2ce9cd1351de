package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

const schoolProfile = "[profiles.school]\nschool_name = \"Hillside Elementary School\"\n" +
	"nurse_name = \"Dana Reyes, RN\"\nnurse_phone = \"(860) 555-0142\"\npace = \"10ms\"\n"

// pdfLayout is the text of each page of a PDF, runs of spaces made one;
// the test is skipped without poppler's pdftotext and pdfinfo, which also
// must agree on the number of pages.
func pdfLayout(t *testing.T, path string) []string {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s (poppler-utils) is not installed: the PDFs are not read", tool)
		}
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	pages := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	for i, p := range pages {
		pages[i] = regexp.MustCompile(`[ \t]+`).ReplaceAllString(p, " ")
	}
	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	if m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(string(info)); m == nil || m[1] != strconv.Itoa(len(pages)) {
		t.Fatalf("pdfinfo says %q pages, pdftotext read %d", m, len(pages))
	}
	return pages
}

// TestRosterSummaryAndLetters runs 'roster --sandbox' with --summary and
// --letters and the school's profile: a run stopped by --max writes no
// PDF and says so; the --resume that completes it writes both, mode 0600,
// from every row of the report: the summary's counts and lists, one
// letter for Okafor (the one student not compliant) with what grade 9
// needs, the school, the nurse and her phone, and no other student.
func TestRosterSummaryAndLetters(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	class, cfg := filepath.Join(dir, "class.csv"), filepath.Join(dir, "config.toml")
	summary, letters := filepath.Join(dir, "summary.pdf"), filepath.Join(dir, "letters.pdf")
	for path, text := range map[string]string{class: rosterClass, cfg: schoolProfile} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"roster", class, "--sandbox", "--config", cfg, "--grade", "9", "--as-of", "2026-12-01", "--summary", summary, "--letters", letters}
	code, _, stderr := runCmd(t, "", nil, append(args, "--max", "2")...)
	if code != exitRosterStopped || !strings.Contains(stderr, "No summary or letters yet: they are written when every row is checked, so they are never partial.") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	// The profile's pace, not the default second.
	if !strings.Contains(stderr, "2 queries, one at a time, 10ms apart") {
		t.Errorf("the profile's pace is not used:\n%s", stderr)
	}
	for _, path := range []string{summary, letters} {
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%s written by a stopped run: %v", path, err)
		}
	}
	code, _, stderr = runCmd(t, "", nil, append(args, "--resume", "--pace", "0")...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"2 queries, one at a time, 0s apart", "Wrote the summary to " + summary + ".\n", "Wrote 1 letter to " + letters + ".\n"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".ctwiz-nurse-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	for _, path := range []string{summary, letters} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", path, fi, err)
		}
	}

	text := strings.Join(pdfLayout(t, summary), "\n")
	for _, want := range []string{
		"SANDBOX - synthetic data", "Hillside Elementary School", "School nurse: Dana Reyes, RN, (860) 555-0142",
		// Grade, then compliant, in process, not compliant, not found,
		// needs review, too many, error, total: every row of both runs.
		"\nK 0 1 0 0 0 0 0 1\n", "\nGrade 4 0 0 0 0 0 0 1 1\n", "\nGrade 6 0 0 0 0 0 1 0 1\n",
		"\nGrade 9 0 0 1 0 0 0 0 1\n", "\nGrade 12 1 0 0 0 0 0 0 1\n", "\nAll 1 1 1 0 0 1 1 5\n",
		"\nKim, Jae 2 2021-05-10 K In process next dose from ",
		"\nOkafor, Chidi 3 2011-10-02 9 Not compliant Tdap, Varicella, MenACWY\n",
		"\nDoe 4 2016-01-01 4 Error not sent: no first name; correct the class",
		"\nSmith, Michael 5 2015-09-01 6 Too many CT WiZ needs more than the class list",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}

	pages := pdfLayout(t, letters)
	if len(pages) != 1 {
		t.Fatalf("%d letter pages, want 1 (Okafor's)", len(pages))
	}
	for _, want := range []string{
		"Hillside Elementary School", "December 1, 2026", "To the parent or guardian of Chidi Okafor",
		"Born October 2, 2011, Grade 9, student number 3",
		"• Tdap: 1 dose of Tdap on or after the 7th birthday.", "• Varicella: 2 doses", "• MenACWY: 1 dose of MenACWY.",
		"please contact me at (860) 555-0142.", "Sincerely,\nDana Reyes, RN\nSchool nurse, Hillside Elementary School\n(860) 555-0142\n",
	} {
		if !strings.Contains(pages[0], want) {
			t.Errorf("letter lacks %q:\n%s", want, pages[0])
		}
	}
	for _, other := range []string{"Sandoval", "Kim", "Smith", "Doe", "Page 1"} {
		if strings.Contains(pages[0], other) {
			t.Errorf("the letter shows %q:\n%s", other, pages[0])
		}
	}
}

// TestRosterLettersNeedSchoolAndNurse: letters asked without the names
// they are signed with are a usage error before anything is sent or
// written, naming the keys and the file to set them in; so are a PDF
// that would replace the roster or the other PDF, and one in a folder
// that does not exist.
func TestRosterLettersNeedSchoolAndNurse(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	class, cfg := filepath.Join(dir, "class.csv"), filepath.Join(dir, "config.toml")
	for path, text := range map[string]string{class: rosterClass, cfg: "[profiles.school]\nnurse_phone = \"(860) 555-0142\"\n"} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--letters", filepath.Join(dir, "letters.pdf")},
			"ctwiz-nurse roster: --letters: the letters are signed with the school's and the nurse's name: set school_name and nurse_name (and nurse_phone) in the profile in " + cfg + "\n"},
		{[]string{"--summary", class},
			"ctwiz-nurse roster: " + class + " is named twice among the roster, the report, --summary and --letters: give the PDFs names of their own\n"},
		{[]string{"--out", filepath.Join(dir, "r.pdf"), "--summary", dir + "/./r.pdf"},
			"ctwiz-nurse roster: " + dir + "/./r.pdf is named twice among the roster, the report, --summary and --letters: give the PDFs names of their own\n"},
		{[]string{"--summary", filepath.Join(dir, "nowhere", "summary.pdf")},
			"ctwiz-nurse roster: cannot write " + filepath.Join(dir, "nowhere", "summary.pdf") + ": the folder " + filepath.Join(dir, "nowhere") + " does not exist\n"},
	} {
		code, _, stderr := runCmd(t, "", nil, append([]string{"roster", class, "--sandbox", "--config", cfg, "--grade", "9", "--pace", "0"}, tc.args...)...)
		if code != exitUsage || !strings.HasSuffix(stderr, tc.want) {
			t.Errorf("%q: exit %d\n%s\nwant %q", tc.args, code, stderr, tc.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "class-report.csv")); !os.IsNotExist(err) {
			t.Errorf("%q: a report was written: %v", tc.args, err)
		}
	}
}
