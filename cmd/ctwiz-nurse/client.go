package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/ctwiz-nurse/ctwiz-nurse/config"
	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
	"github.com/ctwiz-nurse/ctwiz-nurse/query"
)

// connFlags are the flags shared by every command that talks to CT WiZ.
type connFlags struct {
	profile    string
	endpoint   string
	configPath string
	debug      string
	sandbox    bool // --sandbox, for the commands that register it (sandbox.go)
	// sandboxCreds is the account of the sandbox --sandbox started: it is
	// sent instead of any keychain entry or CTWIZ_* variable.
	sandboxCreds *credentials.Credentials
	trace        *os.File // the open --debug file (openTrace)
}

func (c *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.profile, "profile", "", "configuration profile to use (default: default_profile in config.toml, or the only profile)")
	fs.StringVar(&c.endpoint, "endpoint", "", "CT WiZ web service URL, overriding the profile's endpoint")
	fs.StringVar(&c.configPath, "config", "", "configuration file (default: the user config folder's ctwiz-nurse/config.toml)")
	fs.StringVar(&c.debug, "debug", "", "append a trace of each exchange to `FILE` (patient values and credentials are left out)")
}

// cmdError is a failure before or around the client, with its exit code
// and, when another package's error is the reason, that error.
type cmdError struct {
	code  int
	msg   string
	cause error
}

func (e *cmdError) Error() string { return e.msg }
func (e *cmdError) Unwrap() error { return e.cause }

// loadProfile reads the configuration and picks the profile; --endpoint
// overrides its endpoint. A missing file at the default path is an empty
// configuration; a missing --config file is an error. With --endpoint,
// --profile may name a profile the file lacks: it then only names the
// keychain entry, with every other setting at its default. Every failure
// is a configuration error (exitConfig).
func (c *connFlags) loadProfile() (config.Profile, error) {
	path := c.configPath
	if path == "" {
		p, err := config.DefaultPath()
		if err != nil && c.profile != "" {
			return config.Profile{}, &cmdError{code: exitConfig, msg: err.Error()}
		}
		path = p
	}
	var file *config.File
	if path != "" {
		f, err := config.Load(path)
		switch {
		case err == nil:
			file = f
		case errors.Is(err, fs.ErrNotExist) && c.configPath == "":
		default:
			return config.Profile{}, &cmdError{code: exitConfig, msg: err.Error()}
		}
	}
	p, err := file.Profile(c.profile)
	switch {
	case errors.Is(err, config.ErrNoProfile) && c.endpoint != "":
		p = config.NewProfile(c.profile)
	case err != nil:
		return config.Profile{}, &cmdError{code: exitConfig, msg: err.Error(), cause: err}
	}
	if c.endpoint != "" {
		if err := config.CheckEndpoint(c.endpoint, p.Name); err != nil {
			return config.Profile{}, &cmdError{code: exitConfig, msg: "--endpoint: " + err.Error(), cause: err}
		}
		p.Endpoint = c.endpoint
	}
	if c.sandbox {
		p.Name = sandboxProfileName
	}
	if p.Endpoint == "" {
		return config.Profile{}, &cmdError{code: exitConfig, msg: "no CT WiZ endpoint: give --endpoint URL, or set endpoint in a profile of " + path}
	}
	return p, nil
}

// newClientWith builds a query.Client from the profile and creds, the
// account from account (or what the nurse typed at the interface's login
// screen; none for ping), whose source says where it came from. Empty
// username and facility ID in creds leave the profile's. The returned
// function closes the debug trace (see openTrace).
func (c *connFlags) newClientWith(e *env, p config.Profile, creds credentials.Credentials, source string) (*query.Client, func(), error) {
	cfg, closeTrace, err := c.clientConfig(e, p, creds, source)
	if err != nil {
		return nil, nil, err
	}
	client, err := query.New(cfg)
	if err != nil {
		closeTrace()
		return nil, nil, err
	}
	return client, closeTrace, nil
}

// clientConfig is the client configuration of the profile and creds, as
// newClientWith builds it, with the --debug trace open; the returned
// function closes the trace.
func (c *connFlags) clientConfig(e *env, p config.Profile, creds credentials.Credentials, source string) (query.Config, func(), error) {
	cfg := query.Config{
		Endpoint:          p.Endpoint,
		Username:          firstNonEmpty(creds.Username, p.Username),
		Password:          creds.Password,
		FacilityID:        firstNonEmpty(creds.FacilityID, p.FacilityID),
		SendingApp:        p.SendingApp,
		SendingFacility:   p.SendingFacility,
		ReceivingApp:      p.ReceivingApp,
		ReceivingFacility: p.ReceivingFacility,
		ProcessingID:      p.ProcessingID,
		Profile:           p.QueryProfile,
		SearchProfile:     p.SearchProfile,
		Limit:             p.CandidateLimit,
		ConnectTimeout:    p.ConnectTimeout,
		Timeout:           p.Timeout,
		CAFile:            p.CAFile,
		Relogin:           relogin(source, p.Name),
	}
	closeTrace, err := c.openTrace(e)
	if err != nil {
		return query.Config{}, nil, err
	}
	if c.trace != nil {
		cfg.Trace = c.trace
	}
	return cfg, closeTrace, nil
}

// openTrace opens the --debug file, once: later calls (each sign-in of
// the interface) share the open file, and only the first call's function
// closes it.
func (c *connFlags) openTrace(e *env) (func(), error) {
	if c.debug == "" || c.trace != nil {
		return func() {}, nil
	}
	f, err := os.OpenFile(c.debug, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, &cmdError{code: exitUsage, msg: "cannot open the debug trace file: " + err.Error()}
	}
	// An existing file keeps its mode on open: make it private too.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, &cmdError{code: exitUsage, msg: "cannot make the debug trace file private (mode 0600): " + err.Error()}
	}
	c.trace = f
	fmt.Fprintf(e.stderr, "Writing a debug trace to %s (patient values and credentials are left out).\n", c.debug)
	return func() { f.Close() }, nil
}

