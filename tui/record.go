package tui

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
)

// recordModel is the record screen: the student's name, age and birth
// date pinned at the top; demographics, registry messages, the
// school-entry check (when a grade was given), forecast and history in a
// scrollable viewport below; and the print menu.
type recordModel struct {
	resp           *hl7.Response
	at             time.Time // when the registry answered: "as of" on paper, the age shown
	header         string    // the pinned lines, rendered for width
	vp             viewport.Model
	width          int // the width the content was rendered for
	fromCandidates bool

	school *schoolCheck // the school-entry check; nil: no grade given

	printMenu bool            // p pressed: printer, viewer or file?
	printer   string          // where p sends the job, as the menu names it
	copying   bool            // printing: the number of copies is being typed
	copies    textinput.Model // the number of copies
	copiesErr string          // why the number typed is refused
	naming    bool            // saving: the file name is being typed
	file      textinput.Model // the file name
	// exists is the name she was told already exists: Enter on it again
	// replaces that file.
	exists string
}

// record intents, acted on by the root model.
type (
	backIntent      struct{}
	newSearchIntent struct{}
	printIntent     struct {
		how     printHow
		path    string
		replace bool // the nurse confirmed replacing an existing file
		copies  int  // to the printer
	}
	// printMenuIntent asks the root which printer the menu's p sends to.
	printMenuIntent struct{}
)

// maxCopies bounds the copies of one record printed at once.
const maxCopies = 20

type printHow int

const (
	toPrinter printHow = iota
	toViewer
	toFile
)

func (h printHow) String() string { return [...]string{"printer", "viewer", "file"}[h] }

// failed starts the status line of a hand-off that did not work.
func (h printHow) failed() string {
	return [...]string{"Printing failed", "The PDF viewer did not open", "The record was not saved"}[h]
}

func newRecordModel(resp *hl7.Response, school *schoolCheck, fromCandidates bool, st styles, w, h int, at time.Time) recordModel {
	r := recordModel{resp: resp, school: school, at: at, fromCandidates: fromCandidates, vp: viewport.New()}
	r.vp.KeyMap.PageDown = key.NewBinding(key.WithKeys("pgdown", "space", "f"))
	r.vp.KeyMap.PageUp = key.NewBinding(key.WithKeys("pgup", "b"))
	r.resize(st, w, h)
	return r
}

// resize re-renders the content when the width changes (columns adapt)
// and gives the viewport the body's height.
func (r *recordModel) resize(st styles, w, h int) {
	if w != r.width || r.header == "" {
		r.header = recordHeader(r.resp, st, min(w, maxRecordWidth), r.at)
	}
	r.vp.SetWidth(w)
	r.vp.SetHeight(max(h-lipgloss.Height(r.header), 1))
	if w != r.width {
		off := r.vp.YOffset()
		r.vp.SetContent(renderRecord(r.resp, r.school, st, w))
		r.vp.SetYOffset(off)
		r.width = w
	}
}

func (r recordModel) update(msg tea.Msg, k keyMap) (recordModel, tea.Cmd, any) {
	km, isKey := msg.(tea.KeyPressMsg)
	switch {
	case isKey && r.naming:
		switch {
		case key.Matches(km, k.Abort):
			r.naming, r.printMenu, r.exists = false, false, ""
			return r, nil, nil
		case key.Matches(km, k.Submit):
			path := strings.TrimSpace(r.file.Value())
			if path == "" {
				return r, nil, nil
			}
			replace := path == r.exists
			r.naming, r.printMenu, r.exists = false, false, ""
			return r, nil, printIntent{how: toFile, path: path, replace: replace}
		}
		var cmd tea.Cmd
		r.file, cmd = r.file.Update(msg)
		return r, cmd, nil
	case isKey && r.copying:
		switch {
		case key.Matches(km, k.Abort):
			r.copying, r.printMenu, r.copiesErr = false, false, ""
			return r, nil, nil
		case key.Matches(km, k.Submit):
			n, err := strconv.Atoi(strings.TrimSpace(r.copies.Value()))
			if err != nil || n < 1 || n > maxCopies {
				r.copiesErr = fmt.Sprintf("type a number of copies from 1 to %d", maxCopies)
				return r, nil, nil
			}
			r.copying, r.printMenu, r.copiesErr = false, false, ""
			return r, nil, printIntent{how: toPrinter, copies: n}
		}
		var cmd tea.Cmd
		r.copies, cmd = r.copies.Update(msg)
		return r, cmd, nil
	case isKey && r.printMenu:
		switch {
		case key.Matches(km, k.ToPrinter):
			r.copying, r.copiesErr = true, ""
			r.copies = newInput()
			r.copies.Prompt = "Copies to print on " + cmp.Or(r.printer, "the printer") + ": "
			r.copies.CharLimit = 2
			r.copies.SetValue("1")
			r.copies.CursorEnd()
			return r, r.copies.Focus(), nil
		case key.Matches(km, k.ToViewer):
			r.printMenu = false
			return r, nil, printIntent{how: toViewer}
		case key.Matches(km, k.ToFile):
			return r, r.askFileName(r.offeredName(), ""), nil
		case key.Matches(km, k.Abort):
			r.printMenu = false
		}
		return r, nil, nil
	case isKey && key.Matches(km, k.Print):
		r.printMenu = true
		return r, nil, printMenuIntent{}
	case isKey && key.Matches(km, k.NewSearch):
		return r, nil, newSearchIntent{}
	case isKey && key.Matches(km, k.Back):
		return r, nil, backIntent{}
	case isKey && key.Matches(km, k.Top):
		r.vp.GotoTop()
		return r, nil, nil
	case isKey && key.Matches(km, k.Bottom):
		r.vp.GotoBottom()
		return r, nil, nil
	}
	var cmd tea.Cmd
	r.vp, cmd = r.vp.Update(msg)
	return r, cmd, nil
}

