package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/term"

	"github.com/ctwiz-nurse/ctwiz-nurse/config"
	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
)

func runLogin(e *env, args []string) int {
	fs := flag.NewFlagSet("login", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var conn connFlags
	conn.register(fs)
	username := fs.String("username", "", "CT WiZ username (asked for when missing)")
	facility := fs.String("facility", "", "CT WiZ facility ID (asked for when missing)")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from standard input (for scripts)")
	status := fs.Bool("status", false, "list the profiles that have stored credentials (never the passwords)")
	test := fs.Bool("test", false, "after storing, run the connectivity test without asking")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ctwiz-nurse login [--profile P] [--username U] [--facility F] [--password-stdin] [--test]")
		fmt.Fprintln(e.stderr, "       ctwiz-nurse login --status [--profile P]")
		fmt.Fprintln(e.stderr, "Stores your CT WiZ username, password and facility ID in the system keychain,")
		fmt.Fprintln(e.stderr, "then offers a connectivity test. There is no --password flag: the command line")
		fmt.Fprintln(e.stderr, "is visible to other users and kept in shell history.")
		fs.PrintDefaults()
	}
	if refuseSecretFlag(e, "login", withoutFlag(args, "password-stdin")) {
		return exitUsage
	}
	if code, ok := parseFlags(e, fs, "login", args, ""); !ok {
		return code
	}
	if *status {
		return loginStatus(e, conn.profile)
	}
	p, perr := loginProfile(&conn)
	if perr != nil && conn.profile == "" {
		// Without --profile the configuration must say which profile.
		return fail(e.stderr, "login", perr)
	}
	name := entryName(conn.profile, p)
	if err := credentials.ValidProfile(name); err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse login: %v\n", err)
		return exitUsage
	}

	// Read the current entry first: a missing keychain is reported before
	// the nurse types her password, and its values are the defaults.
	done := keychainWait(e, "give the CT WiZ credentials of profile "+name)
	old, err := keychain.Get(name)
	done()
	if err != nil && !errors.Is(err, credentials.ErrNotFound) {
		if errors.Is(err, credentials.ErrUnavailable) {
			fmt.Fprintf(e.stderr, "ctwiz-nurse login: %v\n", err)
			return exitFailure
		}
		old = credentials.Credentials{} // damaged: replaced below
	}

	tty, interactive := terminalOf(e.stdin)
	ask := func(label, flagValue, def string) (string, error) {
		if flagValue != "" {
			return flagValue, nil
		}
		if !interactive {
			return def, nil
		}
		if def != "" {
			fmt.Fprintf(e.stderr, "%s [%s]: ", label, def)
		} else {
			fmt.Fprintf(e.stderr, "%s: ", label)
		}
		v, err := readLine(tty)
		if err != nil {
			return "", err
		}
		if v = strings.TrimSpace(v); v == "" {
			return def, nil
		}
		return v, nil
	}
	c := credentials.Credentials{}
	if c.Username, err = ask("CT WiZ username", *username, firstNonEmpty(old.Username, p.Username)); err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse login: reading the username: %v\n", err)
		return exitFailure
	}
	if c.Username == "" {
		fmt.Fprintln(e.stderr, "ctwiz-nurse login: a username is needed: give --username U")
		return exitUsage
	}
	if c.FacilityID, err = ask("CT WiZ facility ID", *facility, firstNonEmpty(old.FacilityID, p.FacilityID)); err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse login: reading the facility ID: %v\n", err)
		return exitFailure
	}

	switch {
	case *passwordStdin && !interactive:
		c.Password, err = readPasswordStdin(e.stdin)
	case interactive:
		fmt.Fprintf(e.stderr, "CT WiZ password for %s (not shown): ", c.Username)
		var b []byte
		b, err = readPassword(tty, e.stderr)
		fmt.Fprintln(e.stderr)
		c.Password = string(b)
	default:
		fmt.Fprintln(e.stderr, "ctwiz-nurse login: there is no terminal to ask for the password: pipe it in with --password-stdin")
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse login: reading the password: %v\n", err)
		return exitFailure
	}
	if c.Password == "" {
		fmt.Fprintln(e.stderr, "ctwiz-nurse login: the password is empty; nothing was stored")
		return exitUsage
	}
	if !sendable(c.Password) {
		why := "the standard input holds control characters or bytes that are not UTF-8 text: pipe in the password alone, as UTF-8"
		if interactive {
			why = "what was typed holds control characters (arrow and function keys cannot be used at the password prompt) or text that is not UTF-8 (check the terminal's character encoding): type it again"
		}
		fmt.Fprintf(e.stderr, "ctwiz-nurse login: CT WiZ's web service cannot carry this password, so nothing was stored: %s\n", why)
		return exitUsage
	}

	done = keychainWait(e, "store the CT WiZ credentials of profile "+name)
	err = keychain.Set(name, c)
	done()
	if err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse login: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "Stored the CT WiZ credentials of %s%s for profile %s in the keychain.\n", c.Username, facilityNote(c.FacilityID), name)
	if perr != nil {
		// Said once the entry exists: a keychain that fails must not
		// follow a note that the credentials were stored.
		fmt.Fprintf(e.stderr, "Note: %v. To search with these credentials, add [profiles.%s] with its endpoint to the configuration, or give --profile %s --endpoint URL.\n", perr, name, name)
	}

	if perr != nil || p.Endpoint == "" {
		if *test {
			why := fmt.Sprintf("profile %s has no endpoint (give --endpoint URL, or set endpoint in the configuration)", name)
			if perr != nil {
				why = perr.Error()
			}
			fmt.Fprintf(e.stderr, "ctwiz-nurse login: no connectivity test: %s\n", why)
			return exitConfig
		}
		return exitOK
	}
	if !*test {
		if !interactive {
			return exitOK
		}
		fmt.Fprintf(e.stderr, "Test the connection to CT WiZ %s at %s now? No patient data is sent. [Y/n] ", p.Environment(), p.Endpoint)
		answer, err := readLine(tty)
		if err != nil || !yes(answer) {
			return exitOK
		}
	}
	// The connectivity test is exactly what 'ping' runs for this profile.
	return runPing(e, conn.pingArgs())
}