// credentialsError gives a failure of account its exit code.
func credentialsError(err error) error {
	code := exitFailure
	if errors.Is(err, credentials.ErrNotFound) {
		code = exitAuth
	}
	return &cmdError{code: code, msg: err.Error()}
}

// account is the CT WiZ account to send: the sandbox's own with
// --sandbox, never looked up; else the profile's (resolveCredentials).
func (c *connFlags) account(e *env, p config.Profile) (credentials.Credentials, string, error) {
	if c.sandboxCreds != nil {
		return *c.sandboxCreds, sourceSandbox, nil
	}
	return resolveCredentials(e, p.Name)
}

// parseArgs parses a command's flags after refusing a password among
// them (see parseFlags).
func parseArgs(e *env, fs *flag.FlagSet, cmd string, args []string, hint string) (code int, ok bool) {
	if refuseSecretFlag(e, cmd, args) {
		return exitUsage, false
	}
	return parseFlags(e, fs, cmd, args, hint)
}

// parseFlags parses a command's flags; the sandbox command, whose
// --password is the synthetic one it accepts, calls it directly. It takes
// no positional arguments; hint, if any, follows the complaint about one.
// ok is false when the command must end with code.
func parseFlags(e *env, fs *flag.FlagSet, cmd string, args []string, hint string) (code int, ok bool) {
	if name, found := unknownFlag(fs, args); found {
		// Not quoted, as the flag package would: a password typed by
		// mistake may start with "-".
		msg := fmt.Sprintf("ctwiz-nurse %s: unknown flag (not shown, in case it is a password)", cmd)
		if near := nearestFlag(fs, name); near != "" {
			msg += "; did you mean --" + near + "?"
		}
		fmt.Fprintln(e.stderr, msg)
		fs.Usage()
		return exitUsage, false
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	if fs.NArg() > 0 {
		// Not quoted: a password typed by mistake lands here.
		fmt.Fprintf(e.stderr, "ctwiz-nurse %s: unexpected argument %s (not shown, in case it is a password)%s\n", cmd, stray(fs, args, len(args)-fs.NArg()), hint)
		return exitUsage, false
	}
	return exitOK, true
}

// unknownFlag returns the name of the first argument that fs would take
// for a flag it does not define.
func unknownFlag(fs *flag.FlagSet, args []string) (string, bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || len(a) < 2 || a[0] != '-' {
			return "", false // the flags end here
		}
		name, _, hasValue := strings.Cut(strings.TrimPrefix(a[1:], "-"), "=")
		if name == "h" || name == "help" {
			return "", false
		}
		f := fs.Lookup(name)
		if f == nil {
			return name, true
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) {
			i++ // its value
		}
	}
	return "", false
}

// nearestFlag is the flag of fs at most two edits from name, for a
// mistyped flag, or "".
func nearestFlag(fs *flag.FlagSet, name string) string {
	best, bestDist := "", 3
	fs.VisitAll(func(f *flag.Flag) {
		if d := editDistance(strings.ToLower(name), f.Name); d < bestDist {
			best, bestDist = f.Name, d
		}
	})
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// stray says where the stray argument args[i] is by the flag before it,
// named but never its value, since the nurse's words are not repeated.
func stray(fs *flag.FlagSet, args []string, i int) string {
	for j := i - 1; j >= 0; j-- {
		if !strings.HasPrefix(args[j], "-") || args[j] == "-" {
			continue
		}
		name, _, hasValue := strings.Cut(args[j], "=")
		if name == "--" {
			return "after --"
		}
		f := fs.Lookup(strings.TrimLeft(name, "-"))
		if f == nil {
			continue // a value that starts with "-", such as --pick -1
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); hasValue || (ok && b.IsBoolFlag()) {
			return "after " + name
		}
		return "after " + name + " and its value"
	}
	return "before any flag"
}

// refuseSecretFlag stops a command given a password on its command line,
// which other users can see and the shell keeps in its history.
func refuseSecretFlag(e *env, cmd string, args []string) bool {
	for _, a := range args {
		if a == "--" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && strings.Contains(strings.ToLower(name), "password") {
			fmt.Fprintf(e.stderr, "ctwiz-nurse %s: the password is never given on the command line (other users can see it, and the shell keeps it in its history). "+
				"Store it with 'ctwiz-nurse login', or set CTWIZ_PASSWORD for automation. If you typed it here, consider changing it.\n", cmd)
			return true
		}
	}
	return false
}

// exitCodeFor maps a failure to the documented exit codes.
func exitCodeFor(err error) int {
	var ce *cmdError
	if errors.As(err, &ce) {
		return ce.code
	}
	var qe *query.Error
	if !errors.As(err, &qe) {
		return exitFailure
	}
	switch qe.Kind {
	case query.KindInvalid:
		return exitUsage
	case query.KindConfig:
		return exitConfig
	case query.KindAuth:
		return exitAuth
	case query.KindFault:
		return exitRejected
	case query.KindTLS, query.KindDNS, query.KindRefused, query.KindTimeout, query.KindNetwork:
		return exitNetwork
	}
	return exitFailure
}

// fail prints err for the nurse and returns its exit code.
func fail(w io.Writer, cmd string, err error) int {
	fmt.Fprintf(w, "ctwiz-nurse %s: %v\n", cmd, err)
	return exitCodeFor(err)
}
