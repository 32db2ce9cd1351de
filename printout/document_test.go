package printout

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestDocumentPages: NewPage starts each part on its own page, a long
// bullet wraps under its first line, and Unnumbered leaves the page
// numbers out while the footer stays.
func TestDocumentPages(t *testing.T) {
	long := "Varicella: 2 doses, the first on or after the 1st birthday; or 2 doses at least 4 weeks apart " +
		"(first dose at 13 years or older), which is a requirement long enough to wrap onto a second line of the page"
	for _, numbered := range []bool{true, false} {
		d := NewDocument("Letters", "Hillside School", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		if !numbered {
			d.Unnumbered()
		}
		d.Paragraph("First letter", true)
		d.Bullets([]string{"Tdap: 1 dose", long})
		d.NewPage()
		d.Paragraph("Second letter", true)
		var buf bytes.Buffer
		if err := d.Output(&buf); err != nil {
			t.Fatal(err)
		}
		pages := pdfText(t, buf.Bytes())
		if len(pages) != 2 || !strings.Contains(pages[0], "First letter") || strings.Contains(pages[0], "Second letter") ||
			!strings.Contains(pages[1], "Second letter") {
			t.Fatalf("numbered %v: pages %q", numbered, pages)
		}
		if !hasLine(pages[0], "• Tdap: 1 dose") || !hasLine(pages[0], "• Varicella: 2 doses") {
			t.Errorf("no bullets:\n%s", pages[0])
		}
		if !strings.Contains(pages[0], "\nwhich is a requirement long enough") {
			t.Errorf("the wrapped line has a bullet of its own:\n%s", pages[0])
		}
		for i, p := range pages {
			if !strings.Contains(p, "Hillside School") {
				t.Errorf("page %d has no footer:\n%s", i+1, p)
			}
			if got := strings.Contains(p, "Page "+string(rune('1'+i))+" of 2"); got != numbered {
				t.Errorf("numbered %v, page %d says its number: %v\n%s", numbered, i+1, got, p)
			}
		}
	}
}
