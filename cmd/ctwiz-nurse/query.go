package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
)

func runQuery(e *env, args []string) int {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var conn connFlags
	conn.register(fs)
	conn.registerSandbox(fs)
	var d hl7.Demographics
	fs.StringVar(&d.Last, "last", "", "student's last name (required)")
	fs.StringVar(&d.First, "first", "", "student's first name (required)")
	fs.StringVar(&d.Middle, "middle", "", "middle name or initial")
	dob := fs.String("dob", "", "date of birth (required): YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY or YYYYMMDD; M/D/YY only for a student's recent year (see the README)")
	fs.StringVar(&d.Sex, "sex", "", "sex: F, M or U (or female, male, unknown)")
	maiden := fs.String("mother-maiden", "", "mother's maiden name: `LAST` or \"LAST, FIRST\"")
	fs.StringVar(&d.Address.Street, "street", "", "street address")
	fs.StringVar(&d.Address.City, "city", "", "city")
	fs.StringVar(&d.Address.State, "state", "", "state, two letters")
	fs.StringVar(&d.Address.Zip, "zip", "", "ZIP code")
	fs.StringVar(&d.Phone, "phone", "", "phone number with area code")
	id := fs.String("id", "", "fetch the record of this CT WiZ registry ID (as listed with the candidates)")
	pick := fs.Int("pick", 0, "after a candidate list, fetch candidate `N` (1-based, as printed)")
	z34 := fs.Bool("z34", false, "search with Z34 (history), then fetch the chosen or single patient with Z44, for registries that never list candidates for Z44")
	asJSON := fs.Bool("json", false, "print the reply as JSON, the same shape as 'decode --json'")
	pdf := fs.String("pdf", "", "also write the record as a printable PDF to `FILE` (mode 0600)")
	acceptMismatch := fs.Bool("accept-mismatch", false, "show the record even when its name, birth date or registry ID is not what was asked (exit 9 otherwise)")
	gradeFlag := fs.String("grade", "", "check Connecticut's school-entry requirements for `GRADE` (PK, K, 1-12)")
	asOfFlag := fs.String("as-of", "", "with --grade: check as of `DATE` (a date as --dob takes it), not today; the school year follows from it")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ctwiz-nurse query [--profile P] [--endpoint URL] --last L --first F [--middle M] --dob DATE")
		fmt.Fprintln(e.stderr, "         [--sex F|M|U] [--mother-maiden M] [--street S --city C --state ST --zip Z] [--phone N]")
		fmt.Fprintln(e.stderr, "         [--id REGISTRY_ID] [--pick N] [--z34] [--accept-mismatch] [--grade G [--as-of DATE]] [--json] [--pdf FILE] [--debug FILE]")
		fmt.Fprintln(e.stderr, "Asks CT WiZ for a student's immunization history and forecast.")
		fmt.Fprintln(e.stderr, "Exit codes: 0 record, 2 usage or invalid demographics, 3 not found, 4 several candidates (listed),")
		fmt.Fprintln(e.stderr, "5 too many matches, 6 rejected or registry error, 7 authentication, 8 network/TLS/timeout,")
		fmt.Fprintln(e.stderr, "9 the record is not the student asked for (shown side by side; --accept-mismatch shows it), 1 other.")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(e, fs, "query", args, " (every value is given with a flag, e.g. --last)"); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "ctwiz-nurse query: "+format+"\n", a...)
		return exitUsage
	}
	var missing []string
	for _, r := range []struct{ flag, v string }{{"--last", d.Last}, {"--first", d.First}, {"--dob", *dob}} {
		if strings.TrimSpace(r.v) == "" {
			missing = append(missing, r.flag)
		}
	}
	if len(missing) > 0 {
		return usageErr("%s required: last name, first name and date of birth are what CT WiZ matches on", strings.Join(missing, ", "))
	}
	bd, err := hl7.ParseDate(*dob, time.Now())
	if err != nil {
		return usageErr("--dob: %v", err)
	}
	d.BirthDate = bd
	sex, ok := hl7.ParseSex(d.Sex)
	if !ok {
		return usageErr("--sex: type F, M or U (or female, male, unknown)")
	}
	d.Sex = sex
	d.Address.State = strings.ToUpper(d.Address.State)
	d.MotherMaidenLast, d.MotherMaidenFirst = hl7.SplitMaidenName(*maiden)
	if *pick < 0 || (*pick > 0 && *id != "") {
		return usageErr("--pick takes a candidate number from 1, and cannot be combined with --id")
	}
	// Checked before the keychain is asked, so a typo costs nothing.
	if err := d.Validate(time.Now()); err != nil {
		return usageErr("%v", err)
	}
	school, err := parseSchoolFlags(*gradeFlag, *asOfFlag)
	if err != nil {
		return usageErr("%v", err)
	}

	p, stopSandbox, err := conn.start(e)
	defer stopSandbox()
	if err != nil {
		return fail(e.stderr, "query", err)
	}
	if *z34 {
		p.SearchProfile = hl7.ProfileZ34
	}
	creds, source, err := conn.account(e, p)
	if err != nil {
		return fail(e.stderr, "query", credentialsError(err))
	}
	client, closeTrace, err := conn.newClientWith(e, p, creds, source)
	if err != nil {
		return fail(e.stderr, "query", err)
	}
	defer closeTrace()
	fmt.Fprintf(e.stderr, "Asking CT WiZ %s at %s...\n", p.Environment(), p.Endpoint)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var resp *hl7.Response
	if *id != "" {
		resp, err = client.Fetch(ctx, hl7.Patient{RegistryID: *id}, d)
	} else {
		resp, err = client.Find(ctx, d)
		if err == nil && *pick > 0 {
			switch {
			case resp.Outcome != hl7.OutcomeCandidates:
				fmt.Fprintf(e.stderr, "ctwiz-nurse query: --pick %d not used: CT WiZ did not list candidates (%s)\n", *pick, outcomeText[resp.Outcome])
			case *pick > len(resp.Patients):
				// Show the list, so the nurse can choose again from it.
				if code := writeResponse(e, resp, *asJSON); code != exitOK {
					return code
				}
				if len(resp.Patients) == 1 {
					return usageErr("--pick %d: CT WiZ listed 1 candidate; run the command again with --pick 1", *pick)
				}
				return usageErr("--pick %d: CT WiZ listed %d candidates; run the command again with --pick 1 to --pick %d", *pick, len(resp.Patients), len(resp.Patients))
			default:
				resp, err = client.Fetch(ctx, resp.Patients[*pick-1], d)
			}
		}
	}
	if err != nil {
		return fail(e.stderr, "query", err)
	}
	asOf := time.Now()
	if resp.Outcome == hl7.OutcomeRecord && resp.Mismatch != nil && !*acceptMismatch {
		return refuseMismatch(e, resp, *asJSON)
	}
	if resp.Mismatch != nil {
		fmt.Fprintln(e.stderr, "Shown with --accept-mismatch, although it is not the student asked for:")
		writeMismatch(e.stderr, resp.Mismatch)
	}

	if school.asOf.IsZero() {
		school.asOf = conn.schoolCheckDay(e)
	}
	compliance, err := school.check(resp)
	if err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse query: %v\n", err)
		return exitFailure
	}
	if *asJSON {
		if code := writeJSON(e, recordJSON{resp, compliance}); code != exitOK {
			return code
		}
	} else {
		writeRecord(e.stdout, resp)
		writeCompliance(e.stdout, compliance)
	}
	if *pdf != "" {
		if code := writePDF(e, *pdf, resp, compliance, p, creds, asOf); code != exitOK {
			return code
		}
	}
	return outcomeExit(e, resp, d)
}

