package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/term"

	"github.com/ctwiz-nurse/ctwiz-nurse/config"
	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/printout"
	"github.com/ctwiz-nurse/ctwiz-nurse/tui"
)

// maxLogSize is when the interface's log is rotated (one old copy kept).
const maxLogSize = 4 << 20

// runInterface starts the terminal interface for a profile, an endpoint
// or the built-in sandbox. Credentials come from the keychain, then the
// CTWIZ_* variables; without either the interface opens on its login
// screen.
func runInterface(e *env, args []string) int {
	fs := flag.NewFlagSet("ctwiz-nurse", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var conn connFlags
	conn.register(fs)
	conn.registerSandbox(fs)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ctwiz-nurse [--sandbox | --profile P | --endpoint URL] [--config FILE] [--debug FILE]")
		fmt.Fprintln(e.stderr, "Opens the terminal interface: search a student, choose among candidates, read and print the record.")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(e, fs, "interface", args, " (the commands are listed by 'ctwiz-nurse help')"); !ok {
		return code
	}
	in, out, ok := terminal(e)
	if !ok {
		fmt.Fprintln(e.stderr, "ctwiz-nurse: the interface needs a terminal; in scripts use 'ctwiz-nurse query' (see 'ctwiz-nurse help').")
		return exitUsage
	}

	p, stopSandbox, err := conn.start(e)
	defer stopSandbox()
	if err != nil {
		code := fail(e.stderr, "interface", err)
		if !conn.sandbox && conn.endpoint == "" && conn.profile == "" {
			fmt.Fprintln(e.stderr, "To try the interface on the built-in sandbox registry (synthetic students): ctwiz-nurse --sandbox")
		}
		return code
	}

	logger, closeLog, logPath := openInterfaceLog()
	defer closeLog()
	opts := conn.interfaceOptions(e, p, logger)
	// One trace file for the session, whatever the sign-ins: the clients
	// made below share it, and their close functions do nothing.
	closeTrace, err := conn.openTrace(e)
	if err != nil {
		return fail(e.stderr, "interface", err)
	}
	defer closeTrace()
	if err := conn.accountOptions(e, p, &opts); err != nil {
		return fail(e.stderr, "interface", err)
	}
	_, code := runProgram(e, in, out, p, opts, logPath)
	return code
}

// runProgram runs the interface on the terminal with the profile's
// printer; opts has the registry, the profile's settings, the log and
// the rest. A code other than exitOK (the interface failed, or closed
// at the lock) was told on stderr.
func runProgram(e *env, in, out *os.File, p config.Profile, opts tui.Options, logPath string) (tui.Model, int) {
	// Records a killed run left for the printer or viewer go first.
	printout.RemoveStale()
	spool := &printout.Spool{}
	defer spool.Close()
	opts.Printer = tui.SystemPrinter{Spool: spool, Printer: p.Printer}

	opts.Logger.Info("interface started", "environment", opts.Environment, "profile", opts.Profile, "signed_in", opts.Registry != nil)
	prog := tea.NewProgram(tui.New(opts), tea.WithInput(in), tea.WithOutput(out))
	final, err := prog.Run()
	if err != nil {
		opts.Logger.Error("interface failed", "error", err)
		fmt.Fprintf(e.stderr, "ctwiz-nurse: the interface stopped: %v (log: %s)\n", err, logPath)
		return tui.Model{}, exitFailure
	}
	m, _ := final.(tui.Model)
	if m.LockedOut() {
		opts.Logger.Warn("interface closed: three wrong passwords at the lock")
		fmt.Fprintln(e.stderr, "ctwiz-nurse: closed after three wrong passwords at the lock; the student's data had been cleared.")
		return m, exitAuth
	}
	opts.Logger.Info("interface closed")
	return m, exitOK
}

// terminal returns stdin and stdout when both are terminals.
func terminal(e *env) (in, out *os.File, ok bool) {
	in, inOK := e.stdin.(*os.File)
	out, outOK := e.stdout.(*os.File)
	return in, out, inOK && outOK && term.IsTerminal(int(in.Fd())) && term.IsTerminal(int(out.Fd()))
}

// interfaceOptions are the interface's settings from the profile and
// the environment; accountOptions adds the account's.
func (c *connFlags) interfaceOptions(e *env, p config.Profile, logger *slog.Logger) tui.Options {
	return tui.Options{NoColor: e.getenv("NO_COLOR") != "", Logger: logger, User: p.Username, Facility: p.FacilityID,
		Grade: p.Grade, CheckDay: c.schoolCheckDay(e), RosterPace: p.Pace}
}

// profileOptions sets the header's profile and environment, and the lock.
func (c *connFlags) profileOptions(p config.Profile, opts *tui.Options) {
	opts.Profile = p.Name
	opts.Environment = p.Environment()
	opts.IdleLock = p.IdleLock
	if c.sandboxCreds != nil {
		// Synthetic students only, and the README gives the password:
		// trainees unlock as nurses do, without asking for it.
		opts.UnlockHint = "Built-in sandbox: the password is " + c.sandboxCreds.Password + "."
	}
}

// accountOptions sets what opts (from interfaceOptions) needs of the
// profile and its account: a client for the stored (or CTWIZ_*, or sandbox) account, else the login
// screen, whose Connect uses what she types and whose Store keeps it in
// the keychain once CT WiZ has accepted it. When no keychain can be
// reached there is no Store, and the login screen says so before she
// types. The trace must already be open (openTrace).
func (c *connFlags) accountOptions(e *env, p config.Profile, opts *tui.Options) error {
	opts.Store = keychain
	creds, source, err := c.account(e, p)
	switch {
	case err == nil:
		client, _, err := c.newClientWith(e, p, creds, source)
		if err != nil {
			return err
		}
		opts.Registry = client
		opts.User = firstNonEmpty(creds.Username, opts.User)
		opts.Facility = firstNonEmpty(creds.FacilityID, opts.Facility)
	case errors.Is(err, credentials.ErrUnavailable):
		// The login screen asks for them; she is told first that they
		// will not be kept.
		opts.LoginNote = "The keychain cannot be reached, so what you type here is used for this session only. " + credentials.Advice()
		opts.Store = nil
	case errors.Is(err, credentials.ErrNotFound):
		// The login screen asks for them.
	default:
		return err
	}
	opts.Connect = c.connector(e, p)
	c.profileOptions(p, opts)
	return nil
}

// connector is the login screen's Connect: a client for the account she
// typed, never the keychain's, since storing what she typed may have
// failed while an older entry is still readable. The trace must already
// be open (openTrace), so the client's close function is a no-op.
func (c *connFlags) connector(e *env, p config.Profile) func(credentials.Credentials) (tui.Registry, error) {
	return func(typed credentials.Credentials) (tui.Registry, error) {
		client, _, err := c.newClientWith(e, p, typed, sourceTyped)
		if err != nil {
			return nil, err
		}
		return client, nil
	}
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// openInterfaceLog opens the interface's log under the user cache folder
// (never the terminal, which the interface owns). The log holds events,
// timings and error kinds, never names, birth dates, IDs or passwords.
// Without a cache folder it logs nowhere rather than fail.
func openInterfaceLog() (*slog.Logger, func(), string) {
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir, err := os.UserCacheDir()
	if err != nil {
		return discard, func() {}, "(none)"
	}
	dir = filepath.Join(dir, "ctwiz-nurse")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return discard, func() {}, "(none)"
	}
	path := filepath.Join(dir, "interface.log")
	if fi, err := os.Stat(path); err == nil && fi.Size() > maxLogSize {
		_ = os.Rename(path, path+".1")
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return discard, func() {}, "(none)"
	}
	return slog.New(slog.NewTextHandler(f, nil)), func() { f.Close() }, path
}
