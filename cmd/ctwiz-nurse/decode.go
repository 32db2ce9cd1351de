package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
)

// maxDecodeInput bounds what decode reads: the national gateway caps
// messages at 4 MiB, so 16 MiB is generous.
const maxDecodeInput = 16 << 20

func runDecode(e *env, args []string) int {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	asJSON := fs.Bool("json", false, "print the reply as JSON (the shape is in the README)")
	check := fs.Bool("check", false, "check the reply's conformance with the CDC implementation guide instead of printing the record")
	queryFile := fs.String("query", "", "with --check: the QBP `FILE` the reply answers, so MSA-2 and QAK-1 are checked against it")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ctwiz-nurse decode [FILE|-] [--json] [--check [--query QBP_FILE]]")
		fmt.Fprintln(e.stderr, "Reads one HL7 RSP or ACK (from FILE, or standard input) and prints the record,")
		fmt.Fprintln(e.stderr, "or with --check its conformance findings (exit 0 none failed, 1 a check failed).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(e.stderr, "ctwiz-nurse decode: give one file (or - for standard input)")
		return exitUsage
	}
	in, name := e.stdin, "standard input"
	if p := fs.Arg(0); p != "" && p != "-" {
		f, err := os.Open(p)
		if err != nil {
			fmt.Fprintf(e.stderr, "ctwiz-nurse decode: %v\n", err)
			return exitFailure
		}
		defer f.Close()
		in, name = f, p
	}
	if *queryFile != "" && !*check {
		fmt.Fprintln(e.stderr, "ctwiz-nurse decode: --query is used with --check")
		return exitUsage
	}
	data, err := readHL7(in, name)
	if err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse decode: %v\n", err)
		return exitFailure
	}
	if *check {
		return runCheck(e, data, name, *queryFile, *asJSON)
	}
	r, err := hl7.Decode(data, "")
	if err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse decode: %s: %v\n", name, err)
		return exitFailure
	}
	if *asJSON {
		return writeJSON(e, r)
	}
	writeRecord(e.stdout, r)
	return exitOK
}

