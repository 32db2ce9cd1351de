package printout

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"codeberg.org/go-pdf/fpdf"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// The fonts are embedded rather than taken from the system: a nurse's laptop
// may have no DejaVu (or any known TTF) installed, and fpdf's core fonts
// only cover cp1252, which misses names such as Wójcik's "ł" or Nguyễn.
// DejaVu's license (fonts/LICENSE) allows redistribution unmodified.
var (
	//go:embed fonts/DejaVuSansCondensed.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf
	fontBold []byte
)

// Fixed strings of the document; tests and the README quote them.
const (
	Title        = "Immunization Record"
	Confidential = "Confidential - CGS 19a-7h"
	SandboxLabel = "SANDBOX - synthetic data"
)

// ErrNoRecord is returned when the response is not one student's record
// (candidates, not found, an error), so there is nothing to print.
var ErrNoRecord = errors.New("there is no student record to print: look up one student first")

// Info is what the document says about its own making.
type Info struct {
	// PrintedAt is the moment of printing, shown in the footer and used as
	// the PDF's creation and modification dates; time.Now() when zero.
	PrintedAt time.Time
	// QueriedAt is when the registry answered ("as of"); PrintedAt when zero.
	QueriedAt time.Time
	Facility  string // the printing facility, e.g. the CT WiZ facility ID
	User      string // the registry user who printed
	Sandbox   bool   // the record comes from the built-in sandbox
	// SchoolEntry is the school-entry check for the grade the nurse gave,
	// printed above the forecast; nil for none.
	SchoolEntry *schoolentry.Result
}

// Page geometry in millimetres (US Letter portrait).
const (
	pageW    = 215.9
	pageH    = 279.4
	margin   = 15.0
	contentW = pageW - 2*margin
	bottom   = pageH - 20 // content stops here; the footer sits below
	lineH    = 4.2        // one line of body text
	padY     = 0.9        // space above and below the text of a table row
	bodyPt   = 9.0
	family   = "DejaVu"
)

type column struct {
	title string
	w     float64
	align string // fpdf alignment: "L", "C" or "R"
}

type table []column

// The valid column holds "Not evaluated" on one line.
var historyTable = table{
	{"Date given", 23, "L"},
	{"Vaccine", 62, "L"},
	{"CVX", 12, "C"},
	{"Dose", 12, "C"},
	{"Valid", 23, "C"},
	{"Notes", contentW - 23 - 62 - 12 - 12 - 23, "L"},
}

// The status column holds "Not recommended" and "Contraindicated" on one
// line; the dose is the next dose's number, when the registry sent it.
var forecastTable = table{
	{"Vaccine group", 38, "L"},
	{"Status", 31, "L"},
	{"Dose", 12, "C"},
	{"Earliest", 22, "L"},
	{"Due", 22, "L"},
	{"Overdue", 22, "L"},
	{"Notes", contentW - 38 - 31 - 12 - 22 - 22 - 22, "L"},
}

var messageTable = table{
	{"Severity", 24, "L"},
	{"Message", contentW - 24 - 40, "L"},
	{"Code", 40, "L"},
}

type cell struct {
	text string
	bold bool
}

// doc is one rendering in progress.
type doc struct {
	pdf     *fpdf.Fpdf
	r       *hl7.Response
	patient hl7.Patient
	info    Info
	// table and cont are redrawn at the top of a new page when a table
	// breaks: its header row and the group it was in the middle of.
	table table
	cont  string
}

// Render writes the record in r as a PDF to w. The same r and info always
// give the same bytes.
func Render(w io.Writer, r *hl7.Response, info Info) (err error) {
	// fpdf panics on some input it cannot lay out; in the terminal
	// interface a panic would leave the screen in raw mode.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the PDF could not be made (%v): show the record on screen or with 'ctwiz-nurse query' instead", p)
		}
	}()
	if r == nil || r.Outcome != hl7.OutcomeRecord || len(r.Patients) == 0 {
		return ErrNoRecord
	}
	if info.PrintedAt.IsZero() {
		info.PrintedAt = time.Now()
	}
	if info.QueriedAt.IsZero() {
		info.QueriedAt = info.PrintedAt
	}
	d := &doc{r: r, patient: r.Patients[0], info: info}
	d.setup()
	d.summary()
	// What to give next comes first: it is what the page is for.
	d.schoolEntry()
	d.forecast()
	d.history()
	d.messages()
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("writing the PDF: %w", err)
	}
	return nil
}