// offeredName is the file name the save prompt offers.
func (r recordModel) offeredName() string {
	if r.resp == nil || len(r.resp.Patients) == 0 {
		return "immunization-record.pdf"
	}
	return fileNameFor(r.resp.Patients[0])
}

// askFileName opens the save prompt with name typed in; exists is set
// when name is a file she was just told exists.
func (r *recordModel) askFileName(name, exists string) tea.Cmd {
	r.printMenu, r.naming, r.exists = true, true, exists
	r.file = newInput()
	r.file.Prompt = "Save as: "
	r.file.SetValue(name)
	r.file.CursorEnd()
	return r.file.Focus()
}

func (r recordModel) view() string { return r.header + "\n" + r.vp.View() }

// maxNameLines is how many lines the pinned name may take; a longer one
// ends in "…" rather than pushing the record off a small screen.
const maxNameLines = 2

// recordHeader is what stays in sight while the record scrolls: who the
// student is (name, birth date, age as of the reply, sex, registry ID).
// The name wraps, and is never cut without "…".
func recordHeader(resp *hl7.Response, st styles, w int, at time.Time) string {
	if len(resp.Patients) == 0 {
		return st.title.Render("No student in this reply")
	}
	p := resp.Patients[0]
	name := strings.Split(lipgloss.Wrap(personName(p.Family, p.Given, p.Middle, p.Suffix), w, " "), "\n")
	if len(name) > maxNameLines {
		// The rest joins the last line, which is then cut with "…".
		name[maxNameLines-1] = ansi.Truncate(strings.Join(name[maxNameLines-1:], " "), w, "…")
		name = name[:maxNameLines]
	}
	for i := range name {
		name[i] = st.title.Render(name[i])
	}
	segs := []string{"Born " + st.bold.Render(usDate(p.BirthDate))}
	if age := printout.Age(p.BirthDate, at); age != "" {
		segs = append(segs, "age "+st.bold.Render(age))
	}
	segs = append(segs, "Sex "+orDash(p.Sex), "Registry ID "+orDash(p.RegistryID))
	return strings.Join(name, "\n") + "\n" + joinWrapped(segs, "", w)
}

// renderRecord lays out a record for a terminal w columns wide, with the
// school-entry check (when a grade was given) above the forecast. Dates
// and statuses are never cut; long vaccine names and lots are.
func renderRecord(resp *hl7.Response, school *schoolCheck, st styles, w int) string {
	// On a very wide terminal the registry ID would sit far from the
	// name and the lot far from the date: keep the record to a readable width.
	w = min(w, maxRecordWidth)
	var b strings.Builder
	if len(resp.Patients) > 0 {
		writePatient(&b, resp.Patients[0], w)
	}
	writeMessages(&b, resp, st, w)
	writeSchoolEntry(&b, school, st, w)
	writeForecast(&b, resp, st, w)
	writeHistory(&b, resp.Immunizations, st, w)
	return strings.TrimRight(b.String(), "\n")
}