// writeResponse prints the reply as JSON or readably.
func writeResponse(e *env, r *hl7.Response, asJSON bool) int {
	if asJSON {
		return writeJSON(e, r)
	}
	writeRecord(e.stdout, r)
	return exitOK
}

// recordJSON is query --json's shape: the reply, and the school-entry
// check as "compliance" when --grade was given.
type recordJSON struct {
	*hl7.Response
	Compliance *schoolentry.Result `json:"compliance,omitempty"`
}

// schoolCheck is what --grade and --as-of ask for; the zero value asks
// for nothing.
type schoolCheck struct {
	grade schoolentry.Grade
	asOf  time.Time // zero: today
}

func parseSchoolFlags(grade, asOf string) (schoolCheck, error) {
	var c schoolCheck
	if grade == "" {
		if asOf != "" {
			return c, errors.New("--as-of is the day of the school-entry check: give --grade too")
		}
		return c, nil
	}
	g, err := schoolentry.ParseGrade(grade)
	if err != nil {
		return c, fmt.Errorf("--grade: %w", err)
	}
	c.grade = g
	if asOf != "" {
		if c.asOf, err = hl7.ParseDate(asOf, time.Now()); err != nil {
			return c, fmt.Errorf("--as-of: %w", err)
		}
	}
	return c, nil
}

