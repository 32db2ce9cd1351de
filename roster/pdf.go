package roster

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// Letterhead is what the summary and the letters say of their school and
// nurse (the profile's school_name, nurse_name, nurse_phone) and of the
// check.
type Letterhead struct {
	School, Nurse, Phone string
	// AsOf is the day of the school-entry check; it dates the pages and
	// chooses the school year's rules.
	AsOf    time.Time
	Sandbox bool // the run asked the built-in sandbox: synthetic students
}

// outcomeWords names each outcome as the summary's reader says it.
var outcomeWords = map[Outcome]string{
	Compliant:    "Compliant",
	InProcess:    "In process",
	NotCompliant: "Not compliant",
	NotFound:     "Not found",
	NeedsReview:  "Needs review",
	TooMany:      "Too many matches",
	Error:        "Error",
}

// students are the report's rows of their own (a repeated row is its
// student's once), by grade, then name, then line.
func students(rows []ReportRow) []ReportRow {
	out := make([]ReportRow, 0, len(rows))
	for _, r := range rows {
		if r.Repeats == 0 {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b ReportRow) int {
		return cmp.Or(schoolentry.CompareGrades(schoolentry.Grade(a.Grade), schoolentry.Grade(b.Grade)),
			strings.Compare(strings.ToUpper(a.Last), strings.ToUpper(b.Last)),
			strings.Compare(strings.ToUpper(a.First), strings.ToUpper(b.First)),
			a.Line-b.Line)
	})
	return out
}

func (r ReportRow) name() string {
	if r.First == "" {
		return r.Last
	}
	return r.Last + ", " + r.First
}

func longDate(t time.Time) string { return t.Format("January 2, 2006") }

// document starts a PDF of the report with the school's footer; the PDF
// machinery panics on some input it cannot lay out, which write turns
// into an error.
func (h Letterhead) document(title string) *printout.Document {
	footer := printout.Confidential
	if h.School != "" {
		footer += " - " + h.School
	}
	if h.Sandbox {
		footer += " - " + printout.SandboxLabel
	}
	return printout.NewDocument(title, footer, h.AsOf)
}

func write(w io.Writer, build func() *printout.Document) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the PDF could not be made: %v", p)
		}
	}()
	return build().Output(w)
}

// SummaryTitle is the summary's title.
const SummaryTitle = "School-entry immunization summary"

// WriteSummary writes the school's summary of a report as a PDF: the
// counts by grade and outcome, then the students who are not compliant
// or in process with what each needs, then those to look into (needs
// review, not found, too many matches, error). A student whose row the
// roster repeats counts once.
func WriteSummary(w io.Writer, rows []ReportRow, h Letterhead) error {
	return write(w, func() *printout.Document {
		d := h.document(SummaryTitle)
		d.Heading(1, SummaryTitle)
		if h.Sandbox {
			d.Paragraph(printout.SandboxLabel, true)
		}
		if h.School != "" {
			d.Paragraph(h.School, true)
		}
		studs := students(rows)
		d.Paragraph(fmt.Sprintf("%d students (%d rows of the class list, %d repeating a student listed once), checked against CT WiZ, "+
			"the state immunization registry, as of %s: %s.", len(studs), len(rows), len(rows)-len(studs), longDate(h.AsOf),
			schoolentry.Label(schoolentry.SchoolYear(h.AsOf))), false)
		if h.Nurse != "" {
			d.Paragraph("School nurse: "+strings.Join(nonEmpty(h.Nurse, h.Phone), ", "), false)
		}

		d.Heading(2, "Students by grade and outcome")
		header := []string{"Grade"}
		for _, o := range Outcomes {
			header = append(header, outcomeWords[o])
		}
		header = append(header, "Total")
		widths := []float64{0.12}
		for range Outcomes {
			widths = append(widths, 0.11)
		}
		widths = append(widths, 0.11)
		var table [][]string
		total := map[Outcome]int{}
		for i := 0; i < len(studs); {
			g := studs[i].Grade
			counts := map[Outcome]int{}
			n := 0
			for ; i < len(studs) && studs[i].Grade == g; i++ {
				counts[studs[i].Outcome]++
				total[studs[i].Outcome]++
				n++
			}
			table = append(table, countRow(gradeWords(g), counts, n))
		}
		table = append(table, countRow("All", total, len(studs)))
		d.Table(header, widths, table)

		var need, look [][]string
		for _, s := range studs {
			switch s.Outcome {
			case NotCompliant:
				need = append(need, studentCells(s, outcomeWords[s.Outcome], strings.Join(s.Missing, ", ")))
			case InProcess:
				next := "a dose cannot be given yet"
				if s.NextDate != "" {
					next = "next dose from " + s.NextDate
				}
				need = append(need, studentCells(s, outcomeWords[s.Outcome], next))
			case Compliant:
			default:
				look = append(look, studentCells(s, outcomeWords[s.Outcome], lookInto(s)))
			}
		}
		cols := []float64{0.22, 0.08, 0.11, 0.07, 0.16, 0.36}
		d.Heading(2, fmt.Sprintf("Not compliant or in process: %d", len(need)))
		if len(need) > 0 {
			d.Table([]string{"Student", "No.", "Born", "Grade", "Outcome", "What is needed"}, cols, need)
		}
		d.Heading(2, fmt.Sprintf("To look into (needs review, not found, too many matches, error): %d", len(look)))
		if len(look) > 0 {
			d.Table([]string{"Student", "No.", "Born", "Grade", "Outcome", "What to do"}, cols, look)
		}
		return d
	})
}

