package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/config"
	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/hl7"
	"github.com/ctwiz-nurse/ctwiz-nurse/sandbox"
)

// envSandboxToday fixes the in-process sandbox's "today" (any form of the
// README's Dates section), so a training handout's forecasts stay as
// printed.
const envSandboxToday = "CTWIZ_SANDBOX_TODAY"

func runSandbox(e *env, args []string) int {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "`ADDR`ESS to serve on (host:port; port 0 picks a free one)")
	seed := fs.String("seed", "", "load the VXU^V04 messages of `FILE` (separated by blank lines) at start-up")
	noBuiltin := fs.Bool("no-builtin", false, "start without the built-in synthetic students")
	user := fs.String("user", sandbox.DefaultUsername, "username the sandbox accepts")
	password := fs.String("password", sandbox.DefaultPassword, "password the sandbox accepts (synthetic data only: never a real password)")
	facility := fs.String("facility", sandbox.DefaultFacility, "facility ID the sandbox accepts")
	latency := fs.Duration("latency", 0, "wait this long before every reply (e.g. 2s)")
	misbehave := fs.String("misbehave", "", "fail on purpose, as real registries do: `MODE` is one of "+sandbox.ModeNames())
	today := fs.String("today", "", "forecast as of this date (YYYY-MM-DD, MM/DD/YYYY...) instead of the real today")
	list := fs.Bool("list", false, "list the built-in students and the case each shows, then exit")
	quiet := fs.Bool("quiet", false, "do not log requests on stderr")
	synthetic := fs.Int("synthetic", 0, "add `N` generated students of a school (complete, missing doses, in process, twins, common names, students absent from the registry)")
	synSeed := fs.Uint64("synthetic-seed", 1, "`SEED` of the generated students: the same N, seed and day give the same school")
	writeRoster := fs.String("write-roster", "", "with --synthetic, write the school's roster (a student information system export) to `FILE`")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ctwiz-nurse sandbox [--listen 127.0.0.1:8080] [--seed FILE] [--no-builtin]")
		fmt.Fprintln(e.stderr, "         [--user U --password P --facility F] [--latency D] [--misbehave MODE] [--today DATE] [--list]")
		fmt.Fprintln(e.stderr, "         [--synthetic N [--synthetic-seed SEED] [--write-roster FILE]]")
		fmt.Fprintln(e.stderr, "Runs the built-in sandbox registry (synthetic students, CDC WSDL) until Ctrl-C.")
		fmt.Fprintln(e.stderr, "Prints its endpoint URL (http://ADDR/iis) as the first line on stdout; GET URL?wsdl gives the WSDL.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(e, fs, "sandbox", args, ""); !ok {
		return code
	}
	if *list {
		listStudents(e.stdout)
		return exitOK
	}
	mode, err := sandbox.ParseMode(*misbehave)
	if err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse sandbox: %v\n", err)
		return exitUsage
	}
	opts := sandbox.Options{Username: *user, Password: *password, FacilityID: *facility,
		NoBuiltin: *noBuiltin, Latency: *latency, Misbehave: mode}
	if opts.Now, err = fixedToday(*today); err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse sandbox: --today: %v\n", err)
		return exitUsage
	}
	if !*quiet {
		opts.Log = e.stderr
	}
	if *writeRoster != "" && *synthetic == 0 {
		fmt.Fprintln(e.stderr, "ctwiz-nurse sandbox: --write-roster needs --synthetic N: the roster lists the generated students")
		return exitUsage
	}
	if *synthetic != 0 {
		if opts.Synthetic, err = synthesize(opts.Now, *synthetic, *synSeed); err != nil {
			fmt.Fprintf(e.stderr, "ctwiz-nurse sandbox: --synthetic: %v\n", err)
			return exitUsage
		}
	}
	s, err := sandbox.New(opts)
	if err != nil {
		if *today != "" { // the only thing a user can get wrong here
			fmt.Fprintf(e.stderr, "ctwiz-nurse sandbox: --today %s: %v (--no-builtin)\n", *today, err)
			return exitUsage
		}
		fmt.Fprintf(e.stderr, "ctwiz-nurse sandbox: %v\n", err)
		return exitFailure
	}
	if *seed != "" {
		f, err := os.Open(*seed)
		if err != nil {
			fmt.Fprintf(e.stderr, "ctwiz-nurse sandbox: --seed: %v\n", err)
			return exitUsage
		}
		err = s.Seed(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(e.stderr, "ctwiz-nurse sandbox: --seed %s: %v\n", *seed, err)
			return exitFailure
		}
	}
	if *writeRoster != "" {
		if err := writeSyntheticRoster(*writeRoster, opts.Synthetic); err != nil {
			fmt.Fprintf(e.stderr, "ctwiz-nurse sandbox: --write-roster: %v\n", err)
			return exitFailure
		}
		fmt.Fprintf(e.stderr, "Wrote the roster of the %d synthetic students to %s (check it with: ctwiz-nurse roster %s).\n",
			len(opts.Synthetic.Roster), *writeRoster, *writeRoster)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse sandbox: cannot listen on %s: %v (is another sandbox running? try --listen 127.0.0.1:0)\n", *listen, err)
		return exitFailure
	}
	endpoint := endpointURL(ln.Addr())
	fmt.Fprintln(e.stdout, endpoint)
	if host, _, _ := net.SplitHostPort(*listen); !config.IsLoopback(host) {
		fmt.Fprintf(e.stderr, "Warning: serving on %s, not only this computer; ctwiz-nurse itself connects over plain http only to loopback addresses.\n", *listen)
	}
	u, _, f := s.Credentials()
	fmt.Fprintf(e.stderr, "ctwiz-nurse sandbox registry: SYNTHETIC DATA ONLY. Username %q, facility ID %q (password as given with --password, default %q).\n", u, f, sandbox.DefaultPassword)
	fmt.Fprintf(e.stderr, "Try: CTWIZ_USERNAME=%s CTWIZ_PASSWORD=... CTWIZ_FACILITY_ID=%s ctwiz-nurse query --endpoint %s --last Sandoval --first Maya --dob 2008-04-12\n", u, f, endpoint)
	if mode != sandbox.Normal {
		fmt.Fprintf(e.stderr, "Misbehaving on purpose: %s.\n", mode)
	}
	fmt.Fprintln(e.stderr, "Press Ctrl-C to stop.")

	srv := s.HTTPServer()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(e.stderr, "ctwiz-nurse sandbox: %v\n", err)
		return exitFailure
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	fmt.Fprintln(e.stderr, "Sandbox stopped; its data is gone (it lives in memory only).")
	return exitOK
}

