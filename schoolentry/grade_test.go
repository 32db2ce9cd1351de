package schoolentry

import (
	"slices"
	"strings"
	"testing"
)

func TestParseGrade(t *testing.T) {
	for in, want := range map[string]Grade{
		"PK": "PK", "pk": "PK", "pre-K": "PK", "Pre-K": "PK", "PREK": "PK", "prek": "PK",
		"K": "K", "k": "K", "KG": "K", "kg": "K", " K ": "K",
		"1": "1", "01": "1", "7": "7", "07": "7", "12": "12",
	} {
		got, err := ParseGrade(in)
		if err != nil || got != want {
			t.Errorf("ParseGrade(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "13", "001", "-1", "K1", "seventh", "7th"} {
		if g, err := ParseGrade(in); err == nil {
			t.Errorf("ParseGrade(%q) = %q, want an error", in, g)
		} else if !strings.Contains(err.Error(), "PK (pre-K), K (kindergarten) or a grade from 1 to 12") {
			t.Errorf("ParseGrade(%q): %v does not say what to give", in, err)
		}
	}
}

func TestGradeWords(t *testing.T) {
	for g, want := range map[Grade]string{"PK": "pre-K", "K": "kindergarten", "7": "grade 7"} {
		if got := g.Words(); got != want {
			t.Errorf("%s.Words() = %q, want %q", g, got, want)
		}
	}
}

func TestSchoolYear(t *testing.T) {
	for in, want := range map[string]string{
		"2026-07-31": "2025-26", "2026-08-01": "2026-27", "2026-12-01": "2026-27", "2099-01-01": "2098-99",
	} {
		if got := SchoolYear(day(t, in)); got != want {
			t.Errorf("SchoolYear(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestCompareGrades(t *testing.T) {
	got := []Grade{"12", "K", "", "2", "PK", "10", "1"}
	slices.SortStableFunc(got, CompareGrades)
	if want := []Grade{"PK", "K", "1", "2", "10", "12", ""}; !slices.Equal(got, want) {
		t.Errorf("sorted %v, want %v", got, want)
	}
}
