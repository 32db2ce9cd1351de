package hl7

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A two-digit year is read only as a year from twoDigitBack years before
// this one to twoDigitAhead after it: a student is at most 22 (Connecticut
// serves special education to 22) and a check date may fall in the coming
// year. Each of those years is the only reading of its two digits that
// can be a student's: the others are a century away.
const (
	twoDigitBack  = 22
	twoDigitAhead = 1
)

// timeOfDay is what spreadsheets and school information systems write
// after a date ("6/20/2019 0:00", "6/20/2019 12:00:00 AM",
// "2019-06-20T00:00:00Z"); ParseDate ignores it.
var timeOfDay = regexp.MustCompile(`^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp][Mm])?(Z|[+-]\d{2}(:?\d{2})?)?$`)

// DateError is a date ParseDate does not read.
type DateError struct {
	Input    string
	Problem  string // why, which may name the month and year typed: "not a real date: February 2015 has 28 days"
	Accepted string // the forms ParseDate reads, for every message
}

// Reason is the problem and the accepted forms without the date typed,
// as a form shows it beside the field.
func (e *DateError) Reason() string { return e.Problem + "; accepted: " + e.Accepted }

func (e *DateError) Error() string { return fmt.Sprintf("%q is %s", e.Input, e.Reason()) }

// ParseDate reads a date as a nurse types it or a school information
// system exports it, as midnight UTC of that calendar day. It is the one
// date reader of the form, the command-line flags and the roster CSV:
//
//   - YYYY-MM-DD and YYYY/MM/DD, zero padding optional (2019-6-20);
//   - M/D/YYYY and M-D-YYYY (month first), zero padding optional;
//   - eight digits: YYYYMMDD when they begin with 19 or 20 (a year),
//     MMDDYYYY otherwise. Never both: a month is 01 to 12;
//   - M/D/YY and M-D-YY only when YY names one of the years from 22
//     before now's to the next (2004 to 2027 in 2026): there a century
//     off is no student. Any other YY asks for the four-digit year;
//   - any of these followed by a time of day, which is ignored.
//
// Anything else, or a day that does not exist (02/30/2015), is a
// *DateError that lists the accepted forms.
func ParseDate(s string, now time.Time) (time.Time, error) {
	in := strings.TrimSpace(s)
	lo, hi := now.Year()-twoDigitBack, now.Year()+twoDigitAhead
	fail := func(problem string) (time.Time, error) {
		return time.Time{}, &DateError{in, problem, fmt.Sprintf("YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for %d-%d", lo, hi)}
	}
	date := in
	if i := strings.IndexAny(date, " T"); i > 0 {
		if !timeOfDay.MatchString(strings.TrimSpace(date[i+1:])) {
			return fail("not a date")
		}
		date = date[:i]
	}
	var ys, ms, ds string
	monthFirst := true
	if sep := strings.IndexAny(date, "/-"); sep < 0 {
		switch {
		case len(date) != 8 || !digits(date):
			return fail("not a date")
		case date[:2] == "19" || date[:2] == "20":
			ys, ms, ds, monthFirst = date[:4], date[4:6], date[6:], false
		default:
			ms, ds, ys = date[:2], date[2:4], date[4:]
		}
	} else {
		p := strings.Split(date, date[sep:sep+1])
		switch {
		case len(p) != 3 || !digits(p...):
			return fail("not a date")
		case len(p[0]) == 4 && len(p[1]) <= 2 && len(p[2]) <= 2:
			ys, ms, ds, monthFirst = p[0], p[1], p[2], false
		case len(p[0]) <= 2 && len(p[1]) <= 2 && (len(p[2]) == 4 || len(p[2]) == 2):
			ms, ds, ys = p[0], p[1], p[2]
		default:
			return fail("not a date")
		}
	}
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	if m < 1 || m > 12 {
		if monthFirst {
			return fail(fmt.Sprintf("not a real date: there is no month %d (the month comes first)", m))
		}
		return fail(fmt.Sprintf("not a real date: there is no month %d", m))
	}
	if len(ys) == 2 {
		// The year in [lo, lo+99] that ends in these two digits.
		if y = lo + (y-lo%100+100)%100; y > hi {
			return fail(fmt.Sprintf("not read: a two-digit year is read only as %d-%d, where a century off is no student; type the four-digit year", lo, hi))
		}
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	switch {
	case d < 1:
		return fail("not a real date: there is no day 0")
	case t.Day() != d:
		last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		return fail(fmt.Sprintf("not a real date: %s %d has %d days", time.Month(m), y, last))
	}
	return t, nil
}

// digits reports whether each of ss is a non-empty run of ASCII digits.
func digits(ss ...string) bool {
	for _, s := range ss {
		if s == "" || strings.Trim(s, "0123456789") != "" {
			return false
		}
	}
	return true
}