// readHL7 reads one message, refusing more than any registry sends.
func readHL7(in io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(in, maxDecodeInput+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(data) > maxDecodeInput {
		return nil, fmt.Errorf("%s is larger than %d MiB; no registry reply is that large", name, maxDecodeInput>>20)
	}
	return data, nil
}

// interspersed moves flags after positional arguments to the front, so
// `decode FILE --json` works as well as `decode --json FILE`.
func interspersed(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if f := fs.Lookup(name); f != nil && !strings.Contains(a, "=") {
				if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !bf.IsBoolFlag() {
					if i+1 < len(args) {
						i++
						flags = append(flags, args[i])
					}
				}
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

// writeJSON prints a reply (or query's recordJSON) as indented JSON.
func writeJSON(e *env, r any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse: writing JSON: %v\n", err)
		return exitFailure
	}
	return exitOK
}

var outcomeText = map[hl7.Outcome]string{
	hl7.OutcomeRecord:     "one patient's record",
	hl7.OutcomeCandidates: "several possible patients: choose one",
	hl7.OutcomeNotFound:   "no patient matched",
	hl7.OutcomeTooMany:    "too many patients matched: add demographics to narrow the search",
	hl7.OutcomeRejected:   "the registry rejected the query",
	hl7.OutcomeError:      "the registry reported an error and returned no record",
}

// writeRecord prints a reply for a person: the outcome, the patients, the
// history, the forecast, the registry's messages and the decoder's
// warnings.
func writeRecord(w io.Writer, r *hl7.Response) {
	fmt.Fprintf(w, "Reply %s  QAK %s  MSA %s  control ID %s\n", orDash(r.Profile), orDash(r.Status), orDash(r.Ack), orDash(r.ControlID))
	fmt.Fprintf(w, "Outcome: %s (%s)\n", r.Outcome, outcomeWords(r))
	for i, p := range r.Patients {
		fmt.Fprintln(w)
		// Candidates are numbered for --pick, even a single one.
		if len(r.Patients) > 1 || r.Outcome == hl7.OutcomeCandidates {
			fmt.Fprintf(w, "%d. ", i+1)
		}
		writePatient(w, p)
	}
	if len(r.Immunizations) > 0 {
		// At most 80 columns: the vaccine's name is cut with "…", and
		// where each dose came from, its lot and any refusal go beneath it.
		fmt.Fprintf(w, "\nImmunization history (%d)\n", len(r.Immunizations))
		fmt.Fprintf(w, "  %-10s  %-22s  %-4s  %-13s  %-4s  %s\n", "DATE", "VACCINE", "CVX", "GROUP", "DOSE", "VALID")
		for i := range r.Immunizations {
			im := &r.Immunizations[i]
			evs := im.Evaluations
			if len(evs) == 0 {
				evs = []hl7.Evaluation{{}}
			}
			for j, ev := range evs {
				date, vaccine, cvx := usDate(im.Date), cut(printout.VaccineName(im.CVX, im.Vaccine), 22), cut(im.CVX, 4)
				if j > 0 { // the same dose, evaluated for another vaccine group
					date, vaccine, cvx = "", "", ""
				}
				valid := map[string]string{"Y": "valid", "N": "NOT VALID"}[ev.Valid]
				if valid == "" && ev.Group != "" || len(im.Evaluations) == 0 && im.Status != "RE" && im.Status != "NA" {
					valid = "not evaluated"
				}
				fmt.Fprintf(w, "  %-10s  %-22s  %-4s  %-13s  %-4s  %s\n", date, vaccine, cvx, cut(orDash(ev.Group), 13), cut(orDash(ev.Dose), 4), orDash(valid))
				if ev.Reason != "" {
					fmt.Fprintf(w, "%s\n", wrapIndent(ev.Reason, 14))
				}
			}
			more := []string{printout.SourceWord(im)}
			if im.Refusal != "" {
				more[0] += ": " + im.Refusal
			}
			if im.Lot != "" {
				more = append(more, "lot "+im.Lot)
			}
			fmt.Fprintf(w, "%s\n", wrapIndent(strings.Join(more, "; "), 14))
		}
	}
	if len(r.Forecast) > 0 {
		writeForecast(w, r)
	}
	if len(r.Errors) > 0 {
		fmt.Fprintln(w, "\nRegistry messages")
		for _, e := range r.Errors {
			sev := map[string]string{"E": "error", "W": "warning", "I": "information"}[e.Severity]
			line := orDash(sev) + " " + orDash(e.Message)
			var ref []string
			for _, s := range []string{e.Location, e.Code, e.AppCode} {
				if s != "" {
					ref = append(ref, s)
				}
			}
			if len(ref) > 0 {
				line += " [" + strings.Join(ref, " ") + "]"
			}
			fmt.Fprintln(w, wrapIndent(line, 2))
		}
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintln(w, "\nNotes (what ctwiz-nurse skipped or could not check in the reply)")
		for _, s := range r.Warnings {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
}

func writePatient(w io.Writer, p hl7.Patient) {
	name := p.Family
	if p.Given != "" {
		name += ", " + p.Given
	}
	if p.Middle != "" {
		name += " " + p.Middle
	}
	if p.Suffix != "" {
		name += " " + p.Suffix
	}
	fmt.Fprintf(w, "%s  born %s  sex %s  registry ID %s\n", orDash(name), usDate(p.BirthDate), orDash(p.Sex), orDash(p.RegistryID))
	if p.MotherMaidenName != "" {
		fmt.Fprintf(w, "   mother's maiden name %s\n", p.MotherMaidenName)
	}
	a := p.Address
	if a != (hl7.Address{}) {
		fmt.Fprintf(w, "   %s\n", strings.Trim(strings.Join([]string{a.Street, a.City, strings.TrimSpace(a.State + " " + a.Zip)}, ", "), ", "))
	}
	if p.Phone != "" {
		fmt.Fprintf(w, "   phone %s\n", hl7.USPhone(p.Phone))
	}
}

// outcomeWords says what the reply means; an acknowledgement that
// accepted the message (MSA AA) and reported no error is not "an error".
func outcomeWords(r *hl7.Response) string {
	if r.Outcome == hl7.OutcomeError && r.Ack == "AA" && len(r.Errors) == 0 {
		return "the registry accepted the message (MSA AA) but sent no record"
	}
	return outcomeText[r.Outcome]
}

// writeForecast prints the forecast as the screen and the paper arrange
// it (hl7.ViewForecast), in their words, within 80 columns.
func writeForecast(w io.Writer, r *hl7.Response) {
	birth := ""
	if len(r.Patients) == 1 {
		birth = r.Patients[0].BirthDate
	}
	v := hl7.ViewForecast(r.Forecast, birth)
	fmt.Fprintf(w, "\nForecast (%d vaccine groups; --json lists all %d entries)\n", len(v.Rows)+doneCount(v), len(r.Forecast))
	const row = "  %-13s  %-8s  %-4s  %-10s  %-10s  %-10s  %s"
	fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf(row, "GROUP", "STATUS", "DOSE", "EARLIEST", "DUE", "OVERDUE", "THEN"), " "))
	for _, g := range v.Rows {
		f := g.Next
		then := printout.ThenWords(g.Then)
		line := fmt.Sprintf(row, cut(g.Group, 13), printout.StatusWord(f.Status), orDash(f.Dose), usDate(f.Earliest), usDate(f.Due), usDate(f.Overdue), "")
		if len(line)+len(then) <= 80 {
			line += then
			then = ""
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
		if then != "" {
			fmt.Fprintln(w, wrapIndent("then "+then, 4))
		}
		if f.Reason != "" {
			fmt.Fprintln(w, wrapIndent(f.Reason, 4))
		}
	}
	if done := printout.DoneWords(v); len(done) > 0 {
		fmt.Fprintln(w, wrapIndent(strings.Join(done, "; "), 2))
	}
	if adult := printout.AdultWords(v); adult != "" {
		fmt.Fprintln(w, wrapIndent(adult, 2))
	}
}

func doneCount(v hl7.ForecastView) int {
	n := 0
	for _, d := range v.Done {
		n += len(d.Groups)
	}
	return n
}

// cut shortens s to n characters, ending in "…" when it was longer.
func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// wrapIndent wraps text to 80 columns, each line indented by indent.
func wrapIndent(text string, indent int) string {
	pad := strings.Repeat(" ", indent)
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len([]rune(pad+line+" "+word)) > 80 {
			lines = append(lines, pad+line)
			line = ""
		}
		line = strings.TrimSpace(line + " " + word)
	}
	return strings.Join(append(lines, pad+line), "\n")
}

// usDate shows an ISO date as MM/DD/YYYY, and "-" for none.
func usDate(iso string) string { return orDash(hl7.USDate(iso)) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