// writePatient is the rest of the student's demographics, under the
// pinned header.
func writePatient(b *strings.Builder, p hl7.Patient, w int) {
	addr := printout.Address(p.Address)
	var more []string
	if p.MotherMaidenName != "" {
		more = append(more, "Mother's maiden name "+p.MotherMaidenName)
	}
	if addr != "" {
		more = append(more, addr)
	}
	if p.Phone != "" {
		more = append(more, "Phone "+hl7.USPhone(p.Phone))
	}
	if len(more) > 0 {
		b.WriteString(joinWrapped(more, "", w) + "\n")
	}
	b.WriteString("\n")
}

// writeMessages shows the registry's errors and warnings, and what the
// decoder could not read: a nurse must see them, not guess.
func writeMessages(b *strings.Builder, resp *hl7.Response, st styles, w int) {
	if len(resp.Errors) == 0 && len(resp.Warnings) == 0 {
		return
	}
	b.WriteString(st.section.Render("Registry messages") + "\n")
	for _, e := range resp.Errors {
		b.WriteString(registryErrorLine(e, st, w) + "\n")
	}
	for _, wn := range resp.Warnings {
		b.WriteString(indentWrap(st.sevInfo.Render("NOTE   ")+" ", "Part of the reply could not be read: "+wn, w) + "\n")
	}
	b.WriteString("\n")
}

func registryErrorLine(e hl7.RegistryError, st styles, w int) string {
	var label string
	switch e.Severity {
	case "W":
		label = st.sevWarning.Render("WARNING")
	case "I":
		label = st.sevInfo.Render("INFO   ")
	default:
		label = st.sevError.Render("ERROR  ")
	}
	msg := e.Message
	if msg == "" {
		msg = "the registry reported a problem without a message"
	}
	var ref []string
	if e.AppCode != "" {
		ref = append(ref, "code "+e.AppCode)
	} else if e.Code != "" {
		ref = append(ref, "code "+e.Code)
	}
	if e.Location != "" {
		ref = append(ref, "at "+e.Location)
	}
	if len(ref) > 0 {
		msg += " (" + strings.Join(ref, ", ") + ")"
	}
	return indentWrap(label+" ", msg, w)
}

