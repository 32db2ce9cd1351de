package onboard

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/conformance"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
)

// Title is the report's title.
const Title = "CT WiZ query interface onboarding report"

// sink is what the report is written to: Markdown or a PDF.
type sink interface {
	heading(level int, text string)
	para(text string, bold bool)
	table(header []string, widths []float64, rows [][]string)
	pre(text string)
}

// WriteMarkdown writes the report as Markdown.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	r.write(&markdown{w: bw})
	return bw.Flush()
}

// WritePDF writes the report as a PDF (US Letter).
func (r *Report) WritePDF(w io.Writer) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the PDF could not be made (%v): write the report as Markdown (.md) instead", p)
		}
	}()
	doc := printout.NewDocument(Title, "ctwiz-nurse onboarding report, "+r.Date.Format(time.DateOnly), r.Date)
	r.write(pdfSink{doc})
	return doc.Output(w)
}

// Summary is the report's summary: one line per phase, as DPH quotes it.
func (r *Report) Summary() []string {
	out := make([]string, 0, 3)
	for _, p := range r.Phases {
		out = append(out, p.Summary)
	}
	return out
}

// Verdict is the report's conclusion in one sentence.
func (r *Report) Verdict() string {
	n := r.Failed()
	if n == 0 {
		return "Result: all three phases passed."
	}
	p := r.Phases[n-1]
	return joinNonEmpty(" ", fmt.Sprintf("Result: phase %d failed.", n), p.Why)
}

var levelWord = map[conformance.Level]string{conformance.Pass: "PASS", conformance.Warn: "WARN", conformance.Fail: "FAIL", conformance.Skip: "not checked"}

func (r *Report) write(s sink) {
	s.heading(1, Title)
	s.table([]string{"", ""}, []float64{0.22, 0.78}, [][]string{
		{"Environment", r.Environment},
		{"Profile", r.Profile},
		{"Endpoint", r.Endpoint},
		{"Facility", r.Facility},
		{"Date", r.Date.Format("2006-01-02 15:04 MST")},
		{"App version", r.Version},
	})
	s.heading(2, "Summary")
	for _, l := range r.Summary() {
		s.para(l, false)
	}
	s.para(r.Verdict(), true)
	s.para("Scenarios are named by their label; no patient name, birth date or identifier appears in this report.", false)

	for _, p := range r.Phases {
		s.heading(2, fmt.Sprintf("Phase %d: %s", p.Number, p.Title))
		if !p.Ran {
			s.para(p.Why, false)
			continue
		}
		s.para(p.Summary, true)
		if len(p.Checks) > 0 {
			rows := make([][]string, len(p.Checks))
			for i, c := range p.Checks {
				rows[i] = []string{c.Name, levelWord[c.Level], c.Detail}
			}
			s.table([]string{"Check", "Result", "Detail"}, []float64{0.2, 0.13, 0.67}, rows)
		}
		if p.Why != "" && !p.Passed() {
			s.para("What to do: "+p.Why, true)
		}
		if len(p.Queries) == 0 {
			continue
		}
		rows := make([][]string, len(p.Queries))
		for i, q := range p.Queries {
			fails, warns := conformance.Count(q.Findings)
			result := "as expected"
			if !q.AsExpected {
				result = "NOT as expected"
			}
			rows[i] = []string{q.Label, q.Expected, q.Got, result, fmt.Sprintf("%d errors, %d warnings", fails, warns), ms(q.Took)}
		}
		s.table([]string{"Scenario", "Expected", "Answer", "Result", "Conformance", "Time"}, []float64{0.2, 0.13, 0.17, 0.16, 0.22, 0.12}, rows)
		for _, q := range p.Queries {
			s.heading(3, "Scenario "+q.Label)
			s.para(q.Detail, !q.AsExpected)
			if len(q.Findings) == 0 {
				s.para("No reply to check.", false)
				continue
			}
			fails, warns := conformance.Count(q.Findings)
			var rows [][]string
			for _, f := range q.Findings {
				if f.Level != conformance.Pass {
					rows = append(rows, []string{f.Check, levelWord[f.Level], f.Detail})
				}
			}
			s.para(fmt.Sprintf("%d conformance checks: %d passed, %d failed, %d warnings, %d not checked.", len(q.Findings), len(q.Findings)-len(rows), fails, warns, len(rows)-fails-warns), false)
			if len(rows) > 0 {
				s.table([]string{"Check", "Result", "Detail"}, []float64{0.2, 0.13, 0.67}, rows)
			}
		}
	}
	if rules := r.rules(); len(rules) > 0 {
		s.heading(2, "Conformance checks and their rules")
		s.table([]string{"Check", "Rule"}, []float64{0.2, 0.8}, rules)
	}
	if t := r.Timings; t.Count > 0 {
		s.heading(2, "Timings")
		s.table([]string{"Queries", "Median", "95th percentile", "Slowest", "Slowest query"}, []float64{0.12, 0.12, 0.16, 0.12, 0.48},
			[][]string{{fmt.Sprint(t.Count), ms(t.Median), ms(t.P95), ms(t.Slowest), t.SlowestStep}})
	}
	if len(r.Messages) > 0 {
		s.heading(2, "Messages exchanged")
		s.para("Patient values are replaced by * as in the --debug trace: every value of PID, PD1, NK1, RXA, ORC and of unknown segments, the QPD demographics, OBX dates, MSA text and ERR text.", false)
		for _, m := range r.Messages {
			s.heading(3, m.Step)
			s.para("Sent:", false)
			s.pre(m.Sent)
			s.para("Received:", false)
			if m.Reply == "" {
				s.para("(no reply)", false)
			} else {
				s.pre(m.Reply)
			}
		}
	}
}

