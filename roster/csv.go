package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// The columns a roster may have (Columns keys, --columns names).
const (
	ColLast   = "last"
	ColFirst  = "first"
	ColMiddle = "middle"
	ColDOB    = "dob"
	ColSex    = "sex"
	ColGrade  = "grade"
	ColNumber = "number"
)

var columnOrder = []string{ColLast, ColFirst, ColMiddle, ColDOB, ColSex, ColGrade, ColNumber}

// headerNames are the header names student information systems use for
// each column (PowerSchool's Last_Name, Infinite Campus's lastName,
// spreadsheets' "Last Name"...), as folded by fold: lower case, letters
// and digits only. The first that a header has wins.
var headerNames = map[string][]string{
	ColLast:   {"lastname", "studentlastname", "legallastname", "surname", "familyname", "lname", "last"},
	ColFirst:  {"firstname", "studentfirstname", "legalfirstname", "givenname", "fname", "first"},
	ColMiddle: {"middlename", "studentmiddlename", "legalmiddlename", "middleinitial", "mname", "middle", "mi"},
	ColDOB:    {"dob", "birthdate", "dateofbirth", "studentdob", "studentbirthdate", "birthday", "bdate"},
	ColSex:    {"gender", "sex", "studentgender", "studentsex"},
	ColGrade:  {"gradelevel", "grade", "currentgrade", "studentgrade", "grdlvl", "gradelvl", "grd"},
	ColNumber: {"studentnumber", "studentid", "studentno", "studentnum", "localid", "localstudentid", "idnumber", "id", "sasid", "stateid"},
}

// aliases are the other names --columns accepts for a column.
var aliases = map[string]string{
	"lastname": ColLast, "firstname": ColFirst, "middlename": ColMiddle,
	"birthdate": ColDOB, "birth": ColDOB, "gender": ColSex, "id": ColNumber, "studentnumber": ColNumber,
}

// Columns maps a column (ColLast...) to the header of the file that holds
// it, overriding recognition (--columns last=Surname,first=Given).
type Columns map[string]string

// ParseColumns reads --columns: comma-separated column=header pairs.
func ParseColumns(s string) (Columns, error) {
	c := Columns{}
	for _, pair := range strings.Split(s, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		k, v, ok := strings.Cut(pair, "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if a, ok := aliases[fold(k)]; ok {
			k = a
		}
		if !ok || v == "" || !slices.Contains(columnOrder, k) {
			return nil, fmt.Errorf("--columns: %q is not column=header; columns are %s", pair, strings.Join(columnOrder, ", "))
		}
		c[k] = v
	}
	return c, nil
}

// Options say how to read a roster.
type Options struct {
	Columns Columns           // headers named by the nurse; the rest are recognised
	Grade   schoolentry.Grade // for rows without a grade (--grade)
	Now     time.Time         // birth dates after it are refused; zero means today
}

// Problem is a row that is not sent, and why.
type Problem struct {
	Line   int
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Reason) }

// Roster is a file read and validated: the students to send, in file
// order, and every row that is not sent.
type Roster struct {
	Header    []string
	Delimiter rune
	Columns   map[string]int // column -> field index; absent when the file has none
	Students  []Student
	// Problems are rows that cannot be sent, in file order.
	Problems []Problem
	// Duplicates are rows naming a student an earlier row names (same
	// student number, or same name and birth date): one Problem per
	// student, on the first repeat's line, naming every line. The
	// repeats are not in Students.
	Duplicates []Problem
	// DuplicateOf maps a repeated row's line to the line of the row
	// that is sent, so a report can give it that row's outcome.
	DuplicateOf map[int]int
	// Rows is the number of data rows (blank lines not counted).
	Rows int
	raw  map[int][]string // the fields of the rows not sent, for the report
}

// reportFields are a row's student number, last and first name, birth
// date and grade as the file has them.
func (ro *Roster) reportFields(raw []string) []string {
	get := func(col string) string {
		if i, ok := ro.Columns[col]; ok && i < len(raw) {
			return strings.TrimSpace(raw[i])
		}
		return ""
	}
	return []string{get(ColNumber), get(ColLast), get(ColFirst), get(ColDOB), get(ColGrade)}
}

