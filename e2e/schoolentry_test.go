//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// words is a screen's text as one line of single spaces: the section's
// sentences wrap.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestTUISchoolEntry: the real binary on the built-in sandbox (its today
// fixed to 2026-12-01, the day of the README's table), a grade typed in
// the search form: the record opens with the School entry section above
// the forecast, the status as a badge word, the label, and the lines the
// README's table gives OKAFOR in grade 9 (Tdap, Varicella and MenACWY
// missing), each fitting the terminal.
func TestTUISchoolEntry(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 15}} {
		t.Run(strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1]), func(t *testing.T) {
			p := startTUI(t, size[0], size[1], []string{"CTWIZ_SANDBOX_TODAY=2026-12-01"}, "--sandbox")
			p.waitFor("Find a student", "Grade")
			p.typeText("Okafor")
			p.keys("Tab")
			p.typeText("Chidi")
			p.keys("Tab")
			p.typeText("10/02/2011")
			p.keys("Tab", "Tab") // sex, grade
			p.typeText("9")
			p.waitFor("PK, K or 1-12")
			p.keys("Enter")
			s := p.waitFor("OKAFOR, Chidi", "School entry, grade 9, 2026-27", "NOT COMPLIANT")
			p.checkFits(s, size[0])
			if !strings.Contains(words(s), "checked by ctwiz-nurse against the CT DPH requirements for") {
				t.Errorf("no label on the first screen:\n%s", s)
			}
			if strings.Index(s, "School entry") > strings.Index(s, "Forecast") && strings.Contains(s, "Forecast") {
				t.Errorf("the forecast is above the section:\n%s", s)
			}
			// Page down through the section to the forecast, reading the
			// record's lines of every page (under the pinned name, above
			// the status line), so a sentence across two pages reads whole.
			seen := words(strings.Join(recordLines(s), "\n"))
			for i := 0; i < 20 && !strings.Contains(s, "Forecast"); i++ {
				last := lineRange(t, s)
				p.keys("PageDown")
				s = p.waitFor("Lines " + strconv.Itoa(last+1) + "-")
				p.checkFits(s, size[0])
				seen += " " + words(strings.Join(recordLines(s), "\n"))
			}
			for _, want := range []string{
				"not an official determination",
				"Tdap MISSING 1 dose of Tdap on or after the 7th birthday needed for grade 9",
				"not counted: 2018-09-02 not valid in the registry",
				"Varicella MISSING 2 doses at least 4 weeks apart (first dose at 13 years or older)",
				"MenACWY MISSING 1 dose of MenACWY needed for grade 9; none recorded",
				"HepB met for grade 9",
				"Could also be met by a medical exemption, or a religious exemption on file before 28 April 2021.",
				"a clinician's verified chickenpox history",
			} {
				if !strings.Contains(seen, want) {
					t.Errorf("the section never showed %q:\n%s", want, seen)
				}
			}
			p.quit("q")
		})
	}
}

// TestTUIProfileGrade: a profile's grade is in the search form's Grade
// field, and the record opens with the section for it without the nurse
// typing a grade; a new search brings the grade back.
func TestTUIProfileGrade(t *testing.T) {
	endpoint := startSandboxProcess(t, "--today", "2026-12-01")
	cfg := filepath.Join(t.TempDir(), "config")
	path := filepath.Join(cfg, "ctwiz-nurse", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("[profiles.kindergarten]\nendpoint = \""+endpoint+"\"\ngrade = \"kindergarten\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startTUI(t, 80, 24, []string{"XDG_CONFIG_HOME=" + cfg, "CTWIZ_USERNAME=" + sandbox.DefaultUsername,
		"CTWIZ_PASSWORD=" + sandbox.DefaultPassword, "CTWIZ_FACILITY_ID=" + sandbox.DefaultFacility}, "--profile", "kindergarten")
	s := p.waitFor("Find a student", "Grade                 [K ")
	p.checkFits(s, 80)
	p.search("Kim", "Jae", "05/10/2021")
	// The check is as of the real today here: the heading, not a status,
	// is what stays true.
	s = p.waitFor("KIM, Jae", "School entry, kindergarten")
	p.checkFits(s, 80)
	p.keys("n")
	p.waitFor("Find a student", "Grade                 [K ")
	p.quit("C-c")
}

// recordLines are the scrolling lines of the record screen: those after
// the pinned header (whose last line names the registry ID) and before
// the status line ("Lines 1-18 of 110").
func recordLines(screen string) []string {
	lines := strings.Split(screen, "\n")
	from, to := 0, len(lines)
	for i, l := range lines {
		switch {
		case strings.Contains(l, "Registry ID 9000021") && from == 0:
			from = i + 1
		case strings.HasPrefix(l, "Lines "):
			to = i
		}
	}
	return lines[from:to]
}

// lineRange is the last line number the status line says is shown.
func lineRange(t *testing.T, screen string) int {
	t.Helper()
	m := regexp.MustCompile(`Lines \d+-(\d+) of`).FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no line count on the screen:\n%s", screen)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