func (d *doc) setup() {
	pdf := fpdf.New("P", "mm", "Letter", "")
	d.pdf = pdf
	// Determinism: fixed dates and sorted resource catalogs.
	pdf.SetCreationDate(d.info.PrintedAt)
	pdf.SetModificationDate(d.info.PrintedAt)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(Title, true) // never the name: viewers and print queues show the title
	pdf.SetCreator("ctwiz-nurse", true)
	pdf.AddUTF8FontFromBytes(family, "", fontRegular)
	pdf.AddUTF8FontFromBytes(family, "B", fontBold)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, 0) // breaks are placed by need, to repeat table headers
	pdf.AliasNbPages("{nb}")
	pdf.SetHeaderFunc(d.header)
	pdf.SetFooterFunc(d.footer)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetTextColor(0, 0, 0)
	pdf.AddPage()
}

func (d *doc) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont(family, style, size)
}

// header runs at the top of every page. Later pages name the student so a
// loose page can be matched to its record.
func (d *doc) header() {
	pdf := d.pdf
	pdf.SetXY(margin, margin)
	if pdf.PageNo() == 1 {
		d.font(true, 18)
		pdf.CellFormat(contentW, 9, Title, "", 0, "L", false, 0, "")
		if d.info.Sandbox {
			d.font(true, 11)
			pdf.SetXY(margin, margin+1)
			pdf.CellFormat(contentW, 7, SandboxLabel, "", 0, "R", false, 0, "")
		}
		pdf.SetXY(margin, margin+11)
		return
	}
	left := contentW
	if d.info.Sandbox {
		d.font(true, bodyPt)
		left -= pdf.GetStringWidth(SandboxLabel) + 6
		pdf.CellFormat(contentW, 5, SandboxLabel, "", 0, "R", false, 0, "")
		pdf.SetXY(margin, margin)
	}
	name, born := []rune(clean(fullName(d.patient))), " - born "+clean(hl7.USDate(d.patient.BirthDate))
	text := Title + " - " + string(name) + born
	d.fit(true, bodyPt, text, left)
	for len(name) > 1 && pdf.GetStringWidth(text)+2 > left { // still too long: cut the given names
		name = name[:len(name)-1]
		text = Title + " - " + strings.TrimSpace(string(name)) + "..." + born
	}
	pdf.CellFormat(left, 5, text, "", 0, "L", false, 0, "")
	pdf.SetLineWidth(0.3)
	pdf.Line(margin, margin+6, pageW-margin, margin+6)
	pdf.SetXY(margin, margin+9)
}