// pingArgs repeats the connection flags given to login for runPing.
func (c *connFlags) pingArgs() []string {
	var args []string
	for _, f := range []struct{ name, value string }{{"profile", c.profile}, {"endpoint", c.endpoint}, {"config", c.configPath}, {"debug", c.debug}} {
		if f.value != "" {
			args = append(args, "--"+f.name, f.value)
		}
	}
	return args
}

func yes(answer string) bool {
	a := strings.ToLower(strings.TrimSpace(answer))
	return a == "" || a == "y" || a == "yes"
}

// loginProfile is the profile query and ping would use with these flags.
// connFlags.loadProfile insists on an endpoint, which login needs only for
// the connectivity test: when that is all that is missing, the profile is
// looked up again with a stand-in endpoint that is then dropped. A
// profile the configuration lacks stays an error, which login notes.
func loginProfile(conn *connFlags) (config.Profile, error) {
	p, err := conn.loadProfile()
	if err == nil || conn.endpoint != "" || errors.Is(err, config.ErrNoProfile) {
		return p, err
	}
	conn.endpoint = "https://endpoint.invalid/"
	defer func() { conn.endpoint = "" }()
	if q, qerr := conn.loadProfile(); qerr == nil {
		q.Endpoint = ""
		return q, nil
	}
	return p, err
}

// entryName is the keychain entry of a profile: --profile as given (it
// names the entry even when the configuration lacks it), else the
// configuration's default profile, else credentials.DefaultProfile. It is
// the name query and ping pass to resolveCredentials.
func entryName(flagProfile string, p config.Profile) string {
	switch {
	case flagProfile != "":
		return flagProfile
	case p.Name != "":
		return p.Name
	}
	return credentials.DefaultProfile
}

func facilityNote(f string) string {
	if f == "" {
		return ""
	}
	return " (facility " + f + ")"
}