// check runs the school-entry check on a record; nil when no grade was
// asked for or the reply is not one student's record.
func (c schoolCheck) check(r *hl7.Response) (*schoolentry.Result, error) {
	if c.grade == "" || r.Outcome != hl7.OutcomeRecord {
		return nil, nil
	}
	asOf := c.asOf
	if asOf.IsZero() {
		asOf = time.Now()
	}
	return schoolentry.Check(r, c.grade, asOf)
}

// writeCompliance prints the school-entry check readably: the overall
// status, one line per requirement, and the label.
func writeCompliance(w io.Writer, res *schoolentry.Result) {
	if res == nil {
		return
	}
	fmt.Fprintf(w, "\nSchool entry, %s, %s: %s\n", res.Grade.Words(), res.SchoolYear, res.StatusWords())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, q := range res.Requirements {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", q.Vaccine, schoolentry.StatusWords(q.Status), q.Message)
	}
	tw.Flush()
	fmt.Fprintf(w, "  (%s)\n", res.Label())
}

// outcomeExit says what the nurse can do next and returns the outcome's
// exit code. d is what she searched with, to suggest what to change.
func outcomeExit(e *env, r *hl7.Response, d hl7.Demographics) int {
	switch r.Outcome {
	case hl7.OutcomeRecord:
		return exitOK
	case hl7.OutcomeCandidates:
		if len(r.Patients) == 1 {
			fmt.Fprintln(e.stderr, "\nCT WiZ found 1 possible student. Compare it with your records; if it is the student, run the same command with --pick 1 (or --id REGISTRY_ID) to see the record.")
		} else {
			fmt.Fprintf(e.stderr, "\nCT WiZ found %d possible students. Compare them with your records, then run the same command with --pick N (or --id REGISTRY_ID) to see one record.\n", len(r.Patients))
		}
		return exitCandidates
	case hl7.OutcomeNotFound:
		try := "check the spelling and the date of birth"
		if d.Middle != "" {
			try += ", try without --middle"
		}
		fmt.Fprintf(e.stderr, "\nNo student matched. That is common: the student may be born out of state, opted out, or recorded with another spelling. "+
			"To search again, %s.\n", try)
		return exitNotFound
	case hl7.OutcomeTooMany:
		if add := missingDetails(d); len(add) > 0 {
			fmt.Fprintf(e.stderr, "\nToo many students matched. Add details to narrow the search: %s.\n", strings.Join(add, ", "))
		} else {
			fmt.Fprintln(e.stderr, "\nToo many students matched, even with every detail given. Check the details, or search by the registry ID (--id) if you have it.")
		}
		return exitTooMany
	}
	switch {
	case r.Status == "PD":
		fmt.Fprintln(e.stderr, "\nCT WiZ did not return the record: it is protected data (QAK PD) that this account may not see. Contact the CT WiZ help desk if you need it.")
	case len(r.Errors) > 0:
		fmt.Fprintln(e.stderr, "\nCT WiZ returned no record; its messages above say why. Correct what they name and search again, or contact the CT WiZ help desk.")
	default:
		fmt.Fprintln(e.stderr, "\nCT WiZ returned no record and did not say why. Try again; if it persists, check the profile's facility ID and MSH codes with the CT WiZ help desk.")
	}
	return exitRejected
}

// missingDetails lists the flags of the optional details not given, in
// the order that narrows a search most.
func missingDetails(d hl7.Demographics) []string {
	var add []string
	for _, f := range []struct {
		flag  string
		given bool
	}{
		{"--middle", d.Middle != ""},
		{"--sex", d.Sex != ""},
		{"--mother-maiden", d.MotherMaidenLast != ""},
		{"--street/--city/--zip", d.Address.Street != "" || d.Address.City != "" || d.Address.Zip != ""},
		{"--phone", d.Phone != ""},
	} {
		if !f.given {
			add = append(add, f.flag)
		}
	}
	return add
}
