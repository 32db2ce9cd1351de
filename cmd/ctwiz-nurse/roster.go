package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/ctwiz-nurse/ctwiz-nurse/config"
	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
	"github.com/ctwiz-nurse/ctwiz-nurse/roster"
	"github.com/ctwiz-nurse/ctwiz-nurse/schoolentry"
	"github.com/ctwiz-nurse/ctwiz-nurse/tui"
)

// progressEvery is how often a script sees a progress line.
const progressEvery = 5 * time.Second

func runRoster(e *env, args []string) int {
	fs := flag.NewFlagSet("roster", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var conn connFlags
	conn.register(fs)
	conn.registerSandbox(fs)
	gradeFlag := fs.String("grade", "", "`GRADE` (PK, K, 1-12) of the students whose row has none; required without a grade column")
	out := fs.String("out", "", "write the report to `REPORT.csv` (mode 0600; default: FILE's name with -report.csv)")
	pace := fs.Duration("pace", config.DefaultPace, "pause between queries, overriding the profile's pace; CT WiZ is asked one student at a time")
	max := fs.Int("max", 0, "send at most `N` queries this run (0: no cap); --resume continues")
	resume := fs.Bool("resume", false, "continue the run REPORT.csv holds, skipping the rows already done")
	columns := fs.String("columns", "", "name the file's columns: `last=H,first=H,middle=H,dob=H,sex=H,grade=H,number=H` (headers not recognised)")
	asOfFlag := fs.String("as-of", "", "check as of `DATE` (YYYY-MM-DD, M/D/YYYY, M-D-YYYY, MMDDYYYY or YYYYMMDD), not today; the school year follows from it")
	yes := fs.Bool("yes", false, "at a terminal, start without asking")
	var pdfs rosterPDFs
	pdfs.register(fs)
	noInterface := fs.Bool("no-interface", false, "at a terminal, ask and show progress as plain lines, as in a script, instead of the roster screen")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ctwiz-nurse roster FILE [--grade G] [--out REPORT.csv] [--pace D] [--max N] [--resume] [--columns ...]")
		fmt.Fprintln(e.stderr, "         [--summary REPORT.pdf] [--letters LETTERS.pdf] [--as-of DATE] [--yes] [--no-interface] [--profile P | --sandbox] [--debug FILE]")
		fmt.Fprintln(e.stderr, "Checks every student of a class list (CSV exported from the student information system)")
		fmt.Fprintln(e.stderr, "against Connecticut's school-entry requirements, one CT WiZ query at a time.")
		fmt.Fprintln(e.stderr, "Exit codes: 0 every row checked, 10 stopped or paused (run again with --resume), 2 usage or unreadable file, 1 other.")
		fs.PrintDefaults()
	}
	// FILE comes first (or last, after the flags).
	var file string
	switch {
	case len(args) > 0 && !strings.HasPrefix(args[0], "-"):
		file, args = args[0], args[1:]
	case len(args) > 0 && !strings.HasPrefix(args[len(args)-1], "-"):
		file, args = args[len(args)-1], args[:len(args)-1]
	}
	if code, ok := parseArgs(e, fs, "roster", args, " (give FILE first, then the flags)"); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "ctwiz-nurse roster: "+format+"\n", a...)
		return exitUsage
	}
	if file == "" {
		fs.Usage()
		return exitUsage
	}
	var opt roster.Options
	if *gradeFlag != "" {
		g, err := schoolentry.ParseGrade(*gradeFlag)
		if err != nil {
			return usageErr("--grade: %v", err)
		}
		opt.Grade = g
	}
	var asOf time.Time
	if *asOfFlag != "" {
		var err error
		if asOf, err = hl7.ParseDate(*asOfFlag, time.Now()); err != nil {
			return usageErr("--as-of: %v", err)
		}
	}
	if *columns != "" {
		c, err := roster.ParseColumns(*columns)
		if err != nil {
			return usageErr("%v", err)
		}
		opt.Columns = c
	}
	if *pace < 0 || *max < 0 {
		return usageErr("--pace and --max cannot be negative")
	}
	f, err := os.Open(file)
	if err != nil {
		return usageErr("cannot read the roster: %v", err)
	}
	ro, err := roster.Read(f, opt)
	f.Close()
	if err != nil {
		return usageErr("%s: %v", file, err)
	}
	if *out == "" {
		*out = roster.DefaultReportPath(file)
	}

	// At a terminal the roster screen lists the rows not sent and asks.
	in, termOut, screen := terminal(e)
	screen = screen && !*noInterface && isTerminal(e.stderr)
	// Every row is judged before anything is sent.
	if !screen {
		for _, p := range ro.Problems {
			fmt.Fprintf(e.stderr, "%s: not sent: %s\n", file, p)
		}
		for _, p := range ro.Duplicates {
			fmt.Fprintf(e.stderr, "%s: %s\n", file, p)
		}
	}
	// The settings and the account before the report: a run that cannot
	// start leaves no report behind.
	p, stopSandbox, err := conn.start(e)
	defer stopSandbox()
	if err != nil {
		return fail(e.stderr, "roster", err)
	}
	if err := pdfs.check(p, conn.configPath, file, *out); err != nil {
		return usageErr("%v", err)
	}
	paceGiven := false
	fs.Visit(func(f *flag.Flag) { paceGiven = paceGiven || f.Name == "pace" })
	if !paceGiven {
		*pace = p.Pace
	}
	creds, source, err := conn.account(e, p)
	if err != nil {
		return fail(e.stderr, "roster", credentialsError(err))
	}
	client, closeTrace, err := conn.newClientWith(e, p, creds, source)
	if err != nil {
		return fail(e.stderr, "roster", err)
	}
	defer closeTrace()

	rep, err := roster.OpenReport(*out, ro, *resume)
	if err != nil {
		return usageErr("%v", err)
	}
	defer rep.Close()
	if screen {
		return rosterScreen(e, in, termOut, &conn, p, client, creds, &tui.RosterJob{File: file, Roster: ro, Report: rep, Created: !*resume,
			Pace: *pace, Max: *max, Grade: opt.Grade, AsOf: asOf}, *yes, &pdfs)
	}
	pending := roster.Pending(ro, rep)
	if *max > 0 && pending > *max {
		pending = *max
	}
	estimate := roster.Estimate(pending, *pace)
	fmt.Fprintf(e.stderr, "%d rows: %d students to check, %d not sent, %d repeated; %d already in %s.\n",
		ro.Rows, len(ro.Students), len(ro.Problems), len(ro.DuplicateOf), rep.DoneCount(), *out)
	fmt.Fprintf(e.stderr, "%d queries, one at a time, %s apart: about %s if CT WiZ answers in a second.\n",
		pending, *pace, estimate.Round(time.Second))
	fmt.Fprintln(e.stderr, "CT WiZ allows queries only for students of your own school(s).")

	interactive := isTerminal(e.stdin) && isTerminal(e.stderr)
	if interactive && pending > 0 && !*yes {
		fmt.Fprint(e.stderr, "Start? [y/N] ")
		answer, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			return nothingSent(e, rep, !*resume)
		}
	}

	// Ctrl-C ends the run after the query in flight, which is written:
	// the query's own context is not canceled.
	stop := make(chan struct{})
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	go func() {
		if _, ok := <-sig; ok {
			close(stop)
		}
	}()
	run := &roster.Run{
		Checker:  &roster.Checker{Client: client, Grade: opt.Grade, AsOf: asOf},
		Pace:     *pace,
		Max:      *max,
		Stop:     stop,
		Progress: progressPrinter(e.stderr, interactive),
	}
	sum, err := run.Do(context.Background(), ro, rep)
	if interactive {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse roster: writing %s: %v\n", *out, err)
		return exitFailure
	}
	writeCounts(e.stdout, sum)
	switch sum.Ending {
	case roster.Finished:
		return pdfs.finished(e, *out, letterhead(p, asOf))
	case roster.Paused:
		fmt.Fprintf(e.stderr, "ctwiz-nurse roster: %v\n", roster.PauseError(sum.Pause))
	case roster.Stopped:
		fmt.Fprintf(e.stderr, "Stopped after the query in flight; %s has every row checked so far: run again with --resume to continue.\n", *out)
	case roster.Capped:
		fmt.Fprintf(e.stderr, "Stopped after --max %d queries: run again with --resume to continue.\n", *max)
	}
	pdfs.notYet(e)
	return exitRosterStopped
}