// loginStatus lists the stored profiles, or checks one: exitNotFound when
// the profile given has no entry, so scripts can test for it.
func loginStatus(e *env, profile string) int {
	done := keychainWait(e, "list the stored CT WiZ credentials")
	names, err := keychain.Profiles()
	done()
	if err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse login: %v\n", err)
		return exitFailure
	}
	if profile != "" {
		names = []string{profile}
	}
	code := exitOK
	if len(names) == 0 {
		fmt.Fprintln(e.stdout, "No CT WiZ credentials are stored in the keychain. Run 'ctwiz-nurse login --profile P' to store some.")
	}
	for _, n := range names {
		c, err := keychain.Get(n)
		switch {
		case errors.Is(err, credentials.ErrNotFound):
			fmt.Fprintf(e.stdout, "%s: no credentials stored\n", n)
			code = exitNotFound
		case err != nil:
			fmt.Fprintf(e.stdout, "%s: %v\n", n, err)
			code = exitFailure
		default:
			fmt.Fprintf(e.stdout, "%s: %s%s, password stored\n", n, c.Username, facilityNote(c.FacilityID))
		}
	}
	if e.getenv(envUsername) != "" || e.getenv(envPassword) != "" {
		fmt.Fprintf(e.stdout, "%s/%s are set in the environment: they are used for profiles with nothing stored.\n", envUsername, envPassword)
	}
	return code
}

func runLogout(e *env, args []string) int {
	fs := flag.NewFlagSet("logout", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var conn connFlags
	fs.StringVar(&conn.profile, "profile", "", "the profile whose credentials to delete (default: the configuration's default profile)")
	fs.StringVar(&conn.configPath, "config", "", "configuration file (default: the user config folder's ctwiz-nurse/config.toml)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ctwiz-nurse logout [--profile P]")
		fmt.Fprintln(e.stderr, "Deletes the profile's CT WiZ credentials from the system keychain.")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(e, fs, "logout", args, ""); !ok {
		return code
	}
	p, perr := loginProfile(&conn)
	if perr != nil && conn.profile == "" {
		return fail(e.stderr, "logout", perr)
	}
	name := entryName(conn.profile, p)
	done := keychainWait(e, "delete the CT WiZ credentials of profile "+name)
	err := keychain.Delete(name)
	done()
	switch {
	case errors.Is(err, credentials.ErrNotFound):
		fmt.Fprintf(e.stdout, "No CT WiZ credentials were stored for profile %s.\n", name)
	case err != nil:
		fmt.Fprintf(e.stderr, "ctwiz-nurse logout: %v\n", err)
		return exitFailure
	default:
		fmt.Fprintf(e.stdout, "Deleted the CT WiZ credentials of profile %s from the keychain.\n", name)
	}
	return exitOK
}

// withoutFlag drops the boolean flag name from args, so refuseSecretFlag
// (which stops every flag naming a password) lets --password-stdin by.
func withoutFlag(args []string, name string) []string {
	var out []string
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && n == name {
			continue
		}
		out = append(out, a)
	}
	return out
}

// terminalOf returns r as a terminal when it is one.
func terminalOf(r io.Reader) (*os.File, bool) {
	f, ok := r.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, false
	}
	return f, true
}

// exitInterrupted is what shells report for a process ended by Ctrl-C.
const exitInterrupted = 130

// readPassword reads a password at the terminal without echo. Ctrl-C
// still interrupts, so the terminal is put back first: otherwise the
// nurse's shell would stop showing what she types.
func readPassword(tty *os.File, stderr io.Writer) ([]byte, error) {
	fd := int(tty.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return nil, err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-sig:
			_ = term.Restore(fd, state)
			fmt.Fprintln(stderr, "\nInterrupted: nothing was stored.")
			os.Exit(exitInterrupted)
		case <-done:
		}
	}()
	return term.ReadPassword(fd)
}

// readLine reads one line a byte at a time, so nothing meant for the
// password prompt after it is swallowed by a buffer.
func readLine(r io.Reader) (string, error) {
	var line []byte
	b := make([]byte, 1)
	for {
		n, err := r.Read(b)
		if n == 1 {
			if b[0] == '\n' {
				return strings.TrimSuffix(string(line), "\r"), nil
			}
			line = append(line, b[0])
		}
		if err == io.EOF && len(line) > 0 {
			return string(line), nil
		}
		if err != nil {
			return "", err
		}
	}
}

// readPasswordStdin reads the whole of r and drops one trailing line end,
// as `docker login --password-stdin` does; other whitespace is kept.
func readPasswordStdin(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, credentials.MaxPasswordLength+1))
	if err != nil {
		return "", err
	}
	if len(b) > credentials.MaxPasswordLength {
		return "", fmt.Errorf("more than %d bytes on standard input: pipe in the password alone", credentials.MaxPasswordLength)
	}
	s := string(b)
	if t, ok := strings.CutSuffix(s, "\n"); ok {
		s = strings.TrimSuffix(t, "\r")
	}
	return s, nil
}
