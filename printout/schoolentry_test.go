package printout

import (
	"strings"
	"testing"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// TestSchoolEntrySection: with a grade, the printout carries the check
// above the forecast, with its label, one row per requirement, and the
// documents that could meet what is missing; without one, no section.
func TestSchoolEntrySection(t *testing.T) {
	r := longRecord(40, "RIVERA", "Ana")
	res, err := schoolentry.Check(r, "7", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status == schoolentry.Compliant {
		t.Fatal("the record meets every requirement: the test needs one that is not met")
	}
	printed := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	text := strings.Join(pdfPages(t, r, Info{PrintedAt: printed, SchoolEntry: res}), "\n")
	heading := "School entry - grade 7, 2026-27: " + res.StatusWords()
	school, forecast := strings.Index(text, heading), strings.Index(text, "Forecast: next doses")
	if school < 0 || forecast < 0 || school > forecast {
		t.Fatalf("the school-entry section (at %d) is not above the forecast (at %d):\n%s", school, forecast, text)
	}
	if !strings.Contains(text, "Checked by ctwiz-nurse against the CT DPH requirements for 2026-27; not an official determination.") {
		t.Errorf("no label:\n%s", text)
	}
	for _, q := range res.Requirements {
		if !hasLine(text, q.Vaccine, schoolentry.StatusWords(q.Status)) {
			t.Errorf("no row for %s %s", q.Vaccine, q.Status)
		}
		if q.Status != schoolentry.Met && !strings.Contains(text, "Could also be met by") {
			t.Errorf("%s is not met and no document is named", q.Vaccine)
		}
	}
	without := strings.Join(pdfPages(t, r, Info{PrintedAt: printed}), "\n")
	if strings.Contains(without, "School entry") {
		t.Error("a school-entry section without a grade")
	}
}