func countRow(label string, counts map[Outcome]int, n int) []string {
	row := []string{label}
	for _, o := range Outcomes {
		row = append(row, strconv.Itoa(counts[o]))
	}
	return append(row, strconv.Itoa(n))
}

// gradeWords is the grade column of a count: "PK", "K", "Grade 7"; a
// row not sent may have a grade that is none.
func gradeWords(g string) string {
	switch {
	case g == "":
		return "No grade"
	case schoolentry.CompareGrades(schoolentry.Grade(g), "12") > 0:
		return g + " (not a grade)"
	case g == "PK" || g == "K":
		return g
	}
	return "Grade " + g
}

func studentCells(s ReportRow, outcome, what string) []string {
	return []string{s.name(), s.Number, s.BirthDate, s.Grade, outcome, what}
}

// lookInto says what the nurse can do about a student the run could not
// check.
func lookInto(s ReportRow) string {
	switch s.Outcome {
	case NeedsReview:
		return joinNonEmpty("; ", s.Detail, "choose the student in the interface or in CT WiZ")
	case NotFound:
		return "not in CT WiZ under this name and birth date: check them, or ask the family for the record"
	case TooMany:
		return "CT WiZ needs more than the class list gives: look the student up in the interface"
	}
	if strings.HasPrefix(s.Detail, "not sent: ") {
		return s.Detail + "; correct the class list and run again"
	}
	return joinNonEmpty(": ", "the query failed", s.Detail)
}

func nonEmpty(s ...string) []string {
	return slices.DeleteFunc(s, func(x string) bool { return x == "" })
}

func joinNonEmpty(sep string, s ...string) string { return strings.Join(nonEmpty(s...), sep) }

// LettersTitle is the letters' title.
const LettersTitle = "School-entry immunizations: letters to parents"

// WriteLetters writes one page per student the report finds not
// compliant (a repeated row is written once), addressed to her parent or
// guardian, listing what her grade requires that the registry does not
// show, and signed with the school's and the nurse's name and phone. A
// page holds one student's data only and does not say how many others
// there are. With no student not compliant, the one page says so. n is
// the number of letters.
func WriteLetters(w io.Writer, rows []ReportRow, h Letterhead) (n int, err error) {
	var pages []ReportRow
	for _, s := range students(rows) {
		if s.Outcome == NotCompliant {
			pages = append(pages, s)
		}
	}
	// What each needs, before any page is made: a report the rules do not
	// fit is an error, not a letter without its list.
	needed := make([][]schoolentry.Requirement, len(pages))
	for i, s := range pages {
		if needed[i], err = schoolentry.Needed(schoolentry.Grade(s.Grade), h.AsOf, s.Missing); err != nil {
			return 0, fmt.Errorf("line %d: %w", s.Line, err)
		}
	}
	return len(pages), write(w, func() *printout.Document {
		d := h.document(LettersTitle)
		d.Unnumbered()
		if len(pages) == 0 {
			d.Heading(1, h.School)
			d.Paragraph(fmt.Sprintf("No letters: no student of the class list is not compliant as of %s.", longDate(h.AsOf)), false)
		}
		for i, s := range pages {
			if i > 0 {
				d.NewPage()
			}
			h.letter(d, s, needed[i])
		}
		return d
	})
}

func (h Letterhead) letter(d *printout.Document, s ReportRow, needed []schoolentry.Requirement) {
	grade := schoolentry.Grade(s.Grade).Words()
	d.Heading(1, h.School)
	if h.Sandbox {
		d.Paragraph(printout.SandboxLabel, true)
	}
	d.Paragraph(longDate(h.AsOf), false)
	d.Paragraph("To the parent or guardian of "+s.First+" "+s.Last, true)
	born := s.BirthDate
	if t, err := time.Parse(time.DateOnly, s.BirthDate); err == nil {
		born = longDate(t)
	}
	d.Paragraph(joinNonEmpty(", ", "Born "+born, strings.ToUpper(grade[:1])+grade[1:], numberWords(s.Number)), false)
	d.Heading(2, "Immunizations needed for school")
	d.Paragraph(fmt.Sprintf("Connecticut requires students in %s to have certain immunizations to attend school (CGS 10-204a). "+
		"As of %s, Connecticut's immunization registry, CT WiZ, does not show that %s has the following:",
		grade, longDate(h.AsOf), s.First), false)
	items := make([]string, len(needed))
	for i, q := range needed {
		items[i] = joinNonEmpty(" ", q.Vaccine+": "+q.Needed+".", q.DocumentsSentence())
	}
	d.Bullets(items)
	d.Paragraph(fmt.Sprintf("If %s has had these immunizations, please send the school a copy of the record from your "+
		"child's health care provider. If not, please make an appointment with your child's health care provider "+
		"and send us the record once they are given.", s.First), false)
	contact := "Questions are welcome: please contact me"
	if h.Phone != "" {
		contact += " at " + h.Phone
	}
	d.Paragraph(contact+".", false)
	d.Paragraph("Sincerely,", false)
	d.Lines(nonEmpty(h.Nurse, "School nurse, "+h.School, h.Phone)...)
	d.Preformatted("This list was " + schoolentry.Label(schoolentry.SchoolYear(h.AsOf)) + ".")
}

func numberWords(n string) string {
	if n == "" {
		return ""
	}
	return "student number " + n
}
