// Command ctwiz-nurse gives Connecticut school nurses query-only access to
// CT WiZ, the state immunization information system: a terminal interface
// by default, and commands for scripts and interface analysts.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Exit codes are a public interface, documented in the README.
const (
	exitOK         = 0 // one record, or the command did what it was asked
	exitFailure    = 1 // anything else, including input that is not HL7
	exitConfig     = 1 // configuration: config.toml, the profile chosen, the endpoint, the CA file
	exitUsage      = 2 // usage error or invalid demographics
	exitNotFound   = 3
	exitCandidates = 4 // several candidates, listed
	exitTooMany    = 5 // too many matches: refine the search
	exitRejected   = 6 // the registry rejected the query or reported an error without data
	exitAuth       = 7 // authentication failure; the interface: three wrong passwords at the lock
	exitNetwork    = 8 // network, TLS or timeout failure
	exitMismatch   = 9 // the record is not the student asked for (wrong-student guard); --accept-mismatch overrides
	// roster: the run stopped (Ctrl-C, --max, not started) or paused
	// (account refused, registry not answering) before every row was
	// checked; --resume continues it.
	exitRosterStopped = 10
	// onboard: the first phase that failed.
	exitOnboardConnect  = 11 // phase 1: credentials, URL and connectivity
	exitOnboardQueries  = 12 // phase 2: query and response configuration
	exitOnboardWorkflow = 13 // phase 3: the second step
)

// env is what a command may touch of the outside world, so tests can run
// commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	summary string
	run     func(e *env, args []string) int
}

// commands maps each sub-command to its implementation; with no
// sub-command the terminal interface starts.
var commands = map[string]command{
	"decode":  {"print one HL7 reply (file or stdin) as a readable record or JSON, or --check its conformance", runDecode},
	"query":   {"ask CT WiZ for a student's immunization history and forecast", runQuery},
	"ping":    {"test the connection to CT WiZ (connectivityTest) and show the round-trip time", runPing},
	"login":   {"store your CT WiZ credentials in the system keychain (--status lists them)", runLogin},
	"sandbox": {"run the built-in sandbox registry (synthetic students) until Ctrl-C", runSandbox},
	"logout":  {"delete a profile's CT WiZ credentials from the keychain", runLogout},
	"onboard": {"run CT WiZ's three onboarding test phases and write the report", runOnboard},
	"roster":  {"check a class list (CSV) against school entry, one query at a time, into a report CSV", runRoster},
}

func main() {
	disableCoreDumps()
	os.Exit(run(&env{stdin: os.Stdin, stdout: os.Stdout, stderr: messageWriter(os.Stderr), getenv: takeSecretEnv()}, os.Args[1:]))
}

func run(e *env, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "-help", "--help":
			usage(e.stdout)
			return exitOK
		case "version", "-version", "--version":
			return printVersion(e)
		}
		if c, ok := commands[args[0]]; ok {
			return c.run(e, args[1:])
		}
		if !strings.HasPrefix(args[0], "-") {
			// Not quoted: a password typed by mistake lands here.
			fmt.Fprintln(e.stderr, "ctwiz-nurse: unknown command (not shown, in case it is a password)")
			usage(e.stderr)
			return exitUsage
		}
	}
	return runInterface(e, args)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: ctwiz-nurse [--sandbox | --profile P | --endpoint URL]   (terminal interface)")
	fmt.Fprintln(w, "       ctwiz-nurse <command> [flags]")
	fmt.Fprintln(w, "       ctwiz-nurse --version")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'ctwiz-nurse <command> -h' for a command's flags.")
}
