package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
)

// maxPasswordInput bounds what --password-stdin reads; no real password
// comes near it.
const maxPasswordInput = 4096

func runLogin(e *env, args []string) int {
	fs := flag.NewFlagSet("login", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	profile := fs.String("profile", "", "the profile whose credentials to store (default \""+credentials.DefaultProfile+"\")")
	username := fs.String("username", "", "CT WiZ username (asked for when missing)")
	facility := fs.String("facility", "", "CT WiZ facility ID (asked for when missing)")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from standard input (for scripts)")
	status := fs.Bool("status", false, "list the profiles that have stored credentials (never the passwords)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ctwiz-nurse login [--profile P] [--username U] [--facility F] [--password-stdin]")
		fmt.Fprintln(e.stderr, "       ctwiz-nurse login --status [--profile P]")
		fmt.Fprintln(e.stderr, "Stores your CT WiZ username, password and facility ID in the system keychain.")
		fmt.Fprintln(e.stderr, "There is no --password flag: the command line is visible to other users and kept in shell history.")
		fs.PrintDefaults()
	}
	if refusePasswordFlag(e, "login", args) {
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "ctwiz-nurse login: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	name := *profile
	if name == "" {
		name = credentials.DefaultProfile
	}
	if err := credentials.ValidProfile(name); err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse login: %v\n", err)
		return exitUsage
	}
	if *status {
		return loginStatus(e, *profile)
	}

	// Read the current entry first: a missing keychain is reported before
	// the nurse types her password, and its values are the defaults.
	old, err := keychain.Get(name)
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
	if c.Username, err = ask("CT WiZ username", *username, old.Username); err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse login: reading the username: %v\n", err)
		return exitFailure
	}
	if c.Username == "" {
		fmt.Fprintln(e.stderr, "ctwiz-nurse login: a username is needed: give --username U")
		return exitUsage
	}
	if c.FacilityID, err = ask("CT WiZ facility ID", *facility, old.FacilityID); err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse login: reading the facility ID: %v\n", err)
		return exitFailure
	}

	switch {
	case *passwordStdin && !interactive:
		c.Password, err = readPasswordStdin(e.stdin)
	case interactive:
		fmt.Fprintf(e.stderr, "CT WiZ password for %s (not shown): ", c.Username)
		var b []byte
		b, err = term.ReadPassword(int(tty.Fd()))
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

	if err := keychain.Set(name, c); err != nil {
		fmt.Fprintf(e.stderr, "ctwiz-nurse login: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "Stored the CT WiZ credentials of %s%s for profile %s in the keychain.\n", c.Username, facilityNote(c.FacilityID), name)
	return exitOK
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
	names, err := keychain.Profiles()
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
	profile := fs.String("profile", "", "the profile whose credentials to delete (default \""+credentials.DefaultProfile+"\")")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ctwiz-nurse logout [--profile P]")
		fmt.Fprintln(e.stderr, "Deletes the profile's CT WiZ credentials from the system keychain.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "ctwiz-nurse logout: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	name := *profile
	if name == "" {
		name = credentials.DefaultProfile
	}
	err := keychain.Delete(name)
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

// refusePasswordFlag catches --password before the flag package does, to
// explain why there is none and not just call it unknown.
func refusePasswordFlag(e *env, cmd string, args []string) bool {
	for _, a := range args {
		if a == "--" {
			break
		}
		f := strings.TrimLeft(a, "-")
		f, _, _ = strings.Cut(f, "=")
		if strings.HasPrefix(a, "-") && f == "password" {
			fmt.Fprintf(e.stderr, "ctwiz-nurse %s: there is no --password flag: the command line is visible to other users and kept in shell history. "+
				"Type the password at the prompt, or pipe it in with --password-stdin. If you typed it on the command line, consider changing it.\n", cmd)
			return true
		}
	}
	return false
}

// terminalOf returns r as a terminal when it is one.
func terminalOf(r io.Reader) (*os.File, bool) {
	f, ok := r.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, false
	}
	return f, true
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
	b, err := io.ReadAll(io.LimitReader(r, maxPasswordInput+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxPasswordInput {
		return "", fmt.Errorf("more than %d bytes on standard input: pipe in the password alone", maxPasswordInput)
	}
	s := string(b)
	if t, ok := strings.CutSuffix(s, "\n"); ok {
		s = strings.TrimSuffix(t, "\r")
	}
	return s, nil
}