func endpointURL(addr net.Addr) string {
	return "http://" + addr.String() + sandbox.Path
}

// envSandboxSynthetic adds that many generated students (seed 1, as
// `sandbox --synthetic N` without --synthetic-seed) to the in-process
// sandbox, so `roster FILE --sandbox` can run on the roster that
// `sandbox --synthetic N --write-roster FILE` wrote.
const envSandboxSynthetic = "CTWIZ_SANDBOX_SYNTHETIC"

// synthesize generates n students for the sandbox's day (clock, or today).
func synthesize(clock func() time.Time, n int, seed uint64) (*sandbox.Synthetic, error) {
	day := time.Now()
	if clock != nil {
		day = clock()
	}
	return sandbox.Synthesize(n, seed, day)
}

// writeSyntheticRoster writes the roster readable by its owner only: the
// students are made up, but a roster file is the kind that must not be.
func writeSyntheticRoster(path string, syn *sandbox.Synthetic) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := syn.WriteRoster(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// fixedToday returns a clock stuck at day, or nil (the real clock) for "".
func fixedToday(day string) (func() time.Time, error) {
	if day == "" {
		return nil, nil
	}
	t, err := hl7.ParseDate(day, time.Now())
	if err != nil {
		return nil, err
	}
	t = t.Add(12 * time.Hour)
	return func() time.Time { return t }, nil
}

// listStudents prints the built-in students as a table.
func listStudents(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LAST\tFIRST\tDOB\tSEX\tID\tTRY\tCASE")
	for _, s := range append(sandbox.Students(), sandbox.NotFound) {
		try := s.Query
		if try == "" {
			try = s.Last + ", " + s.First + ", " + s.Born
		}
		id := s.RegistryID
		if id == "" {
			id = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Last, s.First, s.Born, s.Sex, id, try, s.Case)
	}
	tw.Flush()
}

// startSandbox starts the built-in sandbox in-process on a random
// loopback port, for --sandbox: its endpoint, the credentials it accepts,
// and stop, which shuts it down.
func startSandbox(e *env) (endpoint string, creds credentials.Credentials, stop func(), err error) {
	opts := sandbox.Options{}
	if opts.Now, err = fixedToday(e.getenv(envSandboxToday)); err != nil {
		return "", creds, nil, fmt.Errorf("%s: %w", envSandboxToday, err)
	}
	if v := e.getenv(envSandboxSynthetic); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return "", creds, nil, fmt.Errorf("%s=%q: give a number of students", envSandboxSynthetic, v)
		}
		if opts.Synthetic, err = synthesize(opts.Now, n, 1); err != nil {
			return "", creds, nil, fmt.Errorf("%s: %w", envSandboxSynthetic, err)
		}
	}
	s, err := sandbox.New(opts)
	if err != nil {
		return "", creds, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", creds, nil, fmt.Errorf("cannot listen on a loopback port: %w", err)
	}
	srv := s.HTTPServer()
	go func() { _ = srv.Serve(ln) }()
	creds.Username, creds.Password, creds.FacilityID = s.Credentials()
	return endpointURL(ln.Addr()), creds, func() { _ = srv.Close() }, nil
}