// Read reads a roster CSV: comma, semicolon or tab separated (the header
// decides), UTF-8 with or without a byte order mark (Windows-1252, what
// Excel writes as "CSV", is converted), CRLF or LF, quoted fields, blank
// lines skipped, and Excel's "sep=;" first line. Every row is validated;
// the error is for a file that cannot be a roster at all.
func Read(r io.Reader, o Options) (*Roster, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		data = fromWindows1252(data)
	}
	line := 1 // the header's line, counted from the file's first
	var delim rune
	if rest, ok := bytes.CutPrefix(data, []byte("sep=")); ok && len(rest) > 0 {
		if d, _ := utf8.DecodeRune(rest); d == ',' || d == ';' || d == '\t' || d == '|' {
			delim = d
			if i := bytes.IndexByte(data, '\n'); i >= 0 {
				data = data[i+1:]
				line = 2
			}
		}
	}
	for len(data) > 0 && (data[0] == '\n' || data[0] == '\r') {
		if data[0] == '\n' {
			line++
		}
		data = data[1:]
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the file is empty: export the class list with a header row (Last_Name, First_Name, DOB...)")
	}
	if delim == 0 {
		delim = detectDelimiter(data)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true // a stray quote inside a name (O"Brien) is text, as Excel wrote it
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("line %d: the header cannot be read: %w", line, err)
	}
	ro := &Roster{Header: header, Delimiter: delim, DuplicateOf: map[int]int{}, raw: map[int][]string{}}
	if ro.Columns, err = findColumns(header, o.Columns); err != nil {
		return nil, err
	}
	if _, ok := ro.Columns[ColGrade]; !ok && o.Grade == "" {
		return nil, fmt.Errorf("no grade column (%s): give the grade for every student with --grade, or name the column with --columns grade=HEADER", headerList(header))
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	firstOf := map[string]int{} // student key -> line of the row sent
	repeats := map[int][]int{}  // line of the row sent -> its repeats' lines
	var repeatOrder []int       // lines of rows sent that have repeats, by first repeat
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		// The line a row starts on, counted in the whole file.
		fl, _ := cr.FieldPos(0)
		fl += line - 1
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("line %d: %v: fix the quotes there and export again", pe.StartLine+line-1, pe.Err)
			}
			return nil, err
		}
		if blank(rec) {
			continue
		}
		ro.Rows++
		s, reason := ro.student(fl, rec, o.Grade, now)
		if reason != "" {
			ro.Problems = append(ro.Problems, Problem{fl, reason})
			ro.raw[fl] = rec
			continue
		}
		dup := 0
		for _, k := range s.keys() {
			if first, ok := firstOf[k]; ok {
				dup = first
				break
			}
		}
		if dup != 0 {
			if len(repeats[dup]) == 0 {
				repeatOrder = append(repeatOrder, dup)
			}
			repeats[dup] = append(repeats[dup], fl)
			ro.DuplicateOf[fl] = dup
			ro.raw[fl] = rec
			continue
		}
		for _, k := range s.keys() {
			firstOf[k] = fl
		}
		ro.Students = append(ro.Students, s)
	}
	for _, first := range repeatOrder {
		lines := repeats[first]
		ro.Duplicates = append(ro.Duplicates, Problem{lines[0], fmt.Sprintf("same student as line %d%s: not sent again, reported with line %d's outcome", first, also(lines[1:]), first)})
	}
	return ro, nil
}

// also names the further lines of a student listed more than twice.
func also(lines []int) string {
	if len(lines) == 0 {
		return ""
	}
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = fmt.Sprint(l)
	}
	return " (also on line " + strings.Join(s, ", ") + ")"
}

