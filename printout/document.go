package printout

import (
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Document is a plain US Letter report in the record's font: headings,
// paragraphs, tables that wrap their cells and repeat their header on a
// new page, bulleted lists and preformatted lines, with "Page N of M" on
// every page unless Unnumbered. The onboarding report, the roster's
// summary and its letters to parents are ones. The same content and date
// give the same bytes.
type Document struct {
	pdf        *fpdf.Fpdf
	footer     string
	unnumbered bool
	header     []string // the current table's header, repeated after a break
	widths     []float64
}

// NewDocument starts a document; title is its PDF title, footer is
// printed at the left of every page's foot.
func NewDocument(title, footer string, created time.Time) *Document {
	pdf := fpdf.New("P", "mm", "Letter", "")
	d := &Document{pdf: pdf, footer: footer}
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(title, true)
	pdf.SetCreator("ctwiz-nurse", true)
	pdf.AddUTF8FontFromBytes(family, "", fontRegular)
	pdf.AddUTF8FontFromBytes(family, "B", fontBold)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		y := pageH - 15
		pdf.SetLineWidth(0.3)
		pdf.Line(margin, y, pageW-margin, y)
		pdf.SetFont(family, "", 8)
		pdf.SetXY(margin, y+1.5)
		pdf.CellFormat(contentW/2, 4, clean(d.footer), "", 0, "L", false, 0, "")
		if !d.unnumbered {
			pdf.CellFormat(contentW/2, 4, fmt.Sprintf("Page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
		}
	})
	pdf.AddPage()
	return d
}

// need starts a new page unless h millimetres fit on this one.
func (d *Document) need(h float64) bool {
	if d.pdf.GetY()+h <= bottom {
		return false
	}
	d.pdf.AddPage()
	return true
}

// NewPage starts a new page: each letter of a set begins on its own.
func (d *Document) NewPage() {
	d.header = nil
	d.pdf.AddPage()
}

// Unnumbered leaves "Page N of M" out of every page's foot: pages handed
// out one by one (a letter to a parent) do not say how many others there
// are.
func (d *Document) Unnumbered() { d.unnumbered = true }

// Heading writes a heading: level 1 is the title, 2 a section, 3 a
// subsection.
func (d *Document) Heading(level int, text string) {
	size := map[int]float64{1: 16, 2: 13}[level]
	if size == 0 {
		size = 10.5
	}
	d.header = nil
	d.need(size + 12) // keep it with what follows
	d.pdf.Ln(2)
	d.pdf.SetFont(family, "B", size)
	for _, l := range d.pdf.SplitText(clean(text), contentW) {
		d.pdf.SetX(margin)
		d.pdf.CellFormat(contentW, size*0.5, l, "", 1, "L", false, 0, "")
	}
	d.pdf.Ln(1)
}

// Paragraph writes wrapped text; bold sets it in the bold face.
func (d *Document) Paragraph(text string, bold bool) {
	// Split in the face it is set in (the first thing on a page too).
	d.pdf.SetFont(family, map[bool]string{true: "B"}[bold], bodyPt)
	d.lines(d.pdf.SplitText(clean(text), contentW), bold, bodyPt)
	d.pdf.Ln(1.5)
}

// Lines writes each line as a line of its own (wrapped when long), with
// no space between: a signature, an address.
func (d *Document) Lines(ls ...string) {
	d.pdf.SetFont(family, "", bodyPt)
	for _, l := range ls {
		d.lines(d.pdf.SplitText(clean(l), contentW), false, bodyPt)
	}
	d.pdf.Ln(1.5)
}

// Bullets writes a list, one wrapped item per bullet, its lines indented
// under the first.
func (d *Document) Bullets(items []string) {
	const indent = 5.0
	h := bodyPt * 0.45
	for _, it := range items {
		d.pdf.SetFont(family, "", bodyPt)
		ls := d.pdf.SplitText(clean(it), contentW-indent)
		d.need(h * float64(min(len(ls), 3))) // a bullet is not left alone at a page's foot
		for i, l := range ls {
			d.need(h)
			d.pdf.SetFont(family, "", bodyPt)
			d.pdf.SetX(margin)
			mark := ""
			if i == 0 {
				mark = "\u2022"
			}
			d.pdf.CellFormat(indent, h, mark, "", 0, "L", false, 0, "")
			d.pdf.CellFormat(contentW-indent, h, l, "", 1, "L", false, 0, "")
		}
		d.pdf.Ln(0.8)
	}
	d.pdf.Ln(1)
}

// Preformatted writes text line by line, small, wrapping long lines.
func (d *Document) Preformatted(text string) {
	d.pdf.SetFont(family, "", 7)
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		d.lines(d.pdf.SplitText(clean(line), contentW), false, 7)
	}
	d.pdf.Ln(1.5)
}

func (d *Document) lines(ls []string, bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	h := size * 0.45
	for _, l := range ls {
		d.need(h)
		d.pdf.SetFont(family, style, size)
		d.pdf.SetX(margin)
		d.pdf.CellFormat(contentW, h, l, "", 1, "L", false, 0, "")
	}
}

// Table writes a table: widths are fractions of the page width, one per
// column. A row never splits across pages; the header is repeated.
func (d *Document) Table(header []string, widths []float64, rows [][]string) {
	d.header = header
	d.widths = make([]float64, len(widths))
	for i, w := range widths {
		d.widths[i] = w * contentW
	}
	d.need(2 * (lineH + 2*padY))
	d.tableHeader()
	for _, r := range rows {
		d.row(r)
	}
	d.header = nil
	d.pdf.Ln(2)
}

// tableHeader writes the header, its cells wrapped as a row's are.
func (d *Document) tableHeader() {
	pdf := d.pdf
	pdf.SetFont(family, "B", bodyPt)
	lines := make([][]string, len(d.header))
	n := 1
	for i, c := range d.header {
		lines[i] = pdf.SplitText(clean(c), d.widths[i]-1)
		n = max(n, len(lines[i]))
	}
	h := float64(n)*lineH + 2*padY
	y := pdf.GetY()
	pdf.SetFillColor(210, 210, 210)
	pdf.Rect(margin, y, contentW, h, "F")
	x := margin
	for i := range d.header {
		for j, l := range lines[i] {
			pdf.SetXY(x, y+padY+float64(j)*lineH)
			pdf.CellFormat(d.widths[i], lineH, l, "", 0, "L", false, 0, "")
		}
		x += d.widths[i]
	}
	pdf.SetXY(margin, y+h)
}

func (d *Document) row(cells []string) {
	pdf := d.pdf
	pdf.SetFont(family, "", bodyPt)
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		lines[i] = pdf.SplitText(clean(c), d.widths[i]-1)
		n = max(n, len(lines[i]))
	}
	h := float64(n)*lineH + 2*padY
	if d.need(h) {
		d.tableHeader()
	}
	pdf.SetFont(family, "", bodyPt)
	y, x := pdf.GetY(), margin
	for i := range cells {
		for j, l := range lines[i] {
			pdf.SetXY(x, y+padY+float64(j)*lineH)
			pdf.CellFormat(d.widths[i], lineH, l, "", 0, "L", false, 0, "")
		}
		x += d.widths[i]
	}
	pdf.SetLineWidth(0.1)
	pdf.Line(margin, y+h, pageW-margin, y+h)
	pdf.SetXY(margin, y+h)
}

// Output writes the PDF to w. fpdf panics on some input it cannot lay
// out: callers building a Document from outside text recover.
func (d *Document) Output(w io.Writer) error {
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("writing the PDF: %w", err)
	}
	return nil
}
