package roster_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
)

// row is a student as a test states it: line, number, last, first,
// middle, birth date, sex, grade.
func row(s roster.Student) string {
	return fmt.Sprintf("%d %s %s|%s|%s %s %s %s", s.Line, s.Number, s.Last, s.First, s.Middle, s.BirthDate.Format("2006-01-02"), s.Sex, s.Grade)
}

func strs[T fmt.Stringer](v []T) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = x.String()
	}
	return out
}

// TestReadExports reads real-shaped exports (testdata) and asserts the
// exact students sent and the exact messages for the rows not sent.
func TestReadExports(t *testing.T) {
	for _, tc := range []struct {
		file       string
		opt        roster.Options
		students   []string
		problems   []string
		duplicates []string
		delim      rune
		rows       int
	}{
		{
			file: "powerschool.csv", delim: ',', rows: 9,
			students: []string{
				"2 1001 Sandoval|Maya| 2008-04-12 F 12",
				"4 1002 Parker|Liam|J 2019-06-20 M 2",
				`5 1003 O"Brien, Jr|Siobhan| 2016-11-30 F 4`,
				"9 1006 Kim|Jae| 2021-05-10 M K",
			},
			problems: []string{
				`line 6: birth date "13/45/2016" is not a real date: there is no month 13 (the month comes first); accepted: YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for 2004-2027`,
				"line 7: no last name",
				`line 11: grade "grade 5" is not PK, K or 1-12`,
			},
			duplicates: []string{
				"line 8: same student as line 4: not sent again, reported with line 4's outcome",
				"line 10: same student as line 9: not sent again, reported with line 9's outcome",
			},
		},
		{
			file: "infinite-campus-semicolon.csv", delim: ';', rows: 3,
			students: []string{
				"2 2001 García-López|José| 2014-07-04 M 7",
				"5 2003 Okafor|Chidi| 2011-10-02 M 9",
			},
			problems: []string{"line 3: date of birth: is in the future"},
		},
		{
			file: "spaced-tab.csv", delim: '\t', rows: 2, opt: roster.Options{Grade: "K"},
			students: []string{"2 3001 Whitehorse|Dakota| 2013-02-17  K"},
			problems: []string{"line 3: no birth date"},
		},
		{
			file: "custom-headers.csv", delim: ',', rows: 1,
			opt:      roster.Options{Columns: roster.Columns{"last": "Surname", "first": "given", "dob": "Born", "grade": "Year"}},
			students: []string{"2  Smith|Emma| 2015-09-01  6"},
		},
		{
			file: "excel-sep.csv", delim: ';', rows: 1, opt: roster.Options{Grade: "1"},
			students: []string{"3  Kowalski|Zofia| 2020-02-14  1"},
		},
		{
			// Every form the one date reader accepts (hl7.ParseDate), as SIS
			// exports and spreadsheets write them, and three it refuses.
			file: "dates.csv", delim: ',', rows: 15,
			students: []string{
				"2 101 Ames|Ann| 2019-06-20  K",
				"3 102 Bell|Ben| 2019-06-21  K",
				"4 103 Cruz|Cam| 2019-06-02  K",
				"5 104 Diaz|Dee| 2019-06-23  K",
				"6 105 Egan|Eve| 2019-06-24  K",
				"7 106 Ford|Fay| 2019-06-25  K",
				"8 107 Gray|Gus| 2019-06-26  K",
				"9 108 Hale|Hal| 2019-06-27  K",
				"10 109 Ives|Ida| 2019-06-28  K",
				"11 110 Jung|Jo| 2019-06-29  K",
				"12 111 Kerr|Kit| 2019-06-30  K",
				"13 112 Lamb|Lu| 2019-07-01  K",
			},
			problems: []string{
				`line 14: birth date "7/2/50" is not read: a two-digit year is read only as 2004-2027, where a century off is no student; type the four-digit year; accepted: YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for 2004-2027`,
				`line 15: birth date "03.07.2019" is not a date; accepted: YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for 2004-2027`,
				`line 16: birth date "6/20/2019 noon" is not a date; accepted: YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY, YYYYMMDD, or M/D/YY for 2004-2027`,
			},
		},
		{
			file: "windows-1252.csv", delim: ',', rows: 1,
			students: []string{"2  García|José| 2014-07-04  7"},
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			tc.opt.Now = today
			ro, err := roster.Read(f, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range ro.Students {
				got = append(got, row(s))
			}
			if !slices.Equal(got, tc.students) {
				t.Errorf("students:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.students, "\n"))
			}
			if p := strs(ro.Problems); !slices.Equal(p, tc.problems) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(p, "\n"), strings.Join(tc.problems, "\n"))
			}
			if d := strs(ro.Duplicates); !slices.Equal(d, tc.duplicates) {
				t.Errorf("duplicates:\n%s\nwant:\n%s", strings.Join(d, "\n"), strings.Join(tc.duplicates, "\n"))
			}
			if ro.Delimiter != tc.delim || ro.Rows != tc.rows {
				t.Errorf("delimiter %q, %d rows; want %q, %d", ro.Delimiter, ro.Rows, tc.delim, tc.rows)
			}
		})
	}
}

// TestReadRefuses: files that cannot be a roster at all are refused
// with what to do.
func TestReadRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		opt        roster.Options
		want       string
	}{
		{"empty", "\r\n\r\n", roster.Options{}, "the file is empty: export the class list with a header row (Last_Name, First_Name, DOB...)"},
		{"no dob", "Last_Name,First_Name,Grade\nKim,Jae,K\n", roster.Options{},
			`the header has no dob column (found "Last_Name", "First_Name", "Grade"): name it with --columns dob=HEADER`},
		{"no grade", "Last_Name,First_Name,DOB\nKim,Jae,2021-05-10\n", roster.Options{},
			`no grade column (found "Last_Name", "First_Name", "DOB"): give the grade for every student with --grade, or name the column with --columns grade=HEADER`},
		{"bad --columns", "Last_Name,First_Name,DOB\n", roster.Options{Grade: "K", Columns: roster.Columns{"last": "Surname"}},
			`--columns last=Surname: the header has no such column (found "Last_Name", "First_Name", "DOB")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := roster.Read(strings.NewReader(tc.data), tc.opt)
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestParseColumns(t *testing.T) {
	c, err := roster.ParseColumns("last=Surname, First=Given Name,birthdate=Born,id=SASID")
	if err != nil {
		t.Fatal(err)
	}
	want := roster.Columns{"last": "Surname", "first": "Given Name", "dob": "Born", "number": "SASID"}
	if fmt.Sprint(c) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", c, want)
	}
	if _, err := roster.ParseColumns("height=Tall"); err == nil || !strings.Contains(err.Error(), "columns are last, first, middle, dob, sex, grade, number") {
		t.Errorf("got %v", err)
	}
}