func (d *doc) footer() {
	pdf := d.pdf
	y := pageH - 15
	pdf.SetLineWidth(0.3)
	pdf.Line(margin, y, pageW-margin, y)
	d.font(true, 8)
	pdf.SetXY(margin, y+1.5)
	pdf.CellFormat(contentW/3, 4, Confidential, "", 0, "L", false, 0, "")
	d.font(false, 8)
	pdf.CellFormat(contentW/3, 4, "Printed "+usTime(d.info.PrintedAt), "", 0, "C", false, 0, "")
	pdf.CellFormat(contentW/3, 4, fmt.Sprintf("Page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
}

// need starts a new page unless h millimetres fit on this one, repeating
// the current table's header and group.
func (d *doc) need(h float64) {
	if d.pdf.GetY()+h <= bottom {
		return
	}
	d.pdf.AddPage()
	if d.table != nil {
		d.tableHeader()
		if d.cont != "" {
			d.groupRow(d.cont + " (continued)")
		}
	}
}

// fit sets the font at size, smaller (down to 6 points) if text would
// not fit in w: a long name is shrunk rather than run into the next field.
func (d *doc) fit(bold bool, size float64, text string, w float64) {
	d.font(bold, size)
	for size > 6 && d.pdf.GetStringWidth(text)+2 > w {
		size -= 0.5
		d.font(bold, size)
	}
}

// summary is the student and where the record came from.
func (d *doc) summary() {
	pdf, p := d.pdf, d.patient
	const labelW = 24.0
	field := func(label, value string, w, h float64, size float64) {
		d.font(false, bodyPt)
		pdf.CellFormat(labelW, h, label, "", 0, "L", false, 0, "")
		value = clean(value)
		d.fit(true, size, value, w-labelW)
		pdf.CellFormat(w-labelW, h, value, "", 0, "L", false, 0, "")
	}
	pdf.SetX(margin)
	field("Student", fullName(p), contentW, 7, 13)
	pdf.Ln(7)
	pdf.SetX(margin)
	field("Date of birth", orNone(hl7.USDate(p.BirthDate)), 62, 6, 11)
	field("Age", orNone(Age(p.BirthDate, d.info.QueriedAt)), 62, 6, 11)
	field("Sex", sexName(p.Sex), contentW-124, 6, 11)
	pdf.Ln(6)
	pdf.SetX(margin)
	field("Registry ID", orNone(p.RegistryID), 62, 6, 11)
	field("Address", orNone(Address(p.Address)), contentW-62, 6, 11)
	pdf.Ln(8)

	d.font(false, bodyPt)
	source := "Source: CT WiZ query, as of " + usTime(d.info.QueriedAt)
	if d.info.Sandbox {
		d.font(true, bodyPt)
		source = SandboxLabel + " (not from CT WiZ), as of " + usTime(d.info.QueriedAt)
	}
	pdf.SetX(margin)
	pdf.CellFormat(contentW, lineH, source, "", 1, "L", false, 0, "")
	d.font(false, bodyPt)
	printed := "Printed " + usTime(d.info.PrintedAt)
	if d.info.User != "" {
		printed += " by " + d.info.User
	}
	if d.info.Facility != "" {
		printed += ", facility " + d.info.Facility
	}
	pdf.SetX(margin)
	pdf.CellFormat(contentW, lineH, clean(printed), "", 1, "L", false, 0, "")
	pdf.SetLineWidth(0.3)
	pdf.Line(margin, pdf.GetY()+2, pageW-margin, pdf.GetY()+2)
	pdf.Ln(4)
}

func (d *doc) heading(text string, t table) {
	// Keep the heading with the table header and at least one row.
	d.need(8 + 2*(lineH+2*padY) + 1)
	d.pdf.Ln(2)
	d.font(true, 12)
	d.pdf.SetX(margin)
	d.pdf.CellFormat(contentW, 7, text, "", 1, "L", false, 0, "")
	d.table, d.cont = t, ""
	if t != nil {
		d.tableHeader()
	}
}

func (d *doc) endTable() { d.table, d.cont = nil, "" }

func (d *doc) tableHeader() {
	pdf := d.pdf
	h := lineH + 2*padY
	d.font(true, bodyPt)
	pdf.SetFillColor(210, 210, 210)
	pdf.SetX(margin)
	for _, c := range d.table {
		pdf.CellFormat(c.w, h, c.title, "", 0, c.align, true, 0, "")
	}
	pdf.Ln(h)
	pdf.SetLineWidth(0.4)
	pdf.Line(margin, pdf.GetY(), pageW-margin, pdf.GetY())
}

// groupRow is a vaccine group's title row, spanning the table.
func (d *doc) groupRow(name string) {
	pdf := d.pdf
	h := lineH + 2*padY
	d.font(true, bodyPt)
	pdf.SetFillColor(238, 238, 238)
	pdf.SetX(margin)
	pdf.CellFormat(contentW, h, clean(name), "", 1, "L", true, 0, "")
}

// row draws one table row, wrapping long cells; a row never splits
// across pages.
func (d *doc) row(cells ...cell) {
	pdf := d.pdf
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		d.font(c.bold, bodyPt)
		lines[i] = pdf.SplitText(clean(c.text), d.table[i].w)
		n = max(n, len(lines[i]))
	}
	h := float64(n)*lineH + 2*padY
	d.need(h)
	y, x := pdf.GetY(), margin
	for i, c := range cells {
		d.font(c.bold, bodyPt)
		for j, l := range lines[i] {
			pdf.SetXY(x, y+padY+float64(j)*lineH)
			pdf.CellFormat(d.table[i].w, lineH, l, "", 0, d.table[i].align, false, 0, "")
		}
		x += d.table[i].w
	}
	pdf.SetLineWidth(0.1)
	pdf.Line(margin, y+h, pageW-margin, y+h)
	pdf.SetXY(margin, y+h)
}

func (d *doc) note(text string) {
	d.need(lineH + 2)
	d.font(false, bodyPt)
	d.pdf.SetX(margin)
	d.pdf.CellFormat(contentW, lineH+2, text, "", 1, "L", false, 0, "")
}

// historyRow is one dose as counted in one vaccine group.
type historyRow struct {
	group string
	imm   *hl7.Immunization
	ev    hl7.Evaluation // zero when the registry sent no evaluation
}

func (d *doc) history() {
	d.heading("Immunization history", nil)
	rows := historyRows(d.r.Immunizations)
	if len(rows) == 0 {
		d.note("The registry has no immunizations on record for this student.")
		return
	}
	d.table = historyTable
	d.tableHeader()
	group := ""
	for i, hr := range rows {
		if hr.group != group || i == 0 {
			group = hr.group
			d.cont = ""
			// Keep a group's title with its first dose.
			d.need(2 * (lineH + 2*padY))
			d.groupRow(group)
			d.cont = group
		}
		valid := cell{text: ValidWord(hr.imm, hr.ev.Valid)}
		valid.bold = valid.text == "No"
		d.row(
			cell{hl7.USDate(hr.imm.Date), false},
			cell{VaccineName(hr.imm.CVX, hr.imm.Vaccine), false},
			cell{hr.imm.CVX, false},
			cell{hr.ev.Dose, false},
			valid,
			cell{doseNotes(hr.imm, hr.ev), false},
		)
	}
	d.endTable()
}

// historyRows lists every dose once per vaccine group it counts toward,
// grouped by group name (alphabetically, "Other" last) and by date within
// a group. The registry's own evaluation names the group; without one the
// CDC's CVX-to-group table does.
func historyRows(imms []hl7.Immunization) []historyRow {
	var rows []historyRow
	for i := range imms {
		imm := &imms[i]
		if len(imm.Evaluations) > 0 {
			for _, ev := range imm.Evaluations {
				g := ev.Group
				if g == "" {
					g = hl7.GroupName(ev.CVX)
				}
				if g == "" {
					g = firstGroup(imm.CVX)
				}
				rows = append(rows, historyRow{g, imm, ev})
			}
			continue
		}
		groups := hl7.VaccineGroups(imm.CVX)
		if len(groups) == 0 {
			rows = append(rows, historyRow{group: "Other", imm: imm})
		}
		for _, g := range groups {
			rows = append(rows, historyRow{group: g.Name, imm: imm})
		}
	}
	slices.SortStableFunc(rows, func(a, b historyRow) int {
		if c := CompareGroups(a.group, b.group); c != 0 {
			return c
		}
		return strings.Compare(a.imm.Date, b.imm.Date)
	})
	return rows
}

func firstGroup(cvx string) string {
	if gs := hl7.VaccineGroups(cvx); len(gs) > 0 {
		return gs[0].Name
	}
	return "Other"
}

// CompareGroups orders vaccine group names as the record lists them:
// alphabetically regardless of case (HepA, HepB, HPV), "Other" last.
func CompareGroups(a, b string) int {
	if (a == "Other") != (b == "Other") {
		if a == "Other" {
			return 1
		}
		return -1
	}
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// doseNotes says why a dose does not simply count: the registry's reason,
// a refusal, a dose not or partly given.
func doseNotes(imm *hl7.Immunization, ev hl7.Evaluation) string {
	var notes []string
	switch strings.ToUpper(imm.Status) {
	case "RE":
		s := "Refused"
		if imm.Refusal != "" {
			s += ": " + imm.Refusal
		}
		notes = append(notes, s)
	case "NA":
		notes = append(notes, "Not administered")
	case "PA":
		notes = append(notes, "Partial dose")
	}
	if imm.Historical {
		// Reported from another record (RXA-9 01), not given here: the
		// screen's "historical".
		notes = append(notes, "Historical")
	}
	if ev.Reason != "" {
		notes = append(notes, ev.Reason)
	}
	return strings.Join(notes, "; ")
}

func (d *doc) forecast() {
	d.heading("Forecast: next doses", nil)
	if len(d.r.Forecast) == 0 {
		d.note("The registry sent no forecast with this record.")
		return
	}
	d.table = forecastTable
	d.tableHeader()
	// One row per vaccine group (the screen's arrangement): its most
	// urgent entry, the later ones as "then" dates in the notes.
	v := hl7.ViewForecast(d.r.Forecast, d.patient.BirthDate)
	for _, row := range v.Rows {
		f := row.Next
		urgent := f.Status == hl7.StatusOverdue || f.Status == hl7.StatusDue
		notes := nonEmpty(f.Reason)
		if len(row.Then) > 0 {
			notes = append([]string{"Then " + ThenWords(row.Then)}, notes...)
		}
		d.row(
			cell{row.Group, urgent},
			cell{StatusWord(f.Status), urgent},
			cell{f.Dose, false},
			cell{hl7.USDate(f.Earliest), false},
			cell{hl7.USDate(f.Due), false},
			cell{hl7.USDate(f.Overdue), urgent},
			cell{strings.Join(notes, "; "), false},
		)
	}
	d.endTable()
	for _, w := range append(DoneWords(v), AdultWords(v)) {
		if w != "" {
			d.note(clean(w))
		}
	}
}

// messages lists the registry's errors and warnings, then what this
// program noted while reading the reply (what it skipped or showed as sent).
func (d *doc) messages() {
	if len(d.r.Errors) == 0 && len(d.r.Warnings) == 0 {
		return
	}
	d.heading("Registry messages", messageTable)
	for _, e := range d.r.Errors {
		code := e.AppCode // the registry's own code says more than HL7's generic one
		if code == "" {
			code = e.Code
		}
		d.row(cell{severityName(e.Severity), e.Severity == "E"}, cell{orNone(e.Message), false}, cell{code, false})
	}
	for _, w := range d.r.Warnings {
		d.row(cell{"Note", false}, cell{w, false}, cell{})
	}
	d.endTable()
}

func nonEmpty(s ...string) []string {
	return slices.DeleteFunc(s, func(v string) bool { return v == "" })
}

func severityName(s string) string {
	switch strings.ToUpper(s) {
	case "E":
		return "Error"
	case "W":
		return "Warning"
	case "I":
		return "Information"
	}
	return s
}

// clean makes registry text safe for the PDF library, which fails on
// characters beyond the Basic Multilingual Plane (emoji) and draws control
// characters as boxes: those become U+FFFD and spaces.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r > 0xFFFF:
			return unicode.ReplacementChar
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, string(unicode.ReplacementChar)))
}

func fullName(p hl7.Patient) string {
	given := strings.Join(nonEmpty(p.Given, p.Middle, p.Suffix), " ")
	if p.Family == "" {
		return given
	}
	if given == "" {
		return p.Family
	}
	return p.Family + ", " + given
}

func sexName(s string) string {
	switch strings.ToUpper(s) {
	case "F":
		return "Female"
	case "M":
		return "Male"
	case "U", "":
		return "Unknown"
	case "X":
		return "Non-binary (X)"
	}
	return s
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func usTime(t time.Time) string {
	return t.Format("01/02/2006 3:04 PM MST")
}