// rules lists each conformance check the run made once, with its rule.
func (r *Report) rules() [][]string {
	var out [][]string
	seen := map[string]bool{}
	for _, p := range r.Phases {
		for _, q := range p.Queries {
			for _, f := range q.Findings {
				if key := f.Check + f.Rule; !seen[key] {
					seen[key] = true
					out = append(out, []string{f.Check, f.Rule})
				}
			}
		}
	}
	return out
}

// markdown writes the report as Markdown.
type markdown struct{ w *bufio.Writer }

func (m *markdown) heading(level int, text string) {
	fmt.Fprintf(m.w, "%s %s\n\n", strings.Repeat("#", level), text)
}

func (m *markdown) para(text string, bold bool) {
	if bold {
		text = "**" + text + "**"
	}
	fmt.Fprintf(m.w, "%s\n\n", text)
}

func (m *markdown) table(header []string, _ []float64, rows [][]string) {
	row := func(cells []string) {
		esc := make([]string, len(cells))
		for i, c := range cells {
			esc[i] = strings.ReplaceAll(strings.ReplaceAll(c, "|", `\|`), "\n", " ")
		}
		fmt.Fprintf(m.w, "| %s |\n", strings.Join(esc, " | "))
	}
	row(header)
	fmt.Fprintf(m.w, "|%s\n", strings.Repeat("---|", len(header)))
	for _, r := range rows {
		row(r)
	}
	fmt.Fprintln(m.w)
}

func (m *markdown) pre(text string) {
	fmt.Fprintf(m.w, "```\n%s\n```\n\n", strings.TrimRight(text, "\n"))
}

// pdfSink writes the report to a printout.Document.
type pdfSink struct{ d *printout.Document }

func (p pdfSink) heading(level int, text string) { p.d.Heading(level, text) }
func (p pdfSink) para(text string, bold bool)    { p.d.Paragraph(text, bold) }
func (p pdfSink) pre(text string)                { p.d.Preformatted(text) }
func (p pdfSink) table(header []string, widths []float64, rows [][]string) {
	p.d.Table(header, widths, rows)
}