// keys identify a student for duplicates: the student number when there
// is one, and the name with the birth date.
func (s Student) keys() []string {
	k := []string{"n:" + fold(s.Last) + "|" + fold(s.First) + "|" + s.BirthDate.Format(time.DateOnly)}
	if s.Number != "" {
		k = append(k, "#:"+s.Number)
	}
	return k
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// student validates one row.
func (ro *Roster) student(line int, rec []string, grade schoolentry.Grade, now time.Time) (Student, string) {
	get := func(col string) string {
		i, ok := ro.Columns[col]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	s := Student{Line: line, Number: get(ColNumber), Last: get(ColLast), First: get(ColFirst), Middle: get(ColMiddle), Raw: rec}
	var missing []string
	for _, m := range []struct{ v, name string }{{s.Last, "last name"}, {s.First, "first name"}, {get(ColDOB), "birth date"}} {
		if m.v == "" {
			missing = append(missing, m.name)
		}
	}
	if len(missing) > 0 {
		return s, "no " + strings.Join(missing, ", no ")
	}
	bd, err := hl7.ParseDate(get(ColDOB), now)
	if err != nil {
		return s, "birth date " + err.Error()
	}
	s.BirthDate = bd
	s.Sex = parseSex(get(ColSex))
	if g := get(ColGrade); g != "" {
		if s.Grade, err = schoolentry.ParseGrade(g); err != nil {
			return s, fmt.Sprintf("grade %q is not PK, K or 1-12", g)
		}
	} else if grade != "" {
		s.Grade = grade
	} else {
		return s, "no grade: fill the grade column or give --grade"
	}
	if err := s.Demographics().Validate(now); err != nil {
		return s, err.Error()
	}
	return s, ""
}

// parseSex reads F, M, U and the words SIS exports use; anything else is
// not sent (it is not needed to match, and a wrong one could hurt).
func parseSex(s string) string {
	switch fold(s) {
	case "f", "female", "girl":
		return "F"
	case "m", "male", "boy":
		return "M"
	case "u", "unknown", "x", "n", "nonbinary", "o", "other":
		return "U"
	}
	return ""
}

// fold is a header or name as compared: lower case, letters and digits
// only, so Last_Name, lastName and "Last Name" are one.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// findColumns maps each column to its field: the nurse's --columns first,
// then the headers recognised.
func findColumns(header []string, named Columns) (map[string]int, error) {
	idx := map[string]int{}
	folded := make([]string, len(header))
	for i, h := range header {
		folded[i] = fold(h)
	}
	for _, col := range columnOrder {
		if h, ok := named[col]; ok {
			i := slices.Index(folded, fold(h))
			if i < 0 {
				return nil, fmt.Errorf("--columns %s=%s: the header has no such column (%s)", col, h, headerList(header))
			}
			idx[col] = i
		}
	}
	for _, col := range columnOrder {
		if _, ok := idx[col]; ok {
			continue
		}
		for _, name := range headerNames[col] {
			if i := slices.Index(folded, name); i >= 0 && !taken(idx, i) {
				idx[col] = i
				break
			}
		}
	}
	var missing []string
	for _, col := range []string{ColLast, ColFirst, ColDOB} {
		if _, ok := idx[col]; !ok {
			missing = append(missing, col)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the header has no %s column (%s): name it with --columns %s=HEADER",
			strings.Join(missing, ", no "), headerList(header), missing[0])
	}
	return idx, nil
}

func taken(idx map[string]int, i int) bool {
	for _, j := range idx {
		if j == i {
			return true
		}
	}
	return false
}

// headerList quotes the header, for messages that say what was found.
func headerList(header []string) string {
	q := make([]string, len(header))
	for i, h := range header {
		q[i] = fmt.Sprintf("%q", h)
	}
	return "found " + strings.Join(q, ", ")
}

// detectDelimiter picks the separator the header line uses most, outside
// quotes: comma, semicolon (European Excel) or tab.
func detectDelimiter(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range data {
		if c == '"' {
			quoted = !quoted
		}
		if quoted {
			continue
		}
		if c == '\n' {
			break
		}
		if c == ',' || c == ';' || c == '\t' {
			counts[rune(c)]++
		}
	}
	best := ','
	for _, d := range []rune{';', '\t'} {
		if counts[d] > counts[best] {
			best = d
		}
	}
	return best
}

// cp1252 are the characters Windows-1252 puts at 0x80-0x9F; the rest of
// its upper half is Latin-1.
var cp1252 = [32]rune{
	'€', '\u0081', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u008d', 'Ž', '\u008f',
	'\u0090', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u009d', 'ž', 'Ÿ',
}

func fromWindows1252(data []byte) []byte {
	out := make([]byte, 0, len(data)+len(data)/8)
	for _, c := range data {
		switch {
		case c < 0x80:
			out = append(out, c)
		case c < 0xA0:
			out = utf8.AppendRune(out, cp1252[c-0x80])
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out
}