// indentWrap writes prefix then text wrapped so continuation lines line up
// under the text.
func indentWrap(prefix, text string, w int) string {
	pw := lipgloss.Width(prefix) + 2
	lines := strings.Split(wrap(text, w-pw), "\n")
	pad := strings.Repeat(" ", pw)
	for i := range lines {
		if i == 0 {
			lines[i] = "  " + prefix + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// maxRecordWidth is the widest the record is laid out.
const maxRecordWidth = 120

func writeForecast(b *strings.Builder, resp *hl7.Response, st styles, w int) {
	b.WriteString(st.section.Render("Forecast") + "\n")
	if len(resp.Forecast) == 0 {
		b.WriteString("  The registry sent no forecast with this record.\n\n")
		return
	}
	birth := ""
	if len(resp.Patients) > 0 {
		birth = resp.Patients[0].BirthDate
	}
	// One row per vaccine group, most urgent first, as on paper and in
	// query: what the nurse must act on is at the top.
	v := hl7.ViewForecast(resp.Forecast, birth)
	const doseW, dateW = 4, 10
	groupW, statusW := len("Vaccine group"), len("Status")
	for _, r := range v.Rows {
		groupW = max(groupW, min(lipgloss.Width(r.Group), 20))
		statusW = max(statusW, lipgloss.Width(printout.StatusWord(r.Next.Status)))
	}
	fixed := 2 + groupW + 1 + statusW + 1 + doseW + 1 + 3*(dateW+1)
	if fixed-1 > w {
		writeForecastStacked(b, v, st, w)
		return
	}
	thenW := w - fixed // the "then" dates take the rest of the row, else go beneath
	hdr := "  " + cell("Vaccine group", groupW) + " " + cell("Status", statusW) + " " + cell("Dose", doseW) + " " +
		cell("Earliest", dateW) + " " + cell("Due", dateW) + " " + cell("Overdue", dateW)
	if thenW >= dateW && slices.ContainsFunc(v.Rows, func(r hl7.ForecastRow) bool { return len(r.Then) > 0 }) {
		hdr += " Then"
	}
	b.WriteString(st.faint.Render(strings.TrimRight(hdr, " ")) + "\n")
	for _, r := range v.Rows {
		f := r.Next
		line := "  " + cell(r.Group, groupW) + " " + cell(st.forecastStatus(f.Status), statusW) + " " + cell(orDash(f.Dose), doseW) + " " +
			cell(usDate(f.Earliest), dateW) + " " + cell(usDate(f.Due), dateW) + " " + cell(usDate(f.Overdue), dateW)
		then := printout.ThenWords(r.Then)
		if then != "" && lipgloss.Width(then) <= thenW {
			line += " " + then
			then = ""
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
		if then != "" {
			b.WriteString(indentWrap("  ", "then "+then, w) + "\n")
		}
		if f.Reason != "" {
			b.WriteString(indentWrap("  ", st.faint.Render(f.Reason), w) + "\n")
		}
	}
	writeForecastFoot(b, v, st, w)
}

// writeForecastFoot writes the groups with nothing to give on one line and
// says how many adult entries were left out.
func writeForecastFoot(b *strings.Builder, v hl7.ForecastView, st styles, w int) {
	if done := printout.DoneWords(v); len(done) > 0 {
		b.WriteString(joinWrapped(done, "  ", w) + "\n")
	}
	if adult := printout.AdultWords(v); adult != "" {
		b.WriteString(indentWrap("", st.faint.Render(adult), w) + "\n")
	}
	b.WriteString("\n")
}

// writeForecastStacked is the forecast for a terminal too narrow for its
// columns: the group and status on one line, the dates wrapped below, so
// no date is cut.
func writeForecastStacked(b *strings.Builder, v hl7.ForecastView, st styles, w int) {
	for _, r := range v.Rows {
		f := r.Next
		b.WriteString("  " + r.Group + "  " + st.forecastStatus(f.Status) + "\n")
		var dates []string
		if f.Dose != "" {
			dates = append(dates, "dose "+f.Dose)
		}
		for _, d := range []struct{ label, date string }{{"earliest", f.Earliest}, {"due", f.Due}, {"overdue", f.Overdue}} {
			if d.date != "" {
				dates = append(dates, d.label+" "+usDate(d.date))
			}
		}
		if len(r.Then) > 0 {
			dates = append(dates, "then "+printout.ThenWords(r.Then))
		}
		if len(dates) > 0 {
			b.WriteString(joinWrapped(dates, "    ", w) + "\n")
		}
		if f.Reason != "" {
			b.WriteString(indentWrap("  ", st.faint.Render(f.Reason), w) + "\n")
		}
	}
	writeForecastFoot(b, v, st, w)
}

// doseRow is one immunization as counted in one vaccine group.
type doseRow struct {
	imm  hl7.Immunization
	eval *hl7.Evaluation
}

// groupHistory groups doses by vaccine group (a combination vaccine
// appears in each of its groups) and sorts each group by date.
func groupHistory(imms []hl7.Immunization) ([]string, map[string][]doseRow) {
	groups := map[string][]doseRow{}
	for _, im := range imms {
		switch {
		case len(im.Evaluations) > 0:
			for i := range im.Evaluations {
				ev := &im.Evaluations[i]
				g := cmp.Or(ev.Group, hl7.GroupName(ev.CVX), hl7.GroupName(im.CVX), "Other")
				groups[g] = append(groups[g], doseRow{im, ev})
			}
		case len(hl7.VaccineGroups(im.CVX)) > 0:
			for _, g := range hl7.VaccineGroups(im.CVX) {
				groups[g.Name] = append(groups[g.Name], doseRow{im, nil})
			}
		default:
			groups["Other"] = append(groups["Other"], doseRow{im, nil})
		}
	}
	names := make([]string, 0, len(groups))
	for g, rows := range groups {
		names = append(names, g)
		slices.SortStableFunc(rows, func(a, c doseRow) int { return cmp.Compare(a.imm.Date, c.imm.Date) })
	}
	slices.SortFunc(names, printout.CompareGroups) // the paper's order
	return names, groups
}

func writeHistory(b *strings.Builder, imms []hl7.Immunization, st styles, w int) {
	b.WriteString(st.section.Render("History ("+historyCount(imms)+")") + "\n")
	if len(imms) == 0 {
		b.WriteString("  No immunizations on record.\n")
		return
	}
	const dateW, cvxW, doseW, validW = 10, 4, 4, 13 // "not evaluated"
	srcW := len("administered")                     // wider only when a dose's source is "source not stated"
	for i := range imms {
		srcW = max(srcW, len(printout.SourceWord(&imms[i])))
	}
	fixed := 4 + dateW + 1 + 1 + cvxW + 1 + doseW + 1 + validW + 1 + srcW + 1
	lotW := len("Lot") // no wider than the longest lot: the vaccine's name needs the room
	for _, im := range imms {
		lotW = min(max(lotW, lipgloss.Width(im.Lot)), 10)
	}
	vacW := w - fixed - lotW
	if vacW < 12 {
		lotW = max(lotW-(12-vacW), 4)
		vacW = w - fixed - lotW
	}
	vacW = min(vacW, 56) // the longest CDC short names (COVID-19 products) fit
	names, groups := groupHistory(imms)
	if vacW < 8 {
		writeHistoryStacked(b, names, groups, st, w)
		return
	}
	hdr := "    " + cell("Date", dateW) + " " + cell("Vaccine", vacW) + " " + cell("CVX", cvxW) + " " + cell("Dose", doseW) + " " +
		cell("Valid", validW) + " " + cell("Given", srcW) + " Lot"
	for _, g := range names {
		b.WriteString("  " + st.groupName.Render(g) + "\n")
		b.WriteString(st.faint.Render(hdr) + "\n")
		for _, d := range groups[g] {
			r := describeDose(d, st)
			row := "    " + cell(usDate(d.imm.Date), dateW) + " " + cell(r.vaccine, vacW) + " " + cell(d.imm.CVX, cvxW) + " " +
				cell(r.dose, doseW) + " " + cell(r.valid, validW) + " " + cell(r.source, srcW) + " " + cell(d.imm.Lot, lotW)
			b.WriteString(strings.TrimRight(row, " ") + "\n")
			for _, n := range r.notes {
				b.WriteString(indentWrap(strings.Repeat(" ", dateW+3), n, w) + "\n")
			}
		}
	}
}

// historyCount says how many doses were given and, apart, how many were
// refused or not given: a refusal is on the record but is not a dose.
func historyCount(imms []hl7.Immunization) string {
	notGiven := 0
	for _, im := range imms {
		if im.Status == "RE" || im.Status == "NA" {
			notGiven++
		}
	}
	given := len(imms) - notGiven
	s := fmt.Sprintf("%d %s", given, plural(given, "dose", "doses"))
	if notGiven > 0 {
		s += fmt.Sprintf(", %d refused or not given", notGiven)
	}
	return s
}

// writeHistoryStacked is the history for a terminal too narrow for its
// columns: date and vaccine on one line, the rest wrapped below.
func writeHistoryStacked(b *strings.Builder, names []string, groups map[string][]doseRow, st styles, w int) {
	for _, g := range names {
		b.WriteString("  " + st.groupName.Render(g) + "\n")
		for _, d := range groups[g] {
			r := describeDose(d, st)
			b.WriteString(indentWrap("  ", usDate(d.imm.Date)+"  "+r.vaccine+" (CVX "+d.imm.CVX+")", w) + "\n")
			more := []string{"dose " + r.dose, r.valid, r.source}
			if d.imm.Lot != "" {
				more = append(more, "lot "+d.imm.Lot)
			}
			b.WriteString(joinWrapped(more, "      ", w) + "\n")
			for _, n := range r.notes {
				b.WriteString(indentWrap("    ", n, w) + "\n")
			}
		}
	}
}

// joinWrapped joins segments with " · " into indented lines of at most w
// columns, breaking only between segments, so "due 02/01/2026" stays whole.
func joinWrapped(segs []string, indent string, w int) string {
	var lines []string
	line := indent
	for _, s := range segs {
		switch {
		case line == indent:
			line += s
		case lipgloss.Width(line)+3+lipgloss.Width(s) <= w:
			line += " · " + s
		default:
			lines = append(lines, line)
			line = indent + s
		}
	}
	return strings.Join(append(lines, line), "\n")
}

// doseWords is one dose as the history writes it.
type doseWords struct {
	vaccine, dose, valid, source string
	notes                        []string // why not valid, refusals
}

func describeDose(d doseRow, st styles) doseWords {
	r := doseWords{vaccine: printout.VaccineName(d.imm.CVX, d.imm.Vaccine), dose: "-"}
	var ev hl7.Evaluation
	if d.eval != nil {
		ev = *d.eval
		r.dose = orDash(ev.Dose)
	}
	// The paper's word, in the screen's case; a blank would read as "not valid".
	switch printout.ValidWord(&d.imm, ev.Valid) {
	case "Yes":
		r.valid = st.valid.Render("valid")
	case "No":
		r.valid = st.invalid.Render("NOT VALID")
		r.notes = append(r.notes, "not valid: "+cmp.Or(ev.Reason, "the registry gave no reason"))
	case "Not evaluated":
		r.valid = "not evaluated"
	default:
		r.valid = "-"
	}
	if ev.Valid != "N" && ev.Reason != "" {
		r.notes = append(r.notes, ev.Reason)
	}
	r.source = printout.SourceWord(&d.imm)
	if d.imm.Status == "RE" {
		r.notes = append(r.notes, "refused: "+cmp.Or(d.imm.Refusal, "no reason given"))
	}
	return r
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
