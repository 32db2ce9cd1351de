package hl7

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestParseDate lists every form the one date reader accepts and every
// one it refuses, with the exact message (issue 11.12). Today is
// testNow, 25 November 2026: two-digit years read as 2004-2027.
func TestParseDate(t *testing.T) {
	const forms = "YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for 2004-2027"
	for _, c := range []struct{ in, want string }{
		{"2019-06-20", "2019-06-20"},
		{"2019-6-20", "2019-06-20"}, // ISO without zero padding
		{"2019-6-2", "2019-06-02"},
		{"2019/06/20", "2019-06-20"}, // SIS exports
		{"2019/6/20", "2019-06-20"},
		{"06/20/2019", "2019-06-20"},
		{"6/20/2019", "2019-06-20"},
		{"1/5/2019", "2019-01-05"},
		{"06-20-2019", "2019-06-20"},
		{"6-20-2019", "2019-06-20"},
		{"20190620", "2019-06-20"}, // HL7: begins with a year
		{"06202019", "2019-06-20"}, // begins with a month
		{"12312019", "2019-12-31"},
		{"10102010", "2010-10-10"},
		{"19000101", "1900-01-01"},
		{"6/20/19", "2019-06-20"},
		{"06/20/19", "2019-06-20"},
		{"6-20-19", "2019-06-20"},
		{"1/1/04", "2004-01-01"},   // 22 years back: the oldest student
		{"12/31/27", "2027-12-31"}, // next year: a check date
		{"2/29/24", "2024-02-29"},
		{"2016-02-29", "2016-02-29"},
		{" 2016-02-29 ", "2016-02-29"},
		{"6/20/2019 0:00", "2019-06-20"}, // Excel
		{"6/20/2019 12:00:00 AM", "2019-06-20"},
		{"6/20/2019 12:00 PM", "2019-06-20"},
		{"2019-06-20T00:00:00", "2019-06-20"},
		{"2019-06-20T00:00:00Z", "2019-06-20"},
		{"2019-06-20T00:00:00.000-05:00", "2019-06-20"},
		{"2019-06-20 00:00:00", "2019-06-20"},
		{"1899-12-31", "1899-12-31"}, // read; Validate says before 1900
	} {
		got, err := ParseDate(c.in, testNow)
		if err != nil || got.Format(time.DateOnly) != c.want || got.Location() != time.UTC || got.Hour() != 0 {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	for _, c := range []struct{ in, problem string }{
		{"", "not a date"},
		{"yesterday", "not a date"},
		{"Today", "not a date"},
		{"2014-8-15x", "not a date"},
		{"2019-6/20", "not a date"}, // one separator throughout
		{"2019.06.20", "not a date"},
		{"20.6.2019", "not a date"}, // day first: not read
		{"6/20", "not a date"},
		{"6/20/2019/1", "not a date"},
		{"6//2019", "not a date"},
		{"6/20/019", "not a date"},
		{"2019-06-200", "not a date"},
		{"19-06-20", "not a real date: there is no month 19 (the month comes first)"}, // YY-MM-DD is not read
		{"062019", "not a date"},  // six digits: MMDDYY or YYMMDD?
		{"2019620", "not a date"}, // seven digits
		{"201906200", "not a date"},
		{"6/20/2019 noon", "not a date"},
		{"6/20/2019 0:00 extra", "not a date"},
		{"02/30/2015", "not a real date: February 2015 has 28 days"},
		{"2015-02-29", "not a real date: February 2015 has 28 days"},
		{"2/29/25", "not a real date: February 2025 has 28 days"},
		{"04/31/2019", "not a real date: April 2019 has 30 days"},
		{"2019-06-00", "not a real date: there is no day 0"},
		{"13/01/2015", "not a real date: there is no month 13 (the month comes first)"},
		{"15/08/2014", "not a real date: there is no month 15 (the month comes first)"},
		{"13/45/2015", "not a real date: there is no month 13 (the month comes first)"},
		{"0/5/2019", "not a real date: there is no month 0 (the month comes first)"},
		{"2019-13-01", "not a real date: there is no month 13"},
		{"20191301", "not a real date: there is no month 13"},
		{"13012019", "not a real date: there is no month 13 (the month comes first)"},
		{"21000101", "not a real date: there is no month 21 (the month comes first)"}, // neither a year 19xx/20xx nor a month
		{"20190631", "not a real date: June 2019 has 30 days"},
		{"6/20/50", "not read: a two-digit year is read only as 2004-2027, where a century off is no student; type the four-digit year"},
		{"6/20/03", "not read: a two-digit year is read only as 2004-2027, where a century off is no student; type the four-digit year"},
		{"1/1/28", "not read: a two-digit year is read only as 2004-2027, where a century off is no student; type the four-digit year"},
		{"6-20-99", "not read: a two-digit year is read only as 2004-2027, where a century off is no student; type the four-digit year"},
	} {
		_, err := ParseDate(c.in, testNow)
		var de *DateError
		if !errors.As(err, &de) || de.Problem != c.problem || de.Accepted != forms || de.Input != c.in {
			t.Errorf("ParseDate(%q): error %v, want problem %q", c.in, err, c.problem)
			continue
		}
		if want := `"` + c.in + `" is ` + c.problem + "; accepted: " + forms; err.Error() != want {
			t.Errorf("ParseDate(%q): %q, want %q", c.in, err.Error(), want)
		}
	}
}

// TestParseDateTwoDigitYearsFollowToday: the two-digit window is today's,
// not a fixed one: in 2031 "08" is refused (2008 would be a 23-year-old
// student) and "32" is next year.
func TestParseDateTwoDigitYearsFollowToday(t *testing.T) {
	now := time.Date(2031, 1, 10, 8, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{"6/20/09": "2009-06-20", "9/1/32": "2032-09-01", "1/1/30": "2030-01-01"} {
		if got, err := ParseDate(in, now); err != nil || got.Format(time.DateOnly) != want {
			t.Errorf("in 2031, ParseDate(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"6/20/08", "6/20/03", "9/1/33"} {
		var de *DateError
		if _, err := ParseDate(in, now); !errors.As(err, &de) {
			t.Errorf("in 2031, ParseDate(%q): %v, want a DateError", in, err)
		} else if want := "not read: a two-digit year is read only as 2009-2032, where a century off is no student; type the four-digit year"; de.Problem != want || !strings.HasSuffix(de.Accepted, "M/D/YY for 2009-2032") {
			t.Errorf("in 2031, ParseDate(%q): %q", in, de.Problem)
		}
	}
}
