package schoolentry

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Grade is a school grade: "PK", "K", "1" ... "12".
type Grade string

// ParseGrade reads a grade as a nurse types it: PK, pre-K, PreK, K, KG,
// 1-12 or 01-12, in any case.
func ParseGrade(s string) (Grade, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	switch strings.NewReplacer("-", "", " ", "", ".", "").Replace(t) {
	case "PK", "PREK", "PREKINDERGARTEN", "PRESCHOOL":
		return "PK", nil
	case "K", "KG", "KINDERGARTEN":
		return "K", nil
	}
	if n, err := strconv.Atoi(t); err == nil && n >= 1 && n <= 12 && len(t) <= 2 {
		return Grade(strconv.Itoa(n)), nil
	}
	return "", fmt.Errorf("grade %q: give PK (pre-K), K (kindergarten) or a grade from 1 to 12", s)
}

// rank orders grades: PK 0, K 1, grade n n+1; -1 for an invalid grade.
func (g Grade) rank() int {
	switch g {
	case "PK":
		return 0
	case "K":
		return 1
	}
	if n, err := strconv.Atoi(string(g)); err == nil && n >= 1 && n <= 12 {
		return n + 1
	}
	return -1
}

// Words names the grade as a sentence does: "pre-K", "kindergarten",
// "grade 7".
func (g Grade) Words() string {
	switch g {
	case "PK":
		return "pre-K"
	case "K":
		return "kindergarten"
	}
	return "grade " + string(g)
}

// gradeRange is a span of grades written "PK", "K-12" or "7-12".
type gradeRange struct{ from, to int }

func (r *gradeRange) UnmarshalText(b []byte) error {
	lo, hi, ok := strings.Cut(string(b), "-")
	if !ok {
		hi = lo
	}
	from, to := Grade(lo).rank(), Grade(hi).rank()
	if from < 0 || to < from {
		return fmt.Errorf("grades %q: want a grade or a range such as K-12", b)
	}
	*r = gradeRange{from, to}
	return nil
}

func (r gradeRange) has(g Grade) bool { n := g.rank(); return n >= r.from && n <= r.to }

// SchoolYear names the school year (1 August to 31 July) that day falls
// in, e.g. "2026-27".
func SchoolYear(day time.Time) string {
	y := schoolYearStart(day).Year()
	return fmt.Sprintf("%d-%02d", y, (y+1)%100)
}

// schoolYearStart is the 1 August on or before day.
func schoolYearStart(day time.Time) time.Time {
	y := day.Year()
	if day.Month() < time.August {
		y--
	}
	return time.Date(y, time.August, 1, 0, 0, 0, 0, time.UTC)
}

// CompareGrades orders grades as a school does (PK, K, 1 to 12), for
// sorting; a grade ParseGrade would refuse comes after every grade.
func CompareGrades(a, b Grade) int {
	ra, rb := a.rank(), b.rank()
	if ra < 0 {
		ra = 100
	}
	if rb < 0 {
		rb = 100
	}
	return ra - rb
}