// rosterScreen runs the roster in the interface; its exit codes are the
// command's, and the PDFs are written, as the command writes them, once
// every row is in the report (with the rows she resolved).
func rosterScreen(e *env, in, out *os.File, conn *connFlags, p config.Profile, client *query.Client, creds credentials.Credentials,
	job *tui.RosterJob, start bool, pdfs *rosterPDFs) int {
	logger, closeLog, logPath := openInterfaceLog()
	defer closeLog()
	opts := conn.interfaceOptions(e, p, logger)
	conn.profileOptions(p, &opts)
	opts.Registry, opts.Roster, opts.RosterStart = client, job, start
	opts.User, opts.Facility = firstNonEmpty(creds.Username, opts.User), firstNonEmpty(creds.FacilityID, opts.Facility)
	m, code := runProgram(e, in, out, p, opts, logPath)
	if code != exitOK {
		return code
	}
	report := job.Report.Path()
	switch started, finished := m.RosterEnd(); {
	case finished:
		return pdfs.finished(e, report, letterhead(p, job.AsOf))
	case !started:
		return nothingSent(e, job.Report, job.Created)
	}
	fmt.Fprintf(e.stderr, "Stopped before every row was checked; %s has every row checked so far: run again with --resume to continue.\n", report)
	pdfs.notYet(e)
	return exitRosterStopped
}