// schoolCheckDay is the day a school-entry check is made when none is
// asked for: with --sandbox and CTWIZ_SANDBOX_TODAY, the sandbox's today,
// the day its students' records stand as; else zero (the real today).
// useSandbox has refused a wrong CTWIZ_SANDBOX_TODAY already.
func (c *connFlags) schoolCheckDay(e *env) time.Time {
	if !c.sandbox {
		return time.Time{}
	}
	today, err := fixedToday(e.getenv(envSandboxToday))
	if err != nil || today == nil {
		return time.Time{}
	}
	return today()
}

// sandboxProfileName is the profile name of a --sandbox run, so its
// credentials never come from a real profile's keychain entry.
const sandboxProfileName = "sandbox"

// registerSandbox adds --sandbox to a command's flags (the interface
// registers its own).
func (c *connFlags) registerSandbox(fs *flag.FlagSet) {
	fs.BoolVar(&c.sandbox, "sandbox", false, "use the built-in sandbox registry (synthetic students), started on this computer")
}

// start is every command's first step towards CT WiZ: the sandbox when
// --sandbox asks for it, then the profile. stop ends the sandbox; call it
// even when err is not nil.
func (c *connFlags) start(e *env) (p config.Profile, stop func(), err error) {
	stop, err = c.useSandbox(e)
	if err != nil {
		return config.Profile{}, stop, err
	}
	p, err = c.loadProfile()
	return p, stop, err
}

// useSandbox starts the in-process sandbox when --sandbox was given and
// points the flags at it, with its account (see account); stop ends it.
func (c *connFlags) useSandbox(e *env) (stop func(), err error) {
	if !c.sandbox {
		return func() {}, nil
	}
	if c.endpoint != "" {
		return func() {}, &cmdError{code: exitUsage, msg: "--sandbox and --endpoint cannot be combined: --sandbox starts the built-in registry on this computer"}
	}
	endpoint, creds, stop, err := startSandbox(e)
	if err != nil {
		return func() {}, &cmdError{code: exitFailure, msg: "cannot start the sandbox registry: " + err.Error()}
	}
	c.endpoint = endpoint
	c.sandboxCreds = &creds
	fmt.Fprintln(e.stderr, "Using the built-in sandbox registry: synthetic students only, no real records.")
	return stop, nil
}
