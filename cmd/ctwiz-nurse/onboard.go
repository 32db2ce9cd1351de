package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/ctwiz-nurse/ctwiz-nurse/onboard"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

func runOnboard(e *env, args []string) int {
	fs := flag.NewFlagSet("onboard", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var conn connFlags
	conn.register(fs)
	conn.registerSandbox(fs)
	scenarios := fs.String("scenarios", "", "the scenario `FILE` (CSV: "+strings.Join(onboard.Columns, ",")+"); with --sandbox, the sandbox's own by default")
	report := fs.String("report", "", "write the report to `FILE`: Markdown (.md) or PDF (.pdf), mode 0600; default Markdown on standard output")
	messages := fs.Bool("include-messages", false, "append the HL7 exchanged to the report, patient values replaced by * as in the --debug trace")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ctwiz-nurse onboard [--profile P | --endpoint URL | --sandbox] [--scenarios FILE.csv]")
		fmt.Fprintln(e.stderr, "         [--report FILE.md|FILE.pdf] [--include-messages] [--debug FILE]")
		fmt.Fprintln(e.stderr, "Runs CT WiZ's onboarding test phases (1 connectivity and account, 2 scenarios and conformance,")
		fmt.Fprintln(e.stderr, "3 the second step and timings) and writes the report.")
		fmt.Fprintln(e.stderr, "Exit codes: 0 every phase passed, 11/12/13 phase 1/2/3 failed, 2 usage, 1 other.")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(e, fs, "onboard", args, ""); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "ctwiz-nurse onboard: "+format+"\n", a...)
		return exitUsage
	}
	ext := strings.ToLower(filepath.Ext(*report))
	if *report != "" && ext != ".md" && ext != ".pdf" {
		return usageErr("--report %s: the name must end in .md (Markdown) or .pdf", *report)
	}
	var data []byte
	switch {
	case *scenarios != "":
		b, err := os.ReadFile(*scenarios)
		if err != nil {
			return usageErr("--scenarios: %v", err)
		}
		data = b
	case conn.sandbox:
		data = sandbox.OnboardingScenarios
	default:
		return usageErr("--scenarios FILE.csv is required (CT WiZ gives the test students for its QA environment); --sandbox uses its own")
	}
	sc, err := onboard.ReadScenarios(bytes.NewReader(data))
	if err != nil {
		return usageErr("%v", err)
	}

	p, stopSandbox, err := conn.start(e)
	defer stopSandbox()
	if err != nil {
		return fail(e.stderr, "onboard", err)
	}
	creds, source, err := conn.account(e, p)
	if err != nil {
		return fail(e.stderr, "onboard", credentialsError(err))
	}
	cfg, closeTrace, err := conn.clientConfig(e, p, creds, source)
	if err != nil {
		return fail(e.stderr, "onboard", err)
	}
	defer closeTrace()
	fmt.Fprintf(e.stderr, "Onboarding tests against CT WiZ %s at %s: %d scenarios...\n", p.Environment(), p.Endpoint, len(sc))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := onboard.Run(ctx, onboard.Options{Config: cfg, Scenarios: sc, Environment: p.Environment(), Profile: p.Name,
		Version: appVersion(), Messages: *messages})
	if err != nil {
		return fail(e.stderr, "onboard", err)
	}
	if code := writeReport(e, rep, *report, ext); code != exitOK {
		return code
	}
	for _, l := range rep.Summary() {
		fmt.Fprintln(e.stderr, l)
	}
	fmt.Fprintln(e.stderr, rep.Verdict())
	return map[int]int{0: exitOK, 1: exitOnboardConnect, 2: exitOnboardQueries, 3: exitOnboardWorkflow}[rep.Failed()]
}

// writeReport writes the report to path (mode 0600: with
// --include-messages it holds the redacted HL7), or to standard output.
func writeReport(e *env, rep *onboard.Report, path, ext string) int {
	write := rep.WriteMarkdown
	if ext == ".pdf" {
		write = rep.WritePDF
	}
	if path == "" {
		if err := write(e.stdout); err != nil {
			fmt.Fprintf(e.stderr, "ctwiz-nurse onboard: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	var buf bytes.Buffer
	err := write(&buf)
	if err == nil {
		err = writePrivate(path, &buf)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse onboard: the report was not written: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(e.stderr, "Wrote the onboarding report to %s.\n", path)
	return exitOK
}

func writePrivate(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// appVersion is the program's version as the build recorded it: the
// module version, or the commit for a build from a checkout.
func appVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "ctwiz-nurse (version unknown)"
	}
	v := "ctwiz-nurse " + bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " (commit " + s.Value[:12] + ")"
		}
	}
	return v
}