// nothingSent ends a run that sent no query: a report it created holds
// nothing and is not left behind to be resumed.
func nothingSent(e *env, rep *roster.Report, created bool) int {
	fmt.Fprintln(e.stderr, "Nothing sent.")
	if created {
		rep.Close()
		os.Remove(rep.Path())
	}
	return exitRosterStopped
}

// writeCounts prints the outcomes of the students checked this run.
func writeCounts(w io.Writer, sum roster.Summary) {
	fmt.Fprintf(w, "Checked this run: %d\n", sum.Queries-pausedQuery(sum))
	for _, o := range roster.Outcomes {
		if n := sum.Counts[o]; n > 0 {
			fmt.Fprintf(w, "  %-14s %d\n", o, n)
		}
	}
}

// pausedQuery is the query that paused the run, sent but not counted.
func pausedQuery(sum roster.Summary) int {
	if sum.Pause != nil {
		return 1
	}
	return 0
}

// progressPrinter shows progress: at a terminal one line redrawn after
// each student; in a script a line every few seconds.
func progressPrinter(w io.Writer, interactive bool) func(roster.Progress) {
	var last time.Time
	return func(p roster.Progress) {
		now := time.Now()
		if !interactive && now.Sub(last) < progressEvery && p.Done < p.Total {
			return
		}
		last = now
		line := progressLine(p, now)
		if interactive {
			fmt.Fprintf(w, "\r\033[K%s", line)
		} else {
			fmt.Fprintln(w, line)
		}
	}
}

func progressLine(p roster.Progress, now time.Time) string {
	elapsed := now.Sub(p.Started)
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%d checked", p.Done, p.Total)
	if p.Queries > 0 && elapsed > 0 {
		rate := float64(p.Queries) / elapsed.Minutes()
		left := time.Duration(float64(elapsed) / float64(p.Queries) * float64(p.Total-p.Done))
		fmt.Fprintf(&b, ", %.0f/min, about %s left", rate, left.Round(time.Second))
	}
	for _, o := range roster.Outcomes {
		if n := p.Counts[o]; n > 0 {
			fmt.Fprintf(&b, ", %s %d", o, n)
		}
	}
	return b.String()
}

// isTerminal reports whether v is a terminal: an *os.File, or standard
// error's terminalWriter.
func isTerminal(v any) bool {
	f, ok := v.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}
