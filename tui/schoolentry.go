package tui

import (
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

// schoolCheck is the school-entry check of the record on screen for the
// grade the form gave: its result, or why there is none (a record without
// a birth date, a day no built-in rules cover).
type schoolCheck struct {
	grade schoolentry.Grade
	res   *schoolentry.Result
	err   error
}

// checkSchoolEntry checks resp for grade on day; nil when no grade was
// given, so the record shows no section at all.
func checkSchoolEntry(resp *hl7.Response, grade schoolentry.Grade, day time.Time) *schoolCheck {
	if grade == "" {
		return nil
	}
	res, err := schoolentry.Check(resp, grade, day)
	return &schoolCheck{grade: grade, res: res, err: err}
}

// Columns of the section: the longest requirement names (DTaP/Tdap/Td,
// Pneumococcal) and status (IN PROCESS) fit whole.
const (
	reqNameW   = 12
	reqStatusW = 10
	// minDetailsW is the narrowest the details column is laid out as a
	// column; below it each requirement's details go under its name.
	minDetailsW = 20
)

// writeSchoolEntry is the School entry section above the forecast: the
// overall status as a badge word, the label that says whose reading it
// is, then one line per requirement with what a nurse can say to a
// parent, and, for what is not met, the documents that could meet it.
// Its text breaks at spaces only, so a date (2027-02-01) or the school
// year (2026-27) is never split at its hyphen.
func writeSchoolEntry(b *strings.Builder, sc *schoolCheck, st styles, w int) {
	if sc == nil {
		return
	}
	title := "School entry, " + sc.grade.Words()
	if sc.err != nil {
		writeWords(b, "", "", title, st.section, w)
		writeWords(b, "  ", "  ", "Not checked: "+sc.err.Error(), st.statusErr, w)
		b.WriteString("\n")
		return
	}
	res := sc.res
	title += ", " + res.SchoolYear
	badge := st.schoolStatus(res.Status)
	if lipgloss.Width(title)+2+lipgloss.Width(badge) <= w {
		b.WriteString(st.section.Render(title) + "  " + badge + "\n")
	} else {
		writeWords(b, "", "", title, st.section, w)
		b.WriteString("  " + badge + "\n")
	}
	writeWords(b, "  ", "  ", res.Label(), st.faint, w)
	plain := lipgloss.NewStyle()
	stacked := w-2-reqNameW-1-reqStatusW-1 < minDetailsW
	for i := range res.Requirements {
		q := &res.Requirements[i]
		status := st.requirementStatus(q.Status)
		// The details follow the name and status in their column, or,
		// stacked, go under them.
		first := "  " + cell(q.Vaccine, reqNameW) + " " + cell(status, reqStatusW) + " "
		indent := strings.Repeat(" ", lipgloss.Width(first))
		if stacked {
			b.WriteString(cell("  "+q.Vaccine+"  "+status, w) + "\n")
			first, indent = "    ", "    "
		}
		writeWords(b, first, indent, q.Details(), plain, w)
		if docs := q.DocumentsSentence(); docs != "" {
			writeWords(b, indent, indent, docs, plain, w)
		}
	}
	b.WriteString("\n")
}

// writeWords writes text in style st wrapped (at spaces, as wrap does)
// into lines of at most w columns: the first after first, the others
// after indent (of the same width).
func writeWords(b *strings.Builder, first, indent, text string, st lipgloss.Style, w int) {
	for line := range strings.SplitSeq(wrap(text, w-lipgloss.Width(indent)), "\n") {
		b.WriteString(first + st.Render(line) + "\n")
		first = indent
	}
}
