package printout

import (
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

var schoolTable = table{
	{"Requirement", 30, "L"},
	{"Status", 24, "L"},
	{"Details", contentW - 30 - 24, "L"},
}

// schoolEntry is the school-entry check for the grade asked, when one
// was: the overall status, one row per requirement, and the label that
// says whose reading it is.
func (d *doc) schoolEntry() {
	res := d.info.SchoolEntry
	if res == nil {
		return
	}
	d.heading("School entry - "+res.Grade.Words()+", "+res.SchoolYear+": "+res.StatusWords(), nil)
	d.font(false, bodyPt)
	d.pdf.SetX(margin)
	d.pdf.MultiCell(contentW, lineH, capitalize(res.Label())+".", "", "L", false)
	d.pdf.Ln(1)
	d.table = schoolTable
	d.tableHeader()
	for _, q := range res.Requirements {
		detail := q.Details()
		if docs := q.DocumentsSentence(); docs != "" {
			detail += ". " + docs
		}
		d.row(cell{q.Vaccine, q.Status != schoolentry.Met}, cell{schoolentry.StatusWords(q.Status), q.Status != schoolentry.Met}, cell{detail, false})
	}
	d.endTable()
}
